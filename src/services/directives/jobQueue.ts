/** The producer side of the directive jobs (`jobs/directives.ts` runs them). */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { bullmq } from '../../infra/bullmq.js';
import { OUTBOX_QUEUE, QUEUE_PREFIX } from '../../outbox/outbox.js';
import { DIRECTIVE_QUEUE, type DirectiveJobData, type DirectiveJobName, directiveJobId } from './jobIds.js';
import { STATUS_EVERY_MS } from './pacing.js';

const DAY_SECONDS = 24 * 3600;

/**
 * The producer side of the directive jobs, plus removal of a cancelled directive's outbox jobs.
 * Both queues share the caller's Redis connection, so closing that connection closes them.
 */
export class DirectiveJobs {
  // Made on first use: a process that never touches directives (most CLI commands) opens nothing.
  private directiveQueue: Queue<DirectiveJobData, void, DirectiveJobName> | undefined;
  private outboxQueue: Queue | undefined;

  constructor(private readonly redis: Redis) {}

  private get queue(): Queue<DirectiveJobData, void, DirectiveJobName> {
    this.directiveQueue ??= new (bullmq().Queue)<DirectiveJobData, void, DirectiveJobName>(DIRECTIVE_QUEUE, {
      connection: this.redis,
      prefix: QUEUE_PREFIX,
    });
    return this.directiveQueue;
  }

  private get outbox(): Queue {
    this.outboxQueue ??= new (bullmq().Queue)(OUTBOX_QUEUE, { connection: this.redis, prefix: QUEUE_PREFIX });
    return this.outboxQueue;
  }

  /** Starts (or, if already started, leaves alone) the fan-out of directive `id`. */
  async fanOut(id: string): Promise<void> {
    await this.queue.add(
      'fanout',
      { id },
      {
        jobId: directiveJobId('fanout', id),
        attempts: 10,
        backoff: { type: 'exponential', delay: 2_000 },
        removeOnComplete: { age: 40 * DAY_SECONDS },
        removeOnFail: { age: 40 * DAY_SECONDS },
      },
    );
  }

  /** Schedules a follow-up step in `delayMs`; a second call for the same step does nothing. */
  async followUp(id: string, stage: 'reminder' | 'leaders', delayMs: number): Promise<void> {
    await this.queue.add(
      stage,
      { id },
      {
        jobId: directiveJobId(stage, id),
        delay: Math.max(0, delayMs),
        attempts: 5,
        backoff: { type: 'exponential', delay: 30_000 },
        removeOnComplete: { age: 40 * DAY_SECONDS },
        removeOnFail: { age: 40 * DAY_SECONDS },
      },
    );
  }

  /**
   * Asks for the status message to be re-rendered at the end of the current slot. Every call
   * within one slot shares one job, which runs after all of them, so none is lost.
   */
  async refreshStatus(id: string): Promise<void> {
    // BullMQ delays run on real time, whatever clock the app reads.
    const now = Date.now();
    const slot = Math.floor(now / STATUS_EVERY_MS) + 1;
    await this.queue.add(
      'status',
      { id },
      {
        jobId: directiveJobId('status', id, slot),
        delay: slot * STATUS_EVERY_MS - now,
        attempts: 2,
        removeOnComplete: { age: 3600 },
        removeOnFail: { age: 3600 },
      },
    );
  }

  /** Removes the directive's waiting fan-out and follow-up jobs (a running one reads the cancel flag). */
  async removeDirectiveJobs(id: string): Promise<void> {
    for (const name of ['fanout', 'reminder', 'leaders'] as const) {
      await this.queue.remove(directiveJobId(name, id)).catch(() => 0);
    }
  }

  /**
   * Removes queued outbox jobs by id; returns the ids no longer in the outbox (removed now, or
   * already gone). A job in the worker's hands cannot be removed: it goes out.
   */
  async removeOutboxJobs(ids: readonly string[]): Promise<string[]> {
    const gone: string[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      const results = await Promise.all(
        chunk.map(async (jobId) => {
          if ((await this.outbox.remove(jobId).catch(() => 0)) === 1) return true;
          return (await this.outbox.getJob(jobId)) === undefined;
        }),
      );
      gone.push(...chunk.filter((_, k) => results[k]));
    }
    return gone;
  }
}
