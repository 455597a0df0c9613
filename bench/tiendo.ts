/**
 * /tiendo at the root of a big round, and what a reported branch costs in Redis.
 *
 * For trees of 1,000, 30,000 and 300,000 branches (province → N/500 communes → branches; every
 * third commune has its branches under 5 đảng bộ bộ phận), on its own redis-server:
 *   1. imports the tree through `UnitStore.importUnits`;
 *   2. registers a congress date for 10% of the branches through `CongressStore.registerDate`
 *      (dates spread over the window, so some are upcoming and some overdue at "today");
 *   3. saves a result for 80% of the branches (not those) through `CongressStore.saveReport`,
 *      64 at a time; Redis memory is read before and after this step. One in ten results is a
 *      congress without election (không bầu cử, 3 nội dung, 2 nội dung in turn); 1% of the
 *      reporting branches were extended (gia hạn) first and report after the deadline ("sau
 *      hạn"), and another 1% of the branches are extended without a result yet;
 *   Every commune but every tenth has a pilot congress (đại hội điểm): held, or in every
 *   fourth commune only registered.
 *   4. times `CongressService.progress` at the root and the rendering of its answer as Telegram
 *      HTML messages (what /tiendo sends): 5 warm-up runs, then 20 timed runs; median and p95,
 *      and the median of the rendering alone.
 *
 * Memory per reported branch is the INFO `used_memory` delta over step 3 divided by the
 * reported branches: everything a result costs (branch entry, the branch's own counters, its
 * member of the reported set, its audit entry). The JSON also gives a MEMORY USAGE sample of
 * the parts. One JSON line per size on stdout; progress goes to stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { CongressReport } from '../src/domain/congress/report.js';
import type { Unit } from '../src/domain/units.js';
import { addDays, type IsoDate } from '../src/domain/vn.js';
import { ManualClock } from '../src/infra/clock.js';
import { startEmbeddedRedis } from '../src/infra/embeddedRedis.js';
import { createLogger } from '../src/logger.js';
import { DeliveryStore } from '../src/outbox/deliveries.js';
import { createOutboxQueue, Outbox } from '../src/outbox/outbox.js';
import { CongressService } from '../src/services/congress/index.js';
import { Dialogs } from '../src/services/dialogs.js';
import { Notifier } from '../src/services/notifier.js';
import { Organisation, type Viewer } from '../src/services/organisation.js';
import { CampaignStore } from '../src/store/campaigns.js';
import { CongressStore } from '../src/store/congress.js';
import { ConversationStore } from '../src/store/conversations.js';
import { InviteStore } from '../src/store/invites.js';
import { PeopleStore } from '../src/store/people.js';
import { UnitStore } from '../src/store/units.js';
import { toHtmlChunks } from '../src/telegram/render.js';

const SIZES = (process.env.TIENDO_SIZES ?? '1000,30000,300000').split(',').map(Number);
const BRANCHES_PER_COMMUNE = 500;
const CONCURRENCY = Number(process.env.TIENDO_CONCURRENCY ?? 64);
const WARMUP = 5;
const RUNS = 20;
const TIMEZONE = 'Asia/Ho_Chi_Minh';
const OPENS = '2025-09-01';
/** "Today" for /tiendo: mid-window, so registered dates are both upcoming and overdue. */
const TODAY = '2025-09-16';
const ADMIN: Viewer = { id: 1, roles: [{ kind: 'admin' }] };

const at = (date: IsoDate, hour = 10) => Date.parse(`${date}T${String(hour - 7).padStart(2, '0')}:00:00Z`);
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Branch {
  code: string;
  ancestors: string[];
}

