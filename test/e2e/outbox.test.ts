/**
 * The outbox end to end: Outbox → BullMQ on a real Redis → worker → TelegrafSender → the Bot
 * API emulator over HTTP, with its flood control and injected faults.
 */
import { Redis } from 'ioredis';
import { Telegram } from 'telegraf';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type OutboxWorker, type OutboxWorkerOptions, startOutboxWorker } from '../../jobs/outbox.js';
import { systemClock } from '../../src/infra/clock.js';
import { createLogger } from '../../src/logger.js';
import { DeliveryStore } from '../../src/outbox/deliveries.js';
import { createOutboxQueue, Outbox, type OutboxQueue } from '../../src/outbox/outbox.js';
import { composeListeners, type DeliveryListener, type OutboxMessage } from '../../src/outbox/types.js';
import { BotApiEmulator, type RateLimits } from '../../src/sandbox/emulator.js';
import { TelegrafSender } from '../../src/telegram/sender.js';
import { freshRedisUrl } from '../support/redis.js';

const TOKEN = '123456789:TEST-token-for-the-emulator-only';
const TELEGRAM_LIKE: RateLimits = { globalPerSecond: 30, perChatPerSecond: 1, groupPerMinute: 20 };
const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', process.stderr);

/** Calls on the listener, in order, for assertions. */
interface Recorded {
  delivered: { id: string; messageId: number }[];
  failed: { id: string; reason: string; permanent: boolean }[];
  unreachable: { personId: number | undefined; chatId: number | string; reason: string }[];
}

function recordingListener(): DeliveryListener & { calls: Recorded } {
  const calls: Recorded = { delivered: [], failed: [], unreachable: [] };
  return {
    calls,
    delivered: async (job, messageId) => {
      calls.delivered.push({ id: job.id, messageId });
    },
    failed: async (job, reason, permanent) => {
      calls.failed.push({ id: job.id, reason, permanent });
    },
    unreachable: async (personId, chatId, reason) => {
      calls.unreachable.push({ personId, chatId, reason });
    },
  };
}

