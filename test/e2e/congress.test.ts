import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/domain/congress/campaign.js';
import { formatTerm } from '../../src/domain/congress/campaign.js';
import {
  addDays,
  calendarDate,
  formatNumber,
  formatPercent,
  formatRatio,
  formatVnDate,
} from '../../src/domain/vn.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import type { EmuMessage } from '../../src/sandbox/chatStore.js';
import { BotApiEmulator } from '../../src/sandbox/emulator.js';
import { CongressStore } from '../../src/store/congress.js';
import { inlineButtons, ROOT, spawnBot, startTestBot, TEST_TOKEN, type TestBot } from '../support/app.js';
import { seedCampaign } from '../support/campaign.js';
import { hasText, press, pressData, say } from '../support/chat.js';
import { freshRedisUrl } from '../support/redis.js';

const m = msg.congress;

const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'T,Đảng bộ huyện Hòa An,Đảng bộ,,,0',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,T,1600',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn,XA,1400',
  'CB02,Chi bộ Thôn 2,Chi bộ,Thôn,XA,8',
  'CB03,Chi bộ Trường học,Chi bộ,Trường học,XA,12',
  'CB04,Chi bộ Thôn 4,Chi bộ,Thôn,XA,30',
  'BP1,Đảng bộ bộ phận Khu 1,Đảng bộ bộ phận,,XA,40',
  'CB05,Chi bộ Khu 1A,Chi bộ,,BP1,20',
  'CB06,Chi bộ Khu 1B,Chi bộ,,BP1,20',
  'XB,Đảng bộ xã Hòa Bình,Đảng bộ cơ sở,,T,60',
  'CB11,Chi bộ Thôn Hòa 1,Chi bộ,,XB,30',
  'CB12,Chi bộ Thôn Hòa 2,Chi bộ,,XB,30',
].join('\n');
const NAMES: Record<string, string> = {
  T: 'Đảng bộ huyện Hòa An',
  XA: 'Đảng bộ xã Tân Lập',
  CB01: 'Chi bộ Thôn 1',
  CB02: 'Chi bộ Thôn 2',
  CB03: 'Chi bộ Trường học',
  CB04: 'Chi bộ Thôn 4',
  BP1: 'Đảng bộ bộ phận Khu 1',
  CB05: 'Chi bộ Khu 1A',
  CB06: 'Chi bộ Khu 1B',
  XB: 'Đảng bộ xã Hòa Bình',
  CB11: 'Chi bộ Thôn Hòa 1',
  CB12: 'Chi bộ Thôn Hòa 2',
};
const XA_BRANCHES = ['CB01', 'CB02', 'CB03', 'CB04', 'CB05', 'CB06'];

const SEC1 = { id: 8001, first_name: 'Bí thư Thôn 1' };
const SEC2 = { id: 8002, first_name: 'Bí thư Thôn 2' };
const DEP3 = { id: 8003, first_name: 'Phó bí thư Trường học' };
const SEC4 = { id: 8004, first_name: 'Bí thư Thôn 4' };
/** Secretary of two branches. */
const SEC56 = { id: 8005, first_name: 'Bí thư Khu 1' };
const SEC11 = { id: 8011, first_name: 'Bí thư Thôn Hòa 1' };
const LEAD_XA = { id: 8100, first_name: 'Lãnh đạo xã Tân Lập' };
const LEAD_XB = { id: 8101, first_name: 'Lãnh đạo xã Hòa Bình' };
const ADMIN = { id: 8200, first_name: 'Văn phòng' };
const NOBODY = { id: 8300, first_name: 'Chưa có quyền' };
const EVERYONE = [SEC1, SEC2, DEP3, SEC4, SEC56, SEC11, LEAD_XA, LEAD_XB, ADMIN, NOBODY];

/** 10:00 in Vietnam on a given day. */
const at = (isoDate: string) => Date.parse(`${isoDate}T03:00:00Z`);

type User = { id: number };

async function startSeededBot(clock: ManualClock, redisUrl?: string): Promise<TestBot> {
  const bot = await startTestBot({
    clock,
    env: { ADMIN_IDS: String(ADMIN.id), ...(redisUrl ? { REDIS_URL: redisUrl } : {}) },
  });
  for (const u of EVERYONE) bot.emulator.addUser(u);
  return bot;
}

/** The tree, the roles, and the round C1 over the whole district with one pilot per commune. */
async function seed(bot: TestBot): Promise<Campaign> {
  const s = bot.app.services;
  expect((await s.org.importUnitsCsv('cli', TREE)).ok).toBe(true);
  const grant = (u: User, kind: 'secretary' | 'deputy' | 'leader', unit: string) =>
    s.org.people.grantRole(u.id, { kind, unit }, 'test', s.clock.now());
  await grant(SEC1, 'secretary', 'CB01');
  await grant(SEC2, 'secretary', 'CB02');
  await grant(DEP3, 'deputy', 'CB03');
  await grant(SEC4, 'secretary', 'CB04');
  await grant(SEC56, 'secretary', 'CB05');
  await grant(SEC56, 'secretary', 'CB06');
  await grant(SEC11, 'secretary', 'CB11');
  await grant(LEAD_XA, 'leader', 'XA');
  await grant(LEAD_XB, 'leader', 'XB');
  return await seedCampaign(s.congress, { scope: 'T', pilots: ['CB04', 'CB11'] });
}

/** A message the bot started itself (through the outbox), whenever it arrived. */
function notice(bot: TestBot, user: User, expected: string): Promise<EmuMessage> {
  return bot.emulator.waitForBotMessage(user.id, hasText(expected), { since: 0, timeoutMs: 15_000 });
}

const hasConfirm = (x: EmuMessage) => inlineButtons(x).some((b) => b.text.startsWith('Xác nhận'));

interface Result {
  date: string;
  format: 'bầu cử' | 'không bầu cử';
  summoned: number;
  present: number;
  elected: number;
  reElected: number;
  women: number;
  young: number;
  minority: number;
  direct: 'có' | 'không';
  head: 'có' | 'không' | 'không áp dụng';
  deputy: 'có' | 'không' | 'không áp dụng';
}

function form(r: Result): string {
  return [
    `${m.labels.date}: ${r.date}`,
    `${m.labels.format}: ${r.format}`,
    `${m.labels.summoned}: ${formatNumber(r.summoned)}`,
    `${m.labels.present}: ${formatNumber(r.present)}`,
    `${m.labels.elected}: ${r.elected}`,
    `${m.labels.reElected}: ${r.reElected}`,
    `${m.labels.women}: ${r.women}`,
    `${m.labels.young}: ${r.young}`,
    `${m.labels.minority}: ${r.minority}`,
    `${m.labels.secretaryDirect}: ${r.direct}`,
    `${m.labels.secretaryIsHead}: ${r.head}`,
    `${m.labels.deputy}: ${r.deputy}`,
  ].join('\n');
}

