/**
 * The periodic jobs: when they run (BullMQ Job Schedulers with a cron `pattern` in the
 * configured time zone), which service method a run calls, and the worker that runs them. What a
 * run does (which reminders are due, what a summary says) lives in the service, which the CLI
 * calls the same way. A new periodic job is one line in `SCHEDULES` (and its name in
 * `jobs/names.ts`).
 *
 * Schedules are upserted by one process at a time under the `schedules` lock (`src/store/locks.ts`,
 * on a short-lived connection of the jobs' own), and their ids are fixed, so any number of
 * instances starting together leave exactly one scheduler per job.
 *
 * The summary check runs every quarter of an hour rather than once at SUMMARY_AT, because each
 * leader may move their own summary time; the service sends a leader's summary at the first
 * check on or after their time, once a day.
 */
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../src/config.js';
import { type Clock, systemClock } from '../src/infra/clock.js';
import { metrics } from '../src/infra/metrics.js';
import type { RedisTarget } from '../src/infra/redis.js';
import type { Logger } from '../src/logger.js';
import { QUEUE_PREFIX, queueConnectionOptions } from '../src/outbox/outbox.js';
import type { Services } from '../src/services/index.js';
import { SCHEDULED_QUEUE } from '../src/services/reminders/index.js';
import { type LockClient, whileLocked } from '../src/store/locks.js';
import type { JobContext } from './context.js';
import { SCHEDULED_JOBS, type ScheduledHandler, type ScheduledJobName } from './names.js';

// Reading the schedules for /lichgui is the service's business; re-exported for callers here.
export {
  listSchedules,
  type QueueCounts,
  SCHEDULED_QUEUE,
  type SchedulesOverview,
  type ScheduleView,
} from '../src/services/reminders/index.js';

type ScheduleConfig = Pick<Config, 'remindersAt' | 'summaryAt' | 'timezone'>;

/** One scheduler as registered. */
export interface ScheduleSpec {
  id: ScheduledJobName;
  /** Cron, minute hour day month weekday, in `tz`. */
  pattern: string;
  tz: string;
}

/** Minutes between two summary checks. */
export const SUMMARY_CHECK_MINUTES = 15;

function dailyAt(minutes: number): string {
  return `${minutes % 60} ${Math.floor(minutes / 60)} * * *`;
}

/** Every quarter of an hour, on minutes that include SUMMARY_AT's own (17:05 → 5,20,35,50). */
function quarterHours(anchorMinutes: number): string {
  const first = anchorMinutes % SUMMARY_CHECK_MINUTES;
  const minutes: number[] = [];
  for (let m = first; m < 60; m += SUMMARY_CHECK_MINUTES) minutes.push(m);
  return `${minutes.join(',')} * * * *`;
}

/** Every periodic job: when it runs, and what a run calls. */
const SCHEDULES: Record<
  ScheduledJobName,
  { pattern: (c: ScheduleConfig) => string; run: (s: Services, now: number) => Promise<unknown> }
> = {
  [SCHEDULED_JOBS.reminders]: {
    pattern: (c) => dailyAt(c.remindersAt),
    run: (s, now) => s.reminders.runCongressReminders(now),
  },
  [SCHEDULED_JOBS.dailySummary]: {
    pattern: (c) => quarterHours(c.summaryAt),
    run: (s, now) => s.reminders.sendSummaries(now),
  },
  [SCHEDULED_JOBS.meetingReminders]: {
    pattern: (c) => dailyAt(c.remindersAt),
    run: (s, now) => s.reminders.runMeetingReminders(now),
  },
  [SCHEDULED_JOBS.badgeReminders]: {
    pattern: (c) => dailyAt(c.remindersAt),
    run: (s, now) => s.reminders.runBadgeReminders(now),
  },
  [SCHEDULED_JOBS.congressOffice]: {
    pattern: (c) => dailyAt(c.remindersAt),
    run: (s, now) => s.congress.runOfficeReminders(now),
  },
};

const LOCK = 'schedules';
const LOCK_MS = 30_000;

/** The scheduled-jobs queue, for registering and listing (fails fast while Redis is away). */
export function createScheduledQueue(connection: RedisTarget): Queue {
  const queue = new Queue(SCHEDULED_QUEUE, {
    connection: queueConnectionOptions(connection, 'producer'),
    prefix: QUEUE_PREFIX,
  });
  // Callers see failures; unheard, BullMQ prints each reconnect error raw to stderr.
  queue.on('error', () => {});
  return queue;
}

/** The schedulers the configuration asks for. */
export function scheduleSpecs(config: ScheduleConfig): ScheduleSpec[] {
  return Object.entries(SCHEDULES).map(([id, job]) => ({
    id: id as ScheduledJobName,
    pattern: job.pattern(config),
    tz: config.timezone,
  }));
}

