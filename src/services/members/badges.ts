/**
 * Huy hiệu Đảng: who in a scope is due at an occasion. A small scope reads its branches'
 * registers whole; a large one reads the register's standing-anchor lists, about 1,300 list
 * reads whatever its size, whose entries carry all the list needs. Both end in the same exact
 * test (`dueAt`), so they give the same list.
 */
import type { BadgeList, BadgeMember, BadgeRow } from '../../domain/members/badgeList.js';
import { compareNames } from '../../domain/members/member.js';
import { type MemberOutcome, refuse } from '../../domain/members/refusal.js';
import {
  anchorRange,
  BADGE_MILESTONES,
  type BadgeMilestone,
  dueAt,
  isOccasion,
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

type Due = { member: BadgeMember; milestone: BadgeMilestone };

async function scanBranches(deps: MemberServiceDeps, scope: Unit, occasion: IsoDate): Promise<Due[]> {
  const registers = await deps.store.branches(await deps.org.units.branchesUnder(scope.code));
  const due = dueAt(occasion);
  const out: Due[] = [];
  for (const members of registers.values()) {
    for (const member of members) {
      const milestone = due(member);
      if (milestone !== undefined) out.push({ member, milestone });
    }
  }
  return out;
}

async function fromIndex(deps: MemberServiceDeps, scope: Unit, occasion: IsoDate): Promise<Due[]> {
  const candidates = await deps.store.badgeCandidates(
    BADGE_MILESTONES.map((years) => anchorRange(occasion, years)),
  );
  const inScope = await branchesIn(deps.org, scope);
  const due = dueAt(occasion);
  const out: Due[] = [];
  for (const member of candidates) {
    if (!inScope(member.branch)) continue;
    const milestone = due(member);
    if (milestone !== undefined) out.push({ member, milestone });
  }
  return out;
}

/**
 * Names the branches and the units above them, and orders the rows branch by branch (tree
 * order), by given name within a branch: names are compared only within a branch.
 */
async function withUnits(deps: MemberServiceDeps, due: readonly Due[]): Promise<BadgeRow[]> {
  const { units } = deps.org;
  const byBranch = new Map<string, Due[]>();
  for (const d of due) {
    const list = byBranch.get(d.member.branch);
    if (list) list.push(d);
    else byBranch.set(d.member.branch, [d]);
  }
  const heads = await units.heads([...byBranch.keys()]);
  const parentCodes = new Set<string>();
  for (const h of heads.values()) if (h.parent) parentCodes.add(h.parent);
  const parents = await units.getMany([...parentCodes]);
  // Paths end with the branch's own code, so sorting the paths as plain strings (no comparator,
  // much faster for a province's branches) gives tree order.
  const paths = [...byBranch.keys()].map((code) => heads.get(code)?.path ?? code).sort();
  const rows: BadgeRow[] = [];
  for (const path of paths) {
    const code = path.slice(path.lastIndexOf('/') + 1);
    const head = heads.get(code);
    const found = head?.parent ? parents.get(head.parent) : undefined;
    const parent = found ? unitRef(found) : undefined;
    const unit = { code, name: head?.name ?? code };
    const due = byBranch.get(code)!.sort((a, b) => compareNames(a.member.fullName, b.member.fullName));
    for (const { member, milestone } of due) {
      rows.push(parent ? { member, milestone, unit, parent } : { member, milestone, unit });
    }
  }
  return rows;
}
