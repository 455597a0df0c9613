/**
 * Chuẩn y by quyết định through the chat: the notice's button is bound to the version it showed
 * (an older one is refused, saying a newer version exists), the decision is recorded with its
 * number and date, an amendment afterwards clears it and tells the approver what changed, and
 * only approvers may record it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/domain/congress/campaign.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import type { EmuMessage } from '../../src/sandbox/chatStore.js';
import { inlineButtons, startTestBot, type TestBot } from '../support/app.js';
import { congressReport } from '../support/congressReports.js';

const d = msg.congressOffice.decision;
const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'VH,Đảng bộ phường Việt Hưng,Đảng bộ cơ sở,,,60',
  'CB01,Chi bộ Tổ dân phố 1,Chi bộ,Tổ dân phố,VH,30',
  'CB02,Chi bộ Tổ dân phố 2,Chi bộ,Tổ dân phố,VH,30',
].join('\n');

const SEC = { id: 9501, first_name: 'Bình' };
const LEAD = { id: 9502, first_name: 'Hùng' };
const OTHER = { id: 9503, first_name: 'Lan' };
type User = { id: number };

const hasText = (part: string) => (x: EmuMessage) => (x.text ?? '').includes(part);

function say(bot: TestBot, user: User, text: string, expected: string): Promise<EmuMessage> {
  const waiting = bot.emulator.waitForBotMessage(user.id, (x) => !x.edited && hasText(expected)(x));
  bot.emulator.sendText(user.id, text);
  return waiting;
}

function press(
  bot: TestBot,
  user: User,
  on: EmuMessage,
  label: string,
  expected: string,
): Promise<EmuMessage> {
  const b = inlineButtons(on).find((x) => x.text.startsWith(label));
  if (!b) throw new Error(`no button «${label}…» on: ${on.text}`);
  const waiting = bot.emulator.waitForBotMessage(user.id, (x) => !x.edited && hasText(expected)(x));
  bot.emulator.pressButton(user.id, on.chat.id, on.message_id, b.callback_data);
  return waiting;
}

describe('chuẩn y by quyết định', () => {
  let bot: TestBot;
  let campaign: Campaign;
  const clock = new ManualClock(Date.parse('2025-09-20T03:00:00Z'));
  const save = (present: number) =>
    bot.app.services.congress.saveReport(
      { id: SEC.id, roles: [{ kind: 'secretary', unit: 'CB01' }] },
      campaign.id,
      'CB01',
      congressReport({ present }),
    );
  const noticeOf = (version: number) =>
    bot.emulator.waitForBotMessage(
      LEAD.id,
      (x) => x.text?.split('\n')[0] === msg.congress.chat.reportNotice('Chi bộ Tổ dân phố 1', version),
      { since: 0 },
    );

  beforeAll(async () => {
    bot = await startTestBot({ clock });
    for (const u of [SEC, LEAD, OTHER]) bot.emulator.addUser(u);
    const s = bot.app.services;
    expect((await s.org.importUnitsCsv('cli', TREE)).ok).toBe(true);
    await s.org.people.grantRole(SEC.id, { kind: 'secretary', unit: 'CB01' }, 'test', clock.now());
    await s.org.people.grantRole(LEAD.id, { kind: 'leader', unit: 'VH' }, 'test', clock.now());
    await s.org.people.grantRole(OTHER.id, { kind: 'leader', unit: 'VH' }, 'test', clock.now());
    const set = await s.org.setIdentity('cli', LEAD.id, {
      name: 'Nguyễn Văn Hùng',
      title: 'Phó Bí thư Thường trực Đảng ủy phường',
      approver: true,
    });
    expect(set.ok).toBe(true);
    const r = await s.congress.createCampaign('cli', {
      name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
      term: '2025-2027',
      scope: 'VH',
      opens: '01/09/2025',
      deadline: '30/09/2025',
    });
    if (!r.ok) throw new Error(r.errors.join('; '));
    campaign = r.campaign;
    // A bot cannot write first to someone who never wrote to it.
    for (const u of [SEC, LEAD, OTHER]) await say(bot, u, '/help', '/');
  });
  afterAll(() => bot.stop());

  it('refuses the button of an older version, saying a newer version exists', async () => {
    expect((await save(19)).ok).toBe(true);
    const first = await noticeOf(1);
    expect(inlineButtons(first).map((b) => b.text)).toEqual([d.buttonRecord('chuan_y')]);
    expect((await save(18)).ok).toBe(true);
    const second = await noticeOf(2);
    const stale = await press(bot, LEAD, first, d.buttonRecord('chuan_y'), 'phiên bản mới hơn');
    expect(stale.text).toBe(d.stale('Chi bộ Tổ dân phố 1', 2));
    expect(
      (await bot.app.services.congress.reportHistory(campaign.id, 'CB01')).at(-1)?.approved,
    ).toBeUndefined();

    const asked = await press(bot, LEAD, second, d.buttonRecord('chuan_y'), 'Đồng chí gửi số và ngày');
    expect(asked.text).toContain('phiên bản 2');
    const bad = await say(bot, LEAD, '123-QĐ/ĐU 15/09/2099', 'sau hôm nay');
    expect(bad.text).toContain('15/09/2099');
    const secretaryTold = bot.emulator.waitForBotMessage(SEC.id, hasText('Quyết định số 123-QĐ/ĐU'));
    const done = await say(bot, LEAD, '123-QĐ/ĐU 15/09/2025', 'Đã ghi');
    expect(done.text).toBe(d.recorded('chuan_y', 'Chi bộ Tổ dân phố 1', '123-QĐ/ĐU', '2025-09-15', 2));
    expect((await secretaryTold).text).toContain('chuẩn y theo Quyết định số 123-QĐ/ĐU ngày 15/9/2025');

    const progress = await say(bot, LEAD, '/tiendo', 'Tiến độ');
    expect(progress.text).toContain('Đã chuẩn y: 1/1');
    expect(progress.text).toContain('Quyết định đã ghi: số 123-QĐ/ĐU ngày 15/9/2025');
  });

  it('clears the decision when the result is amended, and tells the approver what changed', async () => {
    const told = bot.emulator.waitForBotMessage(LEAD.id, hasText('Những nội dung thay đổi'));
    expect((await save(17)).ok).toBe(true);
    const note = await told;
    expect(note.text).toContain('Quyết định số 123-QĐ/ĐU ngày 15/9/2025');
    expect(note.text).toContain('• Đảng viên có mặt: 18 → 17');
    const progress = await say(bot, LEAD, '/tiendo', 'Tiến độ');
    expect(progress.text).toContain('Đã chuẩn y: 0/1');
    expect(progress.text).not.toContain('123-QĐ/ĐU');

    const again = await say(bot, LEAD, '/chuany CB01 124-QĐ/ĐU 16/09/2025', 'Đã ghi');
    expect(again.text).toContain('phiên bản 3');
    const history = await bot.app.services.congress.reportHistory(campaign.id, 'CB01');
    expect(history.at(-1)?.approved).toMatchObject({ number: '124-QĐ/ĐU', date: '2025-09-16', version: 3 });
  });

  it('lets only approvers record a decision, and explains bad input', async () => {
    expect((await say(bot, OTHER, '/chuany CB01 125-QĐ/ĐU 16/09/2025', 'ghi quyết định chuẩn y')).text).toBe(
      d.notApprover,
    );
    expect((await say(bot, SEC, '/chuany CB01 125-QĐ/ĐU 16/09/2025', 'không thuộc')).text).toBe(
      d.notInScope('Chi bộ Tổ dân phố 1'),
    );
    expect((await say(bot, LEAD, '/chuany', 'Cách dùng')).text).toBe(d.usage);
    expect((await say(bot, LEAD, '/chuany CB02 1-QĐ/ĐU 16/09/2025', 'chưa')).text).toBe(
      d.noCampaign('Chi bộ Tổ dân phố 2'),
    );
    const long = await say(bot, LEAD, `/chuany CB01 ${'9'.repeat(5000)} 16/09/2025`, 'không hợp lệ');
    expect((long.text ?? '').length).toBeLessThan(600);
    const before = await say(bot, LEAD, '/chuany CB01 126-QĐ/ĐU 01/09/2025', 'trước ngày đại hội');
    expect(before.text).toContain('12/09/2025');
  });
});
