import { describe, expect, it } from 'vitest';
import { overdueBranches, type ProgressView, upcomingRange } from '../../../src/domain/congress/progress.js';
import type { Registration } from '../../../src/domain/congress/registration.js';
import type { CongressReport, ReportRecord } from '../../../src/domain/congress/report.js';
import {
  addCounters,
  type Counters,
  contribution,
  delta,
  emptyCounters,
  sumCounters,
} from '../../../src/domain/congress/stats.js';
import { msg } from '../../../src/messages/index.js';
import { renderHtml, splitMessage } from '../../support/render.js';

/** The paragraph and the /tiendo text as the catalogue words them (the latter as Telegram receives it). */
const renderResultStats = msg.congress.resultStats;
const renderProgress = (view: ProgressView) => renderHtml(msg.congress.progressText(view));

// ---------- an independent oracle: figures straight from the report list ----------

/** Half-up to two decimals, trailing zeros dropped, comma decimal: written here, not imported. */
function pct(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const hundredths = Math.floor((part * 20000 + whole) / (2 * whole));
  return `${(hundredths / 100)
    .toFixed(2)
    .replace(/\.?0+$/, '')
    .replace('.', ',')}%`;
}

function expectedParagraph(
  reports: CongressReport[],
  totalBranches: number,
  asOf: string,
  term: string,
): string {
  const sum = (f: (r: CongressReport) => number) => reports.reduce((s, r) => s + f(r), 0);
  const held = reports.length;
  const elected = sum((r) => r.elected);
  const reElected = sum((r) => r.reElected);
  const women = sum((r) => r.women);
  const young = sum((r) => r.young);
  const minority = sum((r) => r.minority);
  const headApplies = reports.filter((r) => r.secretaryIsHead !== 'khong_ap_dung').length;
  const headYes = reports.filter((r) => r.secretaryIsHead === 'co').length;
  const deputies = reports.filter((r) => r.deputy === 'co').length;
  const noDeputy = reports.filter((r) => r.format === 'bau_cu' && r.deputy === 'khong').length;
  const noElection = reports.filter((r) => r.format !== 'bau_cu').length;
  const kinds = (['ba_noi_dung', 'hai_noi_dung', 'khong_bau_cu'] as const).map(
    (f) => [f, reports.filter((r) => r.format === f).length] as const,
  );
  const kindName = { ba_noi_dung: '3 nội dung', hai_noi_dung: '2 nội dung', khong_bau_cu: 'không bầu cử' };
  const withElection = held - noElection;
  const direct = reports.filter((r) => r.secretaryDirect).length;
  const lines = [
    `Đến ngày ${asOf}, ${held}/${totalBranches} chi bộ (${pct(held, totalBranches)}) đã tổ chức xong đại hội nhiệm kỳ ${term}.`,
    `Tổng số cấp ủy viên được bầu: ${elected} đồng chí, trong đó tái cử ${reElected} đồng chí (${pct(reElected, elected)}), ` +
      `tham gia cấp ủy lần đầu ${elected - reElected} đồng chí (${pct(elected - reElected, elected)}); ` +
      `nữ ${women} đồng chí (${pct(women, elected)}); trẻ (dưới 35 tuổi) ${young} đồng chí (${pct(young, elected)})` +
      (minority > 0 ? `; dân tộc thiểu số ${minority} đồng chí (${pct(minority, elected)})` : '') +
      '.',
    `Bí thư chi bộ đồng thời là người đứng đầu cơ quan, đơn vị (trưởng thôn, tổ trưởng tổ dân phố): ${headYes}/${headApplies} đồng chí (${pct(headYes, headApplies)}).`,
  ];
  const details = [
    ...(noDeputy > 0 ? [`${noDeputy} đơn vị không bầu phó bí thư`] : []),
    ...kinds.filter(([, n]) => n > 0).map(([f, n]) => `${n} đơn vị đại hội ${kindName[f]}`),
  ];
  lines.push(
    `Tổng số phó bí thư chi bộ được bầu: ${deputies}/${held} đồng chí${details.length ? ` (${details.join(', ')})` : ''}.`,
  );
  lines.push(
    `Bí thư chi bộ do đại hội bầu trực tiếp: ${direct}/${withElection} đồng chí (${pct(direct, withElection)}).`,
  );
  return lines.join('\n');
}

