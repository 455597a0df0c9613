/**
 * Redis fails over under the bot: a master, one replica and three Sentinels; secretaries report
 * through the real bot while the outbox sends; the master is SIGKILLed. Every report the bot
 * acknowledged ("Đã lưu") must be on the promoted replica, the bot must go on saving there, and
 * the outbox may repeat only what was in flight at the kill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/domain/congress/campaign.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import { createOutboxQueue } from '../../src/outbox/outbox.js';
import type { EmuMessage } from '../../src/sandbox/chatStore.js';
import { inlineButtons, startTestBot, type TestBot } from '../support/app.js';
import { seedCampaign } from '../support/campaign.js';
import {
  onlineReplicas,
  type ReplicatedRedis,
  SENTINEL_MASTER_NAME,
  startReplicatedRedis,
} from '../support/sentinel.js';

const m = msg.congress;
const BRANCHES = Array.from({ length: 40 }, (_, i) => `CB${String(i + 1).padStart(2, '0')}`);
const secretaryOf = (code: string) => ({ id: 9000 + Number(code.slice(2)), first_name: `Bí thư ${code}` });
const READERS = Array.from({ length: 60 }, (_, i) => ({ id: 9500 + i, first_name: `Đảng viên ${i}` }));
const noticeText = (i: number) => `Thông báo kiểm tra chuyển đổi dự phòng số ${i}`;
const noticeId = (i: number) => `failover-notice-${i}`;

const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'T,Đảng bộ huyện Hòa An,Đảng bộ,,,0',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,T,800',
  ...BRANCHES.map((code) => `${code},Chi bộ ${code},Chi bộ,Thôn,XA,20`),
].join('\n');

const FORM = [
  `${m.labels.date}: 08/09/2025`,
  `${m.labels.format}: bầu cử`,
  `${m.labels.summoned}: 20`,
  `${m.labels.present}: 19`,
  `${m.labels.elected}: 5`,
  `${m.labels.reElected}: 3`,
  `${m.labels.women}: 2`,
  `${m.labels.young}: 1`,
  `${m.labels.minority}: 0`,
  `${m.labels.secretaryDirect}: có`,
  `${m.labels.secretaryIsHead}: có`,
  `${m.labels.deputy}: có`,
].join('\n');

const includes = (part: string) => (x: EmuMessage) => !x.edited && (x.text ?? '').includes(part);
const either =
  (...preds: ((x: EmuMessage) => boolean)[]) =>
  (x: EmuMessage) =>
    preds.some((p) => p(x));
const apology = includes('Mã tham chiếu');

/** Where these outbox jobs stand on the Redis at `port`: for the message of a failed wait. */
async function outboxStates(port: number, ids: readonly string[]): Promise<string> {
  const queue = createOutboxQueue(`redis://127.0.0.1:${port}`);
  try {
    const states = await Promise.all(
      ids.map(async (id) => {
        const job = await queue.getJob(id);
        if (!job) return `${id}: no job`;
        return `${id}: ${await job.getState()}, ${job.attemptsMade} attempts${job.failedReason ? `, ${job.failedReason}` : ''}`;
      }),
    );
    return states.join('\n');
  } finally {
    await queue.close();
  }
}

/**
 * One secretary reports through the chat: the form, then «Xác nhận». 'saved' only when the bot
 * said it is stored ("Đã lưu", or unchanged from the stored one); an apology, a spent button or
 * silence count as not acknowledged.
 */
async function report(bot: TestBot, code: string): Promise<'saved' | 'failed'> {
  const user = secretaryOf(code);
  try {
    const asked = bot.emulator.waitForBotMessage(user.id, either(includes(m.card.confirm), apology), {
      timeoutMs: 20_000,
    });
    bot.emulator.sendText(user.id, `/daihoi\n${FORM}`);
    const card = await asked;
    const confirm = inlineButtons(card).find((b) => b.text === m.buttonConfirm);
    if (!confirm) return 'failed';
    const answered = bot.emulator.waitForBotMessage(
      user.id,
      either(includes('Đã lưu'), includes(m.unchanged), apology),
      { timeoutMs: 20_000 },
    );
    bot.emulator.pressButton(user.id, card.chat.id, card.message_id, confirm.callback_data);
    // "Unchanged" also tells the secretary the report is stored.
    return apology(await answered) ? 'failed' : 'saved';
  } catch {
    return 'failed';
  }
}

