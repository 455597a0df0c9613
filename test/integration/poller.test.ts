/**
 * The long-polling loop against the emulator: it keeps fetching while a slow update is handled,
 * keeps each chat in order, bounds what it holds, and never confirms an update before it is
 * handled.
 */
import type { Update } from '@telegraf/types';
import { Telegram } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { BotApiEmulator } from '../../src/sandbox/emulator.js';
import { Poller } from '../../src/telegram/poller.js';
import { TEST_TOKEN } from '../support/app.js';

const log = createLogger('silent');
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(opts: { concurrency?: number; maxBacklog?: number }) {
  const emulator = new BotApiEmulator();
  const apiRoot = await emulator.listen(0);
  cleanup.push(() => emulator.close());
  for (const id of [1, 2, 3]) emulator.addUser({ id, first_name: `P${id}` });
  const started: string[] = [];
  const finished: string[] = [];
  let inHand = 0;
  let maxInHand = 0;
  const gates = new Map<string, () => void>();
  const label = (u: Update) => ('message' in u && 'text' in u.message ? u.message.text : String(u.update_id));
  const poller = new Poller(
    new Telegram(TEST_TOKEN, { apiRoot }),
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
  return { emulator, poller, started, finished, gates, max: () => maxInHand };
}

async function until(what: string, ok: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the long-polling loop', () => {
  it('serves other chats while one update is slow, keeps each chat in order, and confirms nothing unhandled', async () => {
    const t = await setup({ concurrency: 4 });
    t.emulator.sendText(1, 'slow-1a');
    t.emulator.sendText(1, '1b');
    for (let i = 0; i < 10; i++) t.emulator.sendText(2, `2-${i}`);
    await until('chat 2', () => t.finished.filter((f) => f.startsWith('2-')).length === 10);
    // Chat 1's second message waits for its first, which is still in hand, so neither is confirmed.
    expect(t.started).not.toContain('1b');
    expect(t.emulator.unconfirmedUpdates()).toBeGreaterThanOrEqual(2);
    expect(t.finished.filter((f) => f.startsWith('2-'))).toEqual(
      Array.from({ length: 10 }, (_, i) => `2-${i}`),
    );
    t.gates.get('slow-1a')?.();
    await until('chat 1', () => t.finished.includes('1b'));
    expect(t.finished.indexOf('slow-1a')).toBeLessThan(t.finished.indexOf('1b'));
    await t.poller.stop();
    expect(t.emulator.unconfirmedUpdates()).toBe(0);
    expect(t.max()).toBeLessThanOrEqual(4);
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
