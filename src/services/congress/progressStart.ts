/** Where /tiendo starts: the asker's scope and the open round there, or what to choose from. */

import { viewScopes } from '../../domain/access.js';
import { type Campaign, isCampaignOpen } from '../../domain/congress/campaign.js';
import { echo } from '../../domain/text.js';
import { unitCodeSchema } from '../../domain/units.js';
import type { IsoDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import { parseLocated } from '../../store/units.js';
import type { Viewer } from '../organisation.js';
import { leads } from './access.js';
import { byDeadline } from './campaigns.js';
import { type CongressServiceDeps, todayOf } from './deps.js';
import type { ProgressStart } from './types.js';

const m = msg.congress;

/**
 * Where /tiendo starts for this person: their one scope (an admin's is the root) and the one
 * open round there; or the scopes or rounds to choose from. `unitCode` picks a scope. One round
 * trip: the rounds (with their scopes' places in the tree), the root's code, and the units the
 * person leads (and the one asked for), in one pipeline.
 */
export async function progressStart(
  deps: Pick<CongressServiceDeps, 'org' | 'campaigns' | 'clock' | 'timezone'>,
  viewer: Viewer,
  unitCode?: string,
): Promise<ProgressStart> {
  const { org } = deps;
  if (viewer.roles.length === 0) return { kind: 'refused', text: msg.units.noAccess };
  const admin = org.isAdmin(viewer);
  const leaderRoles = viewer.roles.filter((r) => r.kind === 'leader');
  if (!admin && leaderRoles.length === 0) return { kind: 'refused', text: m.chat.leaderOnly };
  // Whatever was typed after /tiendo: a word that cannot be a code is not looked up, and is
  // repeated only capped.
  if (unitCode !== undefined && !unitCodeSchema.safeParse(unitCode).success)
    return { kind: 'refused', text: msg.units.unknownUnit(echo(unitCode)) };
  const roleCodes = admin ? [] : viewScopes(leaderRoles, null);
  const codes = unitCode !== undefined ? [...roleCodes, unitCode] : roleCodes;
  const read = await deps.campaigns.listScopedWith((p) => {
    org.units.queueRootCode(p);
    org.units.queueLocated(p, codes);
  });
  for (const r of read.replies) if (r instanceof Error) throw r;
  const [rootReply, ...unitReplies] = read.replies;
  const rootCode = typeof rootReply === 'string' ? rootReply : null;
  const located = new Map(parseLocated(unitReplies).map((l) => [l.unit.code, l]));

  // The person's scopes: the root for an admin, else the outermost units they lead (one inside
  // another is the same tree).
  type Scope = { code: string; name?: string; ancestors: string[] };
  let scopes: Scope[];
  if (admin) scopes = rootCode === null ? [] : [{ code: rootCode, ancestors: [] }];
  else
    scopes = viewScopes(leaderRoles, rootCode, (c) => located.get(c)?.ancestors ?? []).flatMap((c) => {
      const l = located.get(c);
      return l ? [{ code: c, name: l.unit.name, ancestors: l.ancestors }] : [];
    });
  if (scopes.length === 0) return { kind: 'refused', text: m.chat.leaderOnly };
  let unit: Scope;
  if (unitCode !== undefined) {
    const asked = located.get(unitCode);
    if (!asked) return { kind: 'refused', text: msg.units.unknownUnit(unitCode) };
    if (!leads(org, viewer, unitCode, asked.ancestors))
      return { kind: 'refused', text: msg.units.noAccessToUnit(asked.unit.name) };
    unit = { code: unitCode, name: asked.unit.name, ancestors: asked.ancestors };
  } else if (scopes.length > 1)
    return { kind: 'chooseScope', units: scopes.flatMap((s) => located.get(s.code)?.unit ?? []) };
  else unit = scopes[0]!;

  const options = campaignsAround(
    read.campaigns,
    read.scopeAncestors,
    unit.code,
    unit.ancestors,
    todayOf(deps),
  );
  if (options.length === 0) {
    const name = unit.name ?? (await org.units.get(unit.code))?.name ?? unit.code;
    return { kind: 'refused', text: m.chat.noCampaignInScope(name) };
  }
  if (options.length > 1) return { kind: 'chooseCampaign', options };
  const only = options[0]!;
  return { kind: 'ok', campaignId: only.campaign.id, unit: only.unit, campaign: only.campaign };
}

/**
 * Open rounds that concern a unit, each with the unit to show: the unit itself when the round
 * covers it, or the round's own scope when that lies below the unit.
 */
function campaignsAround(
  all: readonly Campaign[],
  scopeAncestors: ReadonlyMap<string, readonly string[]>,
  unitCode: string,
  ancestors: readonly string[],
  today: IsoDate,
): { campaign: Campaign; unit: string }[] {
  const out: { campaign: Campaign; unit: string }[] = [];
  for (const c of all.filter((x) => isCampaignOpen(x, today)).sort(byDeadline)) {
    if (c.scope === unitCode || ancestors.includes(c.scope)) out.push({ campaign: c, unit: unitCode });
    else if ((scopeAncestors.get(c.id) ?? []).includes(unitCode)) out.push({ campaign: c, unit: c.scope });
  }
  return out;
}
