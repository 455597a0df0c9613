/**
 * /tiendo for one unit in one round. It never reads reports or lists the branches of a scope: it
 * reads the maintained counters of the unit and its children, branch counts from the tree, and
 * the date index.
 */
import { bold, lines, type Rich } from '../../chat/markup.js';
import {
  extendedState,
  OVERDUE_NAMES_MAX,
  type ProgressView,
  upcomingRange,
} from '../../domain/congress/progress.js';
import { isBranch } from '../../domain/units.js';
import type { IsoDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { leads } from './access.js';
import { decisionLines } from './decisionLines.js';
import { type CongressServiceDeps, todayOf } from './deps.js';
import { officeLines } from './office.js';
import { inSubtree, type Level, withoutDate } from './subtree.js';
import type { ProgressAnswer, UnitLink } from './types.js';

const m = msg.congress;

/** Upcoming congresses named in /tiendo before "… và N chi bộ khác". */
export const UPCOMING_NAMES_MAX = 20;
/** Drill-down buttons under one /tiendo answer (Telegram allows about 100 buttons). */
export const DRILL_BUTTONS_MAX = 40;
/** "Chuẩn y" buttons under one /tiendo answer. */
export const APPROVE_BUTTONS_MAX = 20;
/** Extended branches named in /tiendo before "… và N chi bộ khác". */
export const EXTENDED_NAMES_MAX = 20;

/**
 * The /tiendo answer for one unit in one round: held X/Y, registered only, the next 7 days,
 * overdue branches (at most 20 named), one line per child unit, and the statistics paragraph.
 * Reads the unit's and its children's counters, branch counts from the tree and the date
 * index; for names of overdue branches past the deadline it walks down only into children
 * that still have branches without a date or a result.
 */
export async function progress(
  deps: Pick<CongressServiceDeps, 'org' | 'campaigns' | 'store' | 'clock' | 'timezone'>,
  viewer: Viewer,
  campaignId: string,
  unitCode: string,
): Promise<ProgressAnswer> {
  const { org, store } = deps;
  if (viewer.roles.length === 0) return { ok: false, text: msg.units.noAccess };
  const units = org.units;
  const [campaign, unit, ancestors] = await Promise.all([
    deps.campaigns.getCampaign(campaignId),
    units.get(unitCode),
    units.ancestors(unitCode),
  ]);
  if (!campaign) return { ok: false, text: m.campaignNotFound };
  if (!unit) return { ok: false, text: msg.units.unknownUnit(unitCode) };
  if (!leads(org, viewer, unitCode, ancestors))
    return { ok: false, text: msg.units.noAccessToUnit(unit.name) };
  if (unitCode !== campaign.scope && !ancestors.includes(campaign.scope)) {
    return { ok: false, text: m.chat.notInCampaign(unit.name) };
  }

  const today = todayOf(deps);
  const range = upcomingRange(today);
  const childCodes = isBranch(unit) ? [] : await units.children(unitCode);
  const [totals, counts, childAggs, childUnits, upcomingAll, overdueAll, extendedAll] = await Promise.all([
    store.aggregate(campaignId, unitCode),
    units.branchCounts([unitCode, ...childCodes]),
    store.aggregates(campaignId, childCodes),
    units.getMany(childCodes),
    store.upcoming(campaignId, range.from, range.to),
    store.overdueRegistrations(campaignId, today),
    store.extensions(campaignId),
  ]);
  const totalBranches = counts.get(unitCode) ?? 0;
  // The date index covers the whole round; below the round's scope keep this subtree's entries.
  const extendedRegs = extendedAll.map((x) => ({ branch: x.branch, date: x.until }));
  const [upcoming, overdueRegs, extendedHere] =
    unitCode === campaign.scope
      ? [upcomingAll, overdueAll, extendedRegs]
      : await inSubtree(deps, unitCode, [upcomingAll, overdueAll, extendedRegs]);

  const pastDeadline = today > campaign.deadline;
  const overdueByDate = new Set(overdueRegs.map((r) => r.branch));
  // Extended branches: only the ones named are read in full. Past the deadline, those still
  // within their own date that neither reported nor passed a registered date are not overdue.
  const running = pastDeadline
    ? extendedHere.filter((x) => x.date >= today && !overdueByDate.has(x.branch))
    : [];
  const [namedEntries, runningReported] = await Promise.all([
    store.extendedStatus(
      campaignId,
      extendedHere.slice(0, EXTENDED_NAMES_MAX).map((x) => x.branch),
    ),
    running.length === 0
      ? []
      : store.reportedBranches(
          campaignId,
          running.map((x) => x.branch),
        ),
  ]);
  const stillExtended = new Set(running.filter((_, i) => !runningReported[i]).map((x) => x.branch));
  const extendedNamed = extendedHere.slice(0, EXTENDED_NAMES_MAX).map((x, i) => {
    const entry = namedEntries[i] ?? {};
    return {
      code: x.branch,
      until: x.date,
      registeredDate: entry.registration?.date,
      state: extendedState({
        until: x.date,
        today,
        reported: entry.record !== undefined,
        late: entry.record?.late ?? false,
        registered: entry.registration !== undefined,
      }),
    };
  });

  const overdueCount = pastDeadline
    ? Math.max(0, totalBranches - totals.held - stillExtended.size)
    : overdueRegs.length;
  const overdueNamed: { code: string; registeredDate?: IsoDate }[] = overdueRegs
    .slice(0, OVERDUE_NAMES_MAX)
    .map((r) => ({ code: r.branch, registeredDate: r.date }));
  if (pastDeadline && overdueNamed.length < OVERDUE_NAMES_MAX && overdueCount > overdueNamed.length) {
    const level: Level = { codes: childCodes, units: childUnits, aggs: childAggs, counts };
    const found = isBranch(unit)
      ? totals.held === 0 && totals.registeredOnly === 0
        ? [unit.code]
        : []
      : await withoutDate(deps, campaignId, level, OVERDUE_NAMES_MAX - overdueNamed.length, stillExtended);
    for (const code of found) if (!stillExtended.has(code)) overdueNamed.push({ code });
  }
  const upcomingNamed = upcoming.slice(0, UPCOMING_NAMES_MAX);
  const names = await units.getMany([
    ...upcomingNamed.map((r) => r.branch),
    ...overdueNamed.map((o) => o.code),
    ...extendedNamed.map((x) => x.code),
  ]);
  const nameOf = (code: string) => names.get(code)?.name ?? code;

  const children: ProgressView['children'][number][] = [];
  const drill: UnitLink[] = [];
  const approvable: UnitLink[] = [];
  let awaiting = 0;
  childCodes.forEach((code, i) => {
    const child = childUnits.get(code);
    const total = counts.get(code) ?? 0;
    const agg = childAggs[i];
    if (!child || !agg || total === 0) return;
    children.push({ name: child.name, held: agg.held, total });
    if (!isBranch(child)) {
      if (drill.length < DRILL_BUTTONS_MAX) drill.push({ code, name: child.name });
    } else if (agg.held > agg.approved) {
      awaiting++;
      if (approvable.length < APPROVE_BUTTONS_MAX) approvable.push({ code, name: child.name });
    }
  });
  if (isBranch(unit) && totals.held > totals.approved) {
    awaiting++;
    approvable.push({ code: unit.code, name: unit.name });
  }

  const view: ProgressView = {
    scopeName: unit.name,
    term: campaign.term,
    today,
    deadline: campaign.deadline,
    totals,
    totalBranches,
    upcoming: upcomingNamed.map((r) => ({
      date: r.date,
      ...(r.time !== undefined ? { time: r.time } : {}),
      branchName: nameOf(r.branch),
    })),
    upcomingCount: upcoming.length,
    overdue: overdueNamed.map((o) => ({
      name: nameOf(o.code),
      ...(o.registeredDate ? { registeredDate: o.registeredDate } : {}),
    })),
    overdueCount,
    children,
    extended: extendedNamed.map((x) => ({
      name: nameOf(x.code),
      until: x.until,
      state: x.state,
      ...(x.registeredDate !== undefined ? { registeredDate: x.registeredDate } : {}),
    })),
    extendedCount: extendedHere.length,
  };
  const stats = m.resultStats(totals, {
    asOf: today,
    term: campaign.term,
    totalBranches,
    youngAge: campaign.youngAge,
  });
  const parts: Rich[] = [
    m.progressText(view),
    ...(await decisionLines(store, campaignId, unit)),
    ...(await officeLines(deps, campaign, unit, today, {
      children: childCodes.flatMap((c) => childUnits.get(c) ?? []),
      upcoming,
    })),
    '',
    bold(m.progress.statsHeader),
    stats,
  ];
  if (awaiting > 0) parts.push('', m.progress.awaitingApproval(String(awaiting)));

  let up: UnitLink | undefined;
  const parentCode = ancestors[ancestors.length - 1];
  if (
    unitCode !== campaign.scope &&
    parentCode !== undefined &&
    leads(org, viewer, parentCode, ancestors.slice(0, -1))
  ) {
    const parent = await units.get(parentCode);
    if (parent) up = { code: parent.code, name: parent.name };
  }
  return {
    ok: true,
    campaignId,
    text: lines(...parts),
    drill,
    ...(up ? { up } : {}),
    approvable,
  };
}
