/**
 * The outbox sender: takes queued messages off the `outbox` queue and sends them through a
 * `MessageSender` at Telegram's pace.
 *
 * - Overall: the one send budget shared with replies and every process (`SendBudget`: a
 *   sliding-window log in Redis, replies first), under BullMQ's limiter (`rate` jobs a second,
 *   fixed windows). Within a process one job at a time asks the budget, so jobs waiting for a
 *   slot queue here instead of all asking Redis at once.
 * - Per chat: one message a second, 20 a minute to a group (the `chatLimits` rules, checked in
 *   the same script as the budget); a job that must wait is moved to delayed (`moveToDelayed` +
 *   `DelayedError`), not failed.
 * - 429: the budget cuts the outbox's allowance and pauses it for `retry_after`; every worker
 *   stops (`queue.rateLimit`) and the job goes back to wait (`Worker.RateLimitError`); past
 *   `maxRateLimited` times for one job it fails.
 * - Unreachable recipient (403, chat not found, ...): marked, failed for good, never retried.
 * - 5xx, network, timeout: retried with exponential backoff (the job's `attempts`).
 * - Rejected message (other 4xx): failed for good.
 *
 * Each part sent is recorded at once (`SendProgress`), so a retry or a restart after a crash
 * resumes where it stopped; only a send whose answer was lost in the crash can repeat.
 */
import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type Clock, systemClock } from '../src/infra/clock.js';
import { metrics } from '../src/infra/metrics.js';
import type { RedisTarget } from '../src/infra/redis.js';
import type { Logger } from '../src/logger.js';
import { type ChatLimitSettings, SendPacer } from '../src/outbox/chatLimits.js';
import { SendProgress } from '../src/outbox/deliveries.js';
import {
  OUTBOX_QUEUE,
  type OutboxJobData,
  QUEUE_PREFIX,
  queueConnectionOptions,
  withoutFileBytes,
} from '../src/outbox/outbox.js';
import { type Reservation, SendBudget, type SendBudgetSettings } from '../src/outbox/sendBudget.js';
import {
  type DeliveryListener,
  type MessageSender,
  RecipientUnreachableError,
  RejectedMessageError,
  RetryAfterError,
} from '../src/outbox/types.js';

export interface OutboxWorkerOptions {
  /** A `redis://` URL or ioredis options. */
  connection: RedisTarget;
  sender: MessageSender;
  listener: DeliveryListener;
  /** Messages a second overall (OUTBOX_RATE). @defaultValue 25 */
  rate?: number;
  log: Logger;
  /** Timestamps given to the listener. @defaultValue the system clock */
  clock?: Clock;
  /** Jobs in hand at once; each mostly waits on its slot or on HTTP. @defaultValue 2 × rate, at least 4 */
  concurrency?: number;
  /** 429s one job may meet before it is failed. @defaultValue 10 */
  maxRateLimited?: number;
  chatLimits?: Partial<ChatLimitSettings>;
  /**
   * The even pace of send slots, a little under `rate` where a 429 is expensive and the limit
   * unknown (Zalo). @defaultValue rate
   */
  paceRate?: number;
  /** The queue to work: `outbox` (Telegram) or `outbox-zalo`. @defaultValue OUTBOX_QUEUE */
  queueName?: string;
  /** Redis keys of this channel's pace and pause. @defaultValue 'cb:outbox' */
  pacePrefix?: string;
  /** The send budget shared with replies (SEND_BUDGET, SEND_BUDGET_WINDOW_MS). */
  budget?: Partial<SendBudgetSettings>;
  /** BullMQ job lock; a crashed worker's jobs are picked up again after it lapses. @defaultValue 30000 */
  lockDurationMs?: number;
  /** How often BullMQ looks for jobs whose worker died. @defaultValue 30000 */
  stalledIntervalMs?: number;
}

