/**
 * Redis round trips per update, held to their budgets (issue 16): what the bot does for every
 * message must stay a handful of round trips, pipelined, never one call per unit or per key.
 */

import type { Update } from '@telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, calendarDate, formatVnDate } from '../../src/domain/vn.js';
import { msg } from '../../src/messages/index.js';
import { inlineButtons, startTestBot, type TestBot } from '../support/app.js';
import { seedCampaign } from '../support/campaign.js';

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
async function roundTripsOf(update: Update): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const n = bot.app.roundTrips(update.update_id);
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
    // The update is done: its slot was moved from in flight (scored ahead) to when the answer came.
    const [s, us] = await redis.time();
    expect(
      await redis.zcount('cb:send:log', `(${Number(s) * 1000 + Math.floor(Number(us) / 1000)}`, '+inf'),
    ).toBe(0);
    const form = bot.emulator.waitForBotMessage(SEC.id, (m) => inlineButtons(m).length > 0);
    await answerTo(bot.emulator.sendText(SEC.id, '/sinhhoat'));
    const shown = await form;
    // A press on a button that only edits the message: the two slots taken ahead go back.
    const before = await redis.zcard('cb:send:log');
    await roundTripsOf(bot.emulator.pressButton(SEC.id, SEC.id, shown.message_id, 'zz:forged'));
    expect(await redis.zcard('cb:send:log')).toBe(before);
    expect(bot.emulator.toasts(SEC.id).length).toBeGreaterThan(0);
  });
});
