import { Redis } from 'ioredis';
import { Telegram } from 'telegraf';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/infra/clock.js';
import { ChatLimits } from '../../src/outbox/chatLimits.js';
import { DeliveryStore, SendProgress } from '../../src/outbox/deliveries.js';
import {
  assertOutboxId,
  createOutboxQueue,
  InvalidOutboxIdError,
  InvalidOutboxMessageError,
  Outbox,
  type OutboxQueue,
  outboxId,
  quietHoursEnd,
} from '../../src/outbox/outbox.js';
import { SendBudget } from '../../src/outbox/sendBudget.js';
import type { OutboxMessage } from '../../src/outbox/types.js';
import { toKeyboard } from '../../src/telegram/render.js';
import { TelegrafSender } from '../../src/telegram/sender.js';
import { freshRedisUrl, testRedis } from '../support/redis.js';
import { splitMessage } from '../support/render.js';

/** The Telegram messages one outbox message becomes (no call is made to render them). */
const messageParts = (m: OutboxMessage) => new TelegrafSender(new Telegram('1:render-only')).parts(m);

const TZ = 'Asia/Ho_Chi_Minh';
const HOUR = 3600_000;
/** 21:00-07:00 in minutes since midnight. */
const QUIET = { from: 21 * 60, to: 7 * 60 };
/** A Hanoi wall-clock time on 10/03/2025 (UTC+7) as UTC ms. */
const hanoi = (h: number, m = 0, day = 10) => Date.UTC(2025, 2, day, h - 7, m);

const msg = (chatId: number, text = 'Nhắc việc'): OutboxMessage => ({ chatId, text, purpose: 'reminder' });

describe('outbox ids', () => {
  it('rejects ids BullMQ cannot take: with a colon, all digits, blank or spaced', () => {
    for (const bad of ['a:b', '12345', '', 'has space'])
      expect(() => assertOutboxId(bad)).toThrow(InvalidOutboxIdError);
    expect(() => assertOutboxId('reminder.c7.123.2025-05-01')).not.toThrow();
  });

  it('builds ids from parts without collisions or colons', () => {
    expect(outboxId('reminder', 'c7', 123, '2025-05-01')).toBe('reminder.c7.123.2025-05-01');
    expect(outboxId('a.b', 'c')).not.toBe(outboxId('a', 'b.c'));
    expect(outboxId('x:y', 1)).not.toContain(':');
    expect(() => outboxId(42)).toThrow(InvalidOutboxIdError);
  });
});

describe('quiet hours', () => {
  it('holds a message sent inside a range that wraps midnight until its end, in the local zone', () => {
    expect(quietHoursEnd(hanoi(22), QUIET, TZ)).toBe(hanoi(7, 0, 11));
    expect(quietHoursEnd(hanoi(2, 30), QUIET, TZ)).toBe(hanoi(7));
    expect(quietHoursEnd(hanoi(6, 59), QUIET, TZ)).toBe(hanoi(7));
    expect(quietHoursEnd(hanoi(7), QUIET, TZ)).toBeUndefined();
    expect(quietHoursEnd(hanoi(20, 59), QUIET, TZ)).toBeUndefined();
  });

  it('handles a range inside one day, and treats an empty range or none as off', () => {
    const lunch = { from: 12 * 60, to: 13 * 60 + 30 };
    expect(quietHoursEnd(hanoi(12, 10), lunch, TZ)).toBe(hanoi(13, 30));
    expect(quietHoursEnd(hanoi(14), lunch, TZ)).toBeUndefined();
    expect(quietHoursEnd(hanoi(22), { from: 600, to: 600 }, TZ)).toBeUndefined();
    expect(quietHoursEnd(hanoi(22), undefined, TZ)).toBeUndefined();
  });
});

