/** The fan-out job's step: a directive handed to the outbox batch by batch. */
import { msg } from '../../messages/index.js';
import { outboxId, quietHoursEnd } from '../../outbox/outbox.js';
import { ackRows } from './actions.js';
import { removeQueued } from './cancelling.js';
import { TRACK } from './jobIds.js';
import { FANOUT_BACKLOG, FANOUT_BATCH } from './pacing.js';
import type { DirectiveServiceDeps } from './types.js';

/**
 * One run of the fan-out job: hands batches to the outbox until everyone is queued, reading
 * the cancel flag before each batch. Returns `wait` with a time when the directive's previous
 * batch is still in the outbox (or quiet hours hold it), so a cancel finds little to remove
 * and other notices are not stuck behind a whole province.
 */
export async function fanOutStep(
  deps: DirectiveServiceDeps,
  id: string,
): Promise<{ kind: 'done' } | { kind: 'wait'; delayMs: number }> {
  const stored = await deps.store.get(id);
  if (!stored || stored.cancelledAt !== undefined) return { kind: 'done' };
  const d = stored.directive;
  let queued = stored.queued;
  while (queued < stored.recipientCount) {
    const counts = await deps.deliveries.trackCounts(TRACK.directive, id);
    if (counts.pending > FANOUT_BACKLOG) return { kind: 'wait', delayMs: backlogWait(deps) };
    if (await deps.store.isCancelled(id)) return { kind: 'done' };
    const batch = await deps.store.recipients(id, queued, queued + FANOUT_BATCH - 1);
    if (batch.length === 0) break;
    await Promise.all(
      batch.map((r) =>
        deps.notifier.toPerson(
          r.personId,
          { text: msg.directives.recipientText(d, r, deps.timezone), actions: ackRows(d) },
          {
            id: outboxId('directive', id, r.personId),
            purpose: 'directive',
            track: { kind: TRACK.directive, id },
          },
        ),
      ),
    );
    queued += batch.length;
    await deps.store.setQueued(id, queued);
    await deps.jobs.refreshStatus(id);
    // A cancel that landed while this batch was being queued did not see it: remove it now.
    if (await deps.store.isCancelled(id)) {
      await removeQueued(deps, id);
      return { kind: 'done' };
    }
  }
  return { kind: 'done' };
}

/** How long to wait for the backlog to drain: briefly, or until quiet hours end. */
function backlogWait(deps: DirectiveServiceDeps): number {
  const now = deps.clock.now();
  const quietEnd = quietHoursEnd(now, deps.quietHours, deps.timezone);
  return quietEnd === undefined ? 500 : Math.max(500, quietEnd - now);
}
