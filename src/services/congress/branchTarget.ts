/** The branch and round a secretary's (or deputy's) command acts on. */
import type { Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { type CongressServiceDeps, todayOf } from './deps.js';
import type { BranchChoice } from './types.js';

const m = msg.congress;

/**
 * The branch and round a secretary's (or deputy's) command acts on. With one branch and one
 * open round covering it, that is it; otherwise the caller asks, then calls again with the
 * choice. A choice is checked again: a person only ever acts for their own branch.
 */
export async function branchTarget(
  deps: Pick<CongressServiceDeps, 'org' | 'campaigns' | 'clock' | 'timezone' | 'officialCounts'>,
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
    return { kind: 'ok', target: { campaign, branch, ancestors, ...(await official(deps, branch.code)) } };
  }
  if (open.length === 0) return { kind: 'refused', text: m.chat.noOpenCampaign(branch.name) };
  if (open.length > 1) return { kind: 'chooseCampaign', branch, campaigns: open };
  return {
    kind: 'ok',
    target: { campaign: open[0]!, branch, ancestors, ...(await official(deps, branch.code)) },
  };
}

/** The register's full members of a branch, when the register has any. */
async function official(
  deps: Pick<CongressServiceDeps, 'officialCounts'>,
  branch: string,
): Promise<{ official?: number }> {
  if (!deps.officialCounts) return {};
  const count = (await deps.officialCounts([branch])).get(branch) ?? 0;
  return count > 0 ? { official: count } : {};
}
