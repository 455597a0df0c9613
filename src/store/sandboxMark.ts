/**
 * The mark that says a Redis database belongs to a sandbox. The sandbox loads demo people and
 * lets anyone act as the admin, so it must never run on a real committee's data: it claims
 * only an empty database (marking it), or one it marked before.
 *
 * Key: `cb:sandbox` (string): when the sandbox first claimed the database, ms since epoch.
 */
import type { Redis } from 'ioredis';

export const SANDBOX_MARK_KEY = 'cb:sandbox';

/**
 * `marked`: the sandbox's own database; `claimed`: it was empty and is the sandbox's from now
 * on; `foreign`: it holds other data (keys counted, for the operator's message).
 */
export type SandboxClaim = { kind: 'marked' } | { kind: 'claimed' } | { kind: 'foreign'; keys: number };

// One script, so a bot writing its first key cannot slip between the look and the mark.
const CLAIM = `
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local n = redis.call('DBSIZE')
if n == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
return n`;

/** Claims the connected database for a sandbox, or says why it is not one. */
export async function claimSandboxDatabase(redis: Redis, now: number): Promise<SandboxClaim> {
  const n = Number(await redis.eval(CLAIM, 1, SANDBOX_MARK_KEY, String(now)));
  if (n < 0) return { kind: 'marked' };
  if (n === 0) return { kind: 'claimed' };
  return { kind: 'foreign', keys: n };
}
