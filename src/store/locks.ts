/**
 * Short locks for work no two processes should do at once (e.g. upserting the job schedulers):
 * SET NX PX under a random token, released only by the holder that took it, and lapsing by
 * itself when a holder dies.
 *
 * Keys: `cb:lock:<name>` → the holder's token.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const lockKey = (name: string) => `cb:lock:${name}`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** The commands a lock needs; any ioredis client has them (a BullMQ queue's own included). */
export type LockClient = Pick<Redis, 'set' | 'eval'>;

/**
 * Runs `work` while holding the lock `name` (for at most `ms`); `held: false` without running it
 * when another holder has the lock.
 */
export async function whileLocked<T>(
  redis: LockClient,
  name: string,
  ms: number,
  work: () => Promise<T>,
): Promise<{ held: true; result: T } | { held: false }> {
  const key = lockKey(name);
  const token = randomBytes(8).toString('hex');
  if ((await redis.set(key, token, 'PX', ms, 'NX')) !== 'OK') return { held: false };
  try {
    return { held: true, result: await work() };
  } finally {
    await redis.eval(RELEASE, 1, key, token);
  }
}
