/**
 * What a chain of units costs in Redis, and what the depth cap saves.
 *
 * A unit's stored path repeats every ancestor's code (twice: in its hash and in a sorted set),
 * so a chain n units deep stores about n²/2 codes. On its own redis-server, for chains of
 * 4, 8 and UNIT_DEPTH_MAX (12) units, and of 500 to 4,000 units, this imports the chain through
 * `UnitStore.importUnits` and reads the keys written, the INFO `used_memory` delta (noisy by a
 * few KB: client buffers) and the time taken. Chains deeper than the cap are refused before
 * anything is written: no keys. One JSON line per depth.
 * (Before the cap, measured the same way on the parent commit: 500 → 2.1 MB, 1,000 → 6.4 MB,
 * 2,000 → 24.9 MB, 4,000 → 101.5 MB.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { UNIT_DEPTH_MAX, type Unit } from '../src/domain/units.js';
import { startEmbeddedRedis } from '../src/infra/embeddedRedis.js';
import { UnitStore } from '../src/store/units.js';

const DEPTHS = [4, 8, UNIT_DEPTH_MAX, 500, 1_000, 2_000, 4_000];

function chain(depth: number): Unit[] {
  return Array.from({ length: depth }, (_, i) => ({
    code: `U${i}`,
    name: `Đơn vị ${i}`,
    level: i === 0 ? 'dang_bo' : 'dang_bo_bo_phan',
    kind: null,
    parent: i === 0 ? null : `U${i - 1}`,
    members: 0,
  }));
}

export default async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-bench-depth-'));
  const server = await startEmbeddedRedis({ dir, appendfsync: 'no' });
  const redis = new Redis(server.url);
  const used = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
  try {
    // Warm-up: the first import also grows client buffers, which would count against depth 4.
    await new UnitStore(redis).importUnits(chain(UNIT_DEPTH_MAX), 'bench', Date.now());
    for (const depth of DEPTHS) {
      await redis.flushall();
      const before = await used();
      const started = performance.now();
      const result = await new UnitStore(redis).importUnits(chain(depth), 'bench', Date.now());
      const ms = Math.round(performance.now() - started);
      const bytes = (await used()) - before;
      const keys = await redis.dbsize();
      const refusedRows = result.ok ? 0 : result.errors.length;
      process.stdout.write(
        `${JSON.stringify({ depth, imported: result.ok, refusedRows, keys, usedMemoryBytes: bytes, ms })}\n`,
      );
    }
  } finally {
    await redis.quit();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
