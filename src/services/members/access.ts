/**
 * Who may see and change which part of the register. Members are personal data: a secretary
 * (or deputy) sees and keeps their own branch's register, a leader sees their subtree, an admin
 * and the server's CLI everything. Imports and targets are the office's.
 */
import { canReportFor, canView, isAdmin } from '../../domain/access.js';
import { type MemberOutcome, type MemberRefusal, refuse } from '../../domain/members/refusal.js';
import { isBranch, type Unit } from '../../domain/units.js';
import type { Organisation } from '../organisation.js';
import { type Actor, unitRef } from './types.js';

const ok = <T>(value: T) => ({ ok: true as const, value });

/** Why this actor may not do an office-only task, or undefined. */
export function adminOnly(actor: Actor): MemberRefusal | undefined {
  if (actor === 'cli' || isAdmin(actor.roles)) return undefined;
  return actor.roles.length === 0 ? { reason: 'no_access' } : { reason: 'admin_only' };
}

/**
 * The unit a request covers: the one named, if the actor may see it; otherwise the actor's one
 * scope (the root for admins and the CLI). A person with several separate scopes must name one.
 */
export async function viewableUnit(
  org: Organisation,
  actor: Actor,
  code?: string,
): Promise<MemberOutcome<Unit>> {
  if (actor !== 'cli' && actor.roles.length === 0) return refuse({ reason: 'no_access' });
  if (code === undefined) {
    if (actor === 'cli' || isAdmin(actor.roles)) {
      const root = await org.units.root();
      return root ? ok(root) : refuse({ reason: 'no_units' });
    }
    const scopes = await org.viewScopes(actor);
    if (scopes.length === 0) return refuse({ reason: 'no_units' });
    if (scopes.length > 1) return refuse({ reason: 'choose_scope', units: scopes.map(unitRef) });
    return ok(scopes[0]!);
  }
  const unit = await org.units.get(code);
  if (!unit) return refuse({ reason: 'unknown_unit', code });
  if (actor === 'cli' || isAdmin(actor.roles)) return ok(unit);
  if (!canView(actor.roles, unit.code, await org.units.ancestors(unit.code))) {
    return refuse({ reason: 'not_allowed', unit: unitRef(unit) });
  }
  return ok(unit);
}

/** A branch whose register this actor may change: their own as secretary or deputy; any for admins. */
export async function manageableBranch(
  org: Organisation,
  actor: Actor,
  code: string,
): Promise<MemberOutcome<Unit>> {
  if (actor !== 'cli' && actor.roles.length === 0) return refuse({ reason: 'no_access' });
  const unit = await org.units.get(code);
  if (!unit) return refuse({ reason: 'unknown_unit', code });
  const allowed = actor === 'cli' || isAdmin(actor.roles) || canReportFor(actor.roles, unit.code);
  if (!allowed) return refuse({ reason: 'not_allowed', unit: unitRef(unit) });
  if (!isBranch(unit)) return refuse({ reason: 'not_branch', unit: unitRef(unit) });
  return ok(unit);
}

/** A test for "this branch lies in the scope", reading the scope's branches once (none for the root). */
export async function branchesIn(org: Organisation, scope: Unit): Promise<(branch: string) => boolean> {
  if (scope.parent === null) return () => true;
  const branches = new Set(await org.units.branchesUnder(scope.code));
  return (b) => branches.has(b);
}
