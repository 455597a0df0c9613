/**
 * Optimistic transactions (WATCH, read, MULTI/EXEC, retry on conflict).
 *
 * WATCH belongs to a connection: on a connection shared by concurrent requests, another
 * caller's EXEC silently drops our watches. So each transaction runs on a connection of its
 * own, taken from a small pool kept per base client (opening a connection per transaction
 * costs a TCP handshake each time). Pooled connections close when the base client ends.
 */
import type { ChainableCommander, Redis } from 'ioredis';

/** Another writer kept changing the watched keys; the caller may try again later. */
export class TransactionConflictError extends Error {
  constructor(readonly what: string) {
    super(`Too many concurrent changes to ${what}; gave up`);
    this.name = 'TransactionConflictError';
  }
}

/** What one step of an optimistic transaction decided: a MULTI to execute, or nothing to write. */
export type WatchedStep<T> = { tx: ChainableCommander; result: T } | { result: T; tx?: undefined };

const POOL_MAX = 16;
const pools = new WeakMap<Redis, Redis[]>();

function acquire(base: Redis): Redis {
  let pool = pools.get(base);
  if (!pool) {
    const created: Redis[] = [];
    pool = created;
    pools.set(base, created);
    base.once('end', () => {
      for (const c of created.splice(0)) c.disconnect();
    });
  }
  const pooled = pool.pop();
  if (pooled) return pooled;
  const conn = base.duplicate();
  // The base client reports Redis outages; a pooled copy would only repeat them, unhandled.
  conn.on('error', () => {});
  return conn;
}

function release(base: Redis, conn: Redis, clean: boolean): void {
  const pool = pools.get(base);
  if (clean && pool && pool.length < POOL_MAX && base.status !== 'end') pool.push(conn);
  else conn.disconnect();
}

/**
 * Runs `step` until its MULTI executes without a watched key having changed. `step` WATCHes and
 * reads through `conn`, then returns a MULTI built on `conn`, or just a result when there is
 * nothing to write.
 */
export async function watchedTransaction<T>(
  redis: Redis,
  what: string,
  step: (conn: Redis) => Promise<WatchedStep<T>>,
  opts: { maxAttempts?: number; conflict?: (what: string) => Error } = {},
): Promise<T> {
  const conn = acquire(redis);
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
      return decided.result;
    }
    await conn.unwatch();
    clean = true;
    throw (opts.conflict ?? ((w) => new TransactionConflictError(w)))(what);
  } finally {
    // A step that threw may have left watches behind: that connection is not reused.
    release(redis, conn, clean);
  }
}
