/**
 * What the confirmation card and the statistics say through the emulator: the quorum warning
 * (still confirmable), the head-of-unit warning against the unit list, the 9-member rule on
 * đảng viên chính thức naming the number it used, and a "3 nội dung" congress by its own name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import { inlineButtons, startTestBot, type TestBot } from '../support/app.js';
import { hasText, say } from '../support/chat.js';

const m = msg.congress;

const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên,Số đảng viên chính thức,Bí thư kiêm người đứng đầu',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,60',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn,XA,20,12,',
  'CB02,Chi bộ Thôn 2,Chi bộ,Thôn,XA,30,8,',
  'CB03,Chi bộ Hưu trí,Chi bộ,Khác,XA,15,,không',
].join('\n');

const SEC1 = { id: 9301, first_name: 'Bí thư Thôn 1' };
const SEC2 = { id: 9302, first_name: 'Bí thư Thôn 2' };
const SEC3 = { id: 9303, first_name: 'Bí thư Hưu trí' };
const LEAD = { id: 9310, first_name: 'Lãnh đạo xã' };
type User = { id: number };

const at = (isoDate: string) => Date.parse(`${isoDate}T03:00:00Z`);

function form(lines: Record<string, string>): string {
  return Object.entries(lines)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

describe('the congress card and statistics, as a secretary and a leader read them', () => {
  const clock = new ManualClock(at('2025-09-20'));
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ clock });
    for (const u of [SEC1, SEC2, SEC3, LEAD]) bot.emulator.addUser(u);
    const s = bot.app.services;
    expect((await s.org.importUnitsCsv('cli', TREE)).ok).toBe(true);
    const grant = (u: User, kind: 'secretary' | 'leader', unit: string) =>
      s.org.people.grantRole(u.id, { kind, unit }, 'test', s.clock.now());
    await grant(SEC1, 'secretary', 'CB01');
    await grant(SEC2, 'secretary', 'CB02');
    await grant(SEC3, 'secretary', 'CB03');
    await grant(LEAD, 'leader', 'XA');
    const r = await s.congress.createCampaign('cli', {
      name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
      term: '2025-2027',
      scope: 'XA',
      opens: '01/09/2025',
      deadline: '30/09/2025',
      youngAge: '30',
    });
    if (!r.ok) throw new Error(r.errors.join('; '));
    // A bot cannot write first to someone who never opened the chat.
    await say(bot, LEAD, '/help', 'Lãnh đạo');
  });
  afterAll(() => bot.stop());

  it('warns below 2/3 present and on a head-of-unit answer against the unit list, and still saves on «Xác nhận»', async () => {
    const card = await say(
      bot,
      SEC1,
      `/daihoi\n${form({
        'Ngày đại hội': '15/09/2025',
        'Hình thức': 'đại hội 3 nội dung',
        'Đảng viên triệu tập': '10',
        'Đảng viên có mặt': '3',
        'Bí thư là người đứng đầu': 'không áp dụng',
      })}`,
      m.card.confirm,
    );
    expect(card.text).toContain(m.card.dateLine('15/09/2025', '3 nội dung'));
    expect(card.text).toContain(m.reportWarnings.quorum('3', '10', '7'));
    expect(card.text).toContain('2/3');
    expect(card.text).toContain(m.reportWarnings.headNotApplicable);
    expect(inlineButtons(card).map((b) => b.text)).toContain(m.buttonConfirm);
    const b = inlineButtons(card).find((x) => x.text === m.buttonConfirm)!;
    const saved = bot.emulator.waitForBotMessage(SEC1.id, hasText('Đã lưu'));
    bot.emulator.pressButton(SEC1.id, card.chat.id, card.message_id, b.callback_data);
    await saved;
    // The leader's copy carries the quorum warning too: the office decides.
    const notice = await bot.emulator.waitForBotMessage(
      LEAD.id,
      hasText(m.chat.reportNotice('Chi bộ Thôn 1', 1)),
      {
        since: 0,
        timeoutMs: 15_000,
      },
    );
    expect(notice.text).toContain(m.reportWarnings.quorum('3', '10', '7'));
  });

  it('applies the 9-member rule to đảng viên chính thức from the unit list, and says so', async () => {
    const reply = await say(
      bot,
      SEC2,
      `/daihoi\n${form({
        'Ngày đại hội': '16/09/2025',
        'Hình thức': 'bầu cử',
        'Đảng viên triệu tập': '28',
        'Đảng viên có mặt': '27',
        'Cấp ủy viên được bầu': '5',
        'Tái cử': '2',
        Nữ: '1',
        Trẻ: '1',
        'Dân tộc thiểu số': '0',
        'Bí thư bầu tại đại hội': 'có',
        'Bí thư là người đứng đầu': 'có',
        'Phó bí thư': 'có',
      })}`,
      m.errorsHeader,
    );
    expect(reply.text).toContain(m.reportErrors.basis.unitList('8'));
    expect(reply.text).toContain('không quá 2; đồng chí ghi 5');
  });

  it('without the column, counts the official members of the branch register, and says so', async () => {
    const register = [
      'Mã chi bộ,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Ngày vào Đảng,Ngày chính thức,Số thẻ đảng viên,Số tháng gián đoạn',
      'CB03,Nguyễn Văn An,01/01/1950,Nam,Kinh,01/10/1975,01/10/1976,3001,',
      'CB03,Trần Văn Bình,01/01/1952,Nam,Kinh,01/10/1977,01/10/1978,3002,',
      'CB03,Lê Thị Cúc,01/01/2000,Nữ,Kinh,01/05/2025,,,',
    ].join('\n');
    const imported = await bot.app.services.members.importCsv('cli', register);
    expect(imported.ok).toBe(true);
    const reply = await say(
      bot,
      SEC3,
      `/daihoi\n${form({
        'Ngày đại hội': '16/09/2025',
        'Hình thức': 'bầu cử',
        'Đảng viên triệu tập': '12',
        'Đảng viên có mặt': '12',
        'Cấp ủy viên được bầu': '3',
        'Tái cử': '2',
        Nữ: '1',
        Trẻ: '0',
        'Dân tộc thiểu số': '0',
        'Bí thư bầu tại đại hội': 'có',
        'Bí thư là người đứng đầu': 'không áp dụng',
        'Phó bí thư': 'có',
      })}`,
      m.errorsHeader,
    );
    // 15 members on the unit list, 2 of them official in the register: a small branch.
    expect(reply.text).toContain(m.reportErrors.basis.register('2'));
  });

  it('names the 3 nội dung congress in the statistics, and keeps «Không áp dụng» out of the head ratio', async () => {
    const progress = await say(bot, LEAD, '/tiendo', m.progress.statsHeader);
    expect(progress.text).toContain(
      'Tổng số phó bí thư chi bộ được bầu: 0/1 đồng chí (1 đơn vị đại hội 3 nội dung).',
    );
    expect(progress.text).not.toContain('Bí thư chi bộ đồng thời là người đứng đầu');
  });
});
