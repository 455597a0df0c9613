/**
 * The sandbox web chat: one self-contained HTML file (inline CSS and script, nothing fetched
 * from elsewhere) that the host serves at `/` next to the emulator.
 */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The page's HTML, read once from `page.html` beside this module. */
export function sandboxPageHtml(): string {
  cached ??= readFileSync(new URL('./page.html', import.meta.url), 'utf8');
  return cached;
}
