/**
 * Redis round trips per update, held to their budgets (issue 16): what the bot does for every
 * message must stay a handful of round trips, pipelined, never one call per unit or per key.
 */

import type { Update } from '@telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, calendarDate, formatVnDate } from '../../src/domain/vn.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import type { EmuMessage } from '../../src/sandbox/chatStore.js';
import { CongressStore } from '../../src/store/congress.js';
import { inlineButtons, startTestBot, type TestBot } from '../support/app.js';
import { seedCampaign } from '../support/campaign.js';
import { buttonOf } from '../support/chat.js';

const UNITS_CSV = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,55',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn/xóm/khu dân cư,XA,20',
  'CB02,Chi bộ Thôn 2,Chi bộ,Thôn/xóm/khu dân cư,XA,12',
].join('\n');
const SEC = { id: 9101, first_name: 'Bí thư Thôn 1' };
const SEC2 = { id: 9102, first_name: 'Bí thư Thôn 2' };

/** Today ± days in Vietnam, as dd/mm/yyyy. */
function vnDay(days: number): string {
  return formatVnDate(addDays(calendarDate(Date.now()), days));
}

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot();
  bot.emulator.addUser(SEC);
  bot.emulator.addUser(SEC2);
  const s = bot.app.services;
  expect((await s.org.importUnitsCsv('cli', UNITS_CSV)).ok).toBe(true);
  await s.org.people.grantRole(SEC.id, { kind: 'secretary', unit: 'CB01' }, 'test', s.clock.now());
  await s.org.people.grantRole(SEC2.id, { kind: 'secretary', unit: 'CB02' }, 'test', s.clock.now());
  // A congress round open around today (the bot runs on the real clock here).
  await seedCampaign(s.congress, { scope: 'XA', opens: vnDay(-20), deadline: vnDay(30) });
  await answerTo(bot.emulator.sendText(SEC2.id, '/help'));
  // The first message sets the person's menu; budgets are for the messages after it.
  await answerTo(bot.emulator.sendText(SEC.id, '/help'));
});
afterAll(() => bot.stop());

/** Waits until the update is handled, then gives its round trips. */
async function roundTripsOf(update: Update, on: TestBot = bot): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const n = on.app.roundTrips(update.update_id);
    if (n !== undefined) return n;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`update ${update.update_id} was not handled`);
}

async function answerTo(update: Update): Promise<number> {
  return roundTripsOf(update);
}

