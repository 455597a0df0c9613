/** The daily summary text: X/Y per round, overdue branches with secretaries, meetings, unreachable. */
import { describe, expect, it } from 'vitest';
import type { DailySummary, ScopeSummary } from '../../src/domain/summary.js';
import { msg } from '../../src/messages/index.js';
import { renderHtml } from '../support/render.js';

/** The summary's markup as Telegram receives it. */
const renderDailySummary = (summary: DailySummary, listLimit?: number) =>
  renderHtml(msg.reminders.dailySummary(summary, listLimit));

const scope: ScopeSummary = {
  scopeName: 'Đảng bộ xã Tân Lập',
  newReports: [
    { branch: 'Chi bộ Thôn 1', kind: 'congress' },
    { branch: 'Chi bộ Thôn 2', kind: 'meeting', month: '2025-09' },
  ],
  campaigns: [
    {
      name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
      deadline: '2025-09-30',
      held: 3,
      registeredOnly: 2,
      total: 6,
      overdue: [
        { branch: 'Chi bộ Thôn 4', registeredDate: '2025-09-12', secretaries: ['Nguyễn Văn A'] },
        { branch: 'Chi bộ <Trường học>', secretaries: [] },
      ],
    },
  ],
  meetings: { month: '2025-09', reported: 4, total: 6 },
  unreachable: [{ person: 'Trần Thị B', branch: 'Chi bộ Thôn 2' }],
  noSecretary: ['Chi bộ Khu 1A'],
};

describe('daily summary text', () => {
  const text = renderDailySummary({ today: '2025-09-15', scopes: [scope] });

  it('has the date, the scope, today’s reports and progress as X/Y', () => {
    expect(text).toContain('<b>Tổng hợp ngày 15/09/2025</b>');
    expect(text).toContain('<b>Đảng bộ xã Tân Lập</b>');
    expect(text).toContain('Báo cáo mới hôm nay (2):');
    expect(text).toContain('- Chi bộ Thôn 1: kết quả đại hội');
    expect(text).toContain('- Chi bộ Thôn 2: sinh hoạt chi bộ tháng 09/2025');
    expect(text).toContain('Đại hội chi bộ nhiệm kỳ 2025 – 2027: đã đại hội 3/6 (50%) chi bộ.');
    expect(text).toContain('Hạn hoàn thành: 30/09/2025 (còn 15 ngày).');
  });

  it('names overdue branches with their secretaries, escaping names', () => {
    expect(text).toContain('Chi bộ quá hạn (2):');
    expect(text).toContain(
      '- Chi bộ Thôn 4: đại hội ngày 12/09/2025, chưa báo cáo kết quả (bí thư: Nguyễn Văn A)',
    );
    expect(text).toContain(
      '- Chi bộ &lt;Trường học&gt;: chưa đại hội, đã quá hạn hoàn thành (bí thư: chưa có)',
    );
  });

  it('has meeting compliance and the secretaries the bot cannot reach', () => {
    expect(text).toContain('Sinh hoạt chi bộ tháng 09/2025: đã báo cáo 4/6 chi bộ.');
    expect(text).toContain('Bí thư chưa nhận được tin của bot (2):');
    expect(text).toContain('- đ/c Trần Thị B (Chi bộ Thôn 2): đã chặn bot hoặc chưa bấm Bắt đầu');
    expect(text).toContain('- Chi bộ Khu 1A: chưa có bí thư dùng bot');
  });

  it('says so when there is nothing to report, and how to turn the chart back on', () => {
    const quiet = renderDailySummary({
      today: '2025-10-03',
      chartOff: true,
      scopes: [
        {
          ...scope,
          newReports: [],
          campaigns: [{ ...scope.campaigns[0]!, held: 6, registeredOnly: 0, overdue: [] }],
          unreachable: [],
          noSecretary: [],
        },
      ],
    });
    expect(quiet).toContain('Hôm nay chưa có báo cáo mới.');
    expect(quiet).toContain('đã quá 3 ngày');
    expect(quiet).toContain('Không có chi bộ quá hạn.');
    expect(quiet).toContain('Các bí thư đều nhận được tin của bot.');
    expect(quiet).toContain('/tomtat bat_bieudo');
  });

  it('caps long lists and counts the rest', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ branch: `Chi bộ ${i + 1}`, secretaries: [] }));
    const long = renderDailySummary(
      {
        today: '2025-10-03',
        scopes: [
          { ...scope, campaigns: [{ ...scope.campaigns[0]!, overdue: many.slice(0, 20), overdueCount: 25 }] },
        ],
      },
      20,
    );
    expect(long).toContain('Chi bộ quá hạn (25):');
    expect(long).toContain('- Chi bộ 20:');
    expect(long).not.toContain('- Chi bộ 21:');
    expect(long).toContain('… và 5 chi bộ khác');
  });
});