async function until(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('outbox end to end', () => {
  let redisUrl: string;
  let redis: Redis;
  let emulator: BotApiEmulator;
  let queue: OutboxQueue;
  let running: OutboxWorker | undefined;
  let store: DeliveryStore;
  let recorder: ReturnType<typeof recordingListener>;
  let outbox: Outbox;
  let telegram: Telegram;

  beforeAll(async () => {
    redisUrl = await freshRedisUrl();
    redis = new Redis(redisUrl);
  });
  afterAll(() => redis.quit());

  beforeEach(async () => {
    await redis.flushdb();
    emulator = new BotApiEmulator({ rateLimits: TELEGRAM_LIKE });
    telegram = new Telegram(TOKEN, { apiRoot: await emulator.listen(0), webhookReply: false });
    queue = createOutboxQueue(redisUrl);
    store = new DeliveryStore(redis);
    recorder = recordingListener();
    outbox = new Outbox(queue, {
      clock: systemClock,
      timezone: 'Asia/Ho_Chi_Minh',
      deliveries: store,
      backoffMs: 50,
    });
  });

  afterEach(async () => {
    await running?.close();
    running = undefined;
    await queue.close();
    await emulator.close();
  });

  const startWorker = (opts: Partial<OutboxWorkerOptions> = {}) => {
    running = startOutboxWorker({
      connection: redisUrl,
      sender: new TelegrafSender(telegram, { timeoutMs: 2_000 }),
      listener: composeListeners(store, recorder),
      rate: 25,
      log,
      ...opts,
    });
    return running;
  };

  /** A member who pressed Start, so the bot may write to them. */
  const member = (id: number) => {
    emulator.addUser({ id, first_name: `Đảng viên ${id}` });
    emulator.sendText(id, '/start');
  };

  const text = (chatId: number, t: string): OutboxMessage => ({
    chatId,
    text: t,
    purpose: 'notice',
    personId: chatId,
  });
  const sendsTo = (chatId: number) =>
    emulator
      .callLog()
      .filter((c) => c.method === 'sendMessage' && String(c.params.chat_id) === String(chatId));

  it('delivers a deterministic id once, even sent twice and from two instances at once', async () => {
    member(101);
    const other = createOutboxQueue(redisUrl);
    try {
      const twin = new Outbox(other, { clock: systemClock, timezone: 'Asia/Ho_Chi_Minh' });
      await Promise.all([
        outbox.send(text(101, 'Nhắc báo cáo tháng 3'), { id: 'reminder.r3.101' }),
        twin.send(text(101, 'Nhắc báo cáo tháng 3'), { id: 'reminder.r3.101' }),
      ]);
      startWorker();
      await until('delivery', () => recorder.calls.delivered.length === 1);
      await outbox.send(text(101, 'Nhắc báo cáo tháng 3'), { id: 'reminder.r3.101' });
      await until(
        'the job to complete',
        async () => (await queue.getJobCountByTypes('waiting', 'active')) === 0,
      );
      await new Promise((r) => setTimeout(r, 200));
      expect(emulator.botMessages(101).map((m) => m.text)).toEqual(['Nhắc báo cáo tháng 3']);
      expect(await store.get('reminder.r3.101')).toMatchObject({ state: 'sent', chatId: 101 });
    } finally {
      await other.close();
    }
  });

  it('paces messages to one chat at least a second apart, with no 429 from Telegram', async () => {
    member(102);
    await outbox.sendMany(
      Array.from({ length: 5 }, (_, i) => ({ message: text(102, `Tin ${i + 1}`), id: `notice.p.${i}` })),
    );
    startWorker();
    await until('five deliveries', () => emulator.botMessages(102).length === 5);
    const times = sendsTo(102).map((c) => c.at);
    expect(times).toHaveLength(5);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(emulator.stats.throttled429).toBe(0);
  });

  it('rides out 429s when Telegram is stricter than the limiter: everything arrives, nothing twice', async () => {
    emulator.faults.setRateLimits({ globalPerSecond: 4, perChatPerSecond: 1, groupPerMinute: 20 });
    const chats = Array.from({ length: 12 }, (_, i) => 200 + i);
    for (const c of chats) member(c);
    await outbox.sendMany(chats.map((c) => ({ message: text(c, `Chỉ đạo ${c}`), id: `directive.d1.${c}` })));
    startWorker({ rate: 20, maxRateLimited: 50 });
    await until('all deliveries', () => recorder.calls.delivered.length === chats.length, 25_000);
    expect(emulator.stats.throttled429).toBeGreaterThan(0);
    for (const c of chats) expect(emulator.botMessages(c).map((m) => m.text)).toEqual([`Chỉ đạo ${c}`]);
    expect(recorder.calls.failed).toEqual([]);
  });

  it('fails a message after too many 429s and records it', async () => {
    emulator.faults.setRateLimits({ globalPerSecond: 0, perChatPerSecond: 1, groupPerMinute: 20 });
    member(250);
    await outbox.send(text(250, 'Không gửi được'), { id: 'notice.cap.250' });
    startWorker({ maxRateLimited: 1 });
    await until('the failure', () => recorder.calls.failed.length === 1);
    expect(recorder.calls.failed[0]).toMatchObject({ id: 'notice.cap.250', permanent: false });
    expect(await store.get('notice.cap.250')).toMatchObject({ state: 'failed' });
    expect(sendsTo(250).map((c) => c.status)).toEqual([429, 429]);
  });

  it('marks a person who blocked the bot unreachable, records the failure, and never retries', async () => {
    member(103);
    emulator.blockBot(103);
    await outbox.send(text(103, 'Thông báo họp'), { id: 'notice.block.103' });
    startWorker();
    await until('the failure', () => recorder.calls.failed.length === 1);
    expect(recorder.calls.unreachable).toEqual([
      { personId: 103, chatId: 103, reason: 'Forbidden: bot was blocked by the user' },
    ]);
    expect(recorder.calls.failed).toEqual([
      { id: 'notice.block.103', reason: 'Forbidden: bot was blocked by the user', permanent: true },
    ]);
    expect(await store.get('notice.block.103')).toMatchObject({
      state: 'failed',
      reason: 'Forbidden: bot was blocked by the user',
      permanent: true,
    });
    expect(await store.isUnreachable(103)).toBe(true);
    const job = await queue.getJob('notice.block.103');
    expect(await job?.getState()).toBe('failed');
    expect(sendsTo(103)).toHaveLength(1);
  });

  it('treats a chat that never pressed Start as unreachable', async () => {
    emulator.addUser({ id: 104, first_name: 'Chưa bắt đầu' });
    await outbox.send(text(104, 'Xin chào'), { id: 'notice.nostart.104' });
    startWorker();
    await until('the failure', () => recorder.calls.failed.length === 1);
    expect(recorder.calls.unreachable[0]).toMatchObject({
      chatId: 104,
      reason: 'Bad Request: chat not found',
    });
    expect(sendsTo(104)).toHaveLength(1);
  });

  it('retries a 5xx with backoff and delivers on the third try', async () => {
    member(105);
    emulator.faults.failNext(105, 2, 502);
    await outbox.send(text(105, 'Tổng hợp ngày'), { id: 'summary.d.105' });
    startWorker();
    await until('delivery', () => recorder.calls.delivered.length === 1);
    expect(sendsTo(105).map((c) => c.status)).toEqual([502, 502, 200]);
    expect(emulator.botMessages(105).map((m) => m.text)).toEqual(['Tổng hợp ngày']);
    // BullMQ counts the successful attempt too.
    expect((await queue.getJob('summary.d.105'))?.attemptsMade).toBe(3);
  });

  it('gives up after the last attempt and records the failure', async () => {
    member(106);
    emulator.faults.failNext(106, 10, 500);
    const short = new Outbox(queue, {
      clock: systemClock,
      timezone: 'Asia/Ho_Chi_Minh',
      attempts: 3,
      backoffMs: 20,
    });
    await short.send(text(106, 'Sẽ hỏng'), { id: 'summary.fail.106' });
    startWorker();
    await until('the failure', () => recorder.calls.failed.length === 1);
    expect(recorder.calls.failed[0]).toMatchObject({ id: 'summary.fail.106', permanent: false });
    expect(sendsTo(106)).toHaveLength(3);
    expect(await store.get('summary.fail.106')).toMatchObject({ state: 'failed', permanent: false });
  });

  it('times out a hung call and delivers on retry', async () => {
    member(107);
    emulator.faults.hangNext(107, 1, 10_000);
    await outbox.send(text(107, 'Sau khi treo'), { id: 'notice.hang.107' });
    startWorker({ sender: new TelegrafSender(telegram, { timeoutMs: 300 }) });
    await until('delivery', () => recorder.calls.delivered.length === 1);
    expect(emulator.botMessages(107).map((m) => m.text)).toEqual(['Sau khi treo']);
  });

  it('rejects a malformed message for good, without retrying', async () => {
    member(108);
    // A button Telegram refuses (callback data over 64 bytes): the message itself is wrong.
    const badButton = [[{ label: 'Xem', value: 'x'.repeat(65) }]];
    await outbox.send({ ...text(108, 'Nút hỏng'), actions: badButton }, { id: 'notice.bad.108' });
    startWorker();
    await until('the failure', () => recorder.calls.failed.length === 1);
    expect(recorder.calls.failed[0]).toMatchObject({ id: 'notice.bad.108', permanent: true });
    expect(recorder.calls.unreachable).toEqual([]);
    expect(sendsTo(108)).toHaveLength(1);
  });

  it('sends a long summary as ordered parts, then its file, with the keyboard on the last', async () => {
    member(109);
    const lines = Array.from({ length: 300 }, (_, i) => `Chi bộ số ${i + 1}: đã báo cáo, tỷ lệ 95,2%.`);
    const keyboard = { inline_keyboard: [[{ text: 'Chi tiết', callback_data: 'sum:1' }]] };
    await outbox.send(
      {
        ...text(109, lines.join('\n')),
        actions: [[{ label: 'Chi tiết', value: 'sum:1' }]],
        document: {
          filename: 'tonghop.csv',
          contentBase64: Buffer.from('chi_bo,ty_le\n1,95.2\n').toString('base64'),
          caption: 'Tệp tổng hợp',
        },
        track: { kind: 'summary', id: '2025-03-10' },
      },
      { id: 'summary.2025-03-10.109' },
    );
    startWorker();
    await until('delivery', () => recorder.calls.delivered.length === 1);
    const got = emulator.botMessages(109);
    expect(got.length).toBeGreaterThanOrEqual(3);
    const texts = got.filter((m) => m.text !== undefined).map((m) => m.text);
    expect(texts.join('\n')).toBe(lines.join('\n'));
    const last = got[got.length - 1]!;
    expect(last.document?.file_name).toBe('tonghop.csv');
    expect(last.caption).toBe('Tệp tổng hợp');
    expect(last.reply_markup).toEqual(keyboard);
    expect(got.slice(0, -1).every((m) => m.reply_markup === undefined)).toBe(true);
    expect(recorder.calls.delivered[0]?.messageId).toBe(last.message_id);
    // The sent job stays (its id keeps a repeat out) without its file's bytes.
    await until('the file dropped from the job', async () => {
      const job = await queue.getJob('summary.2025-03-10.109');
      return job?.data.message.document?.contentBase64 === '';
    });
    const kept = (await queue.getJob('summary.2025-03-10.109'))!.data.message;
    expect(kept.document?.filename).toBe('tonghop.csv');
    expect(kept.text).toBe(lines.join('\n'));
    expect(await store.trackCounts('summary', '2025-03-10')).toEqual({
      sent: 1,
      failed: 0,
      pending: 0,
      total: 1,
    });
  });

  it('resumes a multi-part message after a failure without resending the parts that went out', async () => {
    member(110);
    const long = `${'Phần một. '.repeat(450)}\n\n${'Phần hai. '.repeat(100)}`;
    await outbox.send(text(110, long), { id: 'summary.resume.110' });
    startWorker();
    // The first part goes out, then the second meets a 500 once (the per-chat pause lets us arm it in time).
    await until('the first part', () => emulator.botMessages(110).length === 1);
    emulator.faults.failNext(110, 1, 500);
    await until('delivery', () => recorder.calls.delivered.length === 1);
    expect(emulator.botMessages(110)).toHaveLength(2);
    expect(sendsTo(110).map((c) => c.status)).toEqual([200, 500, 200]);
  });
});
