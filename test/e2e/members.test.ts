/**
 * The member register as people see it: the real bot, its outbox worker and the Bot API
 * emulator, on a manual clock 45 days before the 02/09/2026 occasion. The office sends the
 * register file (a bad one first: every bad row by line, nothing saved); secretaries keep their
 * branch with /dangvien (kết nạp by form, chuyển chính thức, chuyển sinh hoạt with the receiving
 * secretary told, closing a membership, history), each on a card saved only on «Xác nhận»;
 * leaders see their subtree, nobody sees members in a group; /huyhieu and its workbook read
 * back; the badge reminder run; /phattrien; the daily summary's line about the occasion.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPlainText } from '../../src/chat/markup.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import type { EmuMessage } from '../../src/sandbox/chatStore.js';
import { startTestBot, TEST_TOKEN, type TestBot } from '../support/app.js';

const c = msg.memberChat;

/** A local time in Vietnam (UTC+7) as UTC ms. */
const vn = (date: string, time = '10:00') => Date.parse(`${date}T${time}:00+07:00`);

const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,0',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn,XA,0',
  'CB02,Chi bộ Thôn 2,Chi bộ,Thôn,XA,0',
  'CB03,Chi bộ Trường học,Chi bộ,Trường học,XA,0',
].join('\n');

const HEADER =
  'Mã chi bộ,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Ngày vào Đảng,Ngày chính thức,Số thẻ đảng viên';
/** On 19/07/2026: An (30 years on 20/05/2026), Bình (40 years on the occasion day) and Em (50) are due at 02/09/2026. */
const REGISTER = [
  HEADER,
  'CB01,Nguyễn Văn An,01/01/1975,Nam,Kinh,20/05/1996,20/05/1997,A001',
  'CB01,Trần Thị Bình,01/01/1960,Nữ,Kinh,02/09/1986,02/09/1987,A002',
  'CB01,Lê Văn Cường,10/03/1978,Nam,Tày,10/03/2000,10/03/2001,',
  'CB01,Phạm Thị Dung,01/01/1995,Nữ,Kinh,01/06/2025,,',
  'CB02,Hoàng Văn Em,01/01/1950,Nam,Kinh,15/08/1976,15/08/1977,',
  'CB02,Vũ Thị Hoa,01/01/2000,Nữ,Kinh,01/09/2025,,',
  'CB02,Đỗ Văn Giang,01/01/1940,Nam,Kinh,01/01/1970,01/01/1971,',
].join('\n');

const ADMIN = { id: 9100, first_name: 'Văn phòng' };
const SEC1 = { id: 9101, first_name: 'Bí thư Thôn 1' };
const SEC2 = { id: 9102, first_name: 'Bí thư Thôn 2' };
const LEADER = { id: 9103, first_name: 'Lãnh đạo xã' };
const NOBODY = { id: 9104, first_name: 'Người lạ' };
const GROUP = -100900;
type User = { id: number };

let bot: TestBot;
const clock = new ManualClock(vn('2026-07-19'));

const hasText = (part: string) => (x: EmuMessage) => (x.text ?? x.caption ?? '').includes(part);

/** The person writes; resolves with the bot's first new message containing `expected`. */
function say(user: User, text: string, expected: string, chatId = user.id): Promise<EmuMessage> {
  const waiting = bot.emulator.waitForBotMessage(chatId, hasText(expected));
  bot.emulator.sendText(user.id, text, chatId === user.id ? {} : { chatId });
  return waiting;
}

function buttons(message: EmuMessage): { text: string; data: string }[] {
  const markup = message.reply_markup;
  if (!markup || !('inline_keyboard' in markup)) return [];
  return markup.inline_keyboard
    .flat()
    .map((b) => ({ text: b.text, data: 'callback_data' in b ? (b.callback_data ?? '') : '' }));
}

