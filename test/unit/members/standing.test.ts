/**
 * Party standing and the Huy hiệu Đảng calendar: month arithmetic with end-of-month cuts, leap
 * days, interruptions, milestones that fall on an occasion, and members who pass several
 * milestones; then properties over random members.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  anchorRange,
  BADGE_MILESTONES,
  dueOccasion,
  isOccasion,
  milestoneDate,
  milestoneDueAt,
  monthsBetween,
  occasionOnOrAfter,
  previousOccasion,
  standingAnchor,
  standingMonths,
} from '../../../src/domain/members/standing.js';
import { addDays } from '../../../src/domain/vn.js';

const member = (joined: string, interruptedMonths = 0) => ({ joined, interruptedMonths });

describe('months', () => {
  it('adds months on the same day, or the last day of a shorter month', () => {
    expect(addMonths('2025-01-15', 1)).toBe('2025-02-15');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2025-03-31', 1)).toBe('2025-04-30');
    expect(addMonths('2025-12-20', 1)).toBe('2026-01-20');
    expect(addMonths('2026-01-20', -1)).toBe('2025-12-20');
    expect(addMonths('1996-02-29', 360)).toBe('2026-02-28');
    expect(addMonths('1996-02-29', 384)).toBe('2028-02-29');
  });

  it('counts whole months completed', () => {
    expect(monthsBetween('2025-01-31', '2025-02-27')).toBe(0);
    expect(monthsBetween('2025-01-31', '2025-02-28')).toBe(1);
    expect(monthsBetween('2025-01-15', '2025-03-14')).toBe(1);
    expect(monthsBetween('2025-01-15', '2025-03-15')).toBe(2);
    expect(monthsBetween('2025-03-15', '2025-01-15')).toBe(0);
    expect(monthsBetween('1996-02-29', '2026-02-28')).toBe(360);
  });
});

describe('standing', () => {
  it('counts from admission, less interrupted months', () => {
    expect(standingMonths(member('1990-05-10'), '2020-05-10')).toBe(360);
    expect(standingMonths(member('1990-05-10'), '2020-05-09')).toBe(359);
    expect(standingMonths(member('1990-05-10', 14), '2020-05-10')).toBe(346);
    expect(standingMonths(member('2025-05-10', 3), '2025-06-10')).toBe(0);
  });

  it('reaches a milestone later by the interrupted months', () => {
    expect(milestoneDate(member('1990-05-10'), 30)).toBe('2020-05-10');
    expect(milestoneDate(member('1990-05-10', 14), 30)).toBe('2021-07-10');
    // Interrupted 6 months: due at 2/9 instead of 3/2.
    expect(dueOccasion(member('1994-01-10'), 30)).toBe('2024-02-03');
    expect(dueOccasion(member('1994-01-10', 6), 30)).toBe('2024-09-02');
  });

  it('reaches a milestone from a leap day on 28/02, or on 29/02 in a leap year', () => {
    expect(milestoneDate(member('1996-02-29'), 30)).toBe('2026-02-28');
    expect(dueOccasion(member('1996-02-29'), 30)).toBe('2026-05-19');
    expect(milestoneDate(member('1984-02-29'), 40)).toBe('2024-02-29');
    expect(dueOccasion(member('1984-02-29'), 40)).toBe('2024-05-19');
    // 31/01 plus one interrupted month: the anchor is the end of February.
    expect(standingAnchor(member('1995-01-31', 1))).toBe('1995-02-28');
    expect(milestoneDate(member('1995-01-31', 1), 30)).toBe('2025-02-28');
  });
});

describe('occasions', () => {
  it('are 3/2, 19/5, 2/9 and 7/11', () => {
    expect(['2026-02-03', '2026-05-19', '2026-09-02', '2026-11-07'].every(isOccasion)).toBe(true);
    expect(isOccasion('2026-02-04')).toBe(false);
    expect(occasionOnOrAfter('2026-02-03')).toBe('2026-02-03');
    expect(occasionOnOrAfter('2026-02-04')).toBe('2026-05-19');
    expect(occasionOnOrAfter('2026-11-08')).toBe('2027-02-03');
    expect(previousOccasion('2026-02-03')).toBe('2025-11-07');
    expect(previousOccasion('2026-09-02')).toBe('2026-05-19');
  });

  it('makes a member due on the occasion itself when the milestone falls on it', () => {
    const m = member('1996-09-02');
    expect(milestoneDate(m, 30)).toBe('2026-09-02');
    expect(milestoneDueAt(m, '2026-09-02')).toBe(30);
    expect(milestoneDueAt(m, '2026-11-07')).toBeUndefined();
    // A day later, the next occasion.
    expect(milestoneDueAt(member('1996-09-03'), '2026-09-02')).toBeUndefined();
    expect(milestoneDueAt(member('1996-09-03'), '2026-11-07')).toBe(30);
    // The day after the previous occasion belongs to this one.
    expect(milestoneDueAt(member('1996-05-20'), '2026-09-02')).toBe(30);
    expect(milestoneDueAt(member('1996-05-19'), '2026-09-02')).toBeUndefined();
  });

  it('makes a member with a long standing due once at each milestone', () => {
    const m = member('1975-05-19');
    expect(milestoneDueAt(m, '2005-05-19')).toBe(30);
    expect(milestoneDueAt(m, '2015-05-19')).toBe(40);
    expect(milestoneDueAt(m, '2020-05-19')).toBe(45);
    expect(milestoneDueAt(m, '2025-05-19')).toBe(50);
    expect(milestoneDueAt(m, '2025-09-02')).toBeUndefined();
    expect(milestoneDueAt(m, '2020-09-02')).toBeUndefined();
    expect(milestoneDueAt(m, '2010-05-19')).toBeUndefined(); // 35 years earns no badge
  });

  it('gives the anchor range the index is read with', () => {
    // Due for 30 years at 2/9/2026: milestone day in (19/05/2026, 02/09/2026], widened by 4 days.
    expect(anchorRange('2026-09-02', 30)).toEqual({ from: '1996-05-16', to: '1996-09-06' });
  });
});

// ------------------------------------------------------------------------------------------------
// Properties

const FIRST = Date.parse('1930-02-03T00:00:00Z');
const LAST = Date.parse('2025-12-31T00:00:00Z');
const day = fc.integer({ min: 0, max: (LAST - FIRST) / 86_400_000 }).map((n) => addDays('1930-02-03', n));
/** Dates with month ends and leap days well represented, where the arithmetic can go wrong. */
const date = fc.oneof(
  day,
  fc
    .tuple(
      fc.integer({ min: 1930, max: 2025 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 0, max: 3 }),
    )
    .map(([y, m, back]) => addDays(addMonths(`${y}-${String(m).padStart(2, '0')}-01`, 1), -1 - back))
    .filter((d) => d >= '1930-02-03'),
);
const someMember = fc.record({
  joined: date,
  interruptedMonths: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 240 })),
});

