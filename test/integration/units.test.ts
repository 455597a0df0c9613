import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UNIT_DEPTH_MAX, type Unit } from '../../src/domain/units.js';
import { validateUnitsCsv } from '../../src/domain/unitsCsv.js';
import { AUDIT_KEY, readAudit } from '../../src/store/audit.js';
import { UnitStore } from '../../src/store/units.js';
import { testRedis } from '../support/redis.js';

let redis: Redis;
let store: UnitStore;
const NOW = Date.UTC(2025, 8, 15, 3, 0);

beforeAll(async () => {
  redis = await testRedis();
  store = new UnitStore(redis);
});
afterAll(() => redis.quit());
beforeEach(() => redis.flushdb());

const unit = (code: string, level: Unit['level'], parent: string | null, members = 10): Unit => ({
  code,
  name: `Đơn vị ${code}`,
  level,
  kind: level === 'chi_bo' || level === 'chi_bo_co_so' ? 'thon' : null,
  parent,
  members,
});

// R ─┬─ A ─┬─ C1
//    │     └─ C2
//    └─ B ─── C3
const TREE: Unit[] = [
  unit('R', 'dang_bo_co_so', null),
  unit('A', 'dang_bo_bo_phan', 'R'),
  unit('B', 'dang_bo_bo_phan', 'R'),
  unit('C1', 'chi_bo', 'A'),
  unit('C2', 'chi_bo', 'A'),
  unit('C3', 'chi_bo', 'B'),
];

async function treeFields(codes: string[]) {
  const out: Record<
    string,
    { children: string[]; ancestors: string[]; branchCount: number; branches: string[] }
  > = {};
  for (const c of codes) {
    out[c] = {
      children: await store.children(c),
      ancestors: await store.ancestors(c),
      branchCount: await store.branchCount(c),
      branches: await store.branchesUnder(c),
    };
  }
  return out;
}