/** The person presses a button; resolves with the bot's first new message containing `expected`. */
function press(user: User, on: EmuMessage, label: string, expected: string): Promise<EmuMessage> {
  const b = buttons(on).find((x) => x.text.startsWith(label));
  if (!b) throw new Error(`no button «${label}» on: ${on.text}\n${JSON.stringify(buttons(on))}`);
  const waiting = bot.emulator.waitForBotMessage(user.id, (x) => !x.edited && hasText(expected)(x));
  bot.emulator.pressButton(user.id, user.id, on.message_id, b.data);
  return waiting;
}

function sendFile(user: User, name: string, content: string): Promise<EmuMessage> {
  const waiting = bot.emulator.waitForBotMessage(user.id);
  bot.emulator.sendDocument(user.id, { name, content: Buffer.from(content), mime: 'text/csv' });
  return waiting;
}

/** The id of a member of a branch, by name. */
async function idOf(branch: string, name: string): Promise<number> {
  const r = await bot.app.services.members.branch('cli', branch);
  if (!r.ok) throw new Error(`no register for ${branch}`);
  const m = r.value.members.find((x) => x.fullName === name);
  if (!m) throw new Error(`${name} is not in ${branch}`);
  return m.id;
}

async function counts(branch: string) {
  return (await bot.app.services.members.branchCounts([branch])).get(branch);
}

beforeAll(async () => {
  bot = await startTestBot({ clock, env: { ADMIN_IDS: String(ADMIN.id) } });
  for (const u of [ADMIN, SEC1, SEC2, LEADER, NOBODY]) bot.emulator.addUser(u);
  bot.emulator.addGroup({ id: GROUP, title: 'Chi ủy Thôn 1', memberIds: [SEC1.id, ADMIN.id] });
  const s = bot.app.services;
  expect((await s.org.importUnitsCsv('cli', TREE)).ok).toBe(true);
  const grant = (id: number, kind: 'secretary' | 'leader', unit: string) =>
    s.org.people.grantRole(id, { kind, unit }, 'test', s.clock.now());
  await grant(SEC1.id, 'secretary', 'CB01');
  await grant(SEC2.id, 'secretary', 'CB02');
  await grant(LEADER.id, 'leader', 'XA');
});
afterAll(() => bot.stop());

describe('the register file in chat', () => {
  it('refuses a file with bad rows, each by line, and saves nothing', async () => {
    const bad = [
      HEADER,
      'CB01,Nguyễn Văn An,01/01/1975,Nam,Kinh,20/05/1996,20/05/1997,A001',
      'CB09,Trần Thị Bình,01/01/1960,Nữ,Kinh,02/09/1986,,',
      'CB01,Lê Văn Cường,31/02/1978,Nam,Tày,10/03/2000,,',
    ].join('\n');
    const answer = await sendFile(ADMIN, 'dang-vien.csv', bad);
    expect(answer.text).toContain('Tệp có 2 lỗi nên chưa nhập đảng viên nào');
    expect(answer.text).toContain('Dòng 3: mã chi bộ «CB09» chưa có trong hệ thống');
    expect(answer.text).toContain('Dòng 4: «Ngày sinh» «31/02/1978» không phải ngày hợp lệ');
    expect(await counts('CB01')).toEqual({ official: 0, probationary: 0, total: 0 });
  });

  it('imports the whole file, refuses a secretary’s, and still takes a unit file', async () => {
    const done = await sendFile(ADMIN, 'dang-vien.csv', REGISTER);
    expect(done.text).toBe(
      msg.members.importSummary({ rows: 7, created: 7, updated: 0, unchanged: 0, moved: 0 }),
    );
    expect(await counts('CB01')).toEqual({ official: 3, probationary: 1, total: 4 });

    const refused = await sendFile(SEC1, 'dang-vien.csv', REGISTER);
    expect(refused.text).toBe(msg.members.refusal({ reason: 'admin_only' }));

    const units = await sendFile(ADMIN, 'don-vi.csv', TREE);
    expect(units.text).toBe(msg.units.importSummary(4, 0, 0, 4));
  });
});

