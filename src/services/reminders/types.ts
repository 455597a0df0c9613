/**
 * What the reminder service's callers see: the shape of a run's report, a summary ready to
 * send, and the names and limits the runs share.
 */
import type { IsoDate } from '../../domain/vn.js';
import type { OutboxAttachment } from '../../outbox/types.js';

/** Names of the runs as the last-run record and `/lichgui` know them (the scheduler ids). */
export const RUN_NAMES = {
  reminders: 'reminders',
  dailySummary: 'daily-summary',
  meetingReminders: 'meeting-reminders',
} as const;

/** Overdue branches and unreachable secretaries named in a summary before "… và N chi bộ khác". */
export const SUMMARY_NAMES_MAX = 20;
/** Branches named in one escalation message per round. */
export const ESCALATION_NAMES_MAX = 30;

/** How one run went: messages newly queued, already queued before (a repeat), held by quiet hours. */
export interface RunTally {
  queued: number;
  repeated: number;
  deferred: number;
}

export interface ReminderRunReport {
  today: IsoDate;
  congress: RunTally;
  escalations: RunTally;
  meetings: RunTally;
}

export interface SummaryRunReport {
  today: IsoDate;
  /** Leaders and groups whose summary was queued now. */
  queued: number;
  /** Already queued today (by this or another process). */
  alreadySent: number;
  /** Their time has not come yet today. */
  notYet: number;
}

/** A summary ready to send: Telegram HTML, and the chart unless turned off or there is none. */
export interface SummaryMessage {
  text: string;
  photo?: OutboxAttachment;
}

export type Outcome = { ok: boolean; text: string };
