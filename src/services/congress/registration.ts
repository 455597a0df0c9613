/** /lich: registering or moving a branch's congress date, with the pilot rule. */
import type { Campaign } from '../../domain/congress/campaign.js';
import { parseRegistrationArgs } from '../../domain/congress/registration.js';
import { msg } from '../../messages/index.js';
import { outboxId } from '../../outbox/outbox.js';
import type { Organisation, Viewer } from '../organisation.js';
import { toLeaders } from './access.js';
import type { CongressServiceDeps } from './deps.js';
import type { Answer, BranchTarget } from './types.js';

const m = msg.congress;

/**
 * Registers or moves the branch's congress date ("15/09/2025 19:30"). The pilot rule: a branch
 * of a grassroots committee whose pilot congress has not been held before the date is told so,
 * and the responsible leaders are notified.
 */
export async function registerDate(
  deps: Pick<CongressServiceDeps, 'org' | 'store' | 'notifier' | 'clock'>,
  viewer: Viewer,
  target: BranchTarget,
  args: string,
): Promise<Answer> {
  const parsed = parseRegistrationArgs(args);
  if (!parsed.ok) return { ok: false, text: m.registrationProblem(parsed.problem) };
  const { campaign, branch, ancestors } = target;
  const r = await deps.store.registerDate({
    campaignId: campaign.id,
    branch: branch.code,
    ancestors,
    date: parsed.date,
    ...(parsed.time !== undefined ? { time: parsed.time } : {}),
    committeePilots: await committeePilots(deps.org, campaign, branch.code, ancestors),
    actor: String(viewer.id),
    now: deps.clock.now(),
    campaign,
  });
  if (!r.ok) return { ok: false, text: m.registrationProblem(r.problem) };
  const when = m.registrationWhen(r.registration.date, r.registration.time);
  let text =
    r.previous && r.changed
      ? m.registration.moved(m.registrationWhen(r.previous.date, r.previous.time), when)
      : m.registration.registered(when);
  if (r.pilotWarning) {
    const pilot = await deps.org.units.get(r.pilotWarning.pilot);
    const pilotName = pilot?.name ?? r.pilotWarning.pilot;
    text += `\n\n${m.pilotWarning(r.pilotWarning, pilotName)}`;
    const notice = m.pilotLeaderNotice(r.pilotWarning, branch.name, r.registration.date, pilotName);
    await toLeaders(deps, branch.code, ancestors, notice, (personId) => ({
      id: outboxId('dh-diem', campaign.id, branch.code, r.registration.date, personId),
      purpose: 'notice',
    }));
  }
  return { ok: true, text };
}

/** Why "/lich …" arguments are not a date (and optional time), or undefined when they are. */
export function registrationArgsError(args: string): string | undefined {
  const parsed = parseRegistrationArgs(args);
  return parsed.ok ? undefined : m.registrationProblem(parsed.problem);
}

/** The round's pilots in the branch's grassroots committee (its nearest đảng bộ cơ sở, else its parent). */
async function committeePilots(
  org: Organisation,
  campaign: Campaign,
  branch: string,
  ancestors: readonly string[],
): Promise<string[]> {
  if (campaign.pilots.length === 0 || ancestors.length === 0) return [];
  const ancestorUnits = await org.units.getMany(ancestors);
  const committee =
    [...ancestors].reverse().find((c) => ancestorUnits.get(c)?.level === 'dang_bo_co_so') ??
    ancestors[ancestors.length - 1]!;
  const pilotAncestors = await org.units.ancestorsMany(campaign.pilots);
  return campaign.pilots.filter((p) => p !== branch && (pilotAncestors.get(p) ?? []).includes(committee));
}
