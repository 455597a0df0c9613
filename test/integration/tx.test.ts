import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  confirmSaved,
  ReplicationTimeoutError,
  requireReplicas,
  setTxPoolSize,
  TX_POOL_SIZE,
  watchedTransaction,
} from '../../src/store/tx.js';
import { freshRedisUrl } from '../support/redis.js';

/** Clients on the server whose name is `name` (pooled copies inherit the base client's name). */
async function clientsNamed(admin: Redis, name: string): Promise<number> {
  const list = (await admin.client('LIST')) as string;
  return list.split('\n').filter((line) => line.includes(` name=${name} `)).length;
}

describe('watchedTransaction connection pool', () => {
  let url: string;
  let admin: Redis;
  beforeAll(async () => {
    url = await freshRedisUrl();
    admin = new Redis(url);
  });
  afterAll(async () => {
    await admin.quit();
  });

  it('runs 200 concurrent transactions on at most the pool size of connections, none opened twice', async () => {
    const name = `txpool-${randomBytes(4).toString('hex')}`;
    const base = new Redis(url, { connectionName: name });
    const connectionIds = new Set<number>();
    let peak = 0;
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          watchedTransaction(base, `counter ${i}`, async (conn) => {
            connectionIds.add(Number(await conn.client('ID')));
            await conn.watch(`pool:item:${i}`);
            const seen = await conn.get(`pool:item:${i}`);
            peak = Math.max(peak, await clientsNamed(admin, name));
            const tx = conn
              .multi()
              .set(`pool:item:${i}`, seen === null ? 'new' : 'again')
              .incr('pool:counter');
            return { tx, result: i };
          }),
        ),
      );
      expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(await admin.get('pool:counter')).toBe('200');
      // Every connection a transaction ever ran on; a churned one would bring a new id.
      expect(connectionIds.size).toBeGreaterThan(1);
      expect(connectionIds.size).toBeLessThanOrEqual(TX_POOL_SIZE);
      // The base client plus the pool, counted by Redis itself.
      expect(peak).toBeLessThanOrEqual(TX_POOL_SIZE + 1);
      expect(await clientsNamed(admin, name)).toBeLessThanOrEqual(TX_POOL_SIZE + 1);
    } finally {
      await base.quit();
    }
    // The pooled connections close with their base client.
    await expect.poll(() => clientsNamed(admin, name), { timeout: 2_000 }).toBe(0);
  });

  it('hands a busy pool to waiting callers in arrival order', async () => {
    const base = new Redis(url);
    setTxPoolSize(base, 1);
    const order: number[] = [];
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          watchedTransaction(base, `fifo ${i}`, async (conn) => {
            order.push(i);
            await conn.watch('pool:fifo');
            return { tx: conn.multi().rpush('pool:fifo', String(i)), result: i };
          }),
        ),
      );
      expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(await admin.lrange('pool:fifo', 0, -1)).toEqual(order.map(String));
    } finally {
      await base.quit();
    }
  });

  it('replaces a connection whose step threw, so the pool never shrinks', async () => {
    const base = new Redis(url);
    setTxPoolSize(base, 2);
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          watchedTransaction(base, `throws ${i}`, async (conn) => {
            await conn.watch('pool:throws');
            if (i % 2 === 0) throw new Error(`step ${i} failed`);
            return { tx: conn.multi().incr('pool:throws'), result: i };
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(5);
      expect(await admin.get('pool:throws')).toBe('5');
      // Still usable afterwards: the failed connections were replaced, not lost.
      const after = await watchedTransaction(base, 'after', async (conn) => ({
        tx: conn.multi().incr('pool:throws'),
        result: 'ok',
      }));
      expect(after).toBe('ok');
    } finally {
      await base.quit();
    }
  });

  it('fails waiting callers when the base client ends', async () => {
    const base = new Redis(url);
    setTxPoolSize(base, 1);
    let release: () => void = () => {};
    const held = watchedTransaction(base, 'held', async () => {
      await new Promise<void>((r) => {
        release = r;
      });
      return { result: 'held' };
    });
    const waiting = watchedTransaction(base, 'waiting', async () => ({ result: 'ran' }));
    await new Promise((r) => setTimeout(r, 50));
    base.disconnect();
    await expect(waiting).rejects.toThrow(/closed/);
    release();
    await held.catch(() => {});
  });
});

describe('replica acknowledgement', () => {
  it('fails a committed transaction that no replica confirms, and passes with none required', async () => {
    const url = await freshRedisUrl();
    const base = new Redis(url);
    try {
      // The test server has no replica, so WAIT 1 can only time out.
      requireReplicas(base, { replicas: 1, timeoutMs: 100 });
      const started = Date.now();
      const err = await watchedTransaction(base, 'report', async (conn) => ({
        tx: conn.multi().set('ack:report', '1'),
        result: 'saved',
      })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReplicationTimeoutError);
      expect((err as ReplicationTimeoutError).confirmed).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      await base.set('ack:other', '1');
      await expect(confirmSaved(base)).rejects.toBeInstanceOf(ReplicationTimeoutError);

      requireReplicas(base, { replicas: 0, timeoutMs: 100 });
      await expect(
        watchedTransaction(base, 'report', async (conn) => ({
          tx: conn.multi().set('ack:report', '2'),
          result: 'saved',
        })),
      ).resolves.toBe('saved');
      await expect(confirmSaved(base)).resolves.toBeUndefined();
    } finally {
      await base.quit();
    }
  });
});
