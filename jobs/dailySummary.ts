/**
 * The daily summary check: runs every quarter of an hour and sends each leader's summary once
 * their own time (or SUMMARY_AT) has come that day, and each leaders' group's at SUMMARY_AT.
 * `ReminderService.sendSummaries` does the work, as `npm run cli -- summary send` does.
 */
import type { ReminderService } from '../src/services/reminders/index.js';
import { SCHEDULED_JOBS, type ScheduledHandler } from './schedules.js';

/** The handler of the summary check. */
export function dailySummaryHandlers(
  reminders: Pick<ReminderService, 'sendSummaries'>,
): Record<typeof SCHEDULED_JOBS.dailySummary, ScheduledHandler> {
  return {
    [SCHEDULED_JOBS.dailySummary]: async (_job, now) => {
      await reminders.sendSummaries(now);
    },
  };
}
