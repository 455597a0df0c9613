import { describe, expect, it } from 'vitest';
import {
  blankCongressForm,
  type CongressReport,
  parseHinhThuc,
  type ReportContext,
  type ReportFieldError,
  type ReportHint,
  type ReportValidation,
  reportAsForm,
  validateCongressReport,
} from '../../../src/domain/congress/report.js';
import { msg } from '../../../src/messages/index.js';
import { renderHtml } from '../../support/render.js';

/** The card and the problem list as Telegram receives them (the catalogue words them, the renderer escapes). */
const renderReportCard = (report: CongressReport, branch: string) =>
  renderHtml(msg.congress.reportCard(report, branch));
const renderValidationErrors = (errors: readonly ReportFieldError[], hints: readonly ReportHint[]) =>
  renderHtml(msg.congress.problemList(errors, hints));

const ctx: ReportContext = {
  campaign: { opens: '2025-08-20', deadline: '2025-09-30', youngAge: 35 },
  branchSize: 30,
  today: '2025-09-20',
};

const VALID: Record<string, string> = {
  'Ngày đại hội': '15/09/2025',
  'Hình thức': 'bầu cử',
  'Đảng viên triệu tập': '27',
  'Đảng viên có mặt': '25',
  'Cấp ủy viên được bầu': '5',
  'Tái cử': '3',
  Nữ: '1',
  Trẻ: '1',
  'Dân tộc thiểu số': '0',
  'Bí thư bầu tại đại hội': 'có',
  'Bí thư là người đứng đầu': 'không áp dụng',
  'Phó bí thư': 'có',
};

