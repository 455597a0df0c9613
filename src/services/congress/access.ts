/** Who may act on a unit in a round, and whom the bot tells about it. */
import type { Rich } from '../../chat/markup.js';
import type { Reply } from '../../chat/reply.js';
import type { Notifier } from '../notifier.js';
import type { Organisation, Viewer } from '../organisation.js';
import type { CongressServiceDeps } from './deps.js';

/** An admin, or a leader of the unit or of one of its ancestors. */
export function leads(
  org: Organisation,
  viewer: Viewer,
  unitCode: string,
  ancestors: readonly string[],
): boolean {
  if (org.isAdmin(viewer)) return true;
  return viewer.roles.some((r) => r.kind === 'leader' && (r.unit === unitCode || ancestors.includes(r.unit)));
}

/** Sends a notice to each leader responsible for the unit; returns how many were addressed. */
export async function toLeaders(
  deps: Pick<CongressServiceDeps, 'org' | 'notifier'>,
  unitCode: string,
  ancestors: readonly string[],
  message: Reply | Rich,
  options: (personId: number) => Parameters<Notifier['toPerson']>[2],
): Promise<number> {
  const leaders = await deps.org.people.responsibleLeaders(unitCode, ancestors);
  if (!leaders) return 0;
  for (const personId of leaders.people) await deps.notifier.toPerson(personId, message, options(personId));
  return leaders.people.length;
}
