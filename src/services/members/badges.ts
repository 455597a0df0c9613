/**
 * Huy hiệu Đảng: who in a scope is due at an occasion. A small scope reads its branches'
 * registers whole; a large one asks the register's standing-anchor index, a few hundred set
 * reads whatever its size, then reads only the candidates' records. Both end in the same
 * exact test (`milestoneDueAt`), so they give the same list.
 */
import type { BadgeList, BadgeRow } from '../../domain/members/badgeList.js';
import { compareNames, type Member } from '../../domain/members/member.js';
import { type MemberOutcome, refuse } from '../../domain/members/refusal.js';
import {
  anchorRange,
  BADGE_MILESTONES,
  type BadgeMilestone,
  isOccasion,
  milestoneDueAt,
  occasionOnOrAfter,
} from '../../domain/members/standing.js';
import type { Unit } from '../../domain/units.js';
import { type IsoDate, parseVnDate } from '../../domain/vn.js';
import { branchesIn, viewableUnit } from './access.js';
import { type Actor, type MemberServiceDeps, today, unitRef } from './types.js';

/** Up to this many branches a scope's registers are read whole; above, the index is used. */
const SCAN_LIMIT = 2000;

/**
 * The occasion a request names ("02/09/2026"), or the next one from today. A day that is not
 * an occasion is refused with the next occasion after it.
 */
export function occasionOf(text: string | undefined, day: IsoDate): MemberOutcome<IsoDate> {
  if (text === undefined || text.trim() === '') return { ok: true, value: occasionOnOrAfter(day) };
  const date = parseVnDate(text);
  if (!date) return refuse({ reason: 'not_occasion', text });
  if (!isOccasion(date)) return refuse({ reason: 'not_occasion', text, next: occasionOnOrAfter(date) });
  return { ok: true, value: date };
}

/** Members of the scope due at the occasion (the next one by default), for those who may see the scope. */
export async function badgesDue(
  deps: MemberServiceDeps,
  actor: Actor,
  opts: { occasion?: string; unit?: string } = {},
): Promise<MemberOutcome<BadgeList>> {
  const occasion = occasionOf(opts.occasion, today(deps));
  if (!occasion.ok) return occasion;
  const scope = await viewableUnit(deps.org, actor, opts.unit);
  if (!scope.ok) return scope;
  return { ok: true, value: await badgeList(deps, scope.value, occasion.value) };
}

/** The list for a scope already checked; also what reminders use for each secretary's branch. */
export async function badgeList(deps: MemberServiceDeps, scope: Unit, occasion: IsoDate): Promise<BadgeList> {
  const due =
    (await deps.org.units.branchCount(scope.code)) <= (deps.badgeScanLimit ?? SCAN_LIMIT)
      ? await scanBranches(deps, scope, occasion)
      : await fromIndex(deps, scope, occasion);
  return { occasion, scope: unitRef(scope), rows: await withUnits(deps, due) };
}

type Due = { member: Member; milestone: BadgeMilestone };

async function scanBranches(deps: MemberServiceDeps, scope: Unit, occasion: IsoDate): Promise<Due[]> {
  const registers = await deps.store.branches(await deps.org.units.branchesUnder(scope.code));
  const out: Due[] = [];
  for (const members of registers.values()) {
    for (const member of members) {
      const milestone = milestoneDueAt(member, occasion);
      if (milestone !== undefined) out.push({ member, milestone });
    }
  }
  return out;
}

async function fromIndex(deps: MemberServiceDeps, scope: Unit, occasion: IsoDate): Promise<Due[]> {
  const ids = await deps.store.anchoredIn(BADGE_MILESTONES.map((years) => anchorRange(occasion, years)));
  const located = await deps.store.locate(ids);
  const inScope = await branchesIn(deps.org, scope);
  for (const [id, branch] of located) if (!inScope(branch)) located.delete(id);
  const out: Due[] = [];
  for (const member of (await deps.store.activeAt(located)).values()) {
    const milestone = milestoneDueAt(member, occasion);
    if (milestone !== undefined) out.push({ member, milestone });
  }
  return out;
}

/** Names the branches and the units above them, and orders the rows branch by branch. */
async function withUnits(deps: MemberServiceDeps, due: readonly Due[]): Promise<BadgeRow[]> {
  const { units } = deps.org;
  const codes = [...new Set(due.map((d) => d.member.branch))];
  const [branches, ancestors] = await Promise.all([units.getMany(codes), units.ancestorsMany(codes)]);
  const parentCodes = [...new Set([...branches.values()].flatMap((b) => (b.parent ? [b.parent] : [])))];
  const parents = await units.getMany(parentCodes);
  const path = (code: string) => [...(ancestors.get(code) ?? []), code].join('/');
  const paths = new Map(codes.map((c) => [c, path(c)]));
  return due
    .map(({ member, milestone }) => {
      const branch = branches.get(member.branch);
      const parent = branch?.parent ? parents.get(branch.parent) : undefined;
      return {
        member,
        milestone,
        unit: branch ? unitRef(branch) : { code: member.branch, name: member.branch },
        ...(parent ? { parent: unitRef(parent) } : {}),
      };
    })
    .sort((a, b) => {
      const pa = paths.get(a.member.branch) ?? '';
      const pb = paths.get(b.member.branch) ?? '';
      return pa < pb ? -1 : pa > pb ? 1 : compareNames(a.member.fullName, b.member.fullName);
    });
}
