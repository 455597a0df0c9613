/**
 * Outbox throughput and delivery guarantees against Telegram-like flood control.
 *
 * Run 1: 3,000 messages to 3,000 chats through the real Outbox, worker and TelegrafSender, in
 * this process, against the emulator limiting sends to 30 a second overall (sliding) and 1 a
 * second per chat. Reports the achieved rate ÷ 30/s, 429s, duplicates and lost messages.
 *
 * Run 2: the same with the worker in a child process that is killed (SIGKILL) halfway and
 * started again: nothing may be lost, and only sends in flight at the kill may repeat.
 *
 * The last line printed is one JSON object with the figures.
 *
 * `npm run bench -- outbox --channel zalo`: the Zalo channel instead, through the Zalo queue,
 * worker and ZaloSender against the emulator's Zalo side limiting sends to ZALO_OUTBOX_RATE a
 * second overall (sliding) and 1 a second per chat; 600 messages to 600 chats (BENCH_MESSAGES).
 * `npm run bench -- outbox --with-load`: instead, the whole bot (`startApp`: poller, replies,
 * outbox worker, one send budget) against the emulator enforcing 30 sends in any sliding second
 * and 1 a second per chat, answering an open-loop stream of BENCH_LOAD_RATE updates a second
 * (default 150) from 1,000 other people while the outbox sends 600 notices to 600 chats. A tenth
 * of the updates are /help (a reply message), the rest button presses answered by a toast. The
 * figure: the outbox's rate over what the replies leave of 30 a second, and 429s.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Telegram } from 'telegraf';
import { startOutboxWorker } from '../jobs/outbox.js';
import { parseConfig } from '../src/config.js';
import { systemClock } from '../src/infra/clock.js';
import { startEmbeddedRedis } from '../src/infra/embeddedRedis.js';
import { createLogger } from '../src/logger.js';
import { DeliveryStore } from '../src/outbox/deliveries.js';
import { createOutboxQueue, Outbox, type OutboxQueue, ZALO_OUTBOX_QUEUE } from '../src/outbox/outbox.js';
import { BotApiEmulator } from '../src/sandbox/emulator.js';
import { ZaloEmulator } from '../src/sandbox/zaloEmulator.js';
import { ChannelStore } from '../src/store/channels.js';
import { FileLinkStore } from '../src/store/fileLinks.js';
import { ZaloOptionStore } from '../src/store/zaloOptions.js';
import { TelegrafSender } from '../src/telegram/sender.js';
import { ZaloApi } from '../src/zalo/api.js';
import { FileLinks } from '../src/zalo/links.js';
import { ZaloSender, zaloPace } from '../src/zalo/sender.js';

const MESSAGES = 3_000;
const TELEGRAM_RATE = 30;
const TOKEN = '123456789:BENCH-token-for-the-emulator';
const ZALO_TOKEN = '987654321:BENCH-zalo-token-for-the-emulator';
const FIRST_CHAT = 10_000_000;
const ROOT = path.resolve(import.meta.dirname, '..');

interface Counted {
  duplicates: number;
  lost: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chatIds = () => Array.from({ length: MESSAGES }, (_, i) => FIRST_CHAT + i);

/** An emulator with Telegram's limits, where each of the chats has pressed Start. */
async function openEmulator(): Promise<{ emulator: BotApiEmulator; apiRoot: string }> {
  const emulator = new BotApiEmulator({
    rateLimits: { globalPerSecond: TELEGRAM_RATE, perChatPerSecond: 1, groupPerMinute: 20 },
  });
  const apiRoot = await emulator.listen(0);
  for (const id of chatIds()) {
    emulator.addUser({ id, first_name: `Đảng viên ${id - FIRST_CHAT + 1}` });
    emulator.sendText(id, '/start');
  }
  return { emulator, apiRoot };
}

async function enqueueAll(queue: OutboxQueue, tag: string): Promise<void> {
  const outbox = new Outbox(queue, { clock: systemClock, timezone: 'Asia/Ho_Chi_Minh' });
  const ids = chatIds();
  for (let i = 0; i < ids.length; i += 500) {
    await outbox.sendMany(
      ids.slice(i, i + 500).map((chatId) => ({
        id: `bench.${tag}.${chatId}`,
        message: {
          chatId,
          personId: chatId,
          text: `Đồng chí vui lòng gửi báo cáo tháng (${tag}).`,
          purpose: 'bench',
        },
      })),
    );
  }
}

