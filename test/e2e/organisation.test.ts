/**
 * The organisation through the chat: an admin imports the tree by sending a file, invites
 * people by deep link, people bind with /start CODE and get their own menu, an admin revokes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import { inlineButtons, startTestBot, type TestBot } from '../support/app.js';

const ADMIN = { id: 7001, first_name: 'Văn phòng' };
const SECRETARY = { id: 7002, first_name: 'Lê Văn', last_name: 'Bình' };
const LEADER = { id: 7003, first_name: 'Nguyễn Văn', last_name: 'Hùng' };
const STRANGER = { id: 7004, first_name: 'Người lạ' };
const LATECOMER = { id: 7005, first_name: 'Đến muộn' };

const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'XA,Đảng bộ xã A,dang_bo_co_so,,,120',
  'BP1,Đảng bộ bộ phận 1,dang_bo_bo_phan,,XA,60',
  'CB1,Chi bộ Thôn 1,chi_bo,thon,BP1,25',
  'CB2,Chi bộ Thôn 2,chi_bo,thon,BP1,20',
  'CB3,"Chi bộ Trường Tiểu học, xã A",chi_bo,truong_hoc,XA,15',
].join('\n');

describe('organisation through the chat', () => {
  let bot: TestBot;
  const clock = new ManualClock(Date.parse('2025-09-01T02:00:00Z'));
  const chat = (u: { id: number }) => u.id;

  /** Sends a text as a person and returns the bot's answer. */
  async function ask(user: { id: number }, text: string) {
    const before = bot.emulator.botMessages(chat(user)).at(-1)?.message_id ?? 0;
    bot.emulator.sendText(user.id, text);
    return bot.emulator.waitForBotMessage(chat(user), (m) => m.message_id > before);
  }

  /** Presses a button on a bot message and returns the next bot message. */
  async function press(user: { id: number }, message: { message_id: number }, label: string) {
    const button = inlineButtons(message as never).find((b) => b.text === label);
    expect(button, label).toBeDefined();
    const before = bot.emulator.botMessages(chat(user)).at(-1)?.message_id ?? 0;
    bot.emulator.pressButton(user.id, chat(user), message.message_id, button!.callback_data);
    return bot.emulator.waitForBotMessage(chat(user), (m) => m.message_id > before);
  }

  /** /moi through its dialog: họ và tên, chức vụ (or none), and for a leader the approver question. */
  async function invite(unit: string, role: string, name: string, title?: string, approver = false) {
    const asked = await ask(ADMIN, `/moi ${unit} ${role}`);
    expect(asked.text).toContain('họ và tên');
    const titleQ = await ask(ADMIN, name);
    expect(titleQ.text).toBe(msg.people.inviteDialog.title);
    const next = title
      ? await ask(ADMIN, title)
      : await press(ADMIN, titleQ, msg.people.inviteDialog.buttonNoTitle);
    if (role !== 'lanhdao') return next;
    expect(next.text).toBe(msg.people.inviteDialog.approver);
    return press(
      ADMIN,
      next,
      approver ? msg.people.inviteDialog.buttonApprover : msg.people.inviteDialog.buttonNotApprover,
    );
  }

  beforeAll(async () => {
    bot = await startTestBot({ env: { ADMIN_IDS: String(ADMIN.id) }, clock });
    for (const u of [ADMIN, SECRETARY, LEADER, STRANGER, LATECOMER]) bot.emulator.addUser(u);
  });
  afterAll(() => bot.stop());

  it('imports the tree from a CSV the admin sends, and refuses a non-admin’s file', async () => {
    bot.emulator.sendDocument(ADMIN.id, {
      name: 'don-vi.csv',
      content: Buffer.from(`\uFEFF${TREE}`),
      mime: 'text/csv',
    });
    const done = await bot.emulator.waitForBotMessage(chat(ADMIN));
    expect(done.text).toBe(msg.units.importSummary(5, 5, 0));

    bot.emulator.sendDocument(STRANGER.id, { name: 'x.csv', content: Buffer.from(TREE), mime: 'text/csv' });
    const refused = await bot.emulator.waitForBotMessage(chat(STRANGER));
    expect(refused.text).toBe(msg.units.noAccess);
  });

  it('binds a secretary by invite link, greets them by role and gives them their menu', async () => {
    const link = await invite('CB1', 'bithu', 'Lê Văn Bình');
    const code = /start=([A-Za-z0-9_-]+)/.exec(link.text ?? '')?.[1];
    expect(code).toMatch(/^[A-Za-z0-9_-]{22,}$/);

    const greeting = await ask(SECRETARY, `/start ${code}`);
    expect(greeting.text).toContain('Đã ghi nhận đồng chí là Bí thư Chi bộ Thôn 1');
    expect(greeting.text).toContain('/daihoi');
    await expect
      .poll(() => bot.emulator.menuFor(SECRETARY.id).map((c) => c.command))
      .toEqual(msg.help.menuFor([{ kind: 'secretary', unit: 'CB1' }]).map((c) => c.command));

    // The same code again, by anyone, gives no access.
    const reused = await ask(STRANGER, `/start ${code}`);
    expect(reused.text).toBe(msg.units.invite.used);
    const help = await ask(STRANGER, '/help');
    expect(help.text).toBe(msg.units.startNoCode);
  });

  it('refuses an expired code and an unknown one, and explains /start without a code', async () => {
    const link = await invite('BP1', 'lanhdao', 'Trần Văn Muộn');
    const code = /start=([A-Za-z0-9_-]+)/.exec(link.text ?? '')?.[1];
    clock.advance(31 * 24 * 3600 * 1000);
    expect((await ask(LATECOMER, `/start ${code}`)).text).toBe(msg.units.invite.expired);
    expect((await ask(LATECOMER, '/start AAAAAAAAAAAAAAAAAAAAAAAA')).text).toBe(msg.units.invite.unknown);
    expect((await ask(LATECOMER, '/start')).text).toBe(msg.units.startNoCode);
    clock.advance(-31 * 24 * 3600 * 1000);
  });

  it('gives a leader access to their subtree only, by invite', async () => {
    const link = await invite('BP1', 'lanhdao', 'Nguyễn Văn Hùng', 'Bí thư Đảng ủy bộ phận', true);
    const code = /start=([A-Za-z0-9_-]+)/.exec(link.text ?? '')?.[1];
    const greeting = await ask(LEADER, `/start ${code}`);
    expect(greeting.text).toContain('Lãnh đạo Đảng bộ bộ phận 1');
    const viewer = await bot.app.services.org.viewer(LEADER.id);
    expect(await bot.app.services.org.canView(viewer, 'CB2')).toBe(true);
    expect(await bot.app.services.org.canView(viewer, 'CB3')).toBe(false);
    const person = await bot.app.services.org.people.get(LEADER.id);
    expect(person).toMatchObject({
      fullName: 'Nguyễn Văn Hùng',
      title: 'Bí thư Đảng ủy bộ phận',
      approver: true,
    });
    const unit = await ask(ADMIN, '/canbo BP1');
    expect(unit.text).toContain('Lãnh đạo: Nguyễn Văn Hùng, Bí thư Đảng ủy bộ phận');
    expect(unit.text).toContain(msg.people.approverNote);
    expect(unit.text).not.toContain(msg.people.unverifiedNote);
  });

  it('asks the name again when it is not a name, and refuses "Lãnh đạo" as a title', async () => {
    await ask(ADMIN, '/moi CB2 bithu');
    const bad = await ask(ADMIN, '🙂'.repeat(3));
    expect(bad.text).toContain('chỉ được gồm chữ cái');
    const long = await ask(ADMIN, 'A'.repeat(5000));
    expect(long.text).toContain('quá 80 ký tự');
    expect((await ask(ADMIN, 'Phạm Thị Lan')).text).toBe(msg.people.inviteDialog.title);
    const role = await ask(ADMIN, 'Lãnh đạo');
    expect(role.text).toContain('là vai trò trong bot, không phải chức vụ');
    expect((await ask(ADMIN, '/huy')).text).toBe(msg.common.cancelled);
  });

  it('marks a person unreachable as soon as they block the bot, and reachable when they write again', async () => {
    const people = bot.app.services.org.people;
    bot.emulator.blockBot(LEADER.id);
    await expect.poll(async () => (await people.get(LEADER.id))?.unreachable?.reason).toContain('blocked');
    bot.emulator.sendText(LEADER.id, '/help');
    await expect.poll(async () => (await people.get(LEADER.id))?.unreachable).toBeUndefined();
  });

  it('lets only admins manage people, and records who revoked whom', async () => {
    expect((await ask(SECRETARY, '/canbo')).text).toBe(msg.units.adminOnly);
    expect((await ask(STRANGER, '/canbo')).text).toBe(msg.units.noAccess);
    expect((await ask(SECRETARY, '/moi CB2 bithu')).text).toBe(msg.units.adminOnly);

    const overview = await ask(ADMIN, '/canbo');
    expect(overview.text).toContain('Chi bộ chưa có bí thư dùng bot: 2/3');

    const unit = await ask(ADMIN, '/canbo CB1');
    expect(unit.text).toContain('Bí thư: Lê Văn Bình');
    expect(unit.text).not.toContain(msg.people.unverifiedNote);
    const revokeButton = inlineButtons(unit).find((b) => b.text.startsWith('Thu hồi'));
    expect(revokeButton).toBeDefined();
    bot.emulator.pressButton(ADMIN.id, chat(ADMIN), unit.message_id, revokeButton!.callback_data);
    const confirm = await bot.emulator.waitForBotMessage(chat(ADMIN), (m) => m.message_id > unit.message_id);
    const yes = inlineButtons(confirm).find((b) => b.text === msg.people.buttonConfirmRevoke);
    bot.emulator.pressButton(ADMIN.id, chat(ADMIN), confirm.message_id, yes!.callback_data);
    await expect
      .poll(() => bot.emulator.messages(chat(ADMIN)).find((m) => m.message_id === confirm.message_id)?.text)
      .toBe(msg.people.revoked('Lê Văn Bình'));

    expect((await bot.app.services.org.viewer(SECRETARY.id)).roles).toEqual([]);
    expect((await ask(SECRETARY, '/help')).text).toBe(msg.units.startNoCode);
    const audit = await bot.app.services.redis.xrevrange('cb:audit', '+', '-', 'COUNT', 50);
    const revocation = audit
      .map(([, f]) => JSON.parse(f[1] ?? '{}'))
      .find((e) => e.action === 'person.revoke');
    expect(revocation).toMatchObject({ actor: String(ADMIN.id), subject: `person:${SECRETARY.id}` });
  });
});
