/**
 * `npm start`: runs the compiled bot (`dist/`, made by `npm run build`) when it is there and
 * newer than every source file, because compiled JavaScript starts faster and in less memory;
 * otherwise the TypeScript source through tsx, so a fresh clone starts with no build step.
 * Plain JavaScript, so it runs before anything is compiled.
 *
 * BOT_START=compiled or BOT_START=source forces one way (the startup benchmark measures both).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const compiled = path.join(root, 'dist', 'src', 'main.js');

/** The newest modification time of the sources the build compiles (and copies: the page, the PNG worker). */
function newestSource() {
  let newest = statSync(path.join(root, 'package.json')).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|mjs|html)$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of ['src', 'commands', 'jobs']) walk(path.join(root, dir));
  return newest;
}

function choose() {
  const forced = process.env.BOT_START;
  if (forced === 'compiled' || forced === 'source') return forced;
  if (!existsSync(compiled)) return 'source';
  return statSync(compiled).mtimeMs >= newestSource() ? 'compiled' : 'stale';
}

const way = choose();
if (way === 'compiled') {
  await import(pathToFileURL(compiled).href);
} else {
  process.stderr.write(
    way === 'stale'
      ? 'dist/ is older than the source: starting from source. Run `npm run build` for a faster start.\n'
      : 'Starting from source (tsx). `npm run build` compiles to dist/, which `npm start` then runs: faster and smaller.\n',
  );
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'src', 'main.ts')).href);
}
