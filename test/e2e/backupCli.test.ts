/** `npm run cli -- backup` and `restore` as an operator (or cron) runs them. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg } from '../../src/messages/index.js';
import { ROOT } from '../support/app.js';
import { freshRedisUrl } from '../support/redis.js';

function cli(args: string[], redisUrl: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'silent',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('backup and restore from the command line', () => {
  let dir: string;
  let sourceUrl: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-backup-cli-'));
    sourceUrl = await freshRedisUrl();
    const source = new Redis(sourceUrl);
    await source.hset('cb:unit:XA', 'code', 'XA', 'name', 'Đảng bộ xã Tân Lập');
    await source.set('cb:bot:username', 'chibo_bot');
    await source.set('cb:bull:outbox:meta', 'not application data');
    await source.quit();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up, restores into an empty Redis, and refuses a second restore into the same one', async () => {
    const file = path.join(dir, 'nightly.jsonl.gz');
    const backup = cli(['backup', '--out', file], sourceUrl);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^Đã sao lưu 2 khóa dữ liệu vào .*nightly\.jsonl\.gz/);

    const targetUrl = await freshRedisUrl();
    const restore = cli(['restore', file], targetUrl);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain(msg.backup.countOk('2'));
    const target = new Redis(targetUrl);
    try {
      expect(await target.hget('cb:unit:XA', 'name')).toBe('Đảng bộ xã Tân Lập');
      expect(await target.exists('cb:bull:outbox:meta')).toBe(0);
      expect(await target.dbsize()).toBe(2);
    } finally {
      await target.quit();
    }

    const again = cli(['restore', file], targetUrl);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(msg.backup.notEmpty('2'));
  });

  it('explains a wrong command line and exits 2', () => {
    const r = cli(['backup'], sourceUrl);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('backup needs --out FILE');
    expect(r.stderr).toContain('restore FILE.jsonl.gz');
  });
});
