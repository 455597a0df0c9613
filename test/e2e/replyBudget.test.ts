/**
 * Replies draw from the send budget (`src/telegram/replyBudget.ts`): when more people write at
 * once than Telegram lets the bot answer in a second, the answers wait their turn instead of
 * being refused with a 429, and every one arrives.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestBot, type TestBot } from '../support/app.js';
import { sample, scrape } from '../support/metricsText.js';

const PEOPLE = Array.from({ length: 15 }, (_, i) => ({ id: 9500 + i, first_name: `Đảng viên ${i + 1}` }));

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot({ env: { SEND_BUDGET: '5' } });
  for (const p of PEOPLE) bot.emulator.addUser(p);
});
afterAll(() => bot.stop());

describe('replies and the send budget', () => {
  it('answers 15 people writing at once through a Telegram that takes 5 sends a second, with no 429', async () => {
    bot.emulator.faults.setRateLimits({ globalPerSecond: 5, perChatPerSecond: 1000, groupPerMinute: 20 });
    const answers = PEOPLE.map((p) =>
      bot.emulator.waitForBotMessage(p.id, () => true, { timeoutMs: 15_000 }),
    );
    const before = (await scrape(bot)).text;
    const started = Date.now();
    for (const p of PEOPLE) bot.emulator.sendText(p.id, '/help');
    await Promise.all(answers);
    expect(bot.emulator.stats.throttled429).toBe(0);
    // 15 answers at 5 a second: the last ones waited for the window.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    const decisions = bot.emulator.floodDecisions();
    expect(decisions.length).toBeGreaterThanOrEqual(PEOPLE.length);
    expect(decisions.filter((d) => d.refusedBy !== undefined)).toEqual([]);
    // /metrics tells that wait (Telegram's limit) apart from the handling: the ten answers past
    // the first window waited about 1 or 2 s for a slot, and no update took a second of
    // handling besides.
    // (An update is counted when its handler ends, just after its answer arrived.)
    let after = '';
    const since = (name: string, labels = '') =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    await vi.waitFor(async () => {
      after = (await scrape(bot)).text;
      expect(since('chibo_updates_total', 'outcome="ok"')).toBe(PEOPLE.length);
    });
    expect(since('chibo_update_send_wait_seconds_count')).toBeGreaterThanOrEqual(9);
    expect(since('chibo_update_send_wait_seconds_sum')).toBeGreaterThan(10);
    expect(since('chibo_update_handling_seconds_bucket', 'le="1",outcome="ok"')).toBe(PEOPLE.length);
  });
});
