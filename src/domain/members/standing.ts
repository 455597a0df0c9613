/**
 * Party standing (tuổi Đảng) and the Huy hiệu Đảng calendar.
 *
 * Standing counts from the admission date (`joined`), less the months of interrupted
 * membership. Periods in months and years end on the corresponding day of the last month, or on
 * that month's last day when it has no such day (the Civil Code's rule): a member admitted on
 * 29/02/1996 reaches 30 years on 28/02/2026, one admitted on 31/01 plus one month on 28/02 (29/02
 * in a leap year). A milestone is reached on `joined + (12 × years + interrupted)` months, in one
 * step, so only one end-of-month cut applies.
 *
 * Badges are presented on four occasions a year (3/2, 19/5, 2/9, 7/11). A member is due at the
 * first occasion on or after the day a milestone is reached: at an occasion O, the members whose
 * milestone day lies in (previous occasion, O].
 */
import { addDays, type IsoDate } from '../vn.js';

/** Years of standing that earn a badge. */
export const BADGE_MILESTONES = [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90] as const;
export type BadgeMilestone = (typeof BADGE_MILESTONES)[number];

/** The presentation days, as [month, day]: 3/2, 19/5, 2/9 and 7/11. */
export const BADGE_OCCASIONS: readonly (readonly [number, number])[] = [
  [2, 3],
  [5, 19],
  [9, 2],
  [11, 7],
];

/** What standing needs of a member. */
export interface StandingFacts {
  joined: IsoDate;
  interruptedMonths: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const iso = (y: number, m: number, d: number): IsoDate => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

function parts(date: IsoDate): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

/** Days in a month (1-12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * `date` plus `months` calendar months (negative goes back), on the same day of the month, or
 * the month's last day when it has no such day.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return iso(year, month, Math.min(d, daysInMonth(year, month)));
}

/** Whole months from `from` to `to`: the most `n` with `addMonths(from, n) <= to`; 0 when `to` is earlier. */
export function monthsBetween(from: IsoDate, to: IsoDate): number {
  if (to <= from) return 0;
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(to);
  const n = (ty - fy) * 12 + (tm - fm);
  // addMonths(from, n) lands in to's month, on from's day or that month's last.
  return Math.min(fd, daysInMonth(ty, tm)) > td ? n - 1 : n;
}

/** Whole months of standing on `at`: months since joining, less the interrupted ones, never below 0. */
export function standingMonths(member: StandingFacts, at: IsoDate): number {
  return Math.max(0, monthsBetween(member.joined, at) - member.interruptedMonths);
}

/** The day a member reaches `years` of standing. */
export function milestoneDate(member: StandingFacts, years: number): IsoDate {
  return addMonths(member.joined, 12 * years + member.interruptedMonths);
}

/**
 * The standing anchor: the day standing would have begun had it never been interrupted. The
 * register indexes members by it, since a milestone day is the anchor plus whole years (to
 * within the few days an end-of-month cut can move it; see `anchorRange`).
 */
export function standingAnchor(member: StandingFacts): IsoDate {
  return addMonths(member.joined, member.interruptedMonths);
}

/** True when `date` is a presentation day. */
export function isOccasion(date: IsoDate): boolean {
  const [, m, d] = parts(date);
  return BADGE_OCCASIONS.some(([om, od]) => om === m && od === d);
}

/** The first presentation day on or after `date`. */
export function occasionOnOrAfter(date: IsoDate): IsoDate {
  const [y] = parts(date);
  for (const year of [y, y + 1]) {
    for (const [m, d] of BADGE_OCCASIONS) {
      const candidate = iso(year, m, d);
      if (candidate >= date) return candidate;
    }
  }
  throw new Error(`no occasion after ${date}`); // unreachable: 3/2 of next year always follows
}

/** The presentation day before `occasion` (strictly earlier). */
export function previousOccasion(occasion: IsoDate): IsoDate {
  const [y] = parts(occasion);
  let found: IsoDate | undefined;
  for (const year of [y - 1, y]) {
    for (const [m, d] of BADGE_OCCASIONS) {
      const candidate = iso(year, m, d);
      if (candidate < occasion) found = candidate;
    }
  }
  return found as IsoDate;
}

/** The occasion at which a member is due for a milestone. */
export function dueOccasion(member: StandingFacts, years: number): IsoDate {
  return occasionOnOrAfter(milestoneDate(member, years));
}

/**
 * The milestone a member is due for at `occasion`, if any: the one whose day lies after the
 * previous occasion and on or before this one. Milestones are five years or more apart and
 * occasions months apart, so there is at most one.
 */
export function milestoneDueAt(member: StandingFacts, occasion: IsoDate): BadgeMilestone | undefined {
  return dueAt(occasion)(member);
}

/**
 * `milestoneDueAt` for one occasion and many members: the milestone reached in (previous
 * occasion, occasion] is the one whose months of standing lie above the standing on the previous
 * occasion and within the standing on this one (standing reaches 12 × N months exactly on the
 * milestone day).
 */
export function dueAt(occasion: IsoDate): (member: StandingFacts) => BadgeMilestone | undefined {
  // `monthsBetween(joined, day)` with the two days' parts worked out once: lists test
  // hundreds of thousands of members against one occasion.
  const days = [occasion, previousOccasion(occasion)].map((d) => {
    const [y, m, day] = parts(d);
    return { index: y * 12 + m, day, monthLength: daysInMonth(y, m), iso: d };
  });
  const [now, before] = days as [(typeof days)[0], (typeof days)[0]];
  const first = 12 * BADGE_MILESTONES[0];
  return (member) => {
    const [jy, jm, jd] = parts(member.joined);
    const months = (at: (typeof days)[0]) => {
      if (at.iso <= member.joined) return 0;
      const n = at.index - (jy * 12 + jm);
      return (Math.min(jd, at.monthLength) > at.day ? n - 1 : n) - member.interruptedMonths;
    };
    const reached = months(now);
    if (reached < first) return undefined;
    const earlier = months(before);
    return BADGE_MILESTONES.find((years) => earlier < 12 * years && 12 * years <= reached);
  };
}

/** How far an anchor-based window is widened so end-of-month cuts never lose a member. */
const ANCHOR_MARGIN_DAYS = 4;

/**
 * The standing anchors (inclusive, widened by a few days) of every member who may be due for
 * `years` at `occasion`. Candidates are confirmed with `milestoneDueAt`.
 */
export function anchorRange(occasion: IsoDate, years: number): { from: IsoDate; to: IsoDate } {
  const after = previousOccasion(occasion);
  return {
    from: addDays(addMonths(after, -12 * years), 1 - ANCHOR_MARGIN_DAYS),
    to: addDays(addMonths(occasion, -12 * years), ANCHOR_MARGIN_DAYS),
  };
}
