/**
 * Who may export what. Admins export from the root, leaders their own subtree; secretaries and
 * people without a role are refused. The CLI may export anything.
 */
import type { Recipient } from '../../domain/directives.js';
import { echo } from '../../domain/text.js';
import { type Unit, unitCodeSchema } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import type { Organisation, Viewer } from '../organisation.js';
import { type Actor, type Found, fail } from './types.js';

const m = msg.exports;

/** Why this person may not export at all, or undefined. */
export function refusal(org: Organisation, viewer: Viewer): string | undefined {
  if (viewer.roles.length === 0) return msg.units.noAccess;
  if (org.isAdmin(viewer) || viewer.roles.some((r) => r.kind === 'leader')) return undefined;
  return m.chat.leaderOnly;
}

/** Units a person's exports start at: the root for admins, the outermost units they lead. */
export async function scopes(org: Organisation, viewer: Viewer): Promise<Unit[]> {
  if (org.isAdmin(viewer)) {
    const root = await org.units.root();
    return root ? [root] : [];
  }
  const leaderRoles = viewer.roles.filter((r) => r.kind === 'leader');
  return org.viewScopes({ id: viewer.id, roles: leaderRoles });
}

/** The unit a code names; a code no unit could have ("BP1:children") names none. */
async function unitOf(org: Organisation, code: string): Promise<Found<Unit>> {
  const unit = unitCodeSchema.safeParse(code).success ? await org.units.get(code) : undefined;
  return unit ? { ok: true, value: unit } : fail(msg.units.unknownUnit(echo(code)));
}

/** A unit the person may export: an admin any, a leader their unit and what lies under it. */
export async function allowedUnit(org: Organisation, viewer: Viewer, code: string): Promise<Found<Unit>> {
  const refused = refusal(org, viewer);
  if (refused) return fail(refused);
  const found = await unitOf(org, code);
  if (!found.ok) return found;
  const unit = found.value;
  if (org.isAdmin(viewer)) return { ok: true, value: unit };
  const ancestors = await org.units.ancestors(code);
  const leads = viewer.roles.some(
    (r) => r.kind === 'leader' && (r.unit === code || ancestors.includes(r.unit)),
  );
  return leads ? { ok: true, value: unit } : fail(msg.units.noAccessToUnit(unit.name));
}

/**
 * Where an export starts: the unit asked for (checked for chat users), else the root for the
 * CLI and admins, or a leader's one scope (a leader of several units must name one).
 */
export async function startUnit(
  org: Organisation,
  actor: Actor,
  code: string | undefined,
): Promise<Found<Unit>> {
  if (actor !== 'cli') {
    if (code !== undefined) return allowedUnit(org, actor, code);
    const refused = refusal(org, actor);
    if (refused) return fail(refused);
    const found = await scopes(org, actor);
    if (found.length === 0) return fail(m.errors.noUnits);
    if (found.length > 1) return fail(m.chat.chooseScope);
    return { ok: true, value: found[0]! };
  }
  if (code !== undefined) return unitOf(org, code);
  const root = await org.units.root();
  return root ? { ok: true, value: root } : fail(m.errors.noUnits);
}

/** The recipients an actor may see: all for admins and the CLI, else those of units they lead. */
export async function visibleRecipients(
  org: Organisation,
  actor: Actor,
  recipients: readonly Recipient[],
): Promise<Recipient[]> {
  if (actor === 'cli' || org.isAdmin(actor)) return [...recipients];
  const led = new Set(actor.roles.flatMap((r) => (r.kind === 'leader' ? [r.unit] : [])));
  const codes = [...new Set(recipients.flatMap((r) => r.units.map((u) => u.code)))];
  const ancestors = await org.units.ancestorsMany(codes);
  const under = (code: string) => led.has(code) || (ancestors.get(code) ?? []).some((a) => led.has(a));
  return recipients.filter((r) => r.units.some((u) => under(u.code)));
}
