/**
 * Updates per second (issue 16): an open-loop stream over 1,000 chats (700 secretaries, 200
 * deputies, 100 leaders of the ward, with their roles), at each rate in turn, to our bot and to
 * two yardsticks, each on its own fake Bot API server, in one run:
 *   - echo: a bare telegraf bot that answers each message with its text;
 *   - echo + durable write: the same, plus one Redis write before each answer (SET NX of the
 *     update's id, on the same Redis as ours). That is the least a bot must do to answer each
 *     update once and lose nothing across a crash: with `appendfsync always` it waits for one
 *     fsync, as ours does. Its distance from the bare echo is the disk's, not any bot's code.
 * Each bot runs in a child process (ours as `npm start` runs it: compiled when `dist/` is
 * fresh), so its CPU time is its own. Within a rate the three take turns in slices of about a
 * second (BENCH_SLICE_SECONDS), so a noisy spell of the shared machine falls on all of them.
 *
 *   npm run bench -- updates                      rates 100, 300, 490, 530; 10 s each
 *   BENCH_RATES=100,300 BENCH_SECONDS=20 npm run bench -- updates
 *   BENCH_RATES=900,1800 BENCH_SECONDS=20 BENCH_SLICE_SECONDS=10 npm run bench -- updates
 *       past capacity: the last line gives each rate's handling p99 (queueing and waits for a
 *       send slot apart) against the first rate's, with RSS and anything lost or reordered
 *
 * A secretary alternates /help and plain text, a deputy sends /help, a leader /tiendo. Latency
 * is from the update entering the fake server to the bot's answer reaching it, timed to a
 * fraction of a ms (the echo bot answers in about 1 ms: whole ms would hide a 2× difference).
 * CPU ms per update is the bot process's user+system time over the updates answered. Nothing
 * may be lost: every update must be answered, and a chat's answers come in the order of its
 * updates.
 *
 * The mix continues across the warm-up and the rates (a chat's next message follows on from its
 * last), and the warm-up (two messages from every person, not measured) covers the first message
 * of each chat, which sets its menu. Under the table, for each rate: ours's p99 by kind; what
 * its /metrics say (queueing vs handling, event-loop lag, full garbage collections: each stalls
 * every update in hand and arriving for several ms); Bot API calls, Redis round trips and Redis
 * commands per update; Redis's own CPU per update; and how often Redis waited more than 1 ms for
 * the disk (with `appendfsync always` each such wait holds up every update in flight: on a disk
 * whose fsyncs stall now and then, those stalls set our p99).
 *
 *   BENCH_ONLY=/help                 every chat sends that one text (one kind's cost)
 *   BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'   node options for our bot
 *   BENCH_BOT_OUT=/tmp/bot.log       keep what our bot prints (e.g. with --trace-gc)
 *   BENCH_DUMP=/tmp/lat              each update's send time and latency, a file per bot and
 *                                    rate (<prefix>-<pid>-<rate>.txt): shows whether slow
 *                                    updates come together (a pause) or alone, and how much of
 *                                    each latency was spent waiting for the bot's getUpdates
 *   BENCH_LOG_LEVEL=debug            our bot's log level (debug: a line per update, with its ms)
 *   BENCH_ORDER=mixed                chats take turns in a shuffled order (roles interleaved)
 *   BENCH_FSYNC=everysec             the Redis AOF's fsync policy (default always, as in the
 *                                    sandbox and the compose files: every write waits for the disk)
 *   BENCH_SUMMARIES=1                the daily summary check runs as ours's first slice of the
 *                                    first rate begins (as its quarter-hour schedule would): a
 *                                    summary with its chart for each of the 100 leaders, while
 *                                    updates come in. Otherwise SUMMARY_AT is 23:59, so that no schedule
 *                                    falling inside a run sends them by chance.
 *   BENCH_STALLS=1                   our bot records its main thread's stalls over 4 ms and how
 *                                    much of each it spent waiting for a CPU (`stallWatch.mjs`);
 *                                    a line per rate says how many of the slowest 1% were in hand
 *                                    during one: whether our tail is our own work or a starved CPU
 *
 * The machine is shared: compare builds by running them alternately in one session.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { SCHEDULED_JOBS } from '../jobs/names.js';
import { createScheduledQueue } from '../jobs/schedules.js';
import { parseConfig } from '../src/config.js';
import { startEmbeddedRedis } from '../src/infra/embeddedRedis.js';
import { createLogger } from '../src/logger.js';
import { BotApiEmulator } from '../src/sandbox/emulator.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const OURS = '123456789:BENCH-updates-token-for-our-bot';
const ECHO = '223456789:BENCH-updates-token-for-the-echo';
const FLOOR = '323456789:BENCH-updates-token-for-the-floor';
const CHATS = 1_000;
const FIRST = 30_000_000;
/** How long each bot drives before the next takes its turn, within a rate. */
const SLICE_SECONDS = Number(process.env.BENCH_SLICE_SECONDS ?? 1);
/**
 * The first ms of each slice are answered but not timed: a bot that sat idle while the others
 * had their turns starts cold (V8 tidies an idle heap, caches go cold), which a bot under
 * steady traffic never is. Every bot gets the same lead-in.
 */