/** Reports a result through the chat: /daihoi with the form, then «Xác nhận và lưu». */
async function report(bot: TestBot, user: User, r: Result): Promise<void> {
  const card = await say(bot, user, `/daihoi\n${form(r)}`, m.card.confirm);
  await press(bot, user, card, m.buttonConfirm, 'Đã lưu');
}

describe('reporting the result by fill-in form', () => {
  const clock = new ManualClock(at('2025-09-10'));
  let bot: TestBot;
  let c1: Campaign;
  beforeAll(async () => {
    bot = await startSeededBot(clock);
    c1 = await seed(bot);
  });
  afterAll(() => bot.stop());

  it('answers /daihoi with the blank form and a button to answer question by question', async () => {
    const blank = await say(bot, SEC1, '/daihoi', `${m.labels.date}:`);
    for (const label of Object.values(m.labels)) expect(blank.text).toContain(`${label}:`);
    expect(inlineButtons(blank).map((b) => b.text)).toEqual([m.chat.buttonDialog]);
    const intro = bot.emulator.botMessages(SEC1.id).at(-2);
    // Thôn: the head-of-unit question applies, and the intro says when «Không áp dụng» is right.
    expect(intro?.text).toBe(`${m.chat.formIntro(NAMES.CB01!, c1.name)}\n${m.headNote(true)}`);
    expect(intro?.text).toContain('«Không áp dụng» chỉ dùng khi');
  });

  it('takes the form pasted back without accents, in another order, with 1.349-style numbers; saves only on «Xác nhận»', async () => {
    const pasted = [
      'dang vien co mat: 1.300',
      'NGAY DAI HOI: 08/09/2025',
      'pho bi thu: co',
      'hinh thuc: bau cu',
      'Dang vien trieu tap: 1.349',
      'cap uy vien duoc bau: 5',
      'tai cu: 3',
      'nu: 2',
      'tre: 1',
      'dan toc thieu so: 0',
      'bi thu bau tai dai hoi: co',
      'bi thu la nguoi dung dau: khong ap dung',
    ].join('\n');
    const card = await say(bot, SEC1, pasted, m.card.confirm);
    expect(card.text).toContain(m.card.title(NAMES.CB01!));
    expect(card.text).toContain(m.card.dateLine('08/09/2025', 'bầu cử'));
    expect(card.text).toContain(m.card.members('1.349', '1.300'));
    expect(card.text).toContain(m.card.elected('5', '3', '2'));
    expect(card.text).toContain(m.card.electedProfile('2', '1', '0'));
    expect(card.text).toContain(m.card.line(m.labels.secretaryIsHead, 'không áp dụng'));
    expect(inlineButtons(card).map((b) => b.text)).toEqual([m.buttonConfirm, msg.common.buttonCancel]);
    expect(m.buttonConfirm.startsWith('Xác nhận')).toBe(true);
    // Nothing is stored before the secretary confirms.
    expect(await bot.app.services.congress.reportHistory(c1.id, 'CB01')).toEqual([]);

    // A hurried double press saves once; the second press is told what was saved.
    const confirmData = inlineButtons(card).find((b) => b.text === m.buttonConfirm)!.callback_data;
    bot.emulator.pressButton(SEC1.id, card.chat.id, card.message_id, confirmData);
    const saved = await press(bot, SEC1, card, m.buttonConfirm, 'Đã lưu');
    expect(saved.text).toContain(m.saved);
    await expect
      .poll(() => bot.emulator.botMessages(SEC1.id).map((x) => x.text))
      .toContain(m.alreadySaved(1));
    const history = await bot.app.services.congress.reportHistory(c1.id, 'CB01');
    expect(history).toHaveLength(1);
    expect(history[0]?.report).toMatchObject({ summoned: 1349, present: 1300, elected: 5, deputy: 'co' });
    expect(history[0]?.savedBy).toBe(String(SEC1.id));
  });

  it('lists every problem of a bad form at once, with no «Xác nhận» button', async () => {
    const bad = [
      `${m.labels.date}: 31/09/2025`,
      `${m.labels.format}: bầu cử`,
      `${m.labels.summoned}: 27`,
      `${m.labels.present}: 28`,
      `${m.labels.elected}: 5`,
      `${m.labels.reElected}: 3`,
      `${m.labels.women}: 6`,
      `${m.labels.young}: 1`,
      `${m.labels.minority}: 0`,
      `${m.labels.secretaryDirect}: có`,
      `${m.labels.secretaryIsHead}: có`,
    ].join('\n');
    const answer = await say(bot, SEC1, `/daihoi\n${bad}`, m.errorsHeader);
    expect(answer.text).toContain(m.reportErrors.badDate('31/09/2025'));
    expect(answer.text).toContain(m.reportErrors.presentOverSummoned('28', '27'));
    expect(answer.text).toContain(m.reportErrors.overElected(m.counts.women, '6', '5'));
    expect(answer.text).toContain(m.reportErrors.missing(m.labels.deputy, m.examples.deputy));
    expect(hasConfirm(answer)).toBe(false);
    expect(await bot.app.services.congress.reportHistory(c1.id, 'CB01')).toHaveLength(1);
  });

  it('amends the result when it is reported again, keeping the earlier version', async () => {
    const amended: Result = {
      date: '08/09/2025',
      format: 'bầu cử',
      summoned: 1349,
      present: 1310,
      elected: 5,
      reElected: 4,
      women: 2,
      young: 1,
      minority: 0,
      direct: 'có',
      head: 'không áp dụng',
      deputy: 'có',
    };
    const card = await say(bot, SEC1, `/daihoi\n${form(amended)}`, m.card.confirm);
    const saved = await press(bot, SEC1, card, m.buttonConfirm, 'Đã lưu');
    expect(saved.text).toContain(m.amended(2));
    const history = await bot.app.services.congress.reportHistory(c1.id, 'CB01');
    expect(history.map((h) => h.version)).toEqual([1, 2]);
    expect(history.map((h) => h.report.present)).toEqual([1300, 1310]);
  });

  it('lets a deputy report for the branch', async () => {
    const r: Result = {
      date: '09/09/2025',
      format: 'không bầu cử',
      summoned: 11,
      present: 10,
      elected: 0,
      reElected: 0,
      women: 0,
      young: 0,
      minority: 0,
      direct: 'không',
      head: 'có',
      deputy: 'không áp dụng',
    };
    await report(bot, DEP3, r);
    const history = await bot.app.services.congress.reportHistory(c1.id, 'CB03');
    expect(history[0]?.report.format).toBe('khong_bau_cu');
    expect(history[0]?.savedBy).toBe(String(DEP3.id));
  });

  it('asks a secretary of two branches which one, and reports for the one chosen', async () => {
    const choose = await say(bot, SEC56, '/daihoi', m.chat.chooseBranch);
    expect(inlineButtons(choose).map((b) => b.text)).toEqual([
      NAMES.CB05,
      NAMES.CB06,
      msg.common.buttonCancel,
    ]);
    await press(bot, SEC56, choose, NAMES.CB06!, `${m.labels.date}:`);
    const intro = bot.emulator.botMessages(SEC56.id).at(-2);
    // No kind given ("Khác"): by default the head-of-unit question does not apply.
    expect(intro?.text).toBe(`${m.chat.formIntro(NAMES.CB06!, c1.name)}\n${m.headNote(false)}`);
    const r: Result = {
      date: '09/09/2025',
      format: 'bầu cử',
      summoned: 18,
      present: 18,
      elected: 3,
      reElected: 1,
      women: 1,
      young: 0,
      minority: 0,
      direct: 'có',
      head: 'không',
      deputy: 'có',
    };
    // Pasted back without the command: the form says no branch, so the secretary picks it again.
    const again = await say(bot, SEC56, form(r), m.chat.chooseBranch);
    const card = await press(bot, SEC56, again, NAMES.CB06!, m.card.confirm);
    expect(card.text).toContain(m.card.title(NAMES.CB06!));
    // While the card waits, other text gets a reminder, and a corrected form keeps the branch.
    expect((await say(bot, SEC56, 'xong rồi', m.chat.pendingConfirm)).text).toBe(m.chat.pendingConfirm);
    const corrected = await say(bot, SEC56, form({ ...r, present: 17 }), m.card.confirm);
    expect(corrected.text).toContain(m.card.title(NAMES.CB06!));
    expect(corrected.text).toContain(m.card.members('18', '17'));
    // The first card's button no longer saves: the handler answers with a toast and stops there.
    bot.emulator.pressButton(SEC56.id, SEC56.id, card.message_id, inlineButtons(card)[0]!.callback_data);
    await expect
      .poll(() => bot.emulator.toasts(SEC56.id).map((t) => t.text))
      .toContain(msg.common.buttonExpired);
    expect(await bot.app.services.congress.reportHistory(c1.id, 'CB06')).toHaveLength(0);
    await press(bot, SEC56, corrected, m.buttonConfirm, 'Đã lưu');
    const saved = await bot.app.services.congress.reportHistory(c1.id, 'CB06');
    expect(saved.map((h) => h.report.present)).toEqual([17]);
    expect(await bot.app.services.congress.reportHistory(c1.id, 'CB05')).toHaveLength(0);
  });
});

