/**
 * Runs the real bot against the Bot API emulator over HTTP: in-process for most end-to-end
 * tests, or as a child process (`npm start`'s entry point) for crash and shutdown tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { type RunningApp, startApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { validateUnitsCsv } from '../../src/domain/unitsCsv.js';
import type { Clock, ManualClock } from '../../src/infra/clock.js';
import { createLogger } from '../../src/logger.js';
import { BotApiEmulator, type EmulatorOptions } from '../../src/sandbox/emulator.js';
import { ZaloEmulator } from '../../src/sandbox/zaloEmulator.js';
import { UnitStore } from '../../src/store/units.js';
import { freshRedisUrl } from './redis.js';

export const TEST_TOKEN = '123456789:TEST-token-for-the-emulator-only';
export const TEST_ZALO_TOKEN = '987654321:TEST-zalo-token-for-the-emulator';
export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface TestBot {
  app: RunningApp;
  emulator: BotApiEmulator;
  /** The emulator's Zalo side, when the test asked for the Zalo channel. */
  zalo: ZaloEmulator | undefined;
  clock: Clock;
  stop(): Promise<void>;
}

/** The real app, in this process, against a fresh emulator and this test file's Redis database. */
export async function startTestBot(
  opts: {
    env?: Record<string, string>;
    emulator?: EmulatorOptions;
    clock?: ManualClock;
    /** Where the bot's pino log goes (one JSON object per line); default stderr. */
    logTo?: NodeJS.WritableStream;
    /** Also run the Zalo channel against a Zalo emulator: long polling, or a webhook at `/zalo-hook`. */
    zalo?: { webhookSecret?: string };
  } = {},
): Promise<TestBot> {
  const emulator = new BotApiEmulator(opts.emulator);
  const apiRoot = await emulator.listen(0);
  const zalo = opts.zalo ? new ZaloEmulator() : undefined;
  const zaloEnv: Record<string, string> = {};
  if (zalo && opts.zalo) {
    zaloEnv.ZALO_BOT_TOKEN = TEST_ZALO_TOKEN;
    zaloEnv.ZALO_API_ROOT = await zalo.listen(0);
    if (opts.zalo.webhookSecret) {
      const port = await freePort();
      zaloEnv.PORT = String(port);
      zaloEnv.ZALO_WEBHOOK_URL = `http://127.0.0.1:${port}/zalo-hook`;
      zaloEnv.ZALO_WEBHOOK_SECRET = opts.zalo.webhookSecret;
    }
  }
  const config = parseConfig({
    BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: apiRoot,
    REDIS_URL: await freshRedisUrl(),
    PORT: '0',
    QUIET_HOURS: 'off',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...zaloEnv,
    // The emulator enforces no flood limits unless a test asks: neither does the send budget.
    SEND_BUDGET: '1000',
    ...opts.env,
  });
  const clock = opts.clock ?? { now: () => Date.now() };
  const app = await startApp(config, {
    log: createLogger(config.logLevel, opts.logTo ?? process.stderr),
    emulator,
    ...(zalo ? { zaloEmulator: zalo } : {}),
    clock,
    roundTripsEvery: 1,
  });
  return {
    app,
    emulator,
    zalo,
    clock,
    stop: async () => {
      await app.stop();
      await emulator.close();
      await zalo?.close();
    },
  };
}

/** A port free a moment ago (for a webhook URL that must be known before the app listens). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface BotProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves when the output contains `text`. */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `src/main.ts` in a child process, as `npm start` runs it. `ownGroup` puts it in a process
 * group of its own, as a terminal does, so a test can signal the group as Ctrl-C does.
 */
export function spawnBot(env: Record<string, string>, opts: { ownGroup?: boolean } = {}): BotProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.ownGroup ?? false,
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d) => {
    out += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    exited,
    waitForOutput: (text, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const matches = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
        if (matches()) return resolve(out);
        const timer = setTimeout(() => {
          clearInterval(poll);
          reject(new Error(`timed out waiting for ${String(text)}; output so far:\n${out.slice(-3000)}`));
        }, timeoutMs);
        const poll = setInterval(() => {
          if (matches()) {
            clearInterval(poll);
            clearTimeout(timer);
            resolve(out);
          }
        }, 50);
      }),
  };
}

/** The inline buttons under a message, flattened: what a person can press. */
export function inlineButtons(
  m: { reply_markup?: unknown } | undefined,
): { text: string; callback_data: string }[] {
  const markup = m?.reply_markup as
    | { inline_keyboard?: { text: string; callback_data?: string }[][] }
    | undefined;
  return (markup?.inline_keyboard ?? [])
    .flat()
    .filter((b): b is { text: string; callback_data: string } => typeof b.callback_data === 'string');
}

/** Imports a unit CSV straight into a Redis, before a bot process starts on it. */
export async function seedUnits(redis: Redis, csv: string): Promise<void> {
  const checked = validateUnitsCsv(csv, new Map());
  if (!checked.ok) throw new Error(`test units invalid: ${JSON.stringify(checked)}`);
  const imported = await new UnitStore(redis).importUnits(checked.units, 'test', Date.now());
  if (!imported.ok) throw new Error('test units not imported');
}

/**
 * The bot run as child processes, one after another, on one emulator and one fresh Redis (crash
 * tests): `open` in beforeAll, then `start` each process, and `close` in afterAll.
 */
export class ChildBots {
  emulator!: BotApiEmulator;
  redis!: Redis;
  env: Record<string, string> = {};
  private readonly running: BotProcess[] = [];

  async open(): Promise<this> {
    this.emulator = new BotApiEmulator();
    const apiRoot = await this.emulator.listen(0);
    const redisUrl = await freshRedisUrl();
    this.redis = new Redis(redisUrl);
    this.env = {
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      REDIS_URL: redisUrl,
      PORT: '0',
      QUIET_HOURS: 'off',
    };
    return this;
  }

  start(extra: Record<string, string> = {}): BotProcess {
    const bot = spawnBot({ ...this.env, ...extra });
    this.running.push(bot);
    return bot;
  }

  async close(): Promise<void> {
    for (const p of this.running)
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await this.redis?.quit();
    await this.emulator?.close();
  }
}
