import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/domain/csv.js';
import type { Unit } from '../../src/domain/units.js';
import { invitesCsv, validateUnitsCsv } from '../../src/domain/unitsCsv.js';
import { readAudit } from '../../src/store/audit.js';
import {
  INVITE_KEPT_AFTER_EXPIRY_MS,
  InviteStore,
  InviteUnitError,
  inviteKey,
} from '../../src/store/invites.js';
import { PeopleStore } from '../../src/store/people.js';
import { UnitStore } from '../../src/store/units.js';
import { testRedis } from '../support/redis.js';

let redis: Redis;
let units: UnitStore;
let people: PeopleStore;
let invites: InviteStore;
const NOW = Date.UTC(2025, 8, 15, 3, 0);
const DAY = 86_400_000;

const unit = (code: string, level: Unit['level'], parent: string | null): Unit => ({
  code,
  name: `Chi bộ ${code}, xã R`,
  level,
  kind: level === 'chi_bo' ? 'thon' : null,
  parent,
  members: 10,
});

beforeAll(async () => {
  redis = await testRedis();
  units = new UnitStore(redis);
  people = new PeopleStore(redis, { adminIds: [900] });
  invites = new InviteStore(redis);
});
afterAll(() => redis.quit());
beforeEach(async () => {
  await redis.flushdb();
  await units.importUnits(
    [
      unit('R', 'dang_bo_co_so', null),
      unit('C1', 'chi_bo', 'R'),
      unit('C2', 'chi_bo', 'R'),
      unit('C3', 'chi_bo', 'R'),
    ],
    'cli',
    NOW,
  );
});

