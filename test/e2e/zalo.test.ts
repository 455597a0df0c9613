/**
 * The same bot on Zalo, end to end: the real app against the emulator's Zalo side (long polling),
 * asserting on what a person sees in their Zalo chat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/domain/congress/campaign.js';
import { formatTerm } from '../../src/domain/congress/campaign.js';
import { formatPercent, formatRatio } from '../../src/domain/vn.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import type { EmuMessage } from '../../src/sandbox/chatStore.js';
import type { ZaloEmuMessage } from '../../src/sandbox/zaloEmulator.js';
import { startTestBot, type TestBot } from '../support/app.js';

const m = msg.congress;
const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,60',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn,XA,30',
  'CB02,Chi bộ Thôn 2,Chi bộ,Thôn,XA,30',
  'CB03,Chi bộ Thôn 3,Chi bộ,Thôn,XA,30',
].join('\n');

/** 10:00 in Vietnam on a given day. */
const at = (isoDate: string) => Date.parse(`${isoDate}T03:00:00Z`);

const ZSEC1 = { id: 'z-1001', display_name: 'Nguyễn Văn Zalo' };
const ZSEC2 = { id: 'z-1002', display_name: 'Trần Thị Hai' };
const LEAD = { id: 9100, first_name: 'Lãnh đạo xã' };

const FORM = [
  `${m.labels.date}: 05/09/2025`,
  `${m.labels.format}: bầu cử`,
  `${m.labels.summoned}: 27`,
  `${m.labels.present}: 25`,
  `${m.labels.elected}: 3`,
  `${m.labels.reElected}: 2`,
  `${m.labels.women}: 1`,
  `${m.labels.young}: 0`,
  `${m.labels.minority}: 0`,
  `${m.labels.secretaryDirect}: có`,
  `${m.labels.secretaryIsHead}: không áp dụng`,
  `${m.labels.deputy}: có`,
].join('\n');

function zsay(bot: TestBot, user: { id: string }, text: string, expected: string): Promise<ZaloEmuMessage> {
  const waiting = bot.zalo!.waitForBotMessage(user.id, (x) => (x.text ?? '').includes(expected));
  bot.zalo!.sendText(user.id, text);
  return waiting;
}

function tsay(bot: TestBot, user: { id: number }, text: string, expected: string): Promise<EmuMessage> {
  const waiting = bot.emulator.waitForBotMessage(
    user.id,
    (x) => !x.edited && (x.text ?? '').includes(expected),
  );
  bot.emulator.sendText(user.id, text);
  return waiting;
}

async function invite(bot: TestBot, unit: string): Promise<string> {
  const r = await bot.app.services.org.createInvites('cli', { unit, role: 'secretary' });
  if (!r.ok) throw new Error(r.text);
  return r.rows[0]!.code;
}

