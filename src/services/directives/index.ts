/**
 * Directives (thông báo, chỉ đạo): the service the edges call, its codec and dialog state, the
 * producer of its jobs, and the names the directive worker and the exports share with it.
 */
export { type DirectiveAction, directiveActions } from './actions.js';
export type { ComposeMessage } from './composing.js';
export {
  DIRECTIVE_QUEUE,
  type DirectiveJobData,
  type DirectiveJobName,
  directiveJobId,
  TRACK,
} from './jobIds.js';
export { DirectiveJobs } from './jobQueue.js';
export { FANOUT_BATCH, STATUS_EVERY_MS } from './pacing.js';
export { DirectiveService } from './service.js';
export type { ComposeState } from './state.js';
export type {
  AckOutcome,
  CancelOutcome,
  DirectiveChannel,
  DirectivePreview,
  DirectiveReport,
  DirectiveServiceDeps,
  FileSender,
  InboxItem,
  OutgoingFile,
  SendOutcome,
  StatusEditor,
} from './types.js';
