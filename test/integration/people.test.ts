import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Unit } from '../../src/domain/units.js';
import { readAudit } from '../../src/store/audit.js';
import { PeopleStore } from '../../src/store/people.js';
import { UnitStore } from '../../src/store/units.js';
import { testRedis } from '../support/redis.js';

let redis: Redis;
let units: UnitStore;
let people: PeopleStore;
const NOW = Date.UTC(2025, 8, 15, 3, 0);
const CONFIG_ADMIN = 900;

const unit = (code: string, level: Unit['level'], parent: string | null): Unit => ({
  code,
  name: `Đơn vị ${code}`,
  level,
  kind: level === 'chi_bo' || level === 'chi_bo_co_so' ? 'khac' : null,
  parent,
  members: 10,
});

// R ─┬─ A ─┬─ BP ─── C1
//    │     └─ C2
//    └─ B ─── C3
beforeAll(async () => {
  redis = await testRedis();
  units = new UnitStore(redis);
  people = new PeopleStore(redis, { adminIds: [CONFIG_ADMIN] });
});
afterAll(() => redis.quit());
beforeEach(async () => {
  await redis.flushdb();
  const result = await units.importUnits(
    [
      unit('R', 'dang_bo_co_so', null),
      unit('A', 'dang_bo_bo_phan', 'R'),
      unit('BP', 'dang_bo_bo_phan', 'A'),
      unit('C1', 'chi_bo', 'BP'),
      unit('C2', 'chi_bo', 'A'),
      unit('B', 'dang_bo_bo_phan', 'R'),
      unit('C3', 'chi_bo', 'B'),
    ],
    'cli',
    NOW,
  );
  expect(result.ok).toBe(true);
});

describe('PeopleStore roles', () => {
  it('grants, lists and revokes roles, auditing each change', async () => {
    expect(await people.grantRole(1, { kind: 'secretary', unit: 'C1' }, CONFIG_ADMIN, NOW)).toEqual({
      ok: true,
      changed: true,
    });
    expect(await people.grantRole(1, { kind: 'leader', unit: 'A' }, CONFIG_ADMIN, NOW)).toEqual({
      ok: true,
      changed: true,
    });
    expect(await people.grantRole(1, { kind: 'leader', unit: 'A' }, CONFIG_ADMIN, NOW)).toEqual({
      ok: true,
      changed: false,
    });
    expect(await people.rolesOf(1)).toEqual([
      { kind: 'leader', unit: 'A' },
      { kind: 'secretary', unit: 'C1' },
    ]);
    expect(await people.get(1)).toMatchObject({ id: 1, status: 'active', boundAt: NOW });
    expect(await people.holdersOf('C1', 'secretary')).toEqual([1]);
    expect((await people.list({ unit: 'A' })).map((p) => p.id)).toEqual([1]);
    expect((await people.list({ role: 'secretary' })).map((p) => p.id)).toEqual([1]);

    expect(await people.revokeRole(1, { kind: 'secretary', unit: 'C1' }, CONFIG_ADMIN, NOW + 1)).toBe(true);
    expect(await people.revokeRole(1, { kind: 'secretary', unit: 'C1' }, CONFIG_ADMIN, NOW + 1)).toBe(false);
    expect(await people.holdersOf('C1', 'secretary')).toEqual([]);
    expect(await people.list({ role: 'secretary' })).toEqual([]);
    expect(await people.revokeAll(1, CONFIG_ADMIN, NOW + 2)).toBe(true);
    expect(await people.get(1)).toMatchObject({ id: 1, status: 'revoked', roles: [] });
    expect(await people.list({ unit: 'A', role: 'leader' })).toEqual([]);
    // Revoked people stay listed with no filter.
    expect((await people.list()).map((p) => [p.id, p.status])).toEqual([
      [1, 'revoked'],
      [CONFIG_ADMIN, 'active'],
    ]);

    const audit = await readAudit(redis, { subject: 'person:1' });
    expect(audit.map((e) => e.action)).toEqual([
      'person.revoke',
      'person.revoke',
      'person.grant',
      'person.grant',
    ]);
    expect(audit[0]).toMatchObject({
      actor: String(CONFIG_ADMIN),
      before: { roles: [{ kind: 'leader', unit: 'A' }] },
      after: { roles: [] },
      at: NOW + 2,
    });
    expect(audit[3]).toMatchObject({
      before: { roles: [] },
      after: { roles: [{ kind: 'secretary', unit: 'C1' }] },
    });
  });

  it('keeps secretaries and deputies to existing branches', async () => {
    expect(await people.grantRole(2, { kind: 'secretary', unit: 'A' }, 'cli', NOW)).toEqual({
      ok: false,
      reason: 'not_branch',
    });
    expect(await people.grantRole(2, { kind: 'deputy', unit: 'NOPE' }, 'cli', NOW)).toEqual({
      ok: false,
      reason: 'unknown_unit',
    });
    expect(await people.grantRole(2, { kind: 'leader', unit: 'C2' }, 'cli', NOW)).toMatchObject({ ok: true });
    expect(await people.rolesOf(2)).toEqual([{ kind: 'leader', unit: 'C2' }]);
  });

  it('knows config admins without storing them, and admins made in the bot', async () => {
    expect(await people.isAdmin(CONFIG_ADMIN)).toBe(true);
    expect(await people.rolesOf(CONFIG_ADMIN)).toEqual([{ kind: 'admin' }]);
    expect(await people.isAdmin(5)).toBe(false);
    await people.grantRole(5, { kind: 'admin' }, CONFIG_ADMIN, NOW);
    expect(await people.isAdmin(5)).toBe(true);
    expect(await people.admins()).toEqual([5, CONFIG_ADMIN]);
    expect((await people.list({ role: 'admin' })).map((p) => p.id)).toEqual([5, CONFIG_ADMIN]);
    // Config decides ADMIN_IDS; revoking in the bot does not remove them.
    await people.revokeAll(CONFIG_ADMIN, 5, NOW);
    expect(await people.isAdmin(CONFIG_ADMIN)).toBe(true);
  });

  it('hands a secretary role over in one audited step', async () => {
    await people.grantRole(10, { kind: 'secretary', unit: 'C3' }, 'cli', NOW);
    await people.grantRole(10, { kind: 'deputy', unit: 'C1' }, 'cli', NOW);
    expect(await people.reassign('C3', 'secretary', 10, 11, 'cli', NOW + 1)).toEqual({
      ok: true,
      changed: true,
    });
    expect(await people.holdersOf('C3', 'secretary')).toEqual([11]);
    expect(await people.rolesOf(10)).toEqual([{ kind: 'deputy', unit: 'C1' }]);
    expect(await people.get(11)).toMatchObject({ status: 'active', boundAt: NOW + 1 });
    expect(await people.reassign('C3', 'secretary', 10, 12, 'cli', NOW + 2)).toEqual({
      ok: false,
      reason: 'not_holder',
    });
    expect(await people.reassign('C2', 'secretary', 11, 12, 'cli', NOW + 2)).toEqual({
      ok: false,
      reason: 'not_holder',
    });
    const [entry] = await readAudit(redis, { subject: 'unit:C3' });
    expect(entry).toMatchObject({
      action: 'person.reassign',
      before: { role: { kind: 'secretary', unit: 'C3' }, person: 10 },
      after: { role: { kind: 'secretary', unit: 'C3' }, person: 11 },
      at: NOW + 1,
    });
  });

  it('keeps both of two concurrent grants to one person', async () => {
    await Promise.all([
      people.grantRole(20, { kind: 'secretary', unit: 'C1' }, 'cli', NOW),
      people.grantRole(20, { kind: 'deputy', unit: 'C2' }, 'cli', NOW),
      people.grantRole(20, { kind: 'leader', unit: 'B' }, 'cli', NOW),
    ]);
    expect(await people.rolesOf(20)).toEqual([
      { kind: 'deputy', unit: 'C2' },
      { kind: 'leader', unit: 'B' },
      { kind: 'secretary', unit: 'C1' },
    ]);
    const audit = await readAudit(redis, { subject: 'person:20' });
    expect(audit.map((e) => (e.before as { roles: unknown[] }).roles.length).sort()).toEqual([0, 1, 2]);
  });
});

