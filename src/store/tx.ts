/**
 * Optimistic transactions (WATCH, read, MULTI/EXEC, retry on conflict), and the replica
 * acknowledgement every saved write waits for.
 *
 * WATCH belongs to a connection: on a connection shared by concurrent requests, another
 * caller's EXEC silently drops our watches. So each transaction runs on a connection of its
 * own, taken from a bounded pool kept per base client. When every pooled connection is busy,
 * callers queue for the next one in arrival order: opening a connection per extra transaction
 * churned about a thousand connections per 20 s under load. Pooled connections close when the
 * base client ends.
 */
import type { ChainableCommander, Redis } from 'ioredis';

/** Another writer kept changing the watched keys; the caller may try again later. */
export class TransactionConflictError extends Error {
  constructor(readonly what: string) {
    super(`Too many concurrent changes to ${what}; gave up`);
    this.name = 'TransactionConflictError';
  }
}

/**
 * A write reached the master but not the replicas it must be on before we may call it saved
 * (REDIS_MIN_REPLICAS). The caller takes the error path: the user is never told it was saved.
 */
export class ReplicationTimeoutError extends Error {
  constructor(
    readonly wanted: number,
    readonly confirmed: number,
    readonly timeoutMs: number,
  ) {
    super(`write confirmed on ${confirmed} of ${wanted} replica(s) within ${timeoutMs} ms`);
    this.name = 'ReplicationTimeoutError';
  }
}

/** What one step of an optimistic transaction decided: a MULTI to execute, or nothing to write. */
export type WatchedStep<T> = { tx: ChainableCommander; result: T } | { result: T; tx?: undefined };

/** Connections one base client may hold for transactions. @defaultValue 16 */
export const TX_POOL_SIZE = 16;

/** How a base client's saved writes are confirmed on replicas (see `requireReplicas`). */
export interface ReplicaAck {
  /** Replicas that must hold a write before it counts as saved; 0 confirms nothing. */
  replicas: number;
  /** How long WAIT may take. */
  timeoutMs: number;
}

interface Pool {
  idle: Redis[];
  /** Connections open, idle or lent out. */
  open: number;
  max: number;
  waiting: { resolve: (c: Redis) => void; reject: (e: Error) => void }[];
  ended: boolean;
}

const pools = new WeakMap<Redis, Pool>();
const acks = new WeakMap<Redis, ReplicaAck>();

/**
 * Saved writes through `base` (transactions here and `confirmSaved`) are acknowledged only once
 * WAIT reports them on `replicas` replicas. Set once by whoever opens the connection.
 */
export function requireReplicas(base: Redis, ack: ReplicaAck): void {
  acks.set(base, ack);
}

/** What `requireReplicas` set for `base`; nothing to confirm when unset. */
export function replicaAck(base: Redis): ReplicaAck {
  return acks.get(base) ?? { replicas: 0, timeoutMs: 0 };
}

/** Sets the pool size for `base` before its first transaction (tests, the load benchmark). */
export function setTxPoolSize(base: Redis, max: number): void {
  poolOf(base).max = Math.max(1, Math.floor(max));
}

function poolOf(base: Redis): Pool {
  let pool = pools.get(base);
  if (!pool) {
    const created: Pool = { idle: [], open: 0, max: TX_POOL_SIZE, waiting: [], ended: false };
    pool = created;
    pools.set(base, created);
    base.once('end', () => {
      created.ended = true;
      for (const c of created.idle.splice(0)) c.disconnect();
      for (const w of created.waiting.splice(0)) w.reject(new Error('Redis connection closed'));
    });
  }
  return pool;
}

function openConnection(base: Redis, pool: Pool): Redis {
  pool.open++;
  const conn = base.duplicate();
  // The base client reports Redis outages; a pooled copy would only repeat them, unhandled.
  conn.on('error', () => {});
  return conn;
}

function acquire(base: Redis): Promise<Redis> {
  const pool = poolOf(base);
  if (pool.ended || base.status === 'end') return Promise.reject(new Error('Redis connection closed'));
  const idle = pool.idle.pop();
  if (idle) return Promise.resolve(idle);
  if (pool.open < pool.max) return Promise.resolve(openConnection(base, pool));
  return new Promise((resolve, reject) => pool.waiting.push({ resolve, reject }));
}

function release(base: Redis, conn: Redis, clean: boolean): void {
  const pool = poolOf(base);
  if (!clean || pool.ended || base.status === 'end') {
    // A step that threw may have left watches behind: that connection is not reused.
    conn.disconnect();
    pool.open--;
    const next = pool.waiting.shift();
    if (next) {
      if (pool.ended || base.status === 'end') next.reject(new Error('Redis connection closed'));
      else next.resolve(openConnection(base, pool));
    }
    return;
  }
  const next = pool.waiting.shift();
  if (next) next.resolve(conn);
  else pool.idle.push(conn);
}

/**
 * Waits until the writes sent so far on `conn` are on `ack.replicas` replicas. WAIT covers every
 * write the connection made (and, the replication stream being ordered, every write any client
 * finished before them), so on a pooled connection it is exactly the transaction's.
 */
export async function waitForReplicas(conn: Pick<Redis, 'call'>, ack: ReplicaAck | undefined): Promise<void> {
  if (!ack || ack.replicas <= 0) return;
  const confirmed = Number(await conn.call('WAIT', ack.replicas, ack.timeoutMs));
  if (confirmed < ack.replicas) throw new ReplicationTimeoutError(ack.replicas, confirmed, ack.timeoutMs);
}

function confirmOnReplicas(base: Redis, conn: Redis): Promise<void> {
  return waitForReplicas(conn, acks.get(base));
}

/**
 * For a write outside `watchedTransaction` that the user is told is saved (a MULTI or a script
 * on the shared client): call after it, before saying so. On the shared client WAIT also covers
 * other callers' earlier writes, which only makes it wait longer, never shorter.
 */
export async function confirmSaved(redis: Redis): Promise<void> {
  await confirmOnReplicas(redis, redis);
}

/**
 * Runs `step` until its MULTI executes without a watched key having changed. `step` WATCHes and
 * reads through `conn`, then returns a MULTI built on `conn`, or just a result when there is
 * nothing to write. A committed MULTI resolves only once it is on the required replicas.
 */
export async function watchedTransaction<T>(
  redis: Redis,
  what: string,
  step: (conn: Redis) => Promise<WatchedStep<T>>,
  opts: { maxAttempts?: number; conflict?: (what: string) => Error } = {},
): Promise<T> {
  const conn = await acquire(redis);
  let clean = false;
  try {
    for (let attempt = 0; attempt < (opts.maxAttempts ?? 50); attempt++) {
      const decided = await step(conn);
      if (!decided.tx) {
        await conn.unwatch();
        clean = true;
        return decided.result;
      }
      const replies = await decided.tx.exec();
      if (replies === null) continue;
      clean = true;
      for (const [err] of replies) if (err) throw err;
      await confirmOnReplicas(redis, conn);
      return decided.result;
    }
    await conn.unwatch();
    clean = true;
    throw (opts.conflict ?? ((w) => new TransactionConflictError(w)))(what);
  } finally {
    release(redis, conn, clean);
  }
}
