/**
 * Stopping a directive: what has not gone out yet never will, and the status counts it as
 * stopped. In chat it takes two presses: «Dừng gửi» under the status asks, and the card's
 * «Xác nhận dừng gửi» stops (the card's nonce goes with the cancel, see `store/cards.ts`).
 */
import { randomBytes } from 'node:crypto';
import { type Outcome, reply, say } from '../../chat/reply.js';
import { CANCELLED_REASON, DIRECTIVE_ID_PATTERN } from '../../domain/directives.js';
import { pausePoint } from '../../infra/pausePoints.js';
import { msg } from '../../messages/index.js';
import type { OutboxMessage } from '../../outbox/types.js';
import type { Viewer } from '../organisation.js';
import { adminRefusal } from './access.js';
import { directiveButton } from './actions.js';
import { TRACK } from './jobIds.js';
import { directiveReport } from './tracking.js';
import type { CancelOutcome, DirectiveServiceDeps } from './types.js';

const m = msg.directives;

/**
 * Stops what has not gone out: the fan-out, queued outbox messages and the follow-ups. Admins
 * only. `card`: the nonce of the stop card pressed; the same card pressed again (a double tap,
 * or a press redelivered after a crash) is answered as the first press was.
 */
export async function cancelDirective(
  deps: DirectiveServiceDeps,
  actor: Viewer | 'cli',
  id: string,
  card?: string,
): Promise<CancelOutcome> {
  if (actor !== 'cli' && !deps.org.isAdmin(actor)) return { ok: false, text: msg.units.adminOnly };
  const stored = DIRECTIVE_ID_PATTERN.test(id) ? await deps.store.get(id) : undefined;
  if (!stored) return { ok: false, text: m.admin.unknown(id) };
  const r = await deps.store.cancel(id, actor === 'cli' ? 'cli' : String(actor.id), deps.clock.now(), card);
  await pausePoint('directive-stopped');
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
    text: r.already && !r.repeated ? m.admin.alreadyStopped(id) : m.admin.stopped(id, stopped),
  };
}

/** «Dừng gửi» under the status: a card asking to confirm, with a nonce of its own. */
export async function askStop(deps: DirectiveServiceDeps, viewer: Viewer, id: string): Promise<Outcome> {
  const refused = adminRefusal(deps.org, viewer);
  if (refused) return say(refused);
  const report = await directiveReport(deps, id);
  if (!report) return say(m.admin.unknown(id));
  const token = randomBytes(8).toString('hex');
  return say(
    reply(m.admin.askStop(id, report.stored.directive.title), [
      [
        directiveButton(m.admin.buttonStopConfirm, { kind: 'stopConfirm', id, token }),
        directiveButton(m.admin.buttonKeep, { kind: 'keep' }),
      ],
    ]),
  );
}

/** «Xác nhận dừng gửi»: stops, and the card says what was stopped. */
export async function confirmStop(
  deps: DirectiveServiceDeps,
  viewer: Viewer,
  id: string,
  token: string | undefined,
): Promise<Outcome> {
  const refused = adminRefusal(deps.org, viewer);
  if (refused) return say(refused);
  const r = await cancelDirective(deps, viewer, id, token);
  return { replies: [], pressed: { replace: reply(r.text) } };
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
