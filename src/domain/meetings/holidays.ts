/**
 * Days off that move a branch meeting (docs/rules.md, «Monthly meetings»). Everything here is data that an
 * operator edits once a year when the government announces the schedule for public servants:
 * the fixed solar holidays, and per year the solar dates of Tết Nguyên đán and Giỗ Tổ Hùng Vương
 * (lunar dates, converted with the Vietnamese calendar at UTC+7, which differs from the Chinese
 * one in some years: Tết 2030 is 02/02 in Vietnam, 03/02 in China).
 *
 * The only rule kept in code is the Labour Code's "nghỉ bù" (Bộ luật Lao động 2019, Điều 111.3):
 * a holiday falling on Saturday or Sunday gives the next working day off. The Tết range is taken
 * as announced, since the government already fits it around the weekends.
 */
import { addDays, type IsoDate, weekday } from '../vn.js';

/** Solar holidays every year, as `MM-DD`: Tết Dương lịch, 30/4, 1/5, Quốc khánh 2/9. */
export const FIXED_SOLAR_HOLIDAYS: readonly string[] = ['01-01', '04-30', '05-01', '09-02'];

/** One year's movable days off. */
export interface HolidayYear {
  year: number;
  /** Mùng 1 Tết (1/1 âm lịch). */
  tetFirstDay: IsoDate;
  /** The Tết break for public servants, both ends included, weekends inside it too. */
  tet: { from: IsoDate; to: IsoDate };
  /** Giỗ Tổ Hùng Vương, 10/3 âm lịch. */
  gioTo: IsoDate;
  /** The second Quốc khánh day the government picks each year, 1/9 or 3/9. */
  nationalDayAdjacent: IsoDate;
  /** Bridge days the government grants in exchange for a Saturday (see `makeUpWorkdays`). */
  extraDaysOff: readonly IsoDate[];
  /** Saturdays worked to pay for a bridge day. */
  makeUpWorkdays: readonly IsoDate[];
}

/**
 * 2025 is as announced. 2026: the Tết break (14/02–22/02) is as announced; 1/9 is assumed for
 * Quốc khánh. 2027–2030 are estimates until announced: the Tết break copies the last year whose
 * mùng 1 fell on the same weekday (2020 for a Saturday, 2025 for a Wednesday, 2026 for a
 * Tuesday), and the Quốc khánh day is the one that joins a weekend. Replace them when the
 * government publishes each year's schedule.
 */
export const HOLIDAY_YEARS: readonly HolidayYear[] = [
  {
    year: 2025,
    tetFirstDay: '2025-01-29',
    tet: { from: '2025-01-25', to: '2025-02-02' },
    gioTo: '2025-04-07',
    nationalDayAdjacent: '2025-09-01',
    extraDaysOff: ['2025-05-02'],
    makeUpWorkdays: ['2025-04-26'],
  },
  {
    year: 2026,
    tetFirstDay: '2026-02-17',
    tet: { from: '2026-02-14', to: '2026-02-22' },
    gioTo: '2026-04-26',
    nationalDayAdjacent: '2026-09-01',
    extraDaysOff: [],
    makeUpWorkdays: [],
  },
  {
    year: 2027,
    tetFirstDay: '2027-02-06',
    tet: { from: '2027-02-04', to: '2027-02-10' },
    gioTo: '2027-04-16',
    nationalDayAdjacent: '2027-09-03',
    extraDaysOff: [],
    makeUpWorkdays: [],
  },
  {
    year: 2028,
    tetFirstDay: '2028-01-26',
    tet: { from: '2028-01-22', to: '2028-01-30' },
    gioTo: '2028-04-04',
    nationalDayAdjacent: '2028-09-01',
    extraDaysOff: [],
    makeUpWorkdays: [],
  },
  {
    year: 2029,
    tetFirstDay: '2029-02-13',
    tet: { from: '2029-02-10', to: '2029-02-18' },
    gioTo: '2029-04-23',
    nationalDayAdjacent: '2029-09-03',
    extraDaysOff: [],
    makeUpWorkdays: [],
  },
  {
    year: 2030,
    tetFirstDay: '2030-02-02',
    tet: { from: '2030-01-31', to: '2030-02-06' },
    gioTo: '2030-04-12',
    nationalDayAdjacent: '2030-09-03',
    extraDaysOff: [],
    makeUpWorkdays: [],
  },
];

/** The days off a calendar knows, ready for lookups. */
export interface HolidayCalendar {
  /** Weekdays and weekend days that are off (holidays, Tết, bridges, nghỉ bù). */
  readonly daysOff: ReadonlySet<IsoDate>;
  /** Saturdays or Sundays that are working days. */
  readonly makeUpWorkdays: ReadonlySet<IsoDate>;
  /** `MM-DD` holidays that apply in years the table does not cover. */
  readonly fixedSolar: readonly string[];
}

function isWeekend(date: IsoDate): boolean {
  const d = weekday(date);
  return d === 0 || d === 6;
}

/** Builds the lookup sets from the yearly table, adding nghỉ bù and any local days off. */
export function buildHolidayCalendar(
  years: readonly HolidayYear[] = HOLIDAY_YEARS,
  localDaysOff: readonly IsoDate[] = [],
  fixedSolar: readonly string[] = FIXED_SOLAR_HOLIDAYS,
): HolidayCalendar {
  const daysOff = new Set<IsoDate>();
  const makeUpWorkdays = new Set<IsoDate>();
  for (const y of years) {
    for (let d = y.tet.from; d <= y.tet.to; d = addDays(d, 1)) daysOff.add(d);
    for (const d of y.extraDaysOff) daysOff.add(d);
    for (const d of y.makeUpWorkdays) makeUpWorkdays.add(d);
    // Holidays that earn a nghỉ bù when they land on a weekend, taken in date order so that
    // two in a row (30/4 on Sunday, 1/5 on Monday) push the second day further.
    const legal = [...fixedSolar.map((md) => `${y.year}-${md}`), y.gioTo, y.nationalDayAdjacent].sort();
    for (const d of legal) daysOff.add(d);
    for (const d of legal) {
      if (!isWeekend(d)) continue;
      let bu = addDays(d, 1);
      while (isWeekend(bu) || daysOff.has(bu)) bu = addDays(bu, 1);
      daysOff.add(bu);
    }
  }
  for (const d of localDaysOff) daysOff.add(d);
  return { daysOff, makeUpWorkdays, fixedSolar };
}

/** The deployment's calendar: the national table, no local days. */
export const DEFAULT_HOLIDAYS: HolidayCalendar = buildHolidayCalendar();

/** The same calendar with a scope's own extra days off. */
export function withLocalDaysOff(calendar: HolidayCalendar, days: readonly IsoDate[]): HolidayCalendar {
  if (days.length === 0) return calendar;
  return { ...calendar, daysOff: new Set([...calendar.daysOff, ...days]) };
}

/** True for a holiday, a Tết day, a bridge or a nghỉ bù (not for an ordinary weekend). */
export function isHoliday(date: IsoDate, holidays: HolidayCalendar): boolean {
  return holidays.daysOff.has(date) || holidays.fixedSolar.includes(date.slice(5));
}

/** Monday to Friday and not a holiday, or a Saturday worked to pay for a bridge. */
export function isWorkingDay(date: IsoDate, holidays: HolidayCalendar): boolean {
  if (holidays.makeUpWorkdays.has(date)) return true;
  return !isWeekend(date) && !isHoliday(date, holidays);
}
