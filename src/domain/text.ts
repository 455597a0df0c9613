/**
 * Small text helpers: shortening on grapheme boundaries (one helper for every cut, so an emoji
 * is never split into a lone surrogate that a messenger refuses), capping echoed input, and the
 * older HTML helpers that the channel renderers replace.
 */

const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` UTF-16 code units (what messengers count), ending in `ellipsis`
 * when it was cut. Cuts only between graphemes: an emoji, a flag or a letter with its combining
 * accent stays whole. Lone surrogates in the input are replaced, so the result is always valid.
 */
export function shorten(text: string, max: number, ellipsis = '…'): string {
  const clean = wellFormed(text);
  if (clean.length <= max) return clean;
  const room = Math.max(0, max - ellipsis.length);
  let out = '';
  for (const { segment } of graphemes.segment(clean)) {
    if (out.length + segment.length > room) break;
    out += segment;
  }
  return out + ellipsis;
}

/** `text` with every lone UTF-16 surrogate replaced by U+FFFD, which every messenger accepts. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The longest piece of a person's own input a reply repeats back to them. */
export const ECHO_LIMIT = 60;

/** A person's input as a reply may repeat it: on one line, trimmed and capped with "…". */
export function echo(input: string, max = ECHO_LIMIT): string {
  return shorten(input.replace(/\s+/g, ' ').trim(), max);
}

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