const LEAD_IN_MS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The order in which the chats take turns. By default chat 0, 1, 2, …: the 100 leaders (chats
 * 900–999) then send /tiendo one after another, a burst every 1,000 updates. BENCH_ORDER=mixed
 * takes the chats in a fixed shuffled order, so the roles are interleaved as in real traffic.
 */
const ORDER: number[] = (() => {
  const order = Array.from({ length: CHATS }, (_, i) => i);
  if (process.env.BENCH_ORDER !== 'mixed') return order;
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let k = order.length - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1));
    [order[k], order[j]] = [order[j]!, order[k]!];
  }
  return order;
})();

type Role = 'secretary' | 'deputy' | 'leader';
const roleOf = (i: number): Role => (i < 700 ? 'secretary' : i < 900 ? 'deputy' : 'leader');

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

function spawnChild(
  args: string[],
  env: Record<string, string>,
  ready: string,
): Promise<{ child: ChildProcess; out: () => string }> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes(ready)) resolve({ child, out: () => out });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited (${code}):\n${out.slice(-2000)}`)));
  });
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface RateResult {
  rate: number;
  sent: number;
  answered: number;
  p50: number;
  p99: number;
  cpuMsPerUpdate: number;
  rssMb: number;
  reordered: number;
  /** p99 of the latency by what was sent (/help, plain text, /tiendo). */
  p99ByKind: Record<string, number>;
  /** Bot API calls made per update sent, by method. */
  callsPerUpdate: Record<string, number>;
}

/** A Prometheus histogram's cumulative buckets, by upper bound in seconds. */
type Buckets = Map<number, number>;

/** What the bot's own /metrics say about one rate: queueing vs handling, and event-loop lag. */
interface Inside {
  queuedP50: number;
  queuedP99: number;
  handledP50: number;
  handledP99: number;
  /** The share of updates whose answers waited for a send slot (the budget full), and the p99 of those waits. */
  sendWaitShare: number;
  sendWaitP99: number;
  loopLagP99Ms: number;
  loopLagMaxMs: number;
  /** Mean Redis round trips per update handled. */
  roundTrips: number;
  /** Full (mark-compact) collections, and their pauses' total in ms. */
  majorGcs: number;
  majorGcMs: number;
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  return res.text();
}

function buckets(text: string, name: string): Buckets {
  const out: Buckets = new Map();
  const re = new RegExp(`^${name}_bucket\\{(?:[^}]*,)?le="([^"]+)"[^}]*\\} (\\S+)$`, 'gm');
  for (const m of text.matchAll(re)) {
    const le = m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]);
    out.set(le, (out.get(le) ?? 0) + Number(m[2]));
  }
  return out;
}

/**
 * The p-quantile (ms) of the observations between two scrapes, interpolated linearly within its
 * bucket as Prometheus's histogram_quantile does.
 */
function bucketQuantile(before: Buckets, after: Buckets, p: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const count = (le: number) => (after.get(le) ?? 0) - (before.get(le) ?? 0);
  const total = count(Number.POSITIVE_INFINITY);
  if (total <= 0) return Number.NaN;
  let lower = 0;
  let below = 0;
  for (const le of bounds) {
    const n = count(le);
    if (n >= p * total) {
      if (le === Number.POSITIVE_INFINITY) return lower * 1000;
      return (lower + ((le - lower) * (p * total - below)) / Math.max(1, n - below)) * 1000;
    }
    lower = le;
    below = n;
  }
  return Number.POSITIVE_INFINITY;
}

function bucketCount(b: Buckets): number {
  return b.get(Number.POSITIVE_INFINITY) ?? 0;
}

function sample(text: string, name: string): number {
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}

/** The bot's full garbage collections (prom-client's GC histogram, kind "major"): count and seconds. */
function majorGc(text: string): { count: number; seconds: number } {
  const of = (suffix: string) =>
    Number(
      new RegExp(`^(?:chibo_)?nodejs_gc_duration_seconds_${suffix}\\{kind="major"\\} (\\S+)$`, 'm').exec(
        text,
      )?.[1] ?? 0,
    );
  return { count: of('count'), seconds: of('sum') };
}

