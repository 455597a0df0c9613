/**
 * Who may report for and see which units. Pure: the store supplies ancestor paths, so these
 * rules can be tested as a plain matrix.
 *
 * - Admin (committee office): sees everything; does not report.
 * - Leader of a unit: sees that unit and its whole subtree.
 * - Secretary or deputy of a branch: reports for and sees that branch only (a deputy stands in).
 */
import type { Role } from './units.js';

/** A unit's ancestors, root first, without the unit itself. */
export type AncestorsOf = (unitCode: string) => readonly string[];

/** True when any role is admin. */
export function isAdmin(roles: readonly Role[]): boolean {
  return roles.some((r) => r.kind === 'admin');
}

/** True when the person is secretary or deputy of exactly this branch. */
export function canReportFor(roles: readonly Role[], unitCode: string): boolean {
  return roles.some((r) => (r.kind === 'secretary' || r.kind === 'deputy') && r.unit === unitCode);
}

/** The branches a person reports for, in the order the roles were given, without repeats. */
export function reportingBranches(roles: readonly Role[]): string[] {
  const out = new Set<string>();
  for (const r of roles) if (r.kind === 'secretary' || r.kind === 'deputy') out.add(r.unit);
  return [...out];
}

/**
 * True when the person may see this unit's data: admins everything, leaders their unit and its
 * subtree, secretaries and deputies their own branch. `ancestors` is the unit's ancestor path
 * (root first, without the unit), or a function giving it.
 */
export function canView(
  roles: readonly Role[],
  unitCode: string,
  ancestors: AncestorsOf | readonly string[],
): boolean {
  let path: readonly string[] | undefined;
  const pathOf = () => {
    path ??= typeof ancestors === 'function' ? ancestors(unitCode) : ancestors;
    return path;
  };
  for (const r of roles) {
    switch (r.kind) {
      case 'admin':
        return true;
      case 'secretary':
      case 'deputy':
        if (r.unit === unitCode) return true;
        break;
      case 'leader':
        if (r.unit === unitCode || pathOf().includes(r.unit)) return true;
        break;
    }
  }
  return false;
}

/**
 * The units a person's views are rooted at: the root for an admin, otherwise every unit they
 * lead and every branch they serve, without repeats. With `ancestorsOf`, a scope that lies
 * inside another of the same person's scopes is dropped (a leader of a commune who is also
 * secretary of one of its branches sees one tree, not two).
 */
export function viewScopes(roles: readonly Role[], root: string | null, ancestorsOf?: AncestorsOf): string[] {
  if (isAdmin(roles)) return root === null ? [] : [root];
  const scopes: string[] = [];
  for (const r of roles) if (r.kind !== 'admin' && !scopes.includes(r.unit)) scopes.push(r.unit);
  if (!ancestorsOf) return scopes;
  const set = new Set(scopes);
  return scopes.filter((s) => !ancestorsOf(s).some((a) => set.has(a)));
}