// ---------- a synthetic tree: XA > DB1, DB2, DB3 > 23 branches ----------

function report(
  elected: number,
  reElected: number,
  women: number,
  young: number,
  extra: Partial<CongressReport> = {},
): CongressReport {
  return {
    date: '2022-09-01',
    format: 'bau_cu',
    summoned: 20,
    present: 18,
    elected,
    reElected,
    women,
    young,
    minority: 0,
    secretaryDirect: true,
    secretaryIsHead: 'khong_ap_dung',
    deputy: 'co',
    ...extra,
  };
}

/** 23 hand-built results that add up to the example paragraph of docs/rules.md («The statistics paragraph»). */
function exampleReports(): CongressReport[] {
  const list: CongressReport[] = [];
  for (let i = 0; i < 9; i++) list.push(report(5, 4, 1, i < 7 ? 1 : 0));
  for (let i = 0; i < 9; i++) list.push(report(2, 1, 1, 0));
  for (let i = 0; i < 2; i++) list.push(report(3, 3, 1, 0, { secretaryDirect: i === 0 }));
  list.push(report(1, 1, 0, 0, { deputy: 'khong', secretaryDirect: false }));
  list.push(report(1, 0, 0, 0, { deputy: 'khong' }));
  list.push(
    report(0, 0, 0, 0, {
      format: 'khong_bau_cu',
      deputy: 'khong_ap_dung',
      secretaryDirect: false,
      summoned: 40,
    }),
  );
  // "Người đứng đầu" applies to 10 branches, 9 of them yes.
  list.forEach((r, i) => {
    if (i < 9) r.secretaryIsHead = 'co';
    else if (i === 9) r.secretaryIsHead = 'khong';
  });
  return list;
}

interface Branch {
  code: string;
  ancestors: string[];
  record?: ReportRecord;
  registration?: Registration;
}

function tree(reports: CongressReport[]): Branch[] {
  return reports.map((r, i) => {
    const committee = `DB${(i % 3) + 1}`;
    return {
      code: `CB${String(i + 1).padStart(2, '0')}`,
      ancestors: ['XA', committee],
      record: { report: r, version: 1, savedAt: 0, savedBy: 'u1', late: false },
    };
  });
}

/** Counters of one unit, via the code under test. */
function countersOf(branches: Branch[], unit: string): Counters {
  return sumCounters(
    branches
      .filter((b) => b.ancestors.includes(unit) || b.code === unit)
      .map((b) => contribution(b.record, b.registration)),
  );
}