/** Calls per command since Redis started (INFO commandstats). */
async function commandStats(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  return new Map([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
}

/** Redis's own CPU time so far (main thread and helpers, user and system), in ms. */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1] ?? 0);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

/**
 * Redis's waits for the disk during a rate: with `appendfsync always` every iteration of Redis's
 * loop that wrote anything ends in an fsync, and every reply of that iteration waits for it, so
 * a slow fsync holds up every update in flight. Redis's latency monitor keeps, for each second,
 * the slowest fsync over its threshold (1 ms here): how many seconds had one, their median, and
 * the slowest of all.
 */
interface DiskWaits {
  seconds: number;
  medianMs: number;
  worstMs: number;
}

/** What Redis did while one bot's slices ran: its commands, its CPU, and its waits for the disk. */
class RedisWatch {
  readonly commands = new Map<string, number>();
  cpuMs = 0;
  /** Per second that had one, the slowest fsync over 1 ms (ms). */
  private readonly fsyncMaxima: number[] = [];

  constructor(private readonly probe: Redis) {}

  async during<T>(work: () => Promise<T>): Promise<T> {
    await this.probe.config('SET', 'latency-monitor-threshold', '1');
    await this.probe.call('LATENCY', 'RESET');
    const stats = await commandStats(this.probe);
    const cpu = await redisCpuMs(this.probe);
    const result = await work();
    for (const [c, n] of await commandStats(this.probe))
      this.commands.set(c, (this.commands.get(c) ?? 0) + n - (stats.get(c) ?? 0));
    this.cpuMs += (await redisCpuMs(this.probe)) - cpu;
    const history = (await this.probe.call('LATENCY', 'HISTORY', 'aof-fsync-always')) as [number, number][];
    this.fsyncMaxima.push(...history.map(([, ms]) => ms));
    return result;
  }

  disk(): DiskWaits {
    const worst = [...this.fsyncMaxima].sort((a, b) => a - b);
    return {
      seconds: worst.length,
      medianMs: worst.length === 0 ? 0 : worst[Math.floor(worst.length / 2)]!,
      worstMs: worst.at(-1) ?? 0,
    };
  }
}

function inside(before: string, after: string): Inside {
  const q = [
    'chibo_update_queueing_seconds',
    'chibo_update_handling_seconds',
    'chibo_update_send_wait_seconds',
  ].map((n) => [buckets(before, n), buckets(after, n)]);
  const lag = /^(?:chibo_)?nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(after)?.[1];
  const lagMax = /^(?:chibo_)?nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(after)?.[1];
  const [gcBefore, gcAfter] = [majorGc(before), majorGc(after)];
  return {
    queuedP50: bucketQuantile(q[0]![0]!, q[0]![1]!, 0.5),
    queuedP99: bucketQuantile(q[0]![0]!, q[0]![1]!, 0.99),
    handledP50: bucketQuantile(q[1]![0]!, q[1]![1]!, 0.5),
    handledP99: bucketQuantile(q[1]![0]!, q[1]![1]!, 0.99),
    sendWaitShare:
      (sample(after, 'chibo_update_send_wait_seconds_count') -
        (sample(before, 'chibo_update_send_wait_seconds_count') || 0)) /
      (bucketCount(q[1]![1]!) - bucketCount(q[1]![0]!)),
    sendWaitP99: bucketQuantile(q[2]![0]!, q[2]![1]!, 0.99),
    loopLagP99Ms: Number(lag ?? Number.NaN) * 1000,
    loopLagMaxMs: Number(lagMax ?? Number.NaN) * 1000,
    roundTrips:
      (sample(after, 'chibo_update_redis_round_trips_sum') -
        sample(before, 'chibo_update_redis_round_trips_sum')) /
      (sample(after, 'chibo_update_redis_round_trips_count') -
        sample(before, 'chibo_update_redis_round_trips_count')),
    majorGcs: gcAfter.count - gcBefore.count,
    majorGcMs: (gcAfter.seconds - gcBefore.seconds) * 1000,
  };
}

/** What one bot did in one slice of a rate: the raw figures, merged over slices by `summarize`. */
interface Slice {
  sent: number;
  answered: number;
  /** Each timed update: when it was sent (epoch ms) and its latency. */
  timed: [number, number][];
  byKind: Map<string, number[]>;
  cpuMs: number;
  reordered: number;
  calls: Map<string, number>;
}

