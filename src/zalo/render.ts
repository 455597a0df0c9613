/**
 * Replies as Zalo sees them. Zalo's Bot API has no buttons, no files and no edits, and a text is
 * 1–2,000 characters:
 * - markup becomes Zalo's `html` parse mode for bold and italic (escaped here and only here);
 *   code and links become plain text (a link as "label (address)", which Zalo makes tappable);
 * - long texts are cut into messages of at most 2,000 characters, between lines;
 * - actions become numbered options under the last piece ("Trả lời 1 để …, 2 để …, 0 để hủy"),
 *   remembered per chat (`src/store/zaloOptions.ts`) so the next message is matched against them.
 *
 * Options that clash with typing: a question that takes a typed answer (a number of members) has
 * a cancel action and sometimes a number as a shortcut. Numbering those would make "0" or "1"
 * mean two things, so a number label is offered as itself (typing it answers the question) and a
 * lone cancel says "Gõ /huy để hủy" instead of "0".
 */
import { type Rich, type Run, renderChunks, toLines } from '../chat/markup.js';
import type { Action } from '../chat/reply.js';
import { shorten, wellFormed } from '../domain/text.js';
import { msg } from '../messages/index.js';

/** Zalo refuses a text or a caption longer than this. */
export const ZALO_TEXT_LIMIT = 2000;
/** An option's label is cut to this in the list. */
const LABEL_LIMIT = 80;
/** Up to this many short options read as one sentence; more become a list. */
const SENTENCE_MAX = 4;
const SENTENCE_LABEL_MAX = 28;

export function escapeHtml(text: string): string {
  return wellFormed(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One line of runs in Zalo's html: bold and italic as tags, the rest as text. */
export function zaloHtmlLine(runs: readonly Run[]): string {
  return runs
    .map((r) => {
      let s = escapeHtml(linkText(r));
      if (r.i) s = `<i>${s}</i>`;
      if (r.b) s = `<b>${s}</b>`;
      return s;
    })
    .join('');
}

/** One line as plain text (captions, and texts without any style). */
export function zaloPlainLine(runs: readonly Run[]): string {
  return wellFormed(runs.map(linkText).join(''));
}

function linkText(r: Run): string {
  if (!r.href || r.text === r.href) return r.text;
  return `${r.text} (${r.href})`;
}

/** A message as sent: its text and whether it needs `parse_mode: "html"`. */
export interface ZaloText {
  text: string;
  html: boolean;
}

/**
 * The messages a text becomes, each at most `limit` characters as sent, cut only between lines
 * (a longer line is cut inside, at a space when it can). Styled text goes as html; a piece
 * without any style goes as plain text, so nothing in it is read as a tag.
 */
export function toZaloChunks(rich: Rich, limit = ZALO_TEXT_LIMIT): ZaloText[] {
  const styled = toLines(rich).some((line) => line.some((r) => r.b || r.i));
  if (!styled) return renderChunks(rich, zaloPlainLine, limit).map((text) => ({ text, html: false }));
  return renderChunks(rich, zaloHtmlLine, limit).map((text) => ({ text, html: true }));
}

/** A caption for `sendPhoto`: plain text, one piece under the limit ("…" when cut). */
export function toZaloCaption(rich: Rich): string {
  const [first = '', ...more] = renderChunks(rich, zaloPlainLine, ZALO_TEXT_LIMIT - 1);
  return more.length > 0 ? `${first}…` : first;
}

/** An option a person can choose by typing its number (or its label). */
export interface OpenOption {
  /** 1, 2, …; 0 for cancel. */
  n: number;
  label: string;
  /** The packed action value, handed to the router as a pressed action. */
  value: string;
}

/** What a reply's actions become: the lines under the text, and the options they open. */
export interface RenderedOptions {
  /** Text to put under the last piece (empty when there are no actions). */
  text: string;
  options: OpenOption[];
}

const isCancel = (a: Action) => a.label === msg.common.buttonCancel;
const isNumberLabel = (a: Action) => /^\d{1,6}$/.test(a.label.trim());

/**
 * Numbers the actions of one or more replies, `first` being the next free number (replies of
 * one outcome number on from each other). A cancel action is 0.
 */
export function renderOptions(
  rows: readonly (readonly Action[])[] | undefined,
  first = 1,
): RenderedOptions & { next: number } {
  const actions = (rows ?? []).flat();
  if (actions.length === 0) return { text: '', options: [], next: first };
  const cancel = actions.find(isCancel);
  const literal = actions.filter(isNumberLabel);
  const numbered = actions.filter((a) => !isCancel(a) && !isNumberLabel(a));
  const options: OpenOption[] = numbered.map((a, i) => ({
    n: first + i,
    label: shorten(a.label.replace(/\s+/g, ' ').trim(), LABEL_LIMIT),
    value: a.value,
  }));
  // Typing the number shown answers the question itself; remembered by label.
  const literals: OpenOption[] = literal.map((a) => ({ n: -1, label: a.label.trim(), value: a.value }));
  const lines: string[] = [];
  if (literal.length > 0) lines.push(`(${literal.map((a) => a.label.trim()).join(', ')})`);
  if (options.length === 0) {
    if (cancel) lines.push(msg.zalo.cancelHint);
    return {
      text: lines.join('\n'),
      options: [...literals, ...(cancel ? [{ n: -1, label: cancel.label, value: cancel.value }] : [])],
      next: first,
    };
  }
  const shown = cancel ? [...options, { n: 0, label: msg.zalo.cancelLabel, value: cancel.value }] : options;
  const short =
    shown.length <= SENTENCE_MAX &&
    shown.every((o) => o.label.length <= SENTENCE_LABEL_MAX && !/[:(]/.test(o.label));
  lines.push(short ? msg.zalo.optionsSentence(shown) : msg.zalo.optionsList(shown));
  return { text: lines.join('\n'), options: [...shown, ...literals], next: first + options.length };
}

/**
 * The option a typed message chooses: its number, or its label typed out (case and spaces
 * ignored). Undefined when it chooses none.
 */
export function chooseOption(options: readonly OpenOption[], typed: string): OpenOption | undefined {
  const t = typed.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi');
  if (t === '') return undefined;
  if (/^\d{1,3}$/.test(t)) {
    const n = Number(t);
    const byNumber = options.find((o) => o.n === n && o.n >= 0);
    if (byNumber) return byNumber;
  }
  return options.find(
    (o) => o.label.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi') === t,
  );
}

/** True when a typed message looks like an attempt at an option number (a bare number). */
export function looksLikeOptionNumber(typed: string): boolean {
  return /^\s*\d{1,3}\s*$/.test(typed);
}