describe('Redis round trips per update', () => {
  it('/help takes at most 4', async () => {
    expect(await answerTo(bot.emulator.sendText(SEC.id, '/help'))).toBeLessThanOrEqual(4);
  });

  it('plain text takes at most 4', async () => {
    expect(await answerTo(bot.emulator.sendText(SEC.id, 'xin chào'))).toBeLessThanOrEqual(4);
  });

  it('a button press takes at most 4', async () => {
    const form = bot.emulator.waitForBotMessage(SEC.id, (m) => inlineButtons(m).length > 0);
    await answerTo(bot.emulator.sendText(SEC.id, '/sinhhoat'));
    const shown = await form;
    const cancel = inlineButtons(shown).find((b) => b.text === msg.meetings.buttonDialog)!;
    const press = bot.emulator.pressButton(SEC.id, SEC.id, shown.message_id, cancel.callback_data);
    expect(await roundTripsOf(press)).toBeLessThanOrEqual(4);
  });

  it('saving a meeting report on «Xác nhận» takes at most 6', async () => {
    const card = bot.emulator.waitForBotMessage(SEC.id, (m) =>
      (m.text ?? '').includes(msg.meetings.card.confirm),
    );
    const month = new Date().toISOString().slice(0, 7);
    const [y, mo] = month.split('-');
    bot.emulator.sendText(
      SEC.id,
      [
        `Ngày: 01/${mo}/${y}`,
        'Loại: thường kỳ',
        'Thời lượng (phút): 100',
        'Tổng số đảng viên: 20',
        'Miễn sinh hoạt: 0',
        'Có mặt: 18',
        'Vắng có lý do: 2',
        'Vắng không lý do: 0',
        'Nội dung: Sinh hoạt thường kỳ',
      ].join('\n'),
    );
    const shown = await card;
    const save = inlineButtons(shown).find((b) => b.text === msg.meetings.buttonSave)!;
    const press = bot.emulator.pressButton(SEC.id, SEC.id, shown.message_id, save.callback_data);
    expect(await roundTripsOf(press)).toBeLessThanOrEqual(6);
  });

  it('/lich takes at most 6', async () => {
    const done = bot.emulator.waitForBotMessage(SEC2.id, (x) => (x.text ?? '').includes('Đã ghi nhận'));
    const n = await answerTo(bot.emulator.sendText(SEC2.id, `/lich ${vnDay(5)} 19:30`));
    await done;
    expect(n).toBeLessThanOrEqual(6);
  });

  it('confirming a congress result on «Xác nhận» takes at most 6', async () => {
    const m = msg.congress;
    const card = bot.emulator.waitForBotMessage(SEC2.id, (x) => (x.text ?? '').includes(m.card.confirm));
    bot.emulator.sendText(
      SEC2.id,
      [
        '/daihoi',
        `${m.labels.date}: ${vnDay(-1)}`,
        `${m.labels.format}: bầu cử`,
        `${m.labels.summoned}: 12`,
        `${m.labels.present}: 11`,
        `${m.labels.elected}: 1`,
        `${m.labels.reElected}: 1`,
        `${m.labels.women}: 0`,
        `${m.labels.young}: 0`,
        `${m.labels.minority}: 0`,
        `${m.labels.secretaryDirect}: có`,
        `${m.labels.secretaryIsHead}: không`,
        `${m.labels.deputy}: không`,
      ].join('\n'),
    );
    const shown = await card;
    const save = inlineButtons(shown).find((b) => b.text.startsWith(m.buttonConfirm))!;
    const saved = bot.emulator.waitForBotMessage(SEC2.id, (x) => (x.text ?? '').includes('Đã lưu'));
    const press = bot.emulator.pressButton(SEC2.id, SEC2.id, shown.message_id, save.callback_data);
    const n = await roundTripsOf(press);
    await saved;
    expect(n).toBeLessThanOrEqual(6);
  });

  it('replies draw from the shared send budget: one slot a reply, unused ones given back', async () => {
    const redis = bot.app.services.redis;
    // Sends in the budget's window now (Redis's clock, as the budget counts).
    const inWindow = async () => {
      const [s, us] = await redis.time();
      return redis.zcount('cb:send:log', Number(s) * 1000 + Math.floor(Number(us) / 1000) - 1025, '+inf');
    };
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await inWindow()).toBe(0);
    await answerTo(bot.emulator.sendText(SEC.id, '/help'));
    // One answer, one slot (taken with the claim).
    expect(await inWindow()).toBe(1);
    // Once the update's done marker is written (carried on a later round trip, or on its own
    // soon after), its slot has moved from in flight (scored ahead) to when the answer came.
    const inFlight = async () => {
      const [s, us] = await redis.time();
      return redis.zcount('cb:send:log', `(${Number(s) * 1000 + Math.floor(Number(us) / 1000)}`, '+inf');
    };
    await expect.poll(inFlight).toBe(0);
    const form = bot.emulator.waitForBotMessage(SEC.id, (m) => inlineButtons(m).length > 0);
    await answerTo(bot.emulator.sendText(SEC.id, '/sinhhoat'));
    const shown = await form;
    // A press on a button that only edits the message: the two slots taken ahead go back.
    const before = await redis.zcard('cb:send:log');
    await roundTripsOf(bot.emulator.pressButton(SEC.id, SEC.id, shown.message_id, 'zz:forged'));
    await expect.poll(() => redis.zcard('cb:send:log')).toBe(before);
    expect(bot.emulator.toasts(SEC.id).length).toBeGreaterThan(0);
  });
});

/**
 * /tiendo at every level in at most 4 round trips (issue 16), on a round where every part of the
 * answer has something to say: dates upcoming and overdue, an extension, decisions, preparation
 * and follow-up checklists, pilot congresses; before the deadline and after it.
 */
