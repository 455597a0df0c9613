/**
 * The Bot API emulator as a real telegraf bot and a test see it: real HTTP, Telegram's rules
 * and error bodies, redelivery, flood control, injected faults, command menus and webhooks.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from '@telegraf/types';
import { Markup, Telegram, TelegramError } from 'telegraf';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BotApiEmulator } from '../../src/sandbox/emulator.js';
import type { MessageFeed } from '../../src/sandbox/pageApi.js';
import { TEST_TOKEN } from '../support/app.js';
import { launchProbeBot, type ProbeBot, startEmulator } from '../support/emulator.js';

const ADMIN = { id: 101, first_name: 'Lan', last_name: 'Nguyễn', label: 'Quản trị' };
const SECRETARY = { id: 102, first_name: 'Minh', last_name: 'Trần', label: 'Bí thư Chi bộ Thôn 1' };
const STRANGER = { id: 103, first_name: 'Hùng' };

/** The error a telegraf call rejected with. */
async function apiError(call: Promise<unknown>): Promise<TelegramError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof TelegramError)) throw new Error(`expected a TelegramError, got ${String(err)}`);
  return err;
}

async function callRaw(
  apiRoot: string,
  method: string,
  params: Record<string, unknown>,
  signal?: AbortSignal,
) {
  const res = await fetch(`${apiRoot}/bot${TEST_TOKEN}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
    ...(signal ? { signal } : {}),
  });
  return {
    status: res.status,
    body: (await res.json()) as { ok: boolean; result?: unknown; description?: string },
  };
}

describe('a telegraf bot long polling the emulator', () => {
  let emulator: BotApiEmulator;
  let apiRoot: string;
  let testBot: ProbeBot;

  beforeAll(async () => {
    ({ emulator, apiRoot } = await startEmulator());
    emulator.addUser(ADMIN);
    emulator.addUser(SECRETARY);
    testBot = launchProbeBot(apiRoot, (bot) => {
      bot.command('menu', (ctx) =>
        ctx.reply('<b>Chọn</b> một việc:', {
          parse_mode: 'HTML',
          ...Markup.inlineKeyboard([[Markup.button.callback('Đồng ý', 'vote:yes')]]),
        }),
      );
      bot.action(/^vote:(.+)$/, async (ctx) => {
        await ctx.answerCbQuery('Đã ghi nhận');
        await ctx.editMessageText(`Đồng chí đã chọn: ${ctx.match[1]}`);
      });
      bot.command('export', (ctx) =>
        ctx.replyWithDocument(
          { source: Buffer.from('don_vi,so_dang_vien\nThôn 1,12\n'), filename: 'bao-cao.csv' },
          { caption: 'Báo cáo', ...Markup.inlineKeyboard([[Markup.button.callback('Gửi lại', 'again')]]) },
        ),
      );
      bot.on('document', async (ctx) => {
        const link = await ctx.telegram.getFileLink(ctx.message.document.file_id);
        const content = await (await fetch(link)).text();
        const rows = content.trim().split('\n').length - 1;
        await ctx.reply(`Đã nhận ${ctx.message.document.file_name}: ${rows} dòng.`);
      });
      bot.on('text', (ctx) => ctx.reply(`Nhắc lại: ${ctx.message.text}`));
    });
  });

  afterAll(async () => {
    await testBot.stop();
    await emulator.close();
  });

  afterEach(() => {
    expect(testBot.errors).toEqual([]);
  });

  it('delivers a message to the bot and shows its reply after it in the chat', async () => {
    const update = emulator.sendText(ADMIN.id, 'Xin chào\ndòng hai');
    const reply = await emulator.waitForBotMessage(ADMIN.id);
    expect(reply.text).toBe('Nhắc lại: Xin chào\ndòng hai');
    expect(reply.from_bot).toBe(true);
    const history = emulator.messages(ADMIN.id);
    expect(history.map((m) => [m.from_bot, m.text])).toEqual([
      [false, 'Xin chào\ndòng hai'],
      [true, 'Nhắc lại: Xin chào\ndòng hai'],
    ]);
    expect(history[0]?.message_id).toBe(update.message.message_id);
  });

  it('marks a leading command, renders HTML into entities, and edits the message when a button is pressed', async () => {
    const sent = emulator.sendText(SECRETARY.id, '/menu');
    expect(sent.message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 5 }]);
    const menu = await emulator.waitForBotMessage(SECRETARY.id);
    expect(menu.text).toBe('Chọn một việc:');
    expect(menu.entities).toEqual([{ type: 'bold', offset: 0, length: 4 }]);
    expect(menu.raw_text).toBe('<b>Chọn</b> một việc:');
    expect(menu.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Đồng ý', callback_data: 'vote:yes' }]] });

    emulator.pressButton(SECRETARY.id, SECRETARY.id, menu.message_id, 'vote:yes');
    const edited = await emulator.waitForBotMessage(SECRETARY.id, (m) => m.edited === true);
    expect(edited.message_id).toBe(menu.message_id);
    expect(edited.text).toBe('Đồng chí đã chọn: yes');
    // As in Telegram, editing the text without reply_markup drops the keyboard.
    expect(edited.reply_markup).toBeUndefined();
    expect(emulator.botMessages(SECRETARY.id)).toHaveLength(1);
    expect(emulator.toasts(SECRETARY.id).map((t) => t.text)).toEqual(['Đã ghi nhận']);
  });

  it('lets the bot download a document a person sent', async () => {
    emulator.sendDocument(ADMIN.id, {
      name: 'danh-sach.csv',
      content: Buffer.from('ten,chi_bo\nAn,Thôn 1\nBình,Thôn 2\n'),
    });
    const reply = await emulator.waitForBotMessage(ADMIN.id, (m) => m.text?.startsWith('Đã nhận') === true);
    expect(reply.text).toBe('Đã nhận danh-sach.csv: 2 dòng.');
  });

  it('keeps a document the bot uploads (multipart, with a keyboard) and serves it back by getFile', async () => {
    emulator.sendText(ADMIN.id, '/export');
    const doc = await emulator.waitForBotMessage(ADMIN.id, (m) => m.document !== undefined);
    expect(doc.document?.file_name).toBe('bao-cao.csv');
    expect(doc.document?.mime_type).toBe('text/csv');
    expect(doc.caption).toBe('Báo cáo');
    expect(doc.reply_markup).toMatchObject({
      inline_keyboard: [[{ text: 'Gửi lại', callback_data: 'again' }]],
    });
    const telegram = new Telegram(TEST_TOKEN, { apiRoot });
    const link = await telegram.getFileLink(doc.document!.file_id);
    expect(await (await fetch(link)).text()).toBe('don_vi,so_dang_vien\nThôn 1,12\n');
  });
});

describe('Bot API rules', () => {
  let emulator: BotApiEmulator;
  let apiRoot: string;
  let telegram: Telegram;
  let clock = 1_000_000;

  beforeAll(async () => {
    ({ emulator, apiRoot } = await startEmulator({ now: () => clock }));
    telegram = new Telegram(TEST_TOKEN, { apiRoot });
    for (const u of [ADMIN, SECRETARY, STRANGER]) emulator.addUser(u);
  });
  afterAll(() => emulator.close());

  afterEach(() => {
    emulator.reset();
    emulator.faults.setRateLimits(false);
  });

  it('gives unconfirmed updates again, and drops them once a later offset confirms them', async () => {
    emulator.sendText(ADMIN.id, 'một');
    emulator.sendText(ADMIN.id, 'hai');
    const first = await callRaw(apiRoot, 'getUpdates', { offset: 0 });
    const batch = first.body.result as Update.MessageUpdate[];
    expect(batch.map((u) => ('text' in u.message ? u.message.text : ''))).toEqual(['một', 'hai']);

    // A bot killed before asking again never confirmed the batch: it comes back whole.
    const again = await callRaw(apiRoot, 'getUpdates', { offset: 0 });
    expect((again.body.result as Update[]).map((u) => u.update_id)).toEqual(batch.map((u) => u.update_id));

    const next = batch[1]!.update_id + 1;
    const confirmed = await callRaw(apiRoot, 'getUpdates', { offset: next, timeout: 0 });
    expect(confirmed.body.result).toEqual([]);
    emulator.sendText(ADMIN.id, 'ba');
    const later = (await callRaw(apiRoot, 'getUpdates', { offset: next })).body
      .result as Update.MessageUpdate[];
    expect(later.map((u) => ('text' in u.message ? u.message.text : ''))).toEqual(['ba']);
    expect(later[0]!.update_id).toBeGreaterThanOrEqual(next);
  });

  it('answers a waiting long poll as soon as an update arrives, and ends it with 409 when another poll starts', async () => {
    const waiting = callRaw(apiRoot, 'getUpdates', { timeout: 20 });
    await expect.poll(() => emulator.stats.calls.getUpdates).toBe(1);
    emulator.sendText(SECRETARY.id, 'có ai không');
    const answered = await waiting;
    expect((answered.body.result as Update[]).length).toBe(1);

    const first = callRaw(apiRoot, 'getUpdates', {
      offset: (answered.body.result as Update[])[0]!.update_id + 1,
      timeout: 20,
    });
    await expect.poll(() => emulator.stats.calls.getUpdates).toBe(2);
    const second = callRaw(apiRoot, 'getUpdates', { timeout: 1 });
    const conflict = await first;
    expect(conflict.status).toBe(409);
    expect(conflict.body.description).toBe(
      'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    );
    expect((await second).status).toBe(200);
  });

  it('refuses what Telegram refuses, with its error texts', async () => {
    emulator.sendText(ADMIN.id, '/start');

    const tooLong = await apiError(telegram.sendMessage(ADMIN.id, 'a'.repeat(4097)));
    expect([tooLong.code, tooLong.description]).toEqual([400, 'Bad Request: message is too long']);
    await telegram.sendMessage(ADMIN.id, 'a'.repeat(4096));

    const empty = await apiError(telegram.sendMessage(ADMIN.id, ' '));
    expect(empty.description).toBe('Bad Request: message text is empty');

    const unclosed = await apiError(telegram.sendMessage(ADMIN.id, '<b>Báo cáo', { parse_mode: 'HTML' }));
    expect(unclosed.description).toBe(
      `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`,
    );
    // Offsets count UTF-8 bytes, as Telegram's do: "ò" takes two.
    const unsupported = await apiError(
      telegram.sendMessage(ADMIN.id, 'Dòng 1<br>Dòng 2', { parse_mode: 'HTML' }),
    );
    expect(unsupported.description).toBe(
      `Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 7`,
    );
    const crossed = await apiError(telegram.sendMessage(ADMIN.id, '<b><i>x</b></i>', { parse_mode: 'HTML' }));
    expect(crossed.description).toContain('Unmatched end tag');
    const markdown = await apiError(
      telegram.sendMessage(ADMIN.id, 'Hạn chót 31.3', { parse_mode: 'MarkdownV2' }),
    );
    expect(markdown.description).toContain(`Character '.' is reserved`);

    const data64 = 'x'.repeat(64);
    await telegram.sendMessage(
      ADMIN.id,
      'ok',
      Markup.inlineKeyboard([[Markup.button.callback('A', data64)]]),
    );
    const data65 = await apiError(
      telegram.sendMessage(
        ADMIN.id,
        'quá dài',
        Markup.inlineKeyboard([[Markup.button.callback('A', `${data64}x`)]]),
      ),
    );
    expect([data65.code, data65.description]).toEqual([400, 'Bad Request: BUTTON_DATA_INVALID']);

    const neverStarted = await apiError(telegram.sendMessage(STRANGER.id, 'Chào đồng chí'));
    expect([neverStarted.code, neverStarted.description]).toEqual([400, 'Bad Request: chat not found']);

    expect(emulator.botMessages(ADMIN.id).map((m) => m.text?.length)).toEqual([4096, 2]);
    expect(emulator.stats.errors).toBe(8);
    expect(emulator.stats.sent).toBe(2);
  });

  it('refuses half an emoji (a lone surrogate) in any text, caption or button label, in Telegram’s words', async () => {
    emulator.sendText(ADMIN.id, '/start');
    const half = '😀'.slice(0, 1); // what `slice` leaves of an emoji cut in two
    const bad = async (call: Promise<unknown>) => {
      const err = await apiError(call);
      return [err.code, err.description];
    };
    expect(await bad(telegram.sendMessage(ADMIN.id, `Chi bộ ${half}`))).toEqual([
      400,
      'Bad Request: strings must be encoded in UTF-8',
    ]);
    expect(
      await bad(telegram.sendMessage(ADMIN.id, `<b>Chi bộ</b> ${half}`, { parse_mode: 'HTML' })),
    ).toEqual([400, 'Bad Request: text must be encoded in UTF-8']);
    // Telegram decodes `&#55357;` to half a pair and refuses the parsed text, even with its other half.
    expect(await bad(telegram.sendMessage(ADMIN.id, 'Vui &#55357;&#56832;', { parse_mode: 'HTML' }))).toEqual(
      [
        400,
        "Bad Request: can't parse entities: Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units",
      ],
    );
    expect(
      await bad(
        telegram.sendMessage(
          ADMIN.id,
          'Chọn',
          Markup.inlineKeyboard([[Markup.button.callback(`Xem ${half}`, 'x')]]),
        ),
      ),
    ).toEqual([400, 'Bad Request: inline keyboard button text must be encoded in UTF-8']);
    expect(await bad(telegram.sendMessage(ADMIN.id, 'Chọn', Markup.keyboard([[`Có ${half}`]])))).toEqual([
      400,
      'Bad Request: keyboard button text must be encoded in UTF-8',
    ]);

    const upload = emulator.sendDocument(ADMIN.id, { name: 'mau.csv', content: Buffer.from('a;b') });
    const fileId = upload.message.document.file_id;
    // By file_id the call is JSON, which carries the half pair as `\ud83d`.
    const caption = await callRaw(apiRoot, 'sendDocument', {
      chat_id: ADMIN.id,
      document: fileId,
      caption: half,
    });
    expect([caption.status, caption.body.description]).toEqual([
      400,
      'Bad Request: strings must be encoded in UTF-8',
    ]);

    const sent = await telegram.sendMessage(ADMIN.id, 'Bản nháp');
    expect(await bad(telegram.editMessageText(ADMIN.id, sent.message_id, undefined, `Bản ${half}`))).toEqual([
      400,
      'Bad Request: strings must be encoded in UTF-8',
    ]);
    expect(emulator.botMessages(ADMIN.id).map((m) => m.text)).toEqual(['Bản nháp']);
    // A whole emoji is fine everywhere.
    await telegram.editMessageText(
      ADMIN.id,
      sent.message_id,
      undefined,
      'Bản 😀',
      Markup.inlineKeyboard([[Markup.button.callback('Xem 😀', 'x')]]),
    );
    expect(emulator.botMessages(ADMIN.id)[0]?.text).toBe('Bản 😀');
  });

  it('counts the 4,096-character limit after entities are parsed, and refuses a second answer to one button press', async () => {
    emulator.sendText(ADMIN.id, '/start');
    await telegram.sendMessage(ADMIN.id, `<b>${'a'.repeat(4_096)}</b>`, { parse_mode: 'HTML' });
    const long = await apiError(
      telegram.sendMessage(ADMIN.id, `<b>${'a'.repeat(4_096)}</b>&amp;`, { parse_mode: 'HTML' }),
    );
    expect([long.code, long.description]).toEqual([400, 'Bad Request: message is too long']);
    const [m] = emulator.botMessages(ADMIN.id);
    expect(m?.text).toHaveLength(4_096);

    const card = await telegram.sendMessage(
      ADMIN.id,
      'Xác nhận?',
      Markup.inlineKeyboard([[Markup.button.callback('Có', 'yes')]]),
    );
    const press = emulator.pressButton(ADMIN.id, ADMIN.id, card.message_id, 'yes');
    const queryId = press.callback_query.id;
    await telegram.answerCbQuery(queryId, 'Đã ghi nhận');
    const again = await apiError(telegram.answerCbQuery(queryId, 'Đã ghi nhận'));
    expect([again.code, again.description]).toEqual([
      400,
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    ]);
    expect(emulator.toasts(ADMIN.id).map((t) => t.text)).toEqual(['Đã ghi nhận']);

    // An edit that changes nothing, of the keyboard alone too.
    const same = await apiError(
      telegram.editMessageReplyMarkup(ADMIN.id, card.message_id, undefined, {
        inline_keyboard: [[{ text: 'Có', callback_data: 'yes' }]],
      }),
    );
    expect(same.description).toBe(
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
    // callback_data counts UTF-8 bytes: 21 letters of 3 bytes and one of 1 make 64; one more is 65.
    const vietnamese = `${'ệ'.repeat(21)}x`;
    await telegram.sendMessage(
      ADMIN.id,
      'ok',
      Markup.inlineKeyboard([[Markup.button.callback('A', vietnamese)]]),
    );
    const tooLong = await apiError(
      telegram.sendMessage(
        ADMIN.id,
        'ok',
        Markup.inlineKeyboard([[Markup.button.callback('A', `${vietnamese}y`)]]),
      ),
    );
    expect(tooLong.description).toBe('Bad Request: BUTTON_DATA_INVALID');
  });

  it('decodes HTML entities and keeps the allowed tags as entities', async () => {
    emulator.sendText(ADMIN.id, '/start');
    await telegram.sendMessage(
      ADMIN.id,
      '<b>Tổng</b>: 5 &lt; 7 &amp; <a href="https://example.org/?a=1&amp;b=2">xem</a> <tg-spoiler>ẩn</tg-spoiler>',
      { parse_mode: 'HTML' },
    );
    const [m] = emulator.botMessages(ADMIN.id);
    expect(m?.text).toBe('Tổng: 5 < 7 & xem ẩn');
    expect(m?.entities).toEqual([
      { type: 'bold', offset: 0, length: 4 },
      { type: 'text_link', offset: 14, length: 3, url: 'https://example.org/?a=1&b=2' },
      { type: 'spoiler', offset: 18, length: 2 },
    ]);
  });

  it('parses MarkdownV2 into the same entities', async () => {
    emulator.sendText(ADMIN.id, '/start');
    await telegram.sendMessage(ADMIN.id, '*Tổng* \\- _3_ chi bộ, [xem](https://example.org)', {
      parse_mode: 'MarkdownV2',
    });
    const [m] = emulator.botMessages(ADMIN.id);
    expect(m?.text).toBe('Tổng - 3 chi bộ, xem');
    expect(m?.entities).toEqual([
      { type: 'bold', offset: 0, length: 4 },
      { type: 'italic', offset: 7, length: 1 },
      { type: 'text_link', offset: 17, length: 3, url: 'https://example.org' },
    ]);
  });

  it('keeps photos the bot sends for the page to show, and resends a document by file_id', async () => {
    emulator.sendText(ADMIN.id, '/start');
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const photo = await telegram.sendPhoto(
      ADMIN.id,
      { source: png, filename: 'bieu-do.png' },
      { caption: 'Biểu đồ' },
    );
    const fileId = photo.photo[0]!.file_id;
    const served = await fetch(`${apiRoot}/sandbox/api/file/${encodeURIComponent(fileId)}`);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(png);

    const doc = await telegram.sendDocument(ADMIN.id, { source: Buffer.from('a;b'), filename: 'mau.csv' });
    await telegram.sendDocument(ADMIN.id, doc.document.file_id, { caption: 'Gửi lại' });
    const [, first, again] = emulator.botMessages(ADMIN.id);
    expect(again?.document).toEqual(first?.document);
    expect(again?.caption).toBe('Gửi lại');
    const missing = await apiError(telegram.sendDocument(ADMIN.id, 'khong-co-tep-nay'));
    expect(missing.description).toBe('Bad Request: wrong file identifier/HTTP URL specified');
  });

  it('answers 403 to a person who blocked the bot and tells the bot with my_chat_member', async () => {
    emulator.sendText(SECRETARY.id, '/start');
    emulator.blockBot(SECRETARY.id);
    const blocked = await apiError(telegram.sendMessage(SECRETARY.id, 'Nhắc việc'));
    expect([blocked.code, blocked.description]).toEqual([403, 'Forbidden: bot was blocked by the user']);
    const updates = (await callRaw(apiRoot, 'getUpdates', {})).body.result as Update[];
    const membership = updates.find((u): u is Update.MyChatMemberUpdate => 'my_chat_member' in u);
    expect(membership?.my_chat_member.new_chat_member.status).toBe('kicked');

    emulator.unblockBot(SECRETARY.id);
    await telegram.sendMessage(SECRETARY.id, 'Nhắc việc');
    expect(emulator.botMessages(SECRETARY.id).map((m) => m.text)).toEqual(['Nhắc việc']);
  });

  it('sends an edit as edited_message (to a bot that asks for it), a sticker, and block updates it returns', async () => {
    const written = emulator.sendText(ADMIN.id, '/sinhhoat 09/2025');
    const edit = emulator.editText(ADMIN.id, ADMIN.id, written.message.message_id, '/sinhhoat 10/2025');
    expect(edit.edited_message).toMatchObject({
      message_id: written.message.message_id,
      text: '/sinhhoat 10/2025',
    });
    expect(emulator.messages(ADMIN.id)[0]?.text).toBe('/sinhhoat 10/2025');
    expect(() => emulator.editText(SECRETARY.id, ADMIN.id, written.message.message_id, 'x')).toThrow();
    const sticker = emulator.sendSticker(ADMIN.id, { emoji: '👍' });
    expect(sticker.message.sticker.emoji).toBe('👍');
    const blocked = emulator.blockBot(ADMIN.id);
    expect(blocked?.my_chat_member.new_chat_member.status).toBe('kicked');
    expect(emulator.blockBot(ADMIN.id)).toBeUndefined();

    // A bot that asks only for messages never sees the edit, as on Telegram.
    const onlyMessages = (await callRaw(apiRoot, 'getUpdates', { allowed_updates: ['message'] })).body
      .result as Update[];
    expect(onlyMessages.map((u) => u.update_id)).toEqual([written.update_id, sticker.update_id]);
    const all = (await callRaw(apiRoot, 'getUpdates', { allowed_updates: [] })).body.result as Update[];
    expect(all.map((u) => u.update_id)).toEqual([
      written.update_id,
      edit.update_id,
      sticker.update_id,
      blocked?.update_id,
    ]);
  });

  it('keeps Telegram’s description of each refused call in the call log', async () => {
    emulator.sendText(ADMIN.id, '/start');
    await apiError(telegram.sendMessage(ADMIN.id, 'x'.repeat(4_097)));
    await telegram.sendMessage(ADMIN.id, 'Được');
    expect(emulator.callLog().map((c) => [c.method, c.status, c.description])).toEqual([
      ['sendMessage', 400, 'Bad Request: message is too long'],
      ['sendMessage', 200, undefined],
    ]);
  });

  it('applies flood control per chat and overall, with retry_after, counting only sends that went through', async () => {
    emulator.faults.setRateLimits({ globalPerSecond: 30, perChatPerSecond: 1, groupPerMinute: 20 });
    emulator.sendText(ADMIN.id, '/start');
    await telegram.sendMessage(ADMIN.id, 'một');
    const throttled = await apiError(telegram.sendMessage(ADMIN.id, 'hai'));
    expect(throttled.code).toBe(429);
    expect(throttled.description).toBe('Too Many Requests: retry after 1');
    expect(throttled.parameters?.retry_after).toBe(1);

    clock += 1000;
    await telegram.sendMessage(ADMIN.id, 'hai');

    // A broadcast to 40 chats within one second: 30 go out, 10 are told to wait.
    clock += 1000;
    const people = Array.from({ length: 40 }, (_, i) => ({ id: 5000 + i, first_name: `Đảng viên ${i}` }));
    for (const p of people) {
      emulator.addUser(p);
      emulator.sendText(p.id, '/start');
    }
    const results = await Promise.allSettled(people.map((p) => telegram.sendMessage(p.id, 'Thông báo')));
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(results.length - rejected.length).toBe(30);
    expect(rejected.every((r) => r.reason instanceof TelegramError && r.reason.code === 429)).toBe(true);
    expect(emulator.stats.throttled429).toBe(11);
    expect(emulator.stats.sent).toBe(32);
  });

  it('limits a group to 20 messages a minute and says how long to wait', async () => {
    emulator.faults.setRateLimits({ globalPerSecond: 1000, perChatPerSecond: 1000, groupPerMinute: 20 });
    emulator.addGroup({ id: -100200, title: 'Chi ủy', memberIds: [ADMIN.id] });
    for (let i = 0; i < 20; i++) {
      await telegram.sendMessage(-100200, `Tin ${i}`);
      clock += 100;
    }
    const throttled = await apiError(telegram.sendMessage(-100200, 'Tin 21'));
    // The first of the 20 left the window 60 s after it was sent; 2 s of that have passed.
    expect(throttled.parameters?.retry_after).toBe(58);
    clock += 58_000;
    await telegram.sendMessage(-100200, 'Tin 21');
    expect(emulator.botMessages(-100200)).toHaveLength(21);
  });

  it('injects 5xx answers and hangs for the next sends to one chat', async () => {
    emulator.sendText(ADMIN.id, '/start');
    emulator.faults.failNext(ADMIN.id, 2, 502);
    expect((await apiError(telegram.sendMessage(ADMIN.id, 'a'))).code).toBe(502);
    expect((await apiError(telegram.sendMessage(ADMIN.id, 'b'))).code).toBe(502);
    await telegram.sendMessage(ADMIN.id, 'c');
    expect(emulator.botMessages(ADMIN.id).map((m) => m.text)).toEqual(['c']);

    // A client that gives up during a hang: the send is dropped, nothing is delivered.
    emulator.faults.hangNext(ADMIN.id, 1, 10_000);
    const gaveUp = await callRaw(
      apiRoot,
      'sendMessage',
      { chat_id: ADMIN.id, text: 'treo' },
      AbortSignal.timeout(200),
    ).then(
      () => 'answered',
      (err: Error) => err.name,
    );
    expect(gaveUp).toBe('TimeoutError');
    await expect
      .poll(() => emulator.callLog().some((c) => c.method === 'sendMessage' && c.status === 0))
      .toBe(true);

    // A client that waits it out gets its message delivered.
    emulator.faults.hangNext(ADMIN.id, 1, 300);
    await telegram.sendMessage(ADMIN.id, 'chậm');
    expect(emulator.botMessages(ADMIN.id).map((m) => m.text)).toEqual(['c', 'chậm']);
  });

  it('edits, refuses an edit that changes nothing, and deletes', async () => {
    emulator.sendText(ADMIN.id, '/start');
    const sent = await telegram.sendMessage(
      ADMIN.id,
      'Bản nháp',
      Markup.inlineKeyboard([[Markup.button.callback('Gửi', 'send')]]),
    );
    const same = await apiError(
      telegram.editMessageText(
        ADMIN.id,
        sent.message_id,
        undefined,
        'Bản nháp',
        Markup.inlineKeyboard([[Markup.button.callback('Gửi', 'send')]]),
      ),
    );
    expect(same.description).toContain('message is not modified');
    await telegram.editMessageReplyMarkup(ADMIN.id, sent.message_id, undefined, undefined);
    expect(emulator.botMessages(ADMIN.id)[0]?.reply_markup).toBeUndefined();
    await telegram.deleteMessage(ADMIN.id, sent.message_id);
    expect(emulator.botMessages(ADMIN.id)).toEqual([]);
    const gone = await apiError(telegram.deleteMessage(ADMIN.id, sent.message_id));
    expect(gone.description).toBe('Bad Request: message to delete not found');
  });

  it('reads form-encoded calls and answers 404 to an unknown method', async () => {
    emulator.sendText(ADMIN.id, '/start');
    const form = await fetch(`${apiRoot}/bot${TEST_TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        chat_id: String(ADMIN.id),
        text: 'Từ biểu mẫu',
        reply_markup: JSON.stringify({ keyboard: [['Có', 'Không']], one_time_keyboard: true }),
      }),
    });
    expect(form.status).toBe(200);
    expect(emulator.botMessages(ADMIN.id)[0]?.reply_markup).toEqual({
      keyboard: [[{ text: 'Có' }, { text: 'Không' }]],
      one_time_keyboard: true,
    });
    const unknown = await callRaw(apiRoot, 'sendSticker', { chat_id: ADMIN.id });
    expect(unknown).toEqual({ status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
  });

  it('keeps command menus per scope and resolves a person’s menu from chat scope to default', async () => {
    emulator.sendText(ADMIN.id, '/start');
    await telegram.setMyCommands([{ command: 'start', description: 'Bắt đầu' }]);
    await telegram.setMyCommands([{ command: 'baocao', description: 'Báo cáo' }], {
      scope: { type: 'all_private_chats' },
    });
    await telegram.setMyCommands(
      [
        { command: 'baocao', description: 'Báo cáo' },
        { command: 'quantri', description: 'Quản trị' },
      ],
      { scope: { type: 'chat', chat_id: ADMIN.id } },
    );
    expect(emulator.menuFor(ADMIN.id).map((c) => c.command)).toEqual(['baocao', 'quantri']);
    expect(emulator.menuFor(SECRETARY.id).map((c) => c.command)).toEqual(['baocao']);
    expect(await telegram.getMyCommands({ scope: { type: 'default' } })).toEqual([
      { command: 'start', description: 'Bắt đầu' },
    ]);

    await telegram.deleteMyCommands({ scope: { type: 'all_private_chats' } });
    expect(emulator.menuFor(SECRETARY.id).map((c) => c.command)).toEqual(['start']);

    const notStarted = await apiError(
      telegram.setMyCommands([{ command: 'x', description: 'y' }], {
        scope: { type: 'chat', chat_id: STRANGER.id },
      }),
    );
    expect(notStarted.description).toBe('Bad Request: chat not found');
    const bad = await apiError(telegram.setMyCommands([{ command: 'Báo-cáo', description: 'y' }]));
    expect(bad.description).toBe('Bad Request: BOT_COMMAND_INVALID');
  });

  it('clears chats, updates and stats on reset but keeps people', async () => {
    emulator.sendText(ADMIN.id, '/start');
    await telegram.sendMessage(ADMIN.id, 'trước khi xoá');
    emulator.reset();
    expect(emulator.messages(ADMIN.id)).toEqual([]);
    expect(emulator.stats).toEqual({ calls: {}, sent: 0, throttled429: 0, errors: 0 });
    expect(emulator.users().map((u) => u.id)).toContain(ADMIN.id);
    expect((await callRaw(apiRoot, 'getUpdates', {})).body.result).toEqual([]);
    // The chat was forgotten too: the person has to write again before the bot may.
    expect((await apiError(telegram.sendMessage(ADMIN.id, 'sau'))).description).toBe(
      'Bad Request: chat not found',
    );
  });

  it('feeds the page every change under a growing seq, long-polling when there is none', async () => {
    const feed = async (query: string) =>
      (await (
        await fetch(`${apiRoot}/sandbox/api/messages?chatId=${ADMIN.id}&${query}`)
      ).json()) as MessageFeed;
    const send = await fetch(`${apiRoot}/sandbox/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: ADMIN.id, text: '/start' }),
    });
    expect(send.status).toBe(200);
    const sent = await telegram.sendMessage(ADMIN.id, 'Bản nháp');
    const all = await feed('after=0');
    expect(all.messages.map((m) => [m.from_bot, m.text])).toEqual([
      [false, '/start'],
      [true, 'Bản nháp'],
    ]);

    await telegram.editMessageText(ADMIN.id, sent.message_id, undefined, 'Bản chính thức');
    const edit = await feed(`after=${all.seq}`);
    expect(edit.messages.map((m) => [m.message_id, m.text, m.edited])).toEqual([
      [sent.message_id, 'Bản chính thức', true],
    ]);
    expect(edit.seq).toBeGreaterThan(all.seq);

    await telegram.deleteMessage(ADMIN.id, sent.message_id);
    const deletion = await feed(`after=${edit.seq}`);
    expect([deletion.messages, deletion.deleted]).toEqual([[], [sent.message_id]]);

    const waiting = feed(`after=${deletion.seq}`);
    emulator.sendText(ADMIN.id, 'có tin mới');
    expect((await waiting).messages.map((m) => m.text)).toEqual(['có tin mới']);

    emulator.reset();
    expect((await feed(`after=${deletion.seq}&wait=0`)).reset).toBe(true);
    const unknown = await fetch(`${apiRoot}/sandbox/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 999, text: 'ai đây' }),
    });
    expect(unknown.status).toBe(400);
  });

  it('takes page posts as JSON from the page’s own origin only, and never from a web page on the Bot API', async () => {
    const host = new URL(apiRoot).host;
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${apiRoot}/sandbox/api/send`, { method: 'POST', headers, body });
    const json = JSON.stringify({ userId: ADMIN.id, text: 'xin chào' });

    // What a cross-site form or a no-preflight fetch can send is refused whatever it holds.
    const form = await post(
      { 'content-type': 'application/x-www-form-urlencoded' },
      `userId=${ADMIN.id}&text=x`,
    );
    expect(form.status).toBe(415);
    expect(await form.json()).toEqual({ ok: false, error: 'Chỉ nhận nội dung application/json.' });
    expect((await post({ 'content-type': 'text/plain' }, json)).status).toBe(415);
    const multipart = new FormData();
    multipart.append('userId', String(ADMIN.id));
    multipart.append('file', new Blob(['<svg onload="alert(1)"/>']), 'x.svg');
    expect((await fetch(`${apiRoot}/sandbox/api/upload`, { method: 'POST', body: multipart })).status).toBe(
      415,
    );

    // A browser names its origin: only the page's own is let through.
    const foreign = await post(
      { 'content-type': 'application/json', origin: 'http://attacker.example' },
      json,
    );
    expect(foreign.status).toBe(403);
    expect((await post({ 'content-type': 'application/json', origin: 'null' }, json)).status).toBe(403);
    const crossSite = await post(
      { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      json,
    );
    expect(crossSite.status).toBe(403);
    expect(emulator.messages(ADMIN.id)).toEqual([]);
    const own = await post(
      { 'content-type': 'application/json', origin: `http://${host}`, 'sec-fetch-site': 'same-origin' },
      json,
    );
    expect(own.status).toBe(200);
    // A script or test without browser headers is no web page.
    expect((await post({ 'content-type': 'application/json; charset=utf-8' }, json)).status).toBe(200);
    expect(emulator.messages(ADMIN.id).map((m) => m.text)).toEqual(['xin chào', 'xin chào']);

    // A page could post a plain form to the Bot API and read or confirm the bot's updates.
    const asBot = await fetch(`${apiRoot}/bot${TEST_TOKEN}/getUpdates`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://attacker.example' },
      body: 'offset=999',
    });
    expect([asBot.status, ((await asBot.json()) as { description: string }).description]).toEqual([
      403,
      'Forbidden: the sandbox Bot API does not take calls from web pages',
    ]);
    const updates = (await callRaw(apiRoot, 'getUpdates', { timeout: 0 })).body.result as Update[];
    expect(updates).toHaveLength(2);
  });

  it('uploads files as JSON, and serves every file as a download the browser will not render', async () => {
    emulator.sendText(ADMIN.id, '/start');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>';
    const upload = await fetch(`${apiRoot}/sandbox/api/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        userId: ADMIN.id,
        caption: 'Ảnh',
        file: { name: 'anh.svg', mime: 'image/svg+xml', base64: Buffer.from(svg).toString('base64') },
      }),
    });
    expect(upload.status).toBe(200);
    const doc = emulator.messages(ADMIN.id).at(-1)?.document;
    expect(doc?.file_name).toBe('anh.svg');
    const file = await telegram.getFile(doc!.file_id);
    for (const url of [
      `${apiRoot}/sandbox/api/file/${encodeURIComponent(doc!.file_id)}`,
      `${apiRoot}/file/bot${TEST_TOKEN}/${file.file_path}`,
    ]) {
      const served = await fetch(url);
      expect(served.status).toBe(200);
      expect(await served.text()).toBe(svg);
      expect(served.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''anh.svg");
      expect(served.headers.get('x-content-type-options')).toBe('nosniff');
      expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    }
    const bad = await fetch(`${apiRoot}/sandbox/api/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: ADMIN.id, file: { name: 'x.csv', base64: 'không phải base64' } }),
    });
    expect(bad.status).toBe(400);
  });

  it('says which messages it saw when waitForBotMessage times out', async () => {
    emulator.sendText(ADMIN.id, 'có ai trả lời không');
    await expect(emulator.waitForBotMessage(ADMIN.id, undefined, { timeoutMs: 50 })).rejects.toThrow(
      /#1 user 101: có ai trả lời không/,
    );
  });
});

