/** Stopping a directive: what has not gone out yet never will, and the status counts it as stopped. */
import { CANCELLED_REASON, DIRECTIVE_ID_PATTERN } from '../../domain/directives.js';
import { msg } from '../../messages/index.js';
import type { OutboxMessage } from '../../outbox/types.js';
import type { Viewer } from '../organisation.js';
import { TRACK } from './jobIds.js';
import { directiveReport } from './tracking.js';
import type { CancelOutcome, DirectiveServiceDeps } from './types.js';

const m = msg.directives;

/** Stops what has not gone out: the fan-out, queued outbox messages and the follow-ups. Admins only. */
export async function cancelDirective(
  deps: DirectiveServiceDeps,
  actor: Viewer | 'cli',
  id: string,
): Promise<CancelOutcome> {
  if (actor !== 'cli' && !deps.org.isAdmin(actor)) return { ok: false, text: msg.units.adminOnly };
  const stored = DIRECTIVE_ID_PATTERN.test(id) ? await deps.store.get(id) : undefined;
  if (!stored) return { ok: false, text: m.admin.unknown(id) };
  const r = await deps.store.cancel(id, actor === 'cli' ? 'cli' : String(actor.id), deps.clock.now());
  await deps.jobs.removeDirectiveJobs(id);
  // Run again on a repeated cancel too: it tidies whatever a crash mid-cancel left.
  const removed = await removeQueued(deps, id);
  await deps.jobs.refreshStatus(id);
  if (!r.already) deps.log.info({ directive: id, removed }, 'directive cancelled');
  const stopped = (await directiveReport(deps, id))?.progress.stopped ?? removed;
  return {
    ok: true,
    already: r.already,
    stopped,
    text: r.already ? m.admin.alreadyStopped(id) : m.admin.stopped(id, stopped),
  };
}

/**
 * Removes the directive's outbox messages (and reminders) still waiting to go, and records
 * each as failed for `CANCELLED_REASON`, so the status counts it as stopped, not pending.
 */
export async function removeQueued(deps: DirectiveServiceDeps, id: string): Promise<number> {
  const pending = [
    ...(await deps.deliveries.listTrack(TRACK.directive, id)),
    ...(await deps.deliveries.listTrack(TRACK.reminder, id)),
  ].filter((r) => r.state === 'pending');
  const gone = new Set(await deps.jobs.removeOutboxJobs(pending.map((r) => r.id)));
  const now = deps.clock.now();
  for (const r of pending) {
    if (!gone.has(r.id)) continue;
    const message: OutboxMessage = { chatId: r.chatId, text: '', purpose: r.purpose };
    if (r.personId !== undefined) message.personId = r.personId;
    if (r.track) message.track = r.track;
    await deps.deliveries.failed({ id: r.id, message }, CANCELLED_REASON, true, now);
  }
  return gone.size;
}
