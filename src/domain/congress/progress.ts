/**
 * /tiendo: how far a round has got in a leader's subtree. Built from the maintained counters,
 * the registered dates and the set of reported branches, never from the reports themselves.
 * Pure: the caller fetches the data and names the units.
 */
import { congress as m } from '../../messages/congress.js';
import { escapeHtml } from '../text.js';
import { addDays, formatNumber, formatPercent, formatRatio, formatVnDate, type IsoDate } from '../vn.js';
import { formatTerm } from './campaign.js';
import { formatRegistrationWhen, type Registration } from './registration.js';
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
}

/** The progress answer, Telegram HTML with names escaped; split it with `splitMessage`. */
export function renderProgress(v: ProgressView): string {
  const p = m.progress;
  const fmt = formatNumber;
  const t = v.totals;
  const lines = [
    `<b>${escapeHtml(p.title(formatTerm(v.term)))}</b>`,
    escapeHtml(p.scope(v.scopeName, formatVnDate(v.today), formatVnDate(v.deadline))),
    p.held(formatRatio(t.held, v.totalBranches), formatPercent(t.held, v.totalBranches)),
    p.registeredOnly(fmt(t.registeredOnly)),
    p.notRegistered(fmt(Math.max(0, v.totalBranches - t.held - t.registeredOnly))),
  ];
  if (t.held > 0) lines.push(p.approved(formatRatio(t.approved, t.held)));
  if (t.late > 0) lines.push(p.late(fmt(t.late)));

  lines.push('');
  if (v.upcoming.length === 0) lines.push(p.upcomingNone(UPCOMING_DAYS));
  else {
    lines.push(p.upcomingHeader(UPCOMING_DAYS));
    for (const u of v.upcoming)
      lines.push(escapeHtml(p.upcomingItem(formatRegistrationWhen(u.date, u.time), u.branchName)));
    const upcomingCount = v.upcomingCount ?? v.upcoming.length;
    if (upcomingCount > v.upcoming.length) lines.push(p.upcomingMore(fmt(upcomingCount - v.upcoming.length)));
  }

  // The count always shows; names only for the first few, so a big scope stays readable.
  const max = v.overdueNamesMax ?? OVERDUE_NAMES_MAX;
  const overdueCount = Math.max(v.overdueCount ?? v.overdue.length, v.overdue.length);
  lines.push('', `<b>${p.overdueHeader(fmt(overdueCount))}</b>`);
  for (const o of v.overdue.slice(0, max)) {
    const line =
      o.registeredDate === undefined
        ? p.overdueDeadline(o.name)
        : p.overdueRegistered(o.name, formatVnDate(o.registeredDate));
    lines.push(escapeHtml(line));
  }
  const named = Math.min(v.overdue.length, max);
  if (overdueCount > named) lines.push(p.overdueMore(fmt(overdueCount - named)));

  if (v.children.length > 0) {
    lines.push('', p.childrenHeader);
    for (const c of v.children) {
      lines.push(escapeHtml(p.child(c.name, formatRatio(c.held, c.total), formatPercent(c.held, c.total))));
    }
  }
  return lines.join('\n');
}
