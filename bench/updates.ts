/**
 * Updates per second (issue 16): an open-loop stream over 1,000 chats (700 secretaries, 200
 * deputies, 100 leaders of the ward, with their roles), at each rate in turn, to our bot and to a
 * bare telegraf echo bot on the same kind of fake Bot API server, in one run. Each bot runs in a
 * child process (ours as `npm start` runs it: compiled when `dist/` is fresh), so its CPU time
 * is its own.
 *
 *   npm run bench -- updates                      rates 100, 300, 490, 530; 10 s each
 *   BENCH_RATES=100,300 BENCH_SECONDS=20 npm run bench -- updates
 *
 * A secretary alternates /help and plain text, a deputy sends /help, a leader /tiendo. Latency
 * is from the update entering the fake server to the bot's answer reaching it; CPU ms per update
 * is the bot process's user+system time over the updates answered. Nothing may be lost: every
 * update must be answered, and a chat's answers come in the order of its updates.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../src/config.js';
import { startEmbeddedRedis } from '../src/infra/embeddedRedis.js';
import { createLogger } from '../src/logger.js';
import { BotApiEmulator } from '../src/sandbox/emulator.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const OURS = '123456789:BENCH-updates-token-for-our-bot';
const ECHO = '223456789:BENCH-updates-token-for-the-echo';
const CHATS = 1_000;
const FIRST = 30_000_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

function spawnChild(args: string[], env: Record<string, string>, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes(ready)) resolve(child);
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
}

/** Drives one bot at one rate for `seconds`; answers are matched per chat, in order. */
async function drive(
  emulator: BotApiEmulator,
  pid: number,
  rate: number,
  seconds: number,
  textFor: (i: number, n: number) => string,
): Promise<RateResult> {
  emulator.reset();
  const pushedAt = new Map<number, number[]>();
  const cpuBefore = cpuMs(pid);
  const start = performance.now();
  const total = Math.round(rate * seconds);
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    for (; sent < due; sent++) {
      const i = sent % CHATS;
      const id = FIRST + i;
      emulator.sendText(id, textFor(i, Math.floor(sent / CHATS)));
      const list = pushedAt.get(id) ?? [];
      list.push(Date.now());
      pushedAt.set(id, list);
    }
    await sleep(2);
  }
  // Everything answered (or 30 s more at most).
  const deadline = Date.now() + 30_000;
  const answeredAll = () => [...pushedAt].every(([id, l]) => emulator.botMessages(id).length >= l.length);
  while (!answeredAll() && Date.now() < deadline) await sleep(50);
  const cpu = cpuMs(pid) - cpuBefore;
  const latencies: number[] = [];
  let answered = 0;
  let reordered = 0;
  const sends = emulator.callLog().filter((c) => c.method === 'sendMessage' && c.status === 200);
  const byChat = new Map<number, number[]>();
  for (const c of sends) {
    const id = Number(c.params.chat_id);
    byChat.set(id, [...(byChat.get(id) ?? []), c.at]);
  }
  for (const [id, pushed] of pushedAt) {
    const replies = byChat.get(id) ?? [];
    pushed.forEach((t, k) => {
      const r = replies[k];
      if (r === undefined) return;
      answered++;
      latencies.push(r - t);
      if (k > 0 && r < replies[k - 1]!) reordered++;
    });
  }
  return {
    rate,
    sent,
    answered,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuMsPerUpdate: cpu / Math.max(1, answered),
    rssMb: rssMb(pid),
    reordered,
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
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-bench-updates-'));
  const redis = await startEmbeddedRedis({ dir });
  const ours = new BotApiEmulator();
  const echo = new BotApiEmulator();
  const children: ChildProcess[] = [];
  try {
    await seed(redis.url);
    const oursRoot = await ours.listen(0);
    const echoRoot = await echo.listen(0);
    addPeople(ours);
    addPeople(echo);
    const compiled = existsSync(path.join(ROOT, 'dist', 'src', 'main.js'));
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    };
    const ourBot = await spawnChild(
      pkg.scripts.start.split(/\s+/).slice(1),
      {
        BOT_TOKEN: OURS,
        TELEGRAM_API_ROOT: oursRoot,
        REDIS_URL: redis.url,
        PORT: '0',
        QUIET_HOURS: 'off',
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
        // The fake server enforces no flood limits here: this measures handling, not Telegram.
        SEND_BUDGET: '1000',
        BOT_START: compiled ? 'compiled' : 'source',
      },
      'Bot running',
    );
    children.push(ourBot);
    const echoBot = await spawnChild(
      ['--import', 'tsx', path.join('bench', 'echoBot.ts')],
      { BENCH_TOKEN: ECHO, BENCH_API_ROOT: echoRoot },
      'echo bot ready',
    );
    children.push(echoBot);
    await sleep(1_000);
    console.log(
      `updates bench: ${CHATS} chats (700 secretaries, 200 deputies, 100 leaders), ${seconds} s a rate, ours ${compiled ? 'compiled' : 'from source'}`,
    );
    console.log(
      '| rate (updates/s) | p50 / p99 (ms) ours | p50 / p99 echo | CPU ms per update ours / echo | answered ours / echo | RSS MB ours |',
    );
    console.log('|---|---|---|---|---|---|');
    const results: { ours: RateResult; echo: RateResult }[] = [];
    const textFor = (i: number, n: number) => {
      const role = roleOf(i);
      if (role === 'leader') return '/tiendo';
      if (role === 'deputy') return '/help';
      return n % 2 === 0 ? '/help' : 'xin chào';
    };
    // Warm-up, not measured: every person's first message (their menu is set then) and the JIT.
    await drive(ours, ourBot.pid!, 200, CHATS / 200, textFor);
    await drive(echo, echoBot.pid!, 200, CHATS / 200, (i, n) => `xin chào ${i} ${n}`);
    for (const rate of rates) {
      const o = await drive(ours, ourBot.pid!, rate, seconds, textFor);
      const e = await drive(echo, echoBot.pid!, rate, seconds, (i, n) => `xin chào ${i} ${n}`);
      results.push({ ours: o, echo: e });
      console.log(
        `| ${rate} | ${o.p50.toFixed(1)} / ${o.p99.toFixed(1)} | ${e.p50.toFixed(1)} / ${e.p99.toFixed(1)} | ` +
          `${o.cpuMsPerUpdate.toFixed(2)} / ${e.cpuMsPerUpdate.toFixed(2)} | ${o.answered}/${o.sent} / ${e.answered}/${e.sent} | ${o.rssMb.toFixed(0)} |` +
          (o.reordered > 0 ? ` reordered ${o.reordered}` : ''),
      );
    }
    console.log(JSON.stringify(results));
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await sleep(500);
    await ours.close();
    await echo.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
