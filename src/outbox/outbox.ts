/**
 * The producer side of the outbox: every message the bot starts itself is queued here, as one
 * BullMQ job whose id is the caller's deterministic outbox id, so the same reminder or summary
 * is never queued twice — not when a schedule fires twice, not when two instances run.
 * `jobs/outbox.ts` sends the jobs at Telegram's pace.
 *
 * Quiet hours: a non-urgent message queued during quiet hours (in the configured time zone)
 * is delayed to the end of them, never dropped.
 */

import { randomBytes } from 'node:crypto';
import type { Queue, RedisOptions as QueueRedisOptions } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import { isBlank } from '../chat/markup.js';
import { dayjs } from '../domain/vn.js';
import { bullmq } from '../infra/bullmq.js';
import type { Clock } from '../infra/clock.js';
import type { RedisTarget } from '../infra/redis.js';
import { type ReplicaAck, waitForReplicas } from '../store/tx.js';
import type { DeliveryStore } from './deliveries.js';
import type { OutboxAttachment, OutboxMessage } from './types.js';

/** BullMQ key prefix for the bot's queues, so their keys start with `cb:` like every other key. */
export const QUEUE_PREFIX = 'cb:bull';
export const OUTBOX_QUEUE = 'outbox';
/** The Zalo channel's own queue, worked at ZALO_OUTBOX_RATE. */
export const ZALO_OUTBOX_QUEUE = 'outbox-zalo';

/** How long finished jobs are kept; an id queued again within this window is not sent again. */
export const OUTBOX_DEDUPE_DAYS = 40;

/** What an outbox job carries. */
export interface OutboxJobData {
  message: OutboxMessage;
  /** Random per `send` call: tells the caller whether its call created the job. */
  enqueueId: string;
}

export type OutboxQueue = Queue<OutboxJobData, void, string>;

/**
 * The job's data once its message has reached the chat: its files' bytes dropped (a summary's
 * chart is some 40 KB), the rest kept. A finished job stays `OUTBOX_DEDUPE_DAYS` so that its id
 * keeps a repeat out; a province's daily charts would otherwise hold Redis memory that long.
 * Undefined when the message has no file.
 */
export function withoutFileBytes(data: OutboxJobData): OutboxJobData | undefined {
  const { document, photo } = data.message;
  if (!document && !photo) return undefined;
  const emptied = (a: OutboxAttachment) => ({ ...a, contentBase64: '' });
  return {
    ...data,
    message: {
      ...data.message,
      ...(document ? { document: emptied(document) } : {}),
      ...(photo ? { photo: emptied(photo) } : {}),
    },
  };
}

/**
 * ioredis options for BullMQ. Workers wait through a Redis restart (`maxRetriesPerRequest:
 * null`, which BullMQ requires); a producer fails fast so its caller sees the error.
 */
export function queueConnectionOptions(
  connection: RedisTarget,
  role: 'worker' | 'producer',
): QueueRedisOptions {
  const base = typeof connection === 'string' ? redisOptionsFromUrl(connection) : { ...connection };
  const options: RedisOptions =
    role === 'worker'
      ? { ...base, maxRetriesPerRequest: null }
      : { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false };
  // BullMQ's type is ioredis's options with `retryStrategy` typed a little differently.
  return options as QueueRedisOptions;
}

