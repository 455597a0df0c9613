import { describe, expect, it } from 'vitest';
import {
  blankMeetingForm,
  checkMeetingForm,
  type FieldError,
  type MeetingFlags,
  type MeetingReport,
  type MeetingReportContext,
  type MeetingValidation,
  parseAbsence,
  parseDuration,
  parseMeetingType,
  type RawMeetingReport,
  validateMeetingReport,
} from '../../../src/domain/meetings/report.js';
import { msg } from '../../../src/messages/index.js';
import { renderHtml } from '../../support/render.js';

/** The card and the error list as Telegram receives them (the catalogue words them, the renderer escapes). */
const renderMeetingCard = (report: MeetingReport, branch: string, flags: MeetingFlags) =>
  renderHtml(msg.meetings.cardText(report, branch, flags));
const renderValidationErrors = (errors: readonly DescribedError[]) =>
  renderHtml(msg.meetings.errorList(errors.map((e) => e.raw)));

/** A problem as the person reads it, with the raw error kept for rendering. */
interface DescribedError {
  field: FieldError['field'];
  message: string;
  raw: FieldError;
}

const ctx: MeetingReportContext = { today: '2025-09-10', branchSize: 27 };

const good: RawMeetingReport = {
  date: '03/09/2025',
  type: 'thường kỳ',
  duration: '95',
  members: '27',
  exempt: '2',
  present: '22',
  absentWithReason: '2 (Nguyễn Văn A - ốm; Trần Thị B - công tác)',
  absentWithoutReason: '1 (Lê Văn C)',
  content: 'Quán triệt Chỉ thị 50-CT/TW',
  upperAttendee: 'không',
};

function errorsOf(result: MeetingValidation): DescribedError[] {
  expect(result.ok).toBe(false);
  if (result.ok) return [];
  expect(result).not.toHaveProperty('report');
  return result.errors.map((e) => {
    const described = { field: e.field, message: msg.meetings.problem(e.problem) };
    // Not enumerable, so assertions compare only what the person reads.
    return Object.defineProperty(described, 'raw', { value: e, enumerable: false }) as DescribedError;
  });
}

/** Asserts the report is refused with exactly this one problem. */
function refusedWith(raw: RawMeetingReport, field: FieldError['field'], message: string, c = ctx) {
  expect(errorsOf(validateMeetingReport(raw, c))).toEqual([{ field, message }]);
}

describe('a valid report', () => {
  it('is accepted with its parsed values and no flags', () => {
    const r = validateMeetingReport(good, ctx);
    expect(r).toEqual({
      ok: true,
      flags: {},
      report: {
        month: '2025-09',
        date: '2025-09-03',
        type: 'thuong_ky',
        durationMinutes: 95,
        members: 27,
        exempt: 2,
        present: 22,
        absentWithReason: {
          count: 2,
          people: [
            { name: 'Nguyễn Văn A', reason: 'ốm' },
            { name: 'Trần Thị B', reason: 'công tác' },
          ],
        },
        absentWithoutReason: { count: 1, people: [{ name: 'Lê Văn C' }] },
        content: 'Quán triệt Chỉ thị 50-CT/TW',
      },
    });
  });

  it('keeps the upper-level attendee without a leading “đ/c”', () => {
    const r = validateMeetingReport({ ...good, upperAttendee: 'đ/c Phạm Văn D' }, ctx);
    expect(r.ok && r.report.upperAttendee).toBe('Phạm Văn D');
  });

  it('is filed under the explicit month when one is given', () => {
    const r = validateMeetingReport(good, { ...ctx, month: '2025-09' });
    expect(r.ok && r.report.month).toBe('2025-09');
  });

  it('accepts numbers written with a thousands dot', () => {
    const r = validateMeetingReport(
      {
        ...good,
        members: '1.349',
        exempt: '49',
        present: '1.297',
        absentWithReason: '2',
        absentWithoutReason: '1',
      },
      { today: '2025-09-10' },
    );
    expect(r.ok && r.report.members).toBe(1349);
    expect(r.ok && r.report.present).toBe(1297);
  });
});

