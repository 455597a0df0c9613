/**
 * Runs one benchmark: `npm run bench -- <name>` loads `bench/<name>.ts` and awaits its default
 * export, `async function run(): Promise<void>`.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const here = import.meta.dirname;
const available = () =>
  readdirSync(here)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
    .map((f) => f.slice(0, -3))
    .join(', ');

const name = process.argv[2];
const file = name && /^[A-Za-z0-9_-]+$/.test(name) ? path.join(here, `${name}.ts`) : undefined;
if (!file || !existsSync(file)) {
  console.error(`usage: npm run bench -- <name>   (available: ${available()})`);
  process.exit(2);
}
const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
if (typeof mod.default !== 'function') {
  console.error(`bench/${name}.ts has no default export async function run()`);
  process.exit(2);
}
try {
  await (mod.default as () => Promise<void>)();
  process.exit(0);
} catch (err) {
  console.error(err);
  process.exit(1);
}
