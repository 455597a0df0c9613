/**
 * The long-polling loop against the emulator and a real Redis: it keeps fetching while a slow
 * update is handled, keeps each chat in order, bounds what it holds, and confirms an update to
 * Telegram only once it is kept in the inbox, from which a poller after a crash handles it.
 */
import type { Update } from '@telegraf/types';
import { Redis } from 'ioredis';
import { Telegram } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { BotApiEmulator } from '../../src/sandbox/emulator.js';
import { UpdateInbox } from '../../src/store/inbox.js';
import { UpdateClaims } from '../../src/store/updates.js';
import { Poller } from '../../src/telegram/poller.js';
import { TEST_TOKEN } from '../support/app.js';
import { freshRedisUrl } from '../support/redis.js';

const log = createLogger('silent');
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const label = (u: Update) => ('message' in u && 'text' in u.message ? u.message.text : String(u.update_id));

async function setup(opts: { concurrency?: number; maxBacklog?: number; redisUrl?: string }) {
  const emulator = new BotApiEmulator();
  const apiRoot = await emulator.listen(0);
  cleanup.push(() => emulator.close());
  const redis = new Redis(opts.redisUrl ?? (await freshRedisUrl()));
  cleanup.push(async () => void redis.disconnect());
  const claims = new UpdateClaims(redis, 123456789, `test-${Math.random()}`);
  const inbox = new UpdateInbox<Update>(redis, claims, 123456789);
  for (const id of [1, 2, 3]) emulator.addUser({ id, first_name: `P${id}` });
  const started: string[] = [];
  const finished: string[] = [];
  let inHand = 0;
  let maxInHand = 0;
  const gates = new Map<string, () => void>();
  const poller = new Poller(
    new Telegram(TEST_TOKEN, { apiRoot }),
    inbox,
    async (u) => {
      const name = label(u);
      started.push(name);
      inHand++;
      maxInHand = Math.max(maxInHand, inHand);
      if (name.startsWith('slow')) await new Promise<void>((r) => gates.set(name, r));
      else await new Promise((r) => setTimeout(r, 5));
      inHand--;
      finished.push(name);
    },
    log,
    { ...opts, timeoutSeconds: 1 },
  );
  poller.start();
  const kept = async () => (await inbox.left()).map(label);
  return { emulator, claims, poller, started, finished, gates, kept, max: () => maxInHand };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the long-polling loop', () => {
  it('serves other chats while one update is slow, keeps each chat in order, and keeps what is unhandled', async () => {
    const t = await setup({ concurrency: 4 });
    t.emulator.sendText(1, 'slow-1a');
    t.emulator.sendText(1, '1b');
    for (let i = 0; i < 10; i++) t.emulator.sendText(2, `2-${i}`);
    await until('chat 2', () => t.finished.filter((f) => f.startsWith('2-')).length === 10);
    // Chat 1's second message waits for its first, which is still in hand. Telegram has been told
    // it has them all; the inbox holds the two that are not handled, and only those.
    expect(t.started).not.toContain('1b');
    await until('all confirmed', () => t.emulator.unconfirmedUpdates() === 0);
    await t.claims.flushCarried();
    expect(await t.kept()).toEqual(['slow-1a', '1b']);
    expect(t.finished.filter((f) => f.startsWith('2-'))).toEqual(
      Array.from({ length: 10 }, (_, i) => `2-${i}`),
    );
    t.gates.get('slow-1a')?.();
    await until('chat 1', () => t.finished.includes('1b'));
    expect(t.finished.indexOf('slow-1a')).toBeLessThan(t.finished.indexOf('1b'));
    await t.poller.stop();
    await t.claims.flushCarried();
    expect(t.emulator.unconfirmedUpdates()).toBe(0);
    expect(await t.kept()).toEqual([]);
    expect(t.max()).toBeLessThanOrEqual(4);
  });

  it('asks for the next updates while one is in hand, so a new chat is answered at once', async () => {
    const t = await setup({ concurrency: 4 });
    const slow = t.emulator.sendText(1, 'slow-1');
    await until('the slow update', () => t.started.includes('slow-1'));
    await new Promise((r) => setTimeout(r, 100));
    const sentAt = Date.now();
    t.emulator.sendText(2, 'quick-2');
    await until('chat 2', () => t.finished.includes('quick-2'), 2_000);
    expect(t.finished).not.toContain('slow-1');
    // The update came in answer to a long poll already waiting past the slow update's id: the
    // slow one had been confirmed to Telegram (it is in the inbox) while still in hand.
    const polls = t.emulator.callLog().filter((c) => c.method === 'getUpdates');
    expect(polls.some((c) => Number(c.params.offset) > slow.update_id && c.at <= sentAt)).toBe(true);
    t.gates.get('slow-1')?.();
    await t.poller.stop();
  });

  it('handles what a poller that died left in the inbox, once, before anything newer of that chat', async () => {
    const redisUrl = await freshRedisUrl();
    const first = await setup({ concurrency: 4, redisUrl });
    first.emulator.sendText(1, 'slow-a');
    first.emulator.sendText(1, 'b');
    await until('the slow update', () => first.started.includes('slow-a'));
    await until('both kept', async () => (await first.kept()).length === 2);
    // Telegram is told it may forget both.
    await until('both confirmed', () => first.emulator.unconfirmedUpdates() === 0);
    // The process dies here: its poller never finishes them.
    const second = await setup({ concurrency: 4, redisUrl });
    // The emulators are separate (their update ids still rise): the second poller's Telegram
    // has only 'c', so the other two come from the inbox.
    second.emulator.sendText(1, 'c');
    await until('the slow update again', () => second.started.includes('slow-a'));
    second.gates.get('slow-a')?.();
    await until('everything', () => second.finished.length === 3);
    expect(second.finished).toEqual(['slow-a', 'b', 'c']);
    await second.poller.stop();
    await second.claims.flushCarried();
    expect(await second.kept()).toEqual([]);
    first.gates.get('slow-a')?.();
    await first.poller.stop();
  });

  it('holds at most maxBacklog updates and fetches the rest once they are handled', async () => {
    const t = await setup({ concurrency: 2, maxBacklog: 5 });
    t.emulator.sendText(3, 'slow-3');
    for (let i = 0; i < 30; i++) t.emulator.sendText(i % 2 === 0 ? 1 : 2, `x${i}`);
    await until('a full backlog', () => t.poller.backlog().queued + t.poller.backlog().inHand >= 5);
    await new Promise((r) => setTimeout(r, 300));
    const held = t.poller.backlog();
    expect(held.queued + held.inHand).toBeLessThanOrEqual(5);
    t.gates.get('slow-3')?.();
    await until('everything', () => t.finished.length === 31);
    await t.poller.stop();
    expect(t.emulator.unconfirmedUpdates()).toBe(0);
  });
});
