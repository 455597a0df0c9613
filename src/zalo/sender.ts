/**
 * Sending on Zalo, for replies and for the outbox alike: a reply becomes text messages of at most
 * 2,000 characters (its options under the last), then its picture by `sendPhoto` from a signed
 * link, or its file as a signed download link (Zalo takes no uploads).
 *
 * `ZaloSender` is the outbox's port for the Zalo queue: every failure becomes one of the outbox's
 * error classes (`classifyZaloError`), and `ok: false` answers to one chat are counted so the
 * third in a row marks the person unreachable, as a Telegram 403 does.
 */
import { isBlank, type Rich } from '../chat/markup.js';
import type { Action } from '../chat/reply.js';
import { calendarDate, formatVnDate } from '../domain/vn.js';
import { msg } from '../messages/index.js';
import {
  type MessageSender,
  type OutboxMessage,
  type OutboxPart,
  RejectedMessageError,
} from '../outbox/types.js';
import type { ChannelStore } from '../store/channels.js';
import type { StoredOption, ZaloOptionStore } from '../store/zaloOptions.js';
import { classifyZaloError, isRefusal, type ZaloApi } from './api.js';
import type { FileLinks } from './links.js';
import { type OpenOption, renderOptions, toZaloCaption, toZaloChunks, ZALO_TEXT_LIMIT } from './render.js';

/** One Zalo message a reply becomes. */
export type ZaloSend =
  | { kind: 'text'; text: string; html: boolean }
  | { kind: 'photo'; filename: string; bytes: Uint8Array; caption: string }
  | { kind: 'document'; filename: string; bytes: Uint8Array; caption?: Rich };

/** A reply (or an outbox message) as Zalo messages, its options numbered from `first`. */
export function toZaloSends(
  r: {
    text: Rich;
    actions?: readonly (readonly Action[])[] | undefined;
    document?: { filename: string; bytes: Uint8Array; caption?: Rich } | undefined;
    photo?: { filename: string; bytes: Uint8Array; caption?: Rich } | undefined;
  },
  first = 1,
): { sends: ZaloSend[]; options: OpenOption[]; next: number } {
  const opts = renderOptions(r.actions, first);
  const file = r.document ?? r.photo;
  const sends: ZaloSend[] = [];
  if (!isBlank(r.text) || !file || opts.text) {
    // The options go under the text, in the same piece when there is room.
    const text: Rich = isBlank(r.text) ? opts.text : opts.text ? [r.text, '\n\n', opts.text] : r.text;
    for (const c of toZaloChunks(text)) sends.push({ kind: 'text', ...c });
  }
  if (r.photo)
    sends.push({
      kind: 'photo',
      filename: r.photo.filename,
      bytes: r.photo.bytes,
      caption: r.photo.caption === undefined ? '' : toZaloCaption(r.photo.caption),
    });
  if (r.document)
    sends.push({
      kind: 'document',
      filename: r.document.filename,
      bytes: r.document.bytes,
      ...(r.document.caption !== undefined ? { caption: r.document.caption } : {}),
    });
  return { sends, options: opts.options, next: opts.next };
}

export interface ZaloDelivery {
  api: ZaloApi;
  links: FileLinks;
  timezone: string;
}

/** Sends one Zalo message to a chat; a file becomes a link made for `person`. */
export async function sendZalo(
  d: ZaloDelivery,
  chat: string,
  person: number,
  s: ZaloSend,
  signal?: AbortSignal,
): Promise<string> {
  switch (s.kind) {
    case 'text':
      return (await d.api.sendMessage(chat, s.text, s.html, signal)).message_id;
    case 'photo': {
      const { url } = await d.links.create(person, s.filename, s.bytes);
      return (await d.api.sendPhoto(chat, url, s.caption || undefined, signal)).message_id;
    }
    case 'document': {
      const { url, expires } = await d.links.create(person, s.filename, s.bytes);
      const until = formatVnDate(calendarDate(expires, d.timezone));
      const text: Rich = [
        ...(s.caption !== undefined && !isBlank(s.caption) ? [s.caption, '\n'] : []),
        msg.zalo.fileLink(s.filename, url, until),
      ];
      let id = '';
      for (const c of toZaloChunks(text, ZALO_TEXT_LIMIT))
        id = (await d.api.sendMessage(chat, c.text, c.html, signal)).message_id;
      return id;
    }
  }
}

/**
 * Zalo publishes no limits and a 429 holds every send back a second, so its slots are spaced 5%
 * under ZALO_OUTBOX_RATE: network jitter then never puts one send too many in a second.
 */
export function zaloPace(rate: number): number {
  return rate * 0.95;
}

/** Outbox messages by 1-based numeric ids, since the outbox counts message ids as numbers. */
const numericId = (messageId: string, fallback: number) => {
  const n = Number.parseInt(messageId.slice(-12), 16);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
};

export class ZaloSender implements MessageSender {
  constructor(
    private readonly d: ZaloDelivery,
    private readonly options: ZaloOptionStore,
    private readonly channels: ChannelStore,
  ) {}

  parts(m: OutboxMessage): OutboxPart[] {
    const chatId = String(m.chatId);
    const { sends } = toZaloSends({
      text: m.text,
      actions: m.actions,
      ...(m.document ? { document: decode(m.document) } : {}),
      ...(m.photo ? { photo: decode(m.photo) } : {}),
    });
    const person = m.personId !== undefined ? { personId: m.personId } : {};
    const parts: OutboxPart[] = sends.map((s) => {
      if (s.kind === 'text') return { chatId, text: s.text, html: s.html, ...person };
      const attachment = {
        filename: s.filename,
        contentBase64: Buffer.from(s.bytes).toString('base64'),
        ...(s.kind === 'photo' && s.caption ? { caption: s.caption } : {}),
      };
      return s.kind === 'photo'
        ? { chatId, text: '', photo: attachment, ...person }
        : { chatId, text: '', document: attachment, ...person };
    });
    const last = parts[parts.length - 1];
    if (last && m.actions) parts[parts.length - 1] = { ...last, actions: m.actions };
    return parts;
  }

  async send(part: OutboxPart, signal: AbortSignal): Promise<{ messageId: number }> {
    const chat = String(part.chatId);
    const s: ZaloSend = part.photo
      ? {
          kind: 'photo',
          filename: part.photo.filename,
          bytes: Buffer.from(part.photo.contentBase64, 'base64'),
          caption: part.photo.caption ?? '',
        }
      : part.document
        ? {
            kind: 'document',
            filename: part.document.filename,
            bytes: Buffer.from(part.document.contentBase64, 'base64'),
          }
        : { kind: 'text', text: part.text, html: part.html ?? false };
    let id: string;
    try {
      id = await sendZalo(this.d, chat, part.personId ?? 0, s, signal);
    } catch (err) {
      const refusals = isRefusal(err) ? await this.channels.refused(chat) : 0;
      const mapped = classifyZaloError(err, refusals);
      if (mapped instanceof RejectedMessageError && refusals > 0)
        throw new RejectedMessageError(`${mapped.description} (${refusals} in a row)`);
      throw mapped;
    }
    await this.channels.accepted(chat);
    if (part.actions) await this.options.set(chat, renderOptions(part.actions).options as StoredOption[]);
    return { messageId: numericId(id, Date.now()) };
  }
}

function decode(a: { filename: string; contentBase64: string; caption?: Rich }) {
  return {
    filename: a.filename,
    bytes: Buffer.from(a.contentBase64, 'base64'),
    ...(a.caption !== undefined ? { caption: a.caption } : {}),
  };
}
