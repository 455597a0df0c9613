import { describe, expect, it } from 'vitest';
import {
  type AbsenceBook,
  type AbsenceEntry,
  type AbsenceWarning,
  absenceNameKey,
  recountAbsences,
} from '../../../src/domain/meetings/absence.js';
import { yearOf } from '../../../src/domain/meetings/calendar.js';
import { msg } from '../../../src/messages/index.js';
import { renderHtml } from '../../support/render.js';

/** The warnings as Telegram receives them (worded by the catalogue, escaped by the renderer). */
const renderAbsenceWarnings = (w: readonly AbsenceWarning[], branch: string) =>
  renderHtml(msg.meetings.absenceWarnings(w, branch));
const renderStrikeNotice = (w: readonly AbsenceWarning[], branch: string) => {
  const text = msg.meetings.strikeNotice(w, branch);
  return text === undefined ? undefined : renderHtml(text);
};

/**
 * Plays months of one branch through the rule the way the store does: one book per calendar
 * year, each month's names replacing what that month said before.
 */
class Branch {
  private readonly books = new Map<number, Map<string, AbsenceEntry>>();
  private readonly reported = new Map<string, string[]>();

  report(month: string, names: string[]) {
    const year = yearOf(month);
    const book = this.books.get(year) ?? new Map<string, AbsenceEntry>();
    this.books.set(year, book);
    const r = recountAbsences(book, month, this.reported.get(month) ?? [], names);
    for (const [k, entry] of r.changes) {
      if (entry) book.set(k, entry);
      else book.delete(k);
    }
    this.reported.set(month, names);
    return r.warnings;
  }

  book(year: number): AbsenceBook {
    return this.books.get(year) ?? new Map();
  }
}

describe('matching names', () => {
  it('ignores accents, case, spacing and punctuation', () => {
    expect(absenceNameKey('Lê Văn C')).toBe('le van c');
    expect(absenceNameKey('  le  VAN c. ')).toBe('le van c');
    expect(absenceNameKey('Đỗ Thị Đào')).toBe('do thi dao');
  });
});

describe('unexcused absences within a year', () => {
  it('says nothing at the first month', () => {
    const b = new Branch();
    expect(b.report('2025-03', ['Lê Văn C'])).toEqual([]);
  });

  it('warns at the second month and gives the strike warning at the third', () => {
    const b = new Branch();
    b.report('2025-03', ['Lê Văn C']);
    b.report('2025-04', ['Trần Thị B']);
    expect(b.report('2025-05', ['le van c'])).toEqual([
      { name: 'le van c', months: ['2025-03', '2025-05'], level: 'warn' },
    ]);
    expect(b.report('2025-09', ['LÊ VĂN C', 'Trần Thị B'])).toEqual([
      { name: 'LÊ VĂN C', months: ['2025-03', '2025-05', '2025-09'], level: 'strike' },
      { name: 'Trần Thị B', months: ['2025-04', '2025-09'], level: 'warn' },
    ]);
  });

  it('does not combine December with the next January', () => {
    const b = new Branch();
    b.report('2025-11', ['Lê Văn C']);
    expect(b.report('2025-12', ['Lê Văn C'])).toEqual([
      { name: 'Lê Văn C', months: ['2025-11', '2025-12'], level: 'warn' },
    ]);
    expect(b.report('2026-01', ['Lê Văn C'])).toEqual([]);
    expect(b.book(2026).get('le van c')).toEqual({ name: 'Lê Văn C', months: ['2026-01'] });
  });

  it('never counts a month of another year, even from a book that holds one', () => {
    const book = new Map([['le van c', { name: 'Lê Văn C', months: ['2025-11', '2025-12'] }]]);
    expect(recountAbsences(book, '2026-01', [], ['Lê Văn C']).warnings).toEqual([]);
  });

  it('counts a month once when its report is amended', () => {
    const b = new Branch();
    b.report('2025-03', ['Lê Văn C']);
    b.report('2025-05', ['Lê Văn C']);
    expect(b.report('2025-05', ['Lê Văn C', 'Đỗ Văn E'])).toEqual([
      { name: 'Lê Văn C', months: ['2025-03', '2025-05'], level: 'warn' },
    ]);
    expect(b.book(2025).get('le van c')?.months).toEqual(['2025-03', '2025-05']);
  });

  it('drops the month for a name an amendment removed', () => {
    const b = new Branch();
    b.report('2025-03', ['Lê Văn C']);
    b.report('2025-05', ['Lê Văn C']);
    b.report('2025-05', []);
    expect(b.book(2025).get('le van c')?.months).toEqual(['2025-03']);
    // So September is the second month, not the third.
    expect(b.report('2025-09', ['Lê Văn C'])).toEqual([
      { name: 'Lê Văn C', months: ['2025-03', '2025-09'], level: 'warn' },
    ]);
  });

  it('forgets a name whose only month was amended away', () => {
    const b = new Branch();
    b.report('2025-03', ['Lê Văn C']);
    const r = recountAbsences(b.book(2025), '2025-03', ['Lê Văn C'], []);
    expect(r.changes.get('le van c')).toBeNull();
  });

  it('counts a name written twice in one month once', () => {
    const b = new Branch();
    b.report('2025-03', ['Lê Văn C']);
    expect(b.report('2025-04', ['Lê Văn C', 'le van c'])).toEqual([
      { name: 'le van c', months: ['2025-03', '2025-04'], level: 'warn' },
    ]);
  });
});

