/**
 * Reading all application data at one point in time, and loading it back.
 *
 * Consistency: `CLIENT PAUSE <ms> WRITE` holds every client's writes — and key
 * expiry — while reads go on, so the keys read during the pause are one state of the database,
 * never a report without its aggregates. Writers wait rather than fail (the bot's updates take
 * a little longer); nothing is forked, and nothing depends on a replica or an AOF rewrite. The
 * pause ends with `CLIENT UNPAUSE`, or on its own after `maxPauseMs` if this process dies; a
 * read that would outlast it fails rather than return a torn snapshot.
 *
 * Reads run as a read-only script (EVAL_RO), which a write pause lets through; both need
 * Redis 7.0 or newer.
 *
 * Application data is every `cb:*` key except the BullMQ queues (`cb:bull:*`).
 */
import type { Redis } from 'ioredis';
import { decodeBytes, encodeBytes, type SnapshotEntry } from '../domain/snapshot.js';

const APP_PATTERN = 'cb:*';
const QUEUE_PREFIX = 'cb:bull:';
/** Keys per pipeline while reading or loading. */
const BATCH = 500;

export type SnapshotFailure =
  /** CLIENT PAUSE … WRITE needs Redis 6.2, EVAL_RO 7.0. */
  | { reason: 'redis_too_old'; redisVersion: string }
  /** The server refused CLIENT PAUSE (managed Redis often does). */
  | { reason: 'pause_refused'; detail: string }
  /** Reading took longer than the pause; the result would not be one point in time. */
  | { reason: 'pause_too_short'; maxPauseMs: number; tookMs: number };

export interface Snapshot {
  /** Redis server time when the pause began (ms since epoch). */
  takenAtMs: number;
  redisVersion: string;
  entries: SnapshotEntry[];
  /** How long writers were held. */
  pausedMs: number;
}

function infoField(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

export const isApplicationKey = (key: string) => key.startsWith('cb:') && !key.startsWith(QUEUE_PREFIX);

async function applicationKeys(redis: Redis): Promise<string[]> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', APP_PATTERN, 'COUNT', 2000);
    for (const k of batch) if (isApplicationKey(k)) keys.add(k);
    cursor = next;
  } while (cursor !== '0');
  return [...keys].sort();
}

/** How many application keys the database holds (a SCAN; for checks, not hot paths). */
export async function countApplicationKeys(redis: Redis): Promise<number> {
  return (await applicationKeys(redis)).length;
}