/** Drives one bot at one rate for `seconds`; answers are matched per chat, in order. */
async function drive(
  emulator: BotApiEmulator,
  pid: number,
  rate: number,
  seconds: number,
  textFor: (i: number, n: number) => string,
  /** Updates this bot was sent before, so a chat's next message follows on from its last. */
  counter: { sent: number },
  /** The first ms of the slice, answered but not timed. */
  leadInMs = 0,
): Promise<Slice> {
  emulator.reset();
  const pushedAt = new Map<number, number[]>();
  const idsOf = new Map<number, number[]>();
  const kindOf = new Map<number, string[]>();
  const cpuBefore = cpuMs(pid);
  const start = performance.now();
  const total = Math.round(rate * seconds);
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    for (; sent < due; sent++) {
      const i = ORDER[(counter.sent + sent) % CHATS]!;
      const id = FIRST + i;
      const text = textFor(i, Math.floor((counter.sent + sent) / CHATS));
      const u = emulator.sendText(id, text);
      idsOf.set(id, [...(idsOf.get(id) ?? []), u.update_id]);
      const list = pushedAt.get(id) ?? [];
      // The fake server logs each call's arrival on this clock, to a fraction of a ms.
      list.push(performance.timeOrigin + performance.now());
      pushedAt.set(id, list);
      const kinds = kindOf.get(id) ?? [];
      kinds.push(text.startsWith('/') ? text : 'text');
      kindOf.set(id, kinds);
    }
    await sleep(2);
  }
  counter.sent += sent;
  // Everything answered (or 30 s more at most).
  const deadline = Date.now() + 30_000;
  const answeredAll = () => [...pushedAt].every(([id, l]) => emulator.botMessages(id).length >= l.length);
  while (!answeredAll() && Date.now() < deadline) await sleep(50);
  const cpu = cpuMs(pid) - cpuBefore;
  const timed: [number, number][] = [];
  const byKind = new Map<string, number[]>();
  let answered = 0;
  let reordered = 0;
  const calls = new Map<string, number>();
  for (const c of emulator.callLog()) calls.set(c.method, (calls.get(c.method) ?? 0) + 1);
  const sends = emulator.callLog().filter((c) => c.method === 'sendMessage' && c.status === 200);
  const byChat = new Map<number, number[]>();
  for (const c of sends) {
    const id = Number(c.params.chat_id);
    byChat.set(id, [...(byChat.get(id) ?? []), c.at]);
  }
  const dump = process.env.BENCH_DUMP;
  // BENCH_DUMP: one line an update: ms from the slice's start when it was sent, its latency, its
  // kind, how long of that it waited for the bot's next getUpdates, its update id, and when it
  // was sent (epoch ms, to match against what the bot logs).
  // When each update was handed to the bot: by the last getUpdates before the first whose
  // offset passes it (a bot polls one at a time), at that call's arrival or, if it was already
  // waiting, at once.
  const polls = emulator
    .callLog()
    .filter((c) => c.method === 'getUpdates')
    .map((c) => ({ at: c.at, offset: Number(c.params.offset ?? 0) }))
    .sort((a, b) => a.at - b.at);
  const pollWait = (updateId: number, sentAt: number): number => {
    let lo = 0;
    let hi = polls.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (polls[mid]!.offset > updateId) hi = mid;
      else lo = mid + 1;
    }
    const handing = polls[lo - 1];
    return handing ? Math.max(0, handing.at - sentAt) : Number.NaN;
  };
  const rows = [`# start ${(performance.timeOrigin + start).toFixed(1)} (epoch ms)`];
  for (const [id, pushed] of pushedAt) {
    const replies = byChat.get(id) ?? [];
    const ids = idsOf.get(id)!;
    pushed.forEach((t, k) => {
      const r = replies[k];
      if (r === undefined) return;
      answered++;
      if (k > 0 && r < replies[k - 1]!) reordered++;
      const sentAt = t - performance.timeOrigin - start;
      if (sentAt < leadInMs) return;
      timed.push([t, r - t]);
      const kind = kindOf.get(id)![k]!;
      byKind.set(kind, [...(byKind.get(kind) ?? []), r - t]);
      if (dump)
        rows.push(
          `${sentAt.toFixed(2)} ${(r - t).toFixed(2)} ${kind} ${pollWait(ids[k]!, t).toFixed(2)} ${ids[k]} ${t.toFixed(2)}`,
        );
    });
  }
  if (dump) appendFileSync(`${dump}-${pid}-${rate}.txt`, `${rows.join('\n')}\n`);
  return { sent, answered, timed, byKind, cpuMs: cpu, reordered, calls };
}

/**
 * Runs the daily summary check in our bot now, as its schedule would (BENCH_SUMMARIES), and
 * tells how long it took and how many leaders' summaries it queued.
 */
