/**
 * What the daily summary a leader (or a leaders' group) reads at the end of the day says: per
 * scope, today's new reports, each open congress round's progress as X/Y with its overdue
 * branches and their secretaries, the month's meeting reports, and the secretaries the bot
 * cannot reach. The service gathers the figures and names; the catalogue words them
 * (`msg.reminders.dailySummary`).
 */
import type { YearMonth } from './meetings/calendar.js';
import type { IsoDate } from './vn.js';

/** One report saved today for the first time. */
export interface NewReport {
  branch: string;
  kind: 'congress' | 'meeting';
  /** The meeting's month, for `meeting`. */
  month?: YearMonth;
}

/** A branch overdue in a round. */
export interface OverdueBranch {
  branch: string;
  /** Set when the branch registered a date that has passed without a result. */
  registeredDate?: IsoDate;
  /** Names of the branch's secretaries who use the bot (none: "chưa có"). */
  secretaries: readonly string[];
}

/** One open round as it stands in the scope. */
export interface CampaignProgress {
  name: string;
  deadline: IsoDate;
  /** Branches that held their congress (reported). */
  held: number;
  /** Branches with a registered date and no result yet. */
  registeredOnly: number;
  /** Branches of the round in the scope. */
  total: number;
  /** The first overdue branches, to name. */
  overdue: readonly OverdueBranch[];
  /** All overdue branches; defaults to `overdue.length`. */
  overdueCount?: number;
  /**
   * Lines about how the office runs the round, already worded: chuẩn y and the decision
   * numbers, preparation and follow-up items open, pilot congresses.
   */
  notes?: readonly string[];
}

/** A secretary Telegram refused to deliver to. */
export interface UnreachableSecretary {
  person: string;
  branch: string;
}

/** Everything the summary says about one scope. */
export interface ScopeSummary {
  scopeName: string;
  newReports: readonly NewReport[];
  campaigns: readonly CampaignProgress[];
  meetings: { month: YearMonth; reported: number; total: number };
  unreachable: readonly UnreachableSecretary[];
  /** Branches where no secretary uses the bot. */
  noSecretary: readonly string[];
}

export interface DailySummary {
  today: IsoDate;
  scopes: readonly ScopeSummary[];
  /** The reader turned the chart off: say how to turn it on again. */
  chartOff?: boolean;
  /** The next Huy hiệu Đảng occasion, when it is within 45 days: members due in the reader's scopes. */
  badges?: { occasion: IsoDate; days: number; due: number };
}
