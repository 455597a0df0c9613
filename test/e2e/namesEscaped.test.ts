/**
 * Names come from people's Telegram profiles and from the office's CSV imports: both are text
 * someone else typed. Every screen that shows a person's or a unit's name must show it as
 * written — `<`, `&` and a whole `<a href>` included — and never as live markup: no link, no
 * bold, and no failed send. One hostile person and one hostile unit go through each such screen.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directiveCli } from '../../src/cli/directive.js';
import { ManualClock } from '../../src/infra/clock.js';
import type { EmuMessage } from '../../src/sandbox/chatStore.js';
import { startTestBot, type TestBot } from '../support/app.js';
import { seedCampaign } from '../support/campaign.js';
import { hasText, say } from '../support/chat.js';

const PERSON_LINK = '<a href="https://evil.example/p">Văn phòng: bấm để xác nhận</a>';
const PERSON_STRAY = 'Trần <Văn & Hùng';
const UNIT = 'Chi bộ <b>Thôn</b> & "1" <a href="https://evil.example/u">Bấm</a>';
const UNIT2 = 'Chi bộ <i>Tổ</i> 2 & <a href="https://evil.example/v">Bấm</a>';

const csvCell = (s: string) => `"${s.replaceAll('"', '""')}"`;
const TREE = [
  'code,name,level,kind,parent,members',
  'XA,Đảng bộ xã A,dang_bo_co_so,,,100',
  `CB1,${csvCell(UNIT)},chi_bo,thon,XA,25`,
  `CB2,${csvCell(UNIT2)},chi_bo,thon,XA,25`,
].join('\n');

const ADMIN = { id: 9901, first_name: 'Quản trị' };
const SEC = { id: 9902, first_name: PERSON_LINK };
const DEP = { id: 9903, first_name: PERSON_STRAY };
const LEAD = { id: 9904, first_name: 'Lãnh đạo xã' };

/** Shows every fragment literally, and nothing in it as markup: no link, no formatting around it. */
function expectShownAsWritten(message: EmuMessage, fragments: string[]): void {
  const text = message.text ?? message.caption ?? '';
  for (const f of fragments) expect(text, `in: ${text}`).toContain(f);
  const entities = message.entities ?? message.caption_entities ?? [];
  // A link whose target hides behind its label exists only if someone's markup went live.
  for (const e of entities)
    expect(e.type, `entity over «${text.slice(e.offset, e.offset + e.length)}»`).not.toBe('text_link');
  expect(text).not.toContain('&lt;');
  expect(text).not.toContain('&amp;');
}

describe('names from profiles and imports are shown as written on every screen', () => {
  let bot: TestBot;
  const clock = new ManualClock(Date.parse('2025-09-05T02:00:00Z'));

  beforeAll(async () => {
    bot = await startTestBot({ clock, env: { ADMIN_IDS: String(ADMIN.id) } });
    for (const p of [ADMIN, SEC, DEP, LEAD]) bot.emulator.addUser(p);
    const s = bot.app.services;
    const imported = await s.org.importUnitsCsv('cli', TREE);
    expect(imported.ok).toBe(true);
    const now = clock.now();
    await s.org.people.grantRole(SEC.id, { kind: 'secretary', unit: 'CB1' }, 'test', now);
    await s.org.people.grantRole(DEP.id, { kind: 'deputy', unit: 'CB1' }, 'test', now);
    await s.org.people.grantRole(LEAD.id, { kind: 'leader', unit: 'XA' }, 'test', now);
    await seedCampaign(s.congress, { scope: 'XA' });
    // Each person writes once, so the bot knows their Telegram profile as it is.
    for (const p of [SEC, DEP, LEAD]) await say(bot, p, '/help', '/');
  });
  afterAll(() => bot.stop());

  it('/canbo lists branches without a secretary, and /canbo MÃ the people, as written', async () => {
    expectShownAsWritten(await say(bot, ADMIN, '/canbo', 'Tổ'), [UNIT2]);
    expectShownAsWritten(await say(bot, ADMIN, '/canbo CB1', 'Văn phòng: bấm'), [
      UNIT,
      PERSON_LINK,
      PERSON_STRAY,
    ]);
  });

  it('/moi prints the unit as written beside the link', async () => {
    expectShownAsWritten(await say(bot, ADMIN, '/moi CB1 bithu', 'Thôn'), [UNIT]);
  });

  it('the secretary’s forms and progress name their branch as written', async () => {
    expectShownAsWritten(await say(bot, SEC, '/daihoi', 'Báo cáo kết quả đại hội'), [UNIT]);
    await say(bot, SEC, '/huy', 'Đã hủy');
    expectShownAsWritten(await say(bot, SEC, '/sinhhoat', 'Báo cáo sinh hoạt'), [UNIT]);
    await say(bot, SEC, '/huy', 'Đã hủy');
    expectShownAsWritten(await say(bot, SEC, '/sinhhoat_tiendo', 'Tiến độ'), [UNIT]);
  });

  it('the leader’s progress, meetings and summary name the branches as written', async () => {
    expectShownAsWritten(await say(bot, LEAD, '/tiendo', 'Theo đơn vị'), [UNIT, UNIT2]);
    expectShownAsWritten(await say(bot, LEAD, '/sinhhoat_tiendo', 'Chưa báo cáo'), [UNIT, UNIT2]);
    expectShownAsWritten(await say(bot, LEAD, '/tomtat', 'Tổng hợp'), [UNIT2]);
  });

  it('a directive greets the branch as written, and its status lists it so', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'names-'));
    const body = path.join(dir, 'noi-dung.txt');
    await writeFile(body, 'Đề nghị các chi bộ báo cáo.', 'utf8');
    const out: string[] = [];
    const err: string[] = [];
    const code = await directiveCli.run(
      [
        'send',
        '--title',
        'Hướng dẫn',
        '--number',
        '12-HD/ĐU',
        '--text-file',
        body,
        '--audience',
        'all-secretaries',
      ],
      { services: bot.app.services, out: (l) => out.push(l), err: (l) => err.push(l) },
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const got = await bot.emulator.waitForBotMessage(SEC.id, hasText('Kính gửi'), {
      since: 0,
      timeoutMs: 20_000,
    });
    expectShownAsWritten(got, [`Kính gửi: Đồng chí Bí thư ${UNIT}`]);
    const id = out.at(-1)!;
    expectShownAsWritten(await say(bot, ADMIN, `/thongbao_tinhtrang ${id}`, 'Hướng dẫn'), [UNIT]);
  });
});