describe('InviteStore', () => {
  it('makes long random codes fit for a Telegram deep link', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const { code, expiresAt } = await invites.create({
        unit: 'C1',
        role: 'secretary',
        createdBy: 900,
        now: NOW,
      });
      expect(code).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{21,63}$/);
      expect(Buffer.from(code, 'base64url').length).toBeGreaterThanOrEqual(16);
      expect(expiresAt).toBe(NOW + 30 * DAY);
      codes.add(code);
    }
    expect(codes.size).toBe(50);
  });

  it('redeems once, granting the role with an audit entry', async () => {
    const { code } = await invites.create({ unit: 'C2', role: 'deputy', createdBy: 900, now: NOW });
    expect(await invites.redeem(code, 7, NOW + DAY)).toEqual({
      ok: true,
      role: { kind: 'deputy', unit: 'C2' },
      unit: 'C2',
    });
    expect(await people.rolesOf(7)).toEqual([{ kind: 'deputy', unit: 'C2' }]);
    expect(await people.holdersOf('C2', 'deputy')).toEqual([7]);
    const [entry] = await readAudit(redis, { subject: 'person:7' });
    expect(entry).toMatchObject({
      action: 'person.grant',
      actor: '7',
      before: { roles: [] },
      after: { roles: [{ kind: 'deputy', unit: 'C2' }], invitedBy: '900' },
      at: NOW + DAY,
    });
    expect(await invites.redeem(code, 7, NOW + DAY)).toEqual({ ok: false, reason: 'used' });
    expect(await invites.redeem(code, 8, NOW + DAY)).toEqual({ ok: false, reason: 'used' });
    expect(await people.rolesOf(8)).toEqual([]);
  });

  it('lets exactly one of many concurrent redeems of one code succeed', async () => {
    const { code } = await invites.create({ unit: 'C1', role: 'secretary', createdBy: 900, now: NOW });
    const racers = [101, 102, 103, 104, 105, 106];
    const results = await Promise.all(racers.map((id) => invites.redeem(code, id, NOW + 1)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(Array(5).fill('used'));
    const holders = await people.holdersOf('C1', 'secretary');
    expect(holders).toHaveLength(1);
    expect(racers.indexOf(holders[0] as number)).toBe(results.findIndex((r) => r.ok));
  });

  it('answers expired after the deadline and keeps the record a while longer', async () => {
    const { code, expiresAt } = await invites.create({
      unit: 'C1',
      role: 'secretary',
      createdBy: 900,
      now: NOW,
      ttlDays: 7,
    });
    expect(expiresAt).toBe(NOW + 7 * DAY);
    expect(await invites.redeem(code, 7, expiresAt)).toEqual({ ok: false, reason: 'expired' });
    expect(await invites.redeem(code, 7, expiresAt + 20 * DAY)).toEqual({ ok: false, reason: 'expired' });
    const ttl = await redis.pttl(inviteKey(code));
    expect(ttl).toBeGreaterThan(7 * DAY + INVITE_KEPT_AFTER_EXPIRY_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(7 * DAY + INVITE_KEPT_AFTER_EXPIRY_MS);
    expect(await invites.redeem(code, 7, expiresAt - 1)).toMatchObject({ ok: true });
  });

  it('answers unknown for codes it never issued', async () => {
    expect(await invites.redeem('AAAAAAAAAAAAAAAAAAAAAAAA', 7, NOW)).toEqual({
      ok: false,
      reason: 'unknown',
    });
    expect(await invites.redeem('not a code!', 7, NOW)).toEqual({ ok: false, reason: 'unknown' });
    expect(await invites.redeem('x'.repeat(65), 7, NOW)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('refuses an invite for a unit that does not fit the role', async () => {
    await expect(
      invites.create({ unit: 'R', role: 'secretary', createdBy: 900, now: NOW }),
    ).rejects.toBeInstanceOf(InviteUnitError);
    await expect(
      invites.create({ unit: 'NOPE', role: 'leader', createdBy: 900, now: NOW }),
    ).rejects.toMatchObject({
      reason: 'unknown_unit',
    });
    const leader = await invites.create({ unit: 'R', role: 'leader', createdBy: 900, now: NOW });
    expect(await invites.redeem(leader.code, 50, NOW)).toMatchObject({
      ok: true,
      role: { kind: 'leader', unit: 'R' },
    });
  });

  it('invites every branch, or only those without a holder, as a CSV list', async () => {
    await people.grantRole(60, { kind: 'secretary', unit: 'C2' }, 'cli', NOW);
    const all = await invites.createForAllBranches('secretary', { createdBy: 900, now: NOW });
    expect(all.rows.map((r) => r.unitCode)).toEqual(['C1', 'C2', 'C3']);
    const vacant = await invites.createForAllBranches('secretary', {
      createdBy: 900,
      now: NOW,
      onlyVacant: true,
    });
    expect(vacant.rows.map((r) => r.unitCode)).toEqual(['C1', 'C3']);
    expect(vacant.expiresAt).toBe(NOW + 30 * DAY);

    const text = invitesCsv(vacant.rows, 'chibo_bot');
    const { records } = parseCsv(text);
    expect(records.map((r) => r.fields)).toEqual([
      ['unit_code', 'unit_name', 'role', 'code', 'link'],
      ...vacant.rows.map((r) => [
        r.unitCode,
        r.unitName,
        'Bí thư',
        r.code,
        `https://t.me/chibo_bot?start=${r.code}`,
      ]),
    ]);
    expect(text).toContain('"Chi bộ C1, xã R"');
    // Without Telegram (a Zalo-only deployment) the list carries codes and no links.
    const codesOnly = parseCsv(invitesCsv(vacant.rows, '')).records.slice(1);
    expect(codesOnly.map((r) => [r.fields[3], r.fields[4]])).toEqual(vacant.rows.map((r) => [r.code, '']));

    const first = vacant.rows[0];
    expect(first && (await invites.redeem(first.code, 61, NOW + 1))).toEqual({
      ok: true,
      role: { kind: 'secretary', unit: 'C1' },
      unit: 'C1',
    });
    const [entry] = await readAudit(redis, { subject: 'unit:R' });
    expect(entry).toMatchObject({ action: 'invite.create_all', after: { role: 'secretary', count: 2 } });
  });

  it('lists a unit imported as =HYPERLINK(…) as text in the invite CSV, not as a formula', async () => {
    const evil = '=HYPERLINK("http://lua-dao.example","Bấm để nhận quyền")';
    const file = `code,name,level,kind,parent,members\nC9,"${evil.replace(/"/g, '""')}",chi_bo,,R,5\n`;
    const checked = validateUnitsCsv(file, await units.byCode());
    if (!checked.ok) throw new Error(checked.errors.map((e) => e.problem).join());
    expect((await units.importUnits(checked.units, 'cli', NOW)).ok).toBe(true);

    const all = await invites.createForAllBranches('secretary', { createdBy: 900, now: NOW });
    const { records } = parseCsv(invitesCsv(all.rows, 'chibo_bot', { bom: true }));
    const row = records.find((r) => r.fields[0] === 'C9');
    expect(row?.fields[1]).toBe(`'${evil}`);
    for (const r of records) for (const f of r.fields) expect(f).not.toMatch(/^[=+\-@\t\r]/);
  });
});
