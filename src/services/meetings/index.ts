/** Monthly branch meetings (sinh hoạt chi bộ): the service the edges use, and its types. */
export { type MeetingAction, meetingActions } from './actions.js';
export type { MeetingServiceDeps } from './context.js';
export { FORM_LABELS_NEEDED, looksLikeMeetingForm } from './reportForm.js';
export { MeetingService } from './service.js';
export { parseSettingsArgs, settingsProblems } from './settingsArgs.js';
export type { MeetingState } from './state.js';
export type { SaveOutcome, SettingsChange, SettingsOutcome } from './types.js';
