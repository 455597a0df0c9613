/**
 * Meeting compliance for a scope and month (`/sinhhoat_tiendo`): who reported, who was late,
 * attendance, thematic meetings in the quarter, short meetings and upper-level attendance.
 * Also the per-branch status and aggregate arithmetic the store maintains, kept here so the
 * store and the tests add up the same way.
 */
import type { IsoDate } from '../vn.js';
import { type Quarter, quarterOf, type YearMonth } from './calendar.js';
import { isShortMeeting, isThematic, type MeetingReport, type MeetingType } from './report.js';

/** A unit's totals for one month, over the branches under it (or the branch itself). */
export interface MeetingAggregate {
  /** Branches that reported. */
  reported: number;
  /** Of those, first reported after the deadline. */
  late: number;
  /** Members present, summed. */
  present: number;
  /** Members expected (members − exempt), summed. */
  expected: number;
  /** Meetings shorter than their minimum. */
  short: number;
  /** Meetings an upper-level committee member attended. */
  upper: number;
  /** Meetings with a thematic part. */
  thematic: number;
  /** Meetings whose attendance was under the threshold in force when they were reported. */
  below: number;
}

export const AGGREGATE_FIELDS = [
  'reported',
  'late',
  'present',
  'expected',
  'short',
  'upper',
  'thematic',
  'below',
] as const satisfies readonly (keyof MeetingAggregate)[];

export function emptyAggregate(): MeetingAggregate {
  return { reported: 0, late: 0, present: 0, expected: 0, short: 0, upper: 0, thematic: 0, below: 0 };
}

/** What one branch's report for a month contributes to the summaries. */
export interface BranchMonthStatus {
  date: IsoDate;
  type: MeetingType;
  present: number;
  expected: number;
  late: boolean;
  short: boolean;
  upper: boolean;
  below: boolean;
  /** The branch's own rating, when it gave one. */
  quality?: string;
}

/** True when `present` is under `threshold` percent of `expected`; never for zero expected. */
export function isBelowThreshold(present: number, expected: number, threshold: number): boolean {
  return expected > 0 && present * 100 < threshold * expected;
}

/** A report's status; `late` is decided by the store from when it was first reported. */
export function branchStatus(report: MeetingReport, late: boolean, threshold: number): BranchMonthStatus {
  const expected = report.members - report.exempt;
  return {
    date: report.date,
    type: report.type,
    present: report.present,
    expected,
    late,
    short: isShortMeeting(report),
    upper: report.upperAttendee !== undefined,
    below: isBelowThreshold(report.present, expected, threshold),
    ...(report.quality ? { quality: report.quality } : {}),
  };
}

/** One branch's share of the aggregate. */
export function contribution(status: BranchMonthStatus): MeetingAggregate {
  return {
    reported: 1,
    late: status.late ? 1 : 0,
    present: status.present,
    expected: status.expected,
    short: status.short ? 1 : 0,
    upper: status.upper ? 1 : 0,
    thematic: isThematic(status.type) ? 1 : 0,
    below: status.below ? 1 : 0,
  };
}

/** Non-zero changes from `before` (undefined: nothing yet) to `after`, for HINCRBY. */
export function aggregateDelta(
  before: BranchMonthStatus | undefined,
  after: BranchMonthStatus | undefined,
): Partial<MeetingAggregate> {
  const b = before ? contribution(before) : emptyAggregate();
  const a = after ? contribution(after) : emptyAggregate();
  const delta: Partial<MeetingAggregate> = {};
  for (const f of AGGREGATE_FIELDS) if (a[f] !== b[f]) delta[f] = a[f] - b[f];
  return delta;
}

/** The aggregate computed from scratch, to check the maintained one. */
export function sumStatuses(statuses: Iterable<BranchMonthStatus>): MeetingAggregate {
  const total = emptyAggregate();
  for (const s of statuses) {
    const c = contribution(s);
    for (const f of AGGREGATE_FIELDS) total[f] += c[f];
  }
  return total;
}

/** A branch as the caller knows it from the organisation tree. */
export interface BranchRef {
  code: string;
  name: string;
}

export interface ComplianceInput {
  scopeName: string;
  month: YearMonth;
  /** The scope's reporting deadline for the month, shown when given. */
  deadline?: IsoDate;
  /** Attendance percentage under which a branch is listed. */
  threshold: number;
  /** Every branch in the scope, in the order lists should show them. */
  branches: readonly BranchRef[];
  /** The scope's maintained totals for the month. */
  aggregate: MeetingAggregate;
  /** Statuses of the branches that reported, for the named lists. */
  statuses: ReadonlyMap<string, BranchMonthStatus>;
  /** Branches of the scope that held a thematic meeting in the month's quarter. */
  thematicInQuarter: number;
  /** Branches with a separate chuyên đề report this month but no thường kỳ one. */
  thematicOnly?: ReadonlySet<string>;
  /** The quality ratings in force, in order (ratings outside it follow). */
  qualityScale?: readonly string[];
}

export interface BranchAttendance {
  name: string;
  present: number;
  expected: number;
}

export interface ComplianceData {
  scopeName: string;
  month: YearMonth;
  quarter: Quarter;
  deadline?: IsoDate;
  threshold: number;
  total: number;
  reported: number;
  notReported: string[];
  /** Reported only a chuyên đề sitting this month: the regular meeting is still missing. */
  onlyThematic: string[];
  late: string[];
  present: number;
  expected: number;
  belowThreshold: BranchAttendance[];
  thematicInQuarter: number;
  short: string[];
  upperAttended: number;
  /** How the branches that reported rated their meeting, scale order; `unrated` gave none. */
  quality: { ratings: { label: string; count: number }[]; unrated: number };
}

/**
 * Counts come from the maintained aggregate; names from the per-branch statuses. Attendance
 * under the threshold is judged with the threshold asked for, so a changed setting applies to
 * past months as well.
 */
export function computeCompliance(input: ComplianceInput): ComplianceData {
  const notReported: string[] = [];
  const onlyThematic: string[] = [];
  const late: string[] = [];
  const short: string[] = [];
  const belowThreshold: BranchAttendance[] = [];
  const ratings = new Map<string, number>((input.qualityScale ?? []).map((label) => [label, 0]));
  let unrated = 0;
  for (const b of input.branches) {
    const s = input.statuses.get(b.code);
    if (!s) {
      if (input.thematicOnly?.has(b.code)) onlyThematic.push(b.name);
      else notReported.push(b.name);
      continue;
    }
    if (s.quality) ratings.set(s.quality, (ratings.get(s.quality) ?? 0) + 1);
    else unrated++;
    if (s.late) late.push(b.name);
    if (s.short) short.push(b.name);
    if (isBelowThreshold(s.present, s.expected, input.threshold))
      belowThreshold.push({ name: b.name, present: s.present, expected: s.expected });
  }
  return {
    scopeName: input.scopeName,
    month: input.month,
    quarter: quarterOf(input.month),
    ...(input.deadline === undefined ? {} : { deadline: input.deadline }),
    threshold: input.threshold,
    total: input.branches.length,
    reported: input.aggregate.reported,
    notReported,
    onlyThematic,
    late,
    present: input.aggregate.present,
    expected: input.aggregate.expected,
    belowThreshold,
    thematicInQuarter: input.thematicInQuarter,
    short,
    upperAttended: input.aggregate.upper,
    quality: { ratings: [...ratings].map(([label, count]) => ({ label, count })), unrated },
  };
}
