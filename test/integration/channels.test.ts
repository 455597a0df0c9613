import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readAudit } from '../../src/store/audit.js';
import { ChannelStore, isZaloBorn, routeOf, ZALO_BORN_BASE } from '../../src/store/channels.js';
import { PeopleStore } from '../../src/store/people.js';
import { UnitStore } from '../../src/store/units.js';
import { testRedis } from '../support/redis.js';

let redis: Redis;
let channels: ChannelStore;
let people: PeopleStore;
const NOW = Date.UTC(2025, 8, 15, 3, 0);

beforeAll(async () => {
  redis = await testRedis();
  channels = new ChannelStore(redis);
  people = new PeopleStore(redis, { adminIds: [] });
});
beforeEach(async () => {
  await redis.flushdb();
  const units = new UnitStore(redis);
  const r = await units.importUnits(
    [
      { code: 'XA', name: 'Xã', level: 'dang_bo_co_so', kind: null, parent: null, members: 0 },
      { code: 'CB1', name: 'Chi bộ 1', level: 'chi_bo', kind: 'thon', parent: 'XA', members: 10 },
    ],
    'test',
    NOW,
  );
  expect(r.ok).toBe(true);
});
afterAll(() => redis.quit());

const zalo = (id: string) => ({ id, chat: id, name: `Người ${id}` });

describe('Zalo identities', () => {
  it('gives a new Zalo user one id above 2^52, the same each time, never a Telegram id', async () => {
    const a = await channels.zaloPerson('za');
    const b = await channels.zaloPerson('zb');
    expect(a).toBeGreaterThan(ZALO_BORN_BASE);
    expect(Number.isSafeInteger(a)).toBe(true);
    expect(b).toBe(a + 1);
    expect(await channels.zaloPerson('za')).toBe(a);
    expect(isZaloBorn(a)).toBe(true);
    expect(isZaloBorn(2 ** 52 - 1)).toBe(false);
    const raced = await Promise.all(Array.from({ length: 20 }, () => channels.zaloPerson('zc')));
    expect(new Set(raced).size).toBe(1);
  });

  it('joins a Zalo account to a Telegram person with a one-time code', async () => {
    await people.grantRole(111, { kind: 'secretary', unit: 'CB1' }, 'test', NOW);
    const { code } = await channels.createLinkCode(111);
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    // Before linking the Zalo user wrote once and became a person of their own.
    const stranger = await channels.zaloPerson('zt');
    expect(await channels.linkZalo(code, zalo('zt'), NOW)).toEqual({
      ok: true,
      personId: 111,
      already: false,
    });
    expect(await channels.zaloPerson('zt')).toBe(111);
    expect((await people.get(111))?.zalo).toEqual({ id: 'zt', chat: 'zt', name: 'Người zt' });
    expect(await people.get(stranger)).toBeUndefined();
    expect(await channels.linkZalo(code, zalo('zt'), NOW)).toEqual({ ok: false, reason: 'unknown_code' });
    expect(await channels.linkZalo('abc', zalo('zt'), NOW)).toEqual({ ok: false, reason: 'unknown_code' });
  });

  it('merges a Zalo-born person into the Telegram account that redeems their code, roles and all', async () => {
    const z = await channels.zaloPerson('zz');
    await channels.noteZalo(z, zalo('zz'));
    await people.grantRole(z, { kind: 'secretary', unit: 'CB1' }, 'test', NOW);
    await people.grantRole(222, { kind: 'leader', unit: 'XA' }, 'test', NOW);
    const { code } = await channels.createLinkCode(z);
    expect(await channels.linkTelegram(code, 222, NOW)).toEqual({ ok: true, personId: 222, already: false });
    expect((await people.rolesOf(222)).map((r) => r.kind).sort()).toEqual(['leader', 'secretary']);
    expect(await people.holdersOf('CB1', 'secretary')).toEqual([222]);
    expect(await people.get(z)).toBeUndefined();
    expect(await channels.zaloPerson('zz')).toBe(222);
    expect((await people.get(222))?.zalo?.id).toBe('zz');
    const audit = await readAudit(redis, { limit: 5 });
    expect(audit.some((e) => e.action === 'person.link' && e.subject === 'person:222')).toBe(true);
  });

  it('refuses to join two Telegram accounts', async () => {
    const { code } = await channels.createLinkCode(333);
    expect(await channels.linkTelegram(code, 444, NOW)).toEqual({ ok: false, reason: 'other_telegram' });
  });

  it('counts refusals in a row per chat, from zero again after a send goes through', async () => {
    expect(await channels.refused('c1')).toBe(1);
    expect(await channels.refused('c1')).toBe(2);
    await channels.accepted('c1');
    expect(await channels.refused('c1')).toBe(1);
  });
});

describe('where bot-initiated messages go', () => {
  it.each([
    [111, undefined, undefined, undefined, 'telegram'],
    [111, 'zc', undefined, undefined, 'telegram'],
    [111, 'zc', undefined, 'zalo', 'zalo'],
    [111, 'zc', 'telegram', 'zalo', 'telegram'],
    [111, 'zc', 'zalo', 'telegram', 'zalo'],
    [ZALO_BORN_BASE + 5, 'zc', 'telegram', 'telegram', 'zalo'],
  ])('person %s, Zalo chat %s, chosen %s, last %s → %s', (id, chat, chosen, last, channel) => {
    expect(routeOf(id, chat, chosen, last).channel).toBe(channel);
  });

  it('reads every route in one round trip', async () => {
    await channels.noteZalo(555, zalo('z5'));
    const routes = await channels.routes([555, 666]);
    expect(routes.get(555)).toEqual({ channel: 'zalo', chat: 'z5' });
    expect(routes.get(666)).toEqual({ channel: 'telegram' });
  });
});
