import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingReport } from '../../src/domain/meetings/report.js';
import { formatNumber, formatRatioPercent } from '../../src/domain/vn.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import { createOutboxQueue, outboxId } from '../../src/outbox/outbox.js';
import type { EmuMessage } from '../../src/sandbox/chatStore.js';
import { startTestBot, type TestBot } from '../support/app.js';
import { buttonOf, buttonsOf, hasText, press, say } from '../support/chat.js';

const m = msg.meetings;

const UNITS_CSV = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,55',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn/xóm/khu dân cư,XA,25',
  'CB02,Chi bộ Thôn 2,Chi bộ,Thôn/xóm/khu dân cư,XA,18',
  'CB03,Chi bộ Trường học,Chi bộ,Trường học,XA,12',
].join('\n');

const SEC1 = { id: 7001, first_name: 'Bí thư Thôn 1' };
/** Secretary of two branches. */
const SEC23 = { id: 7002, first_name: 'Bí thư hai chi bộ' };
const DEP2 = { id: 7003, first_name: 'Phó bí thư Thôn 2' };
const LEADER = { id: 7004, first_name: 'Lãnh đạo xã' };
const NOBODY = { id: 7005, first_name: 'Chưa có quyền' };
const ADMIN = { id: 7006, first_name: 'Văn phòng' };
/** Leader of two branches that are not under each other: two scopes. */
const LEADER2 = { id: 7007, first_name: 'Cấp ủy viên phụ trách' };
const EVERYONE = [SEC1, SEC23, DEP2, LEADER, NOBODY, ADMIN, LEADER2];

/** 10:00 in Vietnam on a given day. */
const at = (isoDate: string) => Date.parse(`${isoDate}T03:00:00Z`);

async function startSeededBot(clock: ManualClock, env: Record<string, string> = {}): Promise<TestBot> {
  const bot = await startTestBot({ clock, env: { ADMIN_IDS: String(ADMIN.id), ...env } });
  for (const u of EVERYONE) bot.emulator.addUser(u);
  return bot;
}

async function seed(bot: TestBot): Promise<void> {
  const s = bot.app.services;
  const imported = await s.org.importUnitsCsv('cli', UNITS_CSV);
  expect(imported.ok).toBe(true);
  const grant = (id: number, kind: 'secretary' | 'deputy' | 'leader', unit: string) =>
    s.org.people.grantRole(id, { kind, unit }, 'test', s.clock.now());
  await grant(SEC1.id, 'secretary', 'CB01');
  await grant(SEC23.id, 'secretary', 'CB02');
  await grant(SEC23.id, 'secretary', 'CB03');
  await grant(DEP2.id, 'deputy', 'CB02');
  await grant(LEADER.id, 'leader', 'XA');
  await grant(LEADER2.id, 'leader', 'CB01');
  await grant(LEADER2.id, 'leader', 'CB03');
}

function filledForm(over: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    Ngày: '03/09/2025',
    Loại: 'thường kỳ',
    'Thời lượng (phút)': '120',
    'Tổng số đảng viên': '25',
    'Miễn sinh hoạt': '1',
    'Có mặt': '22',
    'Vắng có lý do': '1 (Nguyễn Văn A - ốm)',
    'Vắng không lý do': '1',
    'Nội dung': 'Quán triệt nghị quyết của Đảng ủy xã',
    'Cấp ủy cấp trên dự': 'không',
    ...over,
  };
  return Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

