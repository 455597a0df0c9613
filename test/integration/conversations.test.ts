import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../src/store/conversations.js';
import { testRedis } from '../support/redis.js';

describe('conversations', () => {
  let redis: Redis;
  let store: ConversationStore;
  beforeAll(async () => {
    redis = await testRedis();
    store = new ConversationStore(redis);
  });
  afterAll(() => redis.quit());

  it('keeps a dialog’s state until it is cleared', async () => {
    await store.set(1, 2, 'dh-dialog', { at: 3 }, 1000);
    expect(await store.get(1, 2)).toEqual({ kind: 'dh-dialog', state: { at: 3 }, updatedAt: 1000 });
    await store.clear(1, 2);
    expect(await store.get(1, 2)).toBeUndefined();
  });

  it('lets only one of two simultaneous confirmations take the pending report', async () => {
    await store.set(5, 6, 'dh-confirm', { nonce: 'a1b2c3d4e5f6', report: { present: 20 } }, 1000);
    const [a, b] = await Promise.all([store.claim(5, 6, 'a1b2c3d4e5f6'), store.claim(5, 6, 'a1b2c3d4e5f6')]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(await store.get(5, 6)).toBeUndefined();
  });

  it('leaves the state alone when the button belongs to an older card', async () => {
    await store.set(7, 8, 'dh-confirm', { nonce: 'newnonce0001' }, 1000);
    expect(await store.claim(7, 8, 'oldnonce0001')).toBeUndefined();
    expect((await store.get(7, 8))?.kind).toBe('dh-confirm');
  });
});