describe('/dangvien', () => {
  it('shows a secretary their branch with counts, and the buttons to change it', async () => {
    const list = await say(SEC1, '/dangvien', 'Danh sách đảng viên Chi bộ Thôn 1');
    expect(list.text).toContain('Tổng số: 4 đảng viên – chính thức 3, dự bị 1.');
    expect(list.text).toContain('Phạm Thị Dung, sinh 01/01/1995, vào Đảng 01/06/2025 – dự bị');
    expect(buttons(list).map((b) => b.text)).toEqual([
      c.buttons.admit,
      c.buttons.official,
      c.buttons.transfer,
      c.buttons.close,
      c.buttons.history,
    ]);
  });

  it('shows a leader the subtree, without buttons; nobody else, and nothing in a group', async () => {
    const overview = await say(LEADER, '/dangvien', 'Đảng viên trong Đảng bộ xã Tân Lập');
    expect(overview.text).toContain('3 chi bộ, 7 đảng viên – chính thức 5, dự bị 2.');
    expect(overview.text).toContain('• Chi bộ Thôn 2 (CB02): 3 – chính thức 2, dự bị 1');
    const branch = await say(LEADER, '/dangvien CB02', 'Danh sách đảng viên Chi bộ Thôn 2');
    expect(branch.text).toContain('Hoàng Văn Em');
    expect(buttons(branch)).toEqual([]);

    const other = await say(SEC1, '/dangvien CB02', 'không có quyền');
    expect(other.text).toBe(
      msg.members.refusal({ reason: 'not_allowed', unit: { code: 'CB02', name: 'Chi bộ Thôn 2' } }),
    );
    const stranger = await say(NOBODY, '/dangvien', 'chưa được cấp quyền');
    expect(stranger.text).not.toContain('Nguyễn');
    const group = await say(SEC1, '/dangvien', msg.common.privateOnly, GROUP);
    expect(group.text).toBe(msg.common.privateOnly);
    for (const cmd of ['/huyhieu', '/phattrien'])
      expect((await say(SEC1, cmd, msg.common.privateOnly, GROUP)).text).toBe(msg.common.privateOnly);
  });

  it('admits a member by the form, on «Xác nhận» only, once', async () => {
    const list = await say(SEC1, '/dangvien', 'Danh sách đảng viên');
    const form = await press(SEC1, list, c.buttons.admit, 'Kết nạp đảng viên vào Chi bộ Thôn 1');
    expect(form.text).toContain('Họ và tên:');

    const wrong = await say(
      SEC1,
      'Họ và tên: Ngô Văn 1\nNgày sinh: 01/13/2001\nGiới tính: Nam',
      'Chưa ghi được',
    );
    expect(wrong.text).toContain('«Họ và tên»');
    expect(wrong.text).toContain('«Ngày sinh»: ghi ngày theo dạng DD/MM/YYYY');
    expect(wrong.text).toContain('«Dân tộc»: chưa ghi.');
    expect(await counts('CB01')).toEqual({ official: 3, probationary: 1, total: 4 });

    const card = await say(
      SEC1,
      'Họ và tên: Ngô Văn Khải\nNgày sinh: 05/05/2001\nGiới tính: nam\nDân tộc: Kinh\nNgày vào Đảng: 15/07/2026',
      'Kết nạp đảng viên – đề nghị đồng chí kiểm tra',
    );
    expect(card.text).toContain('Ngày vào Đảng: 15/07/2026 (đảng viên dự bị)');
    expect(await counts('CB01')).toEqual({ official: 3, probationary: 1, total: 4 });
    const done = await press(SEC1, card, c.buttons.confirm, 'Đã kết nạp');
    expect(done.text).toMatch(/^Đã kết nạp đ\/c Ngô Văn Khải \(mã số \d+\) vào Chi bộ Thôn 1/);
    expect(await counts('CB01')).toEqual({ official: 3, probationary: 2, total: 5 });

    // The same card pressed again: told it was used, nothing saved twice.
    const b = buttons(card).find((x) => x.text === c.buttons.confirm)!;
    const before = bot.emulator.toasts(SEC1.id).length;
    bot.emulator.pressButton(SEC1.id, SEC1.id, card.message_id, b.data);
    await waitFor(() => bot.emulator.toasts(SEC1.id).length > before);
    expect(bot.emulator.toasts(SEC1.id).at(-1)?.text).toBe(c.alreadyDone);
    expect(await counts('CB01')).toEqual({ official: 3, probationary: 2, total: 5 });
  });

  it('records chuyển chính thức from the list’s button', async () => {
    const list = await say(SEC1, '/dangvien', 'Danh sách đảng viên');
    const choose = await press(SEC1, list, c.buttons.official, 'Chuyển chính thức:');
    const card = await press(SEC1, choose, 'Phạm Thị Dung', 'Chuyển đảng viên chính thức');
    expect(card.text).toContain('là đảng viên chính thức từ ngày 01/06/2026');
    const done = await press(SEC1, card, c.buttons.confirm, 'Đã ghi');
    expect(done.text).toContain('Phạm Thị Dung');
    expect(await counts('CB01')).toEqual({ official: 4, probationary: 1, total: 5 });

    const id = await idOf('CB01', 'Phạm Thị Dung');
    const again = await say(SEC1, `/dangvien chinhthuc ${id}`, 'đã là đảng viên chính thức');
    expect(again.text).toContain('từ ngày 01/06/2026');
    const early = await say(
      SEC1,
      `/dangvien chinhthuc ${await idOf('CB01', 'Ngô Văn Khải')}`,
      'mới đủ 12 tháng',
    );
    expect(early.text).toContain('15/07/2027');
  });

  it('transfers a member: the receiving secretary is told and keeps them', async () => {
    const id = await idOf('CB01', 'Lê Văn Cường');
    // The receiving secretary has talked to the bot before (it cannot write first).
    await say(SEC2, '/dangvien', 'Danh sách đảng viên Chi bộ Thôn 2');
    const card = await say(SEC1, `/dangvien chuyen ${id} CB02`, 'Chuyển sinh hoạt đảng');
    expect(card.text).toContain('từ Chi bộ Thôn 1 đến Chi bộ Thôn 2 (CB02)');
    const told = bot.emulator.waitForBotMessage(SEC2.id, hasText('Lê Văn Cường'));
    await press(SEC1, card, c.buttons.confirm, 'Đã chuyển sinh hoạt');
    expect((await told).text).toContain('Kính gửi: Đồng chí Bí thư Chi bộ Thôn 2');
    // A second press of the old card is told the change is made; nothing moves twice.
    const confirm = buttons(card).find((b) => b.text === c.buttons.confirm)!;
    bot.emulator.pressButton(SEC1.id, SEC1.id, card.message_id, confirm.data);
    await expect.poll(() => bot.emulator.toasts(SEC1.id).map((t) => t.text)).toContain(c.alreadyDone);
    expect(await counts('CB01')).toEqual({ official: 3, probationary: 1, total: 4 });
    const list = await say(SEC2, '/dangvien', 'Danh sách đảng viên Chi bộ Thôn 2');
    expect(list.text).toContain('Lê Văn Cường');
    // No longer SEC1's to see or change: personal data of another branch.
    const gone = await say(SEC1, `/dangvien chuyen ${id} CB03`, 'Không tìm thấy');
    expect(gone.text).toBe(msg.members.refusal({ reason: 'unknown_member', id }));
  });

  it('closes a membership with a date and reason, keeps it in history, and refuses bad input clearly', async () => {
    const id = await idOf('CB02', 'Đỗ Văn Giang');
    const card = await say(
      SEC2,
      `/dangvien ra ${id} từ trần 01/07/2026 Từ trần do bệnh nặng`,
      'Từ trần – ra khỏi',
    );
    expect(card.text).toContain('ngày 01/07/2026');
    await press(SEC2, card, c.buttons.confirm, 'Đã ghi');
    expect(await counts('CB02')).toEqual({ official: 2, probationary: 1, total: 3 });
    const history = await say(SEC2, `/dangvien lichsu ${id}`, 'Lịch sử thay đổi');
    expect(history.text).toContain(
      'ra khỏi danh sách – từ trần ngày 01/07/2026; lý do: Từ trần do bệnh nặng',
    );
    const closed = await say(SEC2, `/dangvien chinhthuc ${id}`, 'đã ra khỏi danh sách');
    expect(closed.text).toContain('từ trần ngày 01/07/2026');

    expect((await say(SEC2, '/dangvien chinhthuc abc', 'không phải mã số')).text).toBe(c.noMemberId('abc'));
    const hoa = await idOf('CB02', 'Vũ Thị Hoa');
    expect((await say(SEC2, `/dangvien ra ${hoa} nghỉ`, 'đồng chí ghi một trong')).text).toBe(
      c.noKind('nghỉ'),
    );
    expect((await say(SEC2, `/dangvien ra ${hoa} xoaten`, 'lý do')).text).toBe(
      msg.members.refusal({ reason: 'bad_reason', problem: 'missing' }),
    );
    const long = await say(SEC2, `/dangvien ${'🙂\u202e'.repeat(2500)}`, 'Không có đơn vị mã');
    expect(long.text!.length).toBeLessThan(200);
    expect(await counts('CB02')).toEqual({ official: 2, probationary: 1, total: 3 });
  });
});

