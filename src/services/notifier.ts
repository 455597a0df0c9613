/**
 * Messages the bot starts itself, as the core asks for them: to a person (their private chat),
 * or to a chat (a leaders' group). Everything goes through the one outbox, under an id that
 * makes a repeat of the same notice a no-op.
 */
import type { InlineKeyboardMarkup } from '@telegraf/types';
import type { Outbox, SendResult } from '../outbox/outbox.js';
import type { OutboxAttachment } from '../outbox/types.js';

export interface NoticeOptions {
  /** Deterministic id: the same notice for the same person and event must give the same id (no ':'). */
  id: string;
  /** 'notice', 'reminder', 'summary', 'directive', ... */
  purpose: string;
  /** Goes out even in quiet hours. */
  urgent?: boolean;
  parseMode?: 'HTML';
  replyMarkup?: InlineKeyboardMarkup;
  photo?: OutboxAttachment;
  document?: OutboxAttachment;
  track?: { kind: string; id: string };
}

export class Notifier {
  constructor(private readonly outbox: Outbox) {}

  /** A private message to a person: in Telegram a person's private chat id is their user id. */
  toPerson(personId: number, text: string, opts: NoticeOptions): Promise<SendResult> {
    return this.toChat(personId, text, opts, personId);
  }

  toChat(chatId: number, text: string, opts: NoticeOptions, personId?: number): Promise<SendResult> {
    const { id, urgent, purpose, ...rest } = opts;
    return this.outbox.send(
      { chatId, text, purpose, ...(personId !== undefined ? { personId } : {}), ...rest },
      { id, urgent },
    );
  }
}
