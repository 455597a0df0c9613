/** How every Telegram failure maps onto the outbox's error classes: a table, one row per case. */
import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import {
  RecipientUnreachableError,
  RejectedMessageError,
  RetryAfterError,
  TransientSendError,
} from '../../../src/outbox/types.js';
import { classifySendError } from '../../../src/telegram/sender.js';

const telegram = (error_code: number, description: string, parameters?: { retry_after?: number }) =>
  new TelegramError({ error_code, description, ...(parameters ? { parameters } : {}) });

describe('classifySendError', () => {
  it.each([
    [
      '429 with retry_after',
      telegram(429, 'Too Many Requests: retry after 7', { retry_after: 7 }),
      RetryAfterError,
    ],
    ['429 without retry_after', telegram(429, 'Too Many Requests'), RetryAfterError],
    ['403 blocked', telegram(403, 'Forbidden: bot was blocked by the user'), RecipientUnreachableError],
    ['403 deactivated', telegram(403, 'Forbidden: user is deactivated'), RecipientUnreachableError],
    ['400 chat not found', telegram(400, 'Bad Request: chat not found'), RecipientUnreachableError],
    [
      '400 group upgraded',
      telegram(400, 'Bad Request: group chat was upgraded to a supergroup chat'),
      RecipientUnreachableError,
    ],
    [
      '400 no rights',
      telegram(400, 'Bad Request: not enough rights to send text messages to the chat'),
      RecipientUnreachableError,
    ],
    ['400 bad HTML', telegram(400, "Bad Request: can't parse entities: unclosed tag"), RejectedMessageError],
    ['400 too long', telegram(400, 'Bad Request: message is too long'), RejectedMessageError],
    ['400 button data', telegram(400, 'Bad Request: BUTTON_DATA_INVALID'), RejectedMessageError],
    ['409 conflict', telegram(409, 'Conflict: terminated by other getUpdates request'), RejectedMessageError],
    ['401 wrong token', telegram(401, 'Unauthorized'), TransientSendError],
    ['404 wrong API root', telegram(404, 'Not Found'), TransientSendError],
    ['500', telegram(500, 'Internal Server Error'), TransientSendError],
    ['502', telegram(502, 'Bad Gateway'), TransientSendError],
    ['network error', new Error('ECONNRESET'), TransientSendError],
    ['a thrown string', 'socket hang up', TransientSendError],
  ])('%s', (_case, err, expected) => {
    expect(classifySendError(err)).toBeInstanceOf(expected);
  });

  it('keeps the wait Telegram asks for, and at least a second without one', () => {
    expect((classifySendError(telegram(429, 'x', { retry_after: 7 })) as RetryAfterError).seconds).toBe(7);
    expect((classifySendError(telegram(429, 'x')) as RetryAfterError).seconds).toBe(1);
  });

  it('says a hung call timed out, and keeps the description of a refusal', () => {
    expect(classifySendError(new Error('aborted'), 15_000).message).toBe('no answer within 15000 ms');
    expect(
      (classifySendError(telegram(400, 'Bad Request: message is too long')) as RejectedMessageError)
        .description,
    ).toBe('Bad Request: message is too long');
  });
});