describe('hostile presses', () => {
  it('answers a forged or malformed register button clearly, and changes nothing', async () => {
    const list = await say(SEC1, '/dangvien', 'Danh sách đảng viên');
    const before = await counts('CB02');
    // Another branch's kết nạp step, well formed but not SEC1's.
    const forged = bot.emulator.waitForBotMessage(SEC1.id, hasText('không có quyền'));
    bot.emulator.pressButton(SEC1.id, SEC1.id, list.message_id, 'dv:s:admit:CB02');
    expect((await forged).text).toBe(
      msg.members.refusal({ reason: 'not_allowed', unit: { code: 'CB02', name: 'Chi bộ Thôn 2' } }),
    );
    // A value no codec reads: the «expired» note, never the apology.
    const toasts = bot.emulator.toasts(SEC1.id).length;
    bot.emulator.pressButton(SEC1.id, SEC1.id, list.message_id, 'dv:o:12abc');
    await waitFor(() => bot.emulator.toasts(SEC1.id).length > toasts);
    expect(bot.emulator.toasts(SEC1.id).at(-1)?.text).toBe(msg.common.buttonExpired);
    expect(await counts('CB02')).toEqual(before);
  });
});

describe('/phattrien', () => {
  it('shows admissions per unit and probationary members due and overdue', async () => {
    const r = await say(LEADER, '/phattrien', 'Phát triển đảng viên năm 2026');
    expect(r.text).toContain('Kết nạp: 1 (chưa giao chỉ tiêu) đảng viên mới');
    expect(r.text).toContain('• Chi bộ Thôn 1: 1 (chưa giao chỉ tiêu)');
    expect(r.text).toContain('Vũ Thị Hoa');
    expect(r.text).toContain('đủ 12 tháng dự bị ngày 01/09/2026');
    expect(r.text).toContain(`${msg.members.probation.overdue} (0)`);
  });
});

