/**
 * /xuat as leaders, secretaries and admins use it: the real bot through the Bot API emulator.
 * A leader presses the congress button and gets the workbook and its PDF as documents, which
 * are downloaded through the emulator's file URL and opened with exceljs and pdftotext.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { Telegram } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CongressReport } from '../../src/domain/congress/report.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import type { EmuMessage } from '../../src/sandbox/chatStore.js';
import type { Viewer } from '../../src/services/organisation.js';
import { inlineButtons, startTestBot, TEST_TOKEN, type TestBot } from '../support/app.js';
import { seedCampaign } from '../support/campaign.js';
import { buttonOf } from '../support/chat.js';
import { congressReport } from '../support/congressReports.js';

const m = msg.exports;
const at = (isoDate: string) => Date.parse(`${isoDate}T03:00:00Z`);

const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'T,Đảng bộ huyện Hòa An,Đảng bộ,,,0',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,T,100',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn,XA,25',
  'CB02,"=HYPERLINK(""http://evil.example"",""Bấm"")",Chi bộ,Thôn,XA,20',
  'CB03,Chi bộ Trường học,Chi bộ,Trường học,XA,12',
  'XB,Đảng bộ xã Hòa Bình,Đảng bộ cơ sở,,T,60',
  'CB11,Chi bộ Thôn Hòa 1,Chi bộ,,XB,30',
].join('\n');

const SEC1 = { id: 9001, first_name: 'Bí thư Thôn 1' };
const SEC2 = { id: 9002, first_name: '+Bí thư Thôn 2' };
const LEAD_XA = { id: 9100, first_name: 'Lãnh đạo xã Tân Lập' };
const LEAD_TWO = { id: 9101, first_name: 'Lãnh đạo hai xã' };
const ADMIN = { id: 9200, first_name: 'Văn phòng' };
const NOBODY = { id: 9300, first_name: 'Chưa có quyền' };

function result(over: Partial<CongressReport> = {}): CongressReport {
  return congressReport({ present: 18, ...over });
}
const RESULTS: Record<string, CongressReport> = {
  CB01: result({ note: '@SUM(A1:A9)' }),
  CB02: result({ elected: 3, reElected: 2, women: 0, young: 0, deputy: 'khong' }),
};

let bot: TestBot;
let telegram: Telegram;
const clock = new ManualClock(at('2025-09-15'));

beforeAll(async () => {
  bot = await startTestBot({ clock, env: { ADMIN_IDS: String(ADMIN.id) } });
  telegram = new Telegram(TEST_TOKEN, { apiRoot: bot.app.services.config.telegramApiRoot });
  for (const u of [SEC1, SEC2, LEAD_XA, LEAD_TWO, ADMIN, NOBODY]) bot.emulator.addUser(u);
  const s = bot.app.services;
  const imported = await s.org.importUnitsCsv('cli', TREE);
  if (!imported.ok) throw new Error(imported.text);
  const grant = (id: number, kind: 'secretary' | 'leader', unit: string) =>
    s.org.people.grantRole(id, { kind, unit }, 'test', clock.now());
  await grant(SEC1.id, 'secretary', 'CB01');
  await grant(SEC2.id, 'secretary', 'CB02');
  // The name Telegram gave when the secretary last wrote to the bot.
  await s.org.people.upsertProfile(SEC2.id, { first_name: SEC2.first_name });
  await grant(LEAD_XA.id, 'leader', 'XA');
  await grant(LEAD_TWO.id, 'leader', 'XA');
  await grant(LEAD_TWO.id, 'leader', 'XB');
  const created = await seedCampaign(s.congress, { scope: 'T' });
  for (const [user, branch] of [
    [SEC1, 'CB01'],
    [SEC2, 'CB02'],
  ] as const) {
    const viewer: Viewer = await s.org.viewer(user.id);
    const saved = await s.congress.saveReport(viewer, created.id, branch, RESULTS[branch]!);
    expect(saved.ok).toBe(true);
  }
  clock.set(at('2025-09-20'));
});
afterAll(async () => {
  await bot?.stop();
});

type User = { id: number };
const hasText = (part: string) => (x: EmuMessage) => (x.text ?? '').includes(part);

function say(user: User, text: string, expected: string): Promise<EmuMessage> {
  const waiting = bot.emulator.waitForBotMessage(user.id, (x) => !x.edited && hasText(expected)(x));
  bot.emulator.sendText(user.id, text);
  return waiting;
}

/** Presses the button whose label starts with `label`. */
function press(user: User, on: EmuMessage, label: string): void {
  bot.emulator.pressButton(user.id, on.chat.id, on.message_id, buttonOf(on, label).data);
}

