/**
 * The foundation as a user and an operator see it: the bot answers through the emulator, in
 * polling and webhook mode; it survives a Redis restart, SIGKILL mid-batch and stops cleanly
 * on SIGTERM.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedRedis, freePort, startEmbeddedRedis } from '../../src/infra/embeddedRedis.js';
import { msg } from '../../src/messages/index.js';
import { BotApiEmulator } from '../../src/sandbox/emulator.js';
import { spawnBot, startTestBot, TEST_TOKEN, type TestBot } from '../support/app.js';
import { freshRedisUrl } from '../support/redis.js';

const USER = { id: 5001, first_name: 'Lan' };

describe('long polling', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
    bot.emulator.addUser(USER);
  });
  afterAll(() => bot.stop());

  it('answers a person through the Bot API', async () => {
    bot.emulator.sendText(USER.id, 'xin chào');
    const reply = await bot.emulator.waitForBotMessage(USER.id);
    expect(reply.text).toBe(msg.common.notUnderstood);
  });

  it('serves a health check that reflects Redis', async () => {
    const res = await fetch(`${bot.app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', redis: 'up' });
  });

  it('publishes the default command menu', async () => {
    await expect
      .poll(() => bot.emulator.callLog().some((c) => c.method === 'setMyCommands' && c.status === 200))
      .toBe(true);
  });
});

describe('error boundary', () => {
  let bot: TestBot;
  const logLines: string[] = [];
  const logTo = new Writable({
    write(chunk, _enc, done) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  beforeAll(async () => {
    bot = await startTestBot({ env: { LOG_LEVEL: 'error' }, logTo });
    bot.emulator.addUser(USER);
    bot.emulator.addUser({ id: 5002, first_name: 'Hà' });
  });
  afterAll(() => bot.stop());

  it('answers a failing handler with an apology and a reference that is in the log, and keeps running', async () => {
    // A damaged record (a roles set stored as a string) makes Redis refuse the handler's read.
    await bot.app.services.redis.set(`cb:person:${USER.id}:roles`, 'hỏng');
    bot.emulator.sendText(USER.id, '/help');
    const apology = await bot.emulator.waitForBotMessage(USER.id);
    const ref = /Mã tham chiếu: ([A-Z0-9]{8})\./.exec(apology.text ?? '')?.[1];
    expect(ref).toBeDefined();
    expect(apology.text).toBe(msg.common.apology(ref!));
    const logged = logLines.map((l) => JSON.parse(l)).find((e) => e.ref === ref);
    expect(logged).toMatchObject({ msg: 'handler failed', ref });
    expect(JSON.stringify(logged.err)).toContain('WRONGTYPE');

    // Other people are served as usual, and so is this one once the record is repaired.
    bot.emulator.sendText(5002, 'xin chào');
    expect((await bot.emulator.waitForBotMessage(5002)).text).toBe(msg.common.notUnderstood);
    await bot.app.services.redis.del(`cb:person:${USER.id}:roles`);
    bot.emulator.sendText(USER.id, '/help');
    const help = await bot.emulator.waitForBotMessage(USER.id, (m) => m.message_id > apology.message_id);
    expect(help.text).toBe(msg.units.startNoCode);
  });
});

describe('webhook mode', () => {
  let bot: TestBot;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    bot = await startTestBot({
      env: { PORT: String(port), WEBHOOK_URL: `http://127.0.0.1:${port}/telegram` },
    });
    bot.emulator.addUser(USER);
  });
  afterAll(() => bot.stop());

  it('receives updates by webhook and answers', async () => {
    await expect
      .poll(() => bot.emulator.callLog().some((c) => c.method === 'setWebhook' && c.status === 200))
      .toBe(true);
    bot.emulator.sendText(USER.id, 'chào bot');
    const reply = await bot.emulator.waitForBotMessage(USER.id);
    expect(reply.text).toBe(msg.common.notUnderstood);
    expect(bot.emulator.callLog().some((c) => c.method === 'getUpdates')).toBe(false);
  });

  it('refuses a post without the secret token', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        update_id: 1,
        message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text: 'x' },
      }),
    });
    expect(res.status).toBe(401);
  });
});

describe('Redis restart', () => {
  let redis: EmbeddedRedis;
  let dir: string;
  let bot: TestBot;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-restart-'));
    redis = await startEmbeddedRedis({ dir, appendfsync: 'always' });
    bot = await startTestBot({ env: { REDIS_URL: redis.url } });
    bot.emulator.addUser(USER);
  });
  afterAll(async () => {
    await bot.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reconnects and answers the message sent while Redis was down', async () => {
    bot.emulator.sendText(USER.id, 'trước');
    await bot.emulator.waitForBotMessage(USER.id);
    const before = bot.emulator.botMessages(USER.id).length;

    await redis.stop();
    bot.emulator.sendText(USER.id, 'trong lúc Redis dừng');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(bot.emulator.botMessages(USER.id)).toHaveLength(before);

    redis = await startEmbeddedRedis({ dir, appendfsync: 'always', port: redis.port });
    const reply = await bot.emulator.waitForBotMessage(USER.id, undefined, { timeoutMs: 15_000 });
    expect(reply.text).toBe(msg.common.notUnderstood);
    expect(bot.emulator.botMessages(USER.id)).toHaveLength(before + 1);
  });
});

describe('the process', () => {
  it('refuses invalid configuration with one message naming each variable, and no stack trace', async () => {
    const p = spawnBot({ PORT: 'abc', ADMIN_IDS: 'x', TIMEZONE: 'Nowhere/Land' });
    const { code } = await p.exited;
    expect(code).toBe(1);
    const out = p.output();
    expect(out).toContain('Invalid configuration');
    for (const name of ['PORT', 'ADMIN_IDS', 'TIMEZONE']) expect(out).toContain(name);
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('runs the sandbox with an embedded Redis and stops everything on SIGTERM within seconds', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'chibo-sandbox-'));
    try {
      const p = spawnBot({ PORT: '0', DATA_DIR: dataDir });
      const out = await p.waitForOutput(/Sandbox: open (http:\/\/[\d.:]+)\//, 30_000);
      const url = /Sandbox: open (http:\/\/[\d.:]+)\//.exec(out)?.[1];
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      const redisPid = Number(readFileSync(path.join(dataDir, 'redis', 'redis.pid'), 'utf8'));
      expect(isAlive(redisPid)).toBe(true);

      const t0 = Date.now();
      p.child.kill('SIGTERM');
      const { code } = await p.exited;
      expect(code).toBe(0);
      expect(Date.now() - t0).toBeLessThan(5_000);
      await expect.poll(() => isAlive(redisPid), { timeout: 3_000 }).toBe(false);
      expect(existsSync(path.join(dataDir, 'redis', 'appendonlydir'))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  /**
   * Starts the bot in a process group of its own (as a terminal does), signals the group as
   * Ctrl-C does once the output matches `at`, and waits for the exit.
   */
  async function ctrlCAt(at: RegExp, env: Record<string, string> = {}) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'chibo-ctrl-c-at-'));
    try {
      const p = spawnBot({ PORT: '0', DATA_DIR: dataDir, ...env }, { ownGroup: true });
      await p.waitForOutput(at, 30_000);
      const redisPid = Number(readFileSync(path.join(dataDir, 'redis', 'redis.pid'), 'utf8'));
      const redisUpBefore = isAlive(redisPid);
      process.kill(-p.child.pid!, 'SIGINT');
      const { code } = await p.exited;
      return { code, output: p.output(), redisUpBefore, redisUpAfter: isAlive(redisPid) };
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  it('stops on Ctrl-C while still starting, its embedded Redis too', async () => {
    // Redis is up, the rest (the demo ward, the pollers, the workers) is still starting.
    const stop = await ctrlCAt(/embedded Redis listening/);
    expect(stop.redisUpBefore).toBe(true);
    expect(stop.code).toBe(0);
    expect(stop.redisUpAfter).toBe(false);
    expect(stop.output).toContain('shutdown complete');
    expect(stop.output).not.toContain('Sandbox: open');
  });

  it('stops on Ctrl-C just as polling begins, while the workers still load', async () => {
    // Uncached, as on a fresh clone: the workers' modules are still being compiled, and the
    // group's signal also stops tsx's compiler, so a module still loading may fail.
    const stop = await ctrlCAt(/"long polling"/, { TSX_DISABLE_CACHE: '1' });
    expect(stop.code).toBe(0);
    expect(stop.redisUpAfter).toBe(false);
    expect(stop.output).toContain('shutdown complete');
    expect(stop.output).not.toContain('Failed to start');
    expect(stop.output).not.toContain('update not handled');
  });

  it('stops on Ctrl-C to its process group: exit 0 within 3 s, one line per part, Redis last', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'chibo-ctrl-c-'));
    try {
      // As a terminal runs it: the bot leads its own process group, and Ctrl-C signals the group.
      const p = spawnBot({ PORT: '0', DATA_DIR: dataDir }, { ownGroup: true });
      await p.waitForOutput(/demo ward loaded[\s\S]*Sandbox: open/, 30_000);
      const botPid = p.child.pid!;
      const redisPid = Number(readFileSync(path.join(dataDir, 'redis', 'redis.pid'), 'utf8'));
      // The embedded Redis sits in a group of its own, so the group's signal does not reach it.
      expect(processGroup(redisPid)).not.toBe(processGroup(botPid));
      expect(processGroup(botPid)).toBe(botPid);

      const t0 = Date.now();
      process.kill(-botPid, 'SIGINT');
      const { code } = await p.exited;
      const took = Date.now() - t0;
      expect(code).toBe(0);
      expect(took).toBeLessThan(3_000);
      expect(isAlive(redisPid)).toBe(false);

      const log = p
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg: string; part?: string; signal?: string });
      const from = log.findIndex((l) => l.msg === 'shutting down');
      expect(log[from]?.signal).toBe('SIGINT');
      const shutdown = log.slice(from + 1);
      expect(shutdown.map((l) => (l.msg === 'stopped' ? l.part : l.msg))).toEqual([
        'poller',
        'zalo poller',
        'jobs',
        'zalo outbox worker',
        'outbox worker',
        'background retries',
        'heartbeat',
        'zalo outbox queue',
        'telegram connections',
        'http',
        'metrics and queue page',
        'zalo emulator',
        'emulator',
        'outbox queue',
        'redis',
        'shutdown complete',
      ]);
      expect(p.output()).not.toContain('ECONNREFUSED');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('crash safety', () => {
  it('handles no update twice and loses none when killed with SIGKILL mid-batch', async () => {
    const emulator = new BotApiEmulator();
    const apiRoot = await emulator.listen(0);
    const redisUrl = await freshRedisUrl();
    const env = {
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      REDIS_URL: redisUrl,
      PORT: '0',
      LOG_LEVEL: 'warn',
    };
    const users = Array.from({ length: 40 }, (_, i) => ({ id: 9000 + i, first_name: `Đồng chí ${i}` }));
    for (const u of users) emulator.addUser(u);
    const perUser = 3;
    const redis = new Redis(redisUrl);
    try {
      const first = spawnBot(env);
      for (let round = 0; round < perUser; round++)
        for (const u of users) emulator.sendText(u.id, `tin ${round}`);
      // Slow every answer down so that many updates are mid-way when the bot is killed.
      for (const u of users) emulator.faults.hangNext(u.id, perUser, 400);
      await expect
        .poll(() => emulator.stats.sent, { timeout: 20_000, interval: 20 })
        .toBeGreaterThanOrEqual(10);
      first.child.kill('SIGKILL');
      await first.exited;

      const updateKeys = await redis.keys('cb:upd:*');
      const values = updateKeys.length ? await redis.mget(updateKeys) : [];
      const inFlight = values.filter((v) => v !== null && v !== 'done').length;
      const sentBeforeRestart = emulator.stats.sent;
      expect(sentBeforeRestart).toBeLessThan(users.length * perUser);

      const second = spawnBot(env);
      const allDone = async () => {
        const keys = await redis.keys('cb:upd:*');
        const states = keys.length ? await redis.mget(keys) : [];
        return states.length === users.length * perUser && states.every((v) => v === 'done');
      };
      await expect.poll(allDone, { timeout: 40_000, interval: 100 }).toBe(true);
      second.child.kill('SIGTERM');
      await second.exited;

      // None lost: every message was answered. The only repeats are updates that were mid-way at
      // the kill, whose answer Telegram may have taken before the bot could record it.
      for (const u of users) expect(emulator.botMessages(u.id).length).toBeGreaterThanOrEqual(perUser);
      const total = users.reduce((n, u) => n + emulator.botMessages(u.id).length, 0);
      const duplicates = total - users.length * perUser;
      expect(duplicates).toBeLessThanOrEqual(inFlight);
    } finally {
      await redis.quit();
      await emulator.close();
    }
  }, 90_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The process group a process belongs to (Linux: field 5 of /proc/<pid>/stat). */
function processGroup(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}
