/**
 * Directives as admins, secretaries and leaders see them: the real bot and its workers through
 * the Bot API emulator, on a fresh Redis database per describe. Nothing here measures time; each
 * wait is for something a person would see (or for the queues to empty).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../../src/app.js';
import { directiveCli } from '../../src/cli/directive.js';
import { parseConfig } from '../../src/config.js';
import { systemClock } from '../../src/infra/clock.js';
import { createLogger } from '../../src/logger.js';
import { msg } from '../../src/messages/index.js';
import { DeliveryStore } from '../../src/outbox/deliveries.js';
import { createOutboxQueue, QUEUE_PREFIX, queueConnectionOptions } from '../../src/outbox/outbox.js';
import type { EmuMessage } from '../../src/sandbox/chatStore.js';
import { BotApiEmulator } from '../../src/sandbox/emulator.js';
import { DIRECTIVE_QUEUE, directiveJobId } from '../../src/services/directives/index.js';
import type { Services } from '../../src/services/index.js';
import { Organisation } from '../../src/services/organisation.js';
import { readAudit } from '../../src/store/audit.js';
import { InviteStore } from '../../src/store/invites.js';
import { PeopleStore } from '../../src/store/people.js';
import { UnitStore } from '../../src/store/units.js';
import { type BotProcess, spawnBot, startTestBot, TEST_TOKEN, type TestBot } from '../support/app.js';
import { buttonOf, buttonsOf, type Chat, hasText, press, say } from '../support/chat.js';
import { freshRedisUrl } from '../support/redis.js';

const m = msg.directives;
const ADMIN = { id: 900, first_name: 'Văn phòng', last_name: 'Đảng ủy' };

const isDirective = (x: EmuMessage) => buttonsOf(x).some((b) => b.text.startsWith(m.buttonAck));

/** The bot's messages to `userId` that carry a «Đã nhận» button (not yet acknowledged). */
const directivesTo = (bot: Chat, userId: number) => bot.emulator.botMessages(userId).filter(isDirective);