describe('warning messages', () => {
  it('use the charter’s wording: the branch considers proposing, nobody “is” struck off', () => {
    for (const level of ['warn', 'strike'] as const) {
      const text = renderAbsenceWarnings(
        [{ name: 'Lê Văn C', months: ['2025-03', '2025-05', '2025-09'], level }],
        'Chi bộ thôn 1',
      );
      expect(text).toContain('xem xét, đề nghị cấp có thẩm quyền xóa tên');
      expect(text).not.toContain('thuộc diện xóa tên');
    }
  });

  const warnings = [
    { name: 'Lê Văn C', months: ['2025-03', '2025-05', '2025-09'], level: 'strike' as const },
    { name: 'Trần <Thị> B', months: ['2025-04', '2025-09'], level: 'warn' as const },
  ];

  it('tells the secretary about both levels', () => {
    expect(renderAbsenceWarnings(warnings, 'Chi bộ thôn 1')).toBe(
      [
        'Đảng viên Lê Văn C (Chi bộ thôn 1) đã vắng sinh hoạt không có lý do 3 lần trong năm (tháng 3, 5 và 9 năm 2025). Theo Điều 8 Điều lệ Đảng, chi bộ xem xét, đề nghị cấp có thẩm quyền xóa tên đảng viên này khỏi danh sách đảng viên. Đề nghị đồng chí đưa ra chi bộ xem xét, báo cáo cấp ủy cấp trên.',
        'Đảng viên Trần &lt;Thị&gt; B đã vắng sinh hoạt không có lý do 2 lần trong năm (tháng 4 và 9 năm 2025). Theo Điều lệ Đảng, đảng viên bỏ sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng thì chi bộ xem xét, đề nghị cấp có thẩm quyền xóa tên. Đề nghị đồng chí gặp, nhắc nhở đảng viên này.',
      ].join('\n\n'),
    );
  });

  it('tells the leader only about members liable to be struck off', () => {
    expect(renderStrikeNotice(warnings, 'Chi bộ thôn 1')).toContain('Lê Văn C (Chi bộ thôn 1)');
    expect(renderStrikeNotice(warnings, 'Chi bộ thôn 1')).not.toContain('Trần');
    expect(renderStrikeNotice([warnings[1]!], 'Chi bộ thôn 1')).toBeUndefined();
  });
});
