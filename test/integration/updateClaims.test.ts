import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRoundTrips } from '../../src/infra/roundTrips.js';
import { UpdateClaims } from '../../src/store/updates.js';
import { testRedis } from '../support/redis.js';

describe('update claims', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await testRedis();
  });
  afterAll(() => redis.quit());

  it('lets exactly one of several instances claim an update', async () => {
    const instances = Array.from({ length: 5 }, (_, i) => new UpdateClaims(redis, 1, `p${i}`));
    await Promise.all(instances.map((c) => c.heartbeat()));
    const results = await Promise.all(instances.map((c) => c.claim(1001)));
    expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r === 'busy')).toHaveLength(4);
  });

  it('skips an update that was handled', async () => {
    const a = new UpdateClaims(redis, 1, 'a');
    expect(await a.claim(1002)).toBe('claimed');
    await a.finish(1002);
    expect(await new UpdateClaims(redis, 1, 'b').claim(1002)).toBe('done');
    expect(await a.claim(1002)).toBe('done');
    // Another bot's update 1002 is a different update.
    expect(await new UpdateClaims(redis, 2, 'a').claim(1002)).toBe('claimed');
  });

  it('leaves an update to a live instance, and hands it over once that instance’s lease lapses', async () => {
    const slow = new UpdateClaims(redis, 1, 'slow', 100);
    const next = new UpdateClaims(redis, 1, 'next', 100);
    await slow.heartbeat();
    expect(await slow.claim(1003)).toBe('claimed');
    expect(await next.claim(1003)).toBe('busy');
    await new Promise((r) => setTimeout(r, 150));
    expect(await next.claim(1003)).toBe('claimed');
  });

  it('hands an update over at once when its owner has no heartbeat (it died)', async () => {
    const dead = new UpdateClaims(redis, 1, 'dead', 60_000);
    const next = new UpdateClaims(redis, 1, 'next', 60_000);
    await dead.heartbeat();
    expect(await dead.claim(1004)).toBe('claimed');
    expect(await next.claim(1004)).toBe('busy');
    await redis.del('cb:inst:dead');
    expect(await next.claim(1004)).toBe('claimed');
  });

  it('carries a finished update’s done marker on the next claim, in the same round trip', async () => {
    const a = new UpdateClaims(redis, 3, 'carry');
    expect(await a.claim(2001)).toBe('claimed');
    a.finishWith(2001, (p) => p.set('cb:test:carried', 'yes'));
    // Not written yet: it waits for a round trip to ride on.
    expect(await redis.get('cb:upd:3:2001')).toBe('carry');
    const { result, roundTrips } = await countRoundTrips(() =>
      a.claimWith(2002, (p) => p.get('cb:test:carried')),
    );
    expect(roundTrips).toBe(1);
    // The carried commands went first, so the claim's own reads already see them.
    expect(result).toEqual({ state: 'claimed', replies: ['yes'] });
    expect(await redis.get('cb:upd:3:2001')).toBe('done');
  });

  it('writes a done marker on its own when no claim comes, and at once on retiring', async () => {
    const a = new UpdateClaims(redis, 3, 'alone');
    await a.heartbeat();
    expect(await a.claim(2003)).toBe('claimed');
    a.finishWith(2003, () => {});
    await new Promise((r) => setTimeout(r, 60));
    expect(await redis.get('cb:upd:3:2003')).toBe('done');
    expect(await a.claim(2004)).toBe('claimed');
    a.finishWith(2004, () => {});
    await a.retire();
    expect(await redis.get('cb:upd:3:2004')).toBe('done');
    expect(await redis.exists('cb:inst:alone')).toBe(0);
  });

  it('sends writes ahead of a claim made in the same tick, in its round trip, each with its replies', async () => {
    const a = new UpdateClaims(redis, 4, 'ahead');
    const { result, roundTrips } = await countRoundTrips(async () => {
      const kept = a.sendAhead([['hset', 'cb:test:ahead', 'u1', 'one']]);
      const more = a.sendAhead([
        ['hset', 'cb:test:ahead', 'u2', 'two'],
        ['hlen', 'cb:test:ahead'],
      ]);
      const claimed = a.claimWith(3001, (p) => p.hget('cb:test:ahead', 'u2'));
      return Promise.all([kept, more, claimed]);
    });
    expect(roundTrips).toBe(1);
    expect(result).toEqual([
      [[null, 1]],
      [
        [null, 1],
        [null, 2],
      ],
      // Sent ahead, so the claim's reads already see them.
      { state: 'claimed', replies: ['two'] },
    ]);
  });

  it('sends writes on their own at the end of the tick when no claim follows, errors in place', async () => {
    const a = new UpdateClaims(redis, 4, 'alone-ahead');
    await redis.set('cb:test:not-a-hash', 'x');
    const replies = await a.sendAhead([
      ['hset', 'cb:test:not-a-hash', 'u1', 'one'],
      ['hset', 'cb:test:ahead-alone', 'u1', 'one'],
    ]);
    expect(replies[0]?.[0]).toBeInstanceOf(Error);
    expect(replies[1]).toEqual([null, 1]);
    expect(await redis.hget('cb:test:ahead-alone', 'u1')).toBe('one');
  });
});
