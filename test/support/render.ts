/** Markup as a channel sends it, for assertions on exact text. */
import { type Rich, renderChunks, toPlainText } from '../../src/chat/markup.js';
import { toHtmlChunks } from '../../src/telegram/render.js';

/** The Telegram HTML of a (short) text: what `parse_mode: HTML` receives. */
export function renderHtml(rich: Rich): string {
  return toHtmlChunks(rich).join('\n');
}

/** Plain text cut into messages between lines (and long lines at spaces), as every renderer cuts. */
export function splitMessage(text: string, limit = 4000): string[] {
  return renderChunks(text, (runs) => toPlainText(runs.map((r) => r.text)), limit);
}
