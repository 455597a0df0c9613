/**
 * Telegram's `parse_mode` handling: turns HTML, MarkdownV2 or legacy Markdown into plain text
 * plus entities, and rejects what Telegram rejects with its own wording ("can't parse entities:
 * ..."), so a formatting mistake fails here the way it would fail in production. Offsets are in
 * UTF-16 code units, like JavaScript string indices.
 */
import { badRequest } from './apiError.js';

/** A message entity as Telegram sends it (the fields used by the types we produce). */
export interface TextEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

export interface FormattedText {
  text: string;
  entities: TextEntity[];
}

/**
 * Applies `parse_mode` to `source`. Without a parse mode, explicit `entities` (already decoded
 * from the request) are kept as sent.
 */
export function formatText(source: string, parseMode: string | undefined, explicit?: unknown): FormattedText {
  const mode = parseMode?.trim().toLowerCase() ?? '';
  if (mode === '') return { text: source, entities: explicitEntities(explicit) };
  if (mode === 'html') return sorted(parseHtml(source));
  if (mode === 'markdownv2') return sorted(parseMarkdownV2(source));
  if (mode === 'markdown') return sorted(parseLegacyMarkdown(source));
  throw badRequest(`unsupported parse_mode "${parseMode}"`);
}

function cantParse(detail: string): Error {
  return badRequest(`can't parse entities: ${detail}`);
}

/** Telegram reports positions as UTF-8 byte offsets into the source. */
function byteOffset(src: string, index: number): number {
  return Buffer.byteLength(src.slice(0, index), 'utf8');
}

function sorted(f: FormattedText): FormattedText {
  f.entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return f;
}

function explicitEntities(value: unknown): TextEntity[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badRequest("can't parse entities JSON object");
  return value.map((e) => {
    const ok =
      typeof e === 'object' &&
      e !== null &&
      typeof e.type === 'string' &&
      Number.isInteger(e.offset) &&
      Number.isInteger(e.length);
    if (!ok) throw badRequest("can't parse MessageEntity JSON object");
    return e as TextEntity;
  });
}

// ---------------------------------------------------------------- HTML

/** Tags Telegram accepts, and the entity each one makes. */
const htmlTags: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  code: 'code',
  pre: 'pre',
  a: 'text_link',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

const namedHtmlEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  name: string;
  attrs: Record<string, string>;
  start: number;
  /** Set on a `pre` by a nested `<code class="language-x">`. */
  language?: string;
}

