import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SCHEDULED_JOBS } from '../../jobs/names.js';
import {
  createScheduledQueue,
  listSchedules,
  registerSchedules,
  startScheduledWorker,
} from '../../jobs/schedules.js';
import { ManualClock } from '../../src/infra/clock.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxQueue } from '../../src/outbox/outbox.js';
import { freshRedisUrl } from '../support/redis.js';

const log = createLogger('silent');
const config = { remindersAt: 8 * 60, summaryAt: 17 * 60, timezone: 'Asia/Ho_Chi_Minh' };

describe('job schedulers', () => {
  let url: string;
  let redis: Redis;
  let queue: Queue;
  let twin: Queue;

  beforeAll(async () => {
    url = await freshRedisUrl();
    redis = new Redis(url);
    queue = createScheduledQueue(url);
    twin = createScheduledQueue(url);
  });
  beforeEach(() => queue.obliterate({ force: true }));
  afterAll(async () => {
    await queue.close();
    await twin.close();
    await redis.quit();
  });

  it('leaves one scheduler per id when two processes register at once', async () => {
    const results = await Promise.all([
      registerSchedules(queue, config, redis, log),
      registerSchedules(twin, config, redis, log),
    ]);
    expect(results.some((r) => r.registered)).toBe(true);
    const schedulers = await queue.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.key).sort()).toEqual([
      'congress-office',
      'daily-summary',
      'meeting-reminders',
      'reminders',
    ]);
    expect(await redis.exists('cb:lock:schedules')).toBe(0);
    // Registering again changes nothing.
    await registerSchedules(queue, config, redis, log);
    expect(await queue.getJobSchedulersCount()).toBe(4);
    expect(await queue.getJobCountByTypes('delayed')).toBe(4);
  });

  it('lets the lock holder register and the other step aside', async () => {
    await redis.set('cb:lock:schedules', 'someone-else', 'PX', 5_000);
    expect((await registerSchedules(queue, config, redis, log)).registered).toBe(false);
    expect(await queue.getJobSchedulersCount()).toBe(0);
    await redis.del('cb:lock:schedules');
    expect((await registerSchedules(queue, config, redis, log)).registered).toBe(true);
  });

  it('shows each next run on the Hanoi clock, with queue counts', async () => {
    const outbox = createOutboxQueue(url);
    try {
      await registerSchedules(queue, config, redis, log);
      const overview = await listSchedules(queue, { outbox });
      const byId = Object.fromEntries(overview.schedules.map((s) => [s.id, s]));
      expect(byId.reminders).toMatchObject({ pattern: '0 8 * * *', tz: 'Asia/Ho_Chi_Minh' });
      expect(byId.reminders?.nextLocal?.time).toBe('08:00');
      // Leaders may move their own summary, so the summary check runs every quarter hour.
      expect(byId['daily-summary']?.pattern).toBe('0,15,30,45 * * * *');
      // 08:00 in Hanoi is 01:00 UTC.
      expect(new Date(byId.reminders!.next!).getUTCHours()).toBe(1);
      expect(byId.reminders!.next!).toBeGreaterThan(Date.now());
      expect(overview.counts.delayed).toBe(4);
      expect(overview.outbox).toBeDefined();
    } finally {
      await outbox.close();
    }
  });

  it('follows a changed time and drops schedulers it no longer has', async () => {
    await queue.upsertJobScheduler('old-job', { pattern: '0 9 * * *', tz: 'Asia/Ho_Chi_Minh' });
    await registerSchedules(
      queue,
      { ...config, remindersAt: 9 * 60 + 30, summaryAt: 18 * 60 + 5 },
      redis,
      log,
    );
    const schedulers = await queue.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.key).sort()).toEqual([
      'congress-office',
      'daily-summary',
      'meeting-reminders',
      'reminders',
    ]);
    expect(schedulers.find((s) => s.key === 'reminders')?.pattern).toBe('30 9 * * *');
    // The quarter-hour summary check keeps SUMMARY_AT's minute among its ticks.
    expect(schedulers.find((s) => s.key === 'daily-summary')?.pattern).toBe('5,20,35,50 * * * *');
  });

  it('runs each job with its handler and the app clock, and fails a job nobody handles', async () => {
    const clock = new ManualClock(Date.UTC(2025, 2, 10, 1, 0));
    const seen: { name: string; now: number }[] = [];
    const running = startScheduledWorker({
      connection: url,
      handlers: {
        [SCHEDULED_JOBS.reminders]: async (job, now) => {
          seen.push({ name: job.name, now });
        },
      },
      log,
      clock,
    });
    try {
      await queue.add(SCHEDULED_JOBS.reminders, {}, { jobId: 'manual-reminders' });
      await queue.add('unknown-job', {}, { jobId: 'manual-unknown', attempts: 3 });
      const deadline = Date.now() + 10_000;
      while ((await queue.getJobCountByTypes('completed', 'failed')) < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(seen).toEqual([{ name: 'reminders', now: Date.UTC(2025, 2, 10, 1, 0) }]);
      const unknown = await queue.getJob('manual-unknown');
      expect(await unknown?.getState()).toBe('failed');
      expect(unknown?.attemptsMade).toBe(1);
    } finally {
      await running.close();
    }
  });
});