describe('Redis failover with a replica and Sentinel', () => {
  let redis: ReplicatedRedis;
  let bot: TestBot;
  let campaign: Campaign;

  beforeAll(async () => {
    redis = await startReplicatedRedis();
    bot = await startTestBot({
      clock: new ManualClock(Date.parse('2025-09-10T03:00:00Z')),
      env: {
        REDIS_URL: '',
        REDIS_SENTINELS: redis.sentinelsEnv,
        REDIS_SENTINEL_NAME: SENTINEL_MASTER_NAME,
        REDIS_MIN_REPLICAS: '1',
        REDIS_REPLICA_TIMEOUT_MS: '1000',
      },
    });
    for (const code of BRANCHES) bot.emulator.addUser(secretaryOf(code));
    for (const reader of READERS) bot.emulator.addUser(reader);
    const s = bot.app.services;
    expect((await s.org.importUnitsCsv('cli', TREE)).ok).toBe(true);
    for (const code of BRANCHES)
      await s.org.people.grantRole(
        secretaryOf(code).id,
        { kind: 'secretary', unit: code },
        'test',
        s.clock.now(),
      );
    campaign = await seedCampaign(s.congress, { scope: 'T', pilots: ['CB01'] });
    // A bot cannot write first: each reader opens the chat.
    await Promise.all(
      READERS.map((r) => {
        const greeted = bot.emulator.waitForBotMessage(r.id);
        bot.emulator.sendText(r.id, '/start');
        return greeted;
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
    await redis?.stop();
  });

  it('loses no acknowledged report, goes on on the promoted replica, and the outbox repeats only what was in flight', async () => {
    const s = bot.app.services;
    expect(await redis.currentMasterPort()).toBe(redis.masterPort);
    expect(await onlineReplicas(redis.masterPort)).toBe(1);

    // Before: ten reports, each acknowledged after WAIT saw it on the replica.
    const before = await Promise.all(BRANCHES.slice(0, 10).map((code) => report(bot, code)));
    expect(before).toEqual(Array(10).fill('saved'));

    // The outbox starts sending 60 notices (about 2.4 s at 25 a second)…
    await Promise.all(
      READERS.map((r, i) => s.notifier.toPerson(r.id, noticeText(i), { id: noticeId(i), purpose: 'notice' })),
    );
    // …and twenty secretaries report one after another, 100 ms apart; the master dies under them.
    const during = BRANCHES.slice(10, 30).map((code, i) =>
      new Promise((r) => setTimeout(r, i * 100))
        .then(() => report(bot, code))
        .then((r) => [code, r] as const),
    );
    await new Promise((r) => setTimeout(r, 800));
    const killedAt = Date.now();
    redis.killMaster();
    // Sentinel promotes the replica; noted as soon as it says so.
    const promoted = (async () => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        if ((await redis.currentMasterPort().catch(() => 0)) === redis.replicaPort) return Date.now();
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('Sentinel did not promote the replica within 20 s');
    })();
    const duringResults = await Promise.all(during);
    const promotedAt = await promoted;
    // The old master comes back as a replica, so saves can be confirmed again.
    await redis.restartOldMaster();
    await expect
      .poll(() => onlineReplicas(redis.replicaPort).catch(() => 0), { timeout: 20_000, interval: 200 })
      .toBeGreaterThanOrEqual(1);

    // After: the rest, and whoever was not acknowledged during the failover, report again.
    const retry = duringResults.filter(([, r]) => r === 'failed').map(([code]) => code);
    const after = await Promise.all([...BRANCHES.slice(30), ...retry].map((code) => report(bot, code)));
    expect(after.every((r) => r === 'saved')).toBe(true);

    // Every acknowledged report is on the promoted replica.
    const acknowledged = [
      ...BRANCHES.slice(0, 10),
      ...duringResults.filter(([, r]) => r === 'saved').map(([code]) => code),
      ...BRANCHES.slice(30),
      ...retry,
    ];
    expect(new Set(acknowledged).size).toBe(BRANCHES.length);
    const missing: string[] = [];
    for (const code of acknowledged) {
      if ((await s.congress.reportHistory(campaign.id, code)).length === 0) missing.push(code);
    }
    expect(missing).toEqual([]);

    // The outbox resumes: every notice arrives; a repeat is only of a send in flight at the kill.
    // A job whose move to active reached the old master but whose answer was lost sits in active
    // until its lock lapses (30 s) and a stalled check (every 30 s) that had already seen it
    // finds it without one: up to a minute and a half after the kill.
    const sendsOf = (i: number) =>
      bot.emulator
        .callLog()
        .filter((c) => c.method === 'sendMessage' && c.status === 200 && c.params.text === noticeText(i));
    const unsent = () => READERS.flatMap((_, i) => (sendsOf(i).length === 0 ? [noticeId(i)] : []));
    try {
      await expect.poll(() => unsent().length, { timeout: 100_000, interval: 250 }).toBe(0);
    } catch (err) {
      const states = await outboxStates(await redis.currentMasterPort(), unsent());
      throw new Error(`${(err as Error).message}\n${states}`);
    }
    const firstSends = READERS.map((_, i) => sendsOf(i)[0]!.at);
    // The kill fell inside the run: some notices went before it, some only after the promotion.
    expect(firstSends.filter((at) => at < killedAt).length).toBeGreaterThan(0);
    expect(firstSends.filter((at) => at > promotedAt).length).toBeGreaterThan(0);
    const repeated = READERS.map((_, i) => sendsOf(i)).filter((sends) => sends.length > 1);
    for (const sends of repeated) {
      expect(sends[0]!.at).toBeGreaterThanOrEqual(killedAt - 2_000);
      expect(sends[0]!.at).toBeLessThanOrEqual(promotedAt);
    }
    expect(repeated.length).toBeLessThanOrEqual(5);
    process.stderr.write(
      `failover: during ${duringResults.filter(([, r]) => r === 'saved').length}/20 acknowledged, ` +
        `${repeated.length} notice(s) repeated, promoted ${promotedAt - killedAt} ms after the kill\n`,
    );
  }, 200_000);
});
