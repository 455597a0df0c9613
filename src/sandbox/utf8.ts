/**
 * Telegram reads every string as UTF-8. A lone UTF-16 surrogate (half an emoji, left by a cut
 * with `slice`) has no UTF-8 form: JSON carries it as `\ud83d`, and the Bot API refuses the call.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** False when `text` holds a lone surrogate, which Telegram refuses. */
export function encodesAsUtf8(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
