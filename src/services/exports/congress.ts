/**
 * What the congress workbook and PDF show. The figures come from the same counters /tiendo
 * reads; the rows come from each branch's stored report, read a few hundred at a time.
 */
import type { Registration } from '../../domain/congress/registration.js';
import type { ReportRecord } from '../../domain/congress/report.js';
import { isBranch } from '../../domain/units.js';
import type {
  CongressBranchRow,
  CongressChildRow,
  CongressExportData,
} from '../../exports/congressWorkbook.js';
import { startUnit } from './access.js';
import { inBatches, names, parentsOf, paths } from './lookups.js';
import { congressTarget } from './rounds.js';
import { type Actor, type ExportServiceDeps, type Found, today } from './types.js';

/** What the congress workbook and PDF show, after the scope checks and the choice of round. */
export async function congressData(
  deps: ExportServiceDeps,
  actor: Actor,
  opts: { campaignId?: string; unit?: string },
): Promise<Found<CongressExportData>> {
  const start = await startUnit(deps.org, actor, opts.unit);
  if (!start.ok) return start;
  const target = await congressTarget(deps, start.value, opts.campaignId);
  if (!target.ok) return target;
  const { campaign, unit } = target.value;
  const { org, congress } = deps;
  const units = org.units;

  const codes = await units.branchesUnder(unit.code);
  const childCodes = isBranch(unit) ? [] : await units.children(unit.code);
  const [branchUnits, flags, waiting, totals, counts, childAggs, childUnits, parent, extended] =
    await Promise.all([
      units.getMany(codes),
      congress.reportedBranches(campaign.id, codes),
      congress.upcoming(campaign.id, '0000-01-01', '9999-12-31'),
      congress.aggregate(campaign.id, unit.code),
      units.branchCounts([unit.code, ...childCodes]),
      congress.aggregates(campaign.id, childCodes),
      units.getMany(childCodes),
      unit.parent ? units.get(unit.parent) : Promise.resolve(undefined),
      congress.extensions(campaign.id),
    ]);
  const extendedUntil = new Map(extended.map((x) => [x.branch, x.until]));
  const reported = codes.filter((_, i) => flags[i]);
  const records = new Map<string, { record?: ReportRecord; registration?: Registration }>();
  await inBatches(reported, async (code) => {
    const [record, registration] = await Promise.all([
      congress.getReport(campaign.id, code),
      congress.getRegistration(campaign.id, code),
    ]);
    records.set(code, { ...(record ? { record } : {}), ...(registration ? { registration } : {}) });
  });
  for (const r of waiting) if (!records.has(r.branch)) records.set(r.branch, { registration: r });

  const [branchPaths, parents, reporters] = await Promise.all([
    paths(org, codes, branchUnits),
    parentsOf(org, branchUnits),
    names(
      org,
      [...records.values()].flatMap((e) => (e.record ? [e.record.savedBy] : [])),
    ),
  ]);
  const branches: CongressBranchRow[] = codes.flatMap((code) => {
    const u = branchUnits.get(code);
    if (!u) return [];
    const entry = records.get(code);
    const row: CongressBranchRow = {
      code,
      name: u.name,
      path: branchPaths.get(code) ?? code,
      members: u.members,
    };
    if (u.parent) {
      row.parentCode = u.parent;
      const p = parents.get(u.parent);
      if (p) row.parentName = p.name;
    }
    if (entry?.registration) {
      const { date, time } = entry.registration;
      row.registration = time === undefined ? { date } : { date, time };
    }
    const until = extendedUntil.get(code);
    if (until !== undefined) row.extendedUntil = until;
    if (entry?.record) {
      row.record = entry.record;
      const name = reporters.get(entry.record.savedBy);
      if (name) row.reporterName = name;
    }
    return [row];
  });

  const children: CongressChildRow[] = [];
  childCodes.forEach((code, i) => {
    const child = childUnits.get(code);
    const total = counts.get(code) ?? 0;
    const agg = childAggs[i];
    if (child && agg && total > 0) children.push({ code, name: child.name, branches: total, counters: agg });
  });

  const data: CongressExportData = {
    unit: { code: unit.code, name: unit.name },
    campaign: {
      id: campaign.id,
      name: campaign.name,
      term: campaign.term,
      opens: campaign.opens,
      deadline: campaign.deadline,
      youngAge: campaign.youngAge,
    },
    asOf: today(deps),
    generatedAt: deps.clock.now(),
    timezone: deps.timezone,
    totals,
    totalBranches: counts.get(unit.code) ?? 0,
    children,
    branches,
  };
  if (parent) data.parentName = parent.name;
  return { ok: true, value: data };
}
