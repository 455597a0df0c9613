import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotEntry } from '../../src/domain/snapshot.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import { restoreBackup, takeBackup } from '../../src/services/backup/index.js';
import { CongressStore } from '../../src/store/congress.js';
import { MeetingStore } from '../../src/store/meetings.js';
import { readConsistentSnapshot } from '../../src/store/snapshot.js';
import { startTestBot, type TestBot } from '../support/app.js';
import { seedCampaign } from '../support/campaign.js';
import { congressReport } from '../support/congressReports.js';
import { freshRedisUrl } from '../support/redis.js';

const m = msg.backup;
const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'T,Đảng bộ huyện Hòa An,Đảng bộ,,,0',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,T,120',
  ...Array.from({ length: 6 }, (_, i) => `CB0${i + 1},Chi bộ Thôn ${i + 1},Chi bộ,Thôn,XA,20`),
].join('\n');
const BRANCHES = Array.from({ length: 6 }, (_, i) => `CB0${i + 1}`);
const FILE_BYTES = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x80]), randomBytes(2048)]);

/** Sets and hashes come back in any order; sorted, two equal values compare equal. */
function normalised<E extends Pick<SnapshotEntry, 'type' | 'value'>>(e: E): E {
  if (e.type !== 'set' && e.type !== 'hash') return e;
  const sorted = [...(e.value as unknown[])].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return { ...e, value: sorted };
}

/** Everything a snapshot holds, without the TTL left (which moves), for comparing two databases. */
async function contents(
  redis: Redis,
): Promise<Map<string, Omit<SnapshotEntry, 'ttlMs'> & { expires: boolean }>> {
  const read = await readConsistentSnapshot(redis, { maxPauseMs: 10_000 });
  if (!read.ok) throw new Error(read.reason);
  return new Map(
    read.snapshot.entries.map(
      ({ ttlMs, ...rest }) => [rest.key, normalised({ ...rest, expires: ttlMs !== null })] as const,
    ),
  );
}

const lines = (file: string) => gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
const writeLines = (file: string, text: string[]) => writeFileSync(file, gzipSync(`${text.join('\n')}\n`));

