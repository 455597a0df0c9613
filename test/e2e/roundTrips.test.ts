/**
 * Redis round trips per update, held to their budgets (issue 16): what the bot does for every
 * message must stay a handful of round trips, pipelined, never one call per unit or per key.
 */

import type { Update } from '@telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg } from '../../src/messages/index.js';
import { inlineButtons, startTestBot, type TestBot } from '../support/app.js';

const UNITS_CSV = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,55',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn/xóm/khu dân cư,XA,20',
].join('\n');
const SEC = { id: 9101, first_name: 'Bí thư Thôn 1' };

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot();
  bot.emulator.addUser(SEC);
  const s = bot.app.services;
  expect((await s.org.importUnitsCsv('cli', UNITS_CSV)).ok).toBe(true);
  await s.org.people.grantRole(SEC.id, { kind: 'secretary', unit: 'CB01' }, 'test', s.clock.now());
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
});
