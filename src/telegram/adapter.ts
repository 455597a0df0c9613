/**
 * Telegram's side of the conversation core: an update becomes a `Turn` and an `Incoming` event
 * for the router (`commands/router.ts`), and the `Outcome` it returns becomes Telegram calls.
 *
 * Every callback query is answered exactly once, here. "Message is not modified" (a double tap
 * that edits to the same text) and "query is too old" (a press answered after Telegram gave up)
 * are harmless outcomes, not errors: they are swallowed here, once, for every feature.
 */
import type { Message } from '@telegraf/types';
import { Input, type MiddlewareFn, TelegramError } from 'telegraf';
import type { Incoming, IncomingFile, Router, Turn } from '../../commands/router.js';
import { parseCommand } from '../../commands/router.js';
import { isBlank, toPlainText } from '../chat/markup.js';
import type { Outcome, Reply } from '../chat/reply.js';
import { msg } from '../messages/index.js';
import type { BotContext } from './context.js';
import { toHtmlCaption, toHtmlChunks, toKeyboard } from './render.js';
import { needSends } from './replyBudget.js';

/** Telegram refusals that mean nothing is wrong: the state the call wanted is already there. */
const HARMLESS =
  /message is not modified|query is too old|query ID is invalid|message to edit not found|message can't be edited/i;

export function isHarmless(err: unknown): boolean {
  return err instanceof TelegramError && HARMLESS.test(err.description);
}

/** Runs a Telegram call whose harmless refusals are not errors. */
export async function tolerant<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (isHarmless(err)) return undefined;
    throw err;
  }
}

/** Hands each update the router can read to the router, and renders what it answers. */
export function routeUpdates(router: Router): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const event = incomingFrom(ctx);
    const chat = ctx.chat;
    if (!event || !chat) return next();
    const dialog = await ctx.app.dialogs.check(chat.id, ctx.viewer.id, ctx.loaded.conversation);
    const from = ctx.from;
    const turn: Turn = {
      channel: 'telegram',
      chat: { id: chat.id, private: chat.type === 'private' },
      viewer: ctx.viewer,
      dialog,
      profile: {
        first_name: from?.first_name ?? '',
        ...(from?.last_name ? { last_name: from.last_name } : {}),
        ...(from?.username ? { username: from.username } : {}),
      },
      ...(ctx.callbackQuery?.message ? { pressed: { messageId: ctx.callbackQuery.message.message_id } } : {}),
      app: ctx.app,
      log: ctx.log,
    };
    const outcome = await router.handle(turn, event);
    if (outcome.toast === msg.common.buttonExpired) ctx.state.outcome = 'refused';
    if (outcome.rolesChanged) ctx.state.rolesChanged = true;
    await deliver(ctx, outcome);
  };
}

/** The event an update carries, or undefined for updates the router does not see. */
export function incomingFrom(ctx: BotContext): Incoming | undefined {
  if (ctx.callbackQuery) {
    return 'data' in ctx.callbackQuery
      ? { type: 'action', value: ctx.callbackQuery.data }
      : { type: 'other' };
  }
  const message = ctx.message;
  if (!message) return undefined;
  if ('text' in message) {
    const command = parseCommand(message.text, ctx.botInfo?.username);
    if (command) return { type: 'command', ...command };
    if (message.text.startsWith('/')) return { type: 'command', name: '', args: '', body: '' };
    return { type: 'text', text: message.text };
  }
  if ('document' in message) {
    const doc = message.document;
    return {
      type: 'file',
      file: {
        name: doc.file_name ?? 'tep',
        ...(doc.mime_type ? { mime: doc.mime_type } : {}),
        ...(doc.file_size !== undefined ? { size: doc.file_size } : {}),
        fileId: doc.file_id,
        download: () => download(ctx, doc.file_id),
      },
    };
  }
  if ('photo' in message) {
    const largest = message.photo[message.photo.length - 1];
    if (!largest) return { type: 'other' };
    const file: IncomingFile = {
      name: 'anh.jpg',
      mime: 'image/jpeg',
      photo: true,
      fileId: largest.file_id,
      ...(largest.file_size !== undefined ? { size: largest.file_size } : {}),
      download: () => download(ctx, largest.file_id),
    };
    return { type: 'file', file };
  }
  return { type: 'other' };
}