function parseHtml(src: string): FormattedText {
  let text = '';
  const entities: TextEntity[] = [];
  const open: OpenTag[] = [];
  // Telegram decodes `&#55357;` to half a surrogate pair, then refuses the text once parsed.
  let decodedSurrogate = false;
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '&') {
      const m = /^&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/.exec(src.slice(i, i + 12));
      const decoded = m ? decodeHtmlEntity(m[1]!) : undefined;
      if (m && decoded !== undefined) {
        if (/^[\uD800-\uDFFF]$/.test(decoded)) decodedSurrogate = true;
        text += decoded;
        i += m[0].length;
      } else {
        // Telegram keeps an unknown or bare "&" as it is.
        text += ch;
        i++;
      }
      continue;
    }
    if (ch !== '<') {
      text += ch;
      i++;
      continue;
    }
    const tagStart = i;
    if (src[i + 1] === '/') {
      const m = /^<\/([a-zA-Z0-9-]*)\s*>/.exec(src.slice(i, i + 64));
      if (!m) throw cantParse(`Unclosed end tag at byte offset ${byteOffset(src, tagStart)}`);
      const name = m[1]!.toLowerCase();
      const top = open.pop();
      if (!top) throw cantParse(`Unexpected end tag at byte offset ${byteOffset(src, tagStart)}`);
      if (top.name !== name) {
        throw cantParse(
          `Unmatched end tag at byte offset ${byteOffset(src, tagStart)}, expected "</${top.name}>", found "</${name}>"`,
        );
      }
      closeHtmlTag(top, text.length, open, entities);
      i += m[0].length;
      continue;
    }
    const parsed = readStartTag(src, i);
    if (!(parsed.name in htmlTags)) {
      throw cantParse(`Unsupported start tag "${parsed.name}" at byte offset ${byteOffset(src, tagStart)}`);
    }
    if (parsed.name === 'span' && parsed.attrs.class !== 'tg-spoiler') {
      throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(src, tagStart)}`);
    }
    if (parsed.name === 'tg-emoji' && !parsed.attrs['emoji-id']) {
      throw cantParse(
        `Tag "tg-emoji" must have attribute "emoji-id" at byte offset ${byteOffset(src, tagStart)}`,
      );
    }
    open.push({ name: parsed.name, attrs: parsed.attrs, start: text.length });
    i = parsed.end;
  }
  const unclosed = open.pop();
  if (unclosed) throw cantParse(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  if (decodedSurrogate) {
    throw cantParse(
      'Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units',
    );
  }
  return { text, entities };
}

function decodeHtmlEntity(body: string): string | undefined {
  if (body.startsWith('#')) {
    const code =
      body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
  }
  return namedHtmlEntities[body];
}

/** Reads `<name attr="v" ...>` at `at`; the name is lower-cased. */
function readStartTag(src: string, at: number): { name: string; attrs: Record<string, string>; end: number } {
  const nameMatch = /^<([a-zA-Z0-9-]*)/.exec(src.slice(at, at + 64))!;
  const name = nameMatch[1]!.toLowerCase();
  if (name === '') throw cantParse(`Unsupported start tag "" at byte offset ${byteOffset(src, at)}`);
  const attrs: Record<string, string> = {};
  let i = at + nameMatch[0].length;
  const attrPattern = /^\s+([a-zA-Z_:][a-zA-Z0-9_:.-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/;
  for (;;) {
    const rest = src.slice(i);
    const close = /^\s*>/.exec(rest);
    if (close) return { name, attrs, end: i + close[0].length };
    const m = attrPattern.exec(rest);
    if (!m) throw cantParse(`Unclosed start tag at byte offset ${byteOffset(src, at)}`);
    const raw = m[2] ?? m[3] ?? m[4] ?? '';
    attrs[m[1]!.toLowerCase()] = raw.replace(
      /&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g,
      (all, body: string) => decodeHtmlEntity(body) ?? all,
    );
    i += m[0].length;
  }
}

function closeHtmlTag(tag: OpenTag, end: number, open: OpenTag[], entities: TextEntity[]): void {
  const length = end - tag.start;
  const parent = open[open.length - 1];
  if (tag.name === 'code' && parent?.name === 'pre' && tag.attrs.class?.startsWith('language-')) {
    parent.language = tag.attrs.class.slice('language-'.length);
    return;
  }
  if (length === 0) return;
  const base = { offset: tag.start, length };
  switch (tag.name) {
    case 'a':
      if (tag.attrs.href) entities.push({ type: 'text_link', ...base, url: tag.attrs.href });
      return;
    case 'pre':
      entities.push({ type: 'pre', ...base, ...(tag.language ? { language: tag.language } : {}) });
      return;
    case 'blockquote':
      entities.push({ type: 'expandable' in tag.attrs ? 'expandable_blockquote' : 'blockquote', ...base });
      return;
    case 'tg-emoji':
      entities.push({ type: 'custom_emoji', ...base, custom_emoji_id: tag.attrs['emoji-id']! });
      return;
    default:
      entities.push({ type: htmlTags[tag.name]!, ...base });
  }
}

// ---------------------------------------------------------------- MarkdownV2

const reservedV2 = new Set('_*[]()~`>#+-=|{}.!');

const entityNames: Record<string, string> = {
  bold: 'Bold',
  italic: 'Italic',
  underline: 'Underline',
  strikethrough: 'Strikethrough',
  spoiler: 'Spoiler',
  text_link: 'TextUrl',
};

interface OpenMark {
  type: string;
  start: number;
  srcIndex: number;
}

