/** Markup as a channel sends it, for assertions on exact text. */
import type { Rich } from '../../src/chat/markup.js';
import { toHtmlChunks } from '../../src/telegram/render.js';

/** The Telegram HTML of a (short) text: what `parse_mode: HTML` receives. */
export function renderHtml(rich: Rich): string {
  return toHtmlChunks(rich).join('\n');
}
