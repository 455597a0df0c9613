/**
 * The markup model replies are written in: plain strings plus bold, italic, code and links,
 * with line breaks as `\n` inside strings. It is plain JSON, so a reply survives a trip through
 * an outbox job. Callers never escape anything: each channel's renderer escapes text once, as
 * its own format needs (`src/telegram/render.ts`, the Zalo renderer, `toPlainText` for the CLI).
 *
 * ```ts
 * const text = [bold('Chi bộ Thôn 1'), ': ', name, '\n', italic('chưa báo cáo')];
 * ```
 */

/** One piece of text: a plain string (any characters; escaped by the renderer) or a styled span. */
export type Inline =
  | string
  | { readonly b: Rich }
  | { readonly i: Rich }
  | { readonly code: Rich }
  | { readonly href: string; readonly label: Rich };

/** Text in the markup model: one piece or a sequence of them. */
export type Rich = Inline | readonly Rich[];

export const bold = (...parts: Rich[]): Inline => ({ b: parts });
export const italic = (...parts: Rich[]): Inline => ({ i: parts });
export const code = (...parts: Rich[]): Inline => ({ code: parts });
export const link = (href: string, ...parts: Rich[]): Inline => ({ href, label: parts });

/** Lines joined with line breaks; `undefined`, `false` and `null` entries are left out. */
export function lines(...rows: (Rich | undefined | false | null)[]): Rich[] {
  const kept = rows.filter((r): r is Rich => r !== undefined && r !== false && r !== null);
  return kept.flatMap((r, i) => (i === 0 ? [r] : ['\n', r]));
}

/** Joins pieces with a separator: `join([a, b], ', ')`. */
export function join(parts: readonly Rich[], separator: Rich): Rich[] {
  return parts.flatMap((p, i) => (i === 0 ? [p] : [separator, p]));
}

/** A bulleted list, one item a line. */
export function bullets(items: readonly Rich[], bullet = '• '): Rich[] {
  return lines(...items.map((item) => [bullet, item]));
}

/** A numbered list, one item a line: "1. …". */
export function numbered(items: readonly Rich[]): Rich[] {
  return lines(...items.map((item, i) => [`${i + 1}. `, item]));
}

/** A stretch of text with one style, as the renderers see it. */
export interface Run {
  text: string;
  b?: true;
  i?: true;
  code?: true;
  href?: string;
}

type Style = Omit<Run, 'text'>;

/** Flattens markup into styled runs, in order; line breaks stay inside the run texts. */
export function toRuns(rich: Rich): Run[] {
  const runs: Run[] = [];
  const walk = (node: Rich, style: Style) => {
    if (typeof node === 'string') {
      if (node !== '') runs.push({ ...style, text: node });
    } else if (isList(node)) {
      for (const child of node) walk(child, style);
    } else if ('b' in node) walk(node.b, { ...style, b: true });
    else if ('i' in node) walk(node.i, { ...style, i: true });
    else if ('code' in node) walk(node.code, { ...style, code: true });
    else walk(node.label, { ...style, href: node.href });
  };
  walk(rich, {});
  return runs;
}

function isList(node: Rich): node is readonly Rich[] {
  return Array.isArray(node);
}

/**
 * The markup split into lines, each a list of runs with no line break inside: a style that
 * spans a break is closed before it and reopened after, so every line renders on its own and a
 * long message can be cut between any two lines.
 */
export function toLines(rich: Rich): Run[][] {
  const out: Run[][] = [[]];
  for (const run of toRuns(rich)) {
    const parts = run.text.split('\n');
    parts.forEach((text, i) => {
      if (i > 0) out.push([]);
      if (text !== '') out[out.length - 1]!.push({ ...run, text });
    });
  }
  return out;
}

/** The text without any styling: for the CLI, logs, tests and plain-text channels. */
export function toPlainText(rich: Rich): string {
  return toRuns(rich)
    .map((r) => r.text)
    .join('');
}

/** True when the markup holds no visible text. */
export function isBlank(rich: Rich): boolean {
  return toPlainText(rich).trim() === '';
}

/**
 * Renders markup line by line and packs the lines into chunks of at most `limit` characters
 * (as measured by `measure`, the rendered length by default), breaking only between lines. A
 * single line longer than the limit is cut inside its text, on a code point boundary, and each
 * piece keeps its style.
 */
export function renderChunks(
  rich: Rich,
  renderLine: (runs: Run[]) => string,
  limit: number,
  measure: (rendered: string) => number = (s) => s.length,
): string[] {
  const chunks: string[] = [];
  let current: string | undefined;
  const push = (line: string) => {
    if (current === undefined) current = line;
    else if (measure(current) + 1 + measure(line) <= limit) current += `\n${line}`;
    else {
      chunks.push(current);
      current = line;
    }
  };
  for (const runs of toLines(rich)) {
    const rendered = renderLine(runs);
    if (measure(rendered) <= limit) push(rendered);
    else for (const piece of cutLine(runs, renderLine, limit, measure)) push(piece);
  }
  if (current !== undefined) chunks.push(current);
  return chunks.length > 0 ? chunks : [''];
}

/** Cuts one over-long line into rendered pieces under `limit`, at spaces when it can. */
function cutLine(
  runs: Run[],
  renderLine: (runs: Run[]) => string,
  limit: number,
  measure: (rendered: string) => number,
): string[] {
  const pieces: string[] = [];
  let current: Run[] = [];
  const fits = (candidate: Run[]) => measure(renderLine(candidate)) <= limit;
  for (const run of runs) {
    let rest = [...run.text];
    while (rest.length > 0) {
      // The longest prefix of `rest` that still fits after what the piece already holds.
      let lo = 0;
      let hi = rest.length;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (fits([...current, { ...run, text: rest.slice(0, mid).join('') }])) lo = mid;
        else hi = mid - 1;
      }
      if (lo === 0) {
        if (current.length === 0)
          lo = 1; // a single character that cannot fit: send it alone
        else {
          pieces.push(renderLine(current));
          current = [];
          continue;
        }
      }
      let take = lo;
      let skip = 0;
      if (take < rest.length) {
        // Cut at the last space that fits; the space itself is where the line breaks.
        const space = rest.lastIndexOf(' ', take);
        if (space > 0) {
          take = space;
          skip = 1;
        }
      }
      current.push({ ...run, text: rest.slice(0, take).join('') });
      rest = rest.slice(take + skip);
      if (rest.length > 0) {
        pieces.push(renderLine(current));
        current = [];
      }
    }
  }
  if (current.length > 0) pieces.push(renderLine(current));
  return pieces;
}
