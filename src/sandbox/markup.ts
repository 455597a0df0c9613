/**
 * Validates `reply_markup` the way Telegram does, so a keyboard that Telegram would refuse
 * (a 65-byte `callback_data`, a button with no action, a label with half an emoji) fails in
 * tests too.
 */
import type {
  ForceReply,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  KeyboardButton,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
} from '@telegraf/types';
import { badRequest } from './apiError.js';
import { encodesAsUtf8 } from './utf8.js';

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

/** Telegram's limit on `callback_data`, in bytes. */
export const MAX_CALLBACK_DATA_BYTES = 64;

const inlineActions = [
  'callback_data',
  'url',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'callback_game',
  'pay',
] as const;

/** Checks a decoded `reply_markup` and returns it normalised (reply buttons given as strings become objects). */
export function parseReplyMarkup(value: unknown): ReplyMarkup | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  const markup = value as Record<string, unknown>;
  if ('inline_keyboard' in markup) return { inline_keyboard: parseInlineKeyboard(markup.inline_keyboard) };
  if ('keyboard' in markup) return parseReplyKeyboard(markup);
  if (markup.remove_keyboard === true) return markup as unknown as ReplyKeyboardRemove;
  if (markup.force_reply === true) return markup as unknown as ForceReply;
  throw badRequest("can't parse reply keyboard markup JSON object");
}

/** True for an inline keyboard, the only markup Telegram echoes back on a sent message. */
export function isInlineKeyboard(m: ReplyMarkup | undefined): m is InlineKeyboardMarkup {
  return m !== undefined && 'inline_keyboard' in m;
}

function parseInlineKeyboard(rows: unknown): InlineKeyboardButton[][] {
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
  }
  return rows.map((row: unknown[]) =>
    row.map((raw) => {
      if (typeof raw !== 'object' || raw === null) throw badRequest("can't parse inline keyboard button");
      const button = raw as Record<string, unknown>;
      if (typeof button.text !== 'string') {
        throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
      }
      if (!encodesAsUtf8(button.text))
        throw badRequest('inline keyboard button text must be encoded in UTF-8');
      if (button.text.trim() === '') throw badRequest('inline keyboard button text is empty');
      const actions = inlineActions.filter((a) => button[a] !== undefined);
      if (actions.length !== 1) {
        throw badRequest(
          "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        );
      }
      if (actions[0] === 'callback_data') {
        const data = button.callback_data;
        const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : 0;
        if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest('BUTTON_DATA_INVALID');
      }
      if (actions[0] === 'url' && !isButtonUrl(button.url)) {
        throw badRequest(`inline keyboard button URL '${String(button.url)}' is invalid: Wrong HTTP URL`);
      }
      // Telegram keeps only the fields it knows (telegraf adds its own `hide`).
      const action = actions[0]!;
      return { text: button.text, [action]: button[action] } as unknown as InlineKeyboardButton;
    }),
  );
}

function isButtonUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    return ['http:', 'https:', 'tg:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

function parseReplyKeyboard(markup: Record<string, unknown>): ReplyKeyboardMarkup {
  const rows = markup.keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw badRequest('field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays');
  }
  const keyboard = rows.map((row: unknown[]) =>
    row.map((raw): KeyboardButton => {
      const text = typeof raw === 'string' ? raw : (raw as { text?: unknown } | null)?.text;
      if (typeof text === 'string' && !encodesAsUtf8(text)) {
        throw badRequest('keyboard button text must be encoded in UTF-8');
      }
      if (typeof text !== 'string' || text === '') throw badRequest("can't parse keyboard button");
      return typeof raw === 'string' ? { text } : (raw as KeyboardButton);
    }),
  );
  return { ...(markup as unknown as ReplyKeyboardMarkup), keyboard };
}
