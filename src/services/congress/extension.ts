/**
 * Gia hạn: an admin (or the CLI), or a leader whose subtree holds the branch, lets one branch
 * hold its congress after the round's deadline. The branch's secretaries and deputies are told
 * their new date and what to do.
 */
import { type Campaign, coversUnit } from '../../domain/congress/campaign.js';
import {
  type ExtensionArgs,
  type ExtensionProblem,
  parseExtensionArgs,
} from '../../domain/congress/extension.js';
import { isBranch } from '../../domain/units.js';
import { formatVnDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import { outboxId } from '../../outbox/outbox.js';
import type { Viewer } from '../organisation.js';
import { leads } from './access.js';
import { type CongressServiceDeps, todayOf } from './deps.js';
import type { Answer } from './types.js';

const m = msg.congress;

/** `/giahan MÃ DD/MM/YYYY [mã đợt] [lý do]` in chat. */
export async function extendFromChat(
  deps: CongressServiceDeps,
  viewer: Viewer,
  args: string,
): Promise<Answer> {
  if (viewer.roles.length === 0) return { ok: false, text: msg.units.noAccess };
  if (!deps.org.isAdmin(viewer) && !viewer.roles.some((r) => r.kind === 'leader'))
    return { ok: false, text: m.chat.leaderOnly };
  const parsed = parseExtensionArgs(args);
  if (!parsed.ok) return { ok: false, text: m.extensionProblem(parsed.problem) };
  return extend(deps, viewer, parsed.value);
}

/**
 * Grants or moves a branch's extension. `campaignId` picks the round; without it, the one open
 * round covering the branch (several: the caller is asked to name one).
 */
export async function extend(
  deps: CongressServiceDeps,
  actor: Viewer | 'cli',
  input: ExtensionArgs,
): Promise<Answer> {
  const { org } = deps;
  const fail = (problem: ExtensionProblem): Answer => ({ ok: false, text: m.extensionProblem(problem) });
  const unit = await org.units.get(input.unit);
  if (!unit) return { ok: false, text: msg.units.unknownUnit(input.unit) };
  const ancestors = await org.units.ancestors(unit.code);
  if (actor !== 'cli' && !leads(org, actor, unit.code, ancestors))
    return { ok: false, text: msg.units.noAccessToUnit(unit.name) };
  if (!isBranch(unit)) return fail({ code: 'notBranch', name: unit.name });

  const lineage = [...ancestors, unit.code];
  let campaign: Campaign | undefined;
  if (input.campaignId !== undefined) {
    campaign = await deps.campaigns.getCampaign(input.campaignId);
    if (!campaign) return { ok: false, text: m.campaignNotFound };
    if (!coversUnit(campaign, lineage)) return fail({ code: 'notInCampaign', name: unit.name });
  } else {
    const open = await deps.campaigns.campaignsCovering(lineage, todayOf(deps));
    if (open.length === 0) return fail({ code: 'noCampaign', name: unit.name });
    if (open.length > 1) return fail({ code: 'severalCampaigns', ids: open.map((c) => c.id) });
    campaign = open[0]!;
  }

  const r = await deps.store.extend({
    campaignId: campaign.id,
    branch: unit.code,
    ancestors,
    until: input.until,
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    actor: actor === 'cli' ? 'cli' : String(actor.id),
    now: deps.clock.now(),
  });
  if (!r.ok) return fail(r.problem);

  const until = formatVnDate(r.extension.until);
  const holders = new Set([
    ...(await org.people.holdersOf(unit.code, 'secretary')),
    ...(await org.people.holdersOf(unit.code, 'deputy')),
  ]);
  const notice = m.extension.notice(unit.name, campaign.name, until, r.extension.reason);
  for (const personId of holders) {
    await deps.notifier.toPerson(personId, notice, {
      id: outboxId('dh-gh', campaign.id, unit.code, r.extension.until, personId),
      purpose: 'notice',
    });
  }
  const e = m.extension;
  const head = r.previous
    ? e.moved(unit.name, formatVnDate(r.previous.until), until)
    : e.granted(unit.name, until, formatVnDate(campaign.deadline));
  const parts = [head];
  if (r.extension.reason !== undefined) parts.push(e.reason(r.extension.reason));
  parts.push(holders.size > 0 ? e.told(holders.size) : e.nobodyTold);
  return { ok: true, text: parts.join('\n') };
}