function parseMarkdownV2(src: string): FormattedText {
  let text = '';
  const entities: TextEntity[] = [];
  const open: OpenMark[] = [];
  let quoteStart: number | undefined;
  const toggle = (type: string, at: number) => {
    const top = open[open.length - 1];
    if (top?.type === type) {
      open.pop();
      if (text.length > top.start)
        entities.push({ type, offset: top.start, length: text.length - top.start });
      return;
    }
    if (open.some((m) => m.type === type)) throw unclosedV2(src, top!);
    open.push({ type, start: text.length, srcIndex: at });
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    const lineStart = i === 0 || src[i - 1] === '\n';
    if (lineStart && ch === '>') {
      quoteStart ??= text.length;
      i++;
      continue;
    }
    if (ch === '\n' && quoteStart !== undefined && src[i + 1] !== '>') {
      if (text.length > quoteStart) {
        entities.push({ type: 'blockquote', offset: quoteStart, length: text.length - quoteStart });
      }
      quoteStart = undefined;
    }
    if (ch === '\\') {
      const next = src[i + 1];
      if (next !== undefined && next.charCodeAt(0) >= 1 && next.charCodeAt(0) <= 126) {
        text += next;
        i += 2;
      } else {
        text += ch;
        i++;
      }
      continue;
    }
    if (ch === '`') {
      const pre = src.startsWith('```', i);
      const body = readCodeV2(src, i + (pre ? 3 : 1), pre ? '```' : '`');
      if (!body)
        throw cantParse(
          `Can't find end of ${pre ? 'Pre' : 'Code'} entity at byte offset ${byteOffset(src, i)}`,
        );
      let content = body.text;
      let language: string | undefined;
      if (pre) {
        const nl = content.indexOf('\n');
        const first = nl >= 0 ? content.slice(0, nl) : '';
        if (nl >= 0 && first !== '' && !/\s/.test(first)) language = first;
        if (nl >= 0 && (language !== undefined || first === '')) content = content.slice(nl + 1);
      }
      if (content.length > 0) {
        entities.push({
          type: pre ? 'pre' : 'code',
          offset: text.length,
          length: content.length,
          ...(language ? { language } : {}),
        });
      }
      text += content;
      i = body.end;
      continue;
    }
    if (ch === '*') {
      toggle('bold', i);
      i++;
    } else if (ch === '_' && src[i + 1] === '_') {
      toggle('underline', i);
      i += 2;
    } else if (ch === '_') {
      toggle('italic', i);
      i++;
    } else if (ch === '~') {
      toggle('strikethrough', i);
      i++;
    } else if (ch === '|' && src[i + 1] === '|') {
      toggle('spoiler', i);
      i += 2;
    } else if (ch === '[') {
      open.push({ type: 'text_link', start: text.length, srcIndex: i });
      i++;
    } else if (ch === ']' && open.some((m) => m.type === 'text_link')) {
      const top = open[open.length - 1]!;
      if (top.type !== 'text_link') throw unclosedV2(src, top);
      if (src[i + 1] !== '(')
        throw cantParse(`Can't find end of TextUrl entity at byte offset ${byteOffset(src, top.srcIndex)}`);
      const url = readLinkUrlV2(src, i + 2);
      if (!url)
        throw cantParse(`Can't find end of TextUrl entity at byte offset ${byteOffset(src, top.srcIndex)}`);
      open.pop();
      if (text.length > top.start) {
        entities.push({
          type: 'text_link',
          offset: top.start,
          length: text.length - top.start,
          url: url.url,
        });
      }
      i = url.end;
    } else if (reservedV2.has(ch)) {
      throw cantParse(`Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
    } else {
      text += ch;
      i++;
    }
  }
  const top = open[open.length - 1];
  if (top) throw unclosedV2(src, top);
  if (quoteStart !== undefined && text.length > quoteStart) {
    entities.push({ type: 'blockquote', offset: quoteStart, length: text.length - quoteStart });
  }
  return { text, entities };
}

function unclosedV2(src: string, mark: OpenMark): Error {
  return cantParse(
    `Can't find end of ${entityNames[mark.type] ?? mark.type} entity at byte offset ${byteOffset(src, mark.srcIndex)}`,
  );
}

/** Inside code only "`" and "\" are escaped. */
function readCodeV2(src: string, from: number, fence: string): { text: string; end: number } | undefined {
  let text = '';
  for (let i = from; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\' && i + 1 < src.length) {
      text += src[++i];
    } else if (src.startsWith(fence, i)) {
      return { text, end: i + fence.length };
    } else {
      text += ch;
    }
  }
  return undefined;
}

/** Inside a link's (url) only ")" and "\" are escaped. */
function readLinkUrlV2(src: string, from: number): { url: string; end: number } | undefined {
  let url = '';
  for (let i = from; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\' && i + 1 < src.length) url += src[++i];
    else if (ch === ')') return { url, end: i + 1 };
    else url += ch;
  }
  return undefined;
}

// ---------------------------------------------------------------- legacy Markdown

function parseLegacyMarkdown(src: string): FormattedText {
  let text = '';
  const entities: TextEntity[] = [];
  const unclosed = (at: number) =>
    cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(src, at)}`);
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '\\' && '_*`['.includes(src[i + 1] ?? '')) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (ch === '*' || ch === '_') {
      const end = src.indexOf(ch, i + 1);
      if (end < 0) throw unclosed(i);
      const inner = src.slice(i + 1, end);
      if (inner.length > 0) {
        entities.push({ type: ch === '*' ? 'bold' : 'italic', offset: text.length, length: inner.length });
      }
      text += inner;
      i = end + 1;
      continue;
    }
    if (ch === '`') {
      const fence = src.startsWith('```', i) ? '```' : '`';
      const end = src.indexOf(fence, i + fence.length);
      if (end < 0) throw unclosed(i);
      const inner = src.slice(i + fence.length, end);
      if (inner.length > 0) {
        entities.push({ type: fence === '```' ? 'pre' : 'code', offset: text.length, length: inner.length });
      }
      text += inner;
      i = end + fence.length;
      continue;
    }
    if (ch === '[') {
      const m = /^\[([^\]]*)\]\(([^)]*)\)/.exec(src.slice(i));
      if (!m) throw unclosed(i);
      if (m[1]!.length > 0) {
        entities.push({ type: 'text_link', offset: text.length, length: m[1]!.length, url: m[2]! });
      }
      text += m[1];
      i += m[0].length;
      continue;
    }
    text += ch;
    i++;
  }
  return { text, entities };
}
