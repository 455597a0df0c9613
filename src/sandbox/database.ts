/**
 * The sandbox runs only on a database of its own: an empty one, which it marks, or one it
 * marked before. A database with anything else in it (a real committee's, another app's) is
 * refused before the sandbox writes a key.
 */
import type { Redis } from 'ioredis';
import { claimSandboxDatabase } from '../store/sandboxMark.js';

export class SandboxDatabaseError extends Error {
  constructor(readonly keys: number) {
    super(
      `Refusing to start the sandbox: its Redis database already holds ${keys} key(s) that are not a sandbox's ` +
        '(no sandbox mark, so it is probably a real deployment). The sandbox loads demo people and lets anyone act as ' +
        'the admin, so it never runs on such data.\n' +
        'Fix: point REDIS_URL at an empty database (e.g. another database number, redis://host:6379/15), or use another ' +
        'DATA_DIR for the embedded Redis; or set BOT_TOKEN to run the real bot on this data.',
    );
    this.name = 'SandboxDatabaseError';
  }
}

/** Claims the database for the sandbox; throws SandboxDatabaseError when it is someone else's. */
export async function useSandboxDatabase(redis: Redis, now: number): Promise<void> {
  const claim = await claimSandboxDatabase(redis, now);
  if (claim.kind === 'foreign') throw new SandboxDatabaseError(claim.keys);
}