/** The valid form with some lines changed (undefined drops a line). */
function form(changes: Record<string, string | undefined> = {}): string {
  const lines = { ...VALID, ...changes };
  return Object.entries(lines)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

/** The problems as the person reads them. */
function errorsOf(result: ReportValidation): { field: string; message: string }[] {
  expect(result.ok).toBe(false);
  expect('report' in result).toBe(false);
  return result.ok
    ? []
    : result.errors.map((e) => ({ field: e.field, message: msg.congress.problem(e.problem) }));
}

/** Exactly one error, on `field`, with this message. */
function expectOnlyError(text: string, field: string, message: string, c: ReportContext = ctx) {
  const errors = errorsOf(validateCongressReport(text, c));
  expect(errors).toEqual([{ field, message }]);
}

describe('the congress result form', () => {
  it('prints the labels exactly, in order', () => {
    expect(blankCongressForm()).toBe(
      [
        'Ngày đại hội: ',
        'Hình thức: ',
        'Đảng viên triệu tập: ',
        'Đảng viên có mặt: ',
        'Cấp ủy viên được bầu: ',
        'Tái cử: ',
        'Nữ: ',
        'Trẻ: ',
        'Dân tộc thiểu số: ',
        'Bí thư bầu tại đại hội: ',
        'Bí thư là người đứng đầu: ',
        'Phó bí thư: ',
        'Ghi chú: ',
      ].join('\n'),
    );
  });

  it('accepts a correct report and returns its values', () => {
    const result = validateCongressReport(form(), ctx);
    expect(result).toEqual({
      ok: true,
      hints: [],
      warnings: [],
      report: {
        date: '2025-09-15',
        format: 'bau_cu',
        summoned: 27,
        present: 25,
        elected: 5,
        reElected: 3,
        women: 1,
        young: 1,
        minority: 0,
        secretaryDirect: true,
        secretaryIsHead: 'khong_ap_dung',
        deputy: 'co',
      },
    });
  });

  it('reads labels regardless of accents, case, spacing, order and bullets', () => {
    const text = [
      '- PHO BI THU: Có',
      'ngay dai hoi : 15/9/2025',
      'Bi thu la nguoi dung dau: KHÔNG',
      '• hinh thuc: co bau cu',
      'dang vien trieu tap: 1.349',
      'Đảng viên CÓ MẶT: 1.300',
      'cap uy vien duoc bau: 7',
      'tai cu: 4',
      'nu: 2',
      'Trẻ (dưới 35 tuổi): 1',
      'DTTS: 0',
      'bi thu bau tai dai hoi: ko',
      'Ghi chu: Đại hội điểm của xã',
    ].join('\n');
    const result = validateCongressReport(text, { ...ctx, branchSize: 1400 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.report).toMatchObject({
      date: '2025-09-15',
      format: 'bau_cu',
      summoned: 1349,
      present: 1300,
      elected: 7,
      minority: 0,
      secretaryDirect: false,
      secretaryIsHead: 'khong',
      deputy: 'co',
      note: 'Đại hội điểm của xã',
    });
  });

  it('reads Hình thức with or without accents, keeping "2 nội dung" and "3 nội dung" as given', () => {
    expect(parseHinhThuc('bầu cử')).toBe('bau_cu');
    expect(parseHinhThuc('Bau cu')).toBe('bau_cu');
    expect(parseHinhThuc('co bau cu')).toBe('bau_cu');
    expect(parseHinhThuc('KHÔNG BẦU CỬ')).toBe('khong_bau_cu');
    expect(parseHinhThuc('khong bau cu')).toBe('khong_bau_cu');
    expect(parseHinhThuc('không bầu cử (đại hội 2 nội dung)')).toBe('hai_noi_dung');
    expect(parseHinhThuc('Đại hội 3 nội dung')).toBe('ba_noi_dung');
    expect(parseHinhThuc('3 nội dung')).toBe('ba_noi_dung');
    expect(parseHinhThuc('2 noi dung')).toBe('hai_noi_dung');
    expect(parseHinhThuc('đại hội ba nội dung')).toBe('ba_noi_dung');
    expect(parseHinhThuc('4 nội dung')).toBeUndefined();
    expect(parseHinhThuc('bầu')).toBeUndefined();
  });

  it('accepts a congress without election with the election lines left out', () => {
    const text = form({
      'Hình thức': 'không bầu cử',
      'Cấp ủy viên được bầu': undefined,
      'Tái cử': undefined,
      Nữ: undefined,
      Trẻ: undefined,
      'Dân tộc thiểu số': undefined,
      'Bí thư bầu tại đại hội': undefined,
      'Phó bí thư': undefined,
      'Bí thư là người đứng đầu': 'có',
    });
    const result = validateCongressReport(text, ctx);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.report).toMatchObject({
      format: 'khong_bau_cu',
      elected: 0,
      reElected: 0,
      women: 0,
      young: 0,
      minority: 0,
      secretaryDirect: false,
      secretaryIsHead: 'co',
      deputy: 'khong_ap_dung',
    });
  });

  it('also accepts a no-election report with zeros and "không áp dụng" written out', () => {
    const text = form({
      'Hình thức': 'khong bau cu',
      'Cấp ủy viên được bầu': '0',
      'Tái cử': '0',
      Nữ: '0',
      Trẻ: '0',
      'Bí thư bầu tại đại hội': 'không',
      'Phó bí thư': 'không áp dụng',
    });
    const result = validateCongressReport(text, ctx);
    expect(result.ok && result.report.deputy).toBe('khong_ap_dung');
  });

  it('lists unknown lines and repeated labels as hints without refusing the report', () => {
    const result = validateCongressReport(`${form()}\nĐồng chí Hùng dự\nNữ: 2`, ctx);
    expect(result.ok).toBe(true);
    expect(result.hints.map(msg.congress.hint)).toEqual([
      'Dòng "Nữ" được ghi nhiều lần; đã lấy dòng ghi sau cùng.',
      'Dòng 13 "Đồng chí Hùng dự" không có trong mẫu báo cáo nên không được tính.',
    ]);
    expect(result.ok && result.report.women).toBe(2);
  });

  it('treats "-" or "không" in Ghi chú as no note', () => {
    const r1 = validateCongressReport(form({ 'Ghi chú': '-' }), ctx);
    const r2 = validateCongressReport(form({ 'Ghi chú': 'không' }), ctx);
    expect(r1.ok && r1.report.note).toBeUndefined();
    expect(r2.ok && r2.report.note).toBeUndefined();
    expect(r1.ok && r2.ok).toBe(true);
  });

  it('round-trips through reportAsForm', () => {
    const first = validateCongressReport(form({ 'Ghi chú': 'Có 2 đồng chí ốm' }), ctx);
    if (!first.ok) throw new Error('valid form refused');
    const again = validateCongressReport(reportAsForm(first.report), ctx);
    expect(again).toEqual(first);
  });
});

describe('congress result validation, rule by rule', () => {
  it('names a missing line and shows how to write it', () => {
    expectOnlyError(
      form({ 'Đảng viên có mặt': undefined }),
      'present',
      'Chưa có dòng "Đảng viên có mặt". Đề nghị đồng chí ghi thêm: Đảng viên có mặt: 25',
    );
  });

  it('treats a label with nothing after it as missing', () => {
    expectOnlyError(
      form({ 'Ngày đại hội': '' }),
      'date',
      'Chưa có dòng "Ngày đại hội". Đề nghị đồng chí ghi thêm: Ngày đại hội: 15/09/2025',
    );
  });

  it('lists every missing line of an empty message at once, in form order', () => {
    const errors = errorsOf(validateCongressReport('', ctx));
    expect(errors.map((e) => e.field)).toEqual([
      'date',
      'format',
      'summoned',
      'present',
      'elected',
      'reElected',
      'women',
      'young',
      'minority',
      'secretaryDirect',
      'secretaryIsHead',
      'deputy',
    ]);
  });

  it('refuses a date that is not dd/mm/yyyy', () => {
    expectOnlyError(
      form({ 'Ngày đại hội': '31/02/2025' }),
      'date',
      'Ngày đại hội "31/02/2025" không đúng dạng ngày/tháng/năm. Đề nghị đồng chí ghi như 15/09/2025.',
    );
  });

  it('refuses a date before the window opens, naming the window', () => {
    expectOnlyError(
      form({ 'Ngày đại hội': '19/08/2025' }),
      'date',
      'Ngày đại hội (19/08/2025) nằm ngoài thời gian đại hội của đợt (từ 20/08/2025 đến 30/09/2025). Đề nghị đồng chí kiểm tra lại ngày.',
    );
  });

  it('refuses a date after the deadline', () => {
    const later = { ...ctx, today: '2025-10-05' };
    expectOnlyError(
      form({ 'Ngày đại hội': '01/10/2025' }),
      'date',
      'Ngày đại hội (01/10/2025) nằm ngoài thời gian đại hội của đợt (từ 20/08/2025 đến 30/09/2025). Đề nghị đồng chí kiểm tra lại ngày.',
      later,
    );
  });

  it('refuses a date in the future', () => {
    expectOnlyError(
      form({ 'Ngày đại hội': '21/09/2025' }),
      'date',
      'Ngày đại hội (21/09/2025) chưa đến (hôm nay là 20/09/2025). Đồng chí báo cáo kết quả sau khi chi bộ đã đại hội; muốn đăng ký lịch thì dùng lệnh /lich.',
    );
  });

  it('accepts today as the congress date', () => {
    expect(validateCongressReport(form({ 'Ngày đại hội': '20/09/2025' }), ctx).ok).toBe(true);
  });

  it('refuses an unclear Hình thức', () => {
    expectOnlyError(
      form({ 'Hình thức': 'bầu' }),
      'format',
      'Hình thức "bầu" chưa rõ. Đề nghị đồng chí ghi "bầu cử", "3 nội dung", "2 nội dung" hoặc "không bầu cử".',
    );
  });

  it('refuses a count that is not a whole number', () => {
    expectOnlyError(
      form({ Nữ: 'một' }),
      'women',
      'Số cấp ủy viên nữ "một" không phải là số. Đề nghị đồng chí ghi số nguyên, ví dụ 27 hoặc 1.349.',
    );
  });

  it('refuses zero members summoned', () => {
    const errors = errorsOf(
      validateCongressReport(form({ 'Đảng viên triệu tập': '0', 'Đảng viên có mặt': '0' }), ctx),
    );
    expect(errors).toEqual([
      { field: 'summoned', message: 'Số đảng viên triệu tập phải lớn hơn 0. Đề nghị đồng chí kiểm tra lại.' },
      { field: 'present', message: 'Số đảng viên có mặt phải lớn hơn 0. Đề nghị đồng chí kiểm tra lại.' },
    ]);
  });

  it('refuses more members summoned than the branch has', () => {
    expectOnlyError(
      form({ 'Đảng viên triệu tập': '31', 'Đảng viên có mặt': '30' }),
      'summoned',
      'Số đảng viên triệu tập (31) lớn hơn tổng số đảng viên của chi bộ (30). Đề nghị đồng chí kiểm tra lại; số triệu tập không tính đảng viên được miễn sinh hoạt.',
    );
  });

  it('refuses more members present than summoned, in the house wording', () => {
    expectOnlyError(
      form({ 'Đảng viên có mặt': '28' }),
      'present',
      'Số đảng viên có mặt (28) lớn hơn số triệu tập (27). Đề nghị đồng chí kiểm tra lại hai số này.',
    );
  });

  it.each([
    [
      'Tái cử',
      'reElected',
      'Số cấp ủy viên tái cử (6) lớn hơn số cấp ủy viên được bầu (5). Đề nghị đồng chí kiểm tra lại.',
    ],
    [
      'Nữ',
      'women',
      'Số cấp ủy viên nữ (6) lớn hơn số cấp ủy viên được bầu (5). Đề nghị đồng chí kiểm tra lại.',
    ],
    [
      'Trẻ',
      'young',
      'Số cấp ủy viên trẻ (6) lớn hơn số cấp ủy viên được bầu (5). Đề nghị đồng chí kiểm tra lại.',
    ],
    [
      'Dân tộc thiểu số',
      'minority',
      'Số cấp ủy viên người dân tộc thiểu số (6) lớn hơn số cấp ủy viên được bầu (5). Đề nghị đồng chí kiểm tra lại.',
    ],
  ])('refuses %s greater than the number elected', (label, field, message) => {
    expectOnlyError(form({ [label]: '6' }), field, message);
  });

  it('refuses committee members elected at a congress without election', () => {
    expectOnlyError(
      form({ 'Hình thức': 'không bầu cử', 'Cấp ủy viên được bầu': '3', 'Tái cử': '0', Nữ: '0', Trẻ: '0' })
        .replace(/Bí thư bầu tại đại hội: có\n/, '')
        .replace('Phó bí thư: có', 'Phó bí thư: không áp dụng'),
      'elected',
      'Đại hội không bầu cử thì số cấp ủy viên được bầu là 0 (đồng chí ghi 3). Nếu đại hội có bầu cử, đề nghị sửa Hình thức thành "bầu cử".',
    );
  });

  it('refuses an election that elected nobody', () => {
    expectOnlyError(
      form({ 'Cấp ủy viên được bầu': '0', 'Tái cử': '0', Nữ: '0', Trẻ: '0', 'Phó bí thư': 'không' }),
      'elected',
      'Đại hội có bầu cử thì phải bầu ít nhất 1 cấp ủy viên (bí thư). Nếu đại hội không bầu cử, đề nghị sửa Hình thức thành "không bầu cử".',
    );
  });

  it('refuses a chi ủy of more than 7 in a branch of 9 members or more', () => {
    expectOnlyError(
      form({ 'Cấp ủy viên được bầu': '8' }),
      'elected',
      'Chi bộ có từ 9 đảng viên chính thức trở lên bầu chi ủy không quá 7 đồng chí; đồng chí ghi 8. Đề nghị kiểm tra lại số cấp ủy viên được bầu. (Tính theo tổng số 30 đảng viên của chi bộ, vì danh sách đơn vị chưa ghi số đảng viên chính thức; nếu chưa đúng, đề nghị báo văn phòng cấp ủy bổ sung.)',
    );
    expect(validateCongressReport(form({ 'Cấp ủy viên được bầu': '7' }), ctx).ok).toBe(true);
  });

  it('refuses more than a bí thư and a phó bí thư in a branch under 9 members', () => {
    const small = { ...ctx, branchSize: 8 };
    expectOnlyError(
      form({
        'Đảng viên triệu tập': '8',
        'Đảng viên có mặt': '8',
        'Cấp ủy viên được bầu': '3',
        'Tái cử': '1',
      }),
      'elected',
      'Chi bộ dưới 9 đảng viên chính thức không bầu chi ủy, chỉ bầu bí thư và phó bí thư nếu cần, nên số cấp ủy viên được bầu không quá 2; đồng chí ghi 3. Đề nghị kiểm tra lại. (Tính theo tổng số 8 đảng viên của chi bộ, vì danh sách đơn vị chưa ghi số đảng viên chính thức; nếu chưa đúng, đề nghị báo văn phòng cấp ủy bổ sung.)',
      small,
    );
  });

  it('refuses an unclear yes/no answer', () => {
    expectOnlyError(
      form({ 'Bí thư bầu tại đại hội': 'chưa' }),
      'secretaryDirect',
      '"Bí thư bầu tại đại hội" ghi "chưa" chưa rõ. Đề nghị đồng chí ghi "có" hoặc "không".',
    );
  });

  it('refuses an unclear "người đứng đầu" answer, offering "không áp dụng"', () => {
    expectOnlyError(
      form({ 'Bí thư là người đứng đầu': 'trưởng thôn' }),
      'secretaryIsHead',
      '"Bí thư là người đứng đầu" ghi "trưởng thôn" chưa rõ. Đề nghị đồng chí ghi "có", "không" hoặc "không áp dụng".',
    );
  });

  it('refuses a bí thư elected by a congress without election', () => {
    expectOnlyError(
      form({
        'Hình thức': 'không bầu cử',
        'Cấp ủy viên được bầu': '0',
        'Tái cử': '0',
        Nữ: '0',
        Trẻ: '0',
        'Phó bí thư': 'không áp dụng',
      }),
      'secretaryDirect',
      'Đại hội không bầu cử thì bí thư không do đại hội bầu. Đề nghị đồng chí ghi "Bí thư bầu tại đại hội: không", hoặc sửa Hình thức thành "bầu cử".',
    );
  });

  it('refuses a phó bí thư elected by a congress without election', () => {
    expectOnlyError(
      form({
        'Hình thức': 'không bầu cử',
        'Cấp ủy viên được bầu': '0',
        'Tái cử': '0',
        Nữ: '0',
        Trẻ: '0',
        'Bí thư bầu tại đại hội': 'không',
      }),
      'deputy',
      'Đại hội không bầu cử thì không bầu phó bí thư. Đề nghị đồng chí ghi "Phó bí thư: không áp dụng", hoặc sửa Hình thức thành "bầu cử".',
    );
  });

  it('refuses "không áp dụng" for phó bí thư when there was an election', () => {
    expectOnlyError(
      form({ 'Phó bí thư': 'không áp dụng' }),
      'deputy',
      '"Phó bí thư" ghi "không áp dụng" chưa rõ. Đề nghị đồng chí ghi "có" hoặc "không".',
    );
  });

  it('refuses a phó bí thư when only one committee member was elected', () => {
    expectOnlyError(
      form({ 'Cấp ủy viên được bầu': '1', 'Tái cử': '1', Nữ: '0', Trẻ: '0' }),
      'deputy',
      'Có bầu phó bí thư thì số cấp ủy viên được bầu phải từ 2 trở lên (bí thư và phó bí thư); đồng chí ghi 1. Đề nghị kiểm tra lại một trong hai dòng.',
    );
  });

  it('refuses two elected in a small branch without a phó bí thư', () => {
    expectOnlyError(
      form({
        'Đảng viên triệu tập': '7',
        'Đảng viên có mặt': '7',
        'Cấp ủy viên được bầu': '2',
        'Tái cử': '1',
        'Phó bí thư': 'không',
      }),
      'deputy',
      'Chi bộ dưới 9 đảng viên chính thức bầu 2 đồng chí thì đó là bí thư và phó bí thư. Đề nghị đồng chí ghi "Phó bí thư: có", hoặc sửa số cấp ủy viên được bầu. (Tính theo tổng số 7 đảng viên của chi bộ, vì danh sách đơn vị chưa ghi số đảng viên chính thức; nếu chưa đúng, đề nghị báo văn phòng cấp ủy bổ sung.)',
      { ...ctx, branchSize: 7 },
    );
  });

  it('counts đảng viên chính thức for the 9-member rule when known, and says which number it used', () => {
    // 30 members but only 8 official (from the unit list): a small branch, at most 2 elected.
    const fromList = { ...ctx, fullMembers: { count: 8, source: 'unitList' as const } };
    expectOnlyError(
      form({ 'Cấp ủy viên được bầu': '5' }),
      'elected',
      'Chi bộ dưới 9 đảng viên chính thức không bầu chi ủy, chỉ bầu bí thư và phó bí thư nếu cần, nên số cấp ủy viên được bầu không quá 2; đồng chí ghi 5. Đề nghị kiểm tra lại. (Tính theo 8 đảng viên chính thức ghi trong danh sách đơn vị.)',
      fromList,
    );
    // 8 members in all but 9 official in the register is impossible; 12 of 30 in the register: a chi ủy.
    const fromRegister = { ...ctx, fullMembers: { count: 12, source: 'register' as const } };
    expect(validateCongressReport(form({ 'Cấp ủy viên được bầu': '5' }), fromRegister).ok).toBe(true);
    expectOnlyError(
      form({ 'Cấp ủy viên được bầu': '8' }),
      'elected',
      'Chi bộ có từ 9 đảng viên chính thức trở lên bầu chi ủy không quá 7 đồng chí; đồng chí ghi 8. Đề nghị kiểm tra lại số cấp ủy viên được bầu. (Tính theo 12 đảng viên chính thức trong danh sách đảng viên của chi bộ.)',
      fromRegister,
    );
  });

  it('refuses a note over 500 characters', () => {
    expectOnlyError(
      form({ 'Ghi chú': 'x'.repeat(501) }),
      'note',
      'Ghi chú dài quá 500 ký tự. Đề nghị đồng chí ghi ngắn lại.',
    );
  });

  it('lists several problems at once, in form order', () => {
    const errors = errorsOf(
      validateCongressReport(
        form({ 'Ngày đại hội': '01/01/2025', 'Đảng viên có mặt': '28', Nữ: '9', 'Phó bí thư': 'chắc có' }),
        ctx,
      ),
    );
    expect(errors.map((e) => e.field)).toEqual(['date', 'present', 'women', 'deputy']);
    expect(errors[1]?.message).toContain('Số đảng viên có mặt (28) lớn hơn số triệu tập (27).');
  });
});

describe('the confirmation card', () => {
  const report: CongressReport = {
    date: '2025-09-15',
    format: 'bau_cu',
    summoned: 27,
    present: 25,
    elected: 5,
    reElected: 3,
    women: 1,
    young: 1,
    minority: 0,
    secretaryDirect: true,
    secretaryIsHead: 'khong_ap_dung',
    deputy: 'co',
    note: 'Đ/c <Hùng> & đ/c Lan vắng',
  };

  it('shows every figure on short lines, with first-time members worked out', () => {
    expect(renderReportCard(report, 'Chi bộ Thôn 1')).toBe(
      [
        '<b>Kết quả đại hội — Chi bộ Thôn 1</b>',
        'Ngày đại hội: 15/09/2025 (bầu cử)',
        'Đảng viên: triệu tập 27, có mặt 25',
        'Cấp ủy viên được bầu: 5 (tái cử 3, lần đầu 2)',
        'Trong đó: nữ 1, trẻ 1, dân tộc thiểu số 0',
        'Bí thư bầu tại đại hội: có',
        'Bí thư là người đứng đầu: không áp dụng',
        'Phó bí thư: có',
        'Ghi chú: <i>Đ/c &lt;Hùng&gt; &amp; đ/c Lan vắng</i>',
      ].join('\n'),
    );
  });

  it('leaves out the election lines for a congress without election and escapes the branch name', () => {
    const card = renderReportCard(
      {
        ...report,
        format: 'khong_bau_cu',
        elected: 0,
        reElected: 0,
        women: 0,
        young: 0,
        secretaryDirect: false,
        secretaryIsHead: 'co',
        deputy: 'khong_ap_dung',
        note: undefined,
      },
      'Chi bộ A&B',
    );
    expect(card).toBe(
      [
        '<b>Kết quả đại hội — Chi bộ A&amp;B</b>',
        'Ngày đại hội: 15/09/2025 (không bầu cử)',
        'Đảng viên: triệu tập 27, có mặt 25',
        'Bí thư là người đứng đầu: có',
      ].join('\n'),
    );
  });

  it('numbers the errors and escapes what the user typed', () => {
    const result = validateCongressReport(
      form({ Nữ: '<b>', 'Đảng viên có mặt': '28' }) + '\nxin <cảm ơn>',
      ctx,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(renderValidationErrors(result.errors, result.hints)).toBe(
      [
        'Báo cáo chưa được lưu. Đề nghị đồng chí sửa các điểm sau:',
        '1. Số đảng viên có mặt (28) lớn hơn số triệu tập (27). Đề nghị đồng chí kiểm tra lại hai số này.',
        '2. Số cấp ủy viên nữ "&lt;b&gt;" không phải là số. Đề nghị đồng chí ghi số nguyên, ví dụ 27 hoặc 1.349.',
        '',
        'Lưu ý:',
        '- Dòng 13 "xin &lt;cảm ơn&gt;" không có trong mẫu báo cáo nên không được tính.',
      ].join('\n'),
    );
  });
});

describe('warnings that do not stop a report (the office decides)', () => {
  const warningsOf = (text: string, c: ReportContext = ctx) => {
    const v = validateCongressReport(text, c);
    expect(v.ok).toBe(true);
    return v.ok ? (v.warnings ?? []) : [];
  };

  it('warns when fewer than 2/3 of those summoned are present, naming 2/3 and both numbers', () => {
    const w = warningsOf(form({ 'Đảng viên triệu tập': '10', 'Đảng viên có mặt': '3' }));
    expect(w).toEqual([{ code: 'quorum', present: 3, summoned: 10, needed: 7 }]);
    const text = msg.congress.warningList(w);
    expect(text).toContain('2/3');
    expect(text).toContain('(3)');
    expect(text).toContain('(10)');
    expect(text).toContain('cần ít nhất 7 đồng chí');
  });

  it('takes exactly 2/3 present as a quorum', () => {
    expect(warningsOf(form({ 'Đảng viên triệu tập': '9', 'Đảng viên có mặt': '6' }))).toEqual([]);
    expect(warningsOf(form({ 'Đảng viên triệu tập': '9', 'Đảng viên có mặt': '5' }))).toHaveLength(1);
    expect(warningsOf(form({ 'Đảng viên triệu tập': '10', 'Đảng viên có mặt': '7' }))).toEqual([]);
  });

  it('warns when «Không áp dụng» contradicts the unit list, and the other way round', () => {
    const applies = { ...ctx, headApplies: true };
    expect(warningsOf(form({ 'Bí thư là người đứng đầu': 'không áp dụng' }), applies)).toEqual([
      { code: 'headContradicts', answer: 'khong_ap_dung', applies: true },
    ]);
    expect(warningsOf(form({ 'Bí thư là người đứng đầu': 'có' }), applies)).toEqual([]);
    const notApplies = { ...ctx, headApplies: false };
    const w = warningsOf(form({ 'Bí thư là người đứng đầu': 'không' }), notApplies);
    expect(w).toEqual([{ code: 'headContradicts', answer: 'khong', applies: false }]);
    expect(msg.congress.warningList(w)).toContain('không áp dụng cho chi bộ này');
    expect(warningsOf(form({ 'Bí thư là người đứng đầu': 'không áp dụng' }), notApplies)).toEqual([]);
  });
});
