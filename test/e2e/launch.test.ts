/**
 * `npm start`'s launcher (`src/launch.mjs`): with no fresh `dist/` it starts the TypeScript source
 * through tsx and says how to build; the configuration check is the bot's own either way.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/app.js';

function launch(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['src/launch.mjs'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
    });
    child.stderr.on('data', (d) => {
      out += d.toString();
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('npm start', () => {
  it('runs the source through tsx when told to (or when dist/ is missing or stale), saying how to build', async () => {
    const { code, out } = await launch({ BOT_START: 'source', PORT: 'nope' });
    expect(out).toContain('npm run build');
    // main.ts ran: its configuration check answered, by variable name.
    expect(out).toContain('PORT: must be a whole number');
    expect(code).toBe(1);
  }, 30_000);
});
