/**
 * What the Telegram adapter does around every feature, seen through the emulator: it makes no
 * call Telegram would refuse when a press closes a message that has no buttons left, and a file
 * sent while a not-yet-moved module's dialog is open is still answered (both found by the fuzz,
 * `npm run fuzz`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import { startTestBot, type TestBot } from '../support/app.js';

const ADMIN = { id: 7301, first_name: 'Văn phòng' };
const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'XA,Đảng bộ xã A,dang_bo_co_so,,,40',
  'CB1,Chi bộ Thôn 1,chi_bo,thon,XA,25',
].join('\n');

describe('the Telegram adapter', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({
      env: { ADMIN_IDS: String(ADMIN.id) },
      clock: new ManualClock(Date.parse('2025-09-01T02:00:00Z')),
    });
    bot.emulator.addUser(ADMIN);
  });
  afterAll(() => bot.stop());

  const refused = () => bot.emulator.callLog().filter((c) => c.status !== 200);

  it('answers a stale press on a message without buttons with a note, and no edit that changes nothing', async () => {
    bot.emulator.sendText(ADMIN.id, '/help');
    const help = await bot.emulator.waitForBotMessage(ADMIN.id);
    expect(help.reply_markup).toBeUndefined();
    const before = bot.emulator.callLog().length;
    // A button of a meetings card long gone, pressed on a message that never had one.
    bot.emulator.pressButton(ADMIN.id, ADMIN.id, help.message_id, 'sh:ok:0a1b2c3d');
    await expect
      .poll(() => bot.emulator.toasts(ADMIN.id).map((t) => t.text))
      .toContain(msg.common.buttonExpired);
    await expect.poll(() => bot.emulator.callLog().length).toBeGreaterThan(before);
    expect(refused()).toEqual([]);
  });

  it('does not edit a message again to what it already says when a button is pressed twice', async () => {
    bot.emulator.sendText(ADMIN.id, '/help');
    const help = await bot.emulator.waitForBotMessage(ADMIN.id);
    // «Hủy» under a revocation: the message becomes «Đã hủy…»; the second press finds it so.
    for (let i = 0; i < 2; i++) {
      const press = bot.emulator.pressButton(ADMIN.id, ADMIN.id, help.message_id, 'pp:no');
      await expect.poll(() => bot.app.handled(press.update_id)).toBe(true);
    }
    await expect
      .poll(() => bot.emulator.messages(ADMIN.id).find((m) => m.message_id === help.message_id)?.text)
      .toBe(msg.common.cancelled);
    expect(refused()).toEqual([]);
  });

  it('answers a file sent while the congress-round dialog is open: the unit list is imported', async () => {
    const opened = bot.emulator.waitForBotMessage(ADMIN.id, (m) => (m.text ?? '').startsWith('Mở đợt'));
    bot.emulator.sendText(ADMIN.id, '/dotdaihoi');
    await opened;
    const answer = bot.emulator.waitForBotMessage(ADMIN.id, (m) => m.message_id > 0 && !m.edited, {
      since: bot.emulator.botMessages(ADMIN.id).at(-1)?.message_id ?? 0,
    });
    bot.emulator.sendDocument(ADMIN.id, { name: 'don-vi.csv', content: Buffer.from(TREE), mime: 'text/csv' });
    expect((await answer).text).toBe(msg.units.importSummary(2, 2, 0));
    expect(refused()).toEqual([]);
  });

  it('answers a press on a file with a new message: a file has no text to replace', async () => {
    // The unit list was imported by the test before.
    bot.emulator.sendText(ADMIN.id, '/moi tatca bithu');
    const file = await bot.emulator.waitForBotMessage(ADMIN.id, (m) => m.document !== undefined);
    expect(file.text).toBeUndefined();
    // A «Hủy» of the people screens forged onto the file.
    const answer = bot.emulator.waitForBotMessage(ADMIN.id, (m) => m.text === msg.common.cancelled);
    bot.emulator.pressButton(ADMIN.id, ADMIN.id, file.message_id, 'pp:no');
    expect((await answer).message_id).toBeGreaterThan(file.message_id);
    expect(refused()).toEqual([]);
  });
});
