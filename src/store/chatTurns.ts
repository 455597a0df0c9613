/**
 * Per-chat turns across bot instances (webhook mode behind a load balancer): the updates of one
 * chat are handled one at a time, in update_id order, whichever instance received them.
 *
 * - `cb:chatq:<bot id>:<chat>` is a sorted set of the chat's updates waiting (score update_id,
 *   member the update's JSON), so whoever holds the chat's turn can handle an update another
 *   instance received.
 * - `cb:chatturn:<bot id>:<chat>` holds `<instance>/<call>` while one webhook call drains the
 *   chat (one call, not one process: two calls in one process must not share a turn). A holder
 *   whose instance heartbeat (`cb:inst:<instance>`, see `UpdateClaims`) has lapsed loses the turn
 *   at once; the lease is the backstop for a holder that is alive but stuck.
 *
 * Each step is one script, so an instance arrives, takes the turn and gets the next update in
 * one round trip, and finishes an update and gets the next (or gives the turn back when the
 * queue is empty) in another. Handling itself stays idempotent through the update claims.
 */
import type { Redis } from 'ioredis';
import { evalScript } from './batch.js';

const TAKE_TURN = `
local holder = redis.call('GET', KEYS[2])
if holder == false or holder == ARGV[1] or redis.call('EXISTS', 'cb:inst:' .. string.match(holder, '^[^/]*')) == 0 then
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
  local first = redis.call('ZRANGE', KEYS[1], 0, 0)
  if first[1] then return {'turn', first[1]} end
  redis.call('DEL', KEYS[2])
  return {'empty'}
end
return {'busy'}`;

// KEYS: queue, turn. ARGV: owner, lease, update JSON, update id.
const ARRIVE = `
redis.call('ZADD', KEYS[1], 'NX', ARGV[4], ARGV[3])
redis.call('PEXPIRE', KEYS[1], 86400000)
${TAKE_TURN}`;

// KEYS: queue, turn. ARGV: owner, lease, update id (or -1). Returns 'done' when the update is no
// longer waiting, else tries for the turn.
const WAIT = `
if tonumber(ARGV[3]) >= 0 and #redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[3], ARGV[3], 'LIMIT', 0, 1) == 0 then
  return {'done'}
end
${TAKE_TURN}`;

// KEYS: queue, turn. ARGV: owner, lease, update id handled. Removes it; hands back the next one
// (the turn kept), or gives the turn back when none is waiting.
const ADVANCE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[3], ARGV[3])
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {'lost'} end
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if first[1] then
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  return {'turn', first[1]}
end
redis.call('DEL', KEYS[2])
return {'empty'}`;

// KEYS: turn. ARGV: owner.
const GIVE_BACK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** What a step found: the next update to handle (the turn is ours), or why there is none. */
export type TurnStep =
  | { kind: 'turn'; json: string }
  /** Nothing waiting; the turn was given back. */
  | { kind: 'empty' }
  /** Another live instance holds the chat's turn. */
  | { kind: 'busy' }
  /** The update waited for has been handled (by whoever held the turn). */
  | { kind: 'done' }
  /** The turn lapsed while we handled an update: someone else drains now. */
  | { kind: 'lost' };

export class ChatTurns {
  private calls = 0;

  constructor(
    private readonly redis: Redis,
    private readonly botId: number,
    /** This instance's id, the one its heartbeat keeps alive (`UpdateClaims`). */
    private readonly owner: string,
    readonly leaseMs = 30_000,
  ) {}

  private keys(chat: string): [string, string] {
    return [`cb:chatq:${this.botId}:${chat}`, `cb:chatturn:${this.botId}:${chat}`];
  }

  /** A holder name for one call: this instance, and a number unique within it. */
  holder(): string {
    return `${this.owner}/${++this.calls}`;
  }

  /** Queues the update for its chat and tries for the chat's turn as `holder`. */
  async arrive(holder: string, chat: string, updateId: number, json: string): Promise<TurnStep> {
    return step(
      await evalScript(this.redis, ARRIVE, 2, ...this.keys(chat), holder, this.leaseMs, json, updateId),
    );
  }

  /** While another call holds the turn: is `updateId` handled yet, or may we take over? */
  async wait(holder: string, chat: string, updateId: number): Promise<TurnStep> {
    return step(await evalScript(this.redis, WAIT, 2, ...this.keys(chat), holder, this.leaseMs, updateId));
  }

  /** `updateId` is handled: drop it and get the chat's next update, or give the turn back. */
  async advance(holder: string, chat: string, updateId: number): Promise<TurnStep> {
    return step(await evalScript(this.redis, ADVANCE, 2, ...this.keys(chat), holder, this.leaseMs, updateId));
  }

  /** Gives the turn back without handling more (an update failed; another call may try). */
  async giveBack(holder: string, chat: string): Promise<void> {
    await evalScript(this.redis, GIVE_BACK, 1, this.keys(chat)[1], holder);
  }

  /** Updates waiting for a chat (tests and health). */
  async waiting(chat: string): Promise<number> {
    return this.redis.zcard(this.keys(chat)[0]);
  }
}

function step(reply: unknown): TurnStep {
  const [kind, json] = reply as [TurnStep['kind'], string?];
  return kind === 'turn' ? { kind, json: json ?? '' } : ({ kind } as TurnStep);
}
