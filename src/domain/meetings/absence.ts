/**
 * Unexcused absences across months. A member absent without reason in 3 months of one calendar
 * year is liable to be struck off (xóa tên); the bot warns the secretary at the 2nd month and
 * tells the secretary and the responsible leader at the 3rd. Names are matched within one branch
 * and one year, ignoring accents, case and spacing, since secretaries type them by hand.
 */
import { foldVietnamese } from '../vn.js';
import { type YearMonth, yearOf } from './calendar.js';

/** One member's unexcused absences in a year: the name as last written, and the months. */
export interface AbsenceEntry {
  name: string;
  /** Distinct months, sorted. */
  months: YearMonth[];
}

/** A branch's absences for one year, keyed by `absenceNameKey`. */
export type AbsenceBook = ReadonlyMap<string, AbsenceEntry>;

export interface AbsenceWarning {
  name: string;
  months: YearMonth[];
  /** `warn` at the 2nd month of the year; `strike` from the 3rd (liable to be struck off). */
  level: 'warn' | 'strike';
}

/** Months of unexcused absence in a year from which a member is liable to be struck off. */
export const STRIKE_MONTHS = 3;

/** Someone reported absent: the name as written and, once matched to the register, their id. */
export interface Absentee {
  name: string;
  memberId?: number;
}

/**
 * The book's key for an absentee: the register id when the name was matched to a member (so the
 * 3-month rule follows the person whatever spelling later months use), else the folded name.
 */
export function absenteeKey(a: string | Absentee): string {
  if (typeof a === 'string') return absenceNameKey(a);
  return a.memberId !== undefined ? `id ${a.memberId}` : absenceNameKey(a.name);
}

/** "Lê  Văn C." and "le van c" give the same key. */
export function absenceNameKey(name: string): string {
  return foldVietnamese(name)
    .replace(/[^a-z0-9 ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface AbsenceRecount {
  /** Entries to write back (`null`: the member has no absence left this year). */
  changes: Map<string, AbsenceEntry | null>;
  /** For the names in the month's report that reach 2 months or more. */
  warnings: AbsenceWarning[];
}

/**
 * Records a month's unexcused absences, replacing whatever that month said before: names that
 * an amendment dropped lose the month, and a month is never counted twice for one name.
 * `book` must be the branch's book for the month's year.
 */
export function recountAbsences(
  book: AbsenceBook,
  month: YearMonth,
  previousNames: readonly (string | Absentee)[],
  names: readonly (string | Absentee)[],
): AbsenceRecount {
  const changes = new Map<string, AbsenceEntry | null>();
  const current = new Map<string, string>();
  for (const absentee of names) {
    const key = absenteeKey(absentee);
    if (key !== '') current.set(key, typeof absentee === 'string' ? absentee : absentee.name);
  }
  for (const name of previousNames) {
    const key = absenteeKey(name);
    if (key === '' || current.has(key)) continue;
    const entry = book.get(key);
    if (!entry) continue;
    const months = entry.months.filter((m) => m !== month);
    changes.set(key, months.length > 0 ? { name: entry.name, months } : null);
  }
  const year = yearOf(month);
  const warnings: AbsenceWarning[] = [];
  for (const [key, name] of current) {
    const earlier = (book.get(key)?.months ?? []).filter((m) => m !== month && yearOf(m) === year);
    const months = [...earlier, month].sort();
    changes.set(key, { name, months });
    if (months.length >= 2)
      warnings.push({ name, months, level: months.length >= STRIKE_MONTHS ? 'strike' : 'warn' });
  }
  return { changes, warnings };
}
