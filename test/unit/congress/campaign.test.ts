import { describe, expect, it } from 'vitest';
import {
  type Campaign,
  coversUnit,
  isCampaignId,
  isCampaignOpen,
  makeCampaignId,
  parseCampaignInput as parseInput,
} from '../../../src/domain/congress/campaign.js';
import {
  registrationDateError as dateError,
  parseRegistrationArgs as parseArgs,
  pilotWarning,
} from '../../../src/domain/congress/registration.js';
import type { IsoDate } from '../../../src/domain/vn.js';
import { msg } from '../../../src/messages/index.js';

// The domain gives reason codes; these read them as the person does, through the catalogue.
function parseCampaignInput(input: unknown) {
  const r = parseInput(input);
  if (r.ok) return r;
  return {
    ok: false as const,
    errors: r.errors.map((e) => ({ field: e.field, message: msg.congress.campaignProblem(e.problem) })),
  };
}
function parseRegistrationArgs(args: string) {
  const r = parseArgs(args);
  return r.ok ? r : { ok: false, message: msg.congress.registrationProblem(r.problem) };
}
function registrationDateError(c: Pick<Campaign, 'opens' | 'deadline'>, date: IsoDate, today: IsoDate) {
  const problem = dateError(c, date, today);
  return problem && msg.congress.registrationProblem(problem);
}
const formatRegistrationWhen = msg.congress.registrationWhen;
const pilotWarningText = msg.congress.pilotWarning;
const pilotLeaderNotice = msg.congress.pilotLeaderNotice;

const input = {
  name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
  term: '2025 – 2027',
  scope: 'XA',
  opens: '20/08/2025',
  deadline: '2025-09-30',
  pilots: ['CB01', 'CB01', 'CB07'],
};

const campaign: Campaign = {
  id: 'dhabc12345',
  name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
  term: '2025-2027',
  scope: 'XA',
  opens: '2025-08-20',
  deadline: '2025-09-30',
  pilots: ['CB01'],
  youngAge: 35,
  createdBy: 'u1',
  createdAt: 0,
};

describe('campaign input', () => {
  it('normalises the term and dates, removes repeated pilots, and defaults the young age to 35', () => {
    const parsed = parseCampaignInput(input);
    expect(parsed).toEqual({
      ok: true,
      value: {
        name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
        term: '2025-2027',
        scope: 'XA',
        opens: '2025-08-20',
        deadline: '2025-09-30',
        pilots: ['CB01', 'CB07'],
        youngAge: 35,
      },
    });
  });

  it('refuses a term that is not YYYY-YYYY', () => {
    expect(parseCampaignInput({ ...input, term: 'nhiệm kỳ 2025' })).toEqual({
      ok: false,
      errors: [
        { field: 'term', message: 'Nhiệm kỳ phải ghi dạng năm bắt đầu-năm kết thúc, ví dụ 2025-2027.' },
      ],
    });
  });

  it('refuses a term that ends before it starts', () => {
    expect(parseCampaignInput({ ...input, term: '2027-2025' })).toEqual({
      ok: false,
      errors: [{ field: 'term', message: 'Năm kết thúc nhiệm kỳ phải sau năm bắt đầu, ví dụ 2025-2027.' }],
    });
  });

  it('refuses a window that opens after its deadline', () => {
    expect(parseCampaignInput({ ...input, opens: '01/10/2025' })).toEqual({
      ok: false,
      errors: [
        {
          field: 'deadline',
          message:
            'Ngày bắt đầu (01/10/2025) sau hạn hoàn thành (30/09/2025). Đề nghị kiểm tra lại hai ngày này.',
        },
      ],
    });
  });

  it('names every bad field at once, in Vietnamese', () => {
    const parsed = parseCampaignInput({
      term: '2025-2027',
      scope: 'X A',
      opens: '31/02/2025',
      deadline: '',
      youngAge: 5,
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      {
        field: 'name',
        message: 'Chưa có tên đợt đại hội. Đề nghị ghi tên, ví dụ "Đại hội chi bộ nhiệm kỳ 2025 – 2027".',
      },
      {
        field: 'scope',
        message: 'Chưa có mã đơn vị tổ chức đợt đại hội (chữ, số, dấu chấm, gạch nối; không dấu cách).',
      },
      {
        field: 'opens',
        message: 'Ngày bắt đầu đại hội chưa đúng. Đề nghị ghi ngày/tháng/năm, ví dụ 20/08/2025.',
      },
      {
        field: 'deadline',
        message: 'Hạn hoàn thành đại hội chưa đúng. Đề nghị ghi ngày/tháng/năm, ví dụ 30/09/2025.',
      },
      {
        field: 'youngAge',
        message: 'Tuổi tính là cấp ủy viên trẻ phải là số nguyên từ 18 đến 60, thường là 35.',
      },
    ]);
  });

  it('refuses an unknown tracked step', () => {
    const parsed = parseCampaignInput({ ...input, trackedSteps: ['chuan_y', 'an_mung'] });
    expect(!parsed.ok && parsed.errors[0]?.field).toBe('trackedSteps');
  });
});

describe('campaign ids and status', () => {
  it('makes ids of dh + 8 base36 characters, never all digits and without ":"', () => {
    const id = makeCampaignId(new Uint8Array([0, 1, 35, 36, 71, 200, 255, 9]));
    expect(id).toBe('dh01z0zk39');
    expect(isCampaignId(id)).toBe(true);
    expect(isCampaignId('12345678')).toBe(false);
    expect(isCampaignId('dh:1234567')).toBe(false);
  });

  it('stays open until the deadline plus 30 days of grace, unless closed by hand', () => {
    expect(isCampaignOpen(campaign, '2025-10-30')).toBe(true);
    expect(isCampaignOpen(campaign, '2025-10-31')).toBe(false);
    expect(isCampaignOpen(campaign, '2025-10-01', 0)).toBe(false);
    expect(isCampaignOpen({ ...campaign, closedAt: 1 }, '2025-09-01')).toBe(false);
  });

  it('covers a unit when its scope is the unit or one of its ancestors', () => {
    expect(coversUnit(campaign, ['TINH', 'XA', 'CB03'])).toBe(true);
    expect(coversUnit(campaign, ['TINH', 'XB', 'CB03'])).toBe(false);
  });
});