describe('Huy hiệu Đảng', () => {
  it('/huyhieu lists the asker’s scope for the next occasion, and its workbook reads back', async () => {
    const own = await say(SEC1, '/huyhieu', 'Huy hiệu Đảng dịp 02/09/2026');
    expect(own.text).toContain('2 đảng viên đến hạn (còn 45 ngày)');
    expect(own.text).toContain(
      'Nguyễn Văn An, sinh 01/01/1975, vào Đảng 20/05/1996 – Huy hiệu 30 năm tuổi Đảng',
    );
    expect(own.text).toContain('Trần Thị Bình');
    expect(own.text).not.toContain('Hoàng Văn Em');

    const all = await say(LEADER, '/huyhieu 02/09/2026', 'Huy hiệu Đảng dịp 02/09/2026');
    expect(all.text).toContain('3 đảng viên đến hạn');
    expect(all.text).toContain('Hoàng Văn Em');
    const wrong = await say(LEADER, '/huyhieu 03/03/2026', 'không phải dịp');
    expect(wrong.text).toContain('19/05/2026');

    const since = bot.emulator.botMessages(LEADER.id).at(-1)?.message_id ?? 0;
    const b = buttons(all).find((x) => x.text === c.buttons.badgesWorkbook)!;
    bot.emulator.pressButton(LEADER.id, LEADER.id, all.message_id, b.data);
    const doc = await bot.emulator.waitForBotMessage(LEADER.id, (x) => x.document !== undefined, { since });
    expect(doc.document?.file_name).toBe('huy-hieu-dang-XA-2026-09-02.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(doc)) as unknown as ArrayBuffer);
    const names: string[] = [];
    wb.getWorksheet(msg.members.badges.sheets.list)?.eachRow((row) => {
      for (const v of row.values as unknown[]) if (typeof v === 'string') names.push(v);
    });
    expect(names).toEqual(expect.arrayContaining(['Nguyễn Văn An', 'Trần Thị Bình', 'Hoàng Văn Em']));
  });

  it('reminds secretaries with members due and leaders with counts, 45 days before, once', async () => {
    const s = bot.app.services;
    const toSec1 = bot.emulator.waitForBotMessage(SEC1.id, hasText('dịp trao Huy hiệu Đảng 02/09/2026'));
    const toLeader = bot.emulator.waitForBotMessage(
      LEADER.id,
      hasText('Còn 45 ngày đến dịp trao Huy hiệu Đảng'),
    );
    const run = await s.reminders.runBadgeReminders(clock.now());
    expect(run.occasion).toBe('2026-09-02');
    expect(run.secretaries.queued).toBe(2);
    expect(run.leaders.queued).toBe(1);
    const sec = await toSec1;
    expect(sec.text).toContain(
      'Chi bộ có 2 đảng viên đến hạn: Nguyễn Văn An (30 năm); Trần Thị Bình (40 năm).',
    );
    const lead = await toLeader;
    expect(lead.text).toContain('Đảng bộ xã Tân Lập có 3 đảng viên đến hạn:');
    expect(lead.text).toContain('• Chi bộ Thôn 1: 2');
    expect(lead.text).toContain('• Chi bộ Thôn 2: 1');

    const again = await s.reminders.runBadgeReminders(clock.now());
    expect(again.secretaries.queued + again.leaders.queued).toBe(0);
    const nextDay = await s.reminders.runBadgeReminders(vn('2026-07-20'));
    expect(nextDay.occasion).toBeUndefined();
    const fifteen = await s.reminders.runBadgeReminders(vn('2026-08-18'));
    expect(fifteen.secretaries.queued).toBe(2);
  });

  it('the daily summary names the next occasion within 45 days', async () => {
    const s = bot.app.services;
    const summary = await s.reminders.summaryFor(LEADER.id, clock.now());
    expect(toPlainText(summary!.text)).toContain(c.summaryLine('2026-09-02', 45, 3));
    const far = await s.reminders.summaryFor(LEADER.id, vn('2026-07-10'));
    expect(toPlainText(far!.text)).not.toContain('Huy hiệu Đảng');
  });
});

async function download(doc: EmuMessage): Promise<Buffer> {
  const res = await fetch(
    `${bot.app.services.config.telegramApiRoot}/bot${TEST_TOKEN}/getFile?file_id=${doc.document!.file_id}`,
  );
  const path = ((await res.json()) as { result: { file_path: string } }).result.file_path;
  const file = await fetch(`${bot.app.services.config.telegramApiRoot}/file/bot${TEST_TOKEN}/${path}`);
  return Buffer.from(await file.arrayBuffer());
}

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the register feeds the meeting form', () => {
  it('pre-fills «Tổng số đảng viên» from the register, not the unit file', async () => {
    const form = await say(SEC1, '/sinhhoat', `${msg.meetings.labels.members}:`);
    expect(form.text).toContain(`${msg.meetings.labels.members}: 4`);
    // Ngô Văn Khải was admitted in July: the register shows it, so the form carries it.
    expect(form.text).toContain(`${msg.meetings.labels.admitted}: 1`);
    expect(form.text).toContain(`${msg.meetings.labels.madeOfficial}: 0`);
  });
});

