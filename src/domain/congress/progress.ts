/**
 * /tiendo: how far a round has got in a leader's subtree. Built from the maintained counters,
 * the registered dates and the set of reported branches, never from the reports themselves.
 * Pure: the caller fetches the data and names the units; the catalogue words the answer
 * (`msg.congress.progressText`).
 */
import { addDays, type IsoDate } from '../vn.js';
import type { Registration } from './registration.js';
import type { Counters } from './stats.js';

/** "Congresses in the next 7 days" counts today as the first of the 7. */
export const UPCOMING_DAYS = 7;

/** How many overdue branches are named before "… và N chi bộ khác". */
export const OVERDUE_NAMES_MAX = 20;

/** The date range [from, to] (inclusive) of "the next 7 days" starting today. */
export function upcomingRange(today: IsoDate, days = UPCOMING_DAYS): { from: IsoDate; to: IsoDate } {
  return { from: today, to: addDays(today, days - 1) };
}

export interface OverdueBranch {
  code: string;
  name: string;
  /** Set when the branch is overdue because its registered date has passed. */
  registeredDate?: IsoDate;
}

/**
 * Branches overdue with their result: the registered date has passed (before today) with no
 * report, or the deadline has passed with no report. Registered-date ones first, by date;
 * then the rest by name.
 */
export function overdueBranches(input: {
  branches: readonly { code: string; name: string }[];
  reported: ReadonlySet<string>;
  registrations: ReadonlyMap<string, Pick<Registration, 'date'>>;
  deadline: IsoDate;
  today: IsoDate;
}): OverdueBranch[] {
  const pastDeadline = input.today > input.deadline;
  const byDate: OverdueBranch[] = [];
  const byDeadline: OverdueBranch[] = [];
  for (const b of input.branches) {
    if (input.reported.has(b.code)) continue;
    const reg = input.registrations.get(b.code);
    if (reg !== undefined && reg.date < input.today) byDate.push({ ...b, registeredDate: reg.date });
    else if (pastDeadline) byDeadline.push({ ...b });
  }
  byDate.sort((a, b) =>
    a.registeredDate! < b.registeredDate! ? -1 : a.registeredDate! > b.registeredDate! ? 1 : 0,
  );
  byDeadline.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  return [...byDate, ...byDeadline];
}

/**
 * Where an extended branch (gia hạn) stands: reported (`late` when after the round's deadline,
 * "sau hạn"), registered a date, still waiting within its extension, or past it with nothing.
 */
export type ExtendedState = 'reported' | 'reportedLate' | 'registered' | 'waiting' | 'expired';

/** An extended branch's state from its entry and today. */
export function extendedState(input: {
  until: IsoDate;
  today: IsoDate;
  reported: boolean;
  late: boolean;
  registered: boolean;
}): ExtendedState {
  if (input.reported) return input.late ? 'reportedLate' : 'reported';
  if (input.today > input.until) return 'expired';
  return input.registered ? 'registered' : 'waiting';
}

export interface ProgressView {
  /** The leader's unit, e.g. "Đảng bộ xã Tân Lập". */
  scopeName: string;
  term: string;
  today: IsoDate;
  deadline: IsoDate;
  /** The scope unit's counters. */
  totals: Counters;
  /** Branches under the scope (from the units tree). */
  totalBranches: number;
  /** Registered congresses in `upcomingRange(today)` not yet reported, by date. */
  upcoming: readonly { date: IsoDate; time?: number; branchName: string }[];
  /**
   * How many congresses are upcoming when `upcoming` names only the first of them (a big scope);
   * defaults to `upcoming.length`.
   */
  upcomingCount?: number;
  /** All overdue branches (see `overdueBranches`); only the first ones are named. */
  overdue: readonly { name: string; registeredDate?: IsoDate }[];
  /**
   * How many branches are overdue when `overdue` holds only the first of them (a big scope is
   * counted from the counters, never listed); defaults to `overdue.length`.
   */
  overdueCount?: number;
  /** One line per child unit: branches held / branches under it. */
  children: readonly { name: string; held: number; total: number }[];
  overdueNamesMax?: number;
  /** Extended branches (gia hạn) with their dates, the first ones named; `extendedCount` counts all. */
  extended?: readonly { name: string; until: IsoDate; state: ExtendedState; registeredDate?: IsoDate }[];
  extendedCount?: number;
}
