/**
 * Claims Telegram updates so each is handled once across crashes, restarts and instances.
 *
 * `cb:upd:<bot id>:<update_id>` holds the owner's token while an instance handles the update (a lease
 * it renews) and `done` once handled. A redelivered update that is `done` is skipped; one whose
 * owner died mid-way is handled again once the lease runs out.
 */
import type { ChainableCommander, Redis } from 'ioredis';

const DONE = 'done';
const DONE_TTL_SECONDS = 7 * 24 * 3600;
export const HEARTBEAT_INTERVAL_MS = 1_000;
// Ten beats: a process that stalls for a few seconds under load (a long GC, a starved CPU) keeps
// its claims and chat turns; one that died loses them within 10 s, sooner than Telegram retries.
const HEARTBEAT_TTL_MS = 10_000;

const CLAIM = `
local v = redis.call('GET', KEYS[1])
if v == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
if v == '${DONE}' then return 'done' end
if v == ARGV[1] or redis.call('EXISTS', 'cb:inst:' .. v) == 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
return 'busy'`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

export type ClaimResult = 'claimed' | 'done' | 'busy';

export class UpdateClaims {
  constructor(
    private readonly redis: Redis,
    /** Update ids are per bot; a new token must not inherit the old bot's claims. */
    private readonly botId: number | string,
    /** Unique per process, so a restarted process never mistakes an old lease for its own. */
    private readonly owner: string,
    readonly leaseMs = 15_000,
  ) {}

  private key(updateId: number | string): string {
    return `cb:upd:${this.botId}:${updateId}`;
  }

  /** Says this process is alive; call every second or so. */
  async heartbeat(): Promise<void> {
    await this.redis.set(`cb:inst:${this.owner}`, '1', 'PX', HEARTBEAT_TTL_MS);
  }

  /** A clean stop: others may take over this process's claims at once. */
  async retire(): Promise<void> {
    await this.redis.del(`cb:inst:${this.owner}`);
  }

  async claim(updateId: number | string): Promise<ClaimResult> {
    return (await this.redis.eval(CLAIM, 1, this.key(updateId), this.owner, this.leaseMs)) as ClaimResult;
  }

  /**
   * Claims the update and, in the same round trip, runs the reads `queue` adds to the pipeline
   * (what every update needs: the person, their roles, their dialog). The replies of those
   * reads are returned in order; they mean nothing unless the claim is `claimed`.
   */
  async claimWith(
    updateId: number | string,
    queue: (pipeline: ChainableCommander) => void,
  ): Promise<{ state: ClaimResult; replies: unknown[]; readError?: Error }> {
    const pipeline = this.redis.pipeline().eval(CLAIM, 1, this.key(updateId), this.owner, this.leaseMs);
    queue(pipeline);
    const results = (await pipeline.exec()) ?? [];
    const [claim, ...reads] = results;
    if (!claim) throw new Error('the claim got no reply');
    if (claim[0]) throw claim[0];
    // A failed read (a damaged record) is the handler's problem, reported inside its error boundary.
    const readError = reads.find(([err]) => err)?.[0] ?? undefined;
    return {
      state: claim[1] as ClaimResult,
      replies: reads.map(([, value]) => value),
      ...(readError ? { readError } : {}),
    };
  }

  async renew(updateId: number | string): Promise<void> {
    await this.redis.eval(RENEW, 1, this.key(updateId), this.owner, this.leaseMs);
  }

  async finish(updateId: number | string): Promise<void> {
    await this.redis.set(this.key(updateId), DONE, 'EX', DONE_TTL_SECONDS);
  }

  /**
   * Marks the update done (when `updateId` is given) with whatever else `queue` adds, in one
   * round trip; nothing is sent when there is nothing to do.
   */
  async finishWith(updateId: number | undefined, queue: (p: ChainableCommander) => void): Promise<void> {
    const p = this.redis.pipeline();
    if (updateId !== undefined) p.set(this.key(updateId), DONE, 'EX', DONE_TTL_SECONDS);
    queue(p);
    if (p.length === 0) return;
    const replies = (await p.exec()) ?? [];
    for (const [err] of replies) if (err) throw err;
  }

  async state(updateId: number | string): Promise<string | null> {
    return this.redis.get(this.key(updateId));
  }
}