describe('reporting by the fill-in form', () => {
  const clock = new ManualClock(at('2025-10-20'));
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startSeededBot(clock);
    await seed(bot);
  });
  afterAll(() => bot.stop());

  it('answers /sinhhoat with the blank form, the member count filled in, and a button for the dialog', async () => {
    const form = await say(bot, SEC1, '/sinhhoat', `${m.labels.members}:`);
    expect(form.text).toContain(`${m.labels.members}: 25`);
    for (const label of Object.values(m.labels)) expect(form.text).toContain(`${label}:`);
    expect(buttonOf(form, m.buttonDialog).text).toBe('Trả lời từng câu');
    const intro = bot.emulator.botMessages(SEC1.id).find(hasText('sao chép mẫu'));
    expect(intro?.text).toContain('Chi bộ Thôn 1');
  });

  it('introduces the form for the month named after the command', async () => {
    await say(bot, SEC1, '/sinhhoat 08/2025', `${m.labels.members}: 25`);
    const intro = bot.emulator.botMessages(SEC1.id).filter(hasText('sao chép mẫu')).at(-1);
    expect(intro?.text).toContain(m.form.intro('08/2025'));
  });

  it('takes a pasted form without accents and in another order, shows the card, and saves on «Xác nhận»', async () => {
    const pasted = [
      'co mat: 22',
      'TONG SO DANG VIEN: 25',
      'noi dung: Quan triet nghi quyet',
      'ngay: 03/09/2025',
      'thoi luong (phut): 120',
      'loai: thuong ky',
      'mien sinh hoat: 1',
      'vang khong ly do: 1',
      'vang co ly do: 1 (Nguyen Van A - om)',
      'cap uy cap tren du: Tran Van B',
    ].join('\n');
    const card = await say(bot, SEC1, pasted, m.card.title('09/2025'));
    expect(card.text).toContain('Có mặt: 22/24 (91,67%)');
    expect(card.text).toContain('Vắng có lý do: 1 (Nguyen Van A - om)');
    expect(card.text).toContain('Cấp ủy cấp trên dự: đ/c Tran Van B');
    expect(await bot.app.services.meetings.report('CB01', '2025-09')).toBeUndefined();

    const saved = await press(bot, SEC1, card, 'Xác nhận', m.saved('09/2025'));
    // Reported on 20/10 for September: after the deadline of 08/09.
    expect(saved.text).toContain(m.late('08/09/2025'));
    const stored = await bot.app.services.meetings.report('CB01', '2025-09');
    expect(stored?.report).toMatchObject({
      present: 22,
      members: 25,
      exempt: 1,
      upperAttendee: 'Tran Van B',
    });
    expect(stored?.actor).toBe(String(SEC1.id));
  });

  it('refuses a form whose attendance does not add up, explaining the numbers, with no «Xác nhận» button', async () => {
    const reply = await say(
      bot,
      SEC1,
      `/sinhhoat\n${filledForm({ Ngày: '04/08/2025', 'Có mặt': '20' })}`,
      m.errors.heading(1),
    );
    expect(reply.text).toContain(
      m.errors.attendanceSum({ present: 20, withReason: 1, withoutReason: 1, members: 25, exempt: 1 }),
    );
    expect(reply.text).toContain('= 22');
    expect(reply.text).toContain('= 24');
    expect(buttonsOf(reply).some((b) => b.text.startsWith('Xác nhận'))).toBe(false);
    expect(await bot.app.services.meetings.report('CB01', '2025-08')).toBeUndefined();
  });

  it('flags a short meeting on the card but still offers to save it', async () => {
    const card = await say(
      bot,
      SEC1,
      `/sinhhoat\n${filledForm({ Ngày: '04/08/2025', 'Thời lượng (phút)': '60' })}`,
      m.card.title('08/2025'),
    );
    expect(card.text).toContain(m.flags.short(60, 90, false));
    expect(buttonOf(card, 'Xác nhận')).toBeDefined();
    const cancelled = await press(bot, SEC1, card, msg.common.buttonCancel, msg.common.cancelled);
    expect(cancelled.text).toBe(msg.common.cancelled);
    expect(await bot.app.services.meetings.report('CB01', '2025-08')).toBeUndefined();
  });

  it('amends the month when it is reported again, keeping both versions', async () => {
    const card = await say(
      bot,
      SEC1,
      filledForm({ Ngày: '05/09/2025', 'Có mặt': '23', 'Vắng có lý do': '0' }),
      m.card.title('09/2025'),
    );
    expect(card.text).toContain(m.card.amends('09/2025'));
    const amended = await press(bot, SEC1, card, 'Xác nhận', m.amended('09/2025', 2));
    expect(amended.text).toContain('lần sửa thứ 1');
    const history = await bot.app.services.meetings.history('CB01', '2025-09');
    expect(history.map((h) => [h.version, h.report.present, h.report.date])).toEqual([
      [1, 22, '2025-09-03'],
      [2, 23, '2025-09-05'],
    ]);
  });

  it('lets a deputy report for the branch, with the blank form pre-filled for that branch', async () => {
    const form = await say(bot, DEP2, '/sinhhoat', `${m.labels.members}:`);
    expect(form.text).toContain(`${m.labels.members}: 18`);
  });

  it('lets an admin read and change the meeting calendar, and no one else', async () => {
    const refused = await say(bot, SEC1, '/caidat_sinhhoat XA ngay=1', msg.units.adminOnly);
    expect(refused.text).toBe(msg.units.adminOnly);
    const shown = await say(bot, ADMIN, '/caidat_sinhhoat', m.settings.title('Đảng bộ xã Tân Lập'));
    expect(shown.text).toContain(m.settings.sourceDefault);
    expect(shown.text).toContain(m.settings.meetingDay(3, true));

    const changed = await say(bot, ADMIN, '/caidat_sinhhoat XA ngày=1 hạn=7', m.settings.saved);
    expect(changed.text).toContain(m.settings.meetingDay(1, true));
    expect(changed.text).toContain(m.settings.deadline(7));
    expect(changed.text).toContain(m.settings.threshold(80));
    const inherited = await say(bot, ADMIN, '/caidat_sinhhoat CB01', m.settings.title('Chi bộ Thôn 1'));
    expect(inherited.text).toContain(m.settings.sourceInherited('Đảng bộ xã Tân Lập'));

    const bad = await say(bot, ADMIN, '/caidat_sinhhoat XA ngay=40', m.settings.errors.meetingDay('40'));
    expect(bad.text).not.toContain(m.settings.saved);

    // Two thousand words that are no setting: the first few are named, in one short message.
    const before = bot.emulator.botMessages(ADMIN.id).length;
    const flood = await say(bot, ADMIN, `/caidat_sinhhoat XA ${'a '.repeat(2_000)}`, 'lỗi khác');
    expect(flood.text).toContain(m.settings.unknownKey('a'));
    expect(flood.text).toContain(`… và ${formatNumber(1_995)} lỗi khác.`);
    expect(flood.text).toContain('Cách dùng: /caidat_sinhhoat');
    expect(flood.text?.length).toBeLessThan(1_500);
    expect(bot.emulator.botMessages(ADMIN.id).length).toBe(before + 1);
  });
});

