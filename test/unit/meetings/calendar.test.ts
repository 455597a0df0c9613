import { describe, expect, it } from 'vitest';
import {
  defaultProgressMonth,
  formatQuarter,
  formatYearMonth,
  meetingDay,
  monthsOfQuarter,
  parseYearMonth,
  quarterOf,
  reportingDeadline,
} from '../../../src/domain/meetings/calendar.js';
import {
  buildHolidayCalendar,
  DEFAULT_HOLIDAYS,
  HOLIDAY_YEARS,
  isHoliday,
  isWorkingDay,
} from '../../../src/domain/meetings/holidays.js';
import {
  DEFAULT_MEETING_SETTINGS,
  type MeetingSettings,
  meetingSettingsSchema,
  resolveSettings,
} from '../../../src/domain/meetings/settings.js';
import { daysBetween, weekday } from '../../../src/domain/vn.js';

const on = (day: number, more: Partial<MeetingSettings> = {}): MeetingSettings => ({
  ...DEFAULT_MEETING_SETTINGS,
  meetingDay: day,
  ...more,
});

describe('meeting day', () => {
  it('moves a Saturday meeting day to Monday', () => {
    expect(weekday('2026-01-03')).toBe(6);
    expect(meetingDay('2026-01', on(3), DEFAULT_HOLIDAYS)).toBe('2026-01-05');
  });

  it('keeps a working day as it is', () => {
    expect(meetingDay('2025-09', on(3), DEFAULT_HOLIDAYS)).toBe('2025-09-03');
  });

  it('keeps the fixed day when shifting is turned off', () => {
    expect(meetingDay('2026-01', on(3, { shiftToWorkingDay: false }), DEFAULT_HOLIDAYS)).toBe('2026-01-03');
  });

  it('moves a 3rd inside Tết to the first working day after Tết', () => {
    // Tết 2030 (estimated break 31/01–06/02): the 3rd is a Sunday inside it.
    expect(meetingDay('2030-02', on(3), DEFAULT_HOLIDAYS)).toBe('2030-02-07');
    // The same rule on a calendar given explicitly, independent of the table's estimates.
    const tet = buildHolidayCalendar([
      {
        year: 2027,
        tetFirstDay: '2027-02-06',
        tet: { from: '2027-02-01', to: '2027-02-09' },
        gioTo: '2027-04-16',
        nationalDayAdjacent: '2027-09-03',
        extraDaysOff: [],
        makeUpWorkdays: [],
      },
    ]);
    expect(meetingDay('2027-02', on(3), tet)).toBe('2027-02-10');
  });

  it('moves a 1st inside the announced Tết 2025 break past it and the weekend', () => {
    // Tết 2025: 25/01–02/02; 01/02 is a Saturday inside it.
    expect(meetingDay('2025-02', on(1), DEFAULT_HOLIDAYS)).toBe('2025-02-03');
  });

  it('clamps day 31 to the end of February, in common and leap years', () => {
    expect(meetingDay('2025-02', on(31), DEFAULT_HOLIDAYS)).toBe('2025-02-28');
    expect(meetingDay('2028-02', on(31), DEFAULT_HOLIDAYS)).toBe('2028-02-29');
    expect(meetingDay('2025-02', on(29, { shiftToWorkingDay: false }), DEFAULT_HOLIDAYS)).toBe('2025-02-28');
  });

  it('moves back inside the month when the next working day is in the next month', () => {
    // 30/04/2025 and 01/05 are holidays, 02/05 a bridge, then a weekend: the 29th is kept.
    expect(meetingDay('2025-04', on(30), DEFAULT_HOLIDAYS)).toBe('2025-04-29');
    // 31/01/2025 is inside Tết, which runs to 02/02: the last working day before is Friday 24/01.
    expect(meetingDay('2025-01', on(31), DEFAULT_HOLIDAYS)).toBe('2025-01-24');
  });

  it('moves past a holiday that is followed by a weekend', () => {
    // 01/05/2026 is a Friday holiday, then Saturday and Sunday.
    expect(meetingDay('2026-05', on(1), DEFAULT_HOLIDAYS)).toBe('2026-05-04');
  });

  it('handles the year boundary both ways', () => {
    // 01/01/2027 is a Friday holiday: Monday 04/01/2027.
    expect(meetingDay('2027-01', on(1), DEFAULT_HOLIDAYS)).toBe('2027-01-04');
    // 31/12/2028 is a Sunday and 01/01/2029 a holiday: the December meeting stays in December.
    expect(meetingDay('2028-12', on(31), DEFAULT_HOLIDAYS)).toBe('2028-12-29');
    // 01/01/2028 is a Saturday, so Monday 03/01 is its nghỉ bù: the meeting moves to the 4th.
    expect(meetingDay('2028-01', on(1), DEFAULT_HOLIDAYS)).toBe('2028-01-04');
  });

  it('takes a scope’s own extra days off into account', () => {
    expect(meetingDay('2025-09', on(3, { extraDaysOff: ['2025-09-03'] }), DEFAULT_HOLIDAYS)).toBe(
      '2025-09-04',
    );
  });
});

describe('reporting deadline', () => {
  it('is the meeting day plus the configured number of days', () => {
    expect(reportingDeadline('2025-09', on(3), DEFAULT_HOLIDAYS)).toBe('2025-09-08');
    expect(reportingDeadline('2025-09', on(3, { reportingDays: 10 }), DEFAULT_HOLIDAYS)).toBe('2025-09-13');
  });

  it('counts from the shifted day and may run into the next month and year', () => {
    expect(reportingDeadline('2026-01', on(3), DEFAULT_HOLIDAYS)).toBe('2026-01-10');
    expect(reportingDeadline('2028-12', on(31), DEFAULT_HOLIDAYS)).toBe('2029-01-03');
  });
});

