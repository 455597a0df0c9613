/**
 * The CLI as an operator runs it, in a child process with its output piped: a reader that
 * takes its time still gets every line.
 */
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeopleStore } from '../../src/store/people.js';
import { UnitStore } from '../../src/store/units.js';
import { ROOT } from '../support/app.js';
import { freshRedisUrl } from '../support/redis.js';

const PEOPLE = 3_000;
const NOW = Date.UTC(2025, 8, 15, 3, 0);

describe('the CLI with a slow reader', () => {
  let redisUrl: string;
  let redis: Redis;

  beforeAll(async () => {
    redisUrl = await freshRedisUrl();
    redis = new Redis(redisUrl);
    const units = new UnitStore(redis);
    await units.importUnits(
      [{ code: 'XA', name: 'Đảng bộ xã A', level: 'dang_bo', kind: null, parent: null, members: 0 }],
      'cli',
      NOW,
    );
    const people = new PeopleStore(redis, { adminIds: [] });
    const ids = Array.from({ length: PEOPLE }, (_, i) => 100_000 + i);
    for (let i = 0; i < ids.length; i += 100) {
      await Promise.all(
        ids.slice(i, i + 100).map(async (id) => {
          await people.grantRole(id, { kind: 'leader', unit: 'XA' }, 'cli', NOW);
          await people.upsertProfile(id, { first_name: `Nguyễn Văn Lãnh Đạo Số ${id}`, last_name: 'Trần' });
        }),
      );
    }
  }, 60_000);
  afterAll(() => redis?.quit());

  it('writes every line of a long list to a reader that pauses, and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'people', 'list'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REDIS_URL: redisUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let gone = false;
    void exited.then(() => {
      gone = true;
    });

    // Read nothing until the CLI says it has written the whole list, and a while longer: the
    // pipe holds 64 KB, the list about four times that.
    await expect
      .poll(() => stderr, { timeout: 30_000, interval: 50 })
      .toContain(`${PEOPLE} person(s) listed`);
    await new Promise((r) => setTimeout(r, 500));
    expect(gone).toBe(false);

    const chunks: Buffer[] = [];
    for await (const chunk of child.stdout) chunks.push(chunk as Buffer);
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    expect(await exited).toBe(0);
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('id\tname\troles\tstatus\tunreachable');
    expect(lines.slice(1, -1)).toHaveLength(PEOPLE);
    expect(lines.at(-2)).toBe(
      `${100_000 + PEOPLE - 1}\tNguyễn Văn Lãnh Đạo Số ${100_000 + PEOPLE - 1} Trần\tleader:XA\tactive\t`,
    );
  });
});
