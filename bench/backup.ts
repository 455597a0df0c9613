/**
 * How long a backup holds writers, and what backup and restore cost, on a province's data.
 *
 * For 3,000 and 30,000 branches (BACKUP_BRANCHES), on its own redis-server:
 *   1. seeds per branch what a busy year leaves: a month's meeting report through
 *      `MeetingStore.saveReport` (report, history, aggregates, status, done set, audit), a
 *      congress entry and counters, a unit hash, a person hash with its roles set — about a
 *      dozen keys a branch;
 *   2. takes a backup (`takeBackup`): reports how long writers were paused (CLIENT PAUSE to
 *      UNPAUSE; another process's writes wait that long), the whole backup's time and the file size;
 *   3. restores the file into an empty database (`restoreBackup`, with its checks) and times it.
 * One JSON line per size on stdout; progress on stderr.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { MeetingReport } from '../src/domain/meetings/report.js';
import { startEmbeddedRedis } from '../src/infra/embeddedRedis.js';
import { restoreBackup, takeBackup } from '../src/services/backup/index.js';
import { MeetingStore } from '../src/store/meetings.js';

const SIZES = (process.env.BACKUP_BRANCHES ?? '3000,30000').split(',').map(Number);
const round = (n: number) => Math.round(n * 10) / 10;

const report: MeetingReport = {
  month: '2025-08',
  date: '2025-08-03',
  type: 'thuong_ky',
  durationMinutes: 95,
  members: 20,
  exempt: 1,
  present: 17,
  absentWithReason: { count: 1, people: [{ name: 'Trần Thị B', reason: 'Ốm' }] },
  absentWithoutReason: { count: 1, people: [{ name: 'Nguyễn Văn A' }] },
  content:
    'Sinh hoạt thường kỳ: quán triệt nghị quyết, kiểm điểm việc thực hiện nhiệm vụ tháng, phân công tháng tới.',
};

async function seed(redis: Redis, branches: number): Promise<void> {
  const meetings = new MeetingStore(redis);
  const codes = Array.from({ length: branches }, (_, i) => `CB${String(i).padStart(6, '0')}`);
  const commune = (i: number) => `XA${String(Math.floor(i / 500)).padStart(3, '0')}`;
  for (let i = 0; i < codes.length; i += 64) {
    await Promise.all(
      codes.slice(i, i + 64).map((branch, j) =>
        meetings.saveReport({
          branch,
          ancestors: ['TINH', commune(i + j)],
          month: '2025-08',
          report,
          deadline: '2025-09-08',
          actor: String(100_000 + i + j),
          now: Date.parse('2025-09-05T03:00:00Z'),
        }),
      ),
    );
    if (i % 6400 === 0) process.stderr.write(`  seeded ${i}/${branches}\n`);
  }
  for (let i = 0; i < codes.length; i += 1000) {
    const p = redis.pipeline();
    for (const [j, code] of codes.slice(i, i + 1000).entries()) {
      const n = i + j;
      p.hset(`cb:unit:${code}`, {
        code,
        name: `Chi bộ Thôn ${n}`,
        level: 'chi_bo',
        kind: 'thon',
        parent: commune(n),
        members: '20',
        path: `TINH/${commune(n)}/${code}`,
      });
      p.hset(`cb:person:${100_000 + n}`, {
        id: String(100_000 + n),
        first_name: `Bí thư ${n}`,
        username: `bithu${n}`,
      });
      p.sadd(`cb:person:${100_000 + n}:roles`, `secretary:${code}`);
      p.set(
        `cb:dh:bench:b:${code}`,
        JSON.stringify({
          l: '2025-09-12 1930',
          r: {
            d: '2025-09-12',
            f: 'bau_cu',
            s: 20,
            p: 19,
            e: 5,
            t: 3,
            n: 2,
            y: 1,
            m: 0,
            bt: 1,
            h: 'co',
            pb: 'co',
            v: 1,
            by: String(100_000 + n),
            at: 1757650000000,
          },
        }),
      );
      p.hset(`cb:dh:bench:agg:${code}`, {
        h: '1',
        rg: '1',
        tt: '20',
        cm: '19',
        e: '5',
        tc: '3',
        nu: '2',
        tr: '1',
        bt: '1',
        ha: '1',
        hy: '1',
        pb: '1',
      });
    }
    await p.exec();
  }
}

async function measure(server: { url: string }, dir: string, branches: number) {
  const redis = new Redis(`${server.url}/1`, { maxRetriesPerRequest: null });
  const target = new Redis(`${server.url}/2`, { maxRetriesPerRequest: null });
  try {
    await redis.flushdb();
    await target.flushdb();
    process.stderr.write(`seeding ${branches} branches\n`);
    await seed(redis, branches);
    const keys = await redis.dbsize();
    const usedMb = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0) / 2 ** 20;

    const file = path.join(dir, `backup-${branches}.jsonl.gz`);
    const started = performance.now();
    const backup = await takeBackup(redis, file);
    const backupMs = performance.now() - started;
    if (!backup.ok) throw new Error(backup.lines.join('\n'));
    const pausedMs = Number(/tạm dừng ghi ([\d.]+) ms/.exec(backup.lines[0] ?? '')?.[1]?.replace(/\./g, ''));

    process.stderr.write('restoring\n');
    const restoreStarted = performance.now();
    const restore = await restoreBackup(target, file);
    const restoreMs = performance.now() - restoreStarted;
    if (!restore.ok) throw new Error(restore.lines.join('\n'));
    return {
      branches,
      keys,
      redis_used_mb: round(usedMb),
      writers_paused_ms: pausedMs,
      backup_total_ms: Math.round(backupMs),
      file_mb: round(statSync(file).size / 2 ** 20),
      restore_with_checks_ms: Math.round(restoreMs),
      restored_keys: restore.loaded,
    };
  } finally {
    await Promise.all([redis.quit(), target.quit()]);
  }
}

export default async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-bench-backup-'));
  const server = await startEmbeddedRedis({ dir, appendfsync: 'everysec' });
  try {
    for (const branches of SIZES)
      process.stdout.write(`${JSON.stringify(await measure(server, dir, branches))}\n`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
