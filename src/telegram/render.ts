/**
 * Replies as Telegram sees them: markup as `parse_mode: HTML` (escaped here and only here), cut
 * into messages under Telegram's 4,096 characters between lines, and actions as inline keyboards.
 */
import type { InlineKeyboardMarkup } from '@telegraf/types';
import { type Rich, type Run, renderChunks } from '../chat/markup.js';
import type { Action } from '../chat/reply.js';
import { shorten, wellFormed } from '../domain/text.js';

/** Room left under Telegram's 4,096 for what entity parsing may count differently. */
export const TELEGRAM_CHUNK = 4000;
/** Telegram's limit on a caption. */
export const CAPTION_LIMIT = 1024;
/** Button labels beyond this are cut (Telegram shows only a line of them anyway). */
const LABEL_LIMIT = 64;

export function escapeHtml(text: string): string {
  return wellFormed(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const escapeAttr = (text: string) => escapeHtml(text).replace(/"/g, '&quot;');

/** One line of runs as Telegram HTML. */
export function htmlLine(runs: readonly Run[]): string {
  return runs
    .map((r) => {
      let s = escapeHtml(r.text);
      if (r.code) s = `<code>${s}</code>`;
      if (r.i) s = `<i>${s}</i>`;
      if (r.b) s = `<b>${s}</b>`;
      if (r.href) s = `<a href="${escapeAttr(r.href)}">${s}</a>`;
      return s;
    })
    .join('');
}

/** The HTML messages a text becomes, each under the limit, cut only between lines. */
export function toHtmlChunks(rich: Rich, limit = TELEGRAM_CHUNK): string[] {
  return renderChunks(rich, (runs) => htmlLine(runs), limit);
}

/** A caption: one chunk under Telegram's caption limit (the rest is dropped with "…"). */
export function toHtmlCaption(rich: Rich): string {
  const [first = '', ...more] = toHtmlChunks(rich, CAPTION_LIMIT - 1);
  return more.length > 0 ? `${first}…` : first;
}

/** Rows of actions as an inline keyboard. */
export function toKeyboard(
  rows: readonly (readonly Action[])[] | undefined,
): InlineKeyboardMarkup | undefined {
  const kept = (rows ?? []).filter((row) => row.length > 0);
  if (kept.length === 0) return undefined;
  return {
    inline_keyboard: kept.map((row) =>
      row.map((a) => ({ text: shorten(a.label, LABEL_LIMIT), callback_data: a.value })),
    ),
  };
}
