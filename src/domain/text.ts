/**
 * Small text helpers shared by everything that renders a Telegram message: HTML escaping for
 * parse_mode HTML, and splitting long answers under Telegram's 4096-character limit.
 */

/** Telegram's hard limit on one text message. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Escapes user or admin text for Telegram HTML (only `&`, `<`, `>` need it). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Splits `text` into chunks of at most `limit` characters, breaking only at line ends so a
 * list item or an HTML tag pair on one line is never cut. A single line longer than `limit`
 * (rare: a very long note) is cut at its last space before the limit, or hard when it has none.
 * The default leaves headroom under 4096 for a "(1/3)" prefix or entities Telegram counts.
 */
export function splitMessage(text: string, limit = 4000): string[] {
  if (limit < 1) throw new RangeError('limit must be positive');
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') chunks.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    for (const piece of cutLongLine(line, limit)) {
      if (current === '') current = piece;
      else if (current.length + 1 + piece.length <= limit) current += `\n${piece}`;
      else {
        flush();
        current = piece;
      }
    }
  }
  flush();
  return chunks.length > 0 ? chunks : [''];
}

function cutLongLine(line: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > limit) {
    const space = rest.lastIndexOf(' ', limit);
    let cut = space > 0 ? space : limit;
    // Never cut an emoji (a UTF-16 surrogate pair) in two.
    const code = rest.charCodeAt(cut - 1);
    if (space <= 0 && code >= 0xd800 && code <= 0xdbff) cut--;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(space > 0 ? cut + 1 : cut);
  }
  pieces.push(rest);
  return pieces;
}
