/** The branch and round a secretary's (or deputy's) command acts on. */
import { reportingBranches } from '../../domain/access.js';
import type { Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import { openCovering } from '../../store/campaigns.js';
import { parseLocated } from '../../store/units.js';
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
  const codes = reportingBranches(viewer.roles);
  if (codes.length === 0) return { kind: 'refused', text: m.chat.secretaryOnly };
  // The person's branches (with their ancestors) and the rounds, in one round trip.
  const read = await campaigns.listWith((p) => org.units.queueLocated(p, codes));
  for (const r of read.replies) if (r instanceof Error) throw r;
  const located = parseLocated(read.replies);
  const branches = located.map((l) => l.unit);
  if (branches.length === 0) return { kind: 'refused', text: m.chat.secretaryOnly };
  let found: (typeof located)[number] | undefined;
  if (choice.branch !== undefined) {
    found = located.find((l) => l.unit.code === choice.branch);
    if (!found) {
      const unit = await org.units.get(choice.branch);
      return { kind: 'refused', text: msg.units.noAccessToUnit(unit?.name ?? choice.branch) };
    }
  } else if (branches.length > 1) return { kind: 'chooseBranch', branches };
  else found = located[0]!;

  const branch: Unit = found.unit;
  const ancestors = found.ancestors;
  const open = openCovering(read.campaigns, [...ancestors, branch.code], todayOf(deps));
  if (choice.campaignId !== undefined) {
    const campaign = open.find((c) => c.id === choice.campaignId);
    if (!campaign) {
      // A round that closed while the person was answering says so; anything else is unknown here.
      const known = read.campaigns.find((c) => c.id === choice.campaignId);
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