describe('properties', () => {
  it('standing never decreases as time passes', () => {
    fc.assert(
      fc.property(someMember, date, fc.integer({ min: 0, max: 40_000 }), (m, d, later) => {
        expect(standingMonths(m, addDays(d, later))).toBeGreaterThanOrEqual(standingMonths(m, d));
      }),
      { numRuns: 500 },
    );
  });

  it('reaches each milestone on its day and not the day before', () => {
    fc.assert(
      fc.property(someMember, fc.constantFrom(...BADGE_MILESTONES), (m, years) => {
        const reached = milestoneDate(m, years);
        expect(standingMonths(m, reached)).toBeGreaterThanOrEqual(12 * years);
        expect(standingMonths(m, addDays(reached, -1))).toBeLessThan(12 * years);
      }),
      { numRuns: 500 },
    );
  });

  it('makes each milestone due exactly once, at its occasion', () => {
    fc.assert(
      fc.property(someMember, (m) => {
        const seen = new Map<number, string[]>();
        let occasion = occasionOnOrAfter(m.joined);
        const end = addMonths(m.joined, 12 * 91 + m.interruptedMonths + 6);
        while (occasion <= end) {
          const due = milestoneDueAt(m, occasion);
          if (due !== undefined) seen.set(due, [...(seen.get(due) ?? []), occasion]);
          occasion = occasionOnOrAfter(addDays(occasion, 1));
        }
        for (const years of BADGE_MILESTONES) expect(seen.get(years)).toEqual([dueOccasion(m, years)]);
      }),
      { numRuns: 200 },
    );
  });

  it('finds every member due in the anchor range the index is read with', () => {
    fc.assert(
      fc.property(someMember, fc.constantFrom(...BADGE_MILESTONES), (m, years) => {
        const { from, to } = anchorRange(dueOccasion(m, years), years);
        const anchor = standingAnchor(m);
        expect(anchor >= from && anchor <= to).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