describe('backup and restore', () => {
  let dir: string;
  let bot: TestBot;
  let source: Redis;
  let backupFile: string;
  let campaignId: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-backup-'));
    const clock = new ManualClock(Date.parse('2025-09-10T03:00:00Z'));
    bot = await startTestBot({ clock });
    const s = bot.app.services;
    source = s.redis;
    expect((await s.org.importUnitsCsv('cli', TREE)).ok).toBe(true);
    for (const [i, code] of BRANCHES.entries())
      await s.org.people.grantRole(7000 + i, { kind: 'secretary', unit: code }, 'test', clock.now());
    await s.org.people.grantRole(7100, { kind: 'leader', unit: 'XA' }, 'test', clock.now());
    const created = await seedCampaign(s.congress, { scope: 'T', pilots: ['CB01'] });
    campaignId = created.id;
    const congress = new CongressStore(source);
    for (const [i, branch] of BRANCHES.slice(0, 4).entries()) {
      const saved = await congress.saveReport({
        campaignId,
        branch,
        ancestors: ['T', 'XA'],
        report: congressReport({ women: i % 3, reElected: 2 + (i % 2) }),
        actor: String(7000 + i),
        now: clock.now(),
      });
      expect(saved.ok).toBe(true);
    }
    const meetings = new MeetingStore(source);
    for (const branch of BRANCHES.slice(0, 3))
      await meetings.saveReport({
        branch,
        ancestors: ['T', 'XA'],
        month: '2025-08',
        report: {
          month: '2025-08',
          date: '2025-08-03',
          type: 'thuong_ky',
          durationMinutes: 95,
          members: 20,
          exempt: 1,
          present: 17,
          absentWithReason: { count: 1, people: [] },
          absentWithoutReason: { count: 1, people: [{ name: 'Nguyễn Văn A' }] },
          content: 'Sinh hoạt thường kỳ 🇻🇳 <b>',
        },
        deadline: '2025-09-08',
        actor: '7000',
        now: clock.now(),
      });
    const sent = await s.directives.send(
      'cli',
      {
        title: 'Kế hoạch tổ chức đại hội',
        number: '74-KH/ĐU',
        text: 'Đề nghị các đồng chí…',
        audience: 'all-secretaries',
      },
      { file: { bytes: FILE_BYTES, filename: 'ke-hoach.pdf', kind: 'document' } },
    );
    expect(sent.ok).toBe(true);
    // A few shapes the services do not make: a score of -inf, a stream, an expiring key, one about to expire.
    await source.zadd('cb:test:scores', '-inf', 'đầu', '1.5', 'giữa');
    await source.xadd('cb:test:stream', '*', 'field', 'value');
    await source.set('cb:test:expiring', 'x', 'PX', 3_600_000);
    await source.set('cb:test:lock', 'x', 'PX', 5_000);
    backupFile = path.join(dir, 'backup.jsonl.gz');
    // The bot stops (its data stays): the source holds still while it is compared with its backup.
    const url = s.config.redisUrl ?? '';
    await bot.stop();
    source = new Redis(url);
  }, 60_000);

  afterAll(async () => {
    await source?.quit();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every application key, and no queue, as versioned gzip JSON lines', async () => {
    expect((await source.keys('cb:bull:*')).length).toBeGreaterThan(0);
    const outcome = await takeBackup(source, backupFile);
    expect(outcome.ok).toBe(true);
    const all = lines(backupFile);
    const header = JSON.parse(all[0]!);
    expect(header).toMatchObject({ format: 'chibo-backup', version: 1, keys: all.length - 1 });
    expect(Date.parse(header.takenAt)).toBe(header.takenAtMs);
    const entries = all.slice(1).map((l) => JSON.parse(l) as SnapshotEntry);
    expect(entries.some((e) => e.key.startsWith('cb:bull:'))).toBe(false);
    const appKeys = (await source.keys('cb:*')).filter((k) => !k.startsWith('cb:bull:'));
    expect(entries.map((e) => e.key).sort()).toEqual(appKeys.sort());
    expect(outcome.lines).toHaveLength(1);
    const pausedMs = /tạm dừng ghi (\d+) ms/.exec(outcome.lines[0]!)?.[1];
    expect(outcome.lines[0]).toBe(m.written(backupFile, String(entries.length), String(pausedMs)));
    expect(entries.find((e) => e.key === 'cb:test:stream')?.type).toBe('dump');
    // The attached file is not UTF-8: kept as base64, byte for byte.
    const file = entries.find((e) => e.type === 'string' && typeof e.value !== 'string');
    expect(file && Buffer.from((file.value as { b64: string }).b64, 'base64').equals(FILE_BYTES)).toBe(true);
  });

  it('restores into an empty Redis exactly what was saved, and checks counts and aggregates', async () => {
    const target = new Redis(await freshRedisUrl());
    try {
      const inFile = lines(backupFile)
        .slice(1)
        .map((l) => JSON.parse(l) as SnapshotEntry);
      const takenAtMs = JSON.parse(lines(backupFile)[0]!).takenAtMs as number;
      const sinceTaken = Date.now() - takenAtMs;
      const outcome = await restoreBackup(target, backupFile);
      expect(outcome.lines.join('\n')).toContain('khớp');
      expect(outcome.ok).toBe(true);
      // Keys with under a minute left at load time are left out; those near the line may go either way.
      const left = (e: SnapshotEntry) => (e.ttlMs === null ? Number.POSITIVE_INFINITY : e.ttlMs - sinceTaken);
      const sure = inFile.filter((e) => left(e) > 62_000).map((e) => e.key);
      const maybe = new Set(inFile.filter((e) => left(e) >= 58_000).map((e) => e.key));
      expect(sure).not.toContain('cb:test:lock');
      expect(sure).toContain('cb:test:expiring');
      const restored = await contents(target);
      for (const key of sure) expect(restored.has(key), key).toBe(true);
      for (const key of restored.keys()) expect(maybe.has(key), key).toBe(true);
      for (const { ttlMs, ...rest } of inFile)
        if (restored.has(rest.key))
          expect(restored.get(rest.key), rest.key).toEqual(normalised({ ...rest, expires: ttlMs !== null }));
      expect(outcome.loaded).toBe(restored.size);
      const when = new Date(takenAtMs + 7 * 3600_000).toISOString();
      const takenAt = `${when.slice(8, 10)}/${when.slice(5, 7)}/${when.slice(0, 4)} ${when.slice(11, 16)}`;
      expect(outcome.lines[0]).toBe(
        m.restored(String(restored.size), String(inFile.length - restored.size), takenAt),
      );
      const ttl = await target.pttl('cb:test:expiring');
      expect(ttl).toBeGreaterThan(3_500_000);
      expect(ttl).toBeLessThanOrEqual(3_600_000);
      // The services read the restored data as they read the original.
      const history = await new CongressStore(target).reportHistory(campaignId, 'CB02');
      expect(history[0]?.report).toMatchObject({ women: 1, reElected: 3 });
      expect(await new CongressStore(target).aggregate(campaignId, 'XA')).toMatchObject({
        held: 4,
        women: 3,
      });
    } finally {
      await target.quit();
    }
  });

  it('refuses a Redis that is not empty, and writes nothing to it', async () => {
    const target = new Redis(await freshRedisUrl());
    try {
      await target.set('something', 'there');
      const outcome = await restoreBackup(target, backupFile);
      expect(outcome).toEqual({ ok: false, lines: [m.notEmpty('1')] });
      expect(await target.dbsize()).toBe(1);
    } finally {
      await target.quit();
    }
  });

  it('loads nothing from a corrupt, truncated, foreign or newer file', async () => {
    const good = lines(backupFile);
    const cases: [string, (file: string) => void, (file: string) => string][] = [
      ['not gzip', (f) => writeFileSync(f, 'plain text'), (f) => m.unreadable(f, 'incorrect header check')],
      [
        'cut short',
        (f) => writeFileSync(f, readFileSync(backupFile).subarray(0, 200)),
        (f) => m.unreadable(f, 'unexpected end of file'),
      ],
      [
        'a line lost',
        (f) => writeLines(f, good.slice(0, -1)),
        (f) => m.truncated(f, String(good.length - 1), String(good.length - 2)),
      ],
      [
        'a garbled line',
        (f) => writeLines(f, [...good.slice(0, 3), '{"key":', ...good.slice(4)]),
        (f) => m.corrupt(f, '4', 'không phải một dòng JSON'),
      ],
      [
        'a wrong value',
        (f) =>
          writeLines(f, [
            good[0]!,
            JSON.stringify({ key: 'cb:x', type: 'zset', ttlMs: null, value: [['a', 'abc']] }),
            ...good.slice(2),
          ]),
        (f) => m.corrupt(f, '2', 'sai cấu trúc ở trường value.0.1'),
      ],
      [
        'a queue key',
        (f) =>
          writeLines(f, [
            good[0]!,
            JSON.stringify({ key: 'cb:bull:outbox:1', type: 'string', ttlMs: null, value: 'x' }),
            ...good.slice(2),
          ]),
        (f) => m.corrupt(f, '2', 'khóa cb:bull:outbox:1 không thuộc dữ liệu của bot'),
      ],
      [
        'twice the same key',
        (f) => writeLines(f, [...good.slice(0, -1), good[1]!]),
        (f) => m.corrupt(f, String(good.length), `khóa ${JSON.parse(good[1]!).key} xuất hiện hai lần`),
      ],
      ['not a backup', (f) => writeLines(f, ['{"hello":1}']), (f) => m.notBackup(f)],
      ['empty', (f) => writeLines(f, []), (f) => m.notBackup(f)],
      [
        'a newer format',
        (f) => writeLines(f, [JSON.stringify({ ...JSON.parse(good[0]!), version: 2 }), ...good.slice(1)]),
        (f) => m.newerVersion(f, '2', '1'),
      ],
    ];
    const target = new Redis(await freshRedisUrl());
    try {
      for (const [name, make, expected] of cases) {
        const file = path.join(dir, `${name.replace(/\s/g, '-')}.jsonl.gz`);
        make(file);
        const outcome = await restoreBackup(target, file);
        expect(outcome, name).toEqual({ ok: false, lines: [expected(file)] });
        expect(await target.dbsize(), name).toBe(0);
      }
    } finally {
      await target.quit();
    }
  });

  it('says so when the aggregates do not add up to the reports', async () => {
    const tampered = lines(backupFile).map((line, i) => {
      if (i === 0) return line;
      const e = JSON.parse(line) as SnapshotEntry;
      if (e.key !== `cb:dh:${campaignId}:agg:XA` || e.type !== 'hash') return line;
      return JSON.stringify({ ...e, value: e.value.map(([f, v]) => [f, f === 'nu' ? '99' : v]) });
    });
    const file = path.join(dir, 'tampered.jsonl.gz');
    writeLines(file, tampered);
    const target = new Redis(await freshRedisUrl());
    try {
      const outcome = await restoreBackup(target, file);
      expect(outcome.ok).toBe(false);
      expect(outcome.lines).toContain(m.aggregatesDiffer('1'));
      expect(outcome.lines).toContain(m.congressMismatch(campaignId, 'XA', 'women', '99', '3'));
    } finally {
      await target.quit();
    }
  });

  it('takes one point in time while a writer keeps changing keys that belong together', async () => {
    const redis = new Redis(await freshRedisUrl());
    const writer = new Redis(redis.options);
    try {
      // Keys spread over many read batches, with the pair at both ends of the key order.
      const filler = redis.pipeline();
      for (let i = 0; i < 3000; i++) filler.set(`cb:fill:${String(i).padStart(5, '0')}`, 'x'.repeat(100));
      await filler.exec();
      let running = true;
      let writes = 0;
      const writing = (async () => {
        while (running) {
          await writer.multi().incr('cb:aaa:first').incr('cb:zzz:last').exec();
          writes++;
        }
      })();
      await new Promise((r) => setTimeout(r, 50));
      const file = path.join(dir, 'moving.jsonl.gz');
      const outcome = await takeBackup(redis, file);
      const writesDuringBackup = writes;
      running = false;
      await writing;
      expect(outcome.ok).toBe(true);
      const entries = lines(file)
        .slice(1)
        .map((l) => JSON.parse(l) as SnapshotEntry);
      const first = entries.find((e) => e.key === 'cb:aaa:first')?.value;
      const last = entries.find((e) => e.key === 'cb:zzz:last')?.value;
      expect(Number(first)).toBeGreaterThan(0);
      expect(first).toBe(last);
      expect(writesDuringBackup).toBeGreaterThan(Number(first));
    } finally {
      await writer.quit();
      await redis.quit();
    }
  });
});
