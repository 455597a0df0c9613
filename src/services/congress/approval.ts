/** Chuẩn y: a responsible leader approves a branch's result, and the branch is told. */
import { formatTerm } from '../../domain/congress/campaign.js';
import { calendarDate, formatVnDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import { outboxId } from '../../outbox/outbox.js';
import type { Viewer } from '../organisation.js';
import { leads } from './access.js';
import type { CongressServiceDeps } from './deps.js';
import type { Answer } from './types.js';

const m = msg.congress;

/**
 * Chuẩn y of a branch's result by a leader responsible for it (its unit or an ancestor's) or
 * an admin. The branch's secretaries and deputies are told.
 */
export async function approve(
  deps: CongressServiceDeps,
  viewer: Viewer,
  campaignId: string,
  branchCode: string,
): Promise<Answer> {
  const { org } = deps;
  if (viewer.roles.length === 0) return { ok: false, text: msg.units.noAccess };
  const [campaign, branch, ancestors] = await Promise.all([
    deps.campaigns.getCampaign(campaignId),
    org.units.get(branchCode),
    org.units.ancestors(branchCode),
  ]);
  if (!campaign) return { ok: false, text: m.campaignNotFound };
  if (!branch) return { ok: false, text: msg.units.unknownUnit(branchCode) };
  if (!leads(org, viewer, branchCode, ancestors)) return { ok: false, text: m.chat.notApprover };
  const r = await deps.store.approve({
    campaignId,
    branch: branchCode,
    ancestors,
    actor: String(viewer.id),
    now: deps.clock.now(),
  });
  if (!r.ok) return { ok: false, text: m.approveWithoutReport(branch.name) };
  if (r.alreadyApproved) {
    return {
      ok: true,
      text: m.alreadyApproved(branch.name, formatVnDate(calendarDate(r.approved.at, deps.timezone))),
    };
  }
  const holders = [
    ...(await org.people.holdersOf(branchCode, 'secretary')),
    ...(await org.people.holdersOf(branchCode, 'deputy')),
  ];
  const text = m.chat.approvedNotice(branch.name, formatTerm(campaign.term));
  for (const personId of new Set(holders)) {
    await deps.notifier.toPerson(personId, text, {
      id: outboxId('dh-cy', campaignId, branchCode, personId),
      purpose: 'notice',
    });
  }
  return { ok: true, text: m.approved(branch.name) };
}
