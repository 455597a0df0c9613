/**
 * `npm run fuzz -- --updates N --seed S [--timeout MS] [--trace]`: N random updates from every role, in
 * private chats and groups, against the real bot and the Bot API emulator, on a redis-server of
 * its own (see `bench/fuzz/`). Prints one JSON line on stdout,
 * `{updates, unanswered, apologies, invalid_replies, crashes}`, and each kind of finding on
 * stderr with the first update that caused it. Exits 1 when there was any apology, invalid reply
 * or crash. `npm run bench -- fuzz` runs it too (defaults: 1,000 updates, seed 1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmbeddedRedis } from '../src/infra/embeddedRedis.js';
import { runFuzz } from './fuzz/runner.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(value) || value < 0) {
    process.stderr.write(`--${name} takes a whole number, got ${process.argv[i + 1] ?? 'nothing'}\n`);
    process.exit(2);
  }
  return value;
}

/** Runs the fuzz; resolves with the exit code. */
export async function fuzz(): Promise<number> {
  const updates = flag('updates', 1_000);
  const seed = flag('seed', 1);
  const timeoutMs = flag('timeout', 20_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-fuzz-'));
  const redis = await startEmbeddedRedis({ dir, appendfsync: 'no' });
  try {
    const started = Date.now();
    const result = await runFuzz({
      updates,
      seed,
      redisUrl: redis.url,
      timeoutMs,
      progress: (line) => process.stderr.write(`${line}\n`),
      ...(process.argv.includes('--trace')
        ? { trace: (line: string) => process.stderr.write(`${line}\n`) }
        : {}),
    });
    const { findings, ...counts } = result;
    for (const f of findings) process.stderr.write(`${JSON.stringify(f)}\n`);
    process.stderr.write(
      `seed ${seed}: ${updates} updates in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    process.stdout.write(`${JSON.stringify(counts)}\n`);
    return counts.apologies + counts.invalid_replies + counts.crashes > 0 ? 1 : 0;
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** For `npm run bench -- fuzz`: fails when the fuzz found anything. */
export default async function run(): Promise<void> {
  if ((await fuzz()) !== 0) throw new Error('the fuzz found apologies, invalid replies or crashes');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await fuzz();
}
