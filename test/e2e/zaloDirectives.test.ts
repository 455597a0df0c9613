/**
 * A directive fanned out to 300 branch secretaries, half on Telegram and half on Zalo: each gets
 * it on their own channel and acknowledges it there (a button on Telegram, typing 1 on Zalo),
 * and the office's report counts them all. A Zalo person who keeps refusing is marked
 * unreachable, as a Telegram 403 is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg } from '../../src/messages/index.js';
import { inlineButtons, startTestBot, type TestBot } from '../support/app.js';

const N = 300;
const pad = (i: number) => String(i).padStart(3, '0');

async function until(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a directive to 300 secretaries on two channels', () => {
  let bot: TestBot;
  const telegram: number[] = [];
  const zalo: string[] = [];

  beforeAll(async () => {
    bot = await startTestBot({ zalo: {}, env: { OUTBOX_RATE: '1000', ZALO_OUTBOX_RATE: '1000' } });
    const s = bot.app.services;
    const csv = [
      'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
      'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,900',
      ...Array.from({ length: N }, (_, i) => `CB${pad(i + 1)},Chi bộ Thôn ${pad(i + 1)},Chi bộ,Thôn,XA,10`),
    ].join('\n');
    expect((await s.org.importUnitsCsv('cli', csv)).ok).toBe(true);
    const invites = await s.org.createInvites('cli', { allBranches: true, role: 'secretary' });
    if (!invites.ok) throw new Error(invites.text);
    const byUnit = new Map(invites.rows.map((r) => [r.unitCode, r.code]));
    for (let i = 0; i < N; i++) {
      const code = byUnit.get(`CB${pad(i + 1)}`)!;
      if (i % 2 === 0) {
        const id = 30_001 + i;
        telegram.push(id);
        bot.emulator.addUser({ id, first_name: 'Bí thư', last_name: `Thôn ${pad(i + 1)}` });
        bot.emulator.sendText(id, `/start ${code}`);
      } else {
        const id = `zs-${pad(i + 1)}`;
        zalo.push(id);
        bot.zalo!.addUser({ id, display_name: `Bí thư Thôn ${pad(i + 1)}` });
        bot.zalo!.sendText(id, code);
      }
    }
    await until(
      'everyone to join',
      () =>
        telegram.every((id) => bot.emulator.botMessages(id).length > 0) &&
        zalo.every((id) => bot.zalo!.botMessages(id).length > 0),
    );
  }, 120_000);
  afterAll(() => bot?.stop());

  it('reaches each on their own channel, and each acknowledges there', async () => {
    const s = bot.app.services;
    const r = await s.directives.send('cli', {
      title: 'Kế hoạch tổ chức đại hội chi bộ',
      text: 'Đề nghị các chi bộ xây dựng kế hoạch đại hội, gửi về Văn phòng Đảng ủy.',
      audience: 'all-secretaries',
      number: '74-KH/ĐU',
    });
    if (!r.ok) throw new Error(r.errors.join('; '));
    expect(r.recipients).toBe(N);
    const id = r.directive.id;
    const got = (x: { text?: string }) => (x.text ?? '').includes('Kính gửi: Đồng chí Bí thư Chi bộ Thôn');
    await until(
      'the directive everywhere',
      () =>
        telegram.every((u) => bot.emulator.botMessages(u).some(got)) &&
        zalo.every((u) => bot.zalo!.botMessages(u).some(got)),
    );
    // Nobody got it twice, nor on the other channel.
    for (const u of zalo) {
      const copies = bot.zalo!.botMessages(u).filter(got);
      expect(copies).toHaveLength(1);
      expect(copies[0]!.text).toContain(`Trả lời 1 để ${msg.directives.buttonAck.toLowerCase()}`);
    }
    for (const u of telegram) expect(bot.emulator.botMessages(u).filter(got)).toHaveLength(1);

    for (const u of telegram) {
      const m = bot.emulator.botMessages(u).find(got)!;
      const ack = inlineButtons(m).find((b) => b.text === msg.directives.buttonAck)!;
      bot.emulator.pressButton(u, u, m.message_id, ack.callback_data);
    }
    for (const u of zalo) bot.zalo!.sendText(u, '1');
    await until(
      'every acknowledgement',
      async () => (await s.directives.report(id))?.progress.acknowledged.length === N,
    );
    const report = (await s.directives.report(id))!.progress;
    expect(report.delivered).toBe(N);
    expect(report.failed).toEqual([]);
    // The Zalo side was told, in words, that it is recorded.
    for (const u of zalo.slice(0, 5))
      expect(bot.zalo!.botMessages(u).at(-1)?.text).toMatch(/^Đã ghi nhận: đồng chí đã nhận văn bản lúc/);
    // Typing 1 again is answered, not counted twice: the option stays open after the note.
    const again = bot.zalo!.waitForBotMessage(zalo[2]!, () => true);
    bot.zalo!.sendText(zalo[2]!, '1');
    expect((await again).text).toMatch(/^Đồng chí đã xác nhận đã nhận văn bản này lúc/);
    expect((await s.directives.report(id))?.progress.acknowledged).toHaveLength(N);
  }, 120_000);

  it('marks a Zalo person unreachable after repeated refusals, until they write again', async () => {
    const s = bot.app.services;
    const who = zalo[0]!;
    const unit = 'CB002';
    const [personId] = await s.org.people.holdersOf(unit, 'secretary');
    bot.zalo!.blockBot(who);
    for (let n = 1; n <= 3; n++)
      await s.notifier.toPerson(personId!, `Nhắc thử ${n}`, {
        id: `refuse-${n}`,
        purpose: 'notice',
        urgent: true,
      });
    await until('the person to be marked', async () => !!(await s.org.person(personId!))?.unreachable);
    const person = (await s.org.person(personId!))!;
    expect(person.unreachable?.reason).toMatch(/blocked/);
    // Writing again on Zalo clears it.
    bot.zalo!.unblockBot(who);
    bot.zalo!.sendText(who, '/help');
    await until('the mark to clear', async () => !(await s.org.person(personId!))?.unreachable);
  }, 60_000);
});
