/**
 * Probation (dự bị): a new member is a probationary member for 12 months from admission, after
 * which the branch considers making them a full member (chuyển chính thức). Committees watch
 * the members whose 12 months end soon and those whose end has passed without a decision.
 */
import { addDays, type IsoDate } from '../vn.js';
import { addMonths } from './standing.js';

/** Months of probation from the admission date. */
export const PROBATION_MONTHS = 12;
/** How far ahead a probation end counts as due. */
export const PROBATION_DUE_DAYS = 60;

/** The day probation ends: twelve months after admission. */
export function probationEnds(joined: IsoDate): IsoDate {
  return addMonths(joined, PROBATION_MONTHS);
}

/**
 * Where a probationary member stands on `today`: `overdue` once the 12 months have ended,
 * `due` when they end within 60 days (today included), else `running`.
 */
export function probationStatus(joined: IsoDate, today: IsoDate): 'running' | 'due' | 'overdue' {
  const ends = probationEnds(joined);
  if (ends < today) return 'overdue';
  return ends <= addDays(today, PROBATION_DUE_DAYS) ? 'due' : 'running';
}

/** The last probation end that is still due (or overdue) on `today`: today plus 60 days. */
export function probationDueUntil(today: IsoDate): IsoDate {
  return addDays(today, PROBATION_DUE_DAYS);
}
