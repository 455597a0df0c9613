import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRoundTrips } from '../../src/infra/roundTrips.js';
import { record, sendBatch } from '../../src/store/batch.js';
import { freshRedisUrl } from '../support/redis.js';

/** Counts (and keeps) the writes on a client's socket from now on, until `restore()`. */
function countWrites(redis: Redis): { writes: number; wrote: string[]; restore: () => void } {
  const socket = (redis as unknown as { stream: { write: (...a: unknown[]) => boolean } }).stream;
  const write = socket.write;
  const seen = {
    writes: 0,
    wrote: [] as string[],
    restore: () => {
      socket.write = write;
    },
  };
  socket.write = (...args: unknown[]) => {
    seen.writes++;
    seen.wrote.push(String(args[0]));
    return write.apply(socket, args);
  };
  return seen;
}

describe('a batch of Redis commands', () => {
  let url: string;
  let redis: Redis;
  beforeAll(async () => {
    url = await freshRedisUrl();
    redis = new Redis(url, { maxRetriesPerRequest: null });
    await redis.ping();
  });
  afterAll(() => redis.quit());

  it('sends every command in one write and one round trip, replies in order, errors in place', async () => {
    await redis.hset('batch:h', { 'Bí thư': 'Nguyễn Văn A 👋', n: '3' });
    await redis.set('batch:s', 'chuỗi');
    const writes = countWrites(redis);
    const { result, roundTrips } = await countRoundTrips(() =>
      sendBatch(
        redis,
        record((p) => {
          p.set('batch:k', 'đã lưu', 'EX', 60);
          p.hgetall('batch:h');
          p.hget('batch:s', 'x'); // the wrong type: an error in its place, the rest still run
          p.eval("return redis.call('GET', KEYS[1])", 1, 'batch:k');
          p.incrby('batch:n', 5);
        }),
      ),
    );
    expect(roundTrips).toBe(1);
    expect(writes.writes).toBe(1);
    expect(result[0]).toEqual([null, 'OK']);
    // A hash comes back as an object, as from the client's own hgetall.
    expect(result[1]).toEqual([null, { 'Bí thư': 'Nguyễn Văn A 👋', n: '3' }]);
    expect(result[2]![0]).toBeInstanceOf(Error);
    expect(String(result[2]![0])).toContain('WRONGTYPE');
    expect(result[3]).toEqual([null, 'đã lưu']);
    expect(result[4]).toEqual([null, 5]);
  });

  it('records the length a pipeline would have, for callers that note their replies’ places', () => {
    const places: number[] = [];
    const calls = record((p) => {
      p.get('a');
      places.push(p.length);
      p.get('b').get('c');
      places.push(p.length);
    });
    expect(places).toEqual([1, 3]);
    expect(calls).toEqual([
      ['get', 'a'],
      ['get', 'b'],
      ['get', 'c'],
    ]);
  });

  it('waits for a client that is not connected yet, and sends the batch once it is', async () => {
    const late = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
    try {
      expect(late.status).toBe('wait');
      const replies = await sendBatch(
        late,
        record((p) => p.set('batch:late', '1').get('batch:late')),
      );
      expect(replies).toEqual([
        [null, 'OK'],
        [null, '1'],
      ]);
    } finally {
      late.disconnect();
    }
  });

  it('sends a script it has run by its digest, and its text again when Redis has lost it', async () => {
    const script = "redis.call('INCR', KEYS[1]) return 'đếm ' .. redis.call('GET', KEYS[1])";
    const run = () =>
      sendBatch(
        redis,
        record((p) => {
          p.set('batch:before', 'a');
          p.eval(script, 1, 'batch:count');
          p.get('batch:before');
        }),
      );
    const { wrote, restore } = countWrites(redis);
    try {
      expect(await run()).toEqual([
        [null, 'OK'],
        [null, 'đếm 1'],
        [null, 'a'],
      ]);
      expect(wrote.at(-1)).toContain('INCR');
      // Run once: the next batch names it by its digest, one write, one round trip.
      const { result, roundTrips } = await countRoundTrips(run);
      expect(result[1]).toEqual([null, 'đếm 2']);
      expect(roundTrips).toBe(1);
      expect(wrote.at(-1)).toMatch(/evalsha/i);
      expect(wrote.at(-1)).not.toContain('INCR');
      // Redis forgets its scripts (a restart, a failover): the script runs once more, as text,
      // in its place among the replies; the script is counted once, not twice.
      await redis.script('FLUSH');
      const again = await run();
      expect(again).toEqual([
        [null, 'OK'],
        [null, 'đếm 3'],
        [null, 'a'],
      ]);
      expect(wrote.at(-1)).toContain('INCR');
      expect(await redis.get('batch:count')).toBe('3');
    } finally {
      restore();
    }
  });

  it('answers an empty batch without a round trip', async () => {
    const { result, roundTrips } = await countRoundTrips(() => sendBatch(redis, []));
    expect(result).toEqual([]);
    expect(roundTrips).toBe(0);
  });
});
