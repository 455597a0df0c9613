/** Monthly branch meetings (sinh hoạt chi bộ): the service the edges use, and its types. */
export type { MeetingServiceDeps } from './context.js';
export { MEETING_CONVERSATION } from './conversation.js';
export { FORM_LABELS_NEEDED, looksLikeMeetingForm } from './reportForm.js';
export { MeetingService } from './service.js';
export { parseSettingsArgs, settingsProblems } from './settingsArgs.js';
export type {
  MeetingAction,
  MeetingButton,
  MeetingOutcome,
  MeetingReply,
  SaveOutcome,
  SettingsChange,
  SettingsOutcome,
} from './types.js';
