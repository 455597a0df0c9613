/** The branch congress round service: the facade the edges use, its codec, and the shapes it answers with. */
export { type CongressAction, congressActions } from './actions.js';
export { campaignInputFromAnswers } from './campaignDialog.js';
export type { CongressServiceDeps } from './deps.js';
export { APPROVE_BUTTONS_MAX, DRILL_BUTTONS_MAX, UPCOMING_NAMES_MAX } from './progress.js';
export { FORM_MIN_LABELS } from './reportEntry.js';
export { CongressService } from './service.js';
export {
  CAMPAIGN_DIALOG_FIELDS,
  type CampaignDialogField,
  type CampaignState,
  type CongressState,
} from './state.js';
export type {
  Answer,
  BranchChoice,
  BranchTarget,
  CampaignFieldCheck,
  DialogTurn,
  ProgressAnswer,
  ProgressStart,
  ReportCheck,
  UnitLink,
} from './types.js';