async function startSummaryRun(url: string): Promise<string> {
  const queue = createScheduledQueue(url);
  const redis = new Redis(url);
  try {
    const job = await queue.add(SCHEDULED_JOBS.dailySummary, {});
    let done = await queue.getJob(job.id!);
    while (!done?.finishedOn) {
      await sleep(100);
      done = await queue.getJob(job.id!);
    }
    let queued = 0;
    for (const key of await redis.keys('cb:sum:sent:*')) queued += await redis.scard(key);
    return `summary check in ours's first slices: ${queued} leaders' summaries, each with its chart, composed and queued in ${((done.finishedOn - (done.processedOn ?? done.timestamp)) / 1000).toFixed(1)} s${done.failedReason ? ` (failed: ${done.failedReason})` : ''}`;
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

/**
 * BENCH_STALLS: the stalls of our bot's main thread during its slices (`stallWatch.mjs`), how
 * much of them it spent waiting for a CPU, and how many of its slowest 1% were in hand during one.
 */
function stallLine(rate: number, file: string, slices: Slice[]): string {
  const windows = slices
    .filter((s) => s.timed.length > 0)
    .map((s) => ({
      from: s.timed.reduce((m, [t]) => Math.min(m, t), Number.POSITIVE_INFINITY),
      to: s.timed.reduce((m, [t, ms]) => Math.max(m, t + ms), 0),
    }));
  const stalls = (existsSync(file) ? readFileSync(file, 'utf8') : '')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f[0] === 'stall')
    .map((f) => ({ at: Number(f[1]), ms: Number(f[2]), ran: Number(f[3]), waited: Number(f[4]) }))
    .filter((st) => windows.some((w) => st.at + st.ms > w.from && st.at < w.to));
  const timed = slices.flatMap((s) => s.timed).sort((a, b) => b[1] - a[1]);
  const slowest = timed.slice(0, Math.ceil(timed.length / 100));
  const inStall = slowest.filter(([t, ms]) => stalls.some((st) => st.at < t + ms && st.at + st.ms > t));
  const total = stalls.reduce((n, st) => n + st.ms, 0);
  const share = (f: (st: (typeof stalls)[number]) => number) =>
    `${((100 * stalls.reduce((n, st) => n + f(st), 0)) / Math.max(total, 1)).toFixed(0)}%`;
  return (
    `${rate}/s ours, its main thread's stalls over 4 ms in its slices (BENCH_STALLS): ${stalls.length} ` +
    `(${stalls.filter((st) => st.ms > 10).length} over 10 ms, ${total.toFixed(0)} ms in all), of which it spent ` +
    `${share((st) => st.waited)} waiting for a CPU and ${share((st) => st.ran)} running; ` +
    `of its slowest 1% (${slowest.length}), ${inStall.length} were in hand during one`
  );
}

/** One bot's figures at one rate, over all its slices. */
function summarize(rate: number, pid: number, slices: Slice[]): RateResult {
  const sum = (f: (s: Slice) => number) => slices.reduce((n, s) => n + f(s), 0);
  const sent = sum((s) => s.sent);
  const answered = sum((s) => s.answered);
  const byKind = new Map<string, number[]>();
  const calls = new Map<string, number>();
  for (const s of slices) {
    for (const [k, xs] of s.byKind) byKind.set(k, [...(byKind.get(k) ?? []), ...xs]);
    for (const [m, n] of s.calls) calls.set(m, (calls.get(m) ?? 0) + n);
  }
  const latencies = slices.flatMap((s) => s.timed.map(([, ms]) => ms));
  return {
    rate,
    sent,
    answered,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuMsPerUpdate: sum((s) => s.cpuMs) / Math.max(1, answered),
    rssMb: rssMb(pid),
    reordered: sum((s) => s.reordered),
    p99ByKind: Object.fromEntries([...byKind].map(([k, xs]) => [k, percentile(xs, 99)])),
    callsPerUpdate: Object.fromEntries([...calls].map(([m, n]) => [m, Number((n / sent).toFixed(2))])),
  };
}

/** The ward, its 1,000 people with roles, and a congress round, written through the app itself. */
async function seed(redisUrl: string): Promise<void> {
  const emulator = new BotApiEmulator();
  const apiRoot = await emulator.listen(0);
  const { startApp } = await import('../src/app.js');
  const config = parseConfig({
    BOT_TOKEN: OURS,
    TELEGRAM_API_ROOT: apiRoot,
    REDIS_URL: redisUrl,
    PORT: '0',
    QUIET_HOURS: 'off',
    LOG_LEVEL: 'silent',
  });
  const app = await startApp(config, { log: createLogger('silent', process.stderr), emulator });
  try {
    const s = app.services;
    const rows = [
      'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
      'XA,Đảng bộ phường Tân Lập,Đảng bộ cơ sở,,,9000',
    ];
    for (let b = 0; b < 90; b++) rows.push(`CB${b},Chi bộ Tổ dân phố ${b + 1},Chi bộ,Tổ dân phố,XA,100`);
    const imported = await s.org.importUnitsCsv('cli', rows.join('\n'));
    if (!imported.ok) throw new Error('bench: the unit import failed');
    for (let i = 0; i < CHATS; i++) {
      const role = roleOf(i);
      const unit = role === 'leader' ? 'XA' : `CB${i % 90}`;
      await s.org.people.grantRole(FIRST + i, { kind: role, unit }, 'bench', Date.now());
    }
    const today = new Date();
    const fmt = (d: Date) =>
      `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`;
    const created = await s.congress.createCampaign('cli', {
      name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
      term: '2025-2027',
      scope: 'XA',
      opens: fmt(new Date(today.getTime() - 20 * 86_400_000)),
      deadline: fmt(new Date(today.getTime() + 30 * 86_400_000)),
    });
    if (!created.ok) throw new Error(`bench: ${created.errors.join('; ')}`);
  } finally {
    await app.stop();
    await emulator.close();
  }
}

function addPeople(emulator: BotApiEmulator): void {
  for (let i = 0; i < CHATS; i++) {
    emulator.addUser({ id: FIRST + i, first_name: `Đảng viên ${i + 1}` });
  }
}

export default async function run(): Promise<void> {
  const rates = (process.env.BENCH_RATES ?? '100,300,490,530').split(',').map(Number);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const summaries = process.env.BENCH_SUMMARIES === '1';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-bench-updates-'));
  const fsync = process.env.BENCH_FSYNC;
  if (fsync !== undefined && fsync !== 'always' && fsync !== 'everysec' && fsync !== 'no') {
    throw new Error('bench: BENCH_FSYNC is always, everysec or no');
  }
  const redis = await startEmbeddedRedis({ dir, ...(fsync ? { appendfsync: fsync } : {}) });
  const ours = new BotApiEmulator();
  const echo = new BotApiEmulator();
  const floor = new BotApiEmulator();
  const children: ChildProcess[] = [];
  try {
    await seed(redis.url);
    const oursRoot = await ours.listen(0);
    const echoRoot = await echo.listen(0);
    const floorRoot = await floor.listen(0);
    addPeople(ours);
    addPeople(echo);
    addPeople(floor);
    const compiled = existsSync(path.join(ROOT, 'dist', 'src', 'main.js'));
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    };
    // BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles our bot (written at its exit).
    const startArgs = pkg.scripts.start.split(/\s+/).slice(1);
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
    const stallFile = process.env.BENCH_STALLS === '1' ? path.join(dir, 'stalls.txt') : undefined;
    if (stallFile) nodeArgs.push('--import', path.join(ROOT, 'bench', 'stallWatch.mjs'));
    const { child: ourBot, out: ourOut } = await spawnChild(
      // After `npm start`'s own node options, so a BENCH_NODE_ARGS option overrides one of those.
      [...startArgs.slice(0, -1), ...nodeArgs, ...startArgs.slice(-1)],
      {
        BOT_TOKEN: OURS,
        TELEGRAM_API_ROOT: oursRoot,
        REDIS_URL: redis.url,
        PORT: '0',
        QUIET_HOURS: 'off',
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        LOG_FORMAT: 'json',
        // The fake server enforces no flood limits here: this measures handling, not Telegram.
        SEND_BUDGET: '1000',
        // Summaries go out only when the bench asks (BENCH_SUMMARIES), not at a quarter hour
        // that happens to fall inside a run.
        SUMMARY_AT: summaries ? '00:00' : '23:59',
        BOT_START: compiled ? 'compiled' : 'source',
        ...(stallFile ? { STALL_FILE: stallFile } : {}),
      },
      'Bot running',
    );
    children.push(ourBot);
    // BENCH_BOT_OUT=file keeps what our bot printed (e.g. with BENCH_NODE_ARGS=--trace-gc).
    const keepOut = process.env.BENCH_BOT_OUT;
    if (keepOut) ourBot.stdout?.on('data', (d: Buffer) => appendFileSync(keepOut, d));
    const health = /Health: (http:\/\/\S+)\/healthz/.exec(ourOut())?.[1];
    if (!health) throw new Error('bench: our bot printed no health address');
    const { child: echoBot } = await spawnChild(
      ['--import', 'tsx', path.join('bench', 'echoBot.ts')],
      { BENCH_TOKEN: ECHO, BENCH_API_ROOT: echoRoot },
      'echo bot ready',
    );
    children.push(echoBot);
    // The durable floor: the echo bot plus one Redis write (an fsync) before each answer.
    const { child: floorBot } = await spawnChild(
      ['--import', 'tsx', path.join('bench', 'echoBot.ts')],
      { BENCH_TOKEN: FLOOR, BENCH_API_ROOT: floorRoot, BENCH_REDIS_URL: redis.url },
      'echo bot ready',
    );
    children.push(floorBot);
    await sleep(1_000);
    console.log(
      `updates bench: ${CHATS} chats (700 secretaries, 200 deputies, 100 leaders), ${seconds} s a rate, ours ${compiled ? 'compiled' : 'from source'}`,
    );
    const results: {
      ours: RateResult;
      echo: RateResult;
      /** The echo bot with one durable Redis write before each answer. */
      floor: RateResult;
      inside: Inside;
      idleCpuMsPerS: number;
      redis: { cpuMsPerUpdate: number; floorCpuMsPerUpdate: number; disk: DiskWaits; floorDisk: DiskWaits };
    }[] = [];
    // BENCH_ONLY=/help (or 'xin chào', or /tiendo) sends that one text from every chat: a
    // diagnostic of one kind's cost, not the issue's mix.
    const only = process.env.BENCH_ONLY;
    const textFor = (i: number, n: number) => {
      if (only) return only;
      const role = roleOf(i);
      if (role === 'leader') return '/tiendo';
      if (role === 'deputy') return '/help';
      return n % 2 === 0 ? '/help' : 'xin chào';
    };
    const oursSent = { sent: 0 };
    const echoSent = { sent: 0 };
    const floorSent = { sent: 0 };
    const echoText = (i: number, n: number) => `xin chào ${i} ${n}`;
    // Warm-up, not measured: two messages from every person (the first sets their menu; a
    // secretary's second is plain text), so every path the rates below take has been compiled.
    await drive(ours, ourBot.pid!, 200, (2 * CHATS) / 200, textFor, oursSent);
    await drive(echo, echoBot.pid!, 200, (2 * CHATS) / 200, echoText, echoSent);
    await drive(floor, floorBot.pid!, 200, (2 * CHATS) / 200, echoText, floorSent);
    // The first /metrics scrape starts what the gauges read (the outbox queue and its Redis
    // connection): a deployment's Prometheus did that long before any burst, so it is part of
    // the warm-up here, not of the first rate's first second.
    await scrape(health);
    // What our bot spends doing nothing (its workers and timers), counted in its figures below.
    const idleFrom = cpuMs(ourBot.pid!);
    await sleep(3_000);
    const idleCpuMsPerS = (cpuMs(ourBot.pid!) - idleFrom) / 3;
    console.log(`our bot idle: ${idleCpuMsPerS.toFixed(1)} ms CPU a second`);
    console.log(
      '| rate (updates/s) | p50 / p99 (ms) ours | p50 / p99 echo | p50 / p99 echo + durable write | p99 ours ÷ echo / ÷ echo + write | CPU ms per update ours / echo | answered ours / echo | RSS MB ours |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    const lines: string[] = [];
    const probe = new Redis(redis.url);
    let summaryRun = summaries ? startSummaryRun : undefined;
    for (const rate of rates) {
      // The bots take turns in slices of about a second (ours, echo, echo + write, ours, …), so
      // what the shared machine does meanwhile (another tenant, the disk) falls on all three
      // alike, and the ratios compare like with like.
      const slices = Math.max(1, Math.round(seconds / SLICE_SECONDS));
      const turn = seconds / slices + LEAD_IN_MS / 1000;
      const runs = { ours: [] as Slice[], echo: [] as Slice[], floor: [] as Slice[] };
      const oursRedis = new RedisWatch(probe);
      const floorRedis = new RedisWatch(probe);
      let summaryLine: Promise<string> | undefined;
      const before = await scrape(health);
      for (let k = 0; k < slices; k++) {
        summaryLine ??= summaryRun?.(redis.url);
        summaryRun = undefined;
        runs.ours.push(
          await oursRedis.during(() => drive(ours, ourBot.pid!, rate, turn, textFor, oursSent, LEAD_IN_MS)),
        );
        runs.echo.push(await drive(echo, echoBot.pid!, rate, turn, echoText, echoSent, LEAD_IN_MS));
        runs.floor.push(
          await floorRedis.during(() =>
            drive(floor, floorBot.pid!, rate, turn, echoText, floorSent, LEAD_IN_MS),
          ),
        );
      }
      const seen = inside(before, await scrape(health));
      if (summaryLine) lines.push(await summaryLine);
      const o = summarize(rate, ourBot.pid!, runs.ours);
      const e = summarize(rate, echoBot.pid!, runs.echo);
      const f = summarize(rate, floorBot.pid!, runs.floor);
      const redisCpuPerUpdate = oursRedis.cpuMs / o.answered;
      const floorRedisCpuPerUpdate = floorRedis.cpuMs / f.answered;
      const disk = oursRedis.disk();
      const floorDisk = floorRedis.disk();
      const commands = [...oursRedis.commands]
        .map(([c, n]) => [c, n / o.sent] as const)
        .filter(([, n]) => n >= 0.05)
        .sort((a, b) => b[1] - a[1])
        .map(([c, n]) => `${c} ${n.toFixed(2)}`)
        .join(', ');
      results.push({
        ours: o,
        echo: e,
        floor: f,
        inside: seen,
        idleCpuMsPerS,
        redis: {
          cpuMsPerUpdate: redisCpuPerUpdate,
          floorCpuMsPerUpdate: floorRedisCpuPerUpdate,
          disk,
          floorDisk,
        },
      });
      console.log(
        `| ${rate} | ${o.p50.toFixed(1)} / ${o.p99.toFixed(1)} | ${e.p50.toFixed(1)} / ${e.p99.toFixed(1)} | ` +
          `${f.p50.toFixed(1)} / ${f.p99.toFixed(1)} | ${(o.p99 / e.p99).toFixed(2)} / ${(o.p99 / f.p99).toFixed(2)} | ` +
          `${o.cpuMsPerUpdate.toFixed(2)} / ${e.cpuMsPerUpdate.toFixed(2)} | ${o.answered}/${o.sent} / ${e.answered}/${e.sent} | ${o.rssMb.toFixed(0)} |` +
          (o.reordered > 0 ? ` reordered ${o.reordered}` : ''),
      );
      const kinds = Object.entries(o.p99ByKind)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(', ');
      lines.push(
        `${rate}/s ours: p99 by kind (ms) ${kinds}; inside the bot (ms, interpolated in buckets): queueing p50/p99 ` +
          `${seen.queuedP50.toFixed(1)}/${seen.queuedP99.toFixed(1)}, handling p50/p99 ${seen.handledP50.toFixed(1)}/${seen.handledP99.toFixed(1)}, ` +
          `waited for a send slot ${(100 * seen.sendWaitShare).toFixed(0)}% (p99 of those waits ${seen.sendWaitP99.toFixed(1)}), ` +
          `event-loop lag p99/max ${seen.loopLagP99Ms.toFixed(1)}/${seen.loopLagMaxMs.toFixed(1)}, ` +
          `full GCs ${seen.majorGcs} (${seen.majorGcMs.toFixed(1)} ms in pauses); Bot API calls per update ${JSON.stringify(o.callsPerUpdate)}, ` +
          `echo ${JSON.stringify(e.callsPerUpdate)}; Redis round trips per update ${seen.roundTrips.toFixed(2)}, ` +
          `commands per update: ${commands}; Redis CPU ms per update ${redisCpuPerUpdate.toFixed(2)} ` +
          `(echo + durable write ${floorRedisCpuPerUpdate.toFixed(2)}), ` +
          `seconds in which Redis waited over 1 ms for an fsync ${disk.seconds} (the longest wait in ` +
          `each: median ${disk.medianMs} ms, worst ${disk.worstMs} ms); while the echo + durable write ran: ` +
          `${floorDisk.seconds} (median ${floorDisk.medianMs} ms, worst ${floorDisk.worstMs} ms)`,
      );
      if (stallFile) lines.push(stallLine(rate, stallFile, runs.ours));
    }
    probe.disconnect();
    for (const l of lines) console.log(l);
    // Degrading past capacity: each rate's handling p99 (queueing and send-slot waits apart)
    // against the first rate's, e.g. BENCH_RATES=<sustainable>,<twice that>.
    const [first, ...more] = results;
    if (first && more.length > 0)
      console.log(
        `handling p99 against ${first.ours.rate}/s (${first.inside.handledP99.toFixed(1)} ms): ` +
          more
            .map(
              (r) =>
                `${r.ours.rate}/s ${r.inside.handledP99.toFixed(1)} ms (${(r.inside.handledP99 / first.inside.handledP99).toFixed(2)}×, RSS ${r.ours.rssMb.toFixed(0)} MB, ${r.ours.sent - r.ours.answered} unanswered, ${r.ours.reordered} out of order)`,
            )
            .join('; '),
      );
    console.log(JSON.stringify(results));
  } finally {
    // Each bot is given time to stop on its own (a profile is written at exit).
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
            setTimeout(resolve, 12_000).unref();
          }),
      ),
    );
    await ours.close();
    await echo.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
