/** Opening a round and listing the rounds, with the checks of a round's scope and pilots. */
import {
  type Campaign,
  type CampaignInput,
  type CampaignProblem,
  campaignInputSchema,
  isCampaignOpen,
  parseCampaignInput,
} from '../../domain/congress/campaign.js';
import { isBranch } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import type { Organisation, Viewer } from '../organisation.js';
import { type CongressServiceDeps, todayOf } from './deps.js';
import type { CampaignFieldCheck } from './types.js';

const m = msg.congress;

/**
 * Opens a round. Only admins (or the CLI). Lists every problem: the fields, then whether the
 * scope exists and has branches, and whether each pilot is a branch inside the scope. With
 * `card` (the nonce of the summary card pressed), the round and the card's receipt are written
 * together: a repeated press opens nothing and answers `duplicate` with the round opened before.
 */
export async function createCampaign(
  deps: Pick<CongressServiceDeps, 'org' | 'campaigns' | 'clock'>,
  actor: Viewer | 'cli',
  input: CampaignInput,
  card?: string,
): Promise<{ ok: true; campaign: Campaign; duplicate?: true } | { ok: false; errors: string[] }> {
  if (actor !== 'cli' && !deps.org.isAdmin(actor)) {
    return { ok: false, errors: [actor.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly] };
  }
  const parsed = parseCampaignInput(input);
  const errors = parsed.ok ? [] : parsed.errors.map((e) => m.campaignProblem(e.problem));
  const scope = parsed.ok ? parsed.value.scope : typeof input.scope === 'string' ? input.scope.trim() : '';
  const pilots = parsed.ok ? parsed.value.pilots : Array.isArray(input.pilots) ? input.pilots : [];
  if (campaignInputSchema.shape.scope.safeParse(scope).success) {
    const scopeCheck = await checkScope(deps.org, scope);
    if (!scopeCheck.ok) errors.push(scopeCheck.message);
    else {
      for (const e of await pilotErrors(deps.org, scope, pilots.map(String))) errors.push(e);
    }
  }
  if (!parsed.ok || errors.length > 0) return { ok: false, errors: [...new Set(errors)] };
  const who = actor === 'cli' ? 'cli' : String(actor.id);
  if (card === undefined)
    return { ok: true, campaign: await deps.campaigns.createCampaign(parsed.value, who, deps.clock.now()) };
  const opened = await deps.campaigns.openFromCard(parsed.value, who, deps.clock.now(), card);
  return opened.duplicate
    ? { ok: true, campaign: opened.campaign, duplicate: true }
    : { ok: true, campaign: opened.campaign };
}

/**
 * Rounds with the name of each round's unit and whether it still takes dates and reports,
 * earliest deadline first; `openOnly` leaves out the closed and long-past ones.
 */
export async function campaignList(
  deps: Pick<CongressServiceDeps, 'org' | 'campaigns' | 'clock' | 'timezone'>,
  opts: { openOnly?: boolean },
): Promise<{ campaign: Campaign; scopeName: string; open: boolean }[]> {
  const today = todayOf(deps);
  const rounds = (await deps.campaigns.listCampaigns())
    .map((campaign) => ({ campaign, open: isCampaignOpen(campaign, today) }))
    .filter((r) => r.open || !opts.openOnly)
    .sort((a, b) => byDeadline(a.campaign, b.campaign));
  const names = await deps.org.units.getMany(rounds.map((r) => r.campaign.scope));
  return rounds.map((r) => ({ ...r, scopeName: names.get(r.campaign.scope)?.name ?? r.campaign.scope }));
}

/** A round's scope must be a known unit with branches under it. */
export async function checkScope(org: Organisation, code: string): Promise<CampaignFieldCheck> {
  const unit = await org.units.get(code);
  if (!unit) return { ok: false, message: m.campaignProblem({ code: 'scopeUnknown', scope: code }) };
  if ((await org.units.branchCount(code)) === 0) {
    return { ok: false, message: m.campaignProblem({ code: 'scopeNoBranches', name: unit.name }) };
  }
  return { ok: true, value: code };
}

/** Why each pilot cannot be one: unknown, not a branch, or outside the round's scope. */
export async function pilotErrors(
  org: Organisation,
  scope: string,
  pilots: readonly string[],
): Promise<string[]> {
  if (pilots.length === 0) return [];
  const [found, ancestors, scopeUnit] = await Promise.all([
    org.units.getMany(pilots),
    org.units.ancestorsMany(pilots),
    org.units.get(scope),
  ]);
  const problems: CampaignProblem[] = [];
  for (const code of pilots) {
    const unit = found.get(code);
    if (!unit) problems.push({ code: 'pilotUnknown', pilot: code });
    else if (!isBranch(unit)) problems.push({ code: 'pilotNotBranch', name: unit.name });
    else if (code !== scope && !(ancestors.get(code) ?? []).includes(scope)) {
      problems.push({ code: 'pilotOutsideScope', name: unit.name, scopeName: scopeUnit?.name ?? scope });
    }
  }
  return problems.map(m.campaignProblem);
}

/** Earliest deadline first. */
export function byDeadline(a: Campaign, b: Campaign): number {
  return a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0;
}
