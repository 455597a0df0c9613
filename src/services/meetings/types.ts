/**
 * What the meeting service gives the edges: replies as data (text, whether it is HTML, and
 * buttons carrying typed actions) and the outcomes of its operations. The chat module turns
 * actions into callback data and back.
 */
import type { YearMonth } from '../../domain/meetings/calendar.js';
import type { MeetingFieldKey } from '../../domain/meetings/report.js';
import type { MeetingSettings } from '../../domain/meetings/settings.js';
import type { SaveMeetingReportResult } from '../../store/meetings.js';

/** What a button does; the chat module encodes it into callback data. */
export type MeetingAction =
  /** Report for this branch (a secretary of several branches chose one). */
  | { kind: 'branch'; branch: string }
  /** Start the guided dialog for this branch. */
  | { kind: 'dialog'; branch: string }
  /** Answer the dialog's question `step` with `value`. */
  | { kind: 'answer'; step: MeetingFieldKey; value: string }
  /** Save the report on the card carrying `token`. */
  | { kind: 'confirm'; token: string }
  /** Correct one answer of the dialog, or (no field) choose which. */
  | { kind: 'revise'; field?: MeetingFieldKey }
  | { kind: 'cancel' }
  /** Show the compliance summary of a scope (month: the default month when absent). */
  | { kind: 'progress'; scope: string; month?: YearMonth };

export interface MeetingButton {
  label: string;
  action: MeetingAction;
}

/** One message to send back. */
export interface MeetingReply {
  text: string;
  /** Telegram HTML (user text inside is escaped). */
  html: boolean;
  /** Rows of buttons under the message. */
  buttons?: MeetingButton[][];
}

/** What pressing a button gives. */
export interface MeetingOutcome {
  replies: MeetingReply[];
  /** A short note on the button (the button was stale, say). */
  toast?: string;
  /** The pressed message is done with: its buttons should go. */
  closeButtons: boolean;
}

export type SaveOutcome =
  | { ok: true; result: SaveMeetingReportResult; replies: MeetingReply[] }
  | { ok: false; replies: MeetingReply[] };

/** Changes to a scope's settings; fields left out keep the value in force. */
export type SettingsChange = Partial<MeetingSettings>;

export interface SettingsOutcome {
  ok: boolean;
  /** Plain text (no HTML), for the chat and the CLI alike. */
  text: string;
}
