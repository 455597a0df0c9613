/**
 * The telegraf side of the outbox: renders an `OutboxMessage` into Telegram messages (HTML text
 * in pieces, then its file, the keyboard under the last), sends each through the Bot API, and
 * turns every failure into one of the outbox's error classes, so `jobs/outbox.ts` decides
 * retries without knowing telegraf.
 */
import type { Message } from '@telegraf/types';
import { Input, type Telegram, TelegramError } from 'telegraf';
import { isBlank } from '../chat/markup.js';
import {
  type MessageSender,
  type OutboxMessage,
  type OutboxPart,
  RecipientUnreachableError,
  RejectedMessageError,
  RetryAfterError,
  TransientSendError,
} from '../outbox/types.js';
import { toHtmlCaption, toHtmlChunks, toKeyboard } from './render.js';

/** 400s that mean the chat is gone for the bot, not that the message is wrong. */
const UNREACHABLE_400 =
  /chat not found|user is deactivated|bot was kicked|bot was blocked|user not found|peer_id_invalid|group chat was upgraded|have no rights to send|not enough rights to send|chat_write_forbidden/i;

export interface TelegrafSenderOptions {
  /** Gives up on one call after this long (a hung connection must not hold a job). @defaultValue 15000 */
  timeoutMs?: number;
}

/** `MessageSender` over telegraf's `callApi`. */
export class TelegrafSender implements MessageSender {
  private readonly timeoutMs: number;

  constructor(
    private readonly telegram: Telegram,
    opts: TelegrafSenderOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 15_000;
  }

  /** The text in HTML pieces under the limit, then the document and the photo; actions under the last. */
  parts(m: OutboxMessage): OutboxPart[] {
    const { chatId } = m;
    const file = m.document ?? m.photo;
    const texts = isBlank(m.text) && file ? [] : toHtmlChunks(m.text);
    const parts: OutboxPart[] = texts.map((text) => ({ chatId, text }));
    for (const [kind, a] of [
      ['document', m.document],
      ['photo', m.photo],
    ] as const) {
      if (!a) continue;
      const caption = a.caption === undefined ? {} : { caption: toHtmlCaption(a.caption) };
      parts.push({
        chatId,
        text: '',
        [kind]: { filename: a.filename, contentBase64: a.contentBase64, ...caption },
      });
    }
    const last = parts[parts.length - 1];
    if (last && m.actions) parts[parts.length - 1] = { ...last, actions: m.actions };
    return parts;
  }

  async send(m: OutboxPart, signal: AbortSignal): Promise<{ messageId: number }> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    // telegraf types its signal with the abort-controller polyfill; Node's own works at runtime.
    const options = { signal: AbortSignal.any([signal, timeout]) as never };
    const keyboard = toKeyboard(m.actions);
    const common = {
      chat_id: m.chatId,
      parse_mode: 'HTML' as const,
      ...(keyboard ? { reply_markup: keyboard } : {}),
    };
    const file = m.document ?? m.photo;
    const caption = file?.caption ? { caption: file.caption } : {};
    try {
      let sent: Message;
      if (m.document) {
        const document = Input.fromBuffer(
          Buffer.from(m.document.contentBase64, 'base64'),
          m.document.filename,
        );
        sent = await this.telegram.callApi('sendDocument', { ...common, document, ...caption }, options);
      } else if (m.photo) {
        const photo = Input.fromBuffer(Buffer.from(m.photo.contentBase64, 'base64'), m.photo.filename);
        sent = await this.telegram.callApi('sendPhoto', { ...common, photo, ...caption }, options);
      } else {
        sent = await this.telegram.callApi('sendMessage', { ...common, text: m.text }, options);
      }
      return { messageId: sent.message_id };
    } catch (err) {
      throw classifySendError(err, timeout.aborted ? this.timeoutMs : undefined);
    }
  }
}

/** Maps a telegraf or network failure onto the outbox's error classes. */
export function classifySendError(err: unknown, timedOutAfterMs?: number): Error {
  if (err instanceof TelegramError) {
    const code = err.code;
    const description = err.description || `error ${code}`;
    if (code === 429) return new RetryAfterError(err.parameters?.retry_after ?? 1);
    if (code === 403) return new RecipientUnreachableError(description);
    if (code === 400 && UNREACHABLE_400.test(description)) return new RecipientUnreachableError(description);
    // 401/404 mean a wrong token or API root: an outage to ride out, not a bad message.
    if (code >= 500 || code === 401 || code === 404)
      return new TransientSendError(`${code} ${description}`, { cause: err });
    if (code >= 400) return new RejectedMessageError(description);
    return new TransientSendError(`${code} ${description}`, { cause: err });
  }
  if (timedOutAfterMs !== undefined)
    return new TransientSendError(`no answer within ${timedOutAfterMs} ms`, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new TransientSendError(message, { cause: err });
}
