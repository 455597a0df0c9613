/**
 * The reminder runs: what the `reminders` and `meeting-reminders` schedules do. Thin on
 * purpose: `ReminderService` decides what is due and hands it to the notifier, exactly as
 * `npm run cli -- reminders run` does.
 */
import type { ReminderService } from '../src/services/reminders/index.js';
import { SCHEDULED_JOBS, type ScheduledHandler } from './schedules.js';

/** Handlers of the two daily reminder runs. */
export function reminderHandlers(
  reminders: Pick<ReminderService, 'runCongressReminders' | 'runMeetingReminders'>,
): Record<typeof SCHEDULED_JOBS.reminders | typeof SCHEDULED_JOBS.meetingReminders, ScheduledHandler> {
  return {
    [SCHEDULED_JOBS.reminders]: async (_job, now) => {
      await reminders.runCongressReminders(now);
    },
    [SCHEDULED_JOBS.meetingReminders]: async (_job, now) => {
      await reminders.runMeetingReminders(now);
    },
  };
}