describe('reporting the result by guided dialog', () => {
  const clock = new ManualClock(at('2025-09-10'));
  let bot: TestBot;
  let c1: Campaign;
  beforeAll(async () => {
    bot = await startSeededBot(clock);
    c1 = await seed(bot);
  });
  afterAll(() => bot.stop());

  const d = m.dialog;

  async function startDialog(user: User): Promise<EmuMessage> {
    const blank = await say(bot, user, '/daihoi', `${m.labels.date}:`);
    return press(bot, user, blank, m.chat.buttonDialog, d.date('01/09/2025', '30/09/2025'));
  }

  it('asks with buttons and numbers, asks again after a wrong answer, and can be cancelled midway', async () => {
    const first = await startDialog(DEP3);
    expect(first.text).toContain(m.chat.dialogStart(NAMES.CB03!));
    expect(inlineButtons(first).map((b) => b.text)).toEqual([msg.common.buttonCancel]);
    const format = await say(bot, DEP3, '08/09/2025', d.format);
    expect(inlineButtons(format).map((b) => b.text)).toEqual([
      d.buttonElection,
      d.buttonThreeItems,
      d.buttonTwoItems,
      d.buttonNoElection,
      msg.common.buttonCancel,
    ]);
    await press(bot, DEP3, format, d.buttonElection, d.summoned);
    await say(bot, DEP3, '11', d.present);
    const again = await say(bot, DEP3, '12', m.chat.dialogRetry);
    expect(again.text).toContain(m.reportErrors.presentOverSummoned('12', '11'));
    expect(again.text).toContain(d.present);
    const elected = await say(bot, DEP3, '10', d.elected);
    const cancelled = await press(bot, DEP3, elected, msg.common.buttonCancel, msg.common.cancelled);
    expect(cancelled.text).toBe(msg.common.cancelled);
    // The dialog is gone: a number now is just not understood, and nothing was saved.
    const after = await say(bot, DEP3, '5', msg.common.notUnderstood);
    expect(after.text).toBe(msg.common.notUnderstood);
    expect(await bot.app.services.congress.reportHistory(c1.id, 'CB03')).toEqual([]);
  });

  it('is cancelled by /huy too', async () => {
    await startDialog(SEC2);
    await say(bot, SEC2, '/huy', msg.common.cancelled);
    expect(await bot.app.services.conversations.get(SEC2.id, SEC2.id)).toBeUndefined();
  });

  it('resumes after the bot is stopped and started again on the same Redis, then saves on «Xác nhận»', async () => {
    await startDialog(DEP3);
    const format = await say(bot, DEP3, '08/09/2025', d.format);
    await press(bot, DEP3, format, d.buttonElection, d.summoned);
    await say(bot, DEP3, '11', d.present);

    const redisUrl = bot.app.services.config.redisUrl;
    await bot.stop();
    bot = await startSeededBot(clock, redisUrl);

    // The next answer goes on where the dialog stopped.
    await say(bot, DEP3, '10', d.elected);
    await say(bot, DEP3, '5', d.reElected);
    await say(bot, DEP3, '3', d.women);
    await say(bot, DEP3, '2', d.young(35));
    await say(bot, DEP3, '1', d.minority);
    const direct = await say(bot, DEP3, '0', d.secretaryDirect);
    const head = await press(bot, DEP3, direct, d.buttonYes, d.secretaryIsHead);
    expect(inlineButtons(head).map((b) => b.text)).toEqual([
      d.buttonYes,
      d.buttonNo,
      d.buttonNotApplicable,
      msg.common.buttonCancel,
    ]);
    const deputy = await press(bot, DEP3, head, d.buttonNotApplicable, d.deputy);
    const note = await press(bot, DEP3, deputy, d.buttonYes, d.note);
    const card = await press(bot, DEP3, note, d.buttonSkip, m.card.confirm);
    expect(card.text).toContain(m.card.members('11', '10'));
    expect(card.text).toContain(m.card.elected('5', '3', '2'));
    expect(await bot.app.services.congress.reportHistory(c1.id, 'CB03')).toEqual([]);

    await press(bot, DEP3, card, m.buttonConfirm, 'Đã lưu');
    const history = await bot.app.services.congress.reportHistory(c1.id, 'CB03');
    expect(history).toHaveLength(1);
    expect(history[0]?.report).toMatchObject({
      date: '2025-09-08',
      format: 'bau_cu',
      summoned: 11,
      present: 10,
      elected: 5,
      reElected: 3,
      women: 2,
      young: 1,
      minority: 0,
      secretaryDirect: true,
      secretaryIsHead: 'khong_ap_dung',
      deputy: 'co',
    });
  });
});

