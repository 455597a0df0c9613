/** The outcomes of the meeting service's operations (replies are data: `src/chat/reply.ts`). */
import type { Reply } from '../../chat/reply.js';
import type { MeetingSettings } from '../../domain/meetings/settings.js';
import type { SaveMeetingReportResult } from '../../store/meetings.js';

export type SaveOutcome =
  | { ok: true; result: SaveMeetingReportResult; replies: Reply[] }
  | { ok: false; replies: Reply[] };

/** Changes to a scope's settings; fields left out keep the value in force. */
export type SettingsChange = Partial<MeetingSettings>;

export interface SettingsOutcome {
  ok: boolean;
  /** Plain text, for the chat and the CLI alike. */
  text: string;
}
