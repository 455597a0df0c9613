/**
 * Messages the bot starts itself, as the core asks for them: to a person (their private chat),
 * or to a chat (a leaders' group). Everything goes through the one outbox, under an id that
 * makes a repeat of the same notice a no-op. What is sent is a reply as data; the channel's
 * sender renders it.
 */
import { fromLegacyHtml } from '../chat/legacyHtml.js';
import type { Rich } from '../chat/markup.js';
import { type Attachment, type ChatId, isReply, type Reply } from '../chat/reply.js';
import type { Outbox, SendResult } from '../outbox/outbox.js';
import type { OutboxAttachment } from '../outbox/types.js';

export interface NoticeOptions {
  /** Deterministic id: the same notice for the same person and event must give the same id (no ':'). */
  id: string;
  /** 'notice', 'reminder', 'summary', 'directive', ... */
  purpose: string;
  /** Goes out even in quiet hours. */
  urgent?: boolean;
  track?: { kind: string; id: string };
  /** TEMPORARY: the text is HTML written by code not yet on the markup model. */
  parseMode?: 'HTML';
  /** TEMPORARY: buttons in Telegram's shape, from code not yet on actions. */
  replyMarkup?: { inline_keyboard: { text: string; callback_data?: string }[][] };
}

export class Notifier {
  constructor(private readonly outbox: Outbox) {}

  /** A private message to a person: in Telegram a person's private chat id is their user id. */
  toPerson(personId: number, message: Reply | Rich, opts: NoticeOptions): Promise<SendResult> {
    return this.toChat(personId, message, opts, personId);
  }

  toChat(chatId: ChatId, message: Reply | Rich, opts: NoticeOptions, personId?: number): Promise<SendResult> {
    const { id, urgent, purpose, track, parseMode, replyMarkup } = opts;
    const given: Reply = isReply(message) ? message : { text: message };
    const reply: Reply = replyMarkup
      ? {
          ...given,
          actions: replyMarkup.inline_keyboard.map((row) =>
            row.map((b) => ({ label: b.text, value: b.callback_data ?? '' })),
          ),
        }
      : given;
    const text =
      parseMode === 'HTML' && typeof reply.text === 'string' ? fromLegacyHtml(reply.text) : reply.text;
    return this.outbox.send(
      {
        chatId,
        text,
        purpose,
        ...(reply.actions ? { actions: reply.actions } : {}),
        ...(reply.document ? { document: attachment(reply.document) } : {}),
        ...(reply.photo ? { photo: attachment(reply.photo) } : {}),
        ...(personId !== undefined ? { personId } : {}),
        ...(track ? { track } : {}),
      },
      { id, urgent },
    );
  }
}

/** A file as it travels inside an outbox job. */
export function attachment(a: Attachment): OutboxAttachment {
  return {
    filename: a.filename,
    contentBase64: Buffer.from(a.bytes).toString('base64'),
    ...(a.caption !== undefined ? { caption: a.caption } : {}),
  };
}
