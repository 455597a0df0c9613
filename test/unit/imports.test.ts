/**
 * The shape of the house, checked on every run: no import cycles (type-only imports count), and
 * the messenger libraries stay at the edges — only the channel adapters (`src/telegram/`,
 * `src/zalo/`) and the sandbox may import telegraf or a channel adapter; the domain imports no
 * catalogue; stores return codes, not text; commands reach Redis only through services.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCES = ['src', 'commands', 'jobs'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

const all = SOURCES.flatMap((d) => files(path.join(ROOT, d)));
const rel = (f: string) => path.relative(ROOT, f);

/** Every import and re-export specifier of a file (`import type` included). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  const re =
    /^\s*(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

/** The project files a file imports (relative specifiers resolved, `.js` → `.ts`). */
const graph = new Map<string, string[]>(
  all.map((f) => [
    rel(f),
    specifiers(f)
      .filter((s) => s.startsWith('.'))
      .map((s) => rel(path.resolve(path.dirname(f), s.replace(/\.js$/, '.ts')))),
  ]),
);

function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

const importing = (pattern: RegExp, where: (f: string) => boolean) =>
  all.filter((f) => where(rel(f)) && specifiers(f).some((s) => pattern.test(s))).map(rel);

describe('the house', () => {
  it('has no import cycles, type-only imports included', () => {
    expect(cycles().map((c) => c.join(' → '))).toEqual([]);
  });

  it('keeps telegraf and the channel adapters at the edges', () => {
    const edge = (f: string) => /^src\/(telegram|zalo|sandbox)\//.test(f) || f === 'src/app.ts';
    expect(importing(/^telegraf$|^@telegraf\//, (f) => !edge(f))).toEqual([]);
    expect(importing(/\/telegram\/|\/zalo\//, (f) => !edge(f) && !f.startsWith('src/cli'))).toEqual([]);
    // Each channel adapter stands alone: what both need lives in the core.
    expect(importing(/\/telegram\//, (f) => f.startsWith('src/zalo/'))).toEqual([]);
    expect(importing(/\/zalo\//, (f) => f.startsWith('src/telegram/'))).toEqual([]);
  });

  it('keeps the domain pure and the stores free of wording', () => {
    expect(
      importing(/\/messages\//, (f) => f.startsWith('src/domain/') || f.startsWith('src/store/')),
    ).toEqual([]);
    const io = /^ioredis$|^bullmq$|^node:(fs|net|http|https|child_process|dgram|os|worker_threads|timers)/;
    expect(importing(io, (f) => f.startsWith('src/domain/'))).toEqual([]);
  });

  it('lets commands reach Redis only through services', () => {
    expect(importing(/\/store\/|^ioredis$/, (f) => f.startsWith('commands/'))).toEqual([]);
  });
});
