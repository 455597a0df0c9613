/**
 * Cold start and idle memory of the bot process (issue 16): `npm start`'s entry point in a child
 * process, with a real token shape, an external Redis (started here, already running, as in
 * production) and the emulator as Telegram. Measures the time from spawning the process to its
 * first `getUpdates` at the emulator, and the process's RSS after 5 s idle.
 *
 * The bot process runs with the flags `npm start` gives node: `--max-semi-space-size=2` keeps
 * V8's young generation at 2 MB a half instead of 16, about 14 MB less resident memory for a
 * process whose updates allocate little (the updates bench shows the CPU it costs).
 *
 * Runs each way `npm start` can run: compiled (`dist/`, when built and fresh) and from source
 * (tsx). Three cold starts each; prints the median and the last line is one JSON object.
 *
 *   npm run bench -- startup
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
const RUNS = 3;
const IDLE_MS = 5_000;

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

async function once(
  mode: 'compiled' | 'source',
  redisUrl: string,
): Promise<{ firstGetUpdatesMs: number; idleRssMb: number }> {
  const emulator = new BotApiEmulator();
  // The emulator logs a call when it is answered, and the first getUpdates is a long poll: note
  // when its request arrives instead.
  let firstGetUpdatesAt: number | undefined;
  const server = http.createServer((req, res) => {
    if (firstGetUpdatesAt === undefined && /\/getUpdates$/i.test((req.url ?? '').split('?')[0]!))
      firstGetUpdatesAt = performance.now();
    void emulator.handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  server.requestTimeout = 0;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // What `npm start` runs (its node flags included); BOT_START forces one way for the measurement.
  const child = spawn(process.execPath, startArgs(), {
    cwd: ROOT,
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
    while (firstGetUpdatesAt === undefined) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`no getUpdates from the ${mode} bot; output:\n${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    const firstGetUpdatesMs = firstGetUpdatesAt - started;
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idleRssMb = rssMb(child.pid!);
    return { firstGetUpdatesMs, idleRssMb };
  } finally {
    await stop(child);
    await emulator.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(() => r(undefined)));
  }
}

/** The arguments `npm start` gives node (package.json `scripts.start`: `node <args…>`). */
function startArgs(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const [node, ...args] = pkg.scripts.start.split(/\s+/);
  if (node !== 'node') throw new Error(`npm start does not run node: ${pkg.scripts.start}`);
  return args;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-bench-startup-'));
  const redis = await startEmbeddedRedis({ dir });
  const result: Record<string, unknown> = {};
  try {
    const modes: ('compiled' | 'source')[] = existsSync(path.join(ROOT, 'dist', 'src', 'main.js'))
      ? ['compiled', 'source']
      : ['source'];
    if (!modes.includes('compiled'))
      console.log('dist/ is not built (npm run build): measuring the start from source only');
    for (const mode of modes) {
      const runs: { firstGetUpdatesMs: number; idleRssMb: number }[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await once(mode, redis.url));
      const start = median(runs.map((r) => r.firstGetUpdatesMs));
      const rss = median(runs.map((r) => r.idleRssMb));
      console.log(
        `${mode}: cold start to first getUpdates ${runs.map((r) => r.firstGetUpdatesMs.toFixed(0)).join(', ')} ms ` +
          `(median ${start.toFixed(0)} ms); idle RSS ${runs.map((r) => r.idleRssMb.toFixed(1)).join(', ')} MB (median ${rss.toFixed(1)} MB)`,
      );
      result[mode] = { first_get_updates_ms: Math.round(start), idle_rss_mb: Number(rss.toFixed(1)) };
    }
    console.log(JSON.stringify(result));
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