/** The tree and each branch's ancestors (root first). */
function buildTree(branches: number): { units: Unit[]; branches: Branch[] } {
  const units: Unit[] = [
    { code: 'P', name: 'Đảng bộ tỉnh', level: 'dang_bo', kind: null, parent: null, members: 0 },
  ];
  const out: Branch[] = [];
  const communes = Math.max(1, Math.round(branches / BRANCHES_PER_COMMUNE));
  for (let c = 0; c < communes; c++) {
    const commune = `X${String(c + 1).padStart(4, '0')}`;
    units.push({
      code: commune,
      name: `Đảng bộ xã ${c + 1}`,
      level: 'dang_bo_co_so',
      kind: null,
      parent: 'P',
      members: 0,
    });
    const from = Math.floor((c * branches) / communes);
    const to = Math.floor(((c + 1) * branches) / communes);
    const withBoPhan = c % 3 === 2;
    if (withBoPhan) {
      for (let p = 1; p <= 5; p++) {
        units.push({
          code: `${commune}-BP${p}`,
          name: `Đảng bộ bộ phận ${p} xã ${c + 1}`,
          level: 'dang_bo_bo_phan',
          kind: null,
          parent: commune,
          members: 0,
        });
      }
    }
    for (let i = from; i < to; i++) {
      const code = `CB${String(i + 1).padStart(6, '0')}`;
      const parent = withBoPhan ? `${commune}-BP${1 + (i % 5)}` : commune;
      units.push({
        code,
        name: `Chi bộ ${i + 1}`,
        level: 'chi_bo',
        kind: 'thon',
        parent,
        members: 20 + (i % 30),
      });
      out.push({ code, ancestors: withBoPhan ? ['P', commune, parent] : ['P', commune] });
    }
  }
  return { units, branches: out };
}

/** A pilot branch in each commune but every tenth: one that reports (index % 10 == 0), or in every fourth commune one that only registers (index % 10 == 8). */
function pilotBranches(branches: readonly Branch[]): string[] {
  const firstOf = new Map<string, number>();
  branches.forEach((b, i) => {
    if (!firstOf.has(b.ancestors[1]!)) firstOf.set(b.ancestors[1]!, i);
  });
  return [...firstOf.values()].flatMap((first, c) => {
    if (c % 10 === 9) return [];
    const start = first + ((10 - (first % 10)) % 10);
    const i = start + (c % 4 === 3 ? 8 : 0);
    return branches[i] ? [branches[i]!.code] : [];
  });
}

const NO_ELECTION = ['khong_bau_cu', 'ba_noi_dung', 'hai_noi_dung'] as const;
/** Branches (by index) extended to EXTENDED_UNTIL: 1% that report late, 1% still waiting. */
const reportsLate = (i: number) => i % 100 === 1;
const extendedWaiting = (i: number) => i % 100 === 99;
const EXTENDED_UNTIL = '2025-10-15';

function report(i: number, date = addDays(OPENS, i % 15)): CongressReport {
  const election = i % 10 !== 0;
  const elected = election ? 3 + (i % 5) : 0;
  return {
    date,
    format: election ? 'bau_cu' : NO_ELECTION[Math.floor(i / 10) % 3]!,
    summoned: 18 + (i % 10),
    present: 16 + (i % 10),
    elected,
    reElected: Math.floor(elected / 2),
    women: election ? i % 3 : 0,
    young: election ? i % 2 : 0,
    minority: election && i % 7 === 0 ? 1 : 0,
    secretaryDirect: election && i % 4 !== 0,
    secretaryIsHead: i % 3 === 0 ? 'khong_ap_dung' : i % 3 === 1 ? 'co' : 'khong',
    deputy: election ? (elected >= 2 ? 'co' : 'khong') : 'khong_ap_dung',
  };
}

