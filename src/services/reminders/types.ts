/**
 * What the reminder service's callers see: the shape of a run's report, the answer to a
 * leader's or an admin's command, and the limits the runs share.
 */
import type { IsoDate } from '../../domain/vn.js';

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

/** What a settings or admin command answers: whether it did what was asked, and what to say (plain text). */
export interface Answer {
  ok: boolean;
  text: string;
}
