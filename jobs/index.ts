/**
 * The background workers besides the outbox: each job module adds its worker here, and the app
 * starts and stops them together.
 */
import { Queue } from 'bullmq';
import type { RedisTarget } from '../src/infra/redis.js';
import { createOutboxQueue, QUEUE_PREFIX, queueConnectionOptions } from '../src/outbox/outbox.js';
import { DIRECTIVE_QUEUE } from '../src/services/directives/jobIds.js';
import type { JobContext } from './context.js';
import { startDirectiveJobs } from './directives.js';
import { createScheduledQueue, startScheduledJobs } from './schedules.js';

export interface RunningJobs {
  close(): Promise<void>;
}

type JobStarter = (ctx: JobContext) => Promise<{ close(): Promise<void> }>;

/** Each entry starts one family of workers (and registers its schedules). */
const starters: JobStarter[] = [(ctx) => startDirectiveJobs(ctx), (ctx) => startScheduledJobs(ctx)];

/** Every BullMQ queue of the bot, for the office's queue page; the caller closes them. */
export function boardQueues(target: RedisTarget): Queue[] {
  return [
    createOutboxQueue(target),
    createScheduledQueue(target),
    new Queue(DIRECTIVE_QUEUE, {
      connection: queueConnectionOptions(target, 'producer'),
      prefix: QUEUE_PREFIX,
    }).on('error', () => {}),
  ];
}

export async function startBackgroundJobs(ctx: JobContext): Promise<RunningJobs> {
  const running: { close(): Promise<void> }[] = [];
  try {
    for (const start of starters) running.push(await start(ctx));
  } catch (err) {
    for (const r of running.reverse()) await r.close().catch(() => {});
    throw err;
  }
  return {
    close: async () => {
      for (const r of running.reverse())
        await r.close().catch((err) => ctx.log.warn({ err }, 'job close failed'));
    },
  };
}