describe('each rule refuses the report with a Vietnamese message', () => {
  it('a date that is not a date', () => {
    refusedWith(
      { ...good, date: '31/02/2025' },
      'date',
      'Ngày «31/02/2025» không đúng. Đồng chí ghi ngày/tháng/năm, ví dụ 03/09/2025.',
    );
  });

  it('a date in the future', () => {
    refusedWith(
      { ...good, date: '11/09/2025' },
      'date',
      'Ngày sinh hoạt 11/09/2025 chưa đến (hôm nay là 10/09/2025). Đồng chí chỉ báo cáo buổi đã họp.',
    );
  });

  it('a date outside the month reported', () => {
    refusedWith(
      { ...good, date: '29/08/2025' },
      'date',
      'Ngày sinh hoạt 29/08/2025 không thuộc tháng 09/2025 đang báo cáo. Đồng chí kiểm tra lại ngày.',
      { ...ctx, month: '2025-09' },
    );
  });

  it('an unknown meeting type', () => {
    refusedWith(
      { ...good, type: 'đột xuất' },
      'type',
      'Loại «đột xuất» không rõ. Đồng chí ghi: thường kỳ, chuyên đề, hoặc thường kỳ + chuyên đề.',
    );
  });

  it('a duration that is not a number of minutes', () => {
    refusedWith(
      { ...good, duration: 'buổi tối' },
      'duration',
      'Thời lượng «buổi tối» không rõ. Đồng chí ghi số phút, ví dụ 120.',
    );
  });

  it('a duration of zero or of more than a working day', () => {
    refusedWith(
      { ...good, duration: '0' },
      'duration',
      'Thời lượng 0 phút không hợp lý (từ 1 đến 480 phút). Đồng chí ghi số phút, ví dụ 120.',
    );
    refusedWith(
      { ...good, duration: '1930' },
      'duration',
      'Thời lượng 1.930 phút không hợp lý (từ 1 đến 480 phút). Đồng chí ghi số phút, ví dụ 120.',
    );
  });

  it('a count that is not a whole number', () => {
    refusedWith(
      { ...good, present: '22,5' },
      'present',
      'Mục «Có mặt» cần một số nguyên, ví dụ 25; đồng chí đã ghi «22,5».',
    );
  });

  it('a branch of zero members', () => {
    refusedWith(
      { ...good, members: '0', exempt: '0', present: '0', absentWithReason: '0', absentWithoutReason: '0' },
      'members',
      'Tổng số đảng viên phải lớn hơn 0.',
    );
  });

  it('more exempt members than members', () => {
    refusedWith(
      { ...good, members: '3', exempt: '5', present: '0', absentWithReason: '0', absentWithoutReason: '0' },
      'exempt',
      'Số miễn sinh hoạt (5) lớn hơn tổng số đảng viên (3).',
    );
  });

  it('present and absent that do not add up to members minus exempt, with the numbers explained', () => {
    refusedWith(
      { ...good, present: '20' },
      'present',
      'Có mặt 20 + vắng có lý do 2 + vắng không lý do 1 = 23, nhưng tổng số đảng viên 27 − miễn sinh hoạt 2 = 25. Đồng chí kiểm tra lại các số này.',
    );
  });

  it('a number of names that differs from the count (with reason)', () => {
    refusedWith(
      { ...good, absentWithReason: '2 (Nguyễn Văn A - ốm)' },
      'absentWithReason',
      'Mục «Vắng có lý do» ghi 2 người nhưng kể 1 tên. Đồng chí sửa số hoặc danh sách tên cho khớp.',
    );
  });

  it('a number of names that differs from the count (without reason)', () => {
    refusedWith(
      { ...good, absentWithoutReason: '1 (Lê Văn C; Đỗ Văn E)' },
      'absentWithoutReason',
      'Mục «Vắng không lý do» ghi 1 người nhưng kể 2 tên. Đồng chí sửa số hoặc danh sách tên cho khớp.',
    );
  });

  it('an absence that is not a count', () => {
    refusedWith(
      { ...good, absentWithoutReason: 'Lê Văn C' },
      'absentWithoutReason',
      'Mục «Vắng không lý do» cần số người vắng, có thể kèm tên trong ngoặc, ví dụ: 1 (Lê Văn C). Đồng chí đã ghi «Lê Văn C».',
    );
  });

  it('a missing field', () => {
    const { content: _, ...withoutContent } = good;
    refusedWith(withoutContent, 'content', 'Chưa điền mục «Nội dung».');
    refusedWith({ ...good, exempt: '  ' }, 'exempt', 'Chưa điền mục «Miễn sinh hoạt».');
  });

  it('content that is far too long', () => {
    refusedWith(
      { ...good, content: 'x'.repeat(1001) },
      'content',
      'Nội dung dài 1.001 ký tự; đồng chí ghi ngắn gọn, tối đa 1.000 ký tự.',
    );
  });

  it('lists every problem at once, and no sum error on top of a field that did not parse', () => {
    const errors = errorsOf(
      validateMeetingReport(
        {
          ...good,
          date: '20/09/2025',
          type: 'họp',
          present: 'hai mươi',
          absentWithoutReason: '2 (Lê Văn C)',
        },
        ctx,
      ),
    );
    expect(errors.map((e) => e.field)).toEqual(['date', 'type', 'present', 'absentWithoutReason']);
  });

  it('reports both date problems of a future date in another month', () => {
    const errors = errorsOf(
      validateMeetingReport({ ...good, date: '03/10/2025' }, { ...ctx, month: '2025-09' }),
    );
    expect(errors.map((e) => e.message)).toEqual([
      'Ngày sinh hoạt 03/10/2025 chưa đến (hôm nay là 10/09/2025). Đồng chí chỉ báo cáo buổi đã họp.',
      'Ngày sinh hoạt 03/10/2025 không thuộc tháng 09/2025 đang báo cáo. Đồng chí kiểm tra lại ngày.',
    ]);
  });
});