function redisOptionsFromUrl(url: string): RedisOptions {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new Error(`not a redis:// URL: ${u.protocol}`);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(db ? { db: Number(db) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** The outbox queue, for producing (fails fast while Redis is away). Close it on shutdown. */
export function createOutboxQueue(connection: RedisTarget, name = OUTBOX_QUEUE): OutboxQueue {
  const queue = new (bullmq().Queue)<OutboxJobData, void, string>(name, {
    connection: queueConnectionOptions(connection, 'producer'),
    prefix: QUEUE_PREFIX,
  });
  // A producer's calls fail to their callers during an outage; unheard, BullMQ prints each
  // reconnect error raw to stderr.
  queue.on('error', () => {});
  return queue;
}

/** The caller's id is not usable as a BullMQ job id. */
export class InvalidOutboxIdError extends Error {
  constructor(readonly id: string) {
    super(`outbox id "${id}" must be 1-200 characters without ':' or spaces, and not all digits`);
    this.name = 'InvalidOutboxIdError';
  }
}

/** The message cannot be sent as it stands (no text and no file, or no usable chat id). */
export class InvalidOutboxMessageError extends Error {
  constructor(
    readonly id: string,
    reason: string,
  ) {
    super(`outbox message "${id}": ${reason}`);
    this.name = 'InvalidOutboxMessageError';
  }
}

function assertSendable(id: string, m: OutboxMessage): void {
  const chatOk =
    typeof m.chatId === 'string' ? m.chatId.trim() !== '' : Number.isSafeInteger(m.chatId) && m.chatId !== 0;
  if (!chatOk) throw new InvalidOutboxMessageError(id, 'chatId must be a non-zero integer or a non-empty id');
  if (isBlank(m.text) && !m.document && !m.photo) throw new InvalidOutboxMessageError(id, 'nothing to send');
}

/** Checks an outbox id: BullMQ treats ':' as a key separator and all-digit ids as its own. */
export function assertOutboxId(id: string): void {
  if (id.length === 0 || id.length > 200 || /[:\s]/.test(id) || /^\d+$/.test(id)) {
    throw new InvalidOutboxIdError(id);
  }
}

/**
 * Builds a deterministic outbox id from its parts, e.g.
 * `outboxId('reminder', campaignId, personId, '2025-05-01')` → `reminder.c7.123.2025-05-01`.
 * Parts are escaped so different parts never give the same id, and no ':' survives.
 */
export function outboxId(...parts: (string | number)[]): string {
  const id = parts
    .map((p) =>
      String(p).replace(/%/g, '%25').replace(/\./g, '%2E').replace(/:/g, '%3A').replace(/\s/g, '%20'),
    )
    .join('.');
  assertOutboxId(id);
  return id;
}

/** Quiet hours as minutes since local midnight; `from > to` wraps midnight (21:00-07:00). */
export interface QuietHours {
  from: number;
  to: number;
}

/**
 * When quiet hours that contain `now` end, or undefined when `now` is outside them.
 * Computed on the local calendar of `timezone`, so it holds across a DST change too.
 */
export function quietHoursEnd(
  now: number,
  quiet: QuietHours | undefined,
  timezone: string,
): number | undefined {
  if (!quiet || quiet.from === quiet.to) return undefined;
  const local = dayjs(now).tz(timezone);
  const minute = local.hour() * 60 + local.minute();
  const inside =
    quiet.from < quiet.to
      ? minute >= quiet.from && minute < quiet.to
      : minute >= quiet.from || minute < quiet.to;
  if (!inside) return undefined;
  const hhmm = `${String(Math.floor(quiet.to / 60)).padStart(2, '0')}:${String(quiet.to % 60).padStart(2, '0')}`;
  const at = (day: string) => dayjs.tz(`${day} ${hhmm}`, 'YYYY-MM-DD HH:mm', timezone).valueOf();
  const today = at(local.format('YYYY-MM-DD'));
  return today > now ? today : at(local.add(1, 'day').format('YYYY-MM-DD'));
}

export interface OutboxOptions {
  clock: Clock;
  /** Minutes since local midnight; undefined means no quiet hours (QUIET_HOURS=off). */
  quietHours?: QuietHours;
  timezone: string;
  /** Records each message as pending when queued, so a delivery report counts it before it goes. */
  deliveries?: Pick<DeliveryStore, 'recordQueued'>;
  /** Attempts for 5xx and network failures. @defaultValue 8 */
  attempts?: number;
  /** First retry delay, doubled each time (5 s → about 10 minutes over 8 attempts). @defaultValue 5000 */
  backoffMs?: number;
  /**
   * Replicas a queued message must reach before `send` resolves (REDIS_MIN_REPLICAS), so a
   * directive reported as queued survives a failover. @defaultValue none
   */
  replicas?: ReplicaAck;
  /**
   * With a second channel: where each person is reached (`src/store/channels.ts`). A message to
   * a person's own chat (chatId = personId) is sent to the Zalo queue when their route says so.
   */
  channels?: {
    zalo: OutboxQueue | (() => OutboxQueue);
    route(personIds: readonly number[]): Promise<Map<number, PersonRoute>>;
  };
}

/** Where a person's messages go (the channel store's `Route`). */
export type PersonRoute = { channel: 'telegram' } | { channel: 'zalo'; chat: string };

/** How `send` went: `queued` is false when that id was already queued (or sent) before. */
export interface SendResult {
  queued: boolean;
  /** Set when quiet hours hold the message back: when it will go (clock time, UTC ms). */
  deferredUntil?: number;
}

export interface SendOptions {
  /** Deterministic: the same reminder for the same person on the same day has the same id. */
  id: string;
  /** Goes out even during quiet hours. */
  urgent?: boolean;
}

const DAY_SECONDS = 24 * 3600;

export class Outbox {
  private readonly attempts: number;
  private readonly backoffMs: number;
  /** The Telegram queue; a function makes it on first use (the bot starts without loading BullMQ). */
  private readonly queue: () => OutboxQueue;

  constructor(
    queue: OutboxQueue | (() => OutboxQueue),
    private readonly opts: OutboxOptions,
  ) {
    this.queue = typeof queue === 'function' ? queue : () => queue;
    this.attempts = opts.attempts ?? 8;
    this.backoffMs = opts.backoffMs ?? 5_000;
  }

  /** The queue's own connection: WAIT must run where the jobs were written. */
  private async queueClient(): Promise<Pick<Redis, 'call'>> {
    // BullMQ wraps the ioredis instance it made, so the ioredis methods are there at run time.
    const client = (await this.queue().getBackend().client) as unknown as Partial<Pick<Redis, 'call'>>;
    if (typeof client.call !== 'function') throw new Error('the outbox queue is not on an ioredis client');
    return client as Pick<Redis, 'call'>;
  }

  /** Queues one message under its deterministic id; a second send with that id does nothing. */
  async send(message: OutboxMessage, opts: SendOptions): Promise<SendResult> {
    const [r] = await this.sendMany([{ message, ...opts }]);
    return r?.deferredUntil !== undefined
      ? { queued: r.queued, deferredUntil: r.deferredUntil }
      : { queued: !!r?.queued };
  }

  /** Queues several messages in one round trip; results are in the same order. */
  async sendMany(
    items: (SendOptions & { message: OutboxMessage })[],
  ): Promise<(SendResult & { id: string })[]> {
    if (items.length === 0) return [];
    for (const item of items) {
      assertOutboxId(item.id);
      assertSendable(item.id, item.message);
    }
    items = await this.routed(items);
    const now = this.opts.clock.now();
    const quietEnd = quietHoursEnd(now, this.opts.quietHours, this.opts.timezone);
    const planned = items.map((item) => {
      const deferredUntil = item.urgent ? undefined : quietEnd;
      return { item, deferredUntil, enqueueId: randomBytes(8).toString('hex') };
    });
    const deliveries = this.opts.deliveries;
    if (deliveries) {
      await Promise.all(planned.map(({ item }) => deliveries.recordQueued(item.id, item.message, now)));
    }
    const zalo = this.opts.channels?.zalo;
    const queueOf = (m: OutboxMessage) =>
      m.channel === 'zalo' && zalo ? (typeof zalo === 'function' ? zalo() : zalo) : this.queue();
    for (const queue of new Set(planned.map(({ item }) => queueOf(item.message)))) {
      await this.add(
        queue,
        planned.filter(({ item }) => queueOf(item.message) === queue),
        now,
      );
    }
    if (this.opts.replicas?.replicas) await waitForReplicas(await this.queueClient(), this.opts.replicas);
    // BullMQ returns the same answer for a new and an existing id; the stored enqueueId tells them apart.
    const stored = await Promise.all(planned.map(({ item }) => queueOf(item.message).getJob(item.id)));
    return planned.map(({ item, deferredUntil, enqueueId }, i) => {
      const queued = stored[i]?.data.enqueueId === enqueueId;
      return { id: item.id, queued, ...(queued && deferredUntil !== undefined ? { deferredUntil } : {}) };
    });
  }

  /** Messages to a person's own chat, sent to the channel that reaches them. */
  private async routed(
    items: (SendOptions & { message: OutboxMessage })[],
  ): Promise<(SendOptions & { message: OutboxMessage })[]> {
    const channels = this.opts.channels;
    if (!channels) return items;
    const personal = (m: OutboxMessage) =>
      m.channel === undefined && m.personId !== undefined && m.chatId === m.personId;
    const ids = [...new Set(items.filter((i) => personal(i.message)).map((i) => i.message.personId!))];
    if (ids.length === 0) return items;
    const routes = await channels.route(ids);
    return items.map((item) => {
      const r = personal(item.message) ? routes.get(item.message.personId!) : undefined;
      return r?.channel === 'zalo'
        ? { ...item, message: { ...item.message, channel: 'zalo', chatId: r.chat } }
        : item;
    });
  }

  private async add(
    queue: OutboxQueue,
    planned: {
      item: SendOptions & { message: OutboxMessage };
      deferredUntil: number | undefined;
      enqueueId: string;
    }[],
    now: number,
  ): Promise<void> {
    await queue.addBulk(
      planned.map(({ item, deferredUntil, enqueueId }) => ({
        name: item.message.purpose,
        data: { message: item.message, enqueueId },
        opts: {
          jobId: item.id,
          ...(deferredUntil !== undefined ? { delay: deferredUntil - now } : {}),
          attempts: this.attempts,
          backoff: { type: 'exponential', delay: this.backoffMs },
          removeOnComplete: { age: OUTBOX_DEDUPE_DAYS * DAY_SECONDS },
          removeOnFail: { age: OUTBOX_DEDUPE_DAYS * DAY_SECONDS },
        },
      })),
    );
  }
}