describe('webhook delivery', () => {
  let emulator: BotApiEmulator;
  let apiRoot: string;
  let telegram: Telegram;
  let hook: http.Server;
  let hookUrl: string;
  const received: { secret: string | undefined; update: Update }[] = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    ({ emulator, apiRoot } = await startEmulator());
    emulator.addUser(ADMIN);
    telegram = new Telegram(TEST_TOKEN, { apiRoot });
    hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        if (failuresLeft > 0) {
          failuresLeft--;
          res.writeHead(500);
          res.end();
          return;
        }
        const update = JSON.parse(body) as Update;
        received.push({
          secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined,
          update,
        });
        // Telegram lets a webhook answer with one method call.
        const reply =
          'message' in update
            ? { method: 'sendMessage', chat_id: update.message.chat.id, text: 'Đã nhận qua webhook' }
            : {};
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/telegram`;
  });

  afterAll(async () => {
    await emulator.close();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  it('posts updates with the secret token, retries until 2xx, and runs a method the webhook answers with', async () => {
    failuresLeft = 2;
    await telegram.setWebhook(hookUrl, { secret_token: 'bi-mat_123' });
    const update = emulator.sendText(ADMIN.id, 'chào');
    const reply = await emulator.waitForBotMessage(ADMIN.id);
    expect(reply.text).toBe('Đã nhận qua webhook');
    expect(received).toEqual([{ secret: 'bi-mat_123', update: JSON.parse(JSON.stringify(update)) }]);
    expect(failuresLeft).toBe(0);
    const info = await telegram.getWebhookInfo();
    expect(info.url).toBe(hookUrl);
    expect(info.pending_update_count).toBe(0);
    expect(info.last_error_message).toContain('500');
  });

  it('delivers to loopback addresses only, so the sandbox cannot be made to call into a network', async () => {
    for (const target of [
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.5:8080/telegram',
      'https://bot.example.vn/telegram',
      'http://127.0.0.1.attacker.example/telegram',
      'http://[::ffff:a00:5]/telegram',
    ]) {
      const refused = await callRaw(apiRoot, 'setWebhook', { url: target });
      expect([refused.status, refused.body.description], target).toEqual([
        400,
        'Bad Request: bad webhook: Webhook can be set up only on loopback addresses (127.0.0.0/8, ::1, localhost) in the sandbox',
      ]);
    }
    expect((await telegram.getWebhookInfo()).url).toBe(hookUrl);
    for (const target of [
      'http://localhost:9/x',
      'http://127.8.9.10:9/x',
      'http://[::1]:9/x',
      'http://2130706433:9/x',
    ]) {
      expect((await callRaw(apiRoot, 'setWebhook', { url: target })).status, target).toBe(200);
    }
    await telegram.setWebhook(hookUrl);
  });

  it('refuses getUpdates while a webhook is set, and queues again after deleteWebhook', async () => {
    const conflict = await callRaw(apiRoot, 'getUpdates', {});
    expect(conflict.status).toBe(409);
    await telegram.deleteWebhook();
    emulator.sendText(ADMIN.id, 'sau webhook');
    const polled = (await callRaw(apiRoot, 'getUpdates', {})).body.result as Update.MessageUpdate[];
    expect(polled.map((u) => ('text' in u.message ? u.message.text : ''))).toEqual(['sau webhook']);
  });
});
