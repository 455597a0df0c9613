/**
 * Each caller gets its own logical database on the run's redis-server, so test files (and
 * bots within a file) run side by side without seeing each other's keys.
 */
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/** A `redis://host:port/db` URL for a database nothing else in the run uses, emptied. */
export async function freshRedisUrl(): Promise<string> {
  const base = inject('redisUrl');
  const admin = new Redis(base, { lazyConnect: true });
  await admin.connect();
  const n = await admin.incr('test:next-db');
  await admin.quit();
  const db = 1 + ((n - 1) % 255);
  const url = `${base}/${db}`;
  const client = new Redis(url);
  await client.flushdb();
  await client.quit();
  return url;
}

/** A connected client on a fresh database. Close it in afterAll. */
export async function testRedis(): Promise<Redis> {
  return new Redis(await freshRedisUrl(), { maxRetriesPerRequest: null });
}