function pairs(flat: Buffer[]): [Buffer, Buffer][] {
  const out: [Buffer, Buffer][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

/**
 * Type, milliseconds to live and value of each key of a batch, in one read-only script that
 * answers with one string: per key `len:type`, `len:pttl`, then the value as `len:count` and
 * that many `len:bytes` items (one item for a string or a DUMP). One reply a batch keeps the
 * work done while writers wait to what Redis itself does; decoding happens after the pause.
 * Prefixes and values are separate table slots joined once: with 100,000 keys that measured
 * faster than concatenating each item, or than a nested reply.
 */
const READ_BATCH = `
local out = {}
local n = 0
local function put(s)
  out[n + 1] = #s .. ':'
  out[n + 2] = s
  n = n + 2
end
for _, k in ipairs(KEYS) do
  local t = redis.call('TYPE', k)['ok']
  put(t)
  put(tostring(redis.call('PTTL', k)))
  local v
  if t == 'string' then v = {redis.call('GET', k)}
  elseif t == 'hash' then v = redis.call('HGETALL', k)
  elseif t == 'list' then v = redis.call('LRANGE', k, 0, -1)
  elseif t == 'set' then v = redis.call('SMEMBERS', k)
  elseif t == 'zset' then v = redis.call('ZRANGE', k, 0, -1, 'WITHSCORES')
  elseif t == 'none' then v = {}
  else v = {redis.call('DUMP', k)} end
  put(tostring(#v))
  for _, x in ipairs(v) do put(x) end
end
return table.concat(out)`;

/** Reads `len:bytes` items from a batch reply. */
class ReplyReader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  next(): Buffer {
    const colon = this.buf.indexOf(0x3a, this.at);
    if (colon < 0) throw new Error('snapshot batch reply ended early');
    const len = Number(this.buf.toString('latin1', this.at, colon));
    const item = this.buf.subarray(colon + 1, colon + 1 + len);
    this.at = colon + 1 + len;
    return item;
  }
  text(): string {
    return this.next().toString('utf8');
  }
}

/** The raw reply of one batch, kept as it came while writers are paused. */
interface RawBatch {
  keys: string[];
  reply: Buffer;
}

async function readBatch(redis: Redis, keys: string[]): Promise<RawBatch> {
  const reply = (await redis.callBuffer('EVAL_RO', READ_BATCH, keys.length, ...keys)) as Buffer;
  return { keys, reply };
}

function decodeBatch({ keys, reply }: RawBatch): SnapshotEntry[] {
  const r = new ReplyReader(reply);
  const entries: SnapshotEntry[] = [];
  for (const key of keys) {
    const type = r.text();
    const pttl = Number(r.text());
    const items = Array.from({ length: Number(r.text()) }, () => r.next());
    // Expired between SCAN and the read: expiry goes on for keys already past their time.
    if (type === 'none') continue;
    const ttlMs = pttl > 0 ? pttl : null;
    if (type === 'string') entries.push({ key, type, ttlMs, value: encodeBytes(items[0]!) });
    else if (type === 'hash')
      entries.push({
        key,
        type,
        ttlMs,
        value: pairs(items).map(([f, v]) => [encodeBytes(f), encodeBytes(v)]),
      });
    else if (type === 'list' || type === 'set')
      entries.push({ key, type, ttlMs, value: items.map(encodeBytes) });
    else if (type === 'zset')
      entries.push({
        key,
        type,
        ttlMs,
        value: pairs(items).map(([m, sc]) => [encodeBytes(m), sc.toString('utf8')]),
      });
    else entries.push({ key, type: 'dump', ttlMs, value: { b64: items[0]!.toString('base64') } });
  }
  return entries;
}

/**
 * Every application key with its type, TTL and value, read while writes are paused. Only
 * reads run during the pause; encoding to a file happens after it.
 */
export async function readConsistentSnapshot(
  redis: Redis,
  opts: { maxPauseMs: number },
): Promise<{ ok: true; snapshot: Snapshot } | ({ ok: false } & SnapshotFailure)> {
  // A connection of our own: on a shared one, a write queued before our reads would hold them
  // behind the pause we set.
  const conn = redis.duplicate();
  try {
    return await readPaused(conn, opts.maxPauseMs);
  } finally {
    await conn.quit().catch(() => conn.disconnect());
  }
}

async function readPaused(
  conn: Redis,
  maxPauseMs: number,
): Promise<{ ok: true; snapshot: Snapshot } | ({ ok: false } & SnapshotFailure)> {
  const redisVersion = infoField(await conn.info('server'), 'redis_version') ?? '0';
  if (!versionAtLeast(redisVersion, 7, 0)) return { ok: false, reason: 'redis_too_old', redisVersion };
  try {
    await conn.call('CLIENT', 'PAUSE', String(maxPauseMs), 'WRITE');
  } catch (err) {
    return { ok: false, reason: 'pause_refused', detail: err instanceof Error ? err.message : String(err) };
  }
  const started = Date.now();
  try {
    const [seconds, micros] = (await conn.time()) as [string | number, string | number];
    const takenAtMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const keys = await applicationKeys(conn);
    const batches: RawBatch[] = [];
    for (let i = 0; i < keys.length; i += BATCH)
      batches.push(await readBatch(conn, keys.slice(i, i + BATCH)));
    const tookMs = Date.now() - started;
    // Past the pause, writers ran while we read: not one point in time.
    if (tookMs >= maxPauseMs) return { ok: false, reason: 'pause_too_short', maxPauseMs, tookMs };
    await unpause(conn);
    const entries = batches.flatMap(decodeBatch);
    return { ok: true, snapshot: { takenAtMs, redisVersion, entries, pausedMs: tookMs } };
  } finally {
    await unpause(conn);
  }
}

/** Lets writers go on; harmless when they already may. */
async function unpause(conn: Redis): Promise<void> {
  await conn.call('CLIENT', 'UNPAUSE').catch(() => {});
}

/** Keys in the whole database, application or not. */
export async function databaseSize(redis: Redis): Promise<number> {
  return redis.dbsize();
}

/**
 * Writes entries, each key with its remaining TTL (`ttlMs`, already adjusted by the caller),
 * one MULTI per batch so a key never exists without its expiry.
 */
export async function loadEntries(
  redis: Redis,
  entries: readonly (SnapshotEntry & { loadTtlMs: number | null })[],
) {
  for (let i = 0; i < entries.length; i += BATCH) {
    const tx = redis.multi();
    for (const e of entries.slice(i, i + BATCH)) {
      if (e.type === 'string') tx.set(e.key, decodeBytes(e.value));
      else if (e.type === 'hash')
        tx.hset(e.key, ...e.value.flatMap(([f, v]) => [decodeBytes(f), decodeBytes(v)]));
      else if (e.type === 'list') tx.rpush(e.key, ...e.value.map(decodeBytes));
      else if (e.type === 'set') tx.sadd(e.key, ...e.value.map(decodeBytes));
      else if (e.type === 'zset') tx.zadd(e.key, ...e.value.flatMap(([m, s]) => [s, decodeBytes(m)]));
      else tx.restore(e.key, 0, Buffer.from(e.value.b64, 'base64'));
      if (e.loadTtlMs !== null) tx.pexpire(e.key, e.loadTtlMs);
    }
    const replies = (await tx.exec()) ?? [];
    for (const [err] of replies) if (err) throw err;
  }
}

/** Removes keys (a failed load's partial work), in batches. */
export async function deleteKeys(redis: Redis, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += BATCH) await redis.del(...keys.slice(i, i + BATCH));
}
