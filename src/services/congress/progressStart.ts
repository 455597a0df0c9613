/** Where /tiendo starts: the asker's scope and the open round there, or what to choose from. */
import { type Campaign, isCampaignOpen } from '../../domain/congress/campaign.js';
import { echo } from '../../domain/text.js';
import { type Unit, unitCodeSchema } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import type { Organisation, Viewer } from '../organisation.js';
import { leads } from './access.js';
import { byDeadline } from './campaigns.js';
import { type CongressServiceDeps, todayOf } from './deps.js';
import type { ProgressStart } from './types.js';

const m = msg.congress;

/**
 * Where /tiendo starts for this person: their one scope (an admin's is the root) and the one
 * open round there; or the scopes or rounds to choose from. `unitCode` picks a scope.
 */
export async function progressStart(
  deps: Pick<CongressServiceDeps, 'org' | 'campaigns' | 'clock' | 'timezone'>,
  viewer: Viewer,
  unitCode?: string,
): Promise<ProgressStart> {
  const { org } = deps;
  if (viewer.roles.length === 0) return { kind: 'refused', text: msg.units.noAccess };
  const scopes = await progressScopes(org, viewer);
  if (scopes.length === 0) return { kind: 'refused', text: m.chat.leaderOnly };
  let unit: Unit | undefined;
  if (unitCode !== undefined) {
    // Whatever was typed after /tiendo: a word that cannot be a code is not looked up, and is
    // repeated only capped.
    if (!unitCodeSchema.safeParse(unitCode).success)
      return { kind: 'refused', text: msg.units.unknownUnit(echo(unitCode)) };
    unit = await org.units.get(unitCode);
    if (!unit) return { kind: 'refused', text: msg.units.unknownUnit(unitCode) };
    if (!leads(org, viewer, unitCode, await org.units.ancestors(unitCode))) {
      return { kind: 'refused', text: msg.units.noAccessToUnit(unit.name) };
    }
  } else if (scopes.length > 1) return { kind: 'chooseScope', units: scopes };
  else unit = scopes[0]!;

  const options = await campaignsAround(deps, unit.code);
  if (options.length === 0) return { kind: 'refused', text: m.chat.noCampaignInScope(unit.name) };
  if (options.length > 1) return { kind: 'chooseCampaign', options };
  const only = options[0]!;
  return { kind: 'ok', campaignId: only.campaign.id, unit: only.unit };
}

/** Units a person's /tiendo starts at: the root for an admin, the (outermost) units they lead. */
async function progressScopes(org: Organisation, viewer: Viewer): Promise<Unit[]> {
  if (org.isAdmin(viewer)) {
    const root = await org.units.root();
    return root ? [root] : [];
  }
  const leaderRoles = viewer.roles.filter((r) => r.kind === 'leader');
  if (leaderRoles.length === 0) return [];
  return org.viewScopes({ id: viewer.id, roles: leaderRoles });
}

/**
 * Open rounds that concern a unit, each with the unit to show: the unit itself when the round
 * covers it, or the round's own scope when that lies below the unit.
 */
async function campaignsAround(
  deps: Pick<CongressServiceDeps, 'org' | 'campaigns' | 'clock' | 'timezone'>,
  unitCode: string,
): Promise<{ campaign: Campaign; unit: string }[]> {
  const today = todayOf(deps);
  const open = (await deps.campaigns.listCampaigns()).filter((c) => isCampaignOpen(c, today));
  if (open.length === 0) return [];
  const [ancestors, scopeAncestors] = await Promise.all([
    deps.org.units.ancestors(unitCode),
    deps.org.units.ancestorsMany(open.map((c) => c.scope)),
  ]);
  const out: { campaign: Campaign; unit: string }[] = [];
  for (const c of open.sort(byDeadline)) {
    if (c.scope === unitCode || ancestors.includes(c.scope)) out.push({ campaign: c, unit: unitCode });
    else if ((scopeAncestors.get(c.scope) ?? []).includes(unitCode)) out.push({ campaign: c, unit: c.scope });
  }
  return out;
}
