/**
 * The background workers besides the outbox: each job module adds its worker here, and the app
 * starts and stops them together.
 */
import type { JobContext } from './context.js';
import { startDirectiveJobs } from './directives.js';
import { startScheduledJobs } from './schedules.js';

export interface RunningJobs {
  close(): Promise<void>;
}

type JobStarter = (ctx: JobContext) => Promise<{ close(): Promise<void> }>;

/** Each entry starts one family of workers (and registers its schedules). */
const starters: JobStarter[] = [(ctx) => startDirectiveJobs(ctx), (ctx) => startScheduledJobs(ctx)];

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