describe('meetings done in full, on the register', () => {
  const form = (date: string, over: Record<string, string> = {}) =>
    Object.entries({
      Ngày: date,
      Loại: 'thường kỳ',
      'Thời lượng (phút)': '95',
      'Tổng số đảng viên': '3',
      'Miễn sinh hoạt': '0',
      'Có mặt': '2',
      'Vắng có lý do': '0',
      'Vắng không lý do': '1 (hoang van em)',
      'Nội dung': 'Sinh hoạt thường kỳ',
      'Cấp ủy cấp trên dự': 'không',
      'Xếp loại chất lượng': 'Khá',
      ...over,
    })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n');

  async function report(text: string, saved: string): Promise<EmuMessage> {
    const card = await say(SEC2, text, msg.meetings.card.confirm);
    return press(SEC2, card, 'Xác nhận', saved);
  }

  it('matches absent names to the register, and the 3-month rule follows the member', async () => {
    const em = await idOf('CB02', 'Hoàng Văn Em');
    const wrong = await say(
      SEC2,
      form('03/04/2026', { 'Vắng không lý do': '1 (Hoàng Văn Ếch)' }),
      'Báo cáo chưa được lưu',
    );
    expect(wrong.text).toContain('«Hoàng Văn Ếch» không có trong danh sách đảng viên của chi bộ');

    const card = await say(SEC2, form('03/04/2026'), msg.meetings.card.confirm);
    expect(card.text).toContain(`Vắng không lý do: 1 (Hoàng Văn Em (mã số ${em}))`);
    expect(card.text).toContain(msg.meetings.card.quality('Khá'));
    await press(SEC2, card, 'Xác nhận', msg.meetings.saved('04/2026'));
    await report(form('04/05/2026', { 'Vắng không lý do': `1 (Em #${em})` }), msg.meetings.saved('05/2026'));
    const third = await report(
      form('03/06/2026', { 'Xếp loại chất lượng': 'tốt' }),
      msg.meetings.saved('06/2026'),
    );
    expect(third.text).toContain('Hoàng Văn Em');
    expect(third.text).toContain('chi bộ xem xét, đề nghị cấp có thẩm quyền xóa tên');
    expect(third.text).not.toContain('thuộc diện xóa tên');
  });

  it('keeps a chuyên đề of the same month as its own report, and /sinhhoat_tiendo shows quality', async () => {
    const thematic = form('10/06/2026', { Loại: 'chuyên đề', 'Vắng không lý do': '0', 'Có mặt': '3' });
    const card = await say(SEC2, thematic, msg.meetings.card.confirm);
    expect(card.text).toContain(msg.meetings.card.thematicSeparate);
    await press(SEC2, card, 'Xác nhận', msg.meetings.savedThematic('06/2026'));
    const regular = await bot.app.services.meetings.report('CB02', '2026-06');
    expect(regular?.report.type).toBe('thuong_ky');

    // CB01 only sits a chuyên đề in June.
    const sec1 = form('05/06/2026', {
      Loại: 'chuyên đề',
      'Tổng số đảng viên': '4',
      'Có mặt': '4',
      'Vắng không lý do': '0',
    });
    const card1 = await say(SEC1, sec1, msg.meetings.card.confirm);
    // Phạm Thị Dung became official on 01/06/2026: the register shows it for June.
    expect(card1.text).toContain(msg.meetings.card.membership(0, 1, true));
    const b = buttons(card1).find((x) => x.text === 'Xác nhận')!;
    const saved = bot.emulator.waitForBotMessage(SEC1.id, hasText(msg.meetings.savedThematic('06/2026')));
    bot.emulator.pressButton(SEC1.id, SEC1.id, card1.message_id, b.data);
    await saved;

    const progress = await say(LEADER, '/sinhhoat_tiendo 06/2026', 'Tiến độ sinh hoạt chi bộ tháng 06/2026');
    expect(progress.text).toContain('Đã báo cáo: 1/3 chi bộ');
    expect(progress.text).toContain(`${msg.meetings.compliance.onlyThematic(1)}\n- Chi bộ Thôn 1`);
    expect(progress.text).toContain(
      'Chất lượng sinh hoạt (chi bộ tự đánh giá): Tốt 1, Khá 0, Trung bình 0, Kém 0.',
    );
  });
});
