/**
 * Reminders and daily summaries as people see them: the real bot, its outbox worker and the
 * Bot API emulator, on a manual clock. A whole congress month runs day by day through
 * `runReminders(now)` (the scheduler's path), fired twice a day and at the same time from a
 * second service instance with its own connections and outbox on the same Redis (a second
 * process); then the daily summary, its chart, leaders' groups, the leader's own settings,
 * unreachable secretaries and quiet hours.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/domain/congress/campaign.js';
import { checkMeetingForm } from '../../src/domain/meetings/report.js';
import { ManualClock } from '../../src/infra/clock.js';
import { createLogger } from '../../src/logger.js';
import { msg } from '../../src/messages/index.js';
import { DeliveryStore } from '../../src/outbox/deliveries.js';
import { createOutboxQueue, Outbox, type OutboxQueue, outboxId } from '../../src/outbox/outbox.js';
import type { EmuMessage } from '../../src/sandbox/chatStore.js';
import { buildServices, type Services } from '../../src/services/index.js';
import { startTestBot, type TestBot } from '../support/app.js';
import { seedCampaign } from '../support/campaign.js';

/** A local time in Vietnam (UTC+7) as UTC ms. */
const vn = (date: string, time = '08:00') => Date.parse(`${date}T${time}:00+07:00`);

const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,100',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn,XA,20',
  'CB02,Chi bộ Thôn 2,Chi bộ,Thôn,XA,20',
  'CB03,Chi bộ Thôn 3,Chi bộ,Thôn,XA,20',
  'CB04,Chi bộ Trường học,Chi bộ,Trường học,XA,12',
  'BP,Đảng bộ bộ phận Khu 1,Đảng bộ bộ phận,,XA,20',
  'CB05,Chi bộ Khu 1A,Chi bộ,,BP,20',
].join('\n');

const SEC1 = { id: 8001, first_name: 'Bí thư Thôn 1' };
const SEC2 = { id: 8002, first_name: 'Bí thư Thôn 2' };
const DEP2 = { id: 8012, first_name: 'Phó bí thư Thôn 2' };
const SEC3 = { id: 8003, first_name: 'Bí thư Thôn 3' };
/** Bound by the office but never pressed Start. */
const SEC5 = { id: 8005, first_name: 'Bí thư Khu 1A' };
const LEAD = { id: 8100, first_name: 'Lãnh đạo xã' };
const ADMIN = { id: 8200, first_name: 'Văn phòng' };
const STARTED = [SEC1, SEC2, DEP2, SEC3, LEAD, ADMIN];
const GROUP = -100500;

type User = { id: number };
const texts = (bot: TestBot, user: User) => bot.emulator.botMessages(user.id).map((x) => x.text ?? '');

function say(
  bot: TestBot,
  user: User,
  text: string,
  expected: string,
  chatId = user.id,
): Promise<EmuMessage> {
  const waiting = bot.emulator.waitForBotMessage(chatId, (x) => (x.text ?? '').includes(expected));
  bot.emulator.sendText(user.id, text, chatId === user.id ? {} : { chatId });
  return waiting;
}