describe('flags: accepted, but shown', () => {
  it('a total that differs from the branch list', () => {
    const r = validateMeetingReport(good, { ...ctx, branchSize: 28 });
    expect(r.ok && r.flags).toEqual({ sizeMismatch: { reported: 27, onRecord: 28 } });
  });

  it('a regular meeting under 90 minutes (89 flagged, 90 not)', () => {
    const short = validateMeetingReport({ ...good, duration: '89' }, ctx);
    expect(short.ok && short.flags.short).toEqual({ minutes: 89, minimum: 90, combined: false });
    const enough = validateMeetingReport({ ...good, duration: '90' }, ctx);
    expect(enough.ok && enough.flags).toEqual({});
  });

  it('a thematic meeting has the same 90-minute minimum', () => {
    const r = validateMeetingReport({ ...good, type: 'chuyên đề', duration: '90' }, ctx);
    expect(r.ok && r.flags).toEqual({});
  });

  it('a combined meeting under 120 minutes (119 flagged, 120 not)', () => {
    const short = validateMeetingReport({ ...good, type: 'kết hợp', duration: '119' }, ctx);
    expect(short.ok && short.flags.short).toEqual({ minutes: 119, minimum: 120, combined: true });
    const enough = validateMeetingReport({ ...good, type: 'kết hợp', duration: '120' }, ctx);
    expect(enough.ok && enough.flags).toEqual({});
  });
});

describe('field parsers', () => {
  it('reads the meeting type in its usual spellings', () => {
    expect(parseMeetingType('Thường kỳ')).toBe('thuong_ky');
    expect(parseMeetingType('thuong ky')).toBe('thuong_ky');
    expect(parseMeetingType('CHUYÊN ĐỀ')).toBe('chuyen_de');
    for (const both of [
      'thường kỳ + chuyên đề',
      'Thường kỳ kết hợp chuyên đề',
      'kết hợp',
      'cả hai',
      'TK + CĐ',
    ])
      expect(parseMeetingType(both)).toBe('ket_hop');
    expect(parseMeetingType('ket_hop')).toBe('ket_hop');
    expect(parseMeetingType('đột xuất')).toBeUndefined();
  });

  it('reads durations in minutes or hours', () => {
    expect(parseDuration('120')).toBe(120);
    expect(parseDuration('120 phút')).toBe(120);
    expect(parseDuration('2 giờ')).toBe(120);
    expect(parseDuration('1h30')).toBe(90);
    expect(parseDuration('1 tiếng 45 phút')).toBe(105);
    expect(parseDuration('hai giờ')).toBeUndefined();
  });

  it('reads absences with or without names and reasons', () => {
    expect(parseAbsence('0')).toEqual({ count: 0, people: [] });
    expect(parseAbsence('không')).toEqual({ count: 0, people: [] });
    expect(parseAbsence('3')).toEqual({ count: 3, people: [] });
    expect(parseAbsence('2 (Nguyễn Văn A - ốm; Trần Thị B - công tác)')).toEqual({
      count: 2,
      people: [
        { name: 'Nguyễn Văn A', reason: 'ốm' },
        { name: 'Trần Thị B', reason: 'công tác' },
      ],
    });
    expect(parseAbsence('2 (Nguyễn Văn A (ốm), đ/c Trần Thị B)')).toEqual({
      count: 2,
      people: [{ name: 'Nguyễn Văn A', reason: 'ốm' }, { name: 'Trần Thị B' }],
    });
    expect(parseAbsence('1: Lê Văn C')).toEqual({ count: 1, people: [{ name: 'Lê Văn C' }] });
    expect(parseAbsence('hai người')).toBeUndefined();
  });
});

