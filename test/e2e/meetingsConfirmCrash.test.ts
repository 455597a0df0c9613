/**
 * «Xác nhận» survives a crash inside its window (issue 12, item 4). The bot runs as a child
 * process stopped on purpose right after the save (`CHIBO_PAUSE_AT=confirm-saved`, see
 * `src/infra/pausePoints.ts`), is killed there with SIGKILL, and is started again on the same
 * data. Telegram had already been told the press was received (it was kept in the update inbox),
 * so the next process handles it from the inbox: it is told the report was saved, once, and so
 * is a second press of the same button.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthOfDate } from '../../src/domain/meetings/calendar.js';
import { calendarDate, formatVnDate } from '../../src/domain/vn.js';
import { msg } from '../../src/messages/index.js';
import type { EmuMessage } from '../../src/sandbox/emulator.js';
import { MeetingStore } from '../../src/store/meetings.js';
import { PeopleStore } from '../../src/store/people.js';
import { ChildBots, inlineButtons, seedUnits } from '../support/app.js';

const m = msg.meetings;
const SECRETARY = { id: 7101, first_name: 'Bí thư Thôn 1' };
const UNITS_CSV = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,25',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn/xóm/khu dân cư,XA,25',
].join('\n');

describe('«Xác nhận» killed right after the save', () => {
  const bots = new ChildBots();

  beforeAll(async () => {
    const { redis, emulator } = await bots.open();
    await seedUnits(redis, UNITS_CSV);
    await new PeopleStore(redis, { adminIds: [] }).grantRole(
      SECRETARY.id,
      { kind: 'secretary', unit: 'CB01' },
      'test',
      Date.now(),
    );
    emulator.addUser(SECRETARY);
  });
  afterAll(() => bots.close());

  const saidSince = (since: number) =>
    bots.emulator
      .botMessages(SECRETARY.id)
      .filter((x) => x.message_id > since || (x.edited && x.message_id === since));

  it('answers the redelivered press and a second press «đã được lưu», with one version saved', async () => {
    const { emulator, redis } = bots;
    const first = bots.start({ CHIBO_PAUSE_AT: 'confirm-saved' });
    await first.waitForOutput('long polling', 30_000);

    // Through the form to the card, as a secretary does.
    const today = calendarDate(Date.now(), 'Asia/Ho_Chi_Minh');
    const blank = emulator.waitForBotMessage(SECRETARY.id, (x) =>
      (x.text ?? '').includes(`${m.labels.members}:`),
    );
    emulator.sendText(SECRETARY.id, '/sinhhoat');
    await blank;
    const form = [
      `${m.labels.date}: ${formatVnDate(today)}`,
      `${m.labels.type}: thường kỳ`,
      `${m.labels.duration}: 120`,
      `${m.labels.members}: 25`,
      `${m.labels.exempt}: 1`,
      `${m.labels.present}: 22`,
      `${m.labels.absentWithReason}: 1`,
      `${m.labels.absentWithoutReason}: 1`,
      `${m.labels.content}: Quán triệt nghị quyết`,
      `${m.labels.upperAttendee}: không`,
    ].join('\n');
    const cardShown = emulator.waitForBotMessage(SECRETARY.id, (x) =>
      inlineButtons(x).some((b) => b.text === m.buttonSave),
    );
    emulator.sendText(SECRETARY.id, form);
    const card: EmuMessage = await cardShown;
    const confirm = inlineButtons(card).find((b) => b.text === m.buttonSave)!;

    // «Xác nhận»: the bot stops right after the save, and is killed there.
    emulator.pressButton(SECRETARY.id, SECRETARY.id, card.message_id, confirm.callback_data);
    await first.waitForOutput('paused at confirm-saved', 20_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const month = monthOfDate(today);
    const store = new MeetingStore(redis);
    expect(await store.history('CB01', month)).toHaveLength(1);
    // Nothing was answered before the kill, and Telegram will not deliver the press again: the
    // poller confirmed it once it was in the inbox, while the press was still being handled.
    expect(saidSince(card.message_id)).toEqual([]);
    for (let end = Date.now() + 5_000; emulator.unconfirmedUpdates() > 0 && Date.now() < end; ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(emulator.unconfirmedUpdates()).toBe(0);

    // Started again without the pause: the press comes back from the inbox and finds the receipt.
    const second = bots.start();
    const redelivered = await emulator.waitForBotMessage(
      SECRETARY.id,
      (x) => (x.text ?? '').includes('đã được lưu'),
      { timeoutMs: 40_000 },
    );
    expect(redelivered.text).toBe(m.alreadySaved(month, 1));

    // A second press of the same button (a double tap on the old card) is answered the same.
    const again = emulator.waitForBotMessage(SECRETARY.id, (x) => x.message_id > redelivered.message_id);
    emulator.pressButton(SECRETARY.id, SECRETARY.id, card.message_id, confirm.callback_data);
    expect((await again).text).toBe(redelivered.text);

    const everything = saidSince(card.message_id).map((x) => x.text ?? '');
    expect(everything.filter((t) => t.includes('Mã tham chiếu'))).toEqual([]);
    expect(everything).not.toContain(msg.common.buttonExpired);
    expect(emulator.toasts(SECRETARY.id).map((t) => t.text)).not.toContain(msg.common.buttonExpired);
    expect(await store.history('CB01', month)).toHaveLength(1);
    expect((await store.getReport('CB01', month))?.report.present).toBe(22);

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 120_000);
});