describe('/tiendo round trips at every level', () => {
  const TREE = [
    'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
    'T,Đảng bộ huyện Hòa An,Đảng bộ,,,0',
    'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,T,90',
    'BP1,Đảng bộ bộ phận Khu 1,Đảng bộ bộ phận,,XA,40',
    'CB11,Chi bộ Khu 1A,Chi bộ,Thôn,BP1,15',
    'CB12,Chi bộ Khu 1B,Chi bộ,Thôn,BP1,12',
    'CB13,Chi bộ Khu 1C,Chi bộ,Thôn,BP1,13',
    'CB14,Chi bộ Thôn 4,Chi bộ,Thôn,XA,20',
    'CB15,Chi bộ Thôn 5,Chi bộ,Thôn,XA,20',
    'CB16,Chi bộ Thôn 6,Chi bộ,Thôn,XA,20',
    'XB,Đảng bộ xã Hòa Bình,Đảng bộ cơ sở,,T,60',
    'CB21,Chi bộ Hòa 1,Chi bộ,Thôn,XB,20',
    'CB22,Chi bộ Hòa 2,Chi bộ,Thôn,XB,20',
    'CB23,Chi bộ Hòa 3,Chi bộ,Thôn,XB,20',
    'XC,Đảng bộ xã Cẩm Lý,Đảng bộ cơ sở,,T,20',
    'CB31,Chi bộ Cẩm 1,Chi bộ,Thôn,XC,20',
  ].join('\n');
  const LEAD_T = { id: 9301, first_name: 'Lãnh đạo huyện' };
  const LEAD_XA = { id: 9302, first_name: 'Lãnh đạo xã Tân Lập' };
  const ADMIN = { id: 9303, first_name: 'Văn phòng' };
  /** 10:00 in Vietnam on a given day. */
  const at = (isoDate: string) => Date.parse(`${isoDate}T03:00:00Z`);
  const clock = new ManualClock(at('2025-09-01'));
  let tb: TestBot;
  let campaignId = '';

  beforeAll(async () => {
    tb = await startTestBot({ clock, env: { ADMIN_IDS: String(ADMIN.id) } });
    for (const u of [LEAD_T, LEAD_XA, ADMIN]) tb.emulator.addUser(u);
    const s = tb.app.services;
    expect((await s.org.importUnitsCsv('cli', TREE)).ok).toBe(true);
    await s.org.people.grantRole(LEAD_T.id, { kind: 'leader', unit: 'T' }, 'test', clock.now());
    await s.org.people.grantRole(LEAD_XA.id, { kind: 'leader', unit: 'XA' }, 'test', clock.now());
    const campaign = await seedCampaign(s.congress, { scope: 'T', pilots: ['CB11', 'CB21'] });
    const store = new CongressStore(s.redis);
    const c = campaign.id;
    campaignId = c;
    const ref = async (branch: string) => ({
      campaignId: c,
      branch,
      ancestors: await s.org.units.ancestors(branch),
      actor: 'test',
      now: clock.now(),
    });
    const date = async (branch: string, d: string, time?: number) =>
      expect(
        (await store.registerDate({ ...(await ref(branch)), date: d, ...(time ? { time } : {}) })).ok,
      ).toBe(true);
    const result = async (branch: string, d: string) =>
      expect(
        (
          await store.saveReport({
            ...(await ref(branch)),
            report: {
              date: d,
              format: 'bau_cu',
              summoned: 15,
              present: 14,
              elected: 3,
              reElected: 2,
              women: 1,
              young: 0,
              minority: 0,
              secretaryDirect: true,
              secretaryIsHead: 'co',
              deputy: 'co',
            },
          })
        ).ok,
      ).toBe(true);
    const decide = async (branch: string, number: string, d: string) =>
      expect((await store.approve({ ...(await ref(branch)), decision: { number, date: d } })).ok).toBe(true);
    await date('CB11', '2025-09-20', 8 * 60);
    await date('CB12', '2025-09-10');
    await date('CB14', '2025-09-22', 14 * 60);
    await date('CB22', '2025-09-15');
    await result('CB13', '2025-09-01');
    await result('CB21', '2025-09-01');
    await result('CB16', '2025-09-01');
    await decide('CB13', '12-QĐ/ĐU', '2025-09-01');
    await decide('CB21', '15-QĐ/ĐU', '2025-09-01');
    expect((await store.extend({ ...(await ref('CB15')), until: '2025-10-20', reason: 'Sáp nhập' })).ok).toBe(
      true,
    );
    const config = await store.office.config(c);
    await store.office.setTick({
      campaignId: c,
      branch: 'CB14',
      kind: 'preparation',
      item: config.preparation[0]!,
      ticked: true,
      items: config.preparation,
      actor: 'test',
      now: clock.now(),
    });
    await store.office.markFollowUpOpen(c, [{ branch: 'CB21', date: '2025-09-01' }]);
    // The first message sets the person's menu; budgets are for the messages after it.
    for (const u of [LEAD_T, LEAD_XA, ADMIN]) await handled(tb.emulator.sendText(u.id, '/help'));
  });
  afterAll(() => tb.stop());

  const handled = (update: Update) => roundTripsOf(update, tb);

  /** /tiendo (or a drill-down press): its round trips, and the answer as the person sees it. */
  async function tiendo(who: { id: number }, command = '/tiendo', press?: { on: EmuMessage; label: string }) {
    const answer = tb.emulator.waitForBotMessage(
      who.id,
      (x) => !x.edited && (x.text ?? '').startsWith('Tiến độ'),
    );
    const update = press
      ? tb.emulator.pressButton(who.id, who.id, press.on.message_id, buttonOf(press.on, press.label).data)
      : tb.emulator.sendText(who.id, command);
    const roundTrips = await handled(update);
    const shown = await answer;
    return { roundTrips, text: shown.text ?? '', buttons: inlineButtons(shown).map((b) => b.text), shown };
  }

  /** The lines of a block of the answer: from the line starting with `header` to the next blank line. */
  function block(text: string, header: string): string[] {
    const all = text.split('\n');
    const start = all.findIndex((l) => l.startsWith(header));
    if (start < 0) return [];
    const end = all.indexOf('', start);
    return all.slice(start, end < 0 ? undefined : end);
  }

  it('before the deadline: the top leader, the admin and a commune leader, each in at most 4', async () => {
    clock.set(at('2025-09-18'));
    const top = await tiendo(LEAD_T);
    expect(top.roundTrips).toBeLessThanOrEqual(4);
    expect(top.text).toContain('Đảng bộ huyện Hòa An, đến ngày 18/09/2025 (hạn hoàn thành 30/09/2025)');
    expect(top.text).toContain('Đã đại hội: 3/10 chi bộ (30%)');
    expect(block(top.text, 'Đại hội trong 7 ngày tới:')).toEqual([
      'Đại hội trong 7 ngày tới:',
      '- 08:00 ngày 20/09/2025: Chi bộ Khu 1A',
      '- 14:00 ngày 22/09/2025: Chi bộ Thôn 4',
    ]);
    expect(block(top.text, 'Quá hạn chưa báo cáo')).toEqual([
      'Quá hạn chưa báo cáo: 2 chi bộ',
      '- Chi bộ Khu 1B (đăng ký đại hội ngày 10/09/2025, chưa báo cáo kết quả)',
      '- Chi bộ Hòa 2 (đăng ký đại hội ngày 15/09/2025, chưa báo cáo kết quả)',
    ]);
    expect(block(top.text, 'Chi bộ được gia hạn')).toEqual([
      'Chi bộ được gia hạn: 1 chi bộ',
      '- Chi bộ Thôn 5: gia hạn đến 20/10/2025, chưa đăng ký lịch',
    ]);
    expect(block(top.text, 'Theo đơn vị:')).toEqual([
      'Theo đơn vị:',
      '- Đảng bộ xã Tân Lập: 2/6 (33,33%)',
      '- Đảng bộ xã Hòa Bình: 1/3 (33,33%)',
      '- Đảng bộ xã Cẩm Lý: 0/1 (0%)',
      'Quyết định đã ghi: số 15-QĐ/ĐU ngày 1/9/2025; số 12-QĐ/ĐU ngày 1/9/2025.',
      'Đại hội trong 7 ngày tới còn việc chuẩn bị chưa xong: 2 chi bộ',
      '• Chi bộ Khu 1A (08:00 20/09/2025): còn «Dự thảo báo cáo chính trị đã gửi cấp ủy cấp trên», «Đề án nhân sự đã được cấp ủy cấp trên cho ý kiến»',
      '• Chi bộ Thôn 4 (14:00 22/09/2025): còn «Đề án nhân sự đã được cấp ủy cấp trên cho ý kiến»',
      'Đại hội điểm',
      '• Đảng bộ xã Cẩm Lý: chưa chọn chi bộ đại hội điểm.',
      '• Đảng bộ xã Tân Lập: 1 chi bộ đăng ký đại hội trước đại hội điểm (Chi bộ Khu 1A, 20/09/2025).',
    ]);
    expect(top.buttons).toEqual(['Đảng bộ xã Tân Lập', 'Đảng bộ xã Hòa Bình', 'Đảng bộ xã Cẩm Lý']);

    // The admin starts at the root: the same answer.
    const admin = await tiendo(ADMIN);
    expect(admin.roundTrips).toBeLessThanOrEqual(4);
    expect(admin.text).toBe(top.text);

    // A commune's leader sees the commune only.
    const xa = await tiendo(LEAD_XA);
    expect(xa.roundTrips).toBeLessThanOrEqual(4);
    expect(xa.text).toContain('Đảng bộ xã Tân Lập, đến ngày 18/09/2025');
    expect(xa.text).toContain('Đã đại hội: 2/6 chi bộ (33,33%)');
    expect(block(xa.text, 'Quá hạn chưa báo cáo')).toEqual([
      'Quá hạn chưa báo cáo: 1 chi bộ',
      '- Chi bộ Khu 1B (đăng ký đại hội ngày 10/09/2025, chưa báo cáo kết quả)',
    ]);
    expect(xa.text).toContain('Quyết định đã ghi: số 12-QĐ/ĐU ngày 1/9/2025.');
    expect(xa.text).not.toContain('15-QĐ/ĐU');
    expect(xa.text).not.toContain('Đảng bộ xã Cẩm Lý');
    expect(xa.text).toContain('Chờ chuẩn y: 1 chi bộ');
    expect(xa.buttons).toEqual(['Đảng bộ bộ phận Khu 1', 'Chuẩn y: Chi bộ Thôn 6']);

    // The top leader drills down to the commune, and asks for another by code.
    const drilled = await tiendo(LEAD_T, '', { on: top.shown, label: 'Đảng bộ xã Tân Lập' });
    expect(drilled.roundTrips).toBeLessThanOrEqual(4);
    expect(drilled.text).toBe(xa.text);
    expect(drilled.buttons).toContain(msg.congress.chat.buttonUp('Đảng bộ huyện Hòa An'));
    const xb = await tiendo(LEAD_T, '/tiendo XB');
    expect(xb.roundTrips).toBeLessThanOrEqual(4);
    expect(xb.text).toContain('Đảng bộ xã Hòa Bình, đến ngày 18/09/2025');
    expect(xb.text).toContain('Quyết định đã ghi: số 15-QĐ/ĐU ngày 1/9/2025.');
  });

  it('after the deadline: branches without a date are named, a running extension is not overdue', async () => {
    clock.set(at('2025-10-10'));
    const s = tb.app.services;
    const store = new CongressStore(s.redis);
    // The extended branch registers within its own date.
    const reg = await store.registerDate({
      campaignId,
      branch: 'CB15',
      ancestors: ['T', 'XA'],
      date: '2025-10-14',
      actor: 'test',
      now: clock.now(),
    });
    expect(reg.ok).toBe(true);
    const top = await tiendo(LEAD_T);
    expect(top.roundTrips).toBeLessThanOrEqual(4);
    expect(block(top.text, 'Đại hội trong 7 ngày tới:')).toEqual([
      'Đại hội trong 7 ngày tới:',
      '- ngày 14/10/2025: Chi bộ Thôn 5',
    ]);
    expect(block(top.text, 'Quá hạn chưa báo cáo')).toEqual([
      'Quá hạn chưa báo cáo: 6 chi bộ',
      '- Chi bộ Khu 1B (đăng ký đại hội ngày 10/09/2025, chưa báo cáo kết quả)',
      '- Chi bộ Hòa 2 (đăng ký đại hội ngày 15/09/2025, chưa báo cáo kết quả)',
      '- Chi bộ Khu 1A (đăng ký đại hội ngày 20/09/2025, chưa báo cáo kết quả)',
      '- Chi bộ Thôn 4 (đăng ký đại hội ngày 22/09/2025, chưa báo cáo kết quả)',
      '- Chi bộ Hòa 3',
      '- Chi bộ Cẩm 1',
    ]);
    expect(block(top.text, 'Chi bộ được gia hạn')).toEqual([
      'Chi bộ được gia hạn: 1 chi bộ',
      '- Chi bộ Thôn 5: gia hạn đến 20/10/2025, đăng ký đại hội ngày 14/10/2025',
    ]);
    expect(top.text).toContain(
      'Quá hạn việc sau đại hội (chương trình hành động, quy chế…): 1 chi bộ\n• Chi bộ Hòa 1: hạn 01/10/2025, còn 3 việc',
    );
    const admin = await tiendo(ADMIN);
    expect(admin.roundTrips).toBeLessThanOrEqual(4);
    expect(admin.text).toBe(top.text);

    const xa = await tiendo(LEAD_XA);
    expect(xa.roundTrips).toBeLessThanOrEqual(4);
    expect(block(xa.text, 'Quá hạn chưa báo cáo')).toEqual([
      'Quá hạn chưa báo cáo: 3 chi bộ',
      '- Chi bộ Khu 1B (đăng ký đại hội ngày 10/09/2025, chưa báo cáo kết quả)',
      '- Chi bộ Khu 1A (đăng ký đại hội ngày 20/09/2025, chưa báo cáo kết quả)',
      '- Chi bộ Thôn 4 (đăng ký đại hội ngày 22/09/2025, chưa báo cáo kết quả)',
    ]);
    // The follow-up of a branch of another commune is not the commune's.
    expect(xa.text).not.toContain('Chi bộ Hòa 1');
  });
});