describe('the fill-in form', () => {
  const filled = [
    'Ngày: 03/09/2025',
    'Loại: thường kỳ',
    'Thời lượng (phút): 95',
    'Tổng số đảng viên: 27',
    'Miễn sinh hoạt: 2',
    'Có mặt: 22',
    'Vắng có lý do: 2 (Nguyễn Văn A - ốm; Trần Thị B - công tác)',
    'Vắng không lý do: 1 (Lê Văn C)',
    'Nội dung: Quán triệt Chỉ thị 50-CT/TW',
    'Cấp ủy cấp trên dự: không',
  ];

  it('prints the labels exactly, in order', () => {
    expect(blankMeetingForm()).toBe(
      [
        'Ngày: ',
        'Loại: ',
        'Thời lượng (phút): ',
        'Tổng số đảng viên: ',
        'Miễn sinh hoạt: ',
        'Có mặt: ',
        'Vắng có lý do: ',
        'Vắng không lý do: ',
        'Nội dung: ',
        'Cấp ủy cấp trên dự: ',
        'Xếp loại chất lượng: ',
        'Kết nạp mới: ',
        'Chuyển chính thức: ',
      ].join('\n'),
    );
  });

  it('reads the filled form like the same answers given directly', () => {
    expect(checkMeetingForm(filled.join('\n'), ctx)).toEqual(validateMeetingReport(good, ctx));
  });

  it('matches labels whatever their case, accents and order', () => {
    const shuffled = [...filled]
      .reverse()
      .map((l) => l.replace('Vắng không lý do', 'VANG KHONG LY DO').replace('Có mặt', 'co mat'));
    expect(checkMeetingForm(shuffled.join('\n'), ctx).ok).toBe(true);
  });

  it('continues the content over the lines after it', () => {
    const lines = [
      ...filled.slice(0, 8),
      'Nội dung:',
      '1. Quán triệt Chỉ thị 50',
      '2. Kết nạp đảng viên',
      filled[9],
    ];
    const r = checkMeetingForm(lines.join('\n'), ctx);
    expect(r.ok && r.report.content).toBe('1. Quán triệt Chỉ thị 50\n2. Kết nạp đảng viên');
  });

  it('refuses lines that belong to no label and labels given twice, along with the other errors', () => {
    const text = ['Báo cáo tháng 9', ...filled, 'Có mặt: 21'].join('\n');
    expect(errorsOf(checkMeetingForm(text, ctx))).toEqual([
      {
        field: 'form',
        message:
          'Dòng 1 «Báo cáo tháng 9» không thuộc mẫu báo cáo. Đồng chí giữ nguyên các nhãn của mẫu, mỗi mục một dòng.',
      },
      { field: 'present', message: 'Mục «Có mặt» được ghi nhiều lần. Đồng chí chỉ ghi mỗi mục một lần.' },
      {
        field: 'present',
        message:
          'Có mặt 21 + vắng có lý do 2 + vắng không lý do 1 = 24, nhưng tổng số đảng viên 27 − miễn sinh hoạt 2 = 25. Đồng chí kiểm tra lại các số này.',
      },
    ]);
  });
});

describe('rendering', () => {
  it('shows the confirmation card with user text escaped and the flags in italics', () => {
    const r = validateMeetingReport(
      {
        ...good,
        duration: '85',
        content: 'Bàn <script> & kế hoạch',
        upperAttendee: 'Phạm Văn D',
        absentWithoutReason: '1 (Lê <b>C</b>)',
      },
      ctx,
    );
    if (!r.ok) throw new Error('expected a valid report');
    expect(renderMeetingCard(r.report, 'Chi bộ thôn 1 & 2', r.flags)).toBe(
      [
        '<b>Báo cáo sinh hoạt chi bộ tháng 09/2025</b>',
        '<b>Chi bộ thôn 1 &amp; 2</b>',
        'Ngày: 03/09/2025',
        'Loại: thường kỳ',
        'Thời lượng: 85 phút',
        'Tổng số đảng viên: 27; miễn sinh hoạt: 2',
        'Có mặt: 22/25 (88%)',
        'Vắng có lý do: 2 (Nguyễn Văn A - ốm; Trần Thị B - công tác)',
        'Vắng không lý do: 1 (Lê &lt;b&gt;C&lt;/b&gt;)',
        'Nội dung: Bàn &lt;script&gt; &amp; kế hoạch',
        'Cấp ủy cấp trên dự: đ/c Phạm Văn D',
        '',
        '<b>Lưu ý:</b>',
        '<i>Thời lượng 85 phút, dưới mức tối thiểu 90 phút.</i>',
      ].join('\n'),
    );
  });

  it('numbers the errors and escapes what the user typed', () => {
    const errors = errorsOf(validateMeetingReport({ ...good, type: '<b>', present: '20' }, ctx));
    expect(renderValidationErrors(errors)).toBe(
      [
        'Báo cáo chưa được lưu vì còn 2 lỗi:',
        '1. Loại «&lt;b&gt;» không rõ. Đồng chí ghi: thường kỳ, chuyên đề, hoặc thường kỳ + chuyên đề.',
        '2. Có mặt 20 + vắng có lý do 2 + vắng không lý do 1 = 23, nhưng tổng số đảng viên 27 − miễn sinh hoạt 2 = 25. Đồng chí kiểm tra lại các số này.',
        'Đồng chí sửa các mục trên rồi gửi lại cả mẫu.',
      ].join('\n'),
    );
  });
});
