/**
 * Small text helpers: shortening on grapheme boundaries (one helper for every cut, so an emoji
 * is never split into a lone surrogate that a messenger refuses) and capping echoed input.
 */

// Made on first cut: building ICU's segmenter costs about as much as loading a large module, and
// most text is never cut.
let graphemes: Intl.Segmenter | undefined;

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
  graphemes ??= new Intl.Segmenter('vi', { granularity: 'grapheme' });
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
