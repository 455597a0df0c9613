/**
 * Schedules fire once across processes (issue 16): two "processes" (each its own queue and
 * worker connections) upsert the same Job Scheduler and both work the queue. BullMQ makes one
 * job per fire time under a deterministic id, so each fire runs exactly once, on one of them.
 */
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_PREFIX, queueConnectionOptions } from '../../src/outbox/outbox.js';
import { freshRedisUrl } from '../support/redis.js';

const QUEUE = 'schedule-once-test';
const EVERY_MS = 250;

describe('a schedule registered by two processes', () => {
  let url: string;
  const closers: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    url = await freshRedisUrl();
  });
  afterAll(async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  });

  it('fires once per tick, on one worker, however many processes run it', async () => {
    const runs: { worker: number; id: string; at: number }[] = [];
    for (const n of [0, 1]) {
      const queue = new Queue(QUEUE, {
        connection: queueConnectionOptions(url, 'producer'),
        prefix: QUEUE_PREFIX,
      });
      closers.push(() => queue.close());
      await queue.upsertJobScheduler('tick', { every: EVERY_MS }, { name: 'tick' });
      const worker = new Worker(
        QUEUE,
        async (job) => {
          runs.push({ worker: n, id: job.id!, at: Number(job.id!.split(':').pop()) });
          // Long enough that both workers are busy at once now and then.
          await new Promise((r) => setTimeout(r, 40));
        },
        { connection: queueConnectionOptions(url, 'worker'), prefix: QUEUE_PREFIX, concurrency: 4 },
      );
      closers.push(() => worker.close());
    }
    await new Promise((r) => setTimeout(r, 3_000));
    const ids = runs.map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(8);
    expect(new Set(ids).size).toBe(ids.length);
    // One scheduler, not two.
    const queue = new Queue(QUEUE, {
      connection: queueConnectionOptions(url, 'producer'),
      prefix: QUEUE_PREFIX,
    });
    closers.push(() => queue.close());
    expect(await queue.getJobSchedulersCount()).toBe(1);
    // One run per tick: the runs' fire times (in their ids) are exactly a tick apart.
    const due = runs.map((r) => r.at).sort((x, y) => x - y);
    expect(new Set(due.slice(1).map((t, i) => t - due[i]!))).toEqual(new Set([EVERY_MS]));
  });
});