describe('reporting by the guided dialog', () => {
  const clock = new ManualClock(at('2025-07-10'));
  let bot: TestBot;
  let redisUrl: string;
  beforeAll(async () => {
    bot = await startSeededBot(clock);
    await seed(bot);
    redisUrl = bot.app.services.config.redisUrl ?? '';
    expect(redisUrl).toMatch(/^redis:\/\//);
  });
  afterAll(() => bot.stop());

  /** /sinhhoat as the secretary of two branches, choose Thôn 2, then «Trả lời từng câu». */
  async function openDialog(): Promise<EmuMessage> {
    const picker = await say(bot, SEC23, '/sinhhoat', m.pickBranch);
    expect(buttonsOf(picker).map((b) => b.text)).toEqual([
      'Chi bộ Thôn 2',
      'Chi bộ Trường học',
      msg.common.buttonCancel,
    ]);
    const form = await press(bot, SEC23, picker, 'Chi bộ Thôn 2', `${m.labels.members}: 18`);
    return press(bot, SEC23, form, m.buttonDialog, 'Câu 1/11');
  }

  it('asks question by question with buttons, and can be cancelled midway', async () => {
    const first = await openDialog();
    expect(first.text).toContain(m.prompts.date);
    const typeQuestion = await say(bot, SEC23, '04/06/2025', 'Câu 2/11');
    expect(buttonsOf(typeQuestion).map((b) => b.text)).toEqual([
      'Thường kỳ',
      'Chuyên đề',
      'Thường kỳ + chuyên đề',
      msg.common.buttonCancel,
    ]);
    const duration = await press(bot, SEC23, typeQuestion, 'Thường kỳ + chuyên đề', 'Câu 3/11');
    const cancelled = await press(bot, SEC23, duration, msg.common.buttonCancel, msg.common.cancelled);
    expect(cancelled.text).toBe(msg.common.cancelled);
    // After cancelling, an ordinary message is no longer taken as an answer.
    const other = await say(bot, SEC23, '130', msg.common.notUnderstood);
    expect(other.text).toBe(msg.common.notUnderstood);
  });

  it('refuses a bad answer and asks the same question again', async () => {
    await openDialog();
    const again = await say(bot, SEC23, '31/06/2025', 'Câu 1/11');
    expect(again.text).toContain(m.errors.date('31/06/2025'));
    const future = await say(bot, SEC23, '15/07/2025', 'Câu 1/11');
    expect(future.text).toContain(m.errors.dateInFuture('15/07/2025', '10/07/2025'));
    await say(bot, SEC23, '/huy', msg.common.cancelled);
  });

  it('resumes after the bot restarts, takes named absences, and saves on «Xác nhận»', async () => {
    await openDialog();
    const typeQuestion = await say(bot, SEC23, '04/06/2025', 'Câu 2/11');
    await press(bot, SEC23, typeQuestion, 'Thường kỳ + chuyên đề', 'Câu 3/11');
    const members = await say(bot, SEC23, '130', 'Câu 4/11');
    expect(members.text).toContain(m.prompts.members(18));
    await press(bot, SEC23, members, '18', 'Câu 5/11');

    // The process stops mid-dialog; a new one starts on the same Redis.
    await bot.stop();
    bot = await startSeededBot(clock, { REDIS_URL: redisUrl });

    await say(bot, SEC23, '0', 'Câu 6/11');
    await say(bot, SEC23, '15', 'Câu 7/11');
    await say(bot, SEC23, '2 (Nguyễn Văn A - ốm; Trần Thị B - công tác)', 'Câu 8/11');
    await say(bot, SEC23, '1 (Lê Văn C)', 'Câu 9/11');
    const upper = await say(
      bot,
      SEC23,
      'Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh',
      'Câu 10/11',
    );
    const quality = await press(bot, SEC23, upper, m.buttonSkip, 'Câu 11/11');
    expect(quality.text).toContain(m.prompts.quality);
    const card = await say(bot, SEC23, 'tot', m.card.title('06/2025'));
    expect(card.text).toContain(m.card.quality('Tốt'));
    expect(card.text).toContain('Chi bộ Thôn 2');
    expect(card.text).toContain(`Loại: ${m.typeNames.ket_hop}`);
    expect(card.text).toContain('Vắng có lý do: 2 (Nguyễn Văn A - ốm; Trần Thị B - công tác)');
    expect(card.text).toContain('Vắng không lý do: 1 (Lê Văn C)');
    expect(card.text).not.toContain(m.flags.heading);
    expect(buttonsOf(card).map((b) => b.text)).toEqual(['Xác nhận', m.buttonEdit, msg.common.buttonCancel]);

    await press(bot, SEC23, card, 'Xác nhận', m.saved('06/2025'));
    const stored = await bot.app.services.meetings.report('CB02', '2025-06');
    expect(stored?.report).toMatchObject({
      type: 'ket_hop',
      durationMinutes: 130,
      present: 15,
      absentWithReason: {
        count: 2,
        people: [
          { name: 'Nguyễn Văn A', reason: 'ốm' },
          { name: 'Trần Thị B', reason: 'công tác' },
        ],
      },
      absentWithoutReason: { count: 1, people: [{ name: 'Lê Văn C' }] },
    });
  });

  it('offers the fields to correct when the answers do not add up, and no «Xác nhận»', async () => {
    await openDialog();
    const typeQuestion = await say(bot, SEC23, '02/07/2025', 'Câu 2/11');
    await press(bot, SEC23, typeQuestion, 'Thường kỳ', 'Câu 3/11');
    for (const [answer, next] of [
      ['95', 'Câu 4/11'],
      ['18', 'Câu 5/11'],
      ['0', 'Câu 6/11'],
      ['14', 'Câu 7/11'],
      ['1', 'Câu 8/11'],
      ['0', 'Câu 9/11'],
      ['Sinh hoạt thường kỳ', 'Câu 10/11'],
      ['không', 'Câu 11/11'],
    ] as const)
      await say(bot, SEC23, answer, next);
    const errors = await say(bot, SEC23, 'Khá', m.errors.heading(1));
    expect(errors.text).toContain(
      m.errors.attendanceSum({ present: 14, withReason: 1, withoutReason: 0, members: 18, exempt: 0 }),
    );
    expect(buttonsOf(errors).some((b) => b.text.startsWith('Xác nhận'))).toBe(false);
    const fix = await press(bot, SEC23, errors, m.buttonEditField(m.labels.present), 'Câu 6/11');
    expect(fix.text).toContain(m.dialog.current('14'));
    const card = await say(bot, SEC23, '17', m.card.title('07/2025'));
    expect(card.text).toContain('Có mặt: 17/18');

    // «Sửa» on the card: choose a field, answer again, and get the card back.
    const fields = await press(bot, SEC23, card, m.buttonEdit, m.dialog.pickField);
    expect(buttonsOf(fields)).toHaveLength(12);
    await press(bot, SEC23, fields, m.buttonEditField(m.labels.content), 'Câu 9/11');
    const again = await say(bot, SEC23, 'Kiểm điểm công tác tháng 7', m.card.title('07/2025'));
    expect(again.text).toContain('Nội dung: Kiểm điểm công tác tháng 7');
    await press(bot, SEC23, again, 'Xác nhận', m.saved('07/2025'));
    expect((await bot.app.services.meetings.report('CB02', '2025-07'))?.report.content).toBe(
      'Kiểm điểm công tác tháng 7',
    );
  });
});

describe('unexcused absences across months', () => {
  const clock = new ManualClock(at('2024-06-20'));
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startSeededBot(clock);
    await seed(bot);
    // The leader responsible for Thôn 1 opened the chat with the bot, so the bot may write to them.
    await say(bot, LEADER2, '/start', 'Chào đồng chí');
  });
  afterAll(async () => {
    await bot.stop();
  });

  const report = (date: string) =>
    filledForm({ Ngày: date, 'Có mặt': '22', 'Vắng có lý do': '1', 'Vắng không lý do': '1 (Lê Văn C)' });

  /** Reports the month by pasted form and «Xác nhận»; resolves with the answer to the save. */
  async function reportMonth(date: string, monthLabel: string): Promise<string> {
    const card = await say(bot, SEC1, report(date), m.card.title(monthLabel));
    const saved = await press(bot, SEC1, card, 'Xác nhận', m.saved(monthLabel));
    return saved.text ?? '';
  }

  it('warns the secretary at the second month and tells secretary and responsible leader at the third', async () => {
    const march = await reportMonth('04/03/2024', '03/2024');
    expect(march).not.toContain('Lê Văn C');

    const april = await reportMonth('03/04/2024', '04/2024');
    expect(april).toContain(m.absence.warn('Lê Văn C', [3, 4], 2024));
    expect(april).not.toContain('Đề nghị đồng chí đưa ra chi bộ xem xét');

    const may = await reportMonth('03/05/2024', '05/2024');
    const strike = m.absence.strike('Lê Văn C', 'Chi bộ Thôn 1', [3, 4, 5], 2024);
    expect(may).toContain(strike);

    // The leader responsible is the one nearest the branch: the cấp ủy viên phụ trách of Thôn 1.
    const notice = await bot.emulator.waitForBotMessage(LEADER2.id, hasText(strike), { since: 0 });
    expect(notice.text).toBe(`${m.absence.noticeTitle('05/2024')}\n${strike}`);
    const queue = createOutboxQueue(bot.app.services.config.redisUrl ?? '');
    try {
      const id = (month: string, person: number) =>
        outboxId('sinhhoat-xoaten', 'CB01', 'le van c', 2024, month, person);
      expect((await queue.getJob(id('2024-05', LEADER2.id)))?.data.message.chatId).toBe(LEADER2.id);
      // Not the committee's leader above, since someone is responsible for the branch itself.
      expect(await queue.getJob(id('2024-05', LEADER.id))).toBeUndefined();
      // April was a warning for the secretary only: nothing went to the leader.
      expect(await queue.getJob(id('2024-04', LEADER2.id))).toBeUndefined();
      // The reporter is told in the reply, not a second time through the outbox.
      expect(await queue.getJob(id('2024-05', SEC1.id))).toBeUndefined();
    } finally {
      await queue.close();
    }
  });
});