async function until(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Until the outbox has nothing left to send (waiting, paced, retrying or in hand). */
async function drained(queue: OutboxQueue): Promise<void> {
  await until('the outbox to drain', async () => {
    const c = await queue.getJobCounts('wait', 'delayed', 'active', 'prioritized');
    return Object.values(c).every((n) => n === 0);
  });
}

async function seed(s: Services): Promise<Campaign> {
  expect((await s.org.importUnitsCsv('cli', TREE)).ok).toBe(true);
  const grant = (u: User, kind: 'secretary' | 'deputy' | 'leader', unit: string) =>
    s.org.people.grantRole(u.id, { kind, unit }, 'test', s.clock.now());
  await grant(SEC1, 'secretary', 'CB01');
  await grant(SEC2, 'secretary', 'CB02');
  await grant(DEP2, 'deputy', 'CB02');
  await grant(SEC3, 'secretary', 'CB03');
  await grant(SEC5, 'secretary', 'CB05');
  await grant(LEAD, 'leader', 'XA');
  return await seedCampaign(s.congress, { scope: 'XA', deadline: '23/09/2025' });
}

async function startSeeded(clock: ManualClock, env: Record<string, string> = {}) {
  const bot = await startTestBot({ clock, env: { ADMIN_IDS: String(ADMIN.id), ...env } });
  for (const u of [...STARTED, SEC5]) bot.emulator.addUser(u);
  const campaign = await seed(bot.app.services);
  for (const u of STARTED) await say(bot, u, '/start', 'Chào đồng chí');
  return { bot, campaign, queue: createOutboxQueue(bot.app.services.config.redisUrl ?? '') };
}

/** The services of a second process on the same Redis: own connections, own outbox producer. */
function secondProcess(s: Services, clock: ManualClock) {
  const url = s.config.redisUrl ?? '';
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const queue = createOutboxQueue(url);
  const outbox = new Outbox(queue, {
    clock,
    timezone: s.config.timezone,
    deliveries: new DeliveryStore(redis),
  });
  const services = buildServices({
    config: s.config,
    log: createLogger('silent'),
    clock,
    botUsername: s.botUsername,
    redis,
    outbox,
  });
  return {
    services,
    close: async () => {
      await queue.close();
      await redis.quit();
    },
  };
}

/** The branch's congress result, saved as the secretary (the report card's «Xác nhận» path). */
async function reportCongress(s: Services, user: User, branch: string, date: string): Promise<void> {
  const viewer = await s.org.viewer(user.id);
  const choice = await s.congress.branchTarget(viewer, { branch });
  if (choice.kind !== 'ok') throw new Error(choice.kind);
  const form = [
    `Ngày đại hội: ${date}`,
    'Hình thức: bầu cử',
    'Đảng viên triệu tập: 18',
    'Đảng viên có mặt: 17',
    'Cấp ủy viên được bầu: 3',
    'Tái cử: 2',
    'Nữ: 1',
    'Trẻ: 0',
    'Dân tộc thiểu số: 0',
    'Bí thư bầu tại đại hội: có',
    'Bí thư là người đứng đầu: có',
    'Phó bí thư: có',
  ].join('\n');
  const checked = s.congress.checkForm(choice.target, form);
  if (!checked.ok) throw new Error(checked.text);
  expect((await s.congress.saveReport(viewer, choice.target.campaign.id, branch, checked.report)).ok).toBe(
    true,
  );
}

/** The branch's monthly meeting report, saved as the secretary. */
async function reportMeeting(s: Services, user: User, branch: string, date: string): Promise<void> {
  const form = [
    `Ngày: ${date}`,
    'Loại: thường kỳ',
    'Thời lượng (phút): 120',
    'Tổng số đảng viên: 20',
    'Miễn sinh hoạt: 0',
    'Có mặt: 19',
    'Vắng có lý do: 1',
    'Vắng không lý do: 0',
    'Nội dung: Sinh hoạt thường kỳ',
  ].join('\n');
  const checked = checkMeetingForm(form, { today: date.split('/').reverse().join('-'), branchSize: 20 });
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  expect((await s.meetings.saveReport(await s.org.viewer(user.id), branch, checked.report)).ok).toBe(true);
}

const CONGRESS = 'Nhắc việc: Đại hội chi bộ nhiệm kỳ 2025 – 2027';
const ESCALATION = 'Các chi bộ quá hạn đại hội cần đồng chí đôn đốc';
const MEETING = /sinh hoạt chi bộ tháng/;
/**
 * The reminders a person got (congress, meeting and escalation messages), sorted: the month is
 * compressed into seconds, so the outbox's per-chat pacing may deliver two days' messages out of
 * order. Each message's day shows in its text ("còn 3 ngày", "quá hạn 2 ngày") and in its
 * delivery record, checked below.
 */
const reminders = (bot: TestBot, user: User) =>
  texts(bot, user)
    .filter((t) => t.startsWith(CONGRESS) || t.startsWith(ESCALATION) || MEETING.test(t))
    .sort();

describe('a congress month, day by day', () => {
  const clock = new ManualClock(vn('2025-08-31', '10:00'));
  let bot: TestBot;
  let second: ReturnType<typeof secondProcess>;
  let campaign: Campaign;
  let queue: OutboxQueue;

  beforeAll(async () => {
    ({ bot, campaign, queue } = await startSeeded(clock));
    const s = bot.app.services;
    // A local day off: the non-urgent reminders of 16/09 are skipped.
    expect((await s.meetings.changeSettings('cli', 'XA', { extraDaysOff: ['2025-09-16'] })).ok).toBe(true);
    second = secondProcess(s, clock);

    for (let day = '2025-09-01'; day <= '2025-09-30'; day = nextDay(day)) {
      clock.set(vn(day));
      if (day === '2025-09-05') {
        await say(bot, SEC3, '/lich 12/09/2025', 'Đã ghi nhận');
        await reportMeeting(s, SEC1, 'CB01', '03/09/2025');
        await reportMeeting(s, SEC2, 'CB02', '03/09/2025');
      }
      if (day === '2025-09-10') await say(bot, SEC2, '/lich 20/09/2025 19:30', 'Đã ghi nhận');
      // Two processes fire the schedule at once, and it fires once more.
      await Promise.all([
        s.reminders.runReminders(clock.now()),
        second.services.reminders.runReminders(clock.now()),
      ]);
      await s.reminders.runReminders(clock.now());
      if (day === '2025-09-12') {
        clock.set(vn(day, '20:00'));
        await reportCongress(s, SEC3, 'CB03', '12/09/2025');
      }
    }
    await drained(queue);
  });
  afterAll(async () => {
    await queue.close();
    await second.close();
    await bot.stop();
  });

  it('reminds a branch with no date at 14, 3 and 1 days (7 fell on a day off), then daily once overdue', () => {
    expect(reminders(bot, SEC1)).toEqual(
      [
        'Ngày mai (03/09/2025) là ngày sinh hoạt chi bộ tháng 09/2025 của Chi bộ Thôn 1. Sau buổi sinh hoạt, đồng chí gõ /sinhhoat để báo cáo.',
        `${CONGRESS}\nChi bộ Thôn 1 chưa đăng ký ngày đại hội. Hạn hoàn thành: 23/09/2025 (còn 14 ngày). Đồng chí gõ /lich NGÀY GIỜ để đăng ký, ví dụ /lich 15/09/2025 19:30.`,
        `${CONGRESS}\nChi bộ Thôn 1 chưa đăng ký ngày đại hội. Hạn hoàn thành: 23/09/2025 (còn 3 ngày). Đồng chí gõ /lich NGÀY GIỜ để đăng ký, ví dụ /lich 15/09/2025 19:30.`,
        `${CONGRESS}\nChi bộ Thôn 1 chưa đăng ký ngày đại hội. Hạn hoàn thành: 23/09/2025 (còn 1 ngày). Đồng chí gõ /lich NGÀY GIỜ để đăng ký, ví dụ /lich 15/09/2025 19:30.`,
        ...[1, 2, 3, 4, 5, 6, 7].map(
          (n) =>
            // Past the deadline a date can no longer be registered: report, or ask for an extension.
            `${CONGRESS}\nChi bộ Thôn 1 chưa báo cáo kết quả đại hội, đã quá hạn ${n} ngày (hạn hoàn thành: 23/09/2025). Nếu chi bộ đã đại hội, đồng chí gõ /daihoi để báo cáo kết quả. Nếu chưa, đề nghị đồng chí báo cáo cấp ủy cấp trên xin gia hạn; khi được gia hạn, đồng chí đăng ký ngày đại hội bằng /lich trong thời gian gia hạn.`,
        ),
      ].sort(),
    );
  });

  it('queued each reminder on its own day', async () => {
    const deliveries = new DeliveryStore(bot.app.services.redis);
    const queuedOn = async (id: string) => (await deliveries.get(id))?.queuedAt;
    const id = (kind: string, branch: string, stage: string, person: User) =>
      outboxId('rem-dh', kind, campaign.id, branch, stage, person.id);
    expect(await queuedOn(id('register', 'CB01', 'd14', SEC1))).toBe(vn('2025-09-09'));
    expect(await queuedOn(id('register', 'CB01', 'd3', SEC1))).toBe(vn('2025-09-20'));
    expect(await queuedOn(id('register', 'CB01', 'd7', SEC1))).toBeUndefined();
    expect(await queuedOn(id('overdue', 'CB01', '2025-09-27', SEC1))).toBe(vn('2025-09-27'));
    expect(await queuedOn(id('dayBefore', 'CB02', 'truoc-2025-09-20', DEP2))).toBe(vn('2025-09-19'));
    expect(await queuedOn(outboxId('rem-dh-lanhdao', LEAD.id, '2025-09-22'))).toBe(vn('2025-09-22'));
  });

  it('reminds the secretary and the deputy the day before their congress, then daily while the result is missing', () => {
    // Up to the deadline (23/09) a moved congress registers a new date; after it, only an extension helps.
    const congress = (n: number) =>
      `${CONGRESS}\nChi bộ Thôn 2 đã đăng ký đại hội ngày 20/09/2025 nhưng chưa báo cáo kết quả (quá ${n} ngày). Hạn hoàn thành: 23/09/2025. Đồng chí gõ /daihoi để báo cáo kết quả; ${
        n <= 3
          ? 'nếu đại hội dời lịch, gõ /lich NGÀY GIỜ để đăng ký ngày mới.'
          : 'nếu đại hội dời lịch, đã quá hạn nên không đăng ký ngày mới được: đề nghị đồng chí báo cáo cấp ủy cấp trên xin gia hạn.'
      }`;
    const expected = [
      `${CONGRESS}\nChi bộ Thôn 2 chưa đăng ký ngày đại hội. Hạn hoàn thành: 23/09/2025 (còn 14 ngày). Đồng chí gõ /lich NGÀY GIỜ để đăng ký, ví dụ /lich 15/09/2025 19:30.`,
      `${CONGRESS}\nChi bộ Thôn 2 tổ chức đại hội vào 19:30 ngày 20/09/2025 (ngày mai). Sau đại hội, đồng chí gõ /daihoi để báo cáo kết quả ngay trong ngày.`,
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(congress),
    ];
    expect(reminders(bot, DEP2)).toEqual(expected.sort());
    // The meeting reminder goes to the secretary only.
    expect(reminders(bot, SEC2)).toEqual(
      [
        'Ngày mai (03/09/2025) là ngày sinh hoạt chi bộ tháng 09/2025 của Chi bộ Thôn 2. Sau buổi sinh hoạt, đồng chí gõ /sinhhoat để báo cáo.',
        ...expected,
      ].sort(),
    );
  });

  it('a branch that registered early and reported gets only the day-before reminder, and its meeting reminders', () => {
    expect(reminders(bot, SEC3)).toEqual(
      [
        'Ngày mai (03/09/2025) là ngày sinh hoạt chi bộ tháng 09/2025 của Chi bộ Thôn 3. Sau buổi sinh hoạt, đồng chí gõ /sinhhoat để báo cáo.',
        'Chi bộ Thôn 3 chưa báo cáo sinh hoạt chi bộ tháng 09/2025. Hạn báo cáo: 08/09/2025 (đã quá 1 ngày). Đồng chí gõ /sinhhoat để báo cáo.',
        `${CONGRESS}\nChi bộ Thôn 3 tổ chức đại hội vào ngày 12/09/2025 (ngày mai). Sau đại hội, đồng chí gõ /daihoi để báo cáo kết quả ngay trong ngày.`,
        // 16/09 (qh8) fell on the local day off.
        'Chi bộ Thôn 3 chưa báo cáo sinh hoạt chi bộ tháng 09/2025. Hạn báo cáo: 08/09/2025 (đã quá 15 ngày). Đồng chí gõ /sinhhoat để báo cáo.',
        'Chi bộ Thôn 3 chưa báo cáo sinh hoạt chi bộ tháng 09/2025. Hạn báo cáo: 08/09/2025 (đã quá 22 ngày). Đồng chí gõ /sinhhoat để báo cáo.',
      ].sort(),
    );
  });

  it('escalates to the leader after two overdue days, one message a day listing the branches', () => {
    const escalations = reminders(bot, LEAD).filter((t) => t.startsWith(ESCALATION));
    // 22/09 to 30/09; nothing before CB02 was two days past its date.
    expect(escalations).toHaveLength(9);
    const first = escalations.find((t) => t.includes('(quá 2 ngày)'));
    expect(first).toContain('- Chi bộ Thôn 2: đại hội ngày 20/09/2025, chưa báo cáo kết quả (quá 2 ngày).');
    expect(first).not.toContain('Chi bộ Thôn 1');
    // 25/09: the branches with no date are two days past the deadline too (in tree order).
    expect(escalations).toContain(
      [
        ESCALATION,
        '',
        'Đại hội chi bộ nhiệm kỳ 2025 – 2027 (hạn 23/09/2025):',
        '- Chi bộ Khu 1A: chưa đăng ký ngày đại hội, quá hạn 2 ngày.',
        '  Bí thư: id 8005.',
        '- Chi bộ Thôn 1: chưa đăng ký ngày đại hội, quá hạn 2 ngày.',
        '  Bí thư: Bí thư Thôn 1.',
        '- Chi bộ Thôn 2: đại hội ngày 20/09/2025, chưa báo cáo kết quả (quá 5 ngày).',
        '  Bí thư: Bí thư Thôn 2.',
        '- Chi bộ Trường học: chưa đăng ký ngày đại hội, quá hạn 2 ngày.',
        '  Chưa có bí thư dùng bot.',
        '',
        'Đề nghị đồng chí đôn đốc các chi bộ hoàn thành. Gõ /tiendo để xem tiến độ.',
      ].join('\n'),
    );
    expect(escalations.every((t) => !t.includes('Chi bộ Thôn 3'))).toBe(true);
  });

  it('sent nothing twice although every day ran three times in two processes', () => {
    for (const u of [SEC1, SEC2, DEP2, SEC3, LEAD]) {
      const all = reminders(bot, u);
      expect(new Set(all).size, `duplicates to ${u.id}`).toBe(all.length);
    }
  });
});

describe('the daily summary, leaders’ groups, unreachable secretaries and quiet hours', () => {
  const clock = new ManualClock(vn('2025-09-12', '20:00'));
  let bot: TestBot;
  let campaign: Campaign;
  let queue: OutboxQueue;
  let s: Services;
  const photos = (chatId: number) => bot.emulator.botMessages(chatId).filter((x) => x.photo);

  beforeAll(async () => {
    ({ bot, campaign, queue } = await startSeeded(clock, { QUIET_HOURS: '21:00-07:00' }));
    s = bot.app.services;
    bot.emulator.addGroup({ id: GROUP, title: 'Thường trực Đảng ủy', memberIds: [ADMIN.id, LEAD.id] });
    await reportCongress(s, SEC3, 'CB03', '12/09/2025');
    clock.set(vn('2025-09-15', '09:00'));
    await say(bot, SEC2, '/lich 20/09/2025', 'Đã ghi nhận');
    await reportMeeting(s, SEC1, 'CB01', '15/09/2025');
    // SEC2 blocks the bot; SEC5 never pressed Start. The 08:00 reminders find out.
    bot.emulator.blockBot(SEC2.id);
    clock.set(vn('2025-09-25', '08:00'));
    await s.reminders.runReminders(clock.now());
    await until('both marked unreachable', async () => {
      const [p2, p5] = await Promise.all([s.org.person(SEC2.id), s.org.person(SEC5.id)]);
      return !!p2?.unreachable && !!p5?.unreachable;
    });
    clock.set(vn('2025-09-25', '10:00'));
    await reportMeeting(s, SEC3, 'CB03', '25/09/2025');
    await drained(queue);
  });
  afterAll(async () => {
    await queue.close();
    await bot.stop();
  });

  it('an admin registers a leaders’ group', async () => {
    await say(bot, LEAD, '/nhomlanhdao', 'chỉ dành cho Quản trị', GROUP);
    const ok = await say(bot, ADMIN, '/nhomlanhdao', 'Đã đăng ký nhóm này', GROUP);
    expect(ok.text).toContain('bản tổng hợp hằng ngày của Đảng bộ xã Tân Lập lúc 17:00');
    const inPrivate = await say(bot, ADMIN, '/nhomlanhdao', 'gõ trong nhóm lãnh đạo');
    expect(inPrivate.text).toContain('/nhomlanhdao');
  });

  it('answers a malformed code, a long time and a private command in the group clearly, never with the apology', async () => {
    // "BP:children" would name the key of BP's children, a set: refused before any key is read.
    const bad = await say(bot, ADMIN, '/nhomlanhdao BP:children', 'Không có đơn vị mã', GROUP);
    expect(bad.text).toBe(msg.units.unknownUnit('BP:children'));
    const long = '1'.repeat(5_000);
    const time = await say(bot, LEAD, `/tomtat gio ${long}`, 'không phải giờ hợp lệ');
    expect(time.text).toBe(msg.reminders.tomtat.badTime(long));
    expect(time.text!.length).toBeLessThan(300);
    // Summaries and schedules are for a private chat: a group is told so, and shown nothing.
    for (const command of ['/tomtat', '/lichgui']) {
      const answer = await say(bot, ADMIN, command, msg.common.privateOnly, GROUP);
      expect(answer.text).toBe(msg.common.privateOnly);
    }
    const all = [...texts(bot, { id: GROUP }), ...texts(bot, ADMIN), ...texts(bot, LEAD)];
    expect(all.some((t) => t.startsWith('Xin lỗi'))).toBe(false);
  });

  it('sends the leader and the group the summary at 17:00: X/Y, overdue, meetings, unreachable, and the chart', async () => {
    clock.set(vn('2025-09-25', '16:45'));
    expect((await s.reminders.sendSummaries(clock.now())).queued).toBe(0);
    clock.set(vn('2025-09-25', '17:00'));
    expect((await s.reminders.sendSummaries(clock.now())).queued).toBe(2);
    await drained(queue);
    const summary = texts(bot, LEAD).find((t) => t.startsWith('Tổng hợp ngày 25/09/2025'));
    expect(summary).toBe(
      [
        'Tổng hợp ngày 25/09/2025',
        '',
        'Đảng bộ xã Tân Lập',
        'Báo cáo mới hôm nay (1):',
        '- Chi bộ Thôn 3: sinh hoạt chi bộ tháng 09/2025',
        'Đại hội chi bộ nhiệm kỳ 2025 – 2027: đã đại hội 1/5 (20%) chi bộ.',
        'Đã đăng ký lịch, chưa đại hội: 1. Hạn hoàn thành: 23/09/2025 (đã quá 2 ngày).',
        // The office's lines: chuẩn y so far, and the pilot congress the commune still lacks.
        'Đã chuẩn y 0/1 chi bộ đã đại hội.',
        'Đại hội điểm',
        '• Đảng bộ xã Tân Lập: chưa chọn chi bộ đại hội điểm.',
        'Chi bộ quá hạn (4):',
        '- Chi bộ Thôn 2: đại hội ngày 20/09/2025, chưa báo cáo kết quả (bí thư: Bí thư Thôn 2)',
        // Then in tree order: Khu 1A sits in the Đảng bộ bộ phận, listed first.
        '- Chi bộ Khu 1A: chưa đại hội, đã quá hạn hoàn thành (bí thư: id 8005)',
        '- Chi bộ Thôn 1: chưa đại hội, đã quá hạn hoàn thành (bí thư: Bí thư Thôn 1)',
        '- Chi bộ Trường học: chưa đại hội, đã quá hạn hoàn thành (bí thư: chưa có)',
        'Sinh hoạt chi bộ tháng 09/2025: đã báo cáo 2/5 chi bộ.',
        'Bí thư chưa nhận được tin của bot (3):',
        '- đ/c id 8005 (Chi bộ Khu 1A): đã chặn bot hoặc chưa bấm Bắt đầu',
        '- đ/c Bí thư Thôn 2 (Chi bộ Thôn 2): đã chặn bot hoặc chưa bấm Bắt đầu',
        '- Chi bộ Trường học: chưa có bí thư dùng bot',
        '',
        'Huy hiệu Đảng: dịp 07/11/2025 còn 43 ngày, 0 đảng viên đến hạn (/huyhieu).',
      ].join('\n'),
    );
    const [chart] = photos(LEAD.id);
    expect(chart?.caption).toBe('Biểu đồ tiến độ: Đảng bộ xã Tân Lập, ngày 25/09/2025.');
    expect(texts(bot, { id: GROUP }).some((t) => t.startsWith('Tổng hợp ngày 25/09/2025'))).toBe(true);
    expect(photos(GROUP)).toHaveLength(1);
    // Later checks the same day send nothing again.
    clock.set(vn('2025-09-25', '17:15'));
    expect(await s.reminders.sendSummaries(clock.now())).toMatchObject({ queued: 0, alreadySent: 2 });
  });

  it('/tomtat tat_bieudo turns the photo off; /tomtat gives the summary now', async () => {
    await say(bot, LEAD, '/tomtat tat_bieudo', 'Đã tắt biểu đồ');
    clock.set(vn('2025-09-26', '17:00'));
    expect((await s.reminders.sendSummaries(clock.now())).queued).toBe(2);
    await drained(queue);
    const next = texts(bot, LEAD).find((t) => t.startsWith('Tổng hợp ngày 26/09/2025'));
    expect(next).toContain('đã đại hội 1/5 (20%) chi bộ');
    expect(next).toContain('Biểu đồ đang tắt; gõ /tomtat bat_bieudo để bật lại.');
    expect(photos(LEAD.id)).toHaveLength(1);
    expect(photos(GROUP)).toHaveLength(2);

    await say(bot, LEAD, '/tomtat bat_bieudo', 'Đã bật biểu đồ');
    const before = photos(LEAD.id).length;
    await say(bot, LEAD, '/tomtat', 'Tổng hợp ngày 26/09/2025');
    await until('the chart of /tomtat', () => photos(LEAD.id).length === before + 1, 10_000);
  });

  it('a leader moves their summary time', async () => {
    await say(bot, LEAD, '/tomtat gio 18h30', 'lúc 18:30');
    const bad = await say(bot, LEAD, '/tomtat gio 25:00', 'không phải giờ hợp lệ');
    expect(bad.text).toContain('/tomtat gio 18:30');
    clock.set(vn('2025-09-27', '17:00'));
    expect(await s.reminders.sendSummaries(clock.now())).toMatchObject({ queued: 1, notYet: 1 });
    clock.set(vn('2025-09-27', '18:30'));
    expect(await s.reminders.sendSummaries(clock.now())).toMatchObject({ queued: 1, alreadySent: 1 });
    expect(await queue.getJob(`sum-${LEAD.id}-20250927`)).toBeDefined();
  });

  it('holds a reminder run at 22:00 until the end of quiet hours, and sends it then', async () => {
    clock.set(vn('2025-09-27', '22:00'));
    const r = await s.reminders.runReminders(clock.now());
    expect(r.congress.deferred).toBeGreaterThan(0);
    const id = outboxId('rem-dh', 'overdue', campaign.id, 'CB01', '2025-09-27', SEC1.id);
    const job = await queue.getJob(id);
    expect(await job?.getState()).toBe('delayed');
    expect(job?.opts.delay).toBe(vn('2025-09-28', '07:00') - vn('2025-09-27', '22:00'));
    const seen = texts(bot, SEC1).filter((t) => t.includes('quá hạn 4 ngày')).length;
    expect(seen).toBe(0);
    // Morning comes: the held message goes out, once.
    await job?.promote();
    await until(
      'the held reminder',
      () => texts(bot, SEC1).some((t) => t.includes('quá hạn 4 ngày')),
      10_000,
    );
  });

  it('shows admins the schedules and queue health', async () => {
    const refused = await say(bot, LEAD, '/lichgui', 'Quản trị');
    expect(refused.text).not.toContain('Lịch gửi tự động');
    const shown = await say(bot, ADMIN, '/lichgui', 'Lịch gửi tự động');
    expect(shown.text).toContain('Giờ yên lặng: 21:00–07:00');
    // The 22:00 run's other messages still wait for the morning; the two refused ones failed.
    expect(shown.text).toMatch(/Hàng đợi gửi tin: đang chờ 0, hẹn giờ [1-9]\d*, lỗi 2\./);
    expect(shown.text).toContain('Người không nhận được tin (chặn bot hoặc chưa bấm Bắt đầu): 2.');
    expect(shown.text).toMatch(/Nhắc việc đại hội: chạy lúc 27\/09\/2025 22:00, xếp hàng \d+ tin/);
  });
});

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
