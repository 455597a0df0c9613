/** Who may report for a branch and who may read or change the meeting calendar. */
import { type Reply, reply } from '../../chat/reply.js';
import type { Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import type { Organisation, Viewer } from '../organisation.js';

const m = msg.meetings;

/** The refusal for someone who reports for no branch. */
export function notReporter(viewer: Viewer): Reply {
  return reply(viewer.roles.length === 0 ? msg.units.noAccess : m.access.reportersOnly);
}

/**
 * The branch and its ancestors, when it exists and the person reports for it (roles can change
 * mid-dialog).
 */
export async function reportableUnit(
  org: Organisation,
  viewer: Viewer,
  code: string,
): Promise<{ ok: true; unit: Unit; ancestors: string[] } | { ok: false; reply: Reply }> {
  const found = await org.units.located(code);
  if (!found) return { ok: false, reply: reply(msg.units.unknownUnit(code)) };
  const { unit, ancestors } = found;
  if (!org.canReportFor(viewer, code))
    return {
      ok: false,
      reply: reply(viewer.roles.length === 0 ? msg.units.noAccess : m.access.notYourBranch(unit.name)),
    };
  return { ok: true, unit, ancestors };
}

/** The refusal for a non-admin touching the settings; undefined for admins and the CLI. */
export function settingsRefusal(org: Organisation, actor: Viewer | 'cli'): string | undefined {
  if (actor !== 'cli' && !org.isAdmin(actor))
    return actor.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly;
  return undefined;
}

/** The scope whose settings an admin (or the CLI) reads or changes: the root when no code is given. */
export async function settingsUnit(
  org: Organisation,
  actor: Viewer | 'cli',
  unitCode: string | undefined,
): Promise<{ ok: true; unit: Unit } | { ok: false; text: string }> {
  const refusal = settingsRefusal(org, actor);
  if (refusal !== undefined) return { ok: false, text: refusal };
  const unit = unitCode ? await org.unit(unitCode) : await org.units.root();
  if (!unit) return { ok: false, text: unitCode ? msg.units.unknownUnit(unitCode) : msg.units.noUnits };
  return { ok: true, unit };
}
