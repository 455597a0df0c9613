/**
 * Cold start and idle memory of the bot process (issue 16): `npm start`'s entry point in a child
 * process, with a real token shape, an external Redis (started here, already running, as in
 * production) and the emulator as Telegram. Measures the time from spawning the process to its
 * first `getUpdates` at the emulator, to its first answer (a person's /help waits at the emulator
 * before the bot starts: the time until the bot's `sendMessage` to them arrives), and the
 * process's RSS after 5 s idle.
 *
 * The bot process runs with the flags `npm start` gives node (the Dockerfile gives the same):
 * - `--max-semi-space-size=4` keeps V8's young generation at 4 MB a half instead of 16: about
 *   20 MB less resident memory at idle (105–107 MB against 123–130 with 16; 112–117 with 6 or
 *   8), while young collections stay rare enough under load (the updates bench at 300/s:
 *   1.64–1.69 ms CPU an update against 1.86–2.11 with 2).
 * - `--heap-growing-percent=200` lets the old generation grow to three times what a full
 *   collection left before the next, where V8's own rule allowed about a quarter more here: at
 *   300 updates/s a full collection came every 5 s, each holding up some 20 updates in hand for
 *   10–30 ms, enough on its own to set the p99 (`BENCH_DUMP` in the updates bench shows the
 *   clusters). With 100 (double) one came every 15 s; with 200, none in a 15 s run. Idle memory
 *   is no larger (a limit is not memory taken: idle RSS 94–104 MB against 104–113 without);
 *   under load the old generation may reach some 85 MB before it is collected.
 *
 * Runs each way `npm start` can run: compiled (`dist/`, when built and fresh) and from source
 * (tsx). Three cold starts each; prints the median and the last line is one JSON object.
 *
 *   npm run bench -- startup [--runs N] [--only compiled|source] [--vs DIR]
 *
 * `--vs DIR`: another checkout (built, with its node_modules) started the same way, A (this
 * one) and B (DIR) in turn, A B A B…, so both see the same machine; prints each pair's ratio A/B
 * and their median.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedRedis } from '../src/infra/embeddedRedis.js';
import { BotApiEmulator } from '../src/sandbox/emulator.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TOKEN = '123456789:BENCH-startup-token-for-the-emulator';
const IDLE_MS = 5_000;
/** The person whose /help waits for the bot. */
const ASKER = { id: 7_000_001, first_name: 'Người hỏi' };

interface Start {
  firstGetUpdatesMs: number;
  firstAnswerMs: number;
  idleRssMb: number;
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

async function once(mode: 'compiled' | 'source', redisUrl: string, root = ROOT): Promise<Start> {
  const emulator = new BotApiEmulator();
  emulator.addUser(ASKER);
  emulator.sendText(ASKER.id, '/help');
  // The emulator logs a call when it is answered, and the first getUpdates is a long poll: note
  // when its request arrives instead.
  let firstGetUpdatesAt: number | undefined;
  let firstAnswerAt: number | undefined;
  const server = http.createServer((req, res) => {
    const method = (req.url ?? '').split('?')[0]!.split('/').pop()!;
    if (firstGetUpdatesAt === undefined && /^getUpdates$/i.test(method))
      firstGetUpdatesAt = performance.now();
    if (firstAnswerAt === undefined && /^sendMessage$/i.test(method)) firstAnswerAt = performance.now();
    void emulator.handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  server.requestTimeout = 0;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // What `npm start` runs (its node flags included); BOT_START forces one way for the measurement.
  const child = spawn(process.execPath, startArgs(root), {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      REDIS_URL: redisUrl,
      PORT: '0',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      BOT_START: mode,
      ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d) => {
    out += d.toString();
  });
  const started = performance.now();
  try {
    const deadline = Date.now() + 60_000;
    while (firstGetUpdatesAt === undefined || firstAnswerAt === undefined) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`no getUpdates or no answer from the ${mode} bot; output:\n${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    const firstGetUpdatesMs = firstGetUpdatesAt - started;
    const firstAnswerMs = firstAnswerAt - started;
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idleRssMb = rssMb(child.pid!);
    return { firstGetUpdatesMs, firstAnswerMs, idleRssMb };
  } finally {
    await stop(child);
    await emulator.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(() => r(undefined)));
  }
}

/** The arguments `npm start` gives node (package.json `scripts.start`: `node <args…>`). */
function startArgs(root: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const [node, ...args] = pkg.scripts.start.split(/\s+/);
  if (node !== 'node') throw new Error(`npm start does not run node: ${pkg.scripts.start}`);
  return args;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const ms = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');

export default async function run(): Promise<void> {
  const runs = Number(option('--runs') ?? 3);
  const only = option('--only');
  const vs = option('--vs');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-bench-startup-'));
  const redis = await startEmbeddedRedis({ dir });
  const result: Record<string, unknown> = {};
  try {
    if (vs) {
      const other = path.resolve(vs);
      const mode = only === 'source' ? 'source' : 'compiled';
      const a: Start[] = [];
      const b: Start[] = [];
      for (let i = 0; i < runs; i++) {
        a.push(await once(mode, redis.url));
        b.push(await once(mode, redis.url, other));
      }
      for (const [name, pick] of [
        ['first getUpdates', (s: Start) => s.firstGetUpdatesMs],
        ['first answer', (s: Start) => s.firstAnswerMs],
        ['idle RSS', (s: Start) => s.idleRssMb],
      ] as const) {
        const ratios = a.map((x, k) => pick(x) / pick(b[k]!));
        console.log(
          `${mode} ${name}: A ${ms(a.map(pick))}; B ${ms(b.map(pick))}; A/B ${ratios.map((r) => r.toFixed(2)).join(', ')} ` +
            `(median ${median(ratios).toFixed(2)}, min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`,
        );
        result[name.replace(/ /g, '_')] = {
          a_median: Number(median(a.map(pick)).toFixed(1)),
          b_median: Number(median(b.map(pick)).toFixed(1)),
          ratio_median: Number(median(ratios).toFixed(3)),
        };
      }
      console.log(JSON.stringify({ a: ROOT, b: other, mode, runs, ...result }));
      return;
    }
    const built = existsSync(path.join(ROOT, 'dist', 'src', 'main.js'));
    const modes = (['compiled', 'source'] as const).filter(
      (m) => (only === undefined || only === m) && (m === 'source' || built),
    );
    if (!built) console.log('dist/ is not built (npm run build): measuring the start from source only');
    for (const mode of modes) {
      const starts: Start[] = [];
      for (let i = 0; i < runs; i++) starts.push(await once(mode, redis.url));
      const first = starts.map((r) => r.firstGetUpdatesMs);
      const answer = starts.map((r) => r.firstAnswerMs);
      const rss = starts.map((r) => r.idleRssMb);
      console.log(
        `${mode}: cold start to first getUpdates ${ms(first)} ms (median ${median(first).toFixed(0)} ms); ` +
          `to the first answer ${ms(answer)} ms (median ${median(answer).toFixed(0)} ms); ` +
          `idle RSS ${rss.map((r) => r.toFixed(1)).join(', ')} MB (median ${median(rss).toFixed(1)} MB)`,
      );
      result[mode] = {
        first_get_updates_ms: Math.round(median(first)),
        first_answer_ms: Math.round(median(answer)),
        idle_rss_mb: Number(median(rss).toFixed(1)),
      };
    }
    console.log(JSON.stringify(result));
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
