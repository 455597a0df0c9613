/**
 * A transfer (chuyển sinh hoạt) survives a crash between its save and the receiving branch's
 * notice. The bot runs as a child process stopped on purpose right after the save
 * (`CHIBO_PAUSE_AT=member-transfer-saved`, see `src/infra/pausePoints.ts`), is killed there with
 * SIGKILL and started again on the same data: the press Telegram delivers again finds the card's
 * receipt, answers as the first press would have, and the receiving secretary is told once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg } from '../../src/messages/index.js';
import { MemberStore } from '../../src/store/members.js';
import { PeopleStore } from '../../src/store/people.js';
import { ChildBots, seedUnits } from '../support/app.js';
import { buttonOf, hasText } from '../support/chat.js';

const c = msg.memberChat;
const SEC1 = { id: 7201, first_name: 'Bí thư Thôn 1' };
const SEC2 = { id: 7202, first_name: 'Bí thư Thôn 2' };
const UNITS_CSV = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,25',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn/xóm/khu dân cư,XA,15',
  'CB02,Chi bộ Thôn 2,Chi bộ,Thôn/xóm/khu dân cư,XA,10',
].join('\n');

describe('«Xác nhận» of a transfer killed right after the save', () => {
  const bots = new ChildBots();

  beforeAll(async () => {
    const { redis, emulator } = await bots.open();
    await seedUnits(redis, UNITS_CSV);
    const people = new PeopleStore(redis, { adminIds: [] });
    await people.grantRole(SEC1.id, { kind: 'secretary', unit: 'CB01' }, 'test', Date.now());
    await people.grantRole(SEC2.id, { kind: 'secretary', unit: 'CB02' }, 'test', Date.now());
    const admitted = await new MemberStore(redis).admit(
      {
        branch: 'CB01',
        fullName: 'Lê Văn Cường',
        birthDate: '1978-03-10',
        gender: 'male',
        ethnicity: 'Tày',
        joined: '2000-03-10',
        officialSince: '2001-03-10',
        cardNumber: null,
        interruptedMonths: 0,
      },
      { actor: 'test', now: Date.now() },
    );
    expect(admitted.ok).toBe(true);
    emulator.addUser(SEC1);
    emulator.addUser(SEC2);
  });
  afterAll(() => bots.close());

  it('answers the redelivered press, tells the receiving secretary once, and moves the member once', async () => {
    const { emulator, redis } = bots;
    const first = bots.start({ CHIBO_PAUSE_AT: 'member-transfer-saved' });
    await first.waitForOutput('long polling', 30_000);
    const store = new MemberStore(redis);
    const [member] = (await store.branches(['CB01'])).get('CB01') ?? [];
    expect(member?.fullName).toBe('Lê Văn Cường');

    // The receiving secretary has talked to the bot before (it cannot write first).
    const hello = emulator.waitForBotMessage(SEC2.id, hasText('Chi bộ Thôn 2'));
    emulator.sendText(SEC2.id, '/dangvien');
    await hello;
    const shown = emulator.waitForBotMessage(SEC1.id, hasText('Chuyển sinh hoạt đảng'));
    emulator.sendText(SEC1.id, `/dangvien chuyen ${member!.id} CB02`);
    const card = await shown;

    emulator.pressButton(SEC1.id, SEC1.id, card.message_id, buttonOf(card, c.buttons.confirm).data);
    await first.waitForOutput('paused at member-transfer-saved', 20_000);
    first.child.kill('SIGKILL');
    await first.exited;
    expect((await store.get(member!.id))?.branch).toBe('CB02');
    expect(emulator.botMessages(SEC2.id).filter((x) => (x.text ?? '').includes('Lê Văn Cường'))).toEqual([]);

    // Started again without the pause: the unconfirmed press comes back and finds the receipt.
    const second = bots.start();
    const told = emulator.waitForBotMessage(SEC2.id, hasText('Lê Văn Cường'), { timeoutMs: 40_000 });
    const answered = emulator.waitForBotMessage(SEC1.id, hasText('Đã chuyển sinh hoạt'), {
      timeoutMs: 40_000,
    });
    expect((await told).text).toContain('Kính gửi: Đồng chí Bí thư Chi bộ Thôn 2');
    expect((await answered).text).toContain('Chi bộ Thôn 2');
    expect(emulator.botMessages(SEC1.id).map((x) => x.text ?? '')).not.toContainEqual(
      expect.stringContaining('đã sinh hoạt'),
    );

    // A second press of the old card: told it is done, nothing more sent.
    emulator.pressButton(SEC1.id, SEC1.id, card.message_id, buttonOf(card, c.buttons.confirm).data);
    await expect
      .poll(() => emulator.toasts(SEC1.id).map((t) => t.text), { timeout: 15_000 })
      .toContain(c.alreadyDone);
    expect(emulator.botMessages(SEC2.id).filter((x) => (x.text ?? '').includes('Lê Văn Cường'))).toHaveLength(
      1,
    );
    expect((await store.history(member!.id)).map((e) => e.action)).toEqual(['admit', 'transfer']);

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 120_000);
});
