/**
 * Inline keyboards. Callback data is `<area>:<action>[:<arg>…]` and must fit Telegram's 64
 * bytes; building a button that would not fit is a bug, so it throws at once.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from '@telegraf/types';

export const CALLBACK_DATA_LIMIT = 64;

export function callbackData(...parts: (string | number)[]): string {
  const data = parts.join(':');
  if (Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_LIMIT) {
    throw new Error(`callback data over ${CALLBACK_DATA_LIMIT} bytes: ${data}`);
  }
  return data;
}

export function button(text: string, ...data: (string | number)[]): InlineKeyboardButton.CallbackButton {
  return { text, callback_data: callbackData(...data) };
}

export function keyboard(rows: InlineKeyboardButton[][]): { reply_markup: InlineKeyboardMarkup } {
  return { reply_markup: { inline_keyboard: rows.filter((r) => r.length > 0) } };
}

/** Splits callback data back into its parts. */
export function parseCallback(data: string): string[] {
  return data.split(':');
}