describe('registering the congress date and the pilot rule', () => {
  const clock = new ManualClock(at('2025-09-10'));
  let bot: TestBot;
  let c1: Campaign;
  beforeAll(async () => {
    bot = await startSeededBot(clock);
    c1 = await seed(bot);
    await say(bot, LEAD_XA, '/start', 'Chào đồng chí');
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('refuses a date outside the window, in the past, or not a date', async () => {
    const outside = await say(bot, SEC1, '/lich 15/10/2025', 'nằm ngoài');
    expect(outside.text).toBe(m.registration.outsideWindow('15/10/2025', '01/09/2025', '30/09/2025'));
    const past = await say(bot, SEC1, '/lich 05/09/2025', 'đã qua');
    expect(past.text).toBe(m.registration.inPast('05/09/2025', '10/09/2025'));
    const bad = await say(bot, SEC1, '/lich mai', 'không phải ngày');
    expect(bad.text).toBe(m.registration.badDate('mai'));
    expect(await bot.app.services.congress.registration(c1.id, 'CB01')).toBeUndefined();
  });

  it('warns a branch registering before its commune’s pilot congress, and tells the responsible leader', async () => {
    const r = await say(bot, SEC1, '/lich 15/09/2025 19:30', 'Đã ghi nhận');
    expect(r.text).toBe(
      `${m.registration.registered('19:30 ngày 15/09/2025')}\n\n${m.registration.pilotNotScheduled(NAMES.CB04!)}`,
    );
    const toLeader = await notice(bot, LEAD_XA, NAMES.CB01!);
    expect(toLeader.text).toBe(
      m.registration.leaderPilotNotice(
        NAMES.CB01!,
        '15/09/2025',
        NAMES.CB04!,
        m.registration.pilotUnscheduled,
      ),
    );
  });

  it('names the pilot’s date to a branch registering before it, and says nothing once after it', async () => {
    const pilot = await say(bot, SEC4, '/lich 20/09/2025', 'Đã ghi nhận');
    expect(pilot.text).toBe(m.registration.registered('ngày 20/09/2025'));

    const before = await say(bot, SEC2, '/lich 18/09/2025', 'Đã ghi nhận');
    expect(before.text).toContain(
      m.registration.beforePilot(NAMES.CB04!, m.registration.pilotWhen('20/09/2025', false)),
    );
    await notice(bot, LEAD_XA, `${NAMES.CB02} đăng ký đại hội ngày 18/09/2025`);

    const moved = await say(bot, SEC2, '/lich 25/09/2025', 'Đã chuyển');
    expect(moved.text).toBe(m.registration.moved('ngày 18/09/2025', 'ngày 25/09/2025'));
    expect(await bot.app.services.congress.registration(c1.id, 'CB02')).toEqual({
      branch: 'CB02',
      date: '2025-09-25',
    });
  });
});

describe('progress, drilling down and approval', () => {
  const clock = new ManualClock(at('2025-09-10'));
  let bot: TestBot;
  let c1: Campaign;
  /** What the test sent, by branch: the independent count /tiendo must agree with. */
  const sent = new Map<string, Result>();

  const result = (over: Partial<Result>): Result => ({
    date: '08/09/2025',
    format: 'bầu cử',
    summoned: 8,
    present: 8,
    elected: 3,
    reElected: 2,
    women: 1,
    young: 1,
    minority: 0,
    direct: 'có',
    head: 'có',
    deputy: 'có',
    ...over,
  });

  beforeAll(async () => {
    bot = await startSeededBot(clock);
    c1 = await seed(bot);
    for (const u of [LEAD_XA, SEC1, SEC2]) await say(bot, u, '/start', 'Chào đồng chí');
    const reports: [User, string, Result][] = [
      [SEC1, 'CB01', result({ summoned: 27, present: 25, elected: 5, reElected: 3, women: 2, young: 1 })],
      [SEC2, 'CB02', result({ elected: 2, reElected: 1, women: 1, young: 0, head: 'không' })],
      [SEC56, 'CB05', result({ summoned: 20, present: 19, elected: 3, reElected: 3, women: 0, young: 2 })],
      [SEC11, 'CB11', result({ summoned: 30, present: 30, elected: 5, reElected: 2, women: 1, young: 1 })],
    ];
    for (const [user, branch, r] of reports) {
      if (user === SEC56) {
        const choose = await say(bot, user, `/daihoi\n${form(r)}`, m.chat.chooseBranch);
        const card = await press(bot, user, choose, NAMES[branch]!, m.card.confirm);
        await press(bot, user, card, m.buttonConfirm, 'Đã lưu');
      } else await report(bot, user, r);
      sent.set(branch, r);
    }
    // CB03 has a date in the coming days; CB04 (the pilot) a date after the coming week.
    await say(bot, DEP3, '/lich 12/09/2025 08:00', 'Đã ghi nhận');
    await say(bot, SEC4, '/lich 25/09/2025', 'Đã ghi nhận');
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('shows a leader only their subtree, with X/Y and statistics equal to what was reported', async () => {
    const heldInXa = XA_BRANCHES.filter((b) => sent.has(b));
    const reportsInXa = heldInXa.map((b) => sent.get(b)!);
    const elected = reportsInXa.reduce((n, r) => n + r.elected, 0);
    const reElected = reportsInXa.reduce((n, r) => n + r.reElected, 0);
    const women = reportsInXa.reduce((n, r) => n + r.women, 0);
    const young = reportsInXa.reduce((n, r) => n + r.young, 0);
    const headYes = reportsInXa.filter((r) => r.head === 'có').length;

    const answer = await say(bot, LEAD_XA, '/tiendo', m.progress.title(formatTerm(c1.term)));
    const text = answer.text ?? '';
    expect(text).toContain(
      m.progress.held(formatRatio(heldInXa.length, XA_BRANCHES.length), formatPercent(heldInXa.length, 6)),
    );
    expect(text).toContain('Đã đại hội: 3/6 chi bộ (50%)');
    expect(text).toContain(m.progress.registeredOnly('2'));
    expect(text).toContain(m.progress.notRegistered('1'));
    expect(text).toContain(m.progress.upcomingItem('08:00 ngày 12/09/2025', NAMES.CB03!));
    // The pilot's date is outside the next 7 days; it shows only in the pilot flag (CB03 before it).
    expect(text).not.toContain('ngày 25/09/2025');
    expect(text).toContain(msg.congressOffice.pilot.before(NAMES.XA!, NAMES.CB04!, '25/09/2025', 1));
    expect(text).toContain(m.progress.child(NAMES.BP1!, '1/2', '50%'));
    expect(text).toContain(m.progress.child(NAMES.CB01!, '1/1', '100%'));
    const share = (what: string, n: number) => m.stats.part(what, formatNumber(n), formatPercent(n, elected));
    const names = m.stats.partNames;
    expect(text).toContain(
      m.stats.elected(
        formatNumber(elected),
        [
          `${share(names.reElected, reElected)}, ${share(names.firstTime, elected - reElected)}`,
          share(names.women, women),
          share(m.stats.youngWithAge(35), young),
        ].join('; '),
      ),
    );
    expect(text).toContain(m.stats.head(formatRatio(headYes, 3), formatPercent(headYes, 3)));
    // Nothing from the other commune.
    expect(text).not.toContain(NAMES.XB);
    expect(text).not.toContain(NAMES.CB11);
    const labels = inlineButtons(answer).map((b) => b.text);
    expect(labels).toContain(NAMES.BP1);
    expect(labels).toContain(m.chat.buttonApproveBranch(NAMES.CB01!));
    expect(labels.some((l) => l.includes(NAMES.XB!))).toBe(false);
    for (const b of inlineButtons(answer)) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
  });

  it('drills down into a child committee, and refuses a unit outside the leader’s subtree', async () => {
    const answer = await say(bot, LEAD_XA, '/tiendo', m.progress.title(formatTerm(c1.term)));
    const bp1 = await press(bot, LEAD_XA, answer, NAMES.BP1!, NAMES.BP1!);
    expect(bp1.text).toContain('Đã đại hội: 1/2 chi bộ (50%)');
    expect(bp1.text).toContain(m.progress.child(NAMES.CB06!, '0/1', '0%'));
    expect(bp1.text).not.toContain(NAMES.CB01);
    expect(inlineButtons(bp1).map((b) => b.text)).toContain(m.chat.buttonUp(NAMES.XA!));

    const refused = await pressData(bot, LEAD_XA, answer, `dh:td:${c1.id}:XB`, 'không có quyền');
    expect(refused.text).toBe(msg.units.noAccessToUnit(NAMES.XB!));

    // Any unit of the subtree by its code, and nothing outside it.
    const byCode = await say(bot, LEAD_XA, '/tiendo BP1', NAMES.BP1!);
    expect(byCode.text).toContain('Đã đại hội: 1/2 chi bộ (50%)');
    const outside = await say(bot, LEAD_XA, '/tiendo CB11', 'không có quyền');
    expect(outside.text).toBe(msg.units.noAccessToUnit(NAMES.CB11!));
  });

  it('asks a leader of two communes which one, each showing only that commune', async () => {
    const s = bot.app.services;
    await s.org.people.grantRole(LEAD_XB.id, { kind: 'leader', unit: 'XA' }, 'test', s.clock.now());
    try {
      const choose = await say(bot, LEAD_XB, '/tiendo', m.chat.chooseScope);
      expect(inlineButtons(choose).map((b) => b.text)).toEqual([NAMES.XA, NAMES.XB]);
      const xb = await press(bot, LEAD_XB, choose, NAMES.XB!, m.progress.title(formatTerm(c1.term)));
      const heldInXb = ['CB11', 'CB12'].filter((b) => sent.has(b)).length;
      expect(xb.text).toContain(m.progress.held(formatRatio(heldInXb, 2), formatPercent(heldInXb, 2)));
      expect(xb.text).not.toContain(NAMES.XA);
    } finally {
      await s.org.people.revokeRole(LEAD_XB.id, { kind: 'leader', unit: 'XA' }, 'test', s.clock.now());
    }
  });

  it('notifies the leader of a saved report with «Ghi quyết định chuẩn y»; recording it tells the secretary', async () => {
    const od = msg.congressOffice.decision;
    const n = await notice(bot, LEAD_XA, m.chat.reportNotice(NAMES.CB01!, 1));
    expect(n.text).toContain(m.card.title(NAMES.CB01!));
    expect(inlineButtons(n).map((b) => b.text)).toEqual([od.buttonRecord('chuan_y')]);

    // A secretary cannot record it, nor a leader who was not made an approver.
    const data = inlineButtons(n)[0]!.callback_data;
    const mine = bot.emulator.botMessages(SEC1.id).at(-1)!;
    const refused = await pressData(bot, SEC1, mine, data, 'không thuộc');
    expect(refused.text).toBe(od.notInScope(NAMES.CB01!));
    const notYet = await pressData(bot, LEAD_XA, n, data, 'được giao ghi quyết định');
    expect(notYet.text).toBe(od.notApprover);

    const s = bot.app.services;
    expect((await s.org.setIdentity('cli', LEAD_XA.id, { approver: true })).ok).toBe(true);
    await press(bot, LEAD_XA, n, od.buttonRecord('chuan_y'), 'Đồng chí gửi số và ngày');
    const done = await say(bot, LEAD_XA, '12-QĐ/ĐU 10/09/2025', 'Đã ghi');
    expect(done.text).toBe(od.recorded('chuan_y', NAMES.CB01!, '12-QĐ/ĐU', '2025-09-10', 1));
    const told = await notice(bot, SEC1, 'Quyết định số 12-QĐ/ĐU ngày 10/9/2025');
    expect(told.text).toBe(od.notice('chuan_y', NAMES.CB01!, '2025 – 2027', '12-QĐ/ĐU', '2025-09-10'));
    const history = await bot.app.services.congress.reportHistory(c1.id, 'CB01');
    expect(history.at(-1)?.approved).toMatchObject({
      by: String(LEAD_XA.id),
      number: '12-QĐ/ĐU',
      version: 1,
    });
  });

  it('records a decision from /tiendo’s list too', async () => {
    const answer = await say(bot, LEAD_XA, '/tiendo', m.progress.title(formatTerm(c1.term)));
    expect(answer.text).toContain(m.progress.approved('1/3'));
    expect(answer.text).toContain('Quyết định đã ghi: số 12-QĐ/ĐU ngày 10/9/2025');
    const labels = inlineButtons(answer).map((b) => b.text);
    expect(labels).not.toContain(m.chat.buttonApproveBranch(NAMES.CB01!));
    await press(bot, LEAD_XA, answer, m.chat.buttonApproveBranch(NAMES.CB02!), 'Đồng chí gửi số và ngày');
    const done = await say(bot, LEAD_XA, '13-QĐ/ĐU 10/09/2025', 'Đã ghi');
    expect(done.text).toContain(NAMES.CB02!);
    await notice(bot, SEC2, 'Quyết định số 13-QĐ/ĐU');
  });

  it('names overdue branches once the deadline has passed, registered dates first', async () => {
    clock.set(at('2025-10-02'));
    try {
      const answer = await say(bot, LEAD_XA, '/tiendo', m.progress.title(formatTerm(c1.term)));
      const text = answer.text ?? '';
      expect(text).toContain(m.progress.overdueHeader('3'));
      const lines = text.split('\n');
      const header = lines.indexOf(m.progress.overdueHeader('3'));
      expect(lines.slice(header + 1, header + 4)).toEqual([
        m.progress.overdueRegistered(NAMES.CB03!, '12/09/2025'),
        m.progress.overdueRegistered(NAMES.CB04!, '25/09/2025'),
        m.progress.overdueDeadline(NAMES.CB06!),
      ]);
    } finally {
      clock.set(at('2025-09-10'));
    }
  });
});

describe('opening rounds, and several rounds at once', () => {
  const clock = new ManualClock(at('2025-09-10'));
  let bot: TestBot;
  let c1: Campaign;
  beforeAll(async () => {
    bot = await startSeededBot(clock);
    c1 = await seed(bot);
  });
  afterAll(() => bot.stop());

  const d = m.campaignDialog;

  it('opens a round step by step, checking each answer', async () => {
    const first = await say(bot, ADMIN, '/dotdaihoi', d.name);
    expect(first.text).toContain(d.intro);
    expect(first.text).toContain(c1.name);
    const term = await say(bot, ADMIN, 'Đại hội chi bộ xã Hòa Bình', d.term);
    const wrongTerm = await say(bot, ADMIN, '2027-2025', m.campaignErrors.termOrder);
    expect(wrongTerm.text).toContain(d.term);
    expect(inlineButtons(term).map((b) => b.text)).toContain('2025 – 2027');
    const scope = await press(bot, ADMIN, wrongTerm, '2025 – 2027', d.scope);
    expect(inlineButtons(scope).map((b) => b.text)).toContain(`${NAMES.XB} (XB)`);
    const unknown = await say(bot, ADMIN, 'XZ', m.campaignErrors.scopeUnknown('XZ'));
    const opens = await press(bot, ADMIN, unknown, `${NAMES.XB} (XB)`, d.opens);
    expect(inlineButtons(opens).map((b) => b.text)).toEqual([
      d.buttonToday('10/09/2025'),
      msg.common.buttonCancel,
    ]);
    await say(bot, ADMIN, '05/09/2025', d.deadline('05/09/2025'));
    const late = await say(bot, ADMIN, '31/08/2025', 'sau hạn hoàn thành');
    expect(late.text).toContain(m.campaignErrors.window('2025-09-05', '2025-08-31'));
    await say(bot, ADMIN, '30/09/2025', d.pilots);
    const pilotErr = await say(bot, ADMIN, 'CB11, CB01', 'không thuộc');
    expect(pilotErr.text).toContain(m.campaignErrors.pilotOutsideScope(NAMES.CB01!, NAMES.XB!));
    const young = await say(bot, ADMIN, 'CB11', d.youngAge);
    const summary = await press(bot, ADMIN, young, '35', d.buttonCreate);
    expect(summary.text).toContain(d.summaryLines.scope(NAMES.XB!, 'XB'));
    expect(summary.text).toContain(d.summaryLines.window('05/09/2025', '30/09/2025'));
    expect(summary.text).toContain(d.summaryLines.pilots(NAMES.CB11!));
    const created = await press(bot, ADMIN, summary, d.buttonCreate, 'Đã mở đợt');
    const id = /mã (dh[0-9a-z]{8})/.exec(created.text ?? '')?.[1];
    expect(id).toBeDefined();
    const rounds = await bot.app.services.congress.campaignList({ openOnly: true });
    const c2 = rounds.find((r) => r.campaign.id === id)?.campaign;
    expect(c2).toMatchObject({
      name: 'Đại hội chi bộ xã Hòa Bình',
      term: '2025-2027',
      scope: 'XB',
      opens: '2025-09-05',
      deadline: '2025-09-30',
      pilots: ['CB11'],
      youngAge: 35,
      createdBy: String(ADMIN.id),
    });
  });

  it('can be cancelled, and stores nothing', async () => {
    const before = (await bot.app.services.congress.campaignList()).length;
    const first = await say(bot, ADMIN, '/dotdaihoi', d.name);
    await press(bot, ADMIN, first, msg.common.buttonCancel, msg.common.cancelled);
    expect((await bot.app.services.congress.campaignList()).length).toBe(before);
  });

  it('asks which round when several cover the branch, and acts on the one chosen', async () => {
    const rounds = await bot.app.services.congress.campaignList({ openOnly: true });
    expect(rounds).toHaveLength(2);
    const c2 = rounds.find((r) => r.campaign.scope === 'XB')!.campaign;
    const choose = await say(bot, SEC11, '/lich 20/09/2025', m.chat.chooseCampaign);
    // Both rounds end on the same day: their order is not part of the answer.
    expect(
      inlineButtons(choose)
        .map((b) => b.text)
        .sort(),
    ).toEqual(
      [
        m.chat.campaignButton(c1.name, '2025 – 2027'),
        m.chat.campaignButton(c2.name, '2025 – 2027'),
        msg.common.buttonCancel,
      ].sort(),
    );
    await press(bot, SEC11, choose, m.chat.campaignButton(c2.name, '2025 – 2027'), 'Đã ghi nhận');
    expect(await bot.app.services.congress.registration(c2.id, 'CB11')).toEqual({
      branch: 'CB11',
      date: '2025-09-20',
    });
    expect(await bot.app.services.congress.registration(c1.id, 'CB11')).toBeUndefined();

    // A branch only one round covers is not asked.
    const direct = await say(bot, SEC1, '/lich 20/09/2025', 'Đã ghi nhận');
    expect(direct.text).toContain(m.registration.registered('ngày 20/09/2025'));

    // The admin's /tiendo at the root offers both rounds; the commune's round opens at the commune.
    const progress = await say(bot, ADMIN, '/tiendo', m.chat.chooseCampaign);
    const xb = await press(bot, ADMIN, progress, m.chat.campaignButton(c2.name, '2025 – 2027'), NAMES.XB!);
    expect(xb.text).toContain('Đã đại hội: 0/2 chi bộ (0%)');
    expect(xb.text).toContain(m.progress.registeredOnly('1'));
  });

  it('prints the id of a round opened from the CLI on the last line', async () => {
    const { execFileSync } = await import('node:child_process');
    const stdout = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli.ts',
        'campaign',
        'create',
        '--name',
        'Đợt bổ sung',
        '--term',
        '2025-2027',
        '--scope',
        'XA',
        '--opens',
        '01/09/2025',
        '--deadline',
        '15/10/2025',
        '--pilot',
        'CB04',
        '--young-age',
        '30',
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          REDIS_URL: bot.app.services.config.redisUrl ?? '',
          LOG_LEVEL: 'silent',
        },
        encoding: 'utf8',
        cwd: ROOT,
      },
    );
    const id = stdout.trim().split('\n').at(-1) ?? '';
    expect(id).toMatch(/^dh[0-9a-z]{8}$/);
    const all = await bot.app.services.congress.campaignList();
    expect(all.find((r) => r.campaign.id === id)?.campaign).toMatchObject({
      name: 'Đợt bổ sung',
      scope: 'XA',
      deadline: '2025-10-15',
      pilots: ['CB04'],
      youngAge: 30,
      createdBy: 'cli',
    });
  });
});

describe('who may do what', () => {
  const clock = new ManualClock(at('2025-09-10'));
  let bot: TestBot;
  let c1: Campaign;
  beforeAll(async () => {
    bot = await startSeededBot(clock);
    c1 = await seed(bot);
  });
  afterAll(() => bot.stop());

  it('refuses an unbound person every congress command, and a pasted form', async () => {
    for (const command of ['/lich 15/09/2025', '/daihoi', '/tiendo', '/dotdaihoi']) {
      const r = await say(bot, NOBODY, command, msg.units.noAccess);
      expect(r.text).toBe(msg.units.noAccess);
    }
    const r = await say(bot, NOBODY, form(sampleResult()), msg.units.noAccess);
    expect(r.text).toBe(msg.units.noAccess);
  });

  it('refuses a leader reporting and opening rounds', async () => {
    expect((await say(bot, LEAD_XA, '/lich 15/09/2025', 'dành cho')).text).toBe(m.chat.secretaryOnly);
    expect((await say(bot, LEAD_XA, '/daihoi', 'dành cho')).text).toBe(m.chat.secretaryOnly);
    expect((await say(bot, LEAD_XA, '/dotdaihoi', 'Quản trị')).text).toBe(msg.units.adminOnly);
  });

  it('refuses a secretary progress, rounds and other branches', async () => {
    expect((await say(bot, SEC1, '/tiendo', 'dành cho')).text).toBe(m.chat.leaderOnly);
    expect((await say(bot, SEC1, '/dotdaihoi', 'Quản trị')).text).toBe(msg.units.adminOnly);
    // A forged button for another branch's dialog.
    const last = bot.emulator.botMessages(SEC1.id).at(-1)!;
    const other = await pressData(bot, SEC1, last, `dh:dlg:${c1.id}:CB02`, 'không có quyền');
    expect(other.text).toBe(msg.units.noAccessToUnit(NAMES.CB02!));
    const drill = await pressData(bot, SEC1, last, `dh:td:${c1.id}:CB01`, 'không có quyền');
    expect(drill.text).toBe(msg.units.noAccessToUnit(NAMES.CB01!));
  });

  it('refuses an admin reporting for a branch', async () => {
    expect((await say(bot, ADMIN, '/daihoi', 'dành cho')).text).toBe(m.chat.secretaryOnly);
  });

  it('refuses a leader approving a branch outside their subtree', async () => {
    await report(bot, SEC11, sampleResult());
    const last = bot.emulator.botMessages(LEAD_XA.id).at(-1)!;
    const r = await pressData(bot, LEAD_XA, last, `dh:qd:${c1.id}:CB11:1`, 'không thuộc');
    expect(r.text).toBe(msg.congressOffice.decision.notInScope(NAMES.CB11!));
    const history = await bot.app.services.congress.reportHistory(c1.id, 'CB11');
    expect(history[0]?.approved).toBeUndefined();
  });
});

describe('forged buttons, repeated presses and hostile input', () => {
  const clock = new ManualClock(at('2025-09-10'));
  let bot: TestBot;
  let c1: Campaign;
  beforeAll(async () => {
    bot = await startSeededBot(clock);
    c1 = await seed(bot);
  });
  afterAll(() => bot.stop());

  const apology = msg.common.apology('').slice(0, 20);
  const noApology = (u: User) =>
    expect(bot.emulator.botMessages(u.id).filter((x) => (x.text ?? '').includes(apology))).toEqual([]);

  it('answers a forged or mutated button with the clear note, never the apology', async () => {
    const blank = await say(bot, SEC1, '/daihoi', `${m.labels.date}:`);
    const forged = [
      'dh:td:NOT-A-ROUND:XA',
      `dh:td:${c1.id}:X:A`,
      `dh:dlg:${c1.id}:CB 01`,
      'dh:a:date:9',
      'dh:a:nofield:0',
      'dh:ok:NOT-HEX',
      'dh:ok:deadbeefdead',
      `dh:cy:${c1.id}:CB01:xx`,
      'dh:nc:nofield:x',
      'dh:mo:0123456789ab',
      'dh:zz',
      'dh',
      `dh:pb:${'x'.repeat(70)}`,
    ];
    for (const data of forged) bot.emulator.pressButton(SEC1.id, blank.chat.id, blank.message_id, data);
    await expect
      .poll(() => bot.emulator.toasts(SEC1.id).filter((t) => t.text === msg.common.buttonExpired).length)
      .toBe(forged.length);
    noApology(SEC1);
    // The blank form's own button still starts the dialog.
    await press(bot, SEC1, blank, m.chat.buttonDialog, m.chat.dialogStart(NAMES.CB01!));
    await say(bot, SEC1, '/huy', msg.common.cancelled);
  });

  it('tells a card pressed again after it saved what was saved, and saves one version', async () => {
    const card = await say(
      bot,
      SEC2,
      `/daihoi\n${form({ ...sampleResult(), summoned: 8, present: 8, elected: 2, reElected: 1, women: 1, young: 0 })}`,
      m.card.confirm,
    );
    await press(bot, SEC2, card, m.buttonConfirm, 'Đã lưu');
    const again = await press(bot, SEC2, card, m.buttonConfirm, m.alreadySaved(1));
    expect(again.text).toBe(m.alreadySaved(1));
    expect(await bot.app.services.congress.reportHistory(c1.id, 'CB02')).toHaveLength(1);
    noApology(SEC2);
  });

  it('opens one round for a double press of «Xác nhận và mở đợt», and tells the second press which', async () => {
    const before = (await bot.app.services.congress.campaignList()).length;
    const d = m.campaignDialog;
    await say(bot, ADMIN, '/dotdaihoi', d.name);
    await say(bot, ADMIN, 'Đợt bổ sung xã Hòa Bình', d.term);
    await say(bot, ADMIN, '2025-2027', d.scope);
    await say(bot, ADMIN, 'XB', d.opens);
    await say(bot, ADMIN, '01/09/2025', d.deadline('01/09/2025'));
    await say(bot, ADMIN, '30/09/2025', d.pilots);
    await say(bot, ADMIN, 'không', d.youngAge);
    const summary = await say(bot, ADMIN, '35', d.buttonCreate);
    const data = inlineButtons(summary).find((b) => b.text === d.buttonCreate)!.callback_data;
    bot.emulator.pressButton(ADMIN.id, summary.chat.id, summary.message_id, data);
    const created = await press(bot, ADMIN, summary, d.buttonCreate, 'Đã mở đợt');
    const id = /mã (dh[0-9a-z]{8})/.exec(created.text ?? '')?.[1] ?? '';
    await expect
      .poll(() => bot.emulator.botMessages(ADMIN.id).map((x) => x.text))
      .toContain(d.alreadyCreated('Đợt bổ sung xã Hòa Bình', id));
    expect((await bot.app.services.congress.campaignList()).length).toBe(before + 1);
    // Pressed again later, the card still says which round it opened.
    const later = await press(bot, ADMIN, summary, d.buttonCreate, 'đã được mở');
    expect(later.text).toBe(d.alreadyCreated('Đợt bổ sung xã Hòa Bình', id));
    noApology(ADMIN);
  });

  it('repeats long, emoji and HTML input only capped and escaped', async () => {
    const long = `${'😀<b>'.repeat(1200)}`;
    const date = await say(bot, SEC4, `/lich ${long}`, 'không phải ngày');
    expect(date.text!.length).toBeLessThan(300);
    expect(date.text).toContain('…');
    const scope = await say(bot, LEAD_XA, `/tiendo ${long}`, 'Không có đơn vị');
    expect(scope.text!.length).toBeLessThan(300);
    const bad = await say(
      bot,
      SEC4,
      `/daihoi\n${form(sampleResult()).replace('Nữ: 1', `Nữ: ${long}`)}`,
      m.errorsHeader,
    );
    expect(bad.text).toContain('"😀<b>😀<b>');
    expect(bad.text!.length).toBeLessThan(4000);
    const note = `${'Ghi chú <i>dài</i> 🇻🇳 '.repeat(300)}`;
    const tooLong = await say(
      bot,
      SEC4,
      `/daihoi\n${form(sampleResult())}\n${m.labels.note}: ${note}`,
      m.errorsHeader,
    );
    expect(tooLong.text).toContain(m.reportErrors.noteTooLong(500));
    // Hundreds of stray lines are noted in part: the card stays one message.
    const stray = Array.from({ length: 300 }, (_, i) => `dòng lạ ${i} <script>`).join('\n');
    const card = await say(bot, SEC4, `/daihoi\n${form(sampleResult())}\n${stray}`, m.card.confirm);
    expect(card.text).toContain(m.reportHints.more(290));
    expect(card.text).toContain('"dòng lạ 0 <script>"');
    expect(inlineButtons(card).map((b) => b.text)).toEqual([m.buttonConfirm, msg.common.buttonCancel]);
    noApology(SEC4);
    noApology(LEAD_XA);
  });
});

describe('a crash between saving a result and answering the press', () => {
  it('saves once: the press redelivered after the restart is told what was saved', async () => {
    // The children run on the real clock: a round around today, a congress held yesterday.
    const today = calendarDate(Date.now(), 'Asia/Ho_Chi_Minh');
    const redisUrl = await freshRedisUrl();
    const seeding = await startTestBot({ env: { REDIS_URL: redisUrl } });
    const s = seeding.app.services;
    expect((await s.org.importUnitsCsv('cli', TREE)).ok).toBe(true);
    await s.org.people.grantRole(SEC1.id, { kind: 'secretary', unit: 'CB01' }, 'test', Date.now());
    const round = await seedCampaign(s.congress, {
      scope: 'T',
      opens: formatVnDate(addDays(today, -10)),
      deadline: formatVnDate(addDays(today, 10)),
    });
    await seeding.stop();

    const emulator = new BotApiEmulator();
    const env = {
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: await emulator.listen(0),
      REDIS_URL: redisUrl,
      PORT: '0',
      LOG_LEVEL: 'warn',
    };
    emulator.addUser(SEC1);
    const redis = new Redis(redisUrl);
    const history = () => new CongressStore(redis).reportHistory(round.id, 'CB01');
    try {
      const first = spawnBot({ ...env, CHIBO_PAUSE_AT: 'congress-confirm-saved' });
      const waiting = emulator.waitForBotMessage(SEC1.id, hasText(m.card.confirm), { timeoutMs: 30_000 });
      emulator.sendText(
        SEC1.id,
        `/daihoi\n${form({ ...sampleResult(), date: formatVnDate(addDays(today, -1)) })}`,
      );
      const card = await waiting;
      const confirm = inlineButtons(card).find((b) => b.text === m.buttonConfirm)!;
      emulator.pressButton(SEC1.id, card.chat.id, card.message_id, confirm.callback_data);
      await first.waitForOutput('paused at congress-confirm-saved', 30_000);
      // Saved, but the person has not been answered: the process dies here.
      expect(await history()).toHaveLength(1);
      first.child.kill('SIGKILL');
      await first.exited;

      const second = spawnBot(env);
      try {
        // Up to the dead process's heartbeat (10 s) before its claim on the press lapses.
        const answer = await emulator.waitForBotMessage(SEC1.id, hasText(m.alreadySaved(1)), {
          since: 0,
          timeoutMs: 60_000,
        });
        expect(answer.text).toBe(m.alreadySaved(1));
        expect(await history()).toHaveLength(1);
        expect(emulator.botMessages(SEC1.id).some((x) => (x.text ?? '').includes('Xin lỗi'))).toBe(false);
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await redis.quit();
      await emulator.close();
    }
  }, 150_000);
});

function sampleResult(): Result {
  return {
    date: '08/09/2025',
    format: 'bầu cử',
    summoned: 27,
    present: 25,
    elected: 5,
    reElected: 3,
    women: 1,
    young: 1,
    minority: 0,
    direct: 'có',
    head: 'có',
    deputy: 'có',
  };
}
