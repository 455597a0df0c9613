/**
 * The periodic jobs' names (each is also its BullMQ scheduler id, and the name its run's last
 * run is kept under, which `/lichgui` words with `msg.reminders.schedules.names`) and the
 * handler type. A leaf: the schedules and the worker import it, it imports nothing of ours.
 */
import type { Job } from 'bullmq';

export const SCHEDULED_JOBS = {
  /** Reminders of open report rounds, daily at REMINDERS_AT. */
  reminders: 'reminders',
  /** The daily summary check: every quarter of an hour, starting from SUMMARY_AT's minute. */
  dailySummary: 'daily-summary',
  /** Monthly branch meeting reminders: checked daily at REMINDERS_AT; the service decides what is due. */
  meetingReminders: 'meeting-reminders',
  /** Huy hiệu Đảng reminders: checked daily at REMINDERS_AT; they go 45 and 15 days before an occasion. */
  badgeReminders: 'badge-reminders',
  /** Congress preparation, follow-up and attendee reminders, daily at REMINDERS_AT. */
  congressOffice: 'congress-office',
} as const;

export type ScheduledJobName = (typeof SCHEDULED_JOBS)[keyof typeof SCHEDULED_JOBS];

/** What a scheduled run does; `now` comes from the app's clock. */
export type ScheduledHandler = (job: Job, now: number) => Promise<void>;
