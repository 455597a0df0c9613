/**
 * What the meeting workbook of a month shows. The figures are the compliance
 * /sinhhoat_tiendo computes; the rows come from each branch's stored report.
 */
import {
  defaultProgressMonth,
  formatYearMonth,
  monthOfDate,
  previousMonth,
  type YearMonth,
} from '../../domain/meetings/calendar.js';
import { DEFAULT_HOLIDAYS } from '../../domain/meetings/holidays.js';
import type { MeetingBranchRow, MeetingsExportData } from '../../exports/meetingsWorkbook.js';
import { msg } from '../../messages/index.js';
import { startUnit } from './access.js';
import { inBatches, parentsOf } from './lookups.js';
import { type Actor, type ExportServiceDeps, type Found, fail, today } from './types.js';

const m = msg.exports;

/** What the meeting workbook shows, after the month and scope checks. */
export async function meetingsData(
  deps: ExportServiceDeps,
  actor: Actor,
  opts: { month: YearMonth; unit?: string },
): Promise<Found<MeetingsExportData>> {
  const day = today(deps);
  if (opts.month > monthOfDate(day)) return fail(m.errors.futureMonth(formatYearMonth(opts.month)));
  const start = await startUnit(deps.org, actor, opts.unit);
  if (!start.ok) return start;
  const unit = start.value;
  const { org, meetingStore, meetings } = deps;
  const codes = await org.units.branchesUnder(unit.code);
  const [branchUnits, reported, compliance] = await Promise.all([
    org.units.getMany(codes),
    meetingStore.reportedAmong(opts.month, codes),
    meetings.compliance(unit, opts.month),
  ]);
  const reports = new Map<string, NonNullable<MeetingBranchRow['report']>>();
  await inBatches([...reported], async (code) => {
    const stored = await meetingStore.getReport(code, opts.month);
    if (stored) {
      reports.set(code, {
        report: stored.report,
        version: stored.version,
        late: stored.late,
        reportedAt: stored.reportedAt,
      });
    }
  });
  const parents = await parentsOf(org, branchUnits);
  const branches: MeetingBranchRow[] = codes.flatMap((code) => {
    const u = branchUnits.get(code);
    if (!u) return [];
    const row: MeetingBranchRow = { code, name: u.name };
    if (u.parent) {
      row.parentCode = u.parent;
      const p = parents.get(u.parent);
      if (p) row.parentName = p.name;
    }
    const r = reports.get(code);
    if (r) row.report = r;
    return [row];
  });
  return {
    ok: true,
    value: {
      unit: { code: unit.code, name: unit.name },
      month: opts.month,
      compliance,
      branches,
      asOf: day,
      generatedAt: deps.clock.now(),
      timezone: deps.timezone,
    },
  };
}

/** The month /sinhhoat_tiendo shows by default for the unit, and the one before. */
export async function recentMonths(
  deps: Pick<ExportServiceDeps, 'meetings' | 'clock' | 'timezone'>,
  unitCode: string,
): Promise<YearMonth[]> {
  const { settings } = await deps.meetings.settingsFor(unitCode);
  const month = defaultProgressMonth(today(deps), settings, DEFAULT_HOLIDAYS);
  return [month, previousMonth(month)];
}
