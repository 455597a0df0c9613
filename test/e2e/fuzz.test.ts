/**
 * The fuzz run in CI (issue 12, "Keep it fixed"): a small fixed-seed run of `npm run fuzz` over
 * the real bot and the emulator fails on any apology, invalid reply or crash. The judge that
 * counts them is checked on its own first, so a quiet run means a clean bot, not a blind judge.
 */
import { describe, expect, it } from 'vitest';
import { Judge } from '../../bench/fuzz/judge.js';
import { Memory, type Sent } from '../../bench/fuzz/moves.js';
import { runFuzz } from '../../bench/fuzz/runner.js';
import { msg } from '../../src/messages/index.js';
import type { CallLogEntry } from '../../src/sandbox/emulator.js';
import { freshRedisUrl } from '../support/redis.js';

const call = (method: string, params: Record<string, unknown>, status = 200, description?: string) =>
  ({ method, params, at: 0, status, ...(description ? { description } : {}) }) as CallLogEntry;

const pressed: Sent = {
  update: { update_id: 1 } as Sent['update'],
  label: 'test press',
  actor: 5,
  chatId: 5,
  delivered: true,
  expectsAnswer: true,
  callbackId: 'q1',
};

describe('the fuzz judge', () => {
  it('counts apologies, refused calls and lone surrogates, and forgives a blocked recipient', () => {
    const judge = new Judge(new Memory());
    judge.consume(
      [
        call('sendMessage', { chat_id: 5, text: msg.common.apology('K7QX2M4P') }),
        call('editMessageReplyMarkup', { chat_id: 5 }, 400, 'Bad Request: message is not modified'),
        call('sendMessage', { chat_id: 5, text: 'Ngày «abc\uD83D» không đúng' }),
        call('sendMessage', { chat_id: 9, text: 'Nhắc việc' }, 403, 'Forbidden: bot was blocked by the user'),
        call('sendMessage', { chat_id: 5, text: 'Đã lưu.' }),
      ],
      pressed,
      () => undefined,
    );
    expect([judge.apologies, judge.invalidReplies]).toEqual([1, 2]);
    expect(judge.report().map((f) => f.kind)).toEqual(['apology', 'invalid_reply', 'invalid_reply']);
  });

  it('counts a private press that got neither a message nor a callback answer', () => {
    const judge = new Judge(new Memory());
    judge.checkAnswered(pressed, [call('answerCallbackQuery', { callback_query_id: 'q1' })]);
    judge.checkAnswered(pressed, [call('sendMessage', { chat_id: 6, text: 'someone else' })]);
    expect(judge.unanswered).toBe(1);
  });

  it('remembers the buttons and invite links the bot hands out, for replays', () => {
    const memory = new Memory();
    new Judge(memory).consume(
      [
        call('sendMessage', {
          chat_id: 5,
          text: 'Đường dẫn mời: https://t.me/chibo_bot?start=abcDEF_12',
          reply_markup: JSON.stringify({
            inline_keyboard: [[{ text: 'Xác nhận', callback_data: 'sh:ok:0a1b2c3d' }]],
          }),
        }),
      ],
      undefined,
      () => undefined,
    );
    expect(memory.buttons).toEqual(['sh:ok:0a1b2c3d']);
    expect(memory.inviteCodes).toEqual(['abcDEF_12']);
  });
});

describe('a fuzz run', () => {
  it('sends 300 hostile updates from every role without an apology, an invalid reply or a crash', async () => {
    const result = await runFuzz({ updates: 300, seed: 20251020, redisUrl: await freshRedisUrl() });
    const { findings, ...counts } = result;
    // Each finding names the update that caused it: this is what a failure shows.
    expect(findings).toEqual([]);
    expect(counts).toEqual({ updates: 300, unanswered: 0, apologies: 0, invalid_replies: 0, crashes: 0 });
  }, 90_000);
});
