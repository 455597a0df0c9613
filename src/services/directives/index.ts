/**
 * Directives (thông báo, chỉ đạo): the service the edges call, the producer of its jobs, and
 * the names the directive worker and the exports share with it.
 */
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
export type {
  AckOutcome,
  AttachmentOutcome,
  CancelOutcome,
  DirectivePreview,
  DirectiveReport,
  DirectiveServiceDeps,
  InboxItem,
  SendOutcome,
  StatusEditor,
} from './types.js';