describe('/sinhhoat_tiendo and who may see what', () => {
  const clock = new ManualClock(at('2025-07-20'));
  let bot: TestBot;

  /** Meetings of August 2025 (meeting day Sunday 03/08 moves to Monday 04/08; due 09/08). */
  const seeds: { branch: string; by: number; savedOn: string; report: MeetingReport }[] = [
    {
      branch: 'CB03',
      by: SEC23.id,
      savedOn: '2025-07-20',
      report: meeting('2025-07', 'chuyen_de', 100, 12, 0, 12, 0, 0, undefined),
    },
    {
      branch: 'CB01',
      by: SEC1.id,
      savedOn: '2025-08-05',
      report: meeting('2025-08', 'thuong_ky', 95, 25, 1, 20, 3, 1, 'Trần Văn B'),
    },
    {
      branch: 'CB02',
      by: SEC23.id,
      savedOn: '2025-08-12',
      report: meeting('2025-08', 'ket_hop', 100, 18, 0, 12, 4, 2, undefined),
    },
  ];

  function meeting(
    month: string,
    type: MeetingReport['type'],
    durationMinutes: number,
    members: number,
    exempt: number,
    present: number,
    withReason: number,
    withoutReason: number,
    upperAttendee: string | undefined,
  ): MeetingReport {
    return {
      month,
      date: `${month}-04`,
      type,
      durationMinutes,
      members,
      exempt,
      present,
      absentWithReason: { count: withReason, people: [] },
      absentWithoutReason: { count: withoutReason, people: [] },
      content: 'Sinh hoạt chi bộ',
      ...(upperAttendee ? { upperAttendee } : {}),
    };
  }

  beforeAll(async () => {
    bot = await startSeededBot(clock);
    await seed(bot);
    const s = bot.app.services;
    for (const x of seeds) {
      clock.set(at(x.savedOn));
      const saved = await s.meetings.saveReport(await s.org.viewer(x.by), x.branch, x.report);
      expect(saved.ok).toBe(true);
    }
    clock.set(at('2025-08-20'));
  });
  afterAll(() => bot.stop());

  it('gives the leader the month’s numbers, equal to those counted from the reports', async () => {
    const names: Record<string, string> = {
      CB01: 'Chi bộ Thôn 1',
      CB02: 'Chi bộ Thôn 2',
      CB03: 'Chi bộ Trường học',
    };
    const august = seeds.filter((x) => x.report.month === '2025-08');
    const reportedCodes = new Set(august.map((x) => x.branch));
    const present = august.reduce((n, x) => n + x.report.present, 0);
    const expected = august.reduce((n, x) => n + x.report.members - x.report.exempt, 0);
    const late = august.filter((x) => x.savedOn > '2025-08-09').map((x) => names[x.branch]);
    const short = august
      .filter((x) => x.report.durationMinutes < (x.report.type === 'ket_hop' ? 120 : 90))
      .map((x) => names[x.branch]);
    const below = august.filter((x) => x.report.present * 100 < 80 * (x.report.members - x.report.exempt));
    const thematic = new Set(
      seeds.filter((x) => x.report.type !== 'thuong_ky' && x.report.month >= '2025-07').map((x) => x.branch),
    ).size;
    const upper = august.filter((x) => x.report.upperAttendee !== undefined).length;

    const summary = await say(bot, LEADER, '/sinhhoat_tiendo 08/2025', m.compliance.title('08/2025'));
    const text = summary.text ?? '';
    expect(text).toContain(m.compliance.reported(reportedCodes.size, 3));
    expect(text).toContain('Đã báo cáo: 2/3 chi bộ');
    expect(text).toContain(m.compliance.deadline('09/08/2025'));
    expect(text).toContain(`${m.compliance.notReported(1)}\n- Chi bộ Trường học`);
    expect(text).toContain(`${m.compliance.late(late.length)}\n- ${late.join('\n- ')}`);
    expect(text).toContain(m.compliance.attendance(formatRatioPercent(present, expected)));
    expect(text).toContain('32/42');
    expect(text).toContain(
      `${m.compliance.belowThreshold('80%', below.length)}\n- ${below
        .map((x) =>
          m.compliance.branchAttendance(
            names[x.branch] ?? '',
            formatRatioPercent(x.report.present, x.report.members - x.report.exempt),
          ),
        )
        .join('\n- ')}`,
    );
    expect(text).toContain(m.compliance.thematic('quý III/2025', thematic, 3));
    expect(text).toContain(`${m.compliance.short(short.length)}\n- ${short.join('\n- ')}`);
    expect(text).toContain(m.compliance.upperAttended(upper));
  });

  it('shows the current month when none is given', async () => {
    const summary = await say(bot, LEADER, '/sinhhoat_tiendo', m.compliance.title('08/2025'));
    expect(summary.text).toContain('Đã báo cáo: 2/3 chi bộ');
  });

  it('answers a bad or future month with how to write it', async () => {
    const bad = await say(bot, LEADER, '/sinhhoat_tiendo 13/2025', m.compliance.badMonth('13/2025'));
    expect(bad.text).toContain('ví dụ /sinhhoat_tiendo 09/2025');
    const words = await say(
      bot,
      LEADER,
      '/sinhhoat_tiendo tháng trước',
      m.compliance.badMonth('tháng trước'),
    );
    expect(words.text).toBe(m.compliance.badMonth('tháng trước'));
    const future = await say(bot, LEADER, '/sinhhoat_tiendo 12/2025', m.compliance.futureMonth('12/2025'));
    expect(future.text).toBe(m.compliance.futureMonth('12/2025'));
  });

  it('gives a leader of several scopes a choice, each showing only that scope', async () => {
    const choice = await say(bot, LEADER2, '/sinhhoat_tiendo 08/2025', m.compliance.pickScope);
    expect(buttonsOf(choice).map((b) => b.text)).toEqual(['Chi bộ Thôn 1', 'Chi bộ Trường học']);
    const one = await press(bot, LEADER2, choice, 'Chi bộ Thôn 1', m.compliance.title('08/2025'));
    expect(one.text).toContain('Đã báo cáo: 1/1 chi bộ (100%)');
    expect(one.text).toContain('20/24');
  });

  it('shows a secretary only their own branch', async () => {
    const own = await say(bot, SEC1, '/sinhhoat_tiendo 08/2025', m.compliance.title('08/2025'));
    expect(own.text).toContain('Chi bộ Thôn 1');
    expect(own.text).toContain('Đã báo cáo: 1/1 chi bộ (100%)');
    expect(own.text).not.toContain('Đảng bộ xã Tân Lập');
  });

  it('refuses an unbound person everything', async () => {
    const report = await say(bot, NOBODY, '/sinhhoat', msg.units.noAccess);
    expect(report.text).toBe(msg.units.noAccess);
    const progress = await say(bot, NOBODY, '/sinhhoat_tiendo', msg.units.noAccess);
    expect(progress.text).toBe(msg.units.noAccess);
    const pasted = await say(bot, NOBODY, filledForm(), msg.units.noAccess);
    expect(pasted.text).toBe(msg.units.noAccess);
  });

  it('refuses the wrong role: a leader reporting, a secretary looking above their branch or at another branch', async () => {
    const leader = await say(bot, LEADER, '/sinhhoat', m.access.reportersOnly);
    expect(leader.text).toBe(m.access.reportersOnly);

    // Buttons carrying someone else's scope or branch, as a forged or forwarded press would.
    const own = await say(bot, SEC1, '/sinhhoat_tiendo 08/2025', m.compliance.title('08/2025'));
    const wait1 = bot.emulator.waitForBotMessage(SEC1.id, hasText('không có quyền'));
    bot.emulator.pressButton(SEC1.id, SEC1.id, own.message_id, 'sh:p:XA:2025-08');
    expect((await wait1).text).toBe(msg.units.noAccessToUnit('Đảng bộ xã Tân Lập'));
    const wait2 = bot.emulator.waitForBotMessage(SEC1.id, hasText('không phải bí thư'));
    bot.emulator.pressButton(SEC1.id, SEC1.id, own.message_id, 'sh:d:CB02');
    expect((await wait2).text).toBe(m.access.notYourBranch('Chi bộ Thôn 2'));
    expect(await bot.app.services.conversations.get(SEC1.id, SEC1.id)).toBeUndefined();
  });
});
