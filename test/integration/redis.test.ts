import { afterAll, describe, expect, it } from 'vitest';
import { testRedis } from '../support/redis.js';

describe('test Redis', () => {
  it('is a real redis-server with AOF and noeviction, not the one on 6379', async () => {
    const redis = await testRedis();
    afterAll(() => redis.quit());
    expect(redis.options.port).not.toBe(6379);
    const policy = (await redis.config('GET', 'maxmemory-policy')) as string[];
    expect(policy[1]).toBe('noeviction');
    const aof = (await redis.config('GET', 'appendonly')) as string[];
    expect(aof[1]).toBe('yes');
    await redis.set('k', 'v');
    expect(await redis.get('k')).toBe('v');
  });
});