describe('UnitStore import', () => {
  it('creates the tree with children, ancestors and branch counts', async () => {
    const result = await store.importUnits(TREE, 'cli', NOW);
    expect(result).toEqual({
      ok: true,
      created: ['R', 'A', 'B', 'C1', 'C2', 'C3'],
      updated: [],
      unchanged: [],
      moved: [],
    });
    expect(await store.root()).toEqual(TREE[0]);
    expect(await store.get('C1')).toEqual(TREE[3]);
    expect(await store.get('NOPE')).toBeUndefined();
    expect(await store.exists('C2')).toBe(true);
    expect(await store.count()).toBe(6);
    expect(await treeFields(['R', 'A', 'C1'])).toEqual({
      R: { children: ['A', 'B'], ancestors: [], branchCount: 3, branches: ['C1', 'C2', 'C3'] },
      A: { children: ['C1', 'C2'], ancestors: ['R'], branchCount: 2, branches: ['C1', 'C2'] },
      C1: { children: [], ancestors: ['R', 'A'], branchCount: 1, branches: ['C1'] },
    });
    expect((await store.all()).map((u) => u.code)).toEqual(['R', 'A', 'C1', 'C2', 'B', 'C3']);
    expect(await store.unitsUnder('R')).toEqual(['A', 'C1', 'C2', 'B', 'C3']);
    expect([...(await store.getMany(['C3', 'NOPE', 'A'])).keys()].sort()).toEqual(['A', 'C3']);
    expect(await store.ancestorsMany(['C3', 'NOPE'])).toEqual(new Map([['C3', ['R', 'B']]]));
  });

  it('re-imports by code: moves, renames, resizes and re-levels, and fixes every tree field', async () => {
    await store.importUnits(TREE, 'cli', NOW);
    const result = await store.importUnits(
      [
        { ...unit('A', 'dang_bo_bo_phan', 'B'), name: 'Đảng bộ bộ phận A (sáp nhập)' }, // move A under B
        { ...unit('C1', 'chi_bo', 'A'), members: 42 }, // resize
        unit('C2', 'chi_bo', 'A'), // unchanged
        unit('C4', 'chi_bo', 'R'), // new, directly under the root
      ],
      '1001',
      NOW + 1,
    );
    // A moved, and C1 and C2 with it; C4 is new, not moved.
    expect(result).toEqual({
      ok: true,
      created: ['C4'],
      updated: ['A', 'C1'],
      unchanged: ['C2'],
      moved: ['A', 'C1', 'C2'],
    });
    expect(await treeFields(['R', 'B', 'A', 'C1'])).toEqual({
      R: { children: ['B', 'C4'], ancestors: [], branchCount: 4, branches: ['C1', 'C2', 'C3', 'C4'] },
      B: { children: ['A', 'C3'], ancestors: ['R'], branchCount: 3, branches: ['C1', 'C2', 'C3'] },
      A: { children: ['C1', 'C2'], ancestors: ['R', 'B'], branchCount: 2, branches: ['C1', 'C2'] },
      C1: { children: [], ancestors: ['R', 'B', 'A'], branchCount: 1, branches: ['C1'] },
    });
    expect(await store.get('C1')).toMatchObject({ members: 42, parent: 'A' });
    expect(await store.get('A')).toMatchObject({ name: 'Đảng bộ bộ phận A (sáp nhập)', parent: 'B' });

    // C3 stops being a branch: counts above it drop.
    await store.importUnits([unit('C3', 'dang_bo_bo_phan', 'B')], '1001', NOW + 2);
    expect(await store.branchCount('B')).toBe(2);
    expect(await store.branchCount('R')).toBe(3);
    expect(await store.branchesUnder('B')).toEqual(['C1', 'C2']);
  });

  it('writes one audit entry per created or changed unit, with before and after', async () => {
    await store.importUnits(TREE, 'cli', NOW);
    expect(await redis.xlen(AUDIT_KEY)).toBe(6);
    await store.importUnits([{ ...unit('C3', 'chi_bo', 'A'), members: 7 }, TREE[0] as Unit], '1001', NOW + 5);
    expect(await redis.xlen(AUDIT_KEY)).toBe(7);
    const [entry] = await readAudit(redis, { subject: 'unit:C3' });
    expect(entry).toEqual({
      actor: '1001',
      action: 'unit.update',
      subject: 'unit:C3',
      before: TREE[5],
      after: { ...unit('C3', 'chi_bo', 'A'), members: 7 },
      at: NOW + 5,
    });
    const [created] = await readAudit(redis, { subject: 'unit:R' });
    expect(created).toMatchObject({ action: 'unit.create', actor: 'cli', after: TREE[0] });
    expect(created?.before).toBeUndefined();
  });

  it('changes nothing when an import is refused', async () => {
    await store.importUnits(TREE, 'cli', NOW);
    const keysBefore = (await redis.keys('*')).sort();
    const dumpBefore = await Promise.all(keysBefore.map((k) => redis.dump(k)));
    const result = await store.importUnits(
      [
        unit('C5', 'chi_bo', 'A'), // fine on its own
        unit('A', 'dang_bo_bo_phan', 'C9'), // unknown parent
        unit('B', 'dang_bo_bo_phan', 'A'),
        unit('A2', 'dang_bo_bo_phan', 'C1'), // under a chi bộ
      ],
      'cli',
      NOW + 1,
      { lines: [2, 3, 4, 5] },
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => [e.line, e.problem])).toEqual([
      [3, 'unknown_parent'],
      [5, 'parent_is_branch'],
    ]);
    const keysAfter = (await redis.keys('*')).sort();
    expect(keysAfter).toEqual(keysBefore);
    expect(await Promise.all(keysAfter.map((k) => redis.dump(k)))).toEqual(dumpBefore);
  });

  it('refuses a 4,000-deep chain without writing a key, and keeps a 12-level tree', async () => {
    // Each stored path repeats every ancestor, so a chain costs the square of its depth
    // (101.5 MB at 4,000 levels before the cap, see bench/unitDepth.ts). Refused, it costs nothing.
    const chain = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        unit(`U${i}`, i === 0 ? 'dang_bo' : 'dang_bo_bo_phan', i === 0 ? null : `U${i - 1}`),
      );
    const refused = await store.importUnits(chain(4_000), 'cli', NOW);
    expect(refused.ok).toBe(false);
    const errors = refused.ok ? [] : refused.errors;
    expect(errors).toHaveLength(4_000 - UNIT_DEPTH_MAX);
    expect(new Set(errors.map((e) => e.problem))).toEqual(new Set(['too_deep']));
    expect(await redis.dbsize()).toBe(0);

    const kept = await store.importUnits(chain(UNIT_DEPTH_MAX), 'cli', NOW);
    expect(kept.ok && kept.created).toHaveLength(UNIT_DEPTH_MAX);
    expect(await store.ancestors(`U${UNIT_DEPTH_MAX - 1}`)).toHaveLength(UNIT_DEPTH_MAX - 1);
    // One more level below the deepest unit is refused against the stored tree too.
    const deeper = await store.importUnits([unit('X', 'chi_bo', `U${UNIT_DEPTH_MAX - 1}`)], 'cli', NOW, {
      lines: [7],
    });
    expect(deeper).toEqual({
      ok: false,
      errors: [{ line: 7, code: 'X', problem: 'too_deep', depth: 13, max: UNIT_DEPTH_MAX }],
    });
    expect(await store.count()).toBe(UNIT_DEPTH_MAX);
  });

  it('lets only one of two racing first imports set the root', async () => {
    const [first, second] = await Promise.all([
      store.importUnits([unit('X', 'dang_bo', null), unit('X1', 'chi_bo', 'X')], 'a', NOW),
      store.importUnits([unit('Y', 'dang_bo', null), unit('Y1', 'chi_bo', 'Y')], 'b', NOW),
    ]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    const refused = first.ok ? second : first;
    expect(!refused.ok && refused.errors[0]?.problem).toBe('second_root');
    expect(await store.count()).toBe(2);
    expect(await redis.get('cb:units:version')).toBe('1');
  });

  it('imports a CSV file validated against the stored units, then a re-import of it', async () => {
    const file = readFileSync(
      new URL('../fixtures/units/commune-vi-semicolon-bom-crlf.csv', import.meta.url),
    );
    const checked = validateUnitsCsv(file, await store.byCode());
    if (!checked.ok) throw new Error(checked.errors[0]?.problem);
    const first = await store.importUnits(checked.units, 'cli', NOW, { lines: checked.lines });
    expect(first.ok && first.created).toHaveLength(5);
    expect(await store.branchesUnder('XA')).toEqual(['CB01', 'CB02', 'CB03', 'CB04']);
    const again = validateUnitsCsv(file, await store.byCode());
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(await store.importUnits(again.units, 'cli', NOW)).toMatchObject({
      ok: true,
      created: [],
      updated: [],
    });
  });

  it('keeps subtree queries exact when codes share a prefix', async () => {
    await store.importUnits(
      [
        unit('R', 'dang_bo', null),
        unit('D1', 'dang_bo_co_so', 'R'),
        unit('D1-2', 'dang_bo_co_so', 'R'),
        unit('D10', 'dang_bo_co_so', 'R'),
        unit('C1', 'chi_bo', 'D1'),
        unit('C2', 'chi_bo', 'D1-2'),
        unit('C3', 'chi_bo', 'D10'),
      ],
      'cli',
      NOW,
    );
    expect(await store.branchesUnder('D1')).toEqual(['C1']);
    expect(await store.branchCounts(['D1', 'D1-2', 'D10', 'R', 'C1', 'NOPE'])).toEqual(
      new Map([
        ['D1', 1],
        ['D1-2', 1],
        ['D10', 1],
        ['R', 3],
        ['C1', 1],
      ]),
    );
  });
});

