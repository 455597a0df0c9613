/** Reminders and daily summaries; see `service.ts` for what the service does and why. */
export type { ReminderServiceDeps } from './deps.js';
export {
  listSchedules,
  type QueueCounts,
  SCHEDULED_QUEUE,
  type SchedulesOverview,
  type ScheduleView,
} from './schedules.js';
export { ReminderService } from './service.js';
export {
  ESCALATION_NAMES_MAX,
  type Outcome,
  type ReminderRunReport,
  RUN_NAMES,
  type RunTally,
  SUMMARY_NAMES_MAX,
  type SummaryMessage,
  type SummaryRunReport,
} from './types.js';