describe('date registration', () => {
  it('reads "/lich" arguments with an optional time', () => {
    expect(parseRegistrationArgs('15/09/2025')).toEqual({ ok: true, date: '2025-09-15' });
    expect(parseRegistrationArgs(' 15/9/2025  19h30 ')).toEqual({ ok: true, date: '2025-09-15', time: 1170 });
    expect(parseRegistrationArgs('')).toEqual({
      ok: false,
      message: 'Đề nghị đồng chí ghi ngày đại hội theo mẫu: /lich 15/09/2025 hoặc /lich 15/09/2025 19:30',
    });
    expect(parseRegistrationArgs('15/13/2025')).toEqual({
      ok: false,
      message:
        '"15/13/2025" không phải ngày hợp lệ. Đề nghị đồng chí ghi ngày/tháng/năm, ví dụ /lich 15/09/2025',
    });
    expect(parseRegistrationArgs('15/09/2025 25:00')).toEqual({
      ok: false,
      message: '"25:00" không phải giờ hợp lệ. Đề nghị đồng chí ghi giờ như 19:30 hoặc 19h30.',
    });
  });

  it('refuses a date outside the window, naming it in dd/mm/yyyy', () => {
    expect(registrationDateError(campaign, '2025-10-01', '2025-09-01')).toBe(
      'Ngày 01/10/2025 nằm ngoài thời gian đại hội của đợt (từ 20/08/2025 đến 30/09/2025). Đề nghị đồng chí chọn ngày trong khoảng này.',
    );
    expect(registrationDateError(campaign, '2025-08-19', '2025-08-01')).toContain(
      'nằm ngoài thời gian đại hội',
    );
    expect(registrationDateError(campaign, '2025-08-20', '2025-08-01')).toBeUndefined();
    expect(registrationDateError(campaign, '2025-09-30', '2025-09-30')).toBeUndefined();
  });

  it('refuses a date already past', () => {
    expect(registrationDateError(campaign, '2025-09-01', '2025-09-05')).toBe(
      'Ngày 01/09/2025 đã qua (hôm nay là 05/09/2025). Đề nghị đồng chí đăng ký ngày từ hôm nay trở đi; nếu chi bộ đã đại hội thì đề nghị báo cáo kết quả.',
    );
  });

  it('formats the registered time the way secretaries write it', () => {
    expect(formatRegistrationWhen('2025-09-15', 1170)).toBe('19:30 ngày 15/09/2025');
    expect(formatRegistrationWhen('2025-09-15')).toBe('ngày 15/09/2025');
  });
});

describe('the pilot rule', () => {
  it('warns a non-pilot branch while its pilot has no date', () => {
    const w = pilotWarning('CB05', '2025-09-10', [{ branch: 'CB01', held: false }]);
    expect(w).toEqual({ pilot: 'CB01', reason: 'not_scheduled', pilotHeld: false });
    expect(pilotWarningText(w!, 'Chi bộ Thôn 1')).toBe(
      'Lưu ý: đại hội điểm của đảng bộ (Chi bộ Thôn 1) chưa đăng ký lịch. Theo kế hoạch, đại hội điểm tổ chức trước để rút kinh nghiệm, các chi bộ khác đại hội sau. Đề nghị đồng chí trao đổi với đồng chí cấp ủy viên phụ trách.',
    );
    expect(pilotLeaderNotice(w!, 'Chi bộ Thôn 5', '2025-09-10', 'Chi bộ Thôn 1')).toBe(
      'Chi bộ Thôn 5 đăng ký đại hội ngày 10/09/2025; đại hội điểm của đảng bộ (Chi bộ Thôn 1) chưa đăng ký lịch. Theo kế hoạch, đại hội điểm tổ chức trước. Đề nghị đồng chí trao đổi với chi bộ.',
    );
  });

  it('warns a date on or before the pilot date, and not one after it', () => {
    const pilots = [{ branch: 'CB01', held: false, date: '2025-09-10' }];
    expect(pilotWarning('CB05', '2025-09-09', pilots)?.reason).toBe('before_pilot');
    expect(pilotWarning('CB05', '2025-09-10', pilots)).toEqual({
      pilot: 'CB01',
      reason: 'before_pilot',
      pilotDate: '2025-09-10',
      pilotHeld: false,
    });
    expect(pilotWarning('CB05', '2025-09-11', pilots)).toBeUndefined();
    expect(pilotWarningText(pilotWarning('CB05', '2025-09-09', pilots)!, 'Chi bộ Thôn 1')).toContain(
      '(Chi bộ Thôn 1) dự kiến tổ chức ngày 10/09/2025;',
    );
  });

  it('never warns the pilot itself, nor anyone once every pilot is behind them', () => {
    expect(pilotWarning('CB01', '2025-08-25', [{ branch: 'CB01', held: false }])).toBeUndefined();
    expect(
      pilotWarning('CB05', '2025-09-20', [{ branch: 'CB01', held: true, date: '2025-09-01' }]),
    ).toBeUndefined();
    expect(pilotWarning('CB05', '2025-09-20', [])).toBeUndefined();
  });
});
