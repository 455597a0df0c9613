/**
 * The directive worker: runs the jobs `DirectiveService.send` queues (see
 * `src/services/directives/jobIds.ts` for their ids and why they never run twice).
 *
 * - `fanout`: hands recipients to the outbox in batches; while the directive's previous batch
 *   is still in the outbox (or quiet hours hold it) the job moves itself to delayed and comes
 *   back, so a cancel finds little to remove and other notices are not stuck behind it.
 * - `reminder`, `leaders`: the follow-ups, after the directive's delay.
 * - `status`: re-renders the admin's status message (at most once per slot).
 *
 * Everything goes out through the outbox; this module never talks to Telegram.
 */

import { DelayedError, Worker } from 'bullmq';
import type { RedisTarget } from '../src/infra/redis.js';
import type { Logger } from '../src/logger.js';
import { QUEUE_PREFIX, queueConnectionOptions } from '../src/outbox/outbox.js';
import {
  DIRECTIVE_QUEUE,
  type DirectiveJobData,
  type DirectiveJobName,
  type DirectiveService,
} from '../src/services/directives/index.js';

/**
 * What the worker needs of the app: a part of `JobContext`, named here so that `jobs/index.ts`
 * and this module do not import each other.
 */
export interface DirectiveJobContext {
  /** Where BullMQ connects (a URL or a Sentinel group). */
  redisTarget: RedisTarget;
  services: { directives: DirectiveService };
  log: Logger;
}

export interface DirectiveWorkerOptions {
  /** Jobs in hand at once: fan-outs of different directives, follow-ups, status refreshes. @defaultValue 4 */
  concurrency?: number;
}

/** Starts the directive worker; `close` lets the jobs in hand finish. */
export async function startDirectiveJobs(
  ctx: DirectiveJobContext,
  opts: DirectiveWorkerOptions = {},
): Promise<{ close(): Promise<void> }> {
  const { log } = ctx;
  const directives = ctx.services.directives;
  const worker = new Worker<DirectiveJobData, void, DirectiveJobName>(
    DIRECTIVE_QUEUE,
    async (job, token) => {
      const id = job.data.id;
      switch (job.name) {
        case 'fanout': {
          const step = await directives.fanOutStep(id);
          if (step.kind === 'wait') {
            await job.moveToDelayed(Date.now() + step.delayMs, token);
            throw new DelayedError();
          }
          return;
        }
        case 'reminder':
          await directives.remind(id);
          return;
        case 'leaders':
          await directives.tellLeaders(id);
          return;
        case 'status':
          await directives.refreshStatusMessage(id);
          return;
      }
    },
    {
      connection: queueConnectionOptions(ctx.redisTarget, 'worker'),
      prefix: QUEUE_PREFIX,
      concurrency: opts.concurrency ?? 4,
    },
  );
  worker.on('error', (err) => log.warn({ err: err.message }, 'directive worker error'));
  worker.on('failed', (job, err) =>
    log.warn({ jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'directive job failed'),
  );
  return { close: () => worker.close() };
}
