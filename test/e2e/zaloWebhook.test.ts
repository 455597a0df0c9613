/**
 * Zalo in webhook mode, end to end: the emulator posts each event to the bot's own HTTP server
 * with the secret header. A wrong or missing secret is refused before anything is read, and an
 * event delivered twice is handled once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import { startTestBot, type TestBot } from '../support/app.js';

const SECRET = 'zalo-webhook-secret-for-tests-0123';
const USER = { id: '7001', display_name: 'Bí thư Webhook' };

describe('the Zalo webhook', () => {
  const clock = new ManualClock(Date.parse('2025-09-10T03:00:00Z'));
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ clock, zalo: { webhookSecret: SECRET } });
    bot.zalo!.addUser(USER);
    // The app registers its webhook in the background.
    for (let i = 0; i < 100 && !bot.zalo!.webhookInfo(); i++) await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(() => bot?.stop());

  it('is registered with the secret at the path of ZALO_WEBHOOK_URL', () => {
    const info = bot.zalo!.webhookInfo();
    expect(info?.secret).toBe(SECRET);
    expect(new URL(info!.url).pathname).toBe('/zalo-hook');
  });

  it('answers a person through the webhook', async () => {
    const waiting = bot.zalo!.waitForBotMessage(USER.id, (x) => x.text === msg.zalo.startNoCode);
    bot.zalo!.sendText(USER.id, '/start');
    await waiting;
  });

  it('refuses a wrong or missing secret with 401, and handles nothing', async () => {
    const calls = bot.zalo!.callLog().length;
    const before = bot.zalo!.botMessages(USER.id).length;
    const event = {
      event_name: 'message.text.received',
      message: {
        message_id: 'forged-1',
        date: Date.now(),
        from: { id: USER.id, display_name: 'Kẻ giả', is_bot: false },
        chat: { id: USER.id, chat_type: 'PRIVATE' as const },
        text: '/help',
      },
    };
    expect(await bot.zalo!.postWebhook(event, 'wrong-secret-000000000000000000')).toBe(401);
    expect(await bot.zalo!.postWebhook(event, undefined)).toBe(401);
    expect(await bot.zalo!.postWebhook(event, `${SECRET}x`)).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(bot.zalo!.botMessages(USER.id).length).toBe(before);
    expect(bot.zalo!.callLog().length).toBe(calls);
    // Never claimed: the same message_id with the right secret is handled.
    const waiting = bot.zalo!.waitForBotMessage(USER.id, () => true);
    expect(await bot.zalo!.postWebhook(event, SECRET)).toBe(200);
    await waiting;
  });

  it('handles a redelivered message_id once', async () => {
    const first = bot.zalo!.waitForBotMessage(USER.id, (x) => x.text === msg.zalo.startNoCode);
    const event = bot.zalo!.sendText(USER.id, '/start');
    await first;
    const count = bot.zalo!.botMessages(USER.id).length;
    // The platform retries: the same event twice more, one of them concurrently.
    const statuses = await Promise.all([
      bot.zalo!.postWebhook(event, SECRET),
      bot.zalo!.postWebhook(event, SECRET),
    ]);
    expect(statuses).toEqual([200, 200]);
    await new Promise((r) => setTimeout(r, 300));
    expect(bot.zalo!.botMessages(USER.id).length).toBe(count);
    // And once more, long after it was done.
    expect(await bot.zalo!.postWebhook(event, SECRET)).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(bot.zalo!.botMessages(USER.id).length).toBe(count);
  });

  it('refuses a body over the cap and one that is not a Zalo event, before handling', async () => {
    const url = bot.zalo!.webhookInfo()!.url;
    const post = (body: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': SECRET },
        body,
      }).then((r) => r.status);
    expect(await post(JSON.stringify({ ok: true, result: { text: 'x'.repeat(100_000) } }))).toBe(413);
    expect(await post('{"ok":true,"result":{"event_name":"message.text.received"}}')).toBe(400);
    expect(await post('not json')).toBe(400);
  });
});