/** The next `n` documents the bot sends after message `since`. */
async function documents(user: User, n: number, since: number): Promise<EmuMessage[]> {
  const out: EmuMessage[] = [];
  while (out.length < n) {
    const after = out.at(-1)?.message_id ?? since;
    out.push(
      await bot.emulator.waitForBotMessage(user.id, (x) => x.document !== undefined, {
        since: after,
        timeoutMs: 15_000,
      }),
    );
  }
  return out;
}

/** The file behind a document, through the emulator's `/file/bot<token>/<path>` URL. */
async function download(doc: EmuMessage): Promise<Buffer> {
  const link = await telegram.getFileLink(doc.document!.file_id);
  expect(link.pathname).toMatch(new RegExp(`^/file/bot${TEST_TOKEN}/`));
  const res = await fetch(link);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

function lastMessageId(user: User): number {
  return bot.emulator.botMessages(user.id).at(-1)?.message_id ?? 0;
}

describe('/xuat', () => {
  it('sends a leader the congress workbook and its PDF for their own scope', async () => {
    const menu = await say(LEAD_XA, '/xuat', m.chat.menu('Đảng bộ xã Tân Lập'));
    const labels = inlineButtons(menu).map((b) => b.text);
    expect(labels).toEqual([
      m.chat.buttonCongress('Đại hội chi bộ nhiệm kỳ 2025 – 2027', '2025 – 2027'),
      m.chat.buttonMeetings('09/2025'),
      m.chat.buttonMeetings('08/2025'),
    ]);
    const since = lastMessageId(LEAD_XA);
    press(LEAD_XA, menu, 'Đại hội:');
    const [xlsxDoc, pdfDoc] = await documents(LEAD_XA, 2, since);
    expect(xlsxDoc?.document?.file_name).toBe('dai-hoi-XA-2025-09-20.xlsx');
    expect(xlsxDoc?.document?.mime_type).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(xlsxDoc?.caption).toBe(m.captions.congressXlsx('Đảng bộ xã Tân Lập', '2025 – 2027'));
    expect(pdfDoc?.document?.file_name).toBe('bao-cao-dai-hoi-XA-2025-09-20.pdf');
    expect(bot.emulator.toasts(LEAD_XA.id).map((t) => t.text)).toContain(m.chat.preparing);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(xlsxDoc!)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Kết quả theo chi bộ', 'Theo đơn vị']);
    const ws = wb.getWorksheet('Kết quả theo chi bộ')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = ws.getRow(1).values as unknown[];
    const col = (h: string) => header.indexOf(h);
    const names = [2, 3, 4].map((r) => ws.getRow(r).getCell(col('Tên chi bộ')));
    expect(names.map((c) => c.value)).toEqual([
      'Chi bộ Thôn 1',
      `'=HYPERLINK("http://evil.example","Bấm")`,
      'Chi bộ Trường học',
    ]);
    expect(names[1]?.type).toBe(ExcelJS.ValueType.String);
    expect(ws.getRow(2).getCell(col('Ghi chú')).value).toBe("'@SUM(A1:A9)");
    expect(ws.getRow(3).getCell(col('Người báo cáo')).value).toBe("'+Bí thư Thôn 2");
    expect(ws.getRow(2).getCell(col('Cấp ủy viên được bầu')).value).toBe(5);
    expect(ws.getRow(2).getCell(col('Ngày đại hội')).value).toEqual(new Date('2025-09-12T00:00:00Z'));
    const summary = wb.getWorksheet('Tổng hợp')!;
    let held: unknown[] | undefined;
    summary.eachRow((row) => {
      if (row.getCell(1).value === m.congressFigures.held) held = [2, 3, 4].map((c) => row.getCell(c).value);
    });
    expect(held).toEqual([2, 3, 0.6667]);

    const pdf = await download(pdfDoc!);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'xuat-e2e-')), 'bao-cao.pdf');
    writeFileSync(file, pdf);
    let text: string;
    try {
      text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
        /\s+/g,
        ' ',
      );
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      console.warn('pdftotext is not installed (poppler-utils): the PDF text is not checked');
      return;
    }
    expect(text).toContain(
      'Đến ngày 20/09/2025, 2/3 chi bộ (66,67%) đã tổ chức xong đại hội nhiệm kỳ 2025 – 2027.',
    );
    expect(text).toContain(
      'Tổng số cấp ủy viên được bầu: 8 đồng chí, trong đó tái cử 5 đồng chí (62,5%), tham gia cấp ủy lần đầu 3 đồng chí (37,5%)',
    );
    expect(text).toContain('ĐẢNG BỘ XÃ TÂN LẬP');
  });

  it('sends the meetings workbook of a month', async () => {
    const menu = await say(LEAD_XA, '/xuat 08/2025', m.chat.menu('Đảng bộ xã Tân Lập'));
    expect(
      inlineButtons(menu)
        .filter((b) => b.text.startsWith('Sinh hoạt'))
        .map((b) => b.text),
    ).toEqual([m.chat.buttonMeetings('08/2025')]);
    const since = lastMessageId(LEAD_XA);
    press(LEAD_XA, menu, 'Sinh hoạt');
    const [doc] = await documents(LEAD_XA, 1, since);
    expect(doc?.document?.file_name).toBe('sinh-hoat-XA-2025-08.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(doc!)) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Sinh hoạt theo chi bộ')?.rowCount).toBe(4);
  });

  it('asks a leader of two communes which one first, and an admin starts at the root', async () => {
    const choose = await say(LEAD_TWO, '/xuat', m.chat.chooseScope);
    expect(inlineButtons(choose).map((b) => b.text)).toEqual(['Đảng bộ xã Tân Lập', 'Đảng bộ xã Hòa Bình']);
    const waiting = bot.emulator.waitForBotMessage(LEAD_TWO.id, hasText(m.chat.menu('Đảng bộ xã Hòa Bình')));
    press(LEAD_TWO, choose, 'Đảng bộ xã Hòa Bình');
    const menu = await waiting;
    expect(inlineButtons(menu)[0]?.callback_data).toMatch(/^xk:dh:dh[0-9a-z]{8}:XB$/);

    const admin = await say(ADMIN, '/xuat', m.chat.menu('Đảng bộ huyện Hòa An'));
    expect(inlineButtons(admin).length).toBeGreaterThanOrEqual(3);
  });

  it('refuses secretaries and people without a role, and a button for another unit', async () => {
    await say(SEC1, '/xuat', m.chat.leaderOnly);
    await say(NOBODY, '/xuat', msg.units.noAccess);
    const menu = await say(LEAD_XA, '/xuat', m.chat.menu('Đảng bộ xã Tân Lập'));
    // A hand-made button for XB: the scope is checked again when it is pressed.
    const data = inlineButtons(menu)[0]!.callback_data.replace(/:XA$/, ':XB');
    const waiting = bot.emulator.waitForBotMessage(LEAD_XA.id, hasText('Đảng bộ xã Hòa Bình'));
    bot.emulator.pressButton(LEAD_XA.id, menu.chat.id, menu.message_id, data);
    expect((await waiting).text).toBe(msg.units.noAccessToUnit('Đảng bộ xã Hòa Bình'));
  });

  it('answers a forged or outdated button with the clear note, never the apology', async () => {
    const menu = await say(LEAD_XA, '/xuat', m.chat.menu('Đảng bộ xã Tân Lập'));
    const forged = [
      'xk:sh:2025-13:XA', // no month 13
      'xk:sh:0000-00:BP1',
      'xk:s:BP1:children', // a code with a colon would name another key
      'xk:dh:nope:XA',
      'xk:vb:abc',
      'xk:zz',
    ];
    const before = bot.emulator.toasts(LEAD_XA.id).length;
    for (const data of forged) bot.emulator.pressButton(LEAD_XA.id, menu.chat.id, menu.message_id, data);
    // Updates of one chat are handled in order: once this is answered, the presses were too.
    await say(LEAD_XA, '/xuat', m.chat.menu('Đảng bộ xã Tân Lập'));
    const toasts = bot.emulator.toasts(LEAD_XA.id).slice(before);
    expect(toasts.map((t) => t.text)).toEqual(forged.map(() => msg.common.buttonExpired));
    expect(bot.emulator.botMessages(LEAD_XA.id).some((x) => (x.text ?? '').startsWith('Xin lỗi'))).toBe(
      false,
    );
  });

  it('echoes a long argument capped', async () => {
    const long = `${'9'.repeat(4_100)}`;
    const answer = await say(LEAD_XA, `/xuat ${long}`, 'không phải tháng');
    expect(answer.text).toBe(m.chat.badMonth(long));
    expect(answer.text!.length).toBeLessThan(200);
    expect(answer.text).toContain('…');
  });
});