function count(emulator: BotApiEmulator): Counted {
  let duplicates = 0;
  let lost = 0;
  for (const id of chatIds()) {
    const n = emulator.botMessages(id).length;
    if (n === 0) lost++;
    else duplicates += n - 1;
  }
  return { duplicates, lost };
}

async function waitFor(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(50);
  }
}

function startWorkerProcess(redisUrl: string, apiRoot: string, rate: number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'outboxWorkerProcess.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      BENCH_REDIS_URL: redisUrl,
      BENCH_API_ROOT: apiRoot,
      BENCH_TOKEN: TOKEN,
      OUTBOX_RATE: String(rate),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return child;
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d.toString();
      if (out.includes('outbox worker ready')) resolve();
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`worker process exited early (${code ?? signal})`)),
    );
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export default async function run(): Promise<void> {
  if (process.argv.includes('--with-load')) return runWithLoad();
  const i = process.argv.indexOf('--channel');
  const channel = i >= 0 ? process.argv[i + 1] : 'telegram';
  if (channel === 'zalo') return runZalo();
  if (channel !== 'telegram') throw new Error(`--channel must be telegram or zalo, not ${channel}`);
  const config = parseConfig({ OUTBOX_RATE: process.env.OUTBOX_RATE ?? '29', QUIET_HOURS: 'off' });
  const rate = config.outboxRate;
  const log = createLogger('error', process.stderr);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-bench-outbox-'));
  const cleanup: (() => Promise<unknown>)[] = [];
  const children = new Set<ChildProcess>();
  const killChildren = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.once('exit', killChildren);

  try {
    const redisServer = await startEmbeddedRedis({ dir: path.join(dir, 'redis') });
    cleanup.push(() => redisServer.stop());
    const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
    cleanup.push(() => redis.quit());
    console.log(
      `outbox bench: ${MESSAGES} messages to ${MESSAGES} chats, Telegram limit ${TELEGRAM_RATE}/s, OUTBOX_RATE=${rate}`,
    );

    // ---- Run 1: worker in this process.
    const first = await openEmulator();
    cleanup.push(() => first.emulator.close());
    const queue = createOutboxQueue(redisServer.url);
    cleanup.push(() => queue.close());
    await enqueueAll(queue, 'r1');
    const worker = startOutboxWorker({
      connection: redisServer.url,
      sender: new TelegrafSender(new Telegram(TOKEN, { apiRoot: first.apiRoot, webhookReply: false })),
      listener: new DeliveryStore(redis),
      rate,
      log,
    });
    const started = Date.now();
    await waitFor('run 1 deliveries', () => first.emulator.stats.sent >= MESSAGES, 10 * 60_000);
    await worker.close();
    const sendTimes = first.emulator
      .callLog()
      .filter((c) => c.method === 'sendMessage' && c.status === 200)
      .map((c) => c.at);
    const spanMs = Math.max(1, sendTimes[sendTimes.length - 1]! - sendTimes[0]!);
    const achieved = ((sendTimes.length - 1) * 1000) / spanMs;
    const run1 = count(first.emulator);
    const throttled = first.emulator.stats.throttled429;
    console.log(
      `run 1: ${sendTimes.length} sent in ${(spanMs / 1000).toFixed(1)} s (${((Date.now() - started) / 1000).toFixed(1)} s from worker start): ` +
        `${achieved.toFixed(2)}/s = ${(achieved / TELEGRAM_RATE).toFixed(3)} of ${TELEGRAM_RATE}/s; ` +
        `429s ${throttled}, duplicates ${run1.duplicates}, lost ${run1.lost}`,
    );

    // ---- Run 2: worker in a child process, killed halfway and started again.
    await redis.flushall();
    const second = await openEmulator();
    cleanup.push(() => second.emulator.close());
    await enqueueAll(queue, 'r2');
    const child1 = startWorkerProcess(redisServer.url, second.apiRoot, rate);
    children.add(child1);
    await ready(child1);
    await waitFor('half of run 2', () => second.emulator.stats.sent >= MESSAGES / 2, 10 * 60_000);
    child1.kill('SIGKILL');
    await exited(child1);
    const sentAtKill = second.emulator.stats.sent;
    const activeAtKill = await queue.getActiveCount();
    console.log(
      `run 2: worker process killed (SIGKILL) after ${sentAtKill} sends; ${activeAtKill} jobs were in its hands`,
    );
    const child2 = startWorkerProcess(redisServer.url, second.apiRoot, rate);
    children.add(child2);
    await ready(child2);
    await waitFor(
      'run 2 deliveries',
      () => chatIds().every((id) => second.emulator.botMessages(id).length > 0),
      10 * 60_000,
    );
    // Let anything still in flight land before counting.
    for (let i = 0; i < 40 && (await queue.getJobCountByTypes('waiting', 'active', 'delayed')) > 0; i++)
      await sleep(250);
    child2.kill('SIGTERM');
    await exited(child2);
    const run2 = count(second.emulator);
    console.log(
      `run 2: restarted worker finished; duplicates ${run2.duplicates} (≤ ${activeAtKill} in flight), lost ${run2.lost}, ` +
        `429s ${second.emulator.stats.throttled429}`,
    );

    console.log(
      JSON.stringify({
        rate_ratio: Number((achieved / TELEGRAM_RATE).toFixed(3)),
        achieved_per_second: Number(achieved.toFixed(2)),
        throttled_429: throttled,
        duplicates: run1.duplicates,
        lost: run1.lost,
        restart_duplicates: run2.duplicates,
        restart_lost: run2.lost,
        restart_in_flight: activeAtKill,
        restart_throttled_429: second.emulator.stats.throttled429,
      }),
    );
  } finally {
    killChildren();
    for (const stop of cleanup.reverse()) await stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    process.removeListener('exit', killChildren);
  }
}