describe('the bot on Zalo', () => {
  const clock = new ManualClock(at('2025-09-10'));
  let bot: TestBot;
  let campaign: Campaign;
  beforeAll(async () => {
    bot = await startTestBot({ clock, zalo: {} });
    bot.zalo!.addUser(ZSEC1);
    bot.zalo!.addUser(ZSEC2);
    bot.emulator.addUser(LEAD);
    const s = bot.app.services;
    expect((await s.org.importUnitsCsv('cli', TREE)).ok).toBe(true);
    await s.org.people.grantRole(LEAD.id, { kind: 'leader', unit: 'XA' }, 'test', clock.now());
    const r = await s.congress.createCampaign('cli', {
      name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
      term: '2025-2027',
      scope: 'XA',
      opens: '01/09/2025',
      deadline: '30/09/2025',
      pilots: ['CB01'],
    });
    if (!r.ok) throw new Error(r.errors.join('; '));
    campaign = r.campaign;
  });
  afterAll(() => bot?.stop());

  it('joins by typing the bare invite code, and by /start MÃ', async () => {
    const code1 = await invite(bot, 'CB01');
    const joined = await zsay(bot, ZSEC1, code1, 'Chi bộ Thôn 1');
    expect(joined.text).toContain(msg.units.invite.accepted('secretary', 'Chi bộ Thôn 1').slice(0, 20));
    const code2 = await invite(bot, 'CB02');
    const joined2 = await zsay(bot, ZSEC2, `/start ${code2}`, 'Chi bộ Thôn 2');
    expect(joined2.text).not.toContain(msg.common.apology('').slice(0, 20));
    // The same code again is spent (pasted as the whole Telegram link this time).
    expect((await zsay(bot, ZSEC2, `https://t.me/chibo_sandbox_bot?start=${code2}`, '')).text).toBe(
      msg.units.invite.used,
    );
    const again = await zsay(bot, ZSEC2, `/start ${code2}`, '');
    expect(again.text).toBe(msg.units.invite.used);
  });

  it('tells someone without a role, in Zalo’s terms, to send their invite code', async () => {
    const STRANGER = { id: 'z-stranger', display_name: 'Người lạ' };
    bot.zalo!.addUser(STRANGER);
    expect((await zsay(bot, STRANGER, '/start', '')).text).toBe(msg.zalo.startNoCode);
    expect((await zsay(bot, STRANGER, '/tiendo', '')).text).toBe(msg.zalo.noAccess);
  });

  it('lists the person’s commands as text on /help', async () => {
    const help = await zsay(bot, ZSEC1, '/help', '/daihoi');
    expect(help.text).toContain('/sinhhoat');
    expect(help.text).not.toContain('/dotdaihoi');
  });

  it('takes /daihoi with the form and saves on typing 1; a leader on Telegram sees it in /tiendo', async () => {
    const card = await zsay(bot, ZSEC1, `/daihoi\n${FORM}`, m.card.confirm);
    expect(card.text).toContain('Trả lời 1 để xác nhận và lưu, 0 để hủy.');
    expect(card.text!.length).toBeLessThanOrEqual(2000);
    const saved = await zsay(bot, ZSEC1, '1', 'Đã lưu');
    expect(saved.text).not.toContain('Trả lời 1');
    // The card's numbers are closed now: "1" again saves nothing twice.
    const stale = await zsay(bot, ZSEC1, '1', '');
    expect(stale.text).not.toContain('Đã lưu');

    const progress = await tsay(bot, LEAD, '/tiendo', m.progress.title(formatTerm(campaign.term)));
    expect(progress.text).toContain(m.progress.held(formatRatio(1, 3), formatPercent(1, 3)));
  });

  it('answers a sticker, a voice message, an image and withheld content with a clear Vietnamese line', async () => {
    const waitSticker = bot.zalo!.waitForBotMessage(ZSEC2.id, (x) => x.text === msg.zalo.pleaseType);
    bot.zalo!.sendOther(ZSEC2.id, 'sticker');
    await waitSticker;
    const waitImage = bot.zalo!.waitForBotMessage(ZSEC2.id, (x) => x.text === msg.zalo.imageNotRead);
    bot.zalo!.sendOther(ZSEC2.id, 'image', { photo: 'https://example.vn/a.jpg', caption: 'ảnh' });
    await waitImage;
    const waitPrivate = bot.zalo!.waitForBotMessage(ZSEC2.id, (x) => x.text === msg.zalo.unsupported);
    bot.zalo!.sendOther(ZSEC2.id, 'unsupported');
    await waitPrivate;
    // An unknown event is ignored: the next text is answered, nothing for the unknown one.
    const before = bot.zalo!.botMessages(ZSEC2.id).length;
    bot.zalo!.sendOther(ZSEC2.id, 'reaction');
    await zsay(bot, ZSEC2, '/help', '/daihoi');
    expect(bot.zalo!.botMessages(ZSEC2.id).length).toBe(before + 1);
  });

  it('answers hostile text (5,000 characters, RTL marks, emoji) without the apology, in pieces Zalo takes', async () => {
    const long = `‮${'😀'.repeat(2500)}`;
    const answer = await zsay(bot, ZSEC2, long, '');
    expect(answer.text).not.toContain('Mã tham chiếu');
    for (const x of bot.zalo!.botMessages(ZSEC2.id)) expect((x.text ?? '').length).toBeLessThanOrEqual(2000);
    expect(bot.zalo!.callLog().filter((c) => !c.ok && c.method === 'sendMessage')).toEqual([]);
  });

  it('joins Telegram to a person on Zalo and back with /lienket; bot-initiated messages follow the last channel or /kenh', async () => {
    const s = bot.app.services;
    const TSEC = { id: 9001, first_name: 'Bí thư Thôn 3' };
    const ZT = { id: 'z-9001', display_name: 'Bí thư Thôn 3 (Zalo)' };
    bot.emulator.addUser(TSEC);
    bot.zalo!.addUser(ZT);
    await s.org.people.grantRole(TSEC.id, { kind: 'secretary', unit: 'CB03' }, 'test', clock.now());
    const codeMsg = await tsay(bot, TSEC, '/lienket', 'Mã liên kết');
    const code = /Mã liên kết của đồng chí: ([A-Z0-9]{8})/.exec(codeMsg.text ?? '')?.[1];
    expect(code).toBeDefined();
    await zsay(bot, ZT, code!, 'Đã liên kết');
    // Roles are the person's: the Zalo account reports for CB03 now.
    const help = await zsay(bot, ZT, '/help', '/daihoi');
    expect(help.text).toContain('/lienket');
    // The code was one-time.
    await zsay(bot, ZSEC2, code!, msg.zalo.linkUnknown);

    const notice = (n: number) =>
      s.notifier.toPerson(TSEC.id, `Nhắc việc thử ${n}`, {
        id: `test-route-${n}`,
        purpose: 'notice',
        urgent: true,
      });
    // Last written from Zalo: Zalo.
    await notice(1);
    await bot.zalo!.waitForBotMessage(ZT.id, (x) => x.text === 'Nhắc việc thử 1', {
      since: 0,
      timeoutMs: 15_000,
    });
    // Writes on Telegram: Telegram.
    await tsay(bot, TSEC, '/help', '/daihoi');
    await notice(2);
    await bot.emulator.waitForBotMessage(TSEC.id, (x) => x.text === 'Nhắc việc thử 2', {
      since: 0,
      timeoutMs: 15_000,
    });
    // Chooses Zalo while writing on Telegram: Zalo.
    await tsay(bot, TSEC, '/kenh zalo', msg.zalo.channelSet('Zalo'));
    await notice(3);
    await bot.zalo!.waitForBotMessage(ZT.id, (x) => x.text === 'Nhắc việc thử 3', {
      since: 0,
      timeoutMs: 15_000,
    });
    expect(bot.emulator.botMessages(TSEC.id).some((x) => x.text === 'Nhắc việc thử 3')).toBe(false);

    // The reverse: a person born on Zalo joins Telegram; their roles move with them.
    const TNEW = { id: 9002, first_name: 'Bí thư Thôn 1 trên Telegram' };
    bot.emulator.addUser(TNEW);
    const zcode = await zsay(bot, ZSEC1, '/lienket', 'Mã liên kết');
    const code2 = /Mã liên kết của đồng chí: <b>([A-Z0-9]{8})<\/b>/.exec(zcode.text ?? '')?.[1];
    expect(code2).toBeDefined();
    await tsay(bot, TNEW, `/start ${code2}`, 'Đã liên kết');
    expect(await s.org.people.rolesOf(TNEW.id)).toEqual([{ kind: 'secretary', unit: 'CB01' }]);
    await tsay(bot, TNEW, '/help', '/daihoi');
    await zsay(bot, ZSEC1, '/help', '/daihoi');

    // /canbo shows each person's channels.
    const ADMIN = { id: 9200, first_name: 'Văn phòng' };
    bot.emulator.addUser(ADMIN);
    await s.org.people.grantRole(ADMIN.id, { kind: 'admin' }, 'test', clock.now());
    const list = await tsay(bot, ADMIN, '/canbo CB03', 'Chi bộ Thôn 3');
    expect(list.text).toContain('id 9001 · Telegram, Zalo');
    const list2 = await tsay(bot, ADMIN, '/canbo CB02', 'Chi bộ Thôn 2');
    expect(list2.text).toMatch(/id \d{16} · Zalo/);
  });

  it('sends a workbook as a signed link that downloads, and 404s when altered or expired', async () => {
    const ZLEAD = { id: 'z-lead', display_name: 'Lãnh đạo trên Zalo' };
    bot.zalo!.addUser(ZLEAD);
    const r = await bot.app.services.org.createInvites('cli', { unit: 'XA', role: 'leader' });
    if (!r.ok) throw new Error(r.text);
    await zsay(bot, ZLEAD, r.rows[0]!.code, 'Đảng bộ xã Tân Lập');
    const menu = await zsay(bot, ZLEAD, '/xuat', 'Trả lời');
    expect(menu.text).toContain(msg.exports.chat.menu('Đảng bộ xã Tân Lập'));
    const link = await zsay(bot, ZLEAD, '1', '/tep/');
    const url = /(http:\/\/\S+\/tep\/\S+)/.exec(link.text ?? '')?.[1];
    expect(url).toBeDefined();
    expect(url!.startsWith(bot.app.url)).toBe(true);
    const ok = await fetch(url!);
    expect(ok.status).toBe(200);
    const bytes = Buffer.from(await ok.arrayBuffer());
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(ok.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"]+\.xlsx"$/);

    const u = new URL(url!);
    const altered = [
      url!.replace(/s=([A-Za-z0-9_-])/, (_, c: string) => `s=${c === 'A' ? 'B' : 'A'}`),
      url!.replace(/p=\d+/, 'p=1'),
      url!.replace(/e=(\d+)/, (_, e: string) => `e=${Number(e) + 1000}`),
      `${u.origin}${u.pathname}`,
      url!.replace(/\/tep\/[A-Za-z0-9_-]{22}\//, '/tep/AAAAAAAAAAAAAAAAAAAAAA/'),
    ];
    for (const bad of altered) {
      const res = await fetch(bad);
      expect(res.status, bad).toBe(404);
      expect(await res.text()).toBe('Not found');
    }
    // The summary's chart goes out with sendPhoto from a signed link to a PNG.
    const waitPhoto = bot.zalo!.waitForBotMessage(ZLEAD.id, (x) => x.photo !== undefined);
    bot.zalo!.sendText(ZLEAD.id, '/tomtat');
    const photo = await waitPhoto;
    expect(photo.photo!.startsWith(`${bot.app.url}/tep/`)).toBe(true);
    expect(photo.caption).toContain('Đảng bộ xã Tân Lập');
    const png = await fetch(photo.photo!);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');

    clock.advance(24 * 3600 * 1000 + 1000);
    expect((await fetch(photo.photo!)).status).toBe(404);
    expect((await fetch(url!)).status).toBe(404);
  });
});