/** The handler of every periodic job, calling its service method with the app's clock time. */
export function scheduledHandlers(services: Services): Record<ScheduledJobName, ScheduledHandler> {
  const entries = Object.entries(SCHEDULES).map(([id, job]): [string, ScheduledHandler] => [
    id,
    async (_job, now) => {
      await job.run(services, now);
    },
  ]);
  return Object.fromEntries(entries) as Record<ScheduledJobName, ScheduledHandler>;
}

/**
 * Upserts the schedulers (and removes any this version no longer has). Returns false when
 * another process holds the lock and is doing the same right now.
 */
export async function registerSchedules(
  queue: Queue,
  config: ScheduleConfig,
  lock: LockClient,
  log: Logger,
): Promise<{ registered: boolean; specs: ScheduleSpec[] }> {
  const specs = scheduleSpecs(config);
  const done = await whileLocked(lock, LOCK, LOCK_MS, async () => {
    for (const spec of specs) {
      await queue.upsertJobScheduler(
        spec.id,
        { pattern: spec.pattern, tz: spec.tz },
        {
          name: spec.id,
          data: {},
          opts: {
            // A run that fails half way is safe to repeat: the outbox drops messages already queued.
            attempts: 3,
            backoff: { type: 'exponential', delay: 30_000 },
            removeOnComplete: { age: 7 * 24 * 3600 },
            removeOnFail: { age: 30 * 24 * 3600 },
          },
        },
      );
    }
    const wanted = new Set<string>(specs.map((s) => s.id));
    for (const existing of await queue.getJobSchedulers(0, -1)) {
      if (!wanted.has(existing.key)) {
        await queue.removeJobScheduler(existing.key);
        log.info({ scheduler: existing.key }, 'schedules: removed a scheduler no longer used');
      }
    }
    log.info({ schedules: specs.map((s) => `${s.id} ${s.pattern} ${s.tz}`) }, 'schedules registered');
  });
  if (!done.held) log.info('schedules: another process is registering them');
  return { registered: done.held, specs };
}

export interface ScheduledWorkerOptions {
  connection: RedisTarget;
  /** By job name (see SCHEDULED_JOBS). A run with no handler fails without retrying. */
  handlers: Partial<Record<ScheduledJobName, ScheduledHandler>> &
    Record<string, ScheduledHandler | undefined>;
  log: Logger;
  clock?: Clock;
}

/** The time a run was due: its scheduler's slot, or when it was queued by hand. */
function scheduledFor(job: Job): number {
  const slot = (job.opts as { prevMillis?: number }).prevMillis;
  return typeof slot === 'number' ? slot : job.timestamp + (job.delay ?? 0);
}

/** The worker that runs scheduled jobs, one at a time, dispatching by job name. */
export function startScheduledWorker(opts: ScheduledWorkerOptions): {
  worker: Worker;
  close(): Promise<void>;
} {
  const clock = opts.clock ?? systemClock;
  const { handlers, log } = opts;
  const worker = new Worker(
    SCHEDULED_QUEUE,
    async (job: Job) => {
      const handler = handlers[job.name];
      if (!handler) throw new UnrecoverableError(`no handler for scheduled job "${job.name}"`);
      const started = Date.now();
      metrics.scheduleStarted(job.name, started - scheduledFor(job));
      await handler(job, clock.now());
      log.info({ job: job.name, jobId: job.id, ms: Date.now() - started }, 'scheduled job done');
    },
    { connection: queueConnectionOptions(opts.connection, 'worker'), prefix: QUEUE_PREFIX, concurrency: 1 },
  );
  worker.on('error', (err) => log.warn({ err: err.message }, 'scheduled worker error'));
  worker.on('failed', (job, err) =>
    log.error(
      { job: job?.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message },
      'scheduled job failed',
    ),
  );
  return { worker, close: () => worker.close() };
}

/**
 * Registers the schedules (under the lock) and starts the worker with every job's handler;
 * `close` stops the worker and closes the queue.
 *
 * Schedules follow the wall clock, so they are registered only when the app runs on it. On a
 * test clock a cron firing at a real quarter hour would act for whatever time the test has set;
 * there, whoever moves the clock starts the runs (as tests do with `runReminders(now)`).
 */
export async function startScheduledJobs(ctx: JobContext): Promise<{ close(): Promise<void> }> {
  const queue = createScheduledQueue(ctx.redisTarget);
  try {
    if (ctx.clock === systemClock) {
      const lock = new Redis({ ...queueConnectionOptions(ctx.redisTarget, 'producer'), lazyConnect: true });
      lock.on('error', () => {}); // a failed connect rejects `connect()` below, which reports it
      try {
        await lock.connect();
        await registerSchedules(queue, ctx.config, lock, ctx.log);
      } finally {
        lock.disconnect();
      }
    } else {
      ctx.log.info('schedules not registered: the app runs on a clock of its own');
    }
  } catch (err) {
    await queue.close();
    throw err;
  }
  const running = startScheduledWorker({
    connection: ctx.redisTarget,
    handlers: scheduledHandlers(ctx.services),
    log: ctx.log,
    clock: ctx.clock,
  });
  return {
    close: async () => {
      await running.close();
      await queue.close();
    },
  };
}
