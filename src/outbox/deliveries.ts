/**
 * The delivery record of the outbox, and which chats cannot be reached.
 *
 * Keys:
 * - `cb:dlv:<outboxId>` hash: state (`pending` | `sent` | `failed`), chatId, personId, purpose,
 *   trackKind, trackId, queuedAt, messageId, sentAt, reason, permanent, failedAt. 90 days.
 * - `cb:dlv:track:<kind>:<id>` hash: outboxId → state, for everything sent under one `track`
 *   (e.g. a directive), so its deliveries can be listed and counted. 90 days.
 * - `cb:unreach:<chatId>` hash: reason, at, personId — set when Telegram says the chat cannot
 *   be reached; cleared when the person writes to the bot again.
 * - `cb:unreach:index` sorted set: chatId scored by when it was marked.
 * - `cb:outbox:sent:<outboxId>` hash: `done` (parts sent), `messageId` (the last one) and
 *   `throttled` (429s met), 40 days — the worker's own progress, so a retried or restarted job
 *   skips what already went out.
 */
import type { Redis } from 'ioredis';
import { evalScript } from '../store/batch.js';
import type { DeliveryListener, OutboxDelivery, OutboxMessage } from './types.js';

const TTL_SECONDS = 90 * 24 * 3600;
const UNREACHABLE_INDEX = 'cb:unreach:index';

export type DeliveryState = 'pending' | 'sent' | 'failed';

/** One outbox message's delivery as recorded. */
export interface DeliveryRecord {
  id: string;
  state: DeliveryState;
  chatId: number;
  personId?: number;
  purpose: string;
  track?: { kind: string; id: string };
  queuedAt?: number;
  messageId?: number;
  sentAt?: number;
  reason?: string;
  permanent?: boolean;
  failedAt?: number;
}

/** How the deliveries of one tracked thing stand. */
export interface TrackCounts {
  sent: number;
  failed: number;
  pending: number;
  total: number;
}

/** A chat Telegram refuses to deliver to. */
export interface UnreachableMark {
  chatId: number;
  personId?: number;
  reason: string;
  at: number;
}

// Writes the record unless it already says `sent`: a late retry's failure, or a re-queue of a
// delivered id, must not turn a delivered message back into a failed or pending one.
const RECORD = `
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'sent' and ARGV[1] ~= 'sent' then return 0 end
if ARGV[1] == 'pending' and state then return 0 end
if ARGV[1] == 'sent' then redis.call('HDEL', KEYS[1], 'reason', 'permanent', 'failedAt') end
redis.call('HSET', KEYS[1], 'state', ARGV[1])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
if KEYS[2] then
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[1])
  redis.call('EXPIRE', KEYS[2], ARGV[2])
end
return 1`;

function trackKey(kind: string, id: string): string {
  return `cb:dlv:track:${kind}:${id}`;
}

/** The delivery store, and the default delivery listener that writes to it. */
export class DeliveryStore implements DeliveryListener {
  constructor(private readonly redis: Redis) {}

  private async record(
    id: string,
    message: OutboxMessage,
    state: DeliveryState,
    fields: Record<string, string | number>,
  ): Promise<void> {
    const keys = [`cb:dlv:${id}`];
    if (message.track) keys.push(trackKey(message.track.kind, message.track.id));
    const base: Record<string, string | number> = { chatId: message.chatId, purpose: message.purpose };
    if (message.personId !== undefined) base.personId = message.personId;
    if (message.track) {
      base.trackKind = message.track.kind;
      base.trackId = message.track.id;
    }
    const pairs = Object.entries({ ...base, ...fields }).flatMap(([k, v]) => [k, String(v)]);
    await evalScript(this.redis, RECORD, keys.length, ...keys, state, TTL_SECONDS, id, ...pairs);
  }

  /** Records a message as pending when it is queued (does nothing if it is already recorded). */
  async recordQueued(id: string, message: OutboxMessage, at: number): Promise<void> {
    await this.record(id, message, 'pending', { queuedAt: at });
  }

  async delivered(job: OutboxDelivery, messageId: number, at: number): Promise<void> {
    await this.record(job.id, job.message, 'sent', { messageId, sentAt: at });
  }

  async failed(job: OutboxDelivery, reason: string, permanent: boolean, at: number): Promise<void> {
    await this.record(job.id, job.message, 'failed', { reason, permanent: permanent ? 1 : 0, failedAt: at });
  }

  async unreachable(personId: number | undefined, chatId: number, reason: string, at: number): Promise<void> {
    const fields: Record<string, string> = { reason, at: String(at) };
    if (personId !== undefined) fields.personId = String(personId);
    await this.redis
      .multi()
      .del(`cb:unreach:${chatId}`)
      .hset(`cb:unreach:${chatId}`, fields)
      .zadd(UNREACHABLE_INDEX, at, String(chatId))
      .exec();
  }

  /** The delivery record of one outbox id, if any. */
  async get(id: string): Promise<DeliveryRecord | undefined> {
    const h = await this.redis.hgetall(`cb:dlv:${id}`);
    return h.state ? toRecord(id, h) : undefined;
  }

