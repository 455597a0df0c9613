/** The branch congress round service: the facade the edges use, and the shapes it answers with. */

export { congressCallback } from './callbacks.js';
export type { CampaignDialogField } from './campaignDialog.js';
export { CAMPAIGN_DIALOG_FIELDS, campaignInputFromAnswers } from './campaignDialog.js';
export type { CongressServiceDeps } from './deps.js';
export { APPROVE_BUTTONS_MAX, DRILL_BUTTONS_MAX, UPCOMING_NAMES_MAX } from './progress.js';
export { FORM_MIN_LABELS } from './reportEntry.js';
export { CongressService } from './service.js';
export type {
  BranchChoice,
  BranchTarget,
  CampaignFieldCheck,
  DialogTurn,
  Outcome,
  ProgressAnswer,
  ProgressStart,
  ReportCheck,
  UnitLink,
} from './types.js';
