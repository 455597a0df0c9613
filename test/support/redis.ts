/**
 * Each test file gets its own logical database on the run's redis-server, so files can run in
 * parallel without seeing each other's keys.
 */
import { Redis } from 'ioredis';
import { inject } from 'vitest';

let allocated: string | undefined;

/** A `redis://host:port/db` URL for a database no other test file uses, emptied. */
export async function freshRedisUrl(): Promise<string> {
  if (allocated) return allocated;
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
  allocated = url;
  return url;
}

/** A connected client on this file's database. Close it in afterAll. */
export async function testRedis(): Promise<Redis> {
  return new Redis(await freshRedisUrl(), { maxRetriesPerRequest: null });
}
