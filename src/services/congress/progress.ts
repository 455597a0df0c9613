/**
 * /tiendo for one unit in one round, in one read (`CongressStore.progress`, one Lua call). It
 * never reads reports or lists the branches of a scope: the maintained counters of the unit and
 * its children, branch counts from the tree, the date and extension indexes, and the office's
 * indexes, all kept to the unit's subtree on the server; the answer is built here in pure code.
 */
import { bold, lines, type Rich } from '../../chat/markup.js';
import type { Campaign } from '../../domain/congress/campaign.js';
import { DEFAULT_CHECKLISTS } from '../../domain/congress/checklist.js';
import { DECISIONS_READ, latestDecisions } from '../../domain/congress/decision.js';
import {
  extendedState,
  OVERDUE_NAMES_MAX,
  type ProgressView,
  upcomingRange,
} from '../../domain/congress/progress.js';
import { isBranch } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import { parseChecklistConfig } from '../../store/congressOffice.js';
import type { Viewer } from '../organisation.js';
import { leads } from './access.js';
import { committeeDecisionLines, ownDecisionLines } from './decisionLines.js';
import { type CongressServiceDeps, todayOf } from './deps.js';
import {
  checklistLines,
  FOLLOW_UP_READ_MAX,
  OFFICE_NAMES_MAX,
  PREPARATION_READ_MAX,
  pilotFlagLines,
} from './office.js';
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
 * overdue branches (at most 20 named), extended branches, one line per child unit, decisions,
 * the office's checklists and pilot congresses, and the statistics paragraph. One Redis round
 * trip, plus one to read the round when the caller has not (`known.campaign`).
 */
export async function progress(
  deps: Pick<CongressServiceDeps, 'org' | 'campaigns' | 'store' | 'clock' | 'timezone'>,
  viewer: Viewer,
  campaignId: string,
  unitCode: string,
  known: { campaign?: Campaign } = {},
): Promise<ProgressAnswer> {
  const { org } = deps;
  if (viewer.roles.length === 0) return { ok: false, text: msg.units.noAccess };
  const campaign = known.campaign ?? (await deps.campaigns.getCampaign(campaignId));
  if (!campaign) return { ok: false, text: m.campaignNotFound };

  const today = todayOf(deps);
  const range = upcomingRange(today);
  const pastDeadline = today > campaign.deadline;
  const admin = org.isAdmin(viewer);
  const snap = await deps.store.progress({
    campaignId,
    unit: unitCode,
    scope: campaign.scope,
    admin,
    leaders: viewer.roles.flatMap((r) => (r.kind === 'leader' ? [r.unit] : [])),
    today,
    upTo: range.to,
    pastDeadline,
    pilots: campaign.pilots,
    upcomingMax: Math.max(PREPARATION_READ_MAX, UPCOMING_NAMES_MAX),
    namesMax: Math.max(OVERDUE_NAMES_MAX, EXTENDED_NAMES_MAX),
    officeMax: OFFICE_NAMES_MAX,
    followUpRead: FOLLOW_UP_READ_MAX,
    decisionsRead: DECISIONS_READ,
    followUpDays: DEFAULT_CHECKLISTS.followUpDays,
  });
  const { ancestors } = snap;
  if (!snap.unit) return { ok: false, text: msg.units.unknownUnit(unitCode) };
  const unit = snap.unit;
  if (!leads(org, viewer, unitCode, ancestors))
    return { ok: false, text: msg.units.noAccessToUnit(unit.name) };
  if (!snap.ok) return { ok: false, text: m.chat.notInCampaign(unit.name) };

  const { totals, totalBranches } = snap;
  const extendedNamed = snap.extended.list.slice(0, EXTENDED_NAMES_MAX).map((x) => ({
    name: x.name,
    until: x.until,
    ...(x.entry.registration !== undefined ? { registeredDate: x.entry.registration.date } : {}),
    state: extendedState({
      until: x.until,
      today,
      reported: x.entry.record !== undefined,
      late: x.entry.record?.late ?? false,
      registered: x.entry.registration !== undefined,
    }),
  }));
  // Past the deadline, branches still within their own date are not overdue.
  const overdueCount = pastDeadline
    ? Math.max(0, totalBranches - totals.held - snap.extended.running)
    : snap.overdue.count;
  const overdue: ProgressView['overdue'][number][] = snap.overdue.list
    .slice(0, OVERDUE_NAMES_MAX)
    .map((r) => ({ name: r.name, registeredDate: r.date }));
  if (pastDeadline && overdueCount > overdue.length)
    for (const b of snap.withoutDate.slice(0, OVERDUE_NAMES_MAX - overdue.length))
      overdue.push({ name: b.name });
  const upcomingNamed = snap.upcoming.list.slice(0, UPCOMING_NAMES_MAX);

  const children: ProgressView['children'][number][] = [];
  const drill: UnitLink[] = [];
  const approvable: UnitLink[] = [];
  let awaiting = 0;
  for (const { unit: child, counters: agg, branches: total } of snap.children) {
    if (total === 0) continue;
    children.push({ name: child.name, held: agg.held, total });
    if (!isBranch(child)) {
      if (drill.length < DRILL_BUTTONS_MAX) drill.push({ code: child.code, name: child.name });
    } else if (agg.held > agg.approved) {
      awaiting++;
      if (approvable.length < APPROVE_BUTTONS_MAX) approvable.push({ code: child.code, name: child.name });
    }
  }
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
      branchName: r.name,
    })),
    upcomingCount: snap.upcoming.count,
    overdue,
    overdueCount,
    children,
    extended: extendedNamed,
    extendedCount: snap.extended.count,
  };
  const stats = m.resultStats(totals, {
    asOf: today,
    term: campaign.term,
    totalBranches,
    youngAge: campaign.youngAge,
  });
  const config = parseChecklistConfig(snap.configHash);
  const parts: Rich[] = [
    m.progressText(view),
    ...(isBranch(unit)
      ? ownDecisionLines(snap.own?.record)
      : committeeDecisionLines(snap.decisions?.count ?? 0, latestDecisions(snap.decisions?.recent ?? []))),
    ...checklistLines(config, {
      upcoming: snap.upcoming.list.slice(0, PREPARATION_READ_MAX),
      followUpCount: snap.followUp.count,
      followUp: snap.followUp.list,
    }),
    ...pilotFlagLines(snap.pilots.none, snap.pilots.withPilot, snap.pilots.noneCount),
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
    snap.parentName !== undefined &&
    leads(org, viewer, parentCode, ancestors.slice(0, -1))
  ) {
    up = { code: parentCode, name: snap.parentName };
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
