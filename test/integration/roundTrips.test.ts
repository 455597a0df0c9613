/**
 * The round-trip count (`src/infra/roundTrips.ts`) follows each count's async context, which is
 * switched on only while a count is in flight: counts running side by side stay apart, work
 * outside any count is not counted, and a count after an idle spell still counts.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRoundTrips } from '../../src/infra/roundTrips.js';
import { freshRedisUrl } from '../support/redis.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('counting Redis round trips', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(await freshRedisUrl(), { maxRetriesPerRequest: null });
    await redis.ping();
  });
  afterAll(() => redis.quit());

  it('keeps side-by-side counts apart and leaves out what runs outside them', async () => {
    const commands = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await redis.incr(`rt:${n}`);
        await tick();
      }
    };
    const [two, five] = await Promise.all([
      countRoundTrips(() => commands(2)),
      countRoundTrips(() => commands(5)),
      // Not counted anywhere, though it runs while both counts are in flight.
      commands(3),
    ]);
    expect(two.roundTrips).toBe(2);
    expect(five.roundTrips).toBe(5);
  });

  it('counts again after every count has ended (the context is switched back on)', async () => {
    await redis.get('rt:idle');
    const pipelined = await countRoundTrips(async () => {
      await redis.pipeline().get('rt:a').get('rt:b').exec();
      await tick();
      return redis.get('rt:c');
    });
    expect(pipelined.roundTrips).toBe(2);
    const none = await countRoundTrips(async () => 'nothing sent');
    expect(none).toEqual({ result: 'nothing sent', roundTrips: 0 });
  });
});
