/** The branch and round a secretary's (or deputy's) command acts on. */
import type { Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { type CongressServiceDeps, todayOf } from './deps.js';
import type { BranchChoice, BranchTarget } from './types.js';

const m = msg.congress;

/**
 * The branch and round a secretary's (or deputy's) command acts on. With one branch and one
 * open round covering it, that is it; otherwise the caller asks, then calls again with the
 * choice. A choice is checked again: a person only ever acts for their own branch.
 */
export async function branchTarget(
  deps: Pick<CongressServiceDeps, 'org' | 'campaigns' | 'store' | 'memberCounts' | 'clock' | 'timezone'>,
  viewer: Viewer,
  choice: { branch?: string; campaignId?: string },
): Promise<BranchChoice> {
  const { org, campaigns } = deps;
  if (viewer.roles.length === 0) return { kind: 'refused', text: msg.units.noAccess };
  const branches = await org.reportingUnits(viewer);
  if (branches.length === 0) return { kind: 'refused', text: m.chat.secretaryOnly };
  let branch: Unit | undefined;
  if (choice.branch !== undefined) {
    branch = branches.find((b) => b.code === choice.branch);
    if (!branch) {
      const unit = await org.units.get(choice.branch);
      return { kind: 'refused', text: msg.units.noAccessToUnit(unit?.name ?? choice.branch) };
    }
  } else if (branches.length > 1) return { kind: 'chooseBranch', branches };
  else branch = branches[0]!;

  const ancestors = await org.units.ancestors(branch.code);
  const open = await campaigns.campaignsCovering([...ancestors, branch.code], todayOf(deps));
  if (choice.campaignId !== undefined) {
    const campaign = open.find((c) => c.id === choice.campaignId);
    if (!campaign) {
      // A round that closed while the person was answering says so; anything else is unknown here.
      const known = await campaigns.getCampaign(choice.campaignId);
      const closed = known !== undefined && [...ancestors, branch.code].includes(known.scope);
      return { kind: 'refused', text: closed ? m.campaignClosed : m.campaignNotFound };
    }
    return { kind: 'ok', target: await withExtension(deps, { campaign, branch, ancestors }) };
  }
  if (open.length === 0) return { kind: 'refused', text: m.chat.noOpenCampaign(branch.name) };
  if (open.length > 1) return { kind: 'chooseCampaign', branch, campaigns: open };
  return { kind: 'ok', target: await withExtension(deps, { campaign: open[0]!, branch, ancestors }) };
}

/**
 * The target with the branch's extension in the round, when it has one, and the member
 * register's official count when the branch keeps a register (the 9-member rule uses it when
 * the unit list gives none).
 */
async function withExtension(
  deps: Pick<CongressServiceDeps, 'store' | 'memberCounts'>,
  target: BranchTarget,
): Promise<BranchTarget> {
  const code = target.branch.code;
  const [extension, counts] = await Promise.all([
    deps.store.getExtension(target.campaign.id, code),
    target.branch.official === undefined && deps.memberCounts
      ? deps.memberCounts.counts([code])
      : Promise.resolve(undefined),
  ]);
  const c = counts?.get(code);
  const inRegister = c !== undefined && c.official + c.probationary > 0;
  return {
    ...target,
    ...(extension ? { extension } : {}),
    ...(inRegister ? { registerOfficial: c.official } : {}),
  };
}
