/** The chart that goes with a daily summary: progress bars per child unit. */

import type { Campaign } from '../../domain/congress/campaign.js';
import { formatYearMonth, type YearMonth } from '../../domain/meetings/calendar.js';
import { isBranch, type Unit } from '../../domain/units.js';
import { formatVnDate, type IsoDate } from '../../domain/vn.js';
import type { ChartBar, ProgressChart } from '../../exports/chart.js';
import { msg } from '../../messages/index.js';
import type { ReminderServiceDeps } from './deps.js';

const m = msg.reminders;

/**
 * Progress per child unit: of the first round shown (at the unit it is shown for), or else of
 * the month's meeting reports. None for a branch, which has no child units.
 */
export async function summaryChart(
  deps: Pick<ReminderServiceDeps, 'org' | 'congress' | 'meetingStore'>,
  today: IsoDate,
  unit: Unit,
  round: { campaign: Campaign; unit: Unit } | undefined,
  month: YearMonth,
): Promise<ProgressChart | undefined> {
  const units = deps.org.units;
  const at = round?.unit ?? unit;
  if (isBranch(at)) return undefined;
  const codes = await units.children(at.code);
  if (codes.length === 0) return undefined;
  const [children, counts] = await Promise.all([units.getMany(codes), units.branchCounts(codes)]);
  const done = round
    ? (await deps.congress.aggregates(round.campaign.id, codes)).map((c) => c.held)
    : await deps.meetingStore
        .aggregates(codes, month)
        .then((aggs) => codes.map((c) => aggs.get(c)?.reported ?? 0));
  const bars: ChartBar[] = [];
  codes.forEach((code, i) => {
    const total = counts.get(code) ?? 0;
    const child = children.get(code);
    if (child && total > 0) bars.push({ label: child.name, done: done[i] ?? 0, total });
  });
  if (bars.length === 0) return undefined;
  return {
    title: round ? m.chart.congressTitle(round.campaign.name) : m.chart.meetingsTitle(formatYearMonth(month)),
    subtitle: m.chart.subtitle(at.name, formatVnDate(today)),
    bars,
  };
}