describe('message parts', () => {
  it('splits long text at line breaks into pieces Telegram accepts, losing nothing', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `Dòng ${i + 1}: chi bộ đã báo cáo đầy đủ.`);
    const text = lines.join('\n');
    const parts = splitMessage(text, 4096);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(parts.join('\n')).toBe(text);
    expect(splitMessage('x'.repeat(5000), 4096).map((p) => p.length)).toEqual([4096, 904]);
    const emoji = splitMessage(`${'x'.repeat(4095)}🙂tail`, 4096);
    expect(emoji).toEqual(['x'.repeat(4095), '🙂tail']);
  });

  it('sends text, then the file, with the keyboard under the last part', () => {
    const keyboard = { inline_keyboard: [[{ text: 'Xem', callback_data: 'x' }]] };
    const parts = messageParts({
      ...msg(5, 'Báo cáo tổng hợp'),
      actions: [[{ label: 'Xem', value: 'x' }]],
      document: { filename: 'tonghop.csv', contentBase64: 'YQ==', caption: 'Tệp tổng hợp' },
    });
    expect(parts.map((p) => [p.text, p.document?.filename, toKeyboard(p.actions)])).toEqual([
      ['Báo cáo tổng hợp', undefined, undefined],
      ['', 'tonghop.csv', keyboard],
    ]);
    expect(messageParts({ ...msg(5, ''), photo: { filename: 'a.png', contentBase64: 'YQ==' } })).toHaveLength(
      1,
    );
  });
});