describe('PeopleStore leaders and profiles', () => {
  it('finds the responsible leaders by walking up from the unit', async () => {
    await people.grantRole(30, { kind: 'leader', unit: 'R' }, 'cli', NOW);
    await people.grantRole(31, { kind: 'leader', unit: 'A' }, 'cli', NOW);
    await people.grantRole(32, { kind: 'leader', unit: 'A' }, 'cli', NOW);
    // C1 sits under BP (no leader) under A (two leaders).
    expect(await people.responsibleLeaders('C1', await units.ancestors('C1'))).toEqual({
      unit: 'A',
      people: [31, 32],
    });
    expect(await people.responsibleLeaders('C3', await units.ancestors('C3'))).toEqual({
      unit: 'R',
      people: [30],
    });
    await people.grantRole(33, { kind: 'leader', unit: 'C3' }, 'cli', NOW);
    expect(await people.responsibleLeaders('C3', await units.ancestors('C3'))).toEqual({
      unit: 'C3',
      people: [33],
    });
    await people.revokeAll(30, 'cli', NOW);
    expect(await people.responsibleLeaders('B', await units.ancestors('B'))).toBeUndefined();
  });

  it('stores the Telegram profile and the unreachable mark', async () => {
    expect(await people.get(40)).toBeUndefined();
    await people.upsertProfile(40, { first_name: 'Lan', last_name: 'Nguyễn', username: 'lan_ng' });
    await people.upsertProfile(40, { first_name: 'Lan', last_name: 'Nguyễn Thị' });
    expect(await people.get(40)).toEqual({
      id: 40,
      firstName: 'Lan',
      lastName: 'Nguyễn Thị',
      roles: [],
      status: 'revoked',
    });
    await people.grantRole(40, { kind: 'secretary', unit: 'C2' }, 'cli', NOW);
    await people.setUnreachable(40, 'Forbidden: bot was blocked by the user', NOW + 9);
    expect(await people.get(40)).toMatchObject({
      status: 'active',
      unreachable: { reason: 'Forbidden: bot was blocked by the user', at: NOW + 9 },
    });
    await people.clearUnreachable(40);
    expect((await people.get(40))?.unreachable).toBeUndefined();
  });
});
