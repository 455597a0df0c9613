/**
 * Claims Telegram updates so each is handled once across crashes, restarts and instances.
 *
 * `cb:upd:<bot id>:<update_id>` holds the owner's token while an instance handles the update (a lease
 * it renews) and `done` once handled. A redelivered update that is `done` is skipped; one whose
 * owner died mid-way is handled again once the lease runs out.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { type Call, record, sendBatch } from './batch.js';

const DONE = 'done';
const DONE_TTL_SECONDS = 7 * 24 * 3600;
export const HEARTBEAT_INTERVAL_MS = 1_000;
// Ten beats: a process that stalls for a few seconds under load (a long GC, a starved CPU) keeps
// its claims and chat turns; one that died loses them within 10 s, sooner than Telegram retries.
const HEARTBEAT_TTL_MS = 10_000;
/**
 * How long a finished update's done marker (and its send slots' bookkeeping) may wait for the
 * next claim to carry it to Redis before it goes on its own.
 */
const CARRY_MS = 20;

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

type Replies = [Error | null, unknown][];

/** Writes sent ahead of a claim, and who waits for their replies. */
interface SentAhead {
  calls: Call[];
  answer: (replies: Replies) => void;
}

export class UpdateClaims {
  /** What finished updates left to write, waiting for the next claim's round trip. */
  private carried: Call[] = [];
  private carryTimer: NodeJS.Timeout | undefined;
  /** Writes to send ahead of the next claim made in this tick. */
  private ahead: SentAhead[] = [];

  constructor(
    private readonly redis: Redis,
    /** Update ids are per bot; a new token must not inherit the old bot's claims. */
    private readonly botId: number | string,
    /** Unique per process, so a restarted process never mistakes an old lease for its own. */
    private readonly owner: string,
    readonly leaseMs = 15_000,
    private readonly log?: Logger,
  ) {}

  private key(updateId: number | string): string {
    return `cb:upd:${this.botId}:${updateId}`;
  }

  /** Says this process is alive; call every second or so. */
  async heartbeat(): Promise<void> {
    await this.redis.set(`cb:inst:${this.owner}`, '1', 'PX', HEARTBEAT_TTL_MS);
  }

  /** A clean stop: what finished updates left is written, and others may take over at once. */
  async retire(): Promise<void> {
    await this.flushCarried();
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
    const ahead = this.takeAhead();
    const carried = this.takeCarried();
    const sentAhead = ahead.flatMap((a) => a.calls);
    const all = await sendBatch(this.redis, [
      ...sentAhead,
      ...carried,
      ['eval', CLAIM, 1, this.key(updateId), this.owner, this.leaseMs],
      ...record(queue),
    ]);
    answerAhead(ahead, all);
    const results = all.slice(sentAhead.length);
    const [claim, ...reads] = results.slice(carried.length);
    if (!claim) throw new Error('the claim got no reply');
    if (claim[0]) {
      // The round trip failed (Redis away): what was carried waits for the next try.
      this.carry(carried);
      throw claim[0];
    }
    this.checkCarried(results.slice(0, carried.length));
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
   * Marks the update done (when `updateId` is given) with whatever else `queue` adds. The
   * commands ride on the next claim's round trip, or go on their own `CARRY_MS` later: under
   * load, a finished update costs no round trip of its own. Until they are written, a copy of
   * the update that Telegram sends again (only after a crash: the poller and the webhook skip
   * what they handled) is handled again, as any update in flight at a crash is.
   */
  finishWith(updateId: number | undefined, queue: (p: ChainableCommander) => void): void {
    const calls = record((p) => {
      if (updateId !== undefined) p.set(this.key(updateId), DONE, 'EX', DONE_TTL_SECONDS);
      queue(p);
    });
    this.carry(calls);
  }

  /**
   * Sends `calls` ahead of the next claim made in this tick, in its round trip: the poller keeps
   * fetched updates in the inbox just before their handlers claim them, and one write does both.
   * With no claim in this tick they go on their own at its end. Resolves with their replies.
   */
  sendAhead(calls: Call[]): Promise<Replies> {
    return new Promise((answer) => {
      this.ahead.push({ calls, answer });
      if (this.ahead.length === 1) process.nextTick(() => void this.flushAhead());
    });
  }

  /** Sends what no claim took along, on its own. */
  private async flushAhead(): Promise<void> {
    const ahead = this.takeAhead();
    if (ahead.length === 0) return;
    const calls = ahead.flatMap((a) => a.calls);
    answerAhead(ahead, await sendBatch(this.redis, calls));
  }

  private takeAhead(): SentAhead[] {
    const ahead = this.ahead;
    this.ahead = [];
    return ahead;
  }

  private carry(calls: readonly Call[]): void {
    if (calls.length === 0) return;
    this.carried.push(...calls);
    this.carryTimer ??= setTimeout(() => {
      this.flushCarried().catch(() => {});
    }, CARRY_MS);
  }

  /** Writes what finished updates left, now. */
  async flushCarried(): Promise<void> {
    const calls = this.takeCarried();
    if (calls.length === 0) return;
    this.checkCarried(await sendBatch(this.redis, calls));
  }

  private takeCarried(): Call[] {
    clearTimeout(this.carryTimer);
    this.carryTimer = undefined;
    const calls = this.carried;
    this.carried = [];
    return calls;
  }

  /** A failed carried write loses a done marker: that update would be handled again if resent. */
  private checkCarried(replies: [Error | null, unknown][]): void {
    const err = replies.find(([e]) => e)?.[0];
    if (err) this.log?.warn({ err: err.message }, 'could not mark finished updates done');
  }

  async state(updateId: number | string): Promise<string | null> {
    return this.redis.get(this.key(updateId));
  }
}

/** Gives each writer sent ahead its own replies, from the front of a batch's. */
function answerAhead(ahead: readonly SentAhead[], replies: Replies): void {
  let at = 0;
  for (const a of ahead) {
    a.answer(replies.slice(at, at + a.calls.length));
    at += a.calls.length;
  }
}