  /** Every delivery recorded under `track`, by outbox id. */
  async listTrack(kind: string, id: string): Promise<DeliveryRecord[]> {
    const ids = await this.redis.hkeys(trackKey(kind, id));
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const outboxId of ids) pipeline.hgetall(`cb:dlv:${outboxId}`);
    const rows = (await pipeline.exec()) ?? [];
    const records: DeliveryRecord[] = [];
    rows.forEach(([err, h], i) => {
      const outboxId = ids[i];
      if (err || !outboxId) return;
      const fields = h as Record<string, string>;
      if (fields.state) records.push(toRecord(outboxId, fields));
    });
    return records.sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Sent / failed / pending counts of everything recorded under `track`. */
  async trackCounts(kind: string, id: string): Promise<TrackCounts> {
    const states = await this.redis.hvals(trackKey(kind, id));
    const counts: TrackCounts = { sent: 0, failed: 0, pending: 0, total: states.length };
    for (const s of states) {
      if (s === 'sent' || s === 'failed' || s === 'pending') counts[s]++;
    }
    return counts;
  }

  async isUnreachable(chatId: number): Promise<boolean> {
    return (await this.redis.exists(`cb:unreach:${chatId}`)) === 1;
  }

  /** The mark on one chat, if it is unreachable. */
  async getUnreachable(chatId: number): Promise<UnreachableMark | undefined> {
    const h = await this.redis.hgetall(`cb:unreach:${chatId}`);
    return h.reason === undefined ? undefined : toMark(chatId, h);
  }

  /** How many chats are marked unreachable (one ZCARD, for metrics). */
  async countUnreachable(): Promise<number> {
    return this.redis.zcard(UNREACHABLE_INDEX);
  }

  /** Every unreachable chat, most recently marked first. */
  async listUnreachable(): Promise<UnreachableMark[]> {
    const chatIds = await this.redis.zrevrange(UNREACHABLE_INDEX, 0, -1);
    if (chatIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const chatId of chatIds) pipeline.hgetall(`cb:unreach:${chatId}`);
    const rows = (await pipeline.exec()) ?? [];
    const marks: UnreachableMark[] = [];
    rows.forEach(([err, h], i) => {
      const fields = h as Record<string, string>;
      if (!err && fields.reason !== undefined) marks.push(toMark(Number(chatIds[i]), fields));
    });
    return marks;
  }

  /** The person wrote to the bot again, so their chat works: forget the mark. */
  async clearUnreachable(chatId: number): Promise<void> {
    await this.redis.multi().del(`cb:unreach:${chatId}`).zrem(UNREACHABLE_INDEX, String(chatId)).exec();
  }
}

function optionalNumber(v: string | undefined): number | undefined {
  return v === undefined || v === '' ? undefined : Number(v);
}

function toRecord(id: string, h: Record<string, string>): DeliveryRecord {
  const r: DeliveryRecord = {
    id,
    state: h.state as DeliveryState,
    chatId: Number(h.chatId),
    purpose: h.purpose ?? '',
  };
  const personId = optionalNumber(h.personId);
  if (personId !== undefined) r.personId = personId;
  if (h.trackKind !== undefined && h.trackId !== undefined) r.track = { kind: h.trackKind, id: h.trackId };
  const queuedAt = optionalNumber(h.queuedAt);
  if (queuedAt !== undefined) r.queuedAt = queuedAt;
  const messageId = optionalNumber(h.messageId);
  if (messageId !== undefined) r.messageId = messageId;
  const sentAt = optionalNumber(h.sentAt);
  if (sentAt !== undefined) r.sentAt = sentAt;
  if (h.reason !== undefined) r.reason = h.reason;
  if (h.permanent !== undefined) r.permanent = h.permanent === '1';
  const failedAt = optionalNumber(h.failedAt);
  if (failedAt !== undefined) r.failedAt = failedAt;
  return r;
}

function toMark(chatId: number, h: Record<string, string>): UnreachableMark {
  const mark: UnreachableMark = { chatId, reason: h.reason ?? '', at: Number(h.at) };
  const personId = optionalNumber(h.personId);
  if (personId !== undefined) mark.personId = personId;
  return mark;
}

/** What of one outbox message already reached Telegram. */
export interface SentProgress {
  /** Parts (Telegram messages) sent so far. */
  done: number;
  /** The id of the last part sent. */
  messageId?: number;
}

const PROGRESS_TTL_SECONDS = 40 * 24 * 3600;

/**
 * The worker's progress through one outbox message, written right after each part is sent.
 * It is what makes a retry or a restart after a crash resume instead of sending again.
 */
export class SendProgress {
  constructor(private readonly redis: Redis) {}

  private key(id: string): string {
    return `cb:outbox:sent:${id}`;
  }

  async get(id: string): Promise<SentProgress> {
    const h = await this.redis.hgetall(this.key(id));
    const done = Number(h.done ?? 0);
    return h.messageId === undefined ? { done } : { done, messageId: Number(h.messageId) };
  }

  /** Counts one more 429 met by this message; returns how many so far. */
  async rateLimited(id: string): Promise<number> {
    const [[, count]] = (await this.redis
      .multi()
      .hincrby(this.key(id), 'throttled', 1)
      .expire(this.key(id), PROGRESS_TTL_SECONDS)
      .exec()) as [[Error | null, number]];
    return Number(count);
  }

  /** Part `index` (0-based) went out as Telegram message `messageId`. */
  async partSent(id: string, index: number, messageId: number): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key(id), { done: index + 1, messageId })
      .expire(this.key(id), PROGRESS_TTL_SECONDS)
      .exec();
  }
}
