/**
 * Gia hạn through the emulator: a leader extends one branch after the deadline, the secretary is
 * told, registers and reports late, and /tiendo lists the branch with its date and "sau hạn".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignCli } from '../../src/cli/campaign.js';
import type { Campaign } from '../../src/domain/congress/campaign.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import type { EmuMessage } from '../../src/sandbox/chatStore.js';
import { inlineButtons, startTestBot, type TestBot } from '../support/app.js';
import { hasText, say } from '../support/chat.js';

const m = msg.congress;

const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'T,Đảng bộ huyện Hòa An,Đảng bộ,,,0',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,T,60',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn,XA,20',
  'CB02,Chi bộ Thôn 2,Chi bộ,Thôn,XA,20',
  'CB03,Chi bộ Thôn 3,Chi bộ,Thôn,XA,20',
  'XB,Đảng bộ xã Hòa Bình,Đảng bộ cơ sở,,T,30',
  'CB11,Chi bộ Thôn Hòa 1,Chi bộ,Thôn,XB,30',
].join('\n');

const SEC1 = { id: 9001, first_name: 'Bí thư Thôn 1' };
const SEC2 = { id: 9002, first_name: 'Bí thư Thôn 2' };
const LEAD_XA = { id: 9100, first_name: 'Lãnh đạo xã Tân Lập' };
const LEAD_XB = { id: 9101, first_name: 'Lãnh đạo xã Hòa Bình' };
const ADMIN = { id: 9200, first_name: 'Văn phòng' };
type User = { id: number };

/** 10:00 in Vietnam on a given day. */
const at = (isoDate: string) => Date.parse(`${isoDate}T03:00:00Z`);

function press(bot: TestBot, user: User, on: EmuMessage, label: string, expected: string) {
  const b = inlineButtons(on).find((x) => x.text.startsWith(label));
  if (!b) throw new Error(`no button «${label}» on: ${on.text}`);
  const waiting = bot.emulator.waitForBotMessage(user.id, (x) => !x.edited && hasText(expected)(x));
  bot.emulator.pressButton(user.id, on.chat.id, on.message_id, b.callback_data);
  return waiting;
}

