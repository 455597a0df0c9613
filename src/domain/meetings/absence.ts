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
  previousNames: readonly string[],
  names: readonly string[],
): AbsenceRecount {
  const changes = new Map<string, AbsenceEntry | null>();
  const current = new Map<string, string>();
  for (const name of names) {
    const key = absenceNameKey(name);
    if (key !== '') current.set(key, name);
  }
  for (const name of previousNames) {
    const key = absenceNameKey(name);
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