export interface OutboxWorker {
  worker: Worker<OutboxJobData, void, string>;
  /** Stops taking jobs, lets the ones in hand finish, and closes connections. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** When a job was meant to go: when queued, or when its delay (quiet hours) ran out. */
function dueAt(job: Job): number {
  return job.timestamp + (job.delay ?? 0);
}

export function startOutboxWorker(opts: OutboxWorkerOptions): OutboxWorker {
  const rate = opts.rate ?? 25;
  const clock = opts.clock ?? systemClock;
  const maxRateLimited = opts.maxRateLimited ?? 10;
  const { sender, listener, log } = opts;
  const connection = queueConnectionOptions(opts.connection, 'worker');

  const redis = new Redis(connection);
  redis.on('error', (err) => log.warn({ err: err.message }, 'outbox Redis connection problem'));
  const queueName = opts.queueName ?? OUTBOX_QUEUE;
  const queue = new Queue<OutboxJobData, void, string>(queueName, { connection, prefix: QUEUE_PREFIX });
  queue.on('error', (err) => log.warn({ err: err.message }, 'outbox queue error'));
  const budget = new SendBudget(redis, opts.budget, opts.chatLimits);
  // Telegram draws from the one send budget shared with replies; Zalo (its own prefix) keeps an
  // even pace of its own, a little under its rate.
  const pacer =
    opts.pacePrefix === undefined
      ? undefined
      : new SendPacer(redis, opts.paceRate ?? rate, opts.chatLimits, opts.pacePrefix);
  // One budget request at a time from this process: a job waiting for a slot holds the gate.
  let gate: Promise<unknown> = Promise.resolve();
  const reserve = (
    chatId: OutboxJobData['message']['chatId'],
  ): Promise<Reservation | { kind: 'go'; waitMs: 0; slot?: undefined }> => {
    const run = gate.then(async () => {
      for (;;) {
        if (pacer) {
          const r = await pacer.reserve(chatId);
          if (r.kind !== 'go') return r;
          if (r.waitMs > 0) await sleep(r.waitMs);
          return { kind: 'go', waitMs: 0 } as const;
        }
        const r = await budget.takeOutbox(chatId);
        if (r.kind !== 'budget') return r;
        await sleep(r.waitMs);
      }
    });
    gate = run.catch(() => {});
    return run;
  };
  const rateLimited = (ms: number) => (pacer ? pacer.pause(ms) : budget.rateLimited(ms));
  // Set when this process meets a 429, so its jobs already holding slots do not send into it.
  let pausedUntil = 0;
  const progress = new SendProgress(redis);
  // Failures already reported to the listener inside the processor, so the 'failed' event skips them.
  const reported = new WeakSet<Error>();

  const failForGood = async (job: Job<OutboxJobData>, reason: string, permanent: boolean): Promise<never> => {
    await listener.failed({ id: job.id!, message: job.data.message }, reason, permanent, clock.now());
    const err = new UnrecoverableError(reason);
    reported.add(err);
    throw err;
  };

  /** Holds every worker off for `ms` and puts this job back in the queue. */
  const backOff = async (ms: number): Promise<never> => {
    await queue.rateLimit(ms);
    throw Worker.RateLimitError();
  };

  const sendJob = async (
    job: Job<OutboxJobData>,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ) => {
    const id = job.id!;
    const message = job.data.message;
    const parts = sender.parts(message);
    const sent = await progress.get(id);
    let lastMessageId = sent.messageId;

    for (let i = sent.done; i < parts.length; i++) {
      const part = parts[i]!;
      const asked = Date.now();
      const slot = await reserve(message.chatId);
      if (slot.kind === 'paused') await backOff(slot.waitMs);
      if (slot.kind === 'chat') {
        await job.moveToDelayed(asked + slot.waitMs, token);
        throw new DelayedError();
      }
      // A Telegram slot is logged in flight until its send is answered (`SendBudget`); Zalo's pace has no log.
      const slotId = slot.kind === 'go' ? slot.slot : undefined;
      if (pausedUntil > Date.now()) {
        if (slotId) await budget.unused(slotId);
        await backOff(pausedUntil - Date.now());
      }
      let answeredAt: number | undefined;
      try {
        // When the answer came, whatever it was: Telegram counted the message before that.
        const { messageId } = await sender
          .send(part, signal ?? new AbortController().signal)
          .finally(() => (answeredAt = performance.now()));
        await Promise.all([
          progress.partSent(id, i, messageId),
          slotId && budget.sent(slotId, performance.now() - answeredAt!),
        ]);
        metrics.outboxSent(Date.now() - dueAt(job));
        lastMessageId = messageId;
      } catch (err) {
        // A 429 is not counted by Telegram; any other answer may have been.
        if (slotId && err instanceof RetryAfterError) await budget.unused(slotId).catch(() => {});
        else if (slotId)
          await budget.sent(slotId, performance.now() - (answeredAt ?? performance.now())).catch(() => {});
        if (err instanceof RetryAfterError) {
          const ms = Math.max(1, err.seconds) * 1000;
          metrics.outboxRateLimited();
          pausedUntil = Math.max(pausedUntil, Date.now() + ms);
          await rateLimited(ms);
          const count = await progress.rateLimited(id);
          log.warn(
            { jobId: id, chatId: message.chatId, retryAfter: err.seconds, count },
            'outbox: Telegram 429',
          );
          if (count > maxRateLimited) await failForGood(job, `rate limited ${count} times (429)`, false);
          await backOff(ms);
        }
        if (err instanceof RecipientUnreachableError) {
          metrics.outboxUnreachable();
          await listener.unreachable(message.personId, message.chatId, err.reason, clock.now());
          await failForGood(job, err.reason, true);
        }
        if (err instanceof RejectedMessageError) {
          log.error(
            { jobId: id, chatId: message.chatId, err: err.description },
            'outbox: Telegram rejected a message',
          );
          await failForGood(job, err.description, true);
        }
        // Transient (or unexpected): BullMQ retries with backoff; the last attempt is final.
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await failForGood(job, errorText(err), false);
        throw err;
      }
    }
    if (lastMessageId === undefined) await failForGood(job, 'message has nothing to send', true);
    await listener.delivered({ id, message }, lastMessageId!, clock.now());
    // Sent: the job is kept for its id, not its file.
    const kept = withoutFileBytes(job.data);
    if (kept) await job.updateData(kept).catch((err) => log.warn({ err, jobId: id }, 'outbox: file kept'));
  };

  const worker = new Worker<OutboxJobData, void, string>(
    queueName,
    (job, token, signal) => sendJob(job, token, signal),
    {
      connection,
      prefix: QUEUE_PREFIX,
      concurrency: opts.concurrency ?? Math.max(4, Math.ceil(rate * 2)),
      limiter: { max: rate, duration: 1000 },
      lockDuration: opts.lockDurationMs ?? 30_000,
      stalledInterval: opts.stalledIntervalMs ?? 30_000,
      // A job stalls when its worker dies; it goes back to wait (and may repeat its in-flight send).
      maxStalledCount: 3,
    },
  );
  worker.on('error', (err) => log.warn({ err: err.message }, 'outbox worker error'));
  worker.on('failed', (job, err) => {
    if (reported.has(err)) return;
    if (!job) {
      log.error({ err: err.message }, 'outbox: a job failed and was removed before it could be reported');
      return;
    }
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    log.warn(
      { jobId: job.id, attemptsMade: job.attemptsMade, err: err.message, final },
      'outbox: send failed',
    );
    if (!final) return;
    listener
      .failed({ id: job.id!, message: job.data.message }, err.message, false, clock.now())
      .catch((e) =>
        log.error({ jobId: job.id, err: errorText(e) }, 'outbox: could not record a failed delivery'),
      );
  });

  return {
    worker,
    close: async () => {
      await worker.close();
      await queue.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