/** The lines of a /tiendo block: from its header to the next blank line. */
function block(text: string | undefined, header: string): string[] {
  const lines = (text ?? '').split('\n');
  const start = lines.indexOf(header);
  if (start < 0) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

function form(date: string): string {
  return [
    `${m.labels.date}: ${date}`,
    `${m.labels.format}: bầu cử`,
    `${m.labels.summoned}: 18`,
    `${m.labels.present}: 17`,
    `${m.labels.elected}: 2`,
    `${m.labels.reElected}: 1`,
    `${m.labels.women}: 1`,
    `${m.labels.young}: 0`,
    `${m.labels.minority}: 0`,
    `${m.labels.secretaryDirect}: có`,
    `${m.labels.secretaryIsHead}: có`,
    `${m.labels.deputy}: có`,
  ].join('\n');
}

describe('gia hạn: a branch allowed to hold its congress late', () => {
  const clock = new ManualClock(at('2025-10-02'));
  let bot: TestBot;
  let c1: Campaign;

  beforeAll(async () => {
    bot = await startTestBot({ clock, env: { ADMIN_IDS: String(ADMIN.id) } });
    for (const u of [SEC1, SEC2, LEAD_XA, LEAD_XB, ADMIN]) bot.emulator.addUser(u);
    const s = bot.app.services;
    expect((await s.org.importUnitsCsv('cli', TREE)).ok).toBe(true);
    const grant = (u: User, kind: 'secretary' | 'leader', unit: string) =>
      s.org.people.grantRole(u.id, { kind, unit }, 'test', s.clock.now());
    await grant(SEC1, 'secretary', 'CB01');
    await grant(SEC2, 'secretary', 'CB02');
    await grant(LEAD_XA, 'leader', 'XA');
    await grant(LEAD_XB, 'leader', 'XB');
    const r = await s.congress.createCampaign('cli', {
      name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
      term: '2025-2027',
      scope: 'T',
      opens: '01/09/2025',
      deadline: '30/09/2025',
    });
    if (!r.ok) throw new Error(r.errors.join('; '));
    c1 = r.campaign;
  });
  afterAll(() => bot.stop());

  it('refuses a date after the deadline until the branch is extended', async () => {
    const refused = await say(bot, SEC2, '/lich 10/10/2025', 'nằm ngoài thời gian');
    expect(refused.text).toBe(m.registration.outsideWindow('10/10/2025', '01/09/2025', '30/09/2025'));
  });

  it('lets only admins and leaders of the subtree extend, with clear answers to bad input', async () => {
    expect((await say(bot, SEC1, '/giahan CB02 15/10/2025', 'dành cho')).text).toBe(m.chat.leaderOnly);
    expect((await say(bot, LEAD_XB, '/giahan CB02 15/10/2025', 'Chi bộ Thôn 2')).text).toBe(
      msg.units.noAccessToUnit('Chi bộ Thôn 2'),
    );
    expect((await say(bot, LEAD_XA, '/giahan', 'theo mẫu')).text).toBe(m.extension.usage);
    expect((await say(bot, LEAD_XA, '/giahan CB02 31/02/2025', 'không phải ngày')).text).toContain(
      '"31/02/2025"',
    );
    expect((await say(bot, LEAD_XA, '/giahan CB02 25/09/2025', 'không cần gia hạn')).text).toBe(
      m.extension.notAfterDeadline('25/09/2025', '30/09/2025'),
    );
    expect((await say(bot, LEAD_XA, `/giahan CB02 15/10/2025 ${'🙂'.repeat(2500)}`, 'dài quá')).text).toBe(
      m.extension.reasonTooLong(200),
    );
    expect((await say(bot, LEAD_XA, '/giahan XA 15/10/2025', 'không phải chi bộ')).text).toBe(
      m.extension.notBranch('Đảng bộ xã Tân Lập'),
    );
    expect(await bot.app.services.redis.zcard(`cb:dh:${c1.id}:gh`)).toBe(0);
  });

  it('extends the branch, tells its secretary, and the secretary registers within the extension', async () => {
    const granted = await say(
      bot,
      LEAD_XA,
      '/giahan CB02 15/10/2025 Chi bộ sáp nhập, chờ kiện toàn',
      'Đã gia hạn',
    );
    expect(granted.text).toContain(m.extension.granted('Chi bộ Thôn 2', '15/10/2025', '30/09/2025'));
    expect(granted.text).toContain('Lý do: Chi bộ sáp nhập, chờ kiện toàn');
    expect(granted.text).toContain(m.extension.told(1));
    const notice = await bot.emulator.waitForBotMessage(SEC2.id, hasText('gia hạn đại hội'), {
      since: 0,
      timeoutMs: 15_000,
    });
    expect(notice.text).toBe(
      m.extension.notice('Chi bộ Thôn 2', c1.name, '15/10/2025', 'Chi bộ sáp nhập, chờ kiện toàn'),
    );
    // Past its own date: still refused.
    expect((await say(bot, SEC2, '/lich 16/10/2025', 'nằm ngoài')).text).toBe(
      m.registration.outsideWindow('16/10/2025', '01/09/2025', '15/10/2025'),
    );
    const ok = await say(bot, SEC2, '/lich 10/10/2025 19:30', 'Đã ghi nhận');
    expect(ok.text).toBe(m.registration.registered('19:30 ngày 10/10/2025'));
    // Another branch is not extended.
    expect((await say(bot, SEC1, '/lich 10/10/2025', 'nằm ngoài')).text).toBe(
      m.registration.outsideWindow('10/10/2025', '01/09/2025', '30/09/2025'),
    );
  });

  it('takes the late report, counts it as held, and /tiendo lists the branch with its date and "sau hạn"', async () => {
    clock.set(at('2025-10-11'));
    // A branch without extension cannot report a congress after the deadline.
    const bad = await say(bot, SEC1, `/daihoi\n${form('05/10/2025')}`, 'nằm ngoài thời gian');
    expect(bad.text).toContain(m.reportErrors.dateOutsideWindow('05/10/2025', '01/09/2025', '30/09/2025'));

    const card = await say(bot, SEC2, `/daihoi\n${form('10/10/2025')}`, m.card.confirm);
    await press(bot, SEC2, card, m.buttonConfirm, 'Đã lưu');
    const record = await bot.app.services.congress.reportHistory(c1.id, 'CB02');
    expect(record.at(-1)?.late).toBe(true);

    const progress = await say(bot, LEAD_XA, '/tiendo', m.progress.title('2025 – 2027'));
    expect(progress.text).toContain(m.progress.held('1/3', '33,33%'));
    expect(progress.text).toContain(m.progress.late('1'));
    expect(progress.text).toContain(m.progress.extendedHeader('1'));
    expect(progress.text).toContain(
      m.progress.extendedItem('Chi bộ Thôn 2', '15/10/2025', m.progress.extendedStates.reportedLate),
    );
    // The two branches without extension and without a result are overdue; the extended one is not.
    expect(block(progress.text, m.progress.overdueHeader('2'))).toEqual([
      m.progress.overdueDeadline('Chi bộ Thôn 1'),
      m.progress.overdueDeadline('Chi bộ Thôn 3'),
    ]);
  });

  it('counts a branch still within its extension as not overdue, and lists it as waiting', async () => {
    const out: string[] = [];
    const code = await campaignCli.run(
      ['extend', '--unit', 'CB03', '--until', '20/10/2025', '--reason', 'Bí thư ốm'],
      { services: bot.app.services, out: (l) => out.push(l), err: (l) => out.push(l) },
    );
    expect(code).toBe(0);
    expect(out.join('\n')).toContain(m.extension.granted('Chi bộ Thôn 3', '20/10/2025', '30/09/2025'));
    const progress = await say(bot, LEAD_XA, '/tiendo', m.progress.title('2025 – 2027'));
    expect(progress.text).toContain(m.progress.extendedHeader('2'));
    expect(progress.text).toContain(
      m.progress.extendedItem('Chi bộ Thôn 3', '20/10/2025', m.progress.extendedStates.waiting),
    );
    expect(block(progress.text, m.progress.overdueHeader('1'))).toEqual([
      m.progress.overdueDeadline('Chi bộ Thôn 1'),
    ]);
  });
});
