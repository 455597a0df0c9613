/**
 * What an operator sees of the running bot: `/metrics` in Prometheus text format, fed by the
 * outbox, the schedules and Redis, and the queue page, mounted only with ADMIN_UI_TOKEN and
 * closed to anyone without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduledQueue } from '../../jobs/schedules.js';
import { metrics } from '../../src/infra/metrics.js';
import { msg } from '../../src/messages/index.js';
import { startTestBot, type TestBot } from '../support/app.js';
import { sample, scrape } from '../support/metricsText.js';

describe('/metrics', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.stop());

  it('answers in the Prometheus text format with every family the operators watch', async () => {
    metrics.updateHandled('ok', 12);
    metrics.updateHandled('refused', 3);
    metrics.updateQueued(40);
    metrics.redisRoundTrips(3);
    const { status, type, text } = await scrape(bot);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const family of [
      'chibo_update_handling_seconds',
      'chibo_updates_total',
      'chibo_update_queueing_seconds',
      'chibo_update_send_wait_seconds',
      'chibo_update_redis_round_trips',
      'chibo_outbox_depth',
      'chibo_outbox_sent_total',
      'chibo_outbox_rate_limited_total',
      'chibo_outbox_unreachable_total',
      'chibo_outbox_delay_seconds',
      'chibo_schedule_lag_seconds',
      'chibo_unreachable_people',
      'chibo_process_resident_memory_bytes',
    ])
      expect(text).toContain(`# TYPE ${family} `);
    expect(sample(text, 'chibo_updates_total', 'outcome="ok"')).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'chibo_update_handling_seconds_bucket', 'le="0.025",outcome="ok"'),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'chibo_update_redis_round_trips_bucket', 'le="3"')).toBeGreaterThanOrEqual(1);
  });

  it('counts outbox sends and unreachable people, and reads the depth and the marks from Redis', async () => {
    const before = await scrape(bot);
    const sentBefore = sample(before.text, 'chibo_outbox_sent_total') ?? 0;
    const refusedBefore = sample(before.text, 'chibo_outbox_unreachable_total') ?? 0;
    expect(sample(before.text, 'chibo_unreachable_people')).toBe(0);

    for (const id of [7301, 7302]) {
      bot.emulator.addUser({ id, first_name: `Đảng viên ${id}` });
      const greeted = bot.emulator.waitForBotMessage(id);
      bot.emulator.sendText(id, '/start');
      await greeted;
    }
    bot.emulator.blockBot(7302);
    const notifier = bot.app.services.notifier;
    await notifier.toPerson(7301, 'Thông báo họp chi bộ', { id: 'metrics-notice-7301', purpose: 'notice' });
    await notifier.toPerson(7302, 'Thông báo họp chi bộ', { id: 'metrics-notice-7302', purpose: 'notice' });

    // Both sends settled: one delivered, one refused (in whichever order the worker took them).
    let after = '';
    await expect
      .poll(
        async () => {
          after = (await scrape(bot)).text;
          return [
            sample(after, 'chibo_unreachable_people'),
            sample(after, 'chibo_outbox_sent_total'),
            sample(after, 'chibo_outbox_depth', 'state="failed"'),
            sample(after, 'chibo_outbox_depth', 'state="waiting"'),
          ];
        },
        { timeout: 15_000 },
      )
      .toEqual([1, sentBefore + 1, 1, 0]);
    expect(sample(after, 'chibo_outbox_sent_total')).toBe(sentBefore + 1);
    expect(sample(after, 'chibo_outbox_unreachable_total')).toBe(refusedBefore + 1);
    expect(sample(after, 'chibo_outbox_delay_seconds_count')).toBeGreaterThanOrEqual(1);
  });

  it('counts an answer to a person who blocked the bot meanwhile as unreachable: no error, no apology', async () => {
    const id = 7303;
    bot.emulator.addUser({ id, first_name: `Đảng viên ${id}` });
    const greeted = bot.emulator.waitForBotMessage(id);
    bot.emulator.sendText(id, '/start');
    await greeted;
    const before = (await scrape(bot)).text;
    const sendsTo = () =>
      bot.emulator.callLog().filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === id);
    const sentBefore = sendsTo().length;

    // The person writes and blocks the bot before it answers: the answer is refused (403).
    const update = bot.emulator.sendText(id, '/help');
    bot.emulator.blockBot(id);
    await expect.poll(() => bot.app.handled(update.update_id), { timeout: 10_000 }).toBe(true);

    const after = (await scrape(bot)).text;
    const count = (text: string, outcome: string) =>
      sample(text, 'chibo_updates_total', `outcome="${outcome}"`) ?? 0;
    expect(count(after, 'unreachable')).toBe(count(before, 'unreachable') + 1);
    expect(count(after, 'error')).toBe(count(before, 'error'));
    // One attempt, the answer itself, refused; no apology tried after it.
    const refused = sendsTo().slice(sentBefore);
    expect(refused.map((c) => c.status)).toEqual([403]);
    expect(String(refused[0]!.params.text)).not.toContain('Mã tham chiếu');
  });

  it('records how late a scheduled run started, per schedule', async () => {
    const queue = createScheduledQueue(bot.app.services.config.redisUrl ?? '');
    try {
      await queue.add('reminders', {}, { jobId: 'metrics-run-1' });
      await expect
        .poll(
          async () =>
            sample((await scrape(bot)).text, 'chibo_schedule_lag_seconds_count', 'schedule="reminders"'),
          { timeout: 10_000 },
        )
        .toBeGreaterThanOrEqual(1);
    } finally {
      await queue.close();
    }
  });
});

describe('the queue page', () => {
  const TOKEN = 'test-admin-token-0123456789abcdef';
  let bot: TestBot;
  let base: string;
  beforeAll(async () => {
    bot = await startTestBot({ env: { ADMIN_UI_TOKEN: TOKEN } });
    base = `${bot.app.url}/admin/queues`;
  });
  afterAll(() => bot.stop());

  it('turns away requests without the right token', async () => {
    const bare = await fetch(`${base}/api/queues`);
    expect(bare.status).toBe(401);
    expect(await bare.json()).toEqual({ ok: false, error: msg.admin.needToken });

    const attempts: Record<string, string>[] = [
      { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
      { authorization: `Bearer ${TOKEN}x` },
      { 'x-admin-token': '' },
      { cookie: `chibo_admin=${TOKEN}` },
      { cookie: 'chibo_admin=' },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${base}/api/queues`, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
    }

    const browser = await fetch(base, { headers: { accept: 'text/html' } });
    expect(browser.status).toBe(401);
    const page = await browser.text();
    expect(page).toContain(msg.admin.signInTitle);
    expect(page).toContain('name="token"');
    expect(page).not.toContain(TOKEN);
  });

  it('shows the bot queues to a script with the token in a header', async () => {
    const ways: Record<string, string>[] = [{ authorization: `Bearer ${TOKEN}` }, { 'x-admin-token': TOKEN }];
    for (const headers of ways) {
      const res = await fetch(`${base}/api/queues?activeQueue=outbox&status=latest&page=1`, { headers });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { queues: { name: string }[] };
      expect(body.queues.map((q) => q.name).sort()).toEqual(['directives', 'outbox', 'scheduled']);
    }
  });

  it('signs a browser in with a cookie that is not the token, and serves the page and its assets', async () => {
    const wrong = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=nope',
      redirect: 'manual',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain(msg.admin.wrongToken);

    const login = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(TOKEN)}`,
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/admin/queues');
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0]!;

    const page = await fetch(base, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    const asset = /(?:src|href)="(static\/[^"]+\.(?:js|css))"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    // Relative to <base href="/admin/queues/">.
    const assetRes = await fetch(`${base}/${asset}`, { headers: { cookie } });
    expect(assetRes.status).toBe(200);
    expect((await assetRes.text()).length).toBeGreaterThan(1000);
    expect((await fetch(`${base}/${asset}`)).status).toBe(401);
  });
});

describe('without ADMIN_UI_TOKEN', () => {
  it('has no queue page at all', async () => {
    const bot = await startTestBot();
    try {
      const res = await fetch(`${bot.app.url}/admin/queues`, {
        headers: { authorization: 'Bearer anything' },
      });
      expect(res.status).toBe(404);
    } finally {
      await bot.stop();
    }
  });
});