/** The Zalo run: one pass, worker in this process. */
async function runZalo(): Promise<void> {
  const config = parseConfig({ ZALO_OUTBOX_RATE: process.env.ZALO_OUTBOX_RATE, QUIET_HOURS: 'off' });
  const rate = config.zalo!.outboxRate;
  // The platform's limit the emulator enforces (Zalo publishes none): ZALO_OUTBOX_RATE itself
  // unless BENCH_ZALO_LIMIT says otherwise.
  const limit = Number(process.env.BENCH_ZALO_LIMIT ?? rate);
  const messages = Number(process.env.BENCH_MESSAGES ?? 600);
  const log = createLogger('error', process.stderr);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-bench-outbox-zalo-'));
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const redisServer = await startEmbeddedRedis({ dir: path.join(dir, 'redis') });
    cleanup.push(() => redisServer.stop());
    const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
    cleanup.push(() => redis.quit());
    console.log(
      `outbox bench (Zalo): ${messages} messages to ${messages} chats, Zalo limit ${limit}/s and 1/s a chat, ZALO_OUTBOX_RATE=${rate}`,
    );
    const emulator = new ZaloEmulator({ rateLimits: { perSecond: limit, perChatGapMs: 1000 } });
    const apiRoot = await emulator.listen(0);
    cleanup.push(() => emulator.close());
    const chats = Array.from({ length: messages }, (_, k) => `zb-${10_000 + k}`);
    for (const id of chats) emulator.addUser({ id, display_name: `Đảng viên ${id}` });

    const queue = createOutboxQueue(redisServer.url, ZALO_OUTBOX_QUEUE);
    cleanup.push(() => queue.close());
    const outbox = new Outbox(queue, { clock: systemClock, timezone: 'Asia/Ho_Chi_Minh' });
    for (let k = 0; k < chats.length; k += 500) {
      await outbox.sendMany(
        chats.slice(k, k + 500).map((chatId) => ({
          id: `bench.zalo.${chatId}`,
          message: {
            channel: 'zalo' as const,
            chatId,
            text: 'Đồng chí vui lòng gửi báo cáo tháng.',
            purpose: 'bench',
          },
        })),
      );
    }
    const api = new ZaloApi(ZALO_TOKEN, apiRoot);
    const links = new FileLinks(new FileLinkStore(redis), () => 'http://127.0.0.1', systemClock);
    const worker = startOutboxWorker({
      connection: redisServer.url,
      sender: new ZaloSender(
        { api, links, timezone: 'Asia/Ho_Chi_Minh' },
        new ZaloOptionStore(redis),
        new ChannelStore(redis),
      ),
      listener: new DeliveryStore(redis),
      rate,
      paceRate: zaloPace(rate),
      queueName: ZALO_OUTBOX_QUEUE,
      pacePrefix: 'cb:outbox:zalo',
      log,
    });
    cleanup.push(() => worker.close());
    const started = Date.now();
    await waitFor('Zalo deliveries', () => emulator.stats.sent >= messages, 30 * 60_000);
    // Let anything still in flight land before counting.
    for (let k = 0; k < 20 && (await queue.getJobCountByTypes('waiting', 'active', 'delayed')) > 0; k++)
      await sleep(250);
    const sendTimes = emulator
      .callLog()
      .filter((c) => c.method === 'sendMessage' && c.ok)
      .map((c) => c.at);
    const spanMs = Math.max(1, sendTimes[sendTimes.length - 1]! - sendTimes[0]!);
    const achieved = ((sendTimes.length - 1) * 1000) / spanMs;
    let duplicates = 0;
    let lost = 0;
    for (const id of chats) {
      const n = emulator.botMessages(id).length;
      if (n === 0) lost++;
      else duplicates += n - 1;
    }
    const throttled = emulator.stats.throttled429;
    console.log(
      `zalo: ${sendTimes.length} sent in ${(spanMs / 1000).toFixed(1)} s (${((Date.now() - started) / 1000).toFixed(1)} s from worker start): ` +
        `${achieved.toFixed(2)}/s = ${(achieved / rate).toFixed(3)} of ${rate}/s; 429s ${throttled}, duplicates ${duplicates}, lost ${lost}`,
    );
    console.log(
      JSON.stringify({
        channel: 'zalo',
        rate_ratio: Number((achieved / rate).toFixed(3)),
        achieved_per_second: Number(achieved.toFixed(2)),
        throttled_429: throttled,
        duplicates,
        lost,
      }),
    );
  } finally {
    for (const stop of cleanup.reverse()) await stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bot answering updates while its outbox sends: the send budget shared by both. */
async function runWithLoad(): Promise<void> {
  const loadRate = Number(process.env.BENCH_LOAD_RATE ?? 150);
  const NOTICES = 600;
  const LOAD_PEOPLE = 1_000;
  const FIRST_LOAD = 20_000_000;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-bench-outbox-load-'));
  const redisServer = await startEmbeddedRedis({ dir: path.join(dir, 'redis') });
  const emulator = new BotApiEmulator({
    rateLimits: { globalPerSecond: TELEGRAM_RATE, perChatPerSecond: 1, groupPerMinute: 20 },
  });
  const apiRoot = await emulator.listen(0);
  const noticeChats = chatIds().slice(0, NOTICES);
  const loadPeople = Array.from({ length: LOAD_PEOPLE }, (_, i) => FIRST_LOAD + i);
  const startMessage = new Map<number, number>();
  for (const id of [...noticeChats, ...loadPeople]) {
    emulator.addUser({ id, first_name: `Đảng viên ${id}` });
    const u = emulator.sendText(id, '/start');
    startMessage.set(id, u.message.message_id);
  }
  // Those /start presses only open the chats: confirm them so the bot does not answer them.
  const last = (await fetch(`${apiRoot}/bot${TOKEN}/getUpdates?timeout=0&offset=-1`).then((r) =>
    r.json(),
  )) as {
    result: { update_id: number }[];
  };
  await fetch(`${apiRoot}/bot${TOKEN}/getUpdates?timeout=0&limit=1&offset=${last.result[0]!.update_id + 1}`);
  if (emulator.unconfirmedUpdates() !== 0) throw new Error('bench: the /start updates are still pending');
  const config = parseConfig({
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: apiRoot,
    REDIS_URL: redisServer.url,
    PORT: '0',
    QUIET_HOURS: 'off',
    LOG_LEVEL: 'silent',
  });
  const { startApp } = await import('../src/app.js');
  const app = await startApp(config, { log: createLogger('silent', process.stderr), emulator });
  const queue = createOutboxQueue(redisServer.url);
  let load: NodeJS.Timeout | undefined;
  try {
    console.log(
      `outbox with load: ${NOTICES} notices to ${NOTICES} chats while answering ${loadRate} updates/s ` +
        `(a tenth /help, the rest button presses) from ${LOAD_PEOPLE} people; Telegram limit ${TELEGRAM_RATE} in any sliding second`,
    );
    // Open loop: updates go in on the clock, whatever the bot is doing.
    let sentUpdates = 0;
    const loadStart = performance.now();
    load = setInterval(() => {
      const due = Math.floor(((performance.now() - loadStart) / 1000) * loadRate);
      for (; sentUpdates < due; sentUpdates++) {
        const person = loadPeople[sentUpdates % LOAD_PEOPLE]!;
        if (sentUpdates % 10 === 0) emulator.sendText(person, '/help');
        else emulator.pressButton(person, person, startMessage.get(person)!, 'bench:press');
      }
    }, 10);
    await sleep(3_000);
    const outbox = new Outbox(queue, { clock: systemClock, timezone: 'Asia/Ho_Chi_Minh' });
    await outbox.sendMany(
      noticeChats.map((chatId) => ({
        id: `bench.load.${chatId}`,
        message: { chatId, personId: chatId, text: 'Đồng chí vui lòng gửi báo cáo tháng.', purpose: 'bench' },
      })),
    );
    const notices = new Set(noticeChats);
    await waitFor(
      'the notices',
      () =>
        noticeChats.every((id) => emulator.botMessages(id).some((m) => m.text?.includes('báo cáo tháng'))),
      10 * 60_000,
    );
    clearInterval(load);
    load = undefined;
    const sends = emulator.callLog().filter((c) => c.method === 'sendMessage' && c.status === 200);
    const noticeSends = sends.filter((c) => notices.has(Number(c.params.chat_id)));
    const from = noticeSends[0]!.at;
    const to = noticeSends.at(-1)!.at;
    const spanS = Math.max(0.001, (to - from) / 1000);
    const replies = sends.filter((c) => !notices.has(Number(c.params.chat_id)) && c.at >= from && c.at <= to);
    const outboxRate = (noticeSends.length - 1) / spanS;
    const replyRate = replies.length / spanS;
    const left = TELEGRAM_RATE - replyRate;
    const figures = {
      load_updates_per_second: loadRate,
      updates_sent: sentUpdates,
      reply_rate: Number(replyRate.toFixed(2)),
      outbox_rate: Number(outboxRate.toFixed(2)),
      left_by_replies: Number(left.toFixed(2)),
      outbox_share_of_what_replies_leave: Number((outboxRate / left).toFixed(3)),
      throttled_429: emulator.stats.throttled429,
      throttled_429_replies: emulator
        .callLog()
        .filter((c) => c.status === 429 && !notices.has(Number(c.params.chat_id))).length,
      duplicates: noticeChats.reduce(
        (n, id) =>
          n +
          Math.max(0, emulator.botMessages(id).filter((m) => m.text?.includes('báo cáo tháng')).length - 1),
        0,
      ),
    };
    for (const line of refusals(emulator, notices)) console.log(line);
    console.log(
      `over ${spanS.toFixed(1)} s: replies ${replyRate.toFixed(2)}/s, outbox ${outboxRate.toFixed(2)}/s = ` +
        `${figures.outbox_share_of_what_replies_leave} of the ${left.toFixed(2)}/s the replies leave; ` +
        `429s ${figures.throttled_429} (${figures.throttled_429_replies} of them replies), duplicates ${figures.duplicates}`,
    );
    console.log(JSON.stringify(figures));
  } finally {
    if (load) clearInterval(load);
    await app.stop();
    await queue.close();
    await emulator.close();
    await redisServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The emulator's flood control on what it refused: for each 429, which chat and kind of send,
 * which window was full, and the sends it had counted in the second before (on its own clock).
 */
function refusals(emulator: BotApiEmulator, notices: Set<number>): string[] {
  const decisions = emulator.floodDecisions();
  const kind = (chatId: number) => (notices.has(chatId) ? 'notice' : 'reply');
  const lines: string[] = [];
  for (const [i, d] of decisions.entries()) {
    if (!d.refusedBy) continue;
    const before = decisions.slice(0, i).filter((c) => !c.refusedBy && c.at > d.at - 1000);
    const noticesBefore = before.filter((c) => notices.has(c.chatId)).length;
    const sameChat = before.filter((c) => c.chatId === d.chatId).at(-1);
    lines.push(
      `429 at +${d.at - decisions[0]!.at} ms: ${kind(d.chatId)} to ${d.chatId}, ${d.refusedBy} window full; ` +
        `${before.length} counted in the second before (${noticesBefore} notices, ${before.length - noticesBefore} replies)` +
        (before.length > 0 ? `, the oldest ${d.at - before[0]!.at} ms before` : '') +
        (sameChat ? `; this chat had one ${d.at - sameChat.at} ms before` : ''),
    );
  }
  return lines;
}