describe('UnitStore heads', () => {
  it('names many units with their parent and path, and leaves out unknown codes', async () => {
    await store.importUnits(
      [...TREE, { ...unit('C4', 'chi_bo', 'B'), name: 'Chi bộ "Khu 4", phường Á' }],
      'cli',
      NOW,
    );
    const heads = await store.heads(['C4', 'R', 'ZZ', 'C1']);
    expect(heads).toEqual(
      new Map([
        ['C4', { name: 'Chi bộ "Khu 4", phường Á', parent: 'B', path: 'R/B/C4' }],
        ['R', { name: 'Đơn vị R', parent: null, path: 'R' }],
        ['C1', { name: 'Đơn vị C1', parent: 'A', path: 'R/A/C1' }],
      ]),
    );
  });
});

describe('optional unit fields: official members and head-of-unit', () => {
  it('stores them, reads them back, and clears them when a later import leaves them out', async () => {
    const root: Unit = { code: 'OR', name: 'Xã', level: 'dang_bo', kind: null, parent: null, members: 0 };
    const branch: Unit = {
      code: 'OC1',
      name: 'Chi bộ Hưu trí',
      level: 'chi_bo',
      kind: 'khac',
      parent: 'OR',
      members: 30,
      official: 27,
      headApplies: false,
    };
    expect((await store.importUnits([root, branch], 'cli', NOW)).ok).toBe(true);
    expect(await store.get('OC1')).toEqual(branch);
    // The same unit again is unchanged; without the fields it is updated and they are gone.
    const again = await store.importUnits([root, branch], 'cli', NOW);
    expect(again.ok && again.unchanged).toContain('OC1');
    const { official: _o, headApplies: _h, ...plain } = branch;
    const cleared = await store.importUnits([root, plain], 'cli', NOW);
    expect(cleared.ok && cleared.updated).toEqual(['OC1']);
    const read = await store.get('OC1');
    expect(read).toEqual(plain);
    expect(read?.official).toBeUndefined();
  });
});