/** Runs `task` over `items` with `n` in flight. */
async function pool<T>(items: readonly T[], n: number, task: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        await task(items[i]!, i);
      }
    }),
  );
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function measure(redis: Redis, url: string, size: number): Promise<Record<string, unknown>> {
  await redis.flushall();
  const clock = new ManualClock(at(OPENS));
  const units = new UnitStore(redis);
  const store = new CongressStore(redis);
  const campaigns = new CampaignStore(redis);
  const queue = createOutboxQueue(url);
  try {
    const org = new Organisation(
      units,
      new PeopleStore(redis, { adminIds: [ADMIN.id] }),
      new InviteStore(redis),
      new DeliveryStore(redis),
      clock,
      'bench_bot',
    );
    const service = new CongressService({
      org,
      campaigns,
      store,
      notifier: new Notifier(new Outbox(queue, { clock, timezone: TIMEZONE })),
      dialogs: new Dialogs(new ConversationStore(redis), clock, createLogger('error', process.stderr)),
      clock,
      timezone: TIMEZONE,
    });

    const { units: tree, branches } = buildTree(size);
    const branchIndex = new Map(branches.map((b, i) => [b.code, i]));
    let t = Date.now();
    const imported = await units.importUnits(tree, 'bench', clock.now());
    if (!imported.ok) throw new Error(`import failed: ${imported.errors[0]?.problem}`);
    const importS = (Date.now() - t) / 1000;
    log(`[${size}] imported ${tree.length} units in ${round(importS)} s`);

    // One pilot congress (đại hội điểm) per commune but every tenth: a held one mostly, a
    // registered one in every fourth commune, so the pilot flags read the dates before theirs.
    const pilots = pilotBranches(branches);
    const created = await service.createCampaign('cli', {
      name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
      term: '2025-2027',
      scope: 'P',
      opens: '01/09/2025',
      deadline: '30/09/2025',
      pilots,
    });
    if (!created.ok) throw new Error(created.errors.join('; '));
    const campaignId = created.campaign.id;

    // 80% report, 10% only register a date, 10% nothing yet; 2% extended (half of them report late).
    const toReport = branches.filter((_, i) => i % 10 < 8);
    const toRegister = branches.filter((_, i) => i % 10 === 8);
    const toExtend = branches.filter((_, i) => reportsLate(i) || extendedWaiting(i));
    t = Date.now();
    await pool(toExtend, CONCURRENCY, async (b) => {
      const r = await store.extend({
        campaignId,
        branch: b.code,
        ancestors: b.ancestors,
        until: EXTENDED_UNTIL,
        reason: 'Chi bộ sáp nhập, chờ kiện toàn',
        actor: 'bench',
        now: clock.now(),
      });
      if (!r.ok) throw new Error(r.problem.code);
    });
    log(`[${size}] extended ${toExtend.length} branches in ${round((Date.now() - t) / 1000)} s`);
    t = Date.now();
    await pool(toRegister, CONCURRENCY, async (b, i) => {
      const r = await store.registerDate({
        campaignId,
        branch: b.code,
        ancestors: b.ancestors,
        date: addDays(OPENS, i % 30),
        actor: 'bench',
        now: clock.now(),
      });
      if (!r.ok) throw new Error(r.problem.code);
    });
    log(`[${size}] registered ${toRegister.length} dates in ${round((Date.now() - t) / 1000)} s`);

    const before = await usedMemory(redis);
    t = Date.now();
    let done = 0;
    await pool(toReport, CONCURRENCY, async (b, i) => {
      // The index in `branches` decides who was extended; `i` is the index in `toReport`.
      const late = reportsLate(branchIndex.get(b.code) ?? 0);
      const r = await store.saveReport({
        campaignId,
        branch: b.code,
        ancestors: b.ancestors,
        report: late ? report(i, '2025-10-03') : report(i),
        actor: 'bench',
        now: late ? at('2025-10-04') : at(addDays(OPENS, 15)),
      });
      if (!r.ok) throw new Error(r.problem.code);
      if (++done % 20_000 === 0) log(`[${size}]   ${done} reports…`);
    });
    const reportS = (Date.now() - t) / 1000;
    const after = await usedMemory(redis);
    log(
      `[${size}] saved ${toReport.length} reports in ${round(reportS)} s (${Math.round(toReport.length / reportS)}/s)`,
    );

    // Sampled sizes of the parts, for the reader: a branch's entry and own counters, and the
    // audit stream's average entry.
    const sample = toReport.filter((_, i) => i % Math.max(1, Math.floor(toReport.length / 200)) === 0);
    const sizes = await Promise.all(
      sample.map(async (b) => {
        const entry = Number(await redis.call('MEMORY', 'USAGE', `cb:dh:${campaignId}:b:${b.code}`));
        const agg = Number(await redis.call('MEMORY', 'USAGE', `cb:dh:${campaignId}:agg:${b.code}`));
        return { entry, agg };
      }),
    );
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const streamBytes = Number(await redis.call('MEMORY', 'USAGE', 'cb:audit', 'SAMPLES', '0'));
    const streamLength = await redis.xlen('cb:audit');
    const doneSetBytes = Number(
      await redis.call('MEMORY', 'USAGE', `cb:dh:${campaignId}:done`, 'SAMPLES', '0'),
    );

    clock.set(at(TODAY));
    const once = async () => {
      const start = process.hrtime.bigint();
      const r = await service.progress(ADMIN, campaignId, 'P');
      const read = process.hrtime.bigint();
      // What the bot sends: the answer rendered as Telegram's HTML messages.
      const chunks = r.ok ? toHtmlChunks(r.text) : [];
      const end = process.hrtime.bigint();
      if (!r.ok) throw new Error(r.text);
      return { ms: Number(end - start) / 1e6, renderMs: Number(end - read) / 1e6, chunks };
    };
    for (let i = 0; i < WARMUP; i++) await once();
    const times: number[] = [];
    const renderTimes: number[] = [];
    let last: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { ms, renderMs, chunks } = await once();
      times.push(ms);
      renderTimes.push(renderMs);
      last = chunks;
    }
    times.sort((a, b) => a - b);
    renderTimes.sort((a, b) => a - b);
    const firstLine = (last[0] ?? '').split('\n')[2] ?? '';
    log(`[${size}] /tiendo: ${firstLine}; ${last.length} message(s)`);
    const pilotLines = last
      .join('\n')
      .split('\n')
      .filter((l) => l.includes('đại hội điểm')).length;

    return {
      branches: size,
      reported: toReport.length,
      pilots: pilots.length,
      pilot_lines: pilotLines,
      tiendo_ms_p50: round(percentile(times, 50), 2),
      tiendo_ms_p95: round(percentile(times, 95), 2),
      render_ms_p50: round(percentile(renderTimes, 50), 2),
      redis_bytes_per_reported_branch: Math.round((after - before) / toReport.length),
      memory_method: 'INFO used_memory delta over saving the reports / reported branches',
      sampled_bytes: {
        branch_entry: Math.round(avg(sizes.map((s) => s.entry))),
        branch_counters: Math.round(avg(sizes.map((s) => s.agg))),
        audit_entry: Math.round(streamBytes / Math.max(1, streamLength)),
        reported_set_member: Math.round(doneSetBytes / toReport.length),
      },
      communes: Math.max(1, Math.round(size / BRANCHES_PER_COMMUNE)),
      registered_only: toRegister.length,
      extended: toExtend.length,
      reported_late: toReport.filter((b) => reportsLate(branchIndex.get(b.code) ?? 0)).length,
      import_s: round(importS),
      reports_s: round(reportS),
    };
  } finally {
    await queue.close();
  }
}

export default async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-bench-tiendo-'));
  const server = await startEmbeddedRedis({ dir, appendfsync: 'everysec' });
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  try {
    for (const size of SIZES) {
      const figures = await measure(redis, server.url, size);
      process.stdout.write(`${JSON.stringify(figures)}\n`);
    }
  } finally {
    await redis.quit();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