describe('statistics paragraph', () => {
  const reports = exampleReports();
  const branches = tree(reports);

  it('reproduces the worked example, figure for figure', () => {
    const text = renderResultStats(countersOf(branches, 'XA'), {
      asOf: '2022-09-11',
      term: '2022-2025',
      totalBranches: 23,
      youngAge: 35,
    });
    expect(text).toBe(
      [
        'Đến ngày 11/09/2022, 23/23 chi bộ (100%) đã tổ chức xong đại hội nhiệm kỳ 2022 – 2025.',
        'Tổng số cấp ủy viên được bầu: 71 đồng chí, trong đó tái cử 52 đồng chí (73,24%), tham gia cấp ủy lần đầu 19 đồng chí (26,76%); nữ 20 đồng chí (28,17%); trẻ (dưới 35 tuổi) 7 đồng chí (9,86%).',
        'Bí thư chi bộ đồng thời là người đứng đầu cơ quan, đơn vị (trưởng thôn, tổ trưởng tổ dân phố): 9/10 đồng chí (90%).',
        'Tổng số phó bí thư chi bộ được bầu: 20/23 đồng chí (2 đơn vị không bầu phó bí thư, 1 đơn vị đại hội không bầu cử).',
        'Bí thư chi bộ do đại hội bầu trực tiếp: 20/22 đồng chí (90,91%).',
      ].join('\n'),
    );
    expect(text).toBe(expectedParagraph(reports, 23, '11/09/2022', '2022 – 2025'));
  });

  it.each(['DB1', 'DB2', 'DB3'])(
    'matches figures computed straight from the reports for committee %s',
    (unit) => {
      const own = branches.filter((b) => b.ancestors.includes(unit));
      const ownReports = own.map((b) => b.record!.report);
      const text = renderResultStats(countersOf(branches, unit), {
        asOf: '2022-09-11',
        term: '2022-2025',
        totalBranches: own.length + 2,
        youngAge: 35,
      });
      expect(text).toBe(expectedParagraph(ownReports, own.length + 2, '11/09/2022', '2022 – 2025'));
    },
  );

  it('adds ethnic minority members when there are any, as a share of all elected', () => {
    const withMinority = exampleReports();
    withMinority[0]!.minority = 3;
    const text = renderResultStats(countersOf(tree(withMinority), 'XA'), {
      asOf: '2022-09-11',
      term: '2022-2025',
      totalBranches: 23,
      youngAge: 35,
    });
    expect(text).toContain('; trẻ (dưới 35 tuổi) 7 đồng chí (9,86%); dân tộc thiểu số 3 đồng chí (4,23%).');
  });

  it('says plainly when no branch has held its congress', () => {
    expect(
      renderResultStats(emptyCounters(), {
        asOf: '2025-09-01',
        term: '2025-2027',
        totalBranches: 40,
        youngAge: 35,
      }),
    ).toBe(
      'Đến ngày 01/09/2025, chưa có chi bộ nào (trong tổng số 40 chi bộ) tổ chức đại hội nhiệm kỳ 2025 – 2027.',
    );
  });

  it('writes no percentages over zero elected when every congress held no election', () => {
    const only = [
      report(0, 0, 0, 0, { format: 'khong_bau_cu', deputy: 'khong_ap_dung', secretaryDirect: false }),
    ];
    const text = renderResultStats(countersOf(tree(only), 'XA'), {
      asOf: '2025-09-01',
      term: '2025-2027',
      totalBranches: 2,
      youngAge: 35,
    });
    expect(text).toBe(
      [
        'Đến ngày 01/09/2025, 1/2 chi bộ (50%) đã tổ chức xong đại hội nhiệm kỳ 2025 – 2027.',
        'Các chi bộ đã đại hội đều không bầu cử.',
        'Tổng số phó bí thư chi bộ được bầu: 0/1 đồng chí (1 đơn vị đại hội không bầu cử).',
      ].join('\n'),
    );
  });
});

describe('congress kinds in the statistics', () => {
  const kinds = () => {
    const list = exampleReports();
    const noElection = { deputy: 'khong_ap_dung', secretaryDirect: false } as const;
    list.push(report(0, 0, 0, 0, { ...noElection, format: 'ba_noi_dung' }));
    list.push(report(0, 0, 0, 0, { ...noElection, format: 'hai_noi_dung' }));
    list.push(report(0, 0, 0, 0, { ...noElection, format: 'hai_noi_dung' }));
    return list;
  };

  it('names each kind of congress without election by its own label', () => {
    const text = renderResultStats(countersOf(tree(kinds()), 'XA'), {
      asOf: '2022-09-11',
      term: '2022-2025',
      totalBranches: 26,
      youngAge: 35,
    });
    expect(text).toContain(
      'Tổng số phó bí thư chi bộ được bầu: 20/26 đồng chí (2 đơn vị không bầu phó bí thư, 1 đơn vị đại hội 3 nội dung, 2 đơn vị đại hội 2 nội dung, 1 đơn vị đại hội không bầu cử).',
    );
    expect(text).toBe(expectedParagraph(kinds(), 26, '11/09/2022', '2022 – 2025'));
  });

  it('keeps every kind without election out of the election denominators', () => {
    const c = countersOf(tree(kinds()), 'XA');
    expect(c.noElection).toBe(4);
    expect(c.threeItems).toBe(1);
    expect(c.twoItems).toBe(2);
    const text = renderResultStats(c, {
      asOf: '2022-09-11',
      term: '2022-2025',
      totalBranches: 26,
      youngAge: 35,
    });
    // Bí thư elected directly: of the 22 congresses with an election, as before the kinds were added.
    expect(text).toContain('Bí thư chi bộ do đại hội bầu trực tiếp: 20/22 đồng chí (90,91%).');
    expect(text).toContain('Tổng số cấp ủy viên được bầu: 71 đồng chí');
  });

  it("prints the campaign's own age limit for young members", () => {
    const text = renderResultStats(countersOf(tree(exampleReports()), 'XA'), {
      asOf: '2022-09-11',
      term: '2022-2025',
      totalBranches: 23,
      youngAge: 30,
    });
    expect(text).toContain('; trẻ (dưới 30 tuổi) 7 đồng chí (9,86%).');
  });
});

