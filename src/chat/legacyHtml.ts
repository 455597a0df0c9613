/**
 * TEMPORARY bridge while features move onto the markup model: reads the small HTML subset the
 * older code wrote (`<b>`, `<i>`, `<code>`, `<a href>`, and the entities `&lt; &gt; &amp;
 * &quot;`) into markup. Deleted once no caller writes HTML.
 */
import { bold, code, italic, link, type Rich } from './markup.js';

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'" };
const unescapeHtml = (s: string) => s.replace(/&(lt|gt|amp|quot|#39);/g, (_, e: string) => ENTITIES[e] ?? '');

export function fromLegacyHtml(html: string): Rich {
  const stack: { tag: string; href?: string; parts: Rich[] }[] = [{ tag: '', parts: [] }];
  const re = /<(\/?)(b|i|code|a)(?:\s+href="([^"]*)")?>/g;
  let last = 0;
  for (const match of html.matchAll(re)) {
    const top = stack[stack.length - 1]!;
    if (match.index > last) top.parts.push(unescapeHtml(html.slice(last, match.index)));
    last = match.index + match[0].length;
    const [, closing, tag = '', href] = match;
    if (!closing) {
      stack.push({ tag, ...(href !== undefined ? { href: unescapeHtml(href) } : {}), parts: [] });
      continue;
    }
    const open = stack.pop();
    if (!open || stack.length === 0) throw new Error(`unbalanced </${tag}>`);
    const node =
      open.tag === 'b'
        ? bold(...open.parts)
        : open.tag === 'i'
          ? italic(...open.parts)
          : open.tag === 'code'
            ? code(...open.parts)
            : link(open.href ?? '', ...open.parts);
    stack[stack.length - 1]!.parts.push(node);
  }
  const root = stack[0]!;
  if (stack.length !== 1) throw new Error('unclosed tag');
  if (last < html.length) root.parts.push(unescapeHtml(html.slice(last)));
  return root.parts;
}
