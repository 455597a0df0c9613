/**
 * Several processes (issue 16): two bot processes in webhook mode behind a round-robin "load
 * balancer" (this test, posting as Telegram does) and one worker process, all on one Redis.
 * 2,000 updates over 100 chats: each is handled exactly once, the updates of a chat never side by
 * side, and in order within the chat.
 *
 * The driver behaves like Telegram's webhook sender: a chat's next update goes once the last was
 * answered, up to 40 connections at once over all chats. On top of that, every tenth update is
 * also posted to the other instance at the same moment (a redelivery racing the original), and a
 * few chats get their updates in bursts without waiting for answers (handled once each and one
 * at a time, in the order they reach Redis).
 */

import type { Update } from '@telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/infra/embeddedRedis.js';
import { BotApiEmulator } from '../../src/sandbox/emulator.js';
import { defaultWebhookSecret } from '../../src/telegram/webhook.js';
import { type BotProcess, spawnBot, TEST_TOKEN } from '../support/app.js';
import { freshRedisUrl } from '../support/redis.js';

const CHATS = 100;
const PER_CHAT = 20;
const BURST_CHATS = 10;
const FIRST_USER = 7_100_000;
const CONNECTIONS = 40;

let emulator: BotApiEmulator;
let apiRoot: string;
const bots: { proc: BotProcess; port: number }[] = [];
let worker: BotProcess;

interface Handled {
  update_id: number;
  chat: string;
  startedAt: number;
  ms: number;
  outcome: string;
  instance: number;
}

beforeAll(async () => {
  emulator = new BotApiEmulator();
  apiRoot = await emulator.listen(0);
  const redisUrl = await freshRedisUrl();
  const common = {
    BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: apiRoot,
    REDIS_URL: redisUrl,
    QUIET_HOURS: 'off',
    LOG_FORMAT: 'json',
    // This emulator enforces no flood limits: neither does the send budget.
    SEND_BUDGET: '1000',
  };
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const proc = spawnBot({
      ...common,
      ROLE: 'bot',
      PORT: String(port),
      LOG_LEVEL: 'debug',
      WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`,
    });
    bots.push({ proc, port });
  }
  const workerPort = await freePort();
  worker = spawnBot({ ...common, ROLE: 'worker', PORT: String(workerPort), LOG_LEVEL: 'info' });
  await Promise.all([
    ...bots.map((b) => b.proc.waitForOutput('Bot running', 40_000)),
    worker.waitForOutput('Bot running', 40_000),
  ]);
  // Both instances set their webhook; this test is Telegram's sender from here on.
  const deadline = Date.now() + 20_000;
  while (emulator.callLog().filter((c) => c.method === 'setWebhook' && c.status === 200).length < 2) {
    if (Date.now() > deadline) throw new Error('the bots did not set their webhooks');
    await new Promise((r) => setTimeout(r, 50));
  }
  await fetch(`${apiRoot}/bot${TEST_TOKEN}/deleteWebhook`, { method: 'POST' });
  for (let c = 0; c < CHATS; c++) emulator.addUser({ id: FIRST_USER + c, first_name: `Đảng viên ${c + 1}` });
}, 90_000);

afterAll(async () => {
  for (const p of [...bots.map((b) => b.proc), worker]) {
    if (p && p.child.exitCode === null) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  }
  await emulator?.close();
});

const secret = defaultWebhookSecret(TEST_TOKEN);

async function post(instance: number, u: Update): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${bots[instance]!.port}/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(u),
  });
  await res.arrayBuffer();
  return res.status;
}

/** A counting semaphore: at most `n` posts in flight, like Telegram's max_connections. */
function limiter(n: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

function handledLines(): Handled[] {
  const out: Handled[] = [];
  bots.forEach((b, instance) => {
    for (const line of b.proc.output().split('\n')) {
      if (!line.includes('"update handled"')) continue;
      const entry = JSON.parse(line) as Omit<Handled, 'instance'>;
      out.push({ ...entry, instance });
    }
  });
  return out;
}

describe('two bot instances behind a load balancer, one worker', () => {
  it('the worker answers no updates', async () => {
    expect(worker.output()).toContain('worker only');
    expect(bots.every((b) => !b.proc.output().includes('worker only'))).toBe(true);
  });

  it('handles 2,000 updates exactly once, one at a time per chat, in order per chat', async () => {
    const byChat = new Map<number, Update[]>();
    // Updates are made in a round-robin over the chats, so ids interleave as in real traffic.
    for (let i = 0; i < PER_CHAT; i++) {
      for (let c = 0; c < CHATS; c++) {
        const user = FIRST_USER + c;
        const u = emulator.sendText(user, i % 2 === 0 ? '/help' : 'xin chào');
        byChat.set(user, [...(byChat.get(user) ?? []), u]);
      }
    }
    const slot = limiter(CONNECTIONS);
    let next = 0;
    const statuses: number[] = [];
    const started = Date.now();
    await Promise.all(
      [...byChat.entries()].map(async ([user, updates], c) => {
        if (c < BURST_CHATS) {
          // A burst: the chat's updates all at once, spread over both instances.
          await Promise.all(updates.map((u, i) => slot(() => post(i % 2, u)).then((s) => statuses.push(s))));
          return;
        }
        for (const [i, u] of updates.entries()) {
          const instance = next++ % 2;
          const posts = [slot(() => post(instance, u))];
          if (i % 10 === 3) posts.push(slot(() => post(1 - instance, u)));
          statuses.push(...(await Promise.all(posts)));
        }
        expect(emulator.botMessages(user).length).toBeGreaterThanOrEqual(updates.length);
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    expect(statuses.every((s) => s === 200)).toBe(true);

    const lines = handledLines();
    const real = lines.filter((l) => l.outcome !== 'duplicate');
    const sent = [...byChat.values()].flat();
    // Exactly once: every update handled by one instance, once.
    const count = new Map<number, number>();
    for (const l of real) count.set(l.update_id, (count.get(l.update_id) ?? 0) + 1);
    expect(sent.filter((u) => count.get(u.update_id) !== 1).map((u) => u.update_id)).toEqual([]);
    expect(real.length).toBe(CHATS * PER_CHAT);
    // Both instances did real work.
    expect(new Set(real.map((l) => l.instance)).size).toBe(2);
    // Per chat: each began after the one before it ended; in update_id order where Telegram
    // sends them as it does (the next once the last is answered). A burst posted all at once to
    // two instances is handled in the order the posts reach Redis, which no one can promise.
    for (const [user, updates] of byChat) {
      const mine = real.filter((l) => l.chat === `c${user}`).sort((a, b) => a.startedAt - b.startedAt);
      const ids = updates.map((u) => u.update_id);
      if (user - FIRST_USER >= BURST_CHATS) expect(mine.map((l) => l.update_id)).toEqual(ids);
      else expect(mine.map((l) => l.update_id).sort()).toEqual(ids);
      for (let i = 1; i < mine.length; i++) {
        const before = mine[i - 1]!;
        expect(mine[i]!.startedAt).toBeGreaterThanOrEqual(before.startedAt + Math.floor(before.ms));
      }
      // Every update answered, none twice: one reply each.
      expect(emulator.botMessages(user).length).toBe(updates.length);
    }
    console.log(
      `scaling: ${sent.length} updates over 2 instances in ${seconds.toFixed(1)} s; ` +
        `instance 0 handled ${real.filter((l) => l.instance === 0).length}, duplicates skipped ${lines.length - real.length}`,
    );
  }, 240_000);
});
