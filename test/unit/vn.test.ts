import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blankForm, parseForm, parseYesNo } from '../../src/domain/form.js';
import {
  addDays,
  calendarDate,
  dayjs,
  foldVietnamese,
  formatNumber,
  formatPercent,
  formatVnDate,
  parseTimeOfDay,
  parseVnDate,
  parseWholeNumber,
} from '../../src/domain/vn.js';

describe('Vietnamese number format', () => {
  it('uses a dot for thousands and a comma for decimals', () => {
    expect(formatNumber(1349)).toBe('1.349');
    expect(formatNumber(1234567)).toBe('1.234.567');
    expect(formatNumber(76.35)).toBe('76,35');
    expect(formatNumber(0)).toBe('0');
  });
  it('rounds percentages half-up to two decimals and drops trailing zeros', () => {
    expect(formatPercent(52, 71)).toBe('73,24%');
    expect(formatPercent(19, 71)).toBe('26,76%');
    expect(formatPercent(436, 458)).toBe('95,2%');
    expect(formatPercent(6, 100)).toBe('6%');
    expect(formatPercent(23, 23)).toBe('100%');
    expect(formatPercent(1, 8)).toBe('12,5%');
    // 1/3 = 33.333… and 2/3 = 66.666…: half-up on the exact value, not on a float.
    expect(formatPercent(1, 3)).toBe('33,33%');
    expect(formatPercent(2, 3)).toBe('66,67%');
    // 0.125% exactly: half-up gives 0.13.
    expect(formatPercent(1, 800)).toBe('0,13%');
    expect(formatPercent(0, 0)).toBe('0%');
  });
  it('reads whole numbers as people write them', () => {
    expect(parseWholeNumber('1.349')).toBe(1349);
    expect(parseWholeNumber(' 27 ')).toBe(27);
    expect(parseWholeNumber('1,5')).toBeUndefined();
    expect(parseWholeNumber('-3')).toBeUndefined();
    expect(parseWholeNumber('ba')).toBeUndefined();
    expect(parseWholeNumber('12.34')).toBeUndefined();
  });
});

describe('dates and times', () => {
  it('parses dd/mm/yyyy strictly', () => {
    expect(parseVnDate('15/09/2025')).toBe('2025-09-15');
    expect(parseVnDate('5/9/2025')).toBe('2025-09-05');
    expect(parseVnDate('15-09-2025')).toBe('2025-09-15');
    expect(parseVnDate('31/02/2025')).toBeUndefined();
    expect(parseVnDate('2025-09-15')).toBeUndefined();
    expect(formatVnDate('2025-09-05')).toBe('05/09/2025');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
  });
  it('parses 19h30 and 19:30', () => {
    expect(parseTimeOfDay('19h30')).toBe(19 * 60 + 30);
    expect(parseTimeOfDay('07:05')).toBe(7 * 60 + 5);
    expect(parseTimeOfDay('8h')).toBe(8 * 60);
    expect(parseTimeOfDay('25:00')).toBeUndefined();
  });
});

describe('fill-in forms', () => {
  const fields = [
    { key: 'date', label: 'Ngày đại hội' },
    { key: 'minutes', label: 'Thời lượng (phút)' },
    { key: 'head', label: 'Bí thư là người đứng đầu' },
  ] as const;
  it('matches labels regardless of case, accents and order', () => {
    const parsed = parseForm(
      'bi thu la NGUOI dung dau: có\nngay dai hoi: 15/09/2025\nThoi luong: 95\nxin chào',
      fields,
    );
    expect(parsed.values).toEqual({ head: 'có', date: '15/09/2025', minutes: '95' });
    expect(parsed.unknownLines).toEqual([{ line: 4, text: 'xin chào' }]);
    expect(foldVietnamese('Đảng viên CÓ MẶT')).toBe('dang vien co mat');
  });
  it('prints a blank form that parses back to itself', () => {
    expect(blankForm(fields)).toBe('Ngày đại hội: \nThời lượng (phút): \nBí thư là người đứng đầu: ');
    expect(Object.keys(parseForm(blankForm(fields), fields).values)).toEqual(['date', 'minutes', 'head']);
  });
  it('reads yes, no and not applicable with or without accents', () => {
    expect(parseYesNo('Có')).toBe('co');
    expect(parseYesNo('khong')).toBe('khong');
    expect(parseYesNo('Không áp dụng')).toBe('khong_ap_dung');
    expect(parseYesNo('có lẽ')).toBeUndefined();
  });
});

describe('calendarDate kept per day', () => {
  it('agrees with dayjs for any instant, in order or not, across midnights and daylight saving', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) }), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.constantFrom('Asia/Ho_Chi_Minh', 'Europe/Berlin', 'America/New_York'),
        (instants, tz) => {
          // Neighbours of each instant too: the same day (cached) and the edges of the next.
          for (const t of instants.flatMap((x) => [x, x + 1, x + 3_600_000, x + 86_399_999])) {
            expect(calendarDate(t, tz)).toBe(dayjs(t).tz(tz).format('YYYY-MM-DD'));
          }
        },
      ),
    );
  });
});