async function download(ctx: BotContext, fileId: string): Promise<Uint8Array> {
  const link = await ctx.telegram.getFileLink(fileId);
  const res = await fetch(link, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`file download failed: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Renders an outcome: the button's answer, the pressed message, then the replies in order. */
export async function deliver(ctx: BotContext, outcome: Outcome): Promise<void> {
  // The send slots for every message below, taken at once (most were taken with the claim).
  await needSends(
    ctx.telegram,
    outcome.replies.reduce((n, r) => n + messagesOf(r), 0),
  );
  if (ctx.callbackQuery) await tolerant(() => ctx.answerCbQuery(outcome.toast));
  const pressed = outcome.pressed;
  const message = ctx.callbackQuery?.message;
  if (message && pressed) {
    // A message without buttons is closed already: taking them away again is an edit that
    // changes nothing, which Telegram refuses.
    if (pressed === 'close') {
      if (hasButtons(message)) await tolerant(() => ctx.editMessageReplyMarkup(undefined));
    } else if ('replace' in pressed) await replaceMessage(ctx, pressed.replace);
    else await tolerant(() => ctx.editMessageReplyMarkup(toKeyboard(pressed.actions)));
  }
  for (const r of outcome.replies) await sendReply(ctx, r);
}

/**
 * A reply's text as the HTML pieces it is sent in. Counted before sending (`messagesOf`), then
 * sent: rendered once per reply.
 */
const rendered = new WeakMap<Reply, string[]>();
function chunksOf(reply: Reply): string[] {
  let chunks = rendered.get(reply);
  if (!chunks) {
    chunks = toHtmlChunks(reply.text);
    rendered.set(reply, chunks);
  }
  return chunks;
}

/** How many messages `sendReply` sends for a reply. */
function messagesOf(reply: Reply): number {
  const attachment = reply.document ?? reply.photo;
  const texts = !isBlank(reply.text) || !attachment ? chunksOf(reply).length : 0;
  return texts + (attachment ? 1 : 0);
}

function hasButtons(message: object): boolean {
  const markup = (message as { reply_markup?: { inline_keyboard?: unknown[] } }).reply_markup;
  return (markup?.inline_keyboard?.length ?? 0) > 0;
}

/** Puts `reply` in place of the pressed message (its first piece; any further pieces follow). */
async function replaceMessage(ctx: BotContext, reply: Reply): Promise<void> {
  const [first = '', ...rest] = toHtmlChunks(reply.text);
  const keyboard = rest.length === 0 ? toKeyboard(reply.actions) : undefined;
  const current = ctx.callbackQuery?.message;
  if (current && !('text' in current)) {
    // A photo or a file has no text to replace: its buttons go, and the reply comes anew.
    if (hasButtons(current)) await tolerant(() => ctx.editMessageReplyMarkup(undefined));
    await needSends(ctx.telegram, messagesOf(reply));
    await sendReply(ctx, reply);
    return;
  }
  // Pressed again on a message that already says this (and has no buttons): nothing to change.
  const shows = current && 'text' in current ? current.text : undefined;
  if (!keyboard && rest.length === 0 && !hasButtons(current ?? {}) && shows === toPlainText(reply.text))
    return;
  await tolerant(() =>
    ctx.editMessageText(first, { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) }),
  );
  if (rest.length > 0) await sendReply(ctx, { ...reply, text: rest.join('\n') });
}

/** Sends one reply: its text in pieces (actions under the last), then its document or photo. */
export async function sendReply(ctx: BotContext, reply: Reply): Promise<Message[]> {
  const sent: Message[] = [];
  const keyboard = toKeyboard(reply.actions);
  const attachment = reply.document ?? reply.photo;
  if (!isBlank(reply.text) || !attachment) {
    const chunks = chunksOf(reply);
    for (const [i, chunk] of chunks.entries()) {
      const last = i === chunks.length - 1;
      sent.push(
        await ctx.reply(chunk, {
          parse_mode: 'HTML',
          ...(last && keyboard && !attachment ? { reply_markup: keyboard } : {}),
        }),
      );
    }
  }
  if (attachment) {
    const input = Input.fromBuffer(Buffer.from(attachment.bytes), attachment.filename);
    const extra = {
      ...(attachment.caption
        ? { caption: toHtmlCaption(attachment.caption), parse_mode: 'HTML' as const }
        : {}),
      ...(keyboard ? { reply_markup: keyboard } : {}),
    };
    sent.push(
      reply.document ? await ctx.replyWithDocument(input, extra) : await ctx.replyWithPhoto(input, extra),
    );
  }
  return sent;
}
