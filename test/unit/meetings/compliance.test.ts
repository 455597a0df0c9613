import { describe, expect, it } from 'vitest';
import {
  aggregateDelta,
  type BranchMonthStatus,
  type BranchRef,
  branchStatus,
  type ComplianceData,
  computeCompliance,
  isBelowThreshold,
  sumStatuses,
} from '../../../src/domain/meetings/compliance.js';
import type { MeetingReport } from '../../../src/domain/meetings/report.js';
import { msg } from '../../../src/messages/index.js';
import { renderHtml } from '../../support/render.js';

/** The summary as Telegram receives it (worded by the catalogue, escaped by the renderer). */
const renderCompliance = (data: ComplianceData, listLimit?: number) =>
  renderHtml(msg.meetings.complianceText(data, listLimit));

function status(over: Partial<BranchMonthStatus> = {}): BranchMonthStatus {
  return {
    date: '2025-09-03',
    type: 'thuong_ky',
    present: 20,
    expected: 20,
    late: false,
    short: false,
    upper: false,
    below: false,
    ...over,
  };
}

const report: MeetingReport = {
  month: '2025-09',
  date: '2025-09-03',
  type: 'ket_hop',
  durationMinutes: 100,
  members: 27,
  exempt: 2,
  present: 19,
  absentWithReason: { count: 5, people: [] },
  absentWithoutReason: { count: 1, people: [] },
  content: 'Chuyên đề học tập và làm theo tư tưởng Hồ Chí Minh',
  upperAttendee: 'Phạm Văn D',
};

describe('per-branch status and aggregate arithmetic', () => {
  it('derives a status from a report', () => {
    expect(branchStatus(report, true, 80)).toEqual({
      date: '2025-09-03',
      type: 'ket_hop',
      present: 19,
      expected: 25,
      late: true,
      short: true,
      upper: true,
      below: true,
    });
  });

  it('judges attendance against the threshold exactly, never below for nobody expected', () => {
    expect(isBelowThreshold(20, 25, 80)).toBe(false);
    expect(isBelowThreshold(19, 25, 80)).toBe(true);
    expect(isBelowThreshold(0, 0, 80)).toBe(false);
  });

  it('gives only the fields that change as deltas', () => {
    expect(aggregateDelta(undefined, status())).toEqual({ reported: 1, present: 20, expected: 20 });
    expect(aggregateDelta(status(), status({ present: 18, type: 'chuyen_de', below: false }))).toEqual({
      present: -2,
      thematic: 1,
    });
    expect(aggregateDelta(status({ upper: true }), undefined)).toEqual({
      reported: -1,
      present: -20,
      expected: -20,
      upper: -1,
    });
  });

  it('sums statuses from scratch', () => {
    expect(
      sumStatuses([status(), status({ late: true, type: 'ket_hop', present: 15, below: true })]),
    ).toEqual({
      reported: 2,
      late: 1,
      present: 35,
      expected: 40,
      short: 0,
      upper: 0,
      thematic: 1,
      below: 1,
    });
  });
});