async function until(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 40_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves once message `id` in the chat reads as `pred` says (already, or after an edit). */
function messageWhen(
  bot: Chat,
  chatId: number,
  id: number,
  pred: (text: string) => boolean,
  timeoutMs = 40_000,
) {
  return bot.emulator.waitForBotMessage(chatId, (x) => x.message_id === id && pred(x.text ?? ''), {
    since: id - 1,
    timeoutMs,
  });
}

/**
 * A commune with `n` branches (CB001…) under the root, one secretary each (ids from
 * `firstId`), every secretary having written to the bot once so the bot may write back.
 */
async function seedBranches(bot: TestBot, n: number, firstId: number): Promise<number[]> {
  const s = bot.app.services;
  const pad = (i: number) => String(i).padStart(3, '0');
  const csv = [
    'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
    'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,900',
    ...Array.from({ length: n }, (_, i) => `CB${pad(i + 1)},Chi bộ Thôn ${pad(i + 1)},Chi bộ,Thôn,XA,10`),
  ].join('\n');
  const imported = await s.org.importUnitsCsv('cli', csv);
  expect(imported.ok).toBe(true);
  const ids = Array.from({ length: n }, (_, i) => firstId + i);
  for (let i = 0; i < ids.length; i += 100) {
    await Promise.all(
      ids
        .slice(i, i + 100)
        .map((id, k) =>
          s.org.people.grantRole(
            id,
            { kind: 'secretary', unit: `CB${pad(i + k + 1)}` },
            'test',
            s.clock.now(),
          ),
        ),
    );
  }
  bot.emulator.addUser(ADMIN);
  for (const [i, id] of ids.entries()) {
    bot.emulator.addUser({ id, first_name: 'Bí thư', last_name: `Thôn ${pad(i + 1)}` });
    bot.emulator.sendText(id, '/start');
  }
  // Once the bot has answered everyone (keeping their names), no later update of theirs can
  // clear an unreachable mark the test is about to cause.
  await until('the bot to answer everyone', () => ids.every((id) => bot.emulator.botMessages(id).length > 0));
  return ids;
}

/** The admin composes through /thongbao up to the preview; returns the preview and the confirm message. */
async function compose(
  bot: Chat,
  opts: {
    title: string;
    number?: string;
    issued?: string;
    issuer?: string;
    text: string;
    audience: string;
    file?: { name: string; content: Buffer };
  },
): Promise<{ preview: EmuMessage; confirm: EmuMessage }> {
  const a = ADMIN.id;
  await say(bot, a, '/thongbao', 'Bước 1/9');
  const step2 = await say(bot, a, opts.title, 'Bước 2/9');
  const step3 = opts.number
    ? await say(bot, a, opts.number, 'Bước 3/9')
    : await press(bot, a, step2, m.dialog.buttonNoNumber, 'Bước 3/9');
  expect(step3.text).toContain('Bước 3/9');
  const issuedStep = opts.issued
    ? await say(bot, a, opts.issued, 'Bước 4/9')
    : await press(bot, a, step3, m.dialog.buttonIssuedToday, 'Bước 4/9');
  const textStep = opts.issuer
    ? await say(bot, a, opts.issuer, 'Bước 5/9')
    : await press(bot, a, issuedStep, m.dialog.buttonNoIssuer, 'Bước 5/9');
  expect(textStep.text).toContain('Bước 5/9');
  const step4 = await say(bot, a, opts.text, 'Bước 6/9');
  let step5: EmuMessage;
  if (opts.file) {
    const waiting = bot.emulator.waitForBotMessage(a, hasText('Bước 7/9'));
    bot.emulator.sendDocument(a, { name: opts.file.name, content: opts.file.content });
    step5 = await waiting;
    expect(step5.text).toContain(`Đã nhận tệp «${opts.file.name}»`);
  } else {
    step5 = await press(bot, a, step4, m.dialog.buttonNoFile, 'Bước 7/9');
  }
  const step6 = await press(bot, a, step5, opts.audience, 'Bước 8/9');
  const step7 = await press(bot, a, step6, m.dialog.buttonNoDeadline, 'Bước 9/9');
  const confirm = await press(bot, a, step7, m.dialog.buttonHours(24), 'Bấm «Xác nhận và gửi»');
  const preview = bot.emulator
    .botMessages(a)
    .filter((x) => x.message_id < confirm.message_id && hasText('Kính gửi:')(x))
    .at(-1);
  if (!preview) throw new Error('no preview');
  return { preview, confirm };
}

/** Confirms; resolves with the confirm message once it has become the status message. */
async function confirmSend(bot: Chat, confirm: EmuMessage): Promise<{ id: string; status: EmuMessage }> {
  const waiting = messageWhen(bot, ADMIN.id, confirm.message_id, (t) =>
    t.includes('Tình trạng thông báo mã'),
  );
  bot.emulator.pressButton(
    ADMIN.id,
    ADMIN.id,
    confirm.message_id,
    buttonOf(confirm, m.dialog.buttonConfirm).data,
  );
  const status = await waiting;
  const id = /Tình trạng thông báo mã (\d+)/.exec(status.text ?? '')?.[1];
  if (!id) throw new Error(`no directive id in ${status.text}`);
  return { id, status };
}

async function cli(
  services: Services,
  args: string[],
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await directiveCli.run(args, { services, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

async function textFile(content: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'directive-'));
  const file = path.join(dir, 'noi-dung.txt');
  await writeFile(file, content, 'utf8');
  return file;
}

/** Waits until the outbox has nothing left to send (waiting, delayed or in hand). */
async function outboxIdle(services: Services): Promise<void> {
  const queue = createOutboxQueue(services.config.redisUrl ?? '');
  try {
    await until('the outbox to empty', async () => {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(c).every((n) => n === 0);
    });
  } finally {
    await queue.close();
  }
}

describe('a directive to 500 branch secretaries, 20 of whom blocked the bot', () => {
  let bot: TestBot;
  let ids: number[];
  let blocked: Set<number>;
  let directiveId: string;
  let statusMessageId: number;

  beforeAll(async () => {
    bot = await startTestBot({
      env: { ADMIN_IDS: String(ADMIN.id), OUTBOX_RATE: '1000', SEND_BUDGET: '1000' },
    });
    ids = await seedBranches(bot, 500, 10_001);
    blocked = new Set(ids.filter((_, i) => i % 25 === 7));
    for (const id of blocked) bot.emulator.blockBot(id);
  }, 60_000);
  afterAll(() => bot.stop());

  it('previews exactly what recipients get, sends nothing before «Xác nhận», then reports 480/500 delivered', async () => {
    const { preview, confirm } = await compose(bot, {
      title: 'Kế hoạch tổ chức đại hội chi bộ nhiệm kỳ 2025 – 2027',
      number: '74-KH/ĐU',
      issued: '12/07/2022',
      issuer: 'Đảng ủy phường Việt Hưng',
      text: 'Đề nghị các chi bộ xây dựng kế hoạch đại hội, gửi về Văn phòng Đảng ủy.',
      audience: m.dialog.buttonAllSecretaries,
    });
    expect(confirm.text).toContain('đến bí thư tất cả các chi bộ: 500 đồng chí');
    expect(preview.text?.split('\n')[0]).toBe('Kính gửi: Đồng chí Bí thư Chi bộ Thôn 001');
    expect(buttonsOf(preview).map((b) => b.text)).toEqual([m.buttonAck]);
    // Nothing went out before the admin confirmed.
    expect(ids.every((id) => directivesTo(bot, id).length === 0)).toBe(true);

    const sent = await confirmSend(bot, confirm);
    directiveId = sent.id;
    statusMessageId = sent.status.message_id;
    expect(buttonsOf(sent.status).map((b) => b.text)).toEqual([m.admin.buttonStop]);

    const status = await messageWhen(
      bot,
      ADMIN.id,
      statusMessageId,
      (t) => t.includes('Đã gửi đến: 480/500') && t.includes('chặn bot): 20') && !t.includes('Đang chờ gửi'),
    );
    expect(status.text).toContain('Đã xác nhận: 0/500 (0%)');
    expect(status.text).toContain('Chưa xác nhận: 500');

    for (const id of ids) {
      const got = directivesTo(bot, id);
      expect(got.length, `messages with «Đã nhận» to ${id}`).toBe(blocked.has(id) ? 0 : 1);
    }
    // The recipient's copy is the preview, addressed to their own branch.
    const first = directivesTo(bot, ids[0]!)[0]!;
    expect(first.text).toBe(preview.text);
    const tenth = directivesTo(bot, ids[9]!)[0]!;
    expect(tenth.text?.split('\n')[0]).toBe('Kính gửi: Đồng chí Bí thư Chi bộ Thôn 010');
    // The header in party style: kind from the number, the issue date, the issuer.
    expect(tenth.text).toContain('Kế hoạch số 74-KH/ĐU, ngày 12/7/2022 của Đảng ủy phường Việt Hưng');

    const r = await cli(bot.app.services, ['status', directiveId]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('delivered 480/500 (đã gửi đến)');
    expect(r.out).toContain('acknowledged 0/500 (đã xác nhận)');
    expect(r.out).toContain('unreachable 20 (không liên lạc được)');
    expect(r.out.filter((l) => l.includes('Chi bộ Thôn 008'))).toHaveLength(2);
  });

  it('records an acknowledgement once, with its time, and shows it to the admin', async () => {
    const user = ids[0]!;
    const message = directivesTo(bot, user)[0]!;
    const edited = messageWhen(bot, user, message.message_id, () =>
      buttonsOf(bot.emulator.botMessages(user).find((x) => x.message_id === message.message_id)).some((b) =>
        b.text.startsWith('✓ Đã xác nhận lúc'),
      ),
    );
    bot.emulator.pressButton(user, user, message.message_id, buttonOf(message, m.buttonAck).data);
    await edited;
    await until('the toast', () => bot.emulator.toasts(user).length === 1);
    expect(bot.emulator.toasts(user)[0]?.text).toMatch(
      /^Đã ghi nhận: đồng chí đã nhận văn bản lúc \d\d:\d\d \d\d\/\d\d\/\d{4}\.$/,
    );

    // A second press keeps the first time.
    const again = bot.emulator.botMessages(user).find((x) => x.message_id === message.message_id)!;
    bot.emulator.pressButton(user, user, again.message_id, buttonsOf(again)[0]!.data);
    await until('the second toast', () => bot.emulator.toasts(user).length === 2);
    expect(bot.emulator.toasts(user)[1]?.text).toContain('Đồng chí đã xác nhận đã nhận văn bản này lúc');

    const status = await messageWhen(bot, ADMIN.id, statusMessageId, (t) => t.includes('Đã xác nhận: 1/500'));
    expect(status.text).toMatch(/– Chi bộ Thôn 001 \(đ\/c Bí thư Thôn 001\): \d\d:\d\d \d\d\/\d\d\/\d{4}/);
    expect(status.text).toContain('Chưa xác nhận: 499');

    const list = await say(bot, ADMIN.id, '/thongbao_tinhtrang', 'Các thông báo gần đây');
    expect(list.text).toContain(`${directiveId}. Kế hoạch tổ chức đại hội chi bộ nhiệm kỳ 2025 – 2027`);
    expect(list.text).toContain('đã gửi 480/500 · xác nhận 1/500');
    const full = await say(bot, ADMIN.id, `/thongbao_tinhtrang ${directiveId}`, 'Tình trạng thông báo mã');
    expect(full.text).toContain('Đã xác nhận: 1/500 (0,2%)');
  });

  it("lists a secretary's directives in /vanban, with «Đã nhận» until they acknowledge", async () => {
    const user = ids[1]!;
    const list = await say(bot, user, '/vanban', 'Văn bản gửi đồng chí gần đây');
    expect(list.text).toContain('1. Kế hoạch tổ chức đại hội chi bộ nhiệm kỳ 2025 – 2027 · Số 74-KH/ĐU');
    expect(list.text).toContain('chưa xác nhận');
    const redrawn = messageWhen(bot, user, list.message_id, (t) => t.includes('đã xác nhận lúc'));
    bot.emulator.pressButton(user, user, list.message_id, buttonOf(list, `${m.buttonAck}: `).data);
    const after = await redrawn;
    expect(buttonsOf(after).map((b) => b.text)).toEqual(['Xem văn bản 1']);
    await messageWhen(bot, ADMIN.id, statusMessageId, (t) => t.includes('Đã xác nhận: 2/500'));
  });

  it('refuses acknowledgements from people it was not sent to, and /thongbao from secretaries', async () => {
    const a = ADMIN.id;
    const anyMessage = bot.emulator.botMessages(a).at(-1)!;
    bot.emulator.pressButton(a, a, anyMessage.message_id, `dr:ack:${directiveId}`);
    await until('the toast', () => bot.emulator.toasts(a).some((t) => t.text === m.toast.notRecipient));
    const report = await bot.app.services.directives.report(directiveId);
    expect(report?.progress.acknowledged).toHaveLength(2);
    await say(bot, ids[2]!, '/thongbao', msg.units.adminOnly);
    await say(bot, ids[2]!, '/thongbao_tinhtrang', msg.units.adminOnly);
  });
});

describe('follow-ups, files and the CLI', () => {
  let bot: TestBot;
  const LEADER_DB = { id: 700, first_name: 'Lê Văn', last_name: 'Bình' };
  const LEADER_XA = { id: 710, first_name: 'Nguyễn Văn', last_name: 'Hùng' };
  const SEC = [701, 702, 703, 704];

  beforeAll(async () => {
    bot = await startTestBot({ env: { ADMIN_IDS: String(ADMIN.id) } });
    const s = bot.app.services;
    const csv = [
      'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
      'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,80',
      'DB1,Đảng bộ bộ phận Khu 1,Đảng bộ bộ phận,,XA,40',
      'CB1,Chi bộ Thôn 1,Chi bộ,Thôn,DB1,10',
      'CB2,Chi bộ Thôn 2,Chi bộ,Thôn,DB1,10',
      'CB3,Chi bộ Trường Tiểu học,Chi bộ,Trường học,DB1,10',
      'CB4,Chi bộ Công an xã,Chi bộ,Công an,XA,10',
    ].join('\n');
    expect((await s.org.importUnitsCsv('cli', csv)).ok).toBe(true);
    bot.emulator.addUser(ADMIN);
    for (const u of [LEADER_DB, LEADER_XA]) bot.emulator.addUser(u);
    SEC.forEach((id, i) => {
      bot.emulator.addUser({ id, first_name: 'Bí thư', last_name: `CB${i + 1}` });
    });
    const grant = (id: number, kind: 'secretary' | 'leader', unit: string) =>
      s.org.people.grantRole(id, { kind, unit }, 'test', s.clock.now());
    await grant(LEADER_DB.id, 'leader', 'DB1');
    await grant(LEADER_XA.id, 'leader', 'XA');
    for (const [i, id] of SEC.entries()) await grant(id, 'secretary', `CB${i + 1}`);
    for (const id of [LEADER_DB.id, LEADER_XA.id, ...SEC]) await say(bot, id, '/start', 'đồng chí');
  });
  afterAll(() => bot.stop());

  it('sends from the CLI, reminds non-acknowledgers after the delay, then tells each responsible leader', async () => {
    const s = bot.app.services;
    const dir = await mkdtemp(path.join(tmpdir(), 'directive-file-'));
    const pdf = path.join(dir, 'ke-hoach.pdf');
    await writeFile(pdf, Buffer.from('%PDF-1.4 kế hoạch'));
    const sent = await cli(s, [
      'send',
      '--title',
      'Hướng dẫn báo cáo sinh hoạt chi bộ',
      '--number',
      '12-HD/ĐU',
      '--text-file',
      await textFile('Đề nghị các chi bộ báo cáo trước ngày 05 hằng tháng.'),
      '--file',
      pdf,
      '--audience',
      'all-secretaries',
      '--ack-hours',
      '0.001',
    ]);
    expect(sent.err).toEqual([]);
    expect(sent.code).toBe(0);
    const id = sent.out.at(-1)!;
    expect(id).toMatch(/^\d+$/);

    await until('everyone to get it', () => SEC.every((u) => directivesTo(bot, u).length === 1));
    const first = directivesTo(bot, 701)[0]!;
    expect(first.text?.split('\n')[0]).toBe('Kính gửi: Đồng chí Bí thư Chi bộ Thôn 1');
    expect(buttonsOf(first).map((b) => b.text)).toEqual([m.buttonAck, m.buttonFile]);
    bot.emulator.pressButton(701, 701, first.message_id, buttonOf(first, m.buttonAck).data);

    // The file goes up once, then by Telegram's id.
    const second = directivesTo(bot, 702)[0]!;
    const doc1 = bot.emulator.waitForBotMessage(702, (x) => x.document !== undefined);
    bot.emulator.pressButton(702, 702, second.message_id, buttonOf(second, m.buttonFile).data);
    expect((await doc1).document?.file_name).toBe('ke-hoach.pdf');
    const third = directivesTo(bot, 703)[0]!;
    const doc2 = bot.emulator.waitForBotMessage(703, (x) => x.document !== undefined);
    bot.emulator.pressButton(703, 703, third.message_id, buttonOf(third, m.buttonFile).data);
    expect((await doc2).document?.file_id).toBe((await doc1).document?.file_id);

    for (const u of [702, 703, 704]) {
      const reminder = await bot.emulator.waitForBotMessage(u, hasText('Nhắc lại:'), {
        since: 0,
        timeoutMs: 20_000,
      });
      expect(reminder.text).toContain('Hướng dẫn báo cáo sinh hoạt chi bộ');
      expect(buttonOf(reminder, m.buttonAck)).toBeDefined();
    }
    const toDb = await bot.emulator.waitForBotMessage(LEADER_DB.id, hasText('vẫn chưa xác nhận'), {
      since: 0,
      timeoutMs: 20_000,
    });
    expect(toDb.text?.split('\n')[0]).toBe('Kính gửi: Đồng chí Lê Văn Bình, Đảng bộ bộ phận Khu 1');
    expect(toDb.text).toContain('– Chi bộ Thôn 2 (đ/c Bí thư CB2)');
    expect(toDb.text).toContain('– Chi bộ Trường Tiểu học (đ/c Bí thư CB3)');
    expect(toDb.text).not.toContain('Thôn 1');
    expect(toDb.text).not.toContain('Công an');
    const toXa = await bot.emulator.waitForBotMessage(LEADER_XA.id, hasText('vẫn chưa xác nhận'), {
      since: 0,
      timeoutMs: 20_000,
    });
    expect(toXa.text).toContain('– Chi bộ Công an xã (đ/c Bí thư CB4)');
    expect(toXa.text).not.toContain('Thôn 2');

    await outboxIdle(s);
    // 701 acknowledged and got no reminder; each leader got exactly one note.
    expect(bot.emulator.botMessages(701).filter(hasText('Nhắc lại:'))).toHaveLength(0);
    expect(bot.emulator.botMessages(LEADER_DB.id).filter(hasText('vẫn chưa xác nhận'))).toHaveLength(1);
    const status = await cli(s, ['status', id]);
    expect(status.out).toContain('delivered 4/4 (đã gửi đến)');
    expect(status.out).toContain('acknowledged 1/4 (đã xác nhận)');
    expect(status.out).toContain('not acknowledged 3 (chưa xác nhận)');
  });

  it('composes in chat with a file and a branch-kind audience; the preview is what the recipient gets', async () => {
    const a = ADMIN.id;
    await say(bot, a, '/thongbao', 'Bước 1/9');
    await say(bot, a, 'Thông báo lịch kiểm tra', 'Bước 2/9');
    const issued = await say(bot, a, '05-TB/ĐU', 'Bước 3/9');
    const issuer = await press(bot, a, issued, m.dialog.buttonIssuedToday, 'Bước 4/9');
    await press(bot, a, issuer, m.dialog.buttonNoIssuer, 'Bước 5/9');
    await say(bot, a, 'Đoàn kiểm tra làm việc với các chi bộ vào tuần tới.', 'Bước 6/9');
    const file = bot.emulator.waitForBotMessage(a, hasText('Bước 7/9'));
    bot.emulator.sendDocument(a, { name: 'lich-kiem-tra.pdf', content: Buffer.from('%PDF lịch') });
    const step5 = await file;
    const kinds = await press(bot, a, step5, m.dialog.buttonKinds, 'loại chi bộ');
    // Tick two kinds; the keyboard is edited in place.
    const ticked = messageWhen(bot, a, kinds.message_id, () =>
      buttonsOf(bot.emulator.botMessages(a).find((x) => x.message_id === kinds.message_id)).some((b) =>
        b.text.startsWith('✓ Công an'),
      ),
    );
    bot.emulator.pressButton(a, a, kinds.message_id, buttonOf(kinds, 'Trường học').data);
    bot.emulator.pressButton(a, a, kinds.message_id, buttonOf(kinds, 'Công an').data);
    await ticked;
    const now = bot.emulator.botMessages(a).find((x) => x.message_id === kinds.message_id)!;
    expect(
      buttonsOf(now)
        .filter((b) => b.text.startsWith('✓ '))
        .map((b) => b.text),
    ).toEqual(['✓ Trường học', '✓ Công an']);
    const step6 = await press(bot, a, now, m.dialog.buttonKindsDone, 'Bước 8/9');
    const step7 = await say(bot, a, '31/12/2099', 'Bước 9/9');
    const confirm = await say(bot, a, '48', 'Bấm «Xác nhận và gửi»');
    expect(step6.text).toContain('Bước 8/9');
    expect(step7.text).toContain('Bước 9/9');
    expect(confirm.text).toContain('bí thư các chi bộ loại Trường học, Công an: 2 đồng chí');
    expect(confirm.text).toContain('sau 48 giờ');
    const preview = bot.emulator.botMessages(a).filter(hasText('Kính gửi:')).at(-1)!;

    const sent = await confirmSend(bot, confirm);
    await until('the two branches to get it', () =>
      [703, 704].every((u) => bot.emulator.botMessages(u).some(hasText('Thông báo lịch kiểm tra'))),
    );
    // The preview is the first recipient's copy in tree order: the branch right under the commune.
    const got = bot.emulator.botMessages(704).filter(hasText('Thông báo lịch kiểm tra')).at(-1)!;
    expect(got.text).toBe(preview.text);
    expect(got.text?.split('\n')[0]).toBe('Kính gửi: Đồng chí Bí thư Chi bộ Công an xã');
    expect(got.text).toContain('Thời hạn thực hiện: đến hết ngày 31/12/2099.');
    expect(got.text).toContain('Kèm theo: «lich-kiem-tra.pdf»');
    expect(buttonsOf(got).map((b) => b.text)).toEqual(buttonsOf(preview).map((b) => b.text));
    expect(bot.emulator.botMessages(701).some(hasText('Thông báo lịch kiểm tra'))).toBe(false);
    // The preview's buttons do nothing but explain.
    bot.emulator.pressButton(a, a, preview.message_id, buttonOf(preview, m.buttonAck).data);
    await until('the preview toast', () => bot.emulator.toasts(a).some((t) => t.text === m.toast.preview));
    // The file is re-sent by the id Telegram gave the admin's upload.
    const doc = bot.emulator.waitForBotMessage(704, (x) => x.document !== undefined);
    const copy = bot.emulator.botMessages(704).filter(hasText('Thông báo lịch kiểm tra')).at(-1)!;
    bot.emulator.pressButton(704, 704, copy.message_id, buttonOf(copy, m.buttonFile).data);
    const adminUpload = bot.emulator.messages(a).find((x) => x.document?.file_name === 'lich-kiem-tra.pdf');
    expect((await doc).document?.file_id).toBe(adminUpload?.document?.file_id);
    expect(sent.id).toMatch(/^\d+$/);
  });

  it('stops the dialog with «Hủy» without sending anything', async () => {
    const a = ADMIN.id;
    const before = SEC.map((u) => bot.emulator.botMessages(u).length);
    const step1 = await say(bot, a, '/thongbao', 'Bước 1/9');
    const step2 = await say(bot, a, 'Tiêu đề thử', 'Bước 2/9');
    expect(step1.text).toContain('Bước 1/9');
    await press(bot, a, step2, msg.common.buttonCancel, msg.common.cancelled);
    expect(await bot.app.services.conversations.get(a, a)).toBeUndefined();
    await say(bot, a, 'Nội dung lạc', msg.common.notUnderstood);
    expect(SEC.map((u) => bot.emulator.botMessages(u).length)).toEqual(before);
  });

  it('explains a wrong answer and asks again', async () => {
    const a = ADMIN.id;
    await say(bot, a, '/thongbao', 'Bước 1/9');
    await say(bot, a, 'Tiêu đề', 'Bước 2/9');
    const wrong = await say(bot, a, 'số <sai>', 'không hợp lệ');
    expect(wrong.text).toContain('Bước 2/9');
    await say(bot, a, '/huy', msg.common.cancelled);
  });
});

describe('cancelling midway', () => {
  let bot: TestBot;
  let ids: number[];
  beforeAll(async () => {
    bot = await startTestBot({ env: { ADMIN_IDS: String(ADMIN.id), OUTBOX_RATE: '20' } });
    ids = await seedBranches(bot, 150, 20_001);
  }, 60_000);
  afterAll(() => bot.stop());

  it('stops what has not been sent; the rest never arrives and the status says so', async () => {
    const { confirm } = await compose(bot, {
      title: 'Thông báo triệu tập hội nghị',
      text: 'Kính mời các đồng chí dự hội nghị.',
      audience: m.dialog.buttonAllSecretaries,
    });
    const { id, status } = await confirmSend(bot, confirm);
    await until('the first deliveries', () => ids.filter((u) => directivesTo(bot, u).length > 0).length >= 5);

    const ask = await press(bot, ADMIN.id, status, m.admin.buttonStop, 'Những tin chưa gửi');
    const done = messageWhen(bot, ADMIN.id, ask.message_id, (t) =>
      t.startsWith(`Đã dừng thông báo mã ${id}.`),
    );
    bot.emulator.pressButton(
      ADMIN.id,
      ADMIN.id,
      ask.message_id,
      buttonOf(ask, m.admin.buttonStopConfirm).data,
    );
    await done;

    await outboxIdle(bot.app.services);
    const directives = new Queue(DIRECTIVE_QUEUE, {
      connection: queueConnectionOptions(bot.app.services.config.redisUrl ?? '', 'producer'),
      prefix: QUEUE_PREFIX,
    });
    try {
      const fanout = await directives.getJob(directiveJobId('fanout', id));
      expect(['completed', 'unknown']).toContain(fanout ? await fanout.getState() : 'unknown');
    } finally {
      await directives.close();
    }
    // Messages already in the outbox worker's hands still go; the status follows them until settled.
    const final = await messageWhen(
      bot,
      ADMIN.id,
      status.message_id,
      (t) => t.includes('Đã dừng gửi') && !t.includes('Đang chờ gửi'),
    );
    const delivered = Number(/Đã gửi đến: (\d+)\/150/.exec(final.text ?? '')?.[1]);
    expect(delivered).toBeGreaterThanOrEqual(5);
    expect(delivered).toBeLessThan(150);
    expect(final.text).toContain(`${150 - delivered} tin chưa gửi đã hủy`);
    expect(buttonsOf(final)).toEqual([]);
    const received = ids.filter((u) => directivesTo(bot, u).length > 0);
    expect(received).toHaveLength(delivered);
    expect(ids.every((u) => directivesTo(bot, u).length <= 1)).toBe(true);
    const r = await cli(bot.app.services, ['status', id]);
    expect(r.out).toContain('status: cancelled');
    expect((await cli(bot.app.services, ['cancel', id])).out).toEqual([m.cli.alreadyCancelled(id)]);
  });
});

describe('a restart in the middle of a fan-out', () => {
  let bot: TestBot;
  let second: RunningApp | undefined;
  let ids: number[];
  beforeAll(async () => {
    bot = await startTestBot({ env: { ADMIN_IDS: String(ADMIN.id), OUTBOX_RATE: '40', SEND_BUDGET: '40' } });
    ids = await seedBranches(bot, 200, 30_001);
  }, 60_000);
  afterAll(async () => {
    await second?.stop();
    await bot.stop();
  });

  it('delivers exactly one copy to everyone', async () => {
    const first = bot.app.services;
    const sent = await cli(first, [
      'send',
      '--title',
      'Thông báo kết luận hội nghị',
      '--text-file',
      await textFile('Nội dung kết luận.'),
      '--audience',
      'unit:XA',
    ]);
    const id = sent.out.at(-1)!;
    await until(
      'the first deliveries',
      () => ids.filter((u) => directivesTo(bot, u).length > 0).length >= 30,
    );
    await bot.app.stop();
    const before = ids.filter((u) => directivesTo(bot, u).length > 0).length;
    expect(before).toBeLessThan(200);

    const config = parseConfig({
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: first.config.telegramApiRoot,
      REDIS_URL: first.config.redisUrl,
      PORT: '0',
      QUIET_HOURS: 'off',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ADMIN_IDS: String(ADMIN.id),
      OUTBOX_RATE: '40',
      SEND_BUDGET: '40',
    });
    second = await startApp(config, {
      log: createLogger(config.logLevel, process.stderr),
      emulator: bot.emulator,
      clock: bot.clock,
    });
    const services = second.services;
    await until('everyone to get it', () => ids.every((u) => directivesTo(bot, u).length > 0));
    await outboxIdle(services);
    for (const u of ids) expect(directivesTo(bot, u).length, `copies to ${u}`).toBe(1);
    const r = await cli(services, ['status', id]);
    expect(r.out).toContain('delivered 200/200 (đã gửi đến)');
  });
});

/** The apology is for our bugs only: no update in these tests may reach it. */
const apologies = (bot: Chat, userId: number) =>
  bot.emulator.botMessages(userId).filter(hasText('Mã tham chiếu'));

describe('hostile presses and input', () => {
  let bot: TestBot;
  let ids: number[];
  beforeAll(async () => {
    bot = await startTestBot({
      env: { ADMIN_IDS: String(ADMIN.id), OUTBOX_RATE: '1000', SEND_BUDGET: '1000' },
    });
    ids = await seedBranches(bot, 3, 40_001);
  }, 60_000);
  afterAll(() => bot.stop());

  it('answers forged and outdated buttons with a clear note, never the apology', async () => {
    const a = ADMIN.id;
    const anyMessage = await say(bot, a, '/thongbao_tinhtrang', m.admin.none);
    const forged = [
      'dr:ack:abc',
      'dr:ack:0',
      'dr:u:BP1:children',
      'dr:k:vutru',
      'dr:h:0',
      'dr:ok:XYZ',
      'dr:xy:1:not-hex',
      `dr:v:${'9'.repeat(40)}`,
      // Well formed, but no card carries this nonce: a stale press.
      'dr:ok:deadbeef',
      // A compose button with no dialog open.
      'dr:a:all',
    ];
    for (const [i, value] of forged.entries()) {
      bot.emulator.pressButton(a, a, anyMessage.message_id, value);
      await until(`the note for ${value}`, () => bot.emulator.toasts(a).length === i + 1);
      expect(bot.emulator.toasts(a)[i]?.text, value).toBe(msg.common.buttonExpired);
    }
    // A directive that does not exist.
    bot.emulator.pressButton(ids[0]!, ids[0]!, anyMessage.message_id, 'dr:ack:424242');
    await until('the unknown note', () =>
      bot.emulator.toasts(ids[0]!).some((t) => t.text === m.toast.unknown),
    );
    expect(apologies(bot, a)).toEqual([]);
    expect(apologies(bot, ids[0]!)).toEqual([]);
  });

  it('sends once when «Xác nhận và gửi» is pressed twice, and tells the second press what was sent', async () => {
    const { confirm } = await compose(bot, {
      title: 'Thông báo bấm hai lần',
      text: 'Nội dung.',
      audience: m.dialog.buttonAllSecretaries,
    });
    const before = await bot.app.services.directives.latest(50);
    const data = buttonOf(confirm, m.dialog.buttonConfirm).data;
    const status = messageWhen(bot, ADMIN.id, confirm.message_id, (t) =>
      t.includes('Tình trạng thông báo mã'),
    );
    bot.emulator.pressButton(ADMIN.id, ADMIN.id, confirm.message_id, data);
    bot.emulator.pressButton(ADMIN.id, ADMIN.id, confirm.message_id, data);
    const id = /Tình trạng thông báo mã (\d+)/.exec((await status).text ?? '')?.[1] ?? '';
    await until('the second note', () =>
      bot.emulator.toasts(ADMIN.id).some((t) => t.text === m.toast.alreadySent(id)),
    );
    expect(await bot.app.services.directives.latest(50)).toHaveLength(before.length + 1);
    await until('everyone to get it', () =>
      ids.every((u) => bot.emulator.botMessages(u).some(hasText('Thông báo bấm hai lần'))),
    );
    await outboxIdle(bot.app.services);
    for (const u of ids)
      expect(bot.emulator.botMessages(u).filter(hasText('Thông báo bấm hai lần'))).toHaveLength(1);
    expect(apologies(bot, ADMIN.id)).toEqual([]);
  });

  it('stops once when the stop card is pressed twice; another card is told it was stopped before', async () => {
    const { confirm } = await compose(bot, {
      title: 'Thông báo sẽ dừng',
      text: 'Nội dung.',
      audience: m.dialog.buttonAllSecretaries,
    });
    const { id, status } = await confirmSend(bot, confirm);
    const ask = await press(bot, ADMIN.id, status, m.admin.buttonStop, 'Những tin chưa gửi');
    const data = buttonOf(ask, m.admin.buttonStopConfirm).data;
    const done = messageWhen(bot, ADMIN.id, ask.message_id, (t) =>
      t.startsWith(`Đã dừng thông báo mã ${id}.`),
    );
    bot.emulator.pressButton(ADMIN.id, ADMIN.id, ask.message_id, data);
    bot.emulator.pressButton(ADMIN.id, ADMIN.id, ask.message_id, data);
    await done;
    await outboxIdle(bot.app.services);
    const audit = await readAudit(bot.app.services.redis, { subject: `directive:${id}` });
    expect(audit.map((e) => e.action)).toEqual(['directive.cancel', 'directive.create']);
    // A stop card made afterwards (e.g. from an older status message) is told the truth.
    const again = await say(bot, ADMIN.id, `/thongbao_tinhtrang ${id}`, 'Tình trạng thông báo mã');
    const card = bot.emulator.waitForBotMessage(ADMIN.id, hasText('Những tin chưa gửi'));
    bot.emulator.pressButton(ADMIN.id, ADMIN.id, again.message_id, `dr:x:${id}`);
    const second = await card;
    const told = messageWhen(bot, ADMIN.id, second.message_id, (t) => t === m.admin.alreadyStopped(id));
    bot.emulator.pressButton(
      ADMIN.id,
      ADMIN.id,
      second.message_id,
      buttonOf(second, m.admin.buttonStopConfirm).data,
    );
    await told;
    expect(apologies(bot, ADMIN.id)).toEqual([]);
  });

  it('caps what it repeats, checks typed unit codes, and cuts emoji titles whole', async () => {
    const a = ADMIN.id;
    const long = await say(bot, a, `/thongbao_tinhtrang ${'x'.repeat(5000)}`, 'Không có thông báo mã');
    expect(long.text).toContain('…');
    expect((long.text ?? '').length).toBeLessThan(200);

    await say(bot, a, '/thongbao', 'Bước 1/9');
    // 26 letters, then a flag: a cut at 28 code units without graphemes would split the flag.
    const title = `${'A'.repeat(26)}🇻🇳 <a href="https://x.example">Bấm</a> & <b>`;
    const step2 = await say(bot, a, title, 'Bước 2/9');
    const wrong = await say(bot, a, `số ${'9'.repeat(5000)}`, 'không hợp lệ');
    expect((wrong.text ?? '').length).toBeLessThan(1000);
    expect(wrong.text).toContain('…');
    const step3 = await press(bot, a, step2, m.dialog.buttonNoNumber, 'Bước 3/9');
    expect(step3.text).toContain('Bước 3/9');
    const issuer = await press(bot, a, step3, m.dialog.buttonIssuedToday, 'Bước 4/9');
    const longIssuer = await say(bot, a, `Đảng ủy ${'x'.repeat(5000)}`, 'quá 120 ký tự');
    expect((longIssuer.text ?? '').length).toBeLessThan(1000);
    await press(bot, a, issuer, m.dialog.buttonNoIssuer, 'Bước 5/9');
    const step4 = await say(bot, a, 'Nội dung <i>không</i> định dạng.', 'Bước 6/9');
    const step5 = await press(bot, a, step4, m.dialog.buttonNoFile, 'Bước 7/9');
    const unitStep = await press(bot, a, step5, m.dialog.buttonUnit, 'mã đơn vị');
    expect(buttonsOf(unitStep).map((b) => b.text)).toContain('Đảng bộ xã Tân Lập (XA)');
    const unknown = await say(bot, a, 'BP1:children', 'Không có đơn vị mã');
    expect(unknown.text).toContain('«BP1:children»');
    await say(bot, a, 'XA', 'Bước 8/9');
    const step7 = await say(bot, a, '-', 'Bước 9/9');
    const confirm = await press(bot, a, step7, m.dialog.buttonHours(24), 'Bấm «Xác nhận và gửi»');
    expect(confirm.text).toContain('bí thư các chi bộ thuộc Đảng bộ xã Tân Lập: 3 đồng chí');
    await confirmSend(bot, confirm);

    const user = ids[0]!;
    const got = await bot.emulator.waitForBotMessage(user, hasText('Bấm</a>'), {
      since: 0,
      timeoutMs: 20_000,
    });
    // What the admin typed reads as typed: no link, no bold.
    expect(got.text).toContain(`${'A'.repeat(26)}🇻🇳 <a href="https://x.example">Bấm</a> & <b>`);
    expect(got.text).toContain('Nội dung <i>không</i> định dạng.');
    expect((got.entities ?? []).filter((e) => e.type === 'text_link')).toEqual([]);
    const list = await say(bot, user, '/vanban', 'Văn bản gửi đồng chí gần đây');
    const ack = buttonOf(list, `${m.buttonAck}: `);
    expect(ack.text).toBe(`${m.buttonAck}: ${'A'.repeat(26)}…`);
    expect(apologies(bot, a)).toEqual([]);
    expect(apologies(bot, user)).toEqual([]);
  });
});

describe('a crash between storing a directive and queuing its fan-out', () => {
  it('is neither lost nor sent twice: the redelivered press finds the card used and sends what it stored', async () => {
    const emulator = new BotApiEmulator();
    const apiRoot = await emulator.listen(0);
    const redisUrl = await freshRedisUrl();
    const redis = new Redis(redisUrl);
    const bot = { emulator };
    const env = {
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      REDIS_URL: redisUrl,
      PORT: '0',
      QUIET_HOURS: 'off',
      LOG_LEVEL: 'warn',
      ADMIN_IDS: String(ADMIN.id),
    };
    const running: BotProcess[] = [];
    try {
      const people = new PeopleStore(redis, { adminIds: [ADMIN.id] });
      const deliveries = new DeliveryStore(redis);
      const org = new Organisation(
        new UnitStore(redis),
        people,
        new InviteStore(redis),
        deliveries,
        systemClock,
        'bot',
      );
      const csv = [
        'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
        'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,30',
        'CB1,Chi bộ Thôn 1,Chi bộ,Thôn,XA,10',
        'CB2,Chi bộ Thôn 2,Chi bộ,Thôn,XA,10',
        'CB3,Chi bộ Thôn 3,Chi bộ,Thôn,XA,10',
      ].join('\n');
      expect((await org.importUnitsCsv('cli', csv)).ok).toBe(true);
      const secretaries = [50_001, 50_002, 50_003];
      emulator.addUser(ADMIN);
      for (const [i, id] of secretaries.entries()) {
        emulator.addUser({ id, first_name: 'Bí thư', last_name: `Thôn ${i + 1}` });
        await people.grantRole(id, { kind: 'secretary', unit: `CB${i + 1}` }, 'test', Date.now());
      }

      const first = spawnBot({ ...env, CHIBO_PAUSE_AT: 'directive-sent' });
      running.push(first);
      for (const id of secretaries) await say(bot, id, '/start', 'đồng chí');
      const { confirm } = await compose(bot, {
        title: 'Thông báo qua sự cố',
        text: 'Nội dung.',
        audience: m.dialog.buttonAllSecretaries,
      });
      emulator.pressButton(
        ADMIN.id,
        ADMIN.id,
        confirm.message_id,
        buttonOf(confirm, m.dialog.buttonConfirm).data,
      );
      await first.waitForOutput('paused at directive-sent');
      first.child.kill('SIGKILL');
      await first.exited;
      // Stored, but its fan-out was never queued, and the press was never confirmed to Telegram.
      expect(await redis.zrange('cb:dirs', 0, -1)).toHaveLength(1);
      expect(secretaries.every((u) => directivesTo(bot, u).length === 0)).toBe(true);

      const status = messageWhen(
        bot,
        ADMIN.id,
        confirm.message_id,
        (t) => t.includes('Tình trạng thông báo mã'),
        60_000,
      );
      const second = spawnBot(env);
      running.push(second);
      const id = /Tình trạng thông báo mã (\d+)/.exec((await status).text ?? '')?.[1] ?? '';
      expect(emulator.toasts(ADMIN.id).map((t) => t.text)).toContain(m.toast.alreadySent(id));
      await until('everyone to get it', () => secretaries.every((u) => directivesTo(bot, u).length > 0));
      await messageWhen(bot, ADMIN.id, confirm.message_id, (t) => t.includes('Đã gửi đến: 3/3'));
      expect(await redis.zrange('cb:dirs', 0, -1)).toEqual([id]);
      for (const u of secretaries) expect(directivesTo(bot, u), `copies to ${u}`).toHaveLength(1);
      expect(apologies(bot, ADMIN.id)).toEqual([]);
    } finally {
      for (const p of running) {
        if (p.child.exitCode === null && p.child.signalCode === null) {
          p.child.kill('SIGTERM');
          await p.exited;
        }
      }
      await redis.quit();
      await emulator.close();
    }
  }, 150_000);
});
