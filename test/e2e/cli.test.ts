/**
 * The CLI as an operator runs it, its output piped through a shell: a reader that takes its
 * time still gets every line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
    // A real pipe (64 KB) to a reader that takes nothing until the CLI has said on stderr that
    // the whole list is written, and a while longer: about four times the pipe must wait.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-cli-'));
    const script = [
      'set -o pipefail',
      'node --import tsx src/cli.ts people list 2> "$ERR" | {',
      '  for _ in $(seq 600); do grep -q "person(s) listed" "$ERR" && break; sleep 0.05; done',
      '  sleep 0.5',
      '  cat',
      '}',
      'echo "exit=$?" >&2',
    ].join('\n');
    try {
      const child = spawn('bash', ['-c', script], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          REDIS_URL: redisUrl,
          ERR: path.join(dir, 'err.txt'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d) => {
        stderr += d.toString();
      });
      await new Promise((resolve) => child.on('close', resolve));

      expect(stderr).toBe('exit=0\n');
      expect(readFileSync(path.join(dir, 'err.txt'), 'utf8')).toBe(`${PEOPLE} person(s) listed\n`);
      const lines = stdout.split('\n');
      expect(lines.at(-1)).toBe('');
      expect(lines[0]).toBe('id\tname\troles\tstatus\tunreachable\ttitle\tverified');
      expect(lines.slice(1, -1)).toHaveLength(PEOPLE);
      const last = 100_000 + PEOPLE - 1;
      expect(lines.at(-2)).toBe(`${last}\tNguyễn Văn Lãnh Đạo Số ${last} Trần\tleader:XA\tactive\t\t\tno`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
