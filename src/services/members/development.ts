/**
 * Phát triển đảng viên: new members admitted against the year's targets, per child unit of a
 * scope, and the probationary members whose twelve months end within 60 days or have ended
 * without chuyển chính thức. Targets are set by the office.
 */
import type { Member } from '../../domain/members/member.js';
import { probationDueUntil } from '../../domain/members/probation.js';
import { type MemberOutcome, refuse, type UnitRef } from '../../domain/members/refusal.js';
import { isBranch, type Unit } from '../../domain/units.js';
import { type IsoDate, parseWholeNumber } from '../../domain/vn.js';
import { adminOnly, branchesIn, viewableUnit } from './access.js';
import { type Actor, actorId, type MemberServiceDeps, today, unitRef } from './types.js';

/** The most a target may be: larger is a typing error. */
export const TARGET_MAX = 1_000_000;
const FIRST_YEAR = 1930;

export interface AdmissionRow {
  unit: UnitRef;
  target?: number;
  admitted: number;
}

export interface ProbationRow {
  member: Member;
  unit: UnitRef;
  /** The day the twelve months end (or ended). */
  ends: IsoDate;
}

export interface DevelopmentReport {
  year: number;
  asOf: IsoDate;
  scope: UnitRef;
  target?: number;
  admitted: number;
  /** One row per child unit of the scope, in code order; none for a branch. */
  children: AdmissionRow[];
  /** Probation ends within 60 days (today included), soonest first. */
  due: ProbationRow[];
  /** Probation has ended without chuyển chính thức, longest ago first. */
  overdue: ProbationRow[];
}

/** "2026" -> 2026, within 1930 and next year; undefined otherwise. */
function parseYear(text: string, day: IsoDate): number | undefined {
  const year = parseWholeNumber(text);
  const last = Number(day.slice(0, 4)) + 1;
  return year !== undefined && year >= FIRST_YEAR && year <= last ? year : undefined;
}

/** Admissions against targets and chuyển chính thức due, for a scope and year (this year by default). */
export async function development(
  deps: MemberServiceDeps,
  actor: Actor,
  opts: { year?: string; unit?: string } = {},
): Promise<MemberOutcome<DevelopmentReport>> {
  const day = today(deps);
  const year = opts.year === undefined ? Number(day.slice(0, 4)) : parseYear(opts.year, day);
  if (year === undefined) return refuse({ reason: 'invalid_year', text: opts.year ?? '' });
  const found = await viewableUnit(deps.org, actor, opts.unit);
  if (!found.ok) return found;
  const scope = found.value;
  const { units } = deps.org;

  const children = isBranch(scope) ? [] : await units.getMany(await units.children(scope.code));
  const childUnits = [...children.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
  const branchesOf = new Map<string, string[]>();
  for (const child of childUnits) branchesOf.set(child.code, await units.branchesUnder(child.code));
  const all = isBranch(scope) ? [scope.code] : [...branchesOf.values()].flat();
  const [admissions, targets] = await Promise.all([
    deps.store.admissions(all, year),
    deps.store.targets([scope.code, ...childUnits.map((u) => u.code)], year),
  ]);
  const sum = (codes: readonly string[]) => codes.reduce((n, c) => n + (admissions.get(c) ?? 0), 0);
  const rows: AdmissionRow[] = childUnits.map((u) => {
    const target = targets.get(u.code);
    return {
      unit: unitRef(u),
      admitted: sum(branchesOf.get(u.code) ?? []),
      ...(target !== undefined ? { target } : {}),
    };
  });
  const target = targets.get(scope.code);
  const { due, overdue } = await probation(deps, scope, day);
  return {
    ok: true,
    value: {
      year,
      asOf: day,
      scope: unitRef(scope),
      ...(target !== undefined ? { target } : {}),
      admitted: sum(all),
      children: rows,
      due,
      overdue,
    },
  };
}

/** Probationary members of the scope due or overdue for chuyển chính thức on `day`. */
async function probation(
  deps: MemberServiceDeps,
  scope: Unit,
  day: IsoDate,
): Promise<{ due: ProbationRow[]; overdue: ProbationRow[] }> {
  const ending = await deps.store.probationEndingBy(probationDueUntil(day));
  const located = await deps.store.locate(ending.map((e) => e.id));
  const inScope = await branchesIn(deps.org, scope);
  for (const [id, branch] of located) if (!inScope(branch)) located.delete(id);
  const members = await deps.store.activeAt(located);
  const branches = await deps.org.units.getMany([...new Set([...members.values()].map((m) => m.branch))]);
  const due: ProbationRow[] = [];
  const overdue: ProbationRow[] = [];
  for (const { id, ends } of ending) {
    const member = members.get(id);
    if (!member) continue;
    const branch = branches.get(member.branch);
    const row = {
      member,
      ends,
      unit: branch ? unitRef(branch) : { code: member.branch, name: member.branch },
    };
    (ends < day ? overdue : due).push(row);
  }
  return { due, overdue };
}

/** Sets a unit's target of new members for a year. Only the office. */
export async function setTarget(
  deps: MemberServiceDeps,
  actor: Actor,
  opts: { unit: string; year: string; newMembers: string },
): Promise<MemberOutcome<{ unit: UnitRef; year: number; target: number }>> {
  const refused = adminOnly(actor);
  if (refused) return refuse(refused);
  const unit = await deps.org.units.get(opts.unit);
  if (!unit) return refuse({ reason: 'unknown_unit', code: opts.unit });
  const year = parseYear(opts.year, today(deps));
  if (year === undefined) return refuse({ reason: 'invalid_year', text: opts.year });
  const target = parseWholeNumber(opts.newMembers);
  if (target === undefined || target > TARGET_MAX)
    return refuse({ reason: 'invalid_target', text: opts.newMembers });
  await deps.store.setTarget(unit.code, year, target, { actor: actorId(actor), now: deps.clock.now() });
  return { ok: true, value: { unit: unitRef(unit), year, target } };
}