describe('contributions and deltas', () => {
  const rec = (r: CongressReport, extra: Partial<ReportRecord> = {}): ReportRecord => ({
    report: r,
    version: 1,
    savedAt: 0,
    savedBy: 'u',
    late: false,
    ...extra,
  });
  const reg: Registration = { branch: 'CB1', date: '2025-09-10' };

  it('counts a registration alone as registered only', () => {
    expect(contribution(undefined, reg)).toEqual({ ...emptyCounters(), registered: 1, registeredOnly: 1 });
  });

  it('moves a branch from registered-only to held when it reports', () => {
    const d = delta(contribution(undefined, reg), contribution(rec(report(5, 3, 1, 1)), reg));
    expect(d).toEqual({
      held: 1,
      registeredOnly: -1,
      summoned: 20,
      present: 18,
      elected: 5,
      reElected: 3,
      women: 1,
      young: 1,
      secretaryDirect: 1,
      deputyElected: 1,
    });
  });

  it('keeps only what an amendment changes', () => {
    const before = contribution(rec(report(5, 3, 1, 1)), reg);
    const after = contribution(rec(report(5, 4, 1, 1, { secretaryIsHead: 'co' })), reg);
    expect(delta(before, after)).toEqual({ reElected: 1, headApplicable: 1, headYes: 1 });
    expect(addCounters(before, delta(before, after))).toEqual(after);
  });

  it('counts approval and lateness', () => {
    const c = contribution(
      rec(report(1, 0, 0, 0, { deputy: 'khong' }), { late: true, approved: { by: 'x', at: 1 } }),
      undefined,
    );
    expect(c).toMatchObject({ held: 1, approved: 1, late: 1, noDeputy: 1, deputyElected: 0, registered: 0 });
  });
});

