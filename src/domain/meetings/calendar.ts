/**
 * The meeting calendar: which day a branch meets in a given month, when its report is due, and
 * the month and quarter arithmetic the reports are filed under. Pure: today is passed in.
 */
import { addDays, type IsoDate } from '../vn.js';
import { type HolidayCalendar, isWorkingDay, withLocalDaysOff } from './holidays.js';
import type { MeetingSettings } from './settings.js';

/** A calendar month, `YYYY-MM`: the period a regular meeting report is filed under. */
export type YearMonth = string;
/** A calendar quarter, `YYYY-Qn`: the period a thematic meeting is counted in. */
export type Quarter = string;

const YEAR_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** True for a well-formed `YYYY-MM`. */
export function isYearMonth(text: string): boolean {
  return YEAR_MONTH.test(text);
}

/** "09/2025", "9/2025", "9-2025", "2025-09" -> "2025-09"; undefined for anything else. */
export function parseYearMonth(text: string): YearMonth | undefined {
  const t = text.trim();
  const vn = /^(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(t);
  const iso = /^(\d{4})-(\d{1,2})$/.exec(t);
  const [year, month] = vn ? [vn[2], vn[1]] : iso ? [iso[1], iso[2]] : [undefined, undefined];
  if (year === undefined || month === undefined) return undefined;
  const m = Number(month);
  if (m < 1 || m > 12) return undefined;
  return `${year}-${String(m).padStart(2, '0')}`;
}

/** "2025-09" -> "09/2025". */
export function formatYearMonth(month: YearMonth): string {
  return `${month.slice(5, 7)}/${month.slice(0, 4)}`;
}

/** The month a date falls in. */
export function monthOfDate(date: IsoDate): YearMonth {
  return date.slice(0, 7);
}

/** The year of a month, as a number. */
export function yearOf(month: YearMonth): number {
  return Number(month.slice(0, 4));
}

/** Number of days in a month (28–31). */
export function daysInMonth(month: YearMonth): number {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y ?? 0, m ?? 1, 0)).getUTCDate();
}

/** The month before. */
export function previousMonth(month: YearMonth): YearMonth {
  const y = yearOf(month);
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** "2025-08" -> "2025-Q3". */
export function quarterOf(month: YearMonth): Quarter {
  return `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;
}

/** The three months of a quarter, in order. */
export function monthsOfQuarter(quarter: Quarter): YearMonth[] {
  const y = quarter.slice(0, 4);
  const first = (Number(quarter.slice(6)) - 1) * 3 + 1;
  return [0, 1, 2].map((i) => `${y}-${String(first + i).padStart(2, '0')}`);
}

const ROMAN = ['I', 'II', 'III', 'IV'];

/** "2025-Q3" -> "quý III/2025". */
export function formatQuarter(quarter: Quarter): string {
  return `quý ${ROMAN[Number(quarter.slice(6)) - 1] ?? quarter.slice(5)}/${quarter.slice(0, 4)}`;
}

/**
 * The day the month's meeting is fixed on. The configured day is clamped to the month's end;
 * with `shiftToWorkingDay` a weekend or holiday moves it to the next working day, and when that
 * would leave the month (a meeting on the 31st that is a Sunday) it moves back to the month's
 * last working day instead, because the meeting belongs to this month's report.
 */
export function meetingDay(month: YearMonth, settings: MeetingSettings, holidays: HolidayCalendar): IsoDate {
  const day = Math.min(settings.meetingDay, daysInMonth(month));
  const fixed = `${month}-${String(day).padStart(2, '0')}`;
  if (!settings.shiftToWorkingDay) return fixed;
  const cal = withLocalDaysOff(holidays, settings.extraDaysOff);
  let d = fixed;
  while (!isWorkingDay(d, cal) && monthOfDate(d) === month) d = addDays(d, 1);
  if (monthOfDate(d) === month) return d;
  d = fixed;
  while (!isWorkingDay(d, cal) && monthOfDate(d) === month) d = addDays(d, -1);
  // A month with no working day at all cannot happen with real data; keep the fixed day then.
  return monthOfDate(d) === month ? d : fixed;
}

/** The last day a month's report is on time: the meeting day plus `reportingDays` calendar days. */
export function reportingDeadline(
  month: YearMonth,
  settings: MeetingSettings,
  holidays: HolidayCalendar,
): IsoDate {
  return addDays(meetingDay(month, settings, holidays), settings.reportingDays);
}

/**
 * The month a progress query means when none is given: this month once its meeting day has
 * come, else the month before (on the 2nd, before a meeting on the 3rd, people want last month).
 */
export function defaultProgressMonth(
  today: IsoDate,
  settings: MeetingSettings,
  holidays: HolidayCalendar,
): YearMonth {
  const month = monthOfDate(today);
  return today >= meetingDay(month, settings, holidays) ? month : previousMonth(month);
}
