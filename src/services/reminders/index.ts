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
  type Answer,
  ESCALATION_NAMES_MAX,
  type ReminderRunReport,
  type RunTally,
  SUMMARY_NAMES_MAX,
  type SummaryRunReport,
} from './types.js';
