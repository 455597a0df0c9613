/**
 * Which congress round an export is about, and which unit it then covers: when a round covers
 * only part of the unit, the export covers the round's own scope, as /tiendo does.
 */
import { type Campaign, isCampaignId } from '../../domain/congress/campaign.js';
import type { Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import { type ExportServiceDeps, type Found, fail, today } from './types.js';

const m = msg.exports;

type RoundDeps = Pick<ExportServiceDeps, 'org' | 'campaigns' | 'clock' | 'timezone'>;

/** A round and the unit its export covers. */
export interface RoundAt {
  campaign: Campaign;
  unit: string;
}

/**
 * Rounds that concern a unit, with the unit each would export: the unit itself when the round
 * covers it, the round's scope when that lies below it. Rounds covering the whole unit come
 * first; within each group open rounds (earliest deadline), then closed or past ones, latest
 * first.
 */
export async function campaignsAround(deps: RoundDeps, unit: Unit): Promise<RoundAt[]> {
  const all = await deps.campaigns.listCampaigns();
  if (all.length === 0) return [];
  const [ancestors, scopeAncestors] = await Promise.all([
    deps.org.units.ancestors(unit.code),
    deps.org.units.ancestorsMany(all.map((c) => c.scope)),
  ]);
  const day = today(deps);
  const isOpen = (c: Campaign) => c.closedAt === undefined && c.opens <= day && day <= c.deadline;
  const out: { campaign: Campaign; unit: string; open: boolean; whole: boolean }[] = [];
  for (const c of all) {
    if (c.scope === unit.code || ancestors.includes(c.scope))
      out.push({ campaign: c, unit: unit.code, open: isOpen(c), whole: true });
    else if ((scopeAncestors.get(c.scope) ?? []).includes(unit.code))
      out.push({ campaign: c, unit: c.scope, open: isOpen(c), whole: false });
  }
  return out
    .sort((a, b) => {
      if (a.whole !== b.whole) return a.whole ? -1 : 1;
      if (a.open !== b.open) return a.open ? -1 : 1;
      if (a.open) return a.campaign.deadline.localeCompare(b.campaign.deadline);
      return b.campaign.createdAt - a.campaign.createdAt;
    })
    .map(({ campaign, unit: at }) => ({ campaign, unit: at }));
}

/** The round and the unit to export: the round asked for, or the one that concerns the unit. */
export async function congressTarget(
  deps: RoundDeps,
  unit: Unit,
  campaignId: string | undefined,
): Promise<Found<{ campaign: Campaign; unit: Unit }>> {
  if (campaignId === undefined) {
    const around = await campaignsAround(deps, unit);
    const first = around[0];
    if (!first) return { ok: false, text: m.errors.noCampaign(unit.name) };
    const at = first.unit === unit.code ? unit : await deps.org.units.get(first.unit);
    return at
      ? { ok: true, value: { campaign: first.campaign, unit: at } }
      : fail(m.errors.noCampaign(unit.name));
  }
  const campaign = isCampaignId(campaignId) ? await deps.campaigns.getCampaign(campaignId) : undefined;
  if (!campaign) return fail(m.errors.unknownCampaign(campaignId));
  if (campaign.scope === unit.code) return { ok: true, value: { campaign, unit } };
  const [ancestors, scopeAncestors] = await Promise.all([
    deps.org.units.ancestors(unit.code),
    deps.org.units.ancestors(campaign.scope),
  ]);
  if (ancestors.includes(campaign.scope)) return { ok: true, value: { campaign, unit } };
  if (scopeAncestors.includes(unit.code)) {
    const scope = await deps.org.units.get(campaign.scope);
    if (scope) return { ok: true, value: { campaign, unit: scope } };
  }
  return fail(m.errors.notInCampaign(unit.name));
}