describe('holidays', () => {
  it('knows the fixed solar holidays, also past the table', () => {
    for (const d of ['2025-01-01', '2025-04-30', '2025-05-01', '2025-09-02', '2031-09-02'])
      expect(isHoliday(d, DEFAULT_HOLIDAYS)).toBe(true);
    expect(isHoliday('2025-09-03', DEFAULT_HOLIDAYS)).toBe(false);
  });

  it('knows Giỗ Tổ, the Quốc khánh adjacent day and the government’s bridge', () => {
    expect(isHoliday('2025-04-07', DEFAULT_HOLIDAYS)).toBe(true);
    expect(isHoliday('2025-09-01', DEFAULT_HOLIDAYS)).toBe(true);
    expect(isHoliday('2025-05-02', DEFAULT_HOLIDAYS)).toBe(true);
  });

  it('gives the next working day off for a holiday on a weekend (nghỉ bù)', () => {
    // Giỗ Tổ 2026 is Sunday 26/04: Monday 27/04 is off.
    expect(isWorkingDay('2026-04-27', DEFAULT_HOLIDAYS)).toBe(false);
    // 30/04/2028 is a Sunday and 01/05 a Monday holiday: the nghỉ bù is Tuesday 02/05.
    expect(isWorkingDay('2028-05-02', DEFAULT_HOLIDAYS)).toBe(false);
    expect(isWorkingDay('2028-05-03', DEFAULT_HOLIDAYS)).toBe(true);
  });

  it('treats a make-up Saturday as a working day and an ordinary weekend as not', () => {
    expect(isWorkingDay('2025-04-26', DEFAULT_HOLIDAYS)).toBe(true);
    expect(isWorkingDay('2025-04-19', DEFAULT_HOLIDAYS)).toBe(false);
    expect(isHoliday('2025-04-19', DEFAULT_HOLIDAYS)).toBe(false);
  });

  it('has a Tết break of about a week around mùng 1 for each year 2025–2030', () => {
    expect(HOLIDAY_YEARS.map((y) => y.year)).toEqual([2025, 2026, 2027, 2028, 2029, 2030]);
    for (const y of HOLIDAY_YEARS) {
      expect(y.tet.from <= y.tetFirstDay && y.tetFirstDay <= y.tet.to).toBe(true);
      const length = daysBetween(y.tet.from, y.tet.to) + 1;
      expect(length).toBeGreaterThanOrEqual(7);
      expect(length).toBeLessThanOrEqual(9);
      expect(y.gioTo.slice(0, 4)).toBe(String(y.year));
      expect(y.gioTo.slice(5, 7)).toBe('04');
    }
    // The announced ones.
    expect(HOLIDAY_YEARS[0]?.tet).toEqual({ from: '2025-01-25', to: '2025-02-02' });
    expect(HOLIDAY_YEARS[1]?.tet).toEqual({ from: '2026-02-14', to: '2026-02-22' });
    expect(HOLIDAY_YEARS[1]?.tetFirstDay).toBe('2026-02-17');
  });
});

describe('months and quarters', () => {
  it('reads a month as people write it', () => {
    expect(parseYearMonth('09/2025')).toBe('2025-09');
    expect(parseYearMonth('9/2025')).toBe('2025-09');
    expect(parseYearMonth('2025-09')).toBe('2025-09');
    expect(parseYearMonth('13/2025')).toBeUndefined();
    expect(parseYearMonth('tháng chín')).toBeUndefined();
    expect(formatYearMonth('2025-09')).toBe('09/2025');
  });

  it('files months under quarters', () => {
    expect(quarterOf('2025-07')).toBe('2025-Q3');
    expect(quarterOf('2025-09')).toBe('2025-Q3');
    expect(quarterOf('2025-10')).toBe('2025-Q4');
    expect(monthsOfQuarter('2025-Q1')).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(formatQuarter('2025-Q3')).toBe('quý III/2025');
  });

  it('shows last month’s progress until this month’s meeting day', () => {
    expect(defaultProgressMonth('2025-09-02', on(3), DEFAULT_HOLIDAYS)).toBe('2025-08');
    expect(defaultProgressMonth('2025-09-03', on(3), DEFAULT_HOLIDAYS)).toBe('2025-09');
    expect(defaultProgressMonth('2026-01-02', on(3), DEFAULT_HOLIDAYS)).toBe('2025-12');
  });
});

describe('settings', () => {
  it('fills defaults and refuses impossible values', () => {
    expect(meetingSettingsSchema.parse({ meetingDay: 1 })).toEqual({
      ...DEFAULT_MEETING_SETTINGS,
      meetingDay: 1,
    });
    expect(meetingSettingsSchema.safeParse({ meetingDay: 32 }).success).toBe(false);
    expect(meetingSettingsSchema.safeParse({ extraDaysOff: ['31/12/2025'] }).success).toBe(false);
  });

  it('resolves from the nearest unit in the chain that has settings', () => {
    const own = new Map([
      ['ROOT', on(1)],
      ['DB1', on(5)],
    ]);
    expect(resolveSettings(['ROOT', 'DB1', 'CB1'], own)).toEqual({ settings: on(5), unit: 'DB1' });
    expect(resolveSettings(['ROOT', 'DB2', 'CB3'], own)).toEqual({ settings: on(1), unit: 'ROOT' });
    expect(resolveSettings(['OTHER'], own)).toEqual({ settings: DEFAULT_MEETING_SETTINGS, unit: undefined });
  });
});