describe('Outbox (producer)', () => {
  let url: string;
  let redis: Redis;
  let queue: OutboxQueue;
  const clock = new ManualClock(hanoi(10));

  beforeAll(async () => {
    url = await freshRedisUrl();
    redis = new Redis(url);
    queue = createOutboxQueue(url);
  });
  beforeEach(async () => {
    await queue.obliterate({ force: true });
    clock.set(hanoi(10));
  });
  afterAll(async () => {
    await queue.close();
    await redis.quit();
  });

  const outbox = (q = queue) => new Outbox(q, { clock, quietHours: QUIET, timezone: TZ });

  it('queues an id once, however often it is sent', async () => {
    const o = outbox();
    expect(await o.send(msg(1), { id: 'reminder.r1.1' })).toEqual({ queued: true });
    expect(await o.send(msg(1, 'khác'), { id: 'reminder.r1.1' })).toEqual({ queued: false });
    const job = await queue.getJob('reminder.r1.1');
    expect(job?.data.message.text).toBe('Nhắc việc');
    expect(await queue.getJobCountByTypes('waiting', 'delayed')).toBe(1);
  });

  it('queues an id once when two instances send it at the same moment', async () => {
    const other = createOutboxQueue(url);
    try {
      const results = await Promise.all([
        outbox().send(msg(2), { id: 'summary.2025-03-10.2' }),
        outbox(other).send(msg(2), { id: 'summary.2025-03-10.2' }),
        outbox()
          .sendMany([{ message: msg(2), id: 'summary.2025-03-10.2' }])
          .then(([r]) => r!),
      ]);
      expect(results.filter((r) => r.queued)).toHaveLength(1);
      expect(await queue.getJobCountByTypes('waiting', 'delayed')).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('delays a message sent at 22:00 in Hanoi to 07:00, never dropping it', async () => {
    clock.set(hanoi(22));
    const r = await outbox().send(msg(3), { id: 'notice.n1.3' });
    expect(r).toEqual({ queued: true, deferredUntil: hanoi(7, 0, 11) });
    const job = await queue.getJob('notice.n1.3');
    expect(job?.opts.delay).toBe(9 * HOUR);
    expect(await job?.getState()).toBe('delayed');
  });

  it('sends an urgent message at once even in quiet hours', async () => {
    clock.set(hanoi(23, 30));
    const r = await outbox().send(msg(4), { id: 'directive.d1.4', urgent: true });
    expect(r).toEqual({ queued: true });
    const job = await queue.getJob('directive.d1.4');
    expect(job?.opts.delay ?? 0).toBe(0);
    expect(await job?.getState()).toBe('waiting');
  });

  it('has no quiet hours when they are off', async () => {
    clock.set(hanoi(23, 30));
    const o = new Outbox(queue, { clock, timezone: TZ });
    expect(await o.send(msg(5), { id: 'notice.off.5' })).toEqual({ queued: true });
    expect(await (await queue.getJob('notice.off.5'))?.getState()).toBe('waiting');
  });

  it('keeps finished jobs for 40 days so the dedupe holds, and retries with backoff', async () => {
    const o = new Outbox(queue, { clock, timezone: TZ, attempts: 8, backoffMs: 5000 });
    await o.send(msg(6), { id: 'notice.keep.6' });
    const job = await queue.getJob('notice.keep.6');
    expect(job?.opts).toMatchObject({
      attempts: 8,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: { age: 40 * 24 * 3600 },
      removeOnFail: { age: 40 * 24 * 3600 },
    });
  });

  it('throws on an invalid id or an empty message before queuing anything', async () => {
    await expect(outbox().send(msg(7), { id: 'bad:id' })).rejects.toThrow(InvalidOutboxIdError);
    await expect(outbox().send(msg(7, '  '), { id: 'notice.empty.7' })).rejects.toThrow(
      InvalidOutboxMessageError,
    );
    expect(await queue.getJobCountByTypes('waiting', 'delayed')).toBe(0);
  });

  it('records each queued message as pending with the delivery store', async () => {
    const store = new DeliveryStore(redis);
    const o = new Outbox(queue, { clock, timezone: TZ, deliveries: store });
    const track = { kind: 'directive', id: '17' };
    await o.sendMany([
      { message: { ...msg(10), track }, id: 'directive.17.10' },
      { message: { ...msg(11), track }, id: 'directive.17.11' },
    ]);
    expect(await store.trackCounts('directive', '17')).toEqual({ sent: 0, failed: 0, pending: 2, total: 2 });
    expect(await store.get('directive.17.10')).toMatchObject({
      state: 'pending',
      chatId: 10,
      queuedAt: hanoi(10),
    });
  });
});

describe('DeliveryStore', () => {
  let redis: Redis;
  let store: DeliveryStore;
  beforeAll(async () => {
    redis = await testRedis();
    store = new DeliveryStore(redis);
  });
  afterAll(() => redis.quit());

  const track = { kind: 'directive', id: 'd9' };
  const job = (id: string, chatId: number) => ({
    id,
    message: { ...msg(chatId), personId: chatId * 10, track },
  });

  it('records sent and failed deliveries and counts them per tracked item', async () => {
    await store.recordQueued('d9.a', job('d9.a', 1).message, 1000);
    await store.recordQueued('d9.b', job('d9.b', 2).message, 1000);
    await store.recordQueued('d9.c', job('d9.c', 3).message, 1000);
    await store.delivered(job('d9.a', 1), 555, 2000);
    await store.failed(job('d9.b', 2), 'Forbidden: bot was blocked by the user', true, 3000);
    expect(await store.trackCounts('directive', 'd9')).toEqual({ sent: 1, failed: 1, pending: 1, total: 3 });
    expect(await store.get('d9.a')).toMatchObject({
      state: 'sent',
      messageId: 555,
      sentAt: 2000,
      personId: 10,
    });
    expect(await store.get('d9.b')).toMatchObject({
      state: 'failed',
      reason: 'Forbidden: bot was blocked by the user',
      permanent: true,
      failedAt: 3000,
    });
    expect((await store.listTrack('directive', 'd9')).map((r) => [r.id, r.state])).toEqual([
      ['d9.a', 'sent'],
      ['d9.b', 'failed'],
      ['d9.c', 'pending'],
    ]);
    const ttl = await redis.ttl('cb:dlv:d9.a');
    expect(ttl).toBeGreaterThan(89 * 24 * 3600);
  });

  it('never turns a sent delivery back into failed or pending', async () => {
    await store.delivered(job('d9.e', 5), 7, 1000);
    await store.failed(job('d9.e', 5), 'late failure', false, 2000);
    await store.recordQueued('d9.e', job('d9.e', 5).message, 3000);
    expect(await store.get('d9.e')).toMatchObject({ state: 'sent', messageId: 7 });
  });

  it('marks unreachable chats, lists them, and forgets one when the person writes again', async () => {
    await store.unreachable(20, 2, 'Forbidden: bot was blocked by the user', 100);
    await store.unreachable(undefined, 3, 'Bad Request: chat not found', 200);
    expect(await store.isUnreachable(2)).toBe(true);
    expect(await store.listUnreachable()).toEqual([
      { chatId: 3, reason: 'Bad Request: chat not found', at: 200 },
      { chatId: 2, personId: 20, reason: 'Forbidden: bot was blocked by the user', at: 100 },
    ]);
    await store.clearUnreachable(2);
    expect(await store.isUnreachable(2)).toBe(false);
    expect((await store.listUnreachable()).map((m) => m.chatId)).toEqual([3]);
  });

  it('keeps the worker progress through a multi-part message', async () => {
    const progress = new SendProgress(redis);
    expect(await progress.get('p.1')).toEqual({ done: 0 });
    await progress.partSent('p.1', 0, 41);
    await progress.partSent('p.1', 1, 42);
    expect(await progress.get('p.1')).toEqual({ done: 2, messageId: 42 });
    expect(await progress.rateLimited('p.1')).toBe(1);
    expect(await progress.rateLimited('p.1')).toBe(2);
    expect(await progress.get('p.1')).toEqual({ done: 2, messageId: 42 });
  });
});

describe('sending limits', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await testRedis();
  });
  afterAll(() => redis.quit());

  it('lets one message a second through to a private chat', async () => {
    const limits = new ChatLimits(redis);
    expect(await limits.take(501)).toBe(0);
    const wait = await limits.take(501);
    expect(wait).toBeGreaterThan(1000);
    expect(wait).toBeLessThanOrEqual(1100);
    expect(await limits.take(502)).toBe(0);
  });

  it('caps a group at its per-minute count, and not a private chat', async () => {
    const limits = new ChatLimits(redis, { minGapMs: 1, groupMax: 3, groupWindowMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      expect(await limits.take(-900)).toBe(0);
      await new Promise((r) => setTimeout(r, 3));
    }
    expect(await limits.take(-900)).toBeGreaterThan(59_000);
    for (let i = 0; i < 4; i++) {
      expect(await limits.take(901)).toBe(0);
      await new Promise((r) => setTimeout(r, 3));
    }
  });

  it('shares one sliding-window budget: replies first, the outbox within its allowance, one chat a second', async () => {
    await redis.del('cb:send:log', 'cb:send:cap', 'cb:send:replywait', 'cb:outbox:pause');
    // A short window, so the wait below ends well inside the quarter-second a waiting reply holds the outbox.
    const budget = new SendBudget(redis, { limit: 3, windowMs: 100 });
    const first = await budget.takeOutbox(601);
    expect(first).toEqual({ kind: 'go', waitMs: 0, slot: expect.any(String) });
    const reply = await budget.takeReplies(1);
    expect(reply.granted).toBe(1);
    // Chat 601 just had a message: its next waits about a second, and takes nothing.
    const again = await budget.takeOutbox(601);
    expect(again.kind).toBe('chat');
    expect(again.waitMs).toBeGreaterThan(900);
    const second = await budget.takeOutbox(602);
    expect(second.kind).toBe('go');
    // Three in flight: the next asks again as soon as one is answered.
    const inFlight = await budget.takeOutbox(603);
    expect(inFlight).toEqual({ kind: 'budget', waitMs: 5 });
    // Answered: each leaves the window a window after its answer. All three are answered in one
    // script, at one instant on Redis's clock, so they leave together however slow this machine is.
    const p = redis.pipeline();
    budget.queueSentAt(p, [
      { member: first.kind === 'go' ? first.slot : '', agoMs: 0 },
      { member: second.kind === 'go' ? second.slot : '', agoMs: 0 },
      { member: `${reply.prefix}:1`, agoMs: 0 },
    ]);
    await p.exec();
    const full = await budget.takeOutbox(603);
    expect(full.kind).toBe('budget');
    expect(full.waitMs).toBeGreaterThan(5);
    expect(full.waitMs).toBeLessThanOrEqual(101);
    const waiting = await budget.takeReplies(1);
    expect(waiting.granted).toBe(0);
    expect(waiting.waitMs).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, waiting.waitMs + 5));
    // A reply was waiting: the outbox lets it go first, even with room in the window.
    expect((await budget.takeOutbox(604)).kind).toBe('budget');
    expect((await budget.takeReplies(1)).granted).toBe(1);
    expect((await budget.takeOutbox(604)).kind).toBe('go');
  });

  it('counts a send while it is in flight and until a window after its answer; a send that never left goes back', async () => {
    await redis.del('cb:send:log', 'cb:send:cap', 'cb:send:replywait', 'cb:outbox:pause');
    const budget = new SendBudget(redis, { limit: 1, windowMs: 100 }, { minGapMs: 1 });
    const slow = await budget.takeOutbox(611);
    expect(slow.kind).toBe('go');
    // Longer than the window and still unanswered: it still counts.
    await new Promise((r) => setTimeout(r, 150));
    expect((await budget.takeOutbox(612)).kind).toBe('budget');
    // Answered 30 ms ago: it leaves the window 70 ms from now, not at once.
    await budget.sent(slow.kind === 'go' ? slow.slot : '', 30);
    const after = await budget.takeOutbox(612);
    expect(after.kind).toBe('budget');
    expect(after.waitMs).toBeGreaterThan(5);
    expect(after.waitMs).toBeLessThanOrEqual(71);
    await new Promise((r) => setTimeout(r, after.waitMs + 2));
    const next = await budget.takeOutbox(612);
    expect(next.kind).toBe('go');
    // Refused before it reached Telegram (a 429 or a pause): the slot is free again at once.
    await budget.unused(next.kind === 'go' ? next.slot : '');
    expect((await budget.takeOutbox(613)).kind).toBe('go');
  });

  it('backs the outbox off on a 429 and lets it creep back up', async () => {
    await redis.del('cb:send:log', 'cb:send:cap', 'cb:send:replywait', 'cb:outbox:pause');
    const budget = new SendBudget(redis, { limit: 20, windowMs: 200 }, { minGapMs: 1 });
    await budget.rateLimited(300);
    expect(await budget.pausedFor()).toBeGreaterThan(200);
    expect(await budget.outboxAllowance()).toBeCloseTo(17);
    const paused = await budget.takeOutbox(700);
    expect(paused.kind).toBe('paused');
    // Replies are not paused: they go first; as many as fit, and slots not used are given back.
    const most = await budget.takeReplies(19);
    const two = await budget.takeReplies(2);
    expect([most.granted, two.granted]).toEqual([19, 1]);
    expect(two.waitMs).toBeGreaterThan(0);
    const p = redis.pipeline();
    budget.queueRelease(p, most.prefix, 1, 19);
    budget.queueRelease(p, two.prefix, 1, 1);
    await p.exec();
    expect(await redis.zcard('cb:send:log')).toBe(0);
    await new Promise((r) => setTimeout(r, 320));
    for (let i = 0; i < 10; i++) expect((await budget.takeOutbox(701 + i)).kind).toBe('go');
    expect(await budget.outboxAllowance()).toBeCloseTo(18);
    // At most the allowance in a window, though the limit is higher.
    const results = [];
    for (let i = 0; i < 10; i++) results.push((await budget.takeOutbox(801 + i)).kind);
    expect(results.filter((k) => k === 'go').length).toBe(8);
  });
});