describe('progress (/tiendo)', () => {
  const today = '2025-09-20';

  it('takes the next 7 days as today and the six days after', () => {
    expect(upcomingRange(today)).toEqual({ from: '2025-09-20', to: '2025-09-26' });
  });

  it('finds overdue branches: registered date passed, or deadline passed, without a report', () => {
    const branches = ['A', 'B', 'C', 'D'].map((c) => ({ code: c, name: `Chi bộ ${c}` }));
    const registrations = new Map([
      ['A', { date: '2025-09-19' }],
      ['B', { date: '2025-09-20' }],
      ['C', { date: '2025-09-10' }],
    ]);
    const before = overdueBranches({
      branches,
      reported: new Set(['C']),
      registrations,
      deadline: '2025-09-30',
      today,
    });
    expect(before).toEqual([{ code: 'A', name: 'Chi bộ A', registeredDate: '2025-09-19' }]);
    const after = overdueBranches({
      branches,
      reported: new Set(['C']),
      registrations,
      deadline: '2025-09-30',
      today: '2025-10-02',
    });
    expect(after.map((o) => o.code)).toEqual(['A', 'B', 'D']);
    expect(after[2]).toEqual({ code: 'D', name: 'Chi bộ D' });
  });

  it('renders held, registered, upcoming, at most 20 overdue names and one line per child unit', () => {
    const totals = { ...emptyCounters(), held: 12, registeredOnly: 9, approved: 4, late: 1 };
    const overdue = Array.from({ length: 25 }, (_, i) => ({
      name: `Chi bộ ${i + 1}`,
      ...(i === 0 ? { registeredDate: '2025-09-18' } : {}),
    }));
    const text = renderProgress({
      scopeName: 'Đảng bộ xã Tân Lập',
      term: '2025-2027',
      today,
      deadline: '2025-09-30',
      totals,
      totalBranches: 40,
      upcoming: [
        { date: '2025-09-21', time: 19 * 60 + 30, branchName: 'Chi bộ Thôn <1>' },
        { date: '2025-09-23', branchName: 'Chi bộ Trường Tiểu học' },
      ],
      overdue,
      children: [
        { name: 'Đảng bộ bộ phận 1', held: 7, total: 20 },
        { name: 'Đảng bộ bộ phận 2', held: 5, total: 20 },
      ],
    });
    const lines = text.split('\n');
    expect(lines.slice(0, 9)).toEqual([
      '<b>Tiến độ đại hội chi bộ nhiệm kỳ 2025 – 2027</b>',
      'Đảng bộ xã Tân Lập, đến ngày 20/09/2025 (hạn hoàn thành 30/09/2025)',
      'Đã đại hội: 12/40 chi bộ (30%)',
      'Đã đăng ký lịch, chưa đại hội: 9 chi bộ',
      'Chưa đăng ký lịch: 19 chi bộ',
      'Đã chuẩn y: 4/12 chi bộ đã đại hội',
      'Báo cáo sau hạn: 1 chi bộ',
      '',
      'Đại hội trong 7 ngày tới:',
    ]);
    expect(text).toContain(
      '- 19:30 ngày 21/09/2025: Chi bộ Thôn &lt;1&gt;\n- ngày 23/09/2025: Chi bộ Trường Tiểu học',
    );
    expect(text).toContain('<b>Quá hạn chưa báo cáo: 25 chi bộ</b>');
    expect(text).toContain('- Chi bộ 1 (đăng ký đại hội ngày 18/09/2025, chưa báo cáo kết quả)');
    expect(text).toContain('- Chi bộ 20\n… và 5 chi bộ khác');
    expect(text).not.toContain('Chi bộ 21');
    expect(
      text.endsWith('Theo đơn vị:\n- Đảng bộ bộ phận 1: 7/20 (35%)\n- Đảng bộ bộ phận 2: 5/20 (25%)'),
    ).toBe(true);
  });

  it('says when nothing is scheduled and leaves out empty sections', () => {
    const text = renderProgress({
      scopeName: 'Chi bộ cơ sở Công ty A',
      term: '2025-2027',
      today,
      deadline: '2025-09-30',
      totals: emptyCounters(),
      totalBranches: 1,
      upcoming: [],
      overdue: [],
      children: [],
    });
    expect(text).toContain('Không có chi bộ nào đại hội trong 7 ngày tới.');
    expect(text).toContain('<b>Quá hạn chưa báo cáo: 0 chi bộ</b>');
    expect(text).not.toContain('Theo đơn vị');
    expect(text).not.toContain('chuẩn y');
  });
});

describe('splitMessage', () => {
  it('keeps short text whole', () => {
    expect(splitMessage('một\nhai')).toEqual(['một\nhai']);
  });

  it('splits long text at line ends into chunks under the limit, losing nothing', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `- Chi bộ thôn số ${i + 1}: 3/5 (60%)`);
    const text = lines.join('\n');
    const chunks = splitMessage(text);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(4000);
    expect(chunks.join('\n')).toBe(text);
    for (const c of chunks) expect(c.split('\n').every((l) => lines.includes(l))).toBe(true);
  });

  it('cuts a single over-long line at a space', () => {
    const long = Array.from({ length: 30 }, () => 'abcdefghi').join(' ');
    const chunks = splitMessage(long, 50);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(50);
    expect(chunks.join(' ')).toBe(long);
  });
});