describe('compliance for a scope', () => {
  const branches: BranchRef[] = [
    { code: 'CB1', name: 'Chi bộ thôn 1' },
    { code: 'CB2', name: 'Chi bộ thôn 2' },
    { code: 'CB3', name: 'Chi bộ thôn <3>' },
    { code: 'CB4', name: 'Chi bộ trường học' },
  ];
  const statuses = new Map([
    ['CB1', status({ present: 10, expected: 10, upper: true })],
    ['CB2', status({ present: 7, expected: 10, late: true, short: true, type: 'chuyen_de' })],
    ['CB4', status({ present: 5, expected: 5 })],
  ]);
  const data = computeCompliance({
    scopeName: 'Đảng bộ xã Tân Lập',
    month: '2025-09',
    deadline: '2025-09-08',
    threshold: 80,
    branches,
    aggregate: { ...sumStatuses(statuses.values()) },
    statuses,
    thematicInQuarter: 2,
  });

  it('names who has not reported, who was late, low attendance and short meetings', () => {
    expect(data).toEqual({
      scopeName: 'Đảng bộ xã Tân Lập',
      month: '2025-09',
      quarter: '2025-Q3',
      deadline: '2025-09-08',
      threshold: 80,
      total: 4,
      reported: 3,
      notReported: ['Chi bộ thôn <3>'],
      onlyThematic: [],
      late: ['Chi bộ thôn 2'],
      present: 22,
      expected: 25,
      belowThreshold: [{ name: 'Chi bộ thôn 2', present: 7, expected: 10 }],
      thematicInQuarter: 2,
      short: ['Chi bộ thôn 2'],
      upperAttended: 1,
      quality: { ratings: [], unrated: 3 },
    });
  });

  it('reads as a Vietnamese summary', () => {
    expect(renderCompliance(data)).toBe(
      [
        '<b>Tiến độ sinh hoạt chi bộ tháng 09/2025</b>',
        '<b>Đảng bộ xã Tân Lập</b>',
        'Đã báo cáo: 3/4 chi bộ (75%).',
        'Hạn báo cáo: 08/09/2025.',
        'Chưa báo cáo (1):',
        '- Chi bộ thôn &lt;3&gt;',
        'Báo cáo sau hạn (1):',
        '- Chi bộ thôn 2',
        'Đảng viên dự sinh hoạt: 22/25 (88%).',
        'Tỷ lệ dự dưới 80% (1):',
        '- Chi bộ thôn 2: 7/10 (70%)',
        'Sinh hoạt chuyên đề quý III/2025: 2/4 chi bộ (50%).',
        'Thời lượng dưới mức tối thiểu (1):',
        '- Chi bộ thôn 2',
        'Có cấp ủy cấp trên dự: 1 chi bộ.',
      ].join('\n'),
    );
  });

  it('uses the threshold asked for', () => {
    const strict = computeCompliance({
      scopeName: 'X',
      month: '2025-09',
      threshold: 100,
      branches,
      aggregate: sumStatuses(statuses.values()),
      statuses,
      thematicInQuarter: 0,
    });
    expect(strict.belowThreshold.map((b) => b.name)).toEqual(['Chi bộ thôn 2']);
    const lax = computeCompliance({
      scopeName: 'X',
      month: '2025-09',
      threshold: 70,
      branches,
      aggregate: sumStatuses(statuses.values()),
      statuses,
      thematicInQuarter: 0,
    });
    expect(lax.belowThreshold).toEqual([]);
  });

  it('caps long lists', () => {
    const many: BranchRef[] = Array.from({ length: 45 }, (_, i) => ({
      code: `CB${i + 1}`,
      name: `Chi bộ ${i + 1}`,
    }));
    const text = renderCompliance(
      computeCompliance({
        scopeName: 'Đảng bộ phường',
        month: '2025-10',
        threshold: 80,
        branches: many,
        aggregate: sumStatuses([]),
        statuses: new Map(),
        thematicInQuarter: 0,
      }),
    );
    const lines = text.split('\n');
    expect(lines).toContain('Đã báo cáo: 0/45 chi bộ (0%).');
    expect(lines).toContain('Chưa báo cáo (45):');
    expect(lines).toContain('- Chi bộ 20');
    expect(lines).not.toContain('- Chi bộ 21');
    expect(lines).toContain('… và 25 chi bộ khác');
    expect(lines).toContain('Chưa có số liệu dự sinh hoạt.');
    expect(lines).toContain('Sinh hoạt chuyên đề quý IV/2025: 0/45 chi bộ (0%).');
  });

  it('says so when every branch reported, or when the scope has none', () => {
    const all = computeCompliance({
      scopeName: 'X',
      month: '2025-09',
      threshold: 80,
      branches: [branches[0]!],
      aggregate: sumStatuses([statuses.get('CB1')!]),
      statuses,
      thematicInQuarter: 0,
    });
    expect(renderCompliance(all)).toContain('Tất cả chi bộ đã báo cáo.');
    const none = computeCompliance({
      scopeName: 'X',
      month: '2025-09',
      threshold: 80,
      branches: [],
      aggregate: sumStatuses([]),
      statuses,
      thematicInQuarter: 0,
    });
    expect(renderCompliance(none)).toContain('Đơn vị này chưa có chi bộ nào trong danh sách.');
  });
});

describe('quality of meetings', () => {
  it('counts the branches’ own ratings in the scale’s order, and those not rated', () => {
    const statuses = new Map([
      ['CB1', status({ quality: 'Khá' })],
      ['CB2', status({ quality: 'Tốt' })],
      ['CB3', status({ quality: 'Khá' })],
      ['CB4', status({})],
    ]);
    const data = computeCompliance({
      scopeName: 'Đảng bộ xã',
      month: '2025-09',
      threshold: 80,
      branches: ['CB1', 'CB2', 'CB3', 'CB4'].map((code) => ({ code, name: code })),
      aggregate: sumStatuses(statuses.values()),
      statuses,
      thematicInQuarter: 0,
      qualityScale: ['Tốt', 'Khá', 'Trung bình', 'Kém'],
    });
    expect(data.quality).toEqual({
      ratings: [
        { label: 'Tốt', count: 1 },
        { label: 'Khá', count: 2 },
        { label: 'Trung bình', count: 0 },
        { label: 'Kém', count: 0 },
      ],
      unrated: 1,
    });
    expect(renderCompliance(data)).toContain(
      'Chất lượng sinh hoạt (chi bộ tự đánh giá): Tốt 1, Khá 2, Trung bình 0, Kém 0, chưa xếp loại 1.',
    );
  });
});
