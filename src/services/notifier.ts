/**
 * Messages the bot starts itself, as the core asks for them: to a person (their private chat),
 * or to a chat (a leaders' group). Everything goes through the one outbox, under an id that
 * makes a repeat of the same notice a no-op. What is sent is a reply as data; the channel's
 * sender renders it.
 */
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
}

export class Notifier {
  constructor(private readonly outbox: Outbox) {}

  /** A private message to a person: in Telegram a person's private chat id is their user id. */
  toPerson(personId: number, message: Reply | Rich, opts: NoticeOptions): Promise<SendResult> {
    return this.toChat(personId, message, opts, personId);
  }

  toChat(chatId: ChatId, message: Reply | Rich, opts: NoticeOptions, personId?: number): Promise<SendResult> {
    const { id, urgent, purpose, track } = opts;
    const reply: Reply = isReply(message) ? message : { text: message };
    const text = reply.text;
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
