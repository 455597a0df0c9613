/**
 * One send budget for every Telegram message the bot sends, replies and outbox alike, shared by
 * every process through Redis: at most `limit` sends in any sliding window of `windowMs`
 * (Telegram: about 30 in any second).
 *
 * - A sliding-window log, not interval pacing: `cb:send:log` is a sorted set of the sends of
 *   the last window (score: Redis `TIME` in ms). A send may go when fewer than its allowance are
 *   in the window; otherwise it is told how long until the oldest one leaves.
 * - A send is logged when it lands, not when it is asked for. Telegram counts a message when it
 *   reaches it, some milliseconds after its slot was taken (more when the event loop is busy); a
 *   slot logged at the take would leave our window that much before Telegram's count of it does,
 *   and a send taken in that gap is Telegram's 31st. So a slot is taken *in flight*, scored
 *   `IN_FLIGHT_MS` ahead (it counts, and no trim can drop it), and once the answer is back it is
 *   moved to when the answer came (`queueSentAt`, `sent`), which is after Telegram counted it.
 *   Then every slot leaves our window no sooner than Telegram's count of it, on whatever clock:
 *   only durations on Redis's clock are compared. The window is 1000 ms plus 1 ms for each of
 *   the two clocks (Redis's and Telegram's) that round to whole milliseconds.
 * - Replies go first: a reply may use the whole window; while a reply waits (`cb:send:replywait`,
 *   a flag of a quarter second) the outbox takes nothing.
 * - The outbox adapts: its allowance `cb:send:cap` drops to 85 % (never below a quarter of the
 *   limit) on a 429, and every send it is given creeps it back up by 0.1 toward the limit; a
 *   429 also pauses the outbox for Telegram's `retry_after` (`cb:outbox:pause`).
 * - The outbox's check and the per-chat limits (`chatLimits.ts`) are one script: a send is
 *   counted in the budget only when its chat may have it.
 *
 * Every check is one Lua script on Redis's clock, so processes whose clocks differ agree.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import type { ChatId } from '../chat/reply.js';
import { batch, evalScript } from '../store/batch.js';
import { CHAT_WAIT, type ChatLimitSettings, DEFAULT_CHAT_LIMITS } from './chatLimits.js';

const LOG = 'cb:send:log';
const CAP = 'cb:send:cap';
const REPLY_WAIT = 'cb:send:replywait';
const PAUSE = 'cb:outbox:pause';

export interface SendBudgetSettings {
  /** Sends in any window, over all chats and processes (SEND_BUDGET). @defaultValue 30 */
  limit: number;
  /** The sliding window, ms (SEND_BUDGET_WINDOW_MS). @defaultValue 1002 */
  windowMs: number;
}

export const DEFAULT_SEND_BUDGET: SendBudgetSettings = { limit: 30, windowMs: 1002 };

/**
 * How far ahead a slot in flight is scored: longer than a send may take (the outbox's sender
 * gives up after 15 s) and than a reply's slot is kept before its send (`replyBudget.ts`). It
 * counts until its send is answered and moved to the answer's time; a process that dies in
 * between leaves it to lapse this long after.
 */
export const IN_FLIGHT_MS = 30_000;
/** How soon to ask again when the window is full of sends still in flight (their answers come in milliseconds). */
const IN_FLIGHT_POLL_MS = 5;

// Shared by both scripts. Defines now (ms), trims the log, n = sends in the window (in flight
// included).
const WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
local function record(member)
  redis.call('ZADD', KEYS[1], now + ${IN_FLIGHT_MS}, member)
  redis.call('PEXPIRE', KEYS[1], ${IN_FLIGHT_MS} + window * 2)
end
local function untilFree(allowed)
  local oldest = redis.call('ZRANGE', KEYS[1], n - allowed, n - allowed, 'WITHSCORES')
  if not oldest[2] then return 1 end
  local at = tonumber(oldest[2])
  if at > now then return ${IN_FLIGHT_POLL_MS} end
  return math.max(1, at + window - now + 1)
end`;

// KEYS: log, replywait. ARGV: limit, window, member prefix, slots wanted, and optionally a level:
// take only while fewer than that many are in the window (else none, and no wait: slots taken
// ahead "in case" must not crowd out sends that are sure). Records as many as fit (members
// <prefix>:1…) and returns {granted, ms until the next frees (0 when all were granted)}.
const TAKE_REPLY = `${WINDOW}
local want = tonumber(ARGV[4])
if ARGV[5] and n + want > tonumber(ARGV[5]) then return {0, 0} end
local granted = math.min(want, limit - n)
if granted < 0 then granted = 0 end
for i = 1, granted do
  record(ARGV[3] .. ':' .. i)
end
if granted == want then
  redis.call('DEL', KEYS[2])
  return {granted, 0}
end
redis.call('SET', KEYS[2], '1', 'PX', 250)
n = n + granted
return {granted, untilFree(limit)}`;

// KEYS: log, replywait, cap, pause, chat. ARGV: limit, window, member, minGap, groupMax (0 for a
// private chat), groupWindow. {'go', 0} (the member is logged in flight), {'chat'|'paused'|'budget', ms to wait}.
const TAKE_OUTBOX = `${WINDOW}
${CHAT_WAIT}
local paused = redis.call('PTTL', KEYS[4])
if paused > 0 then return {'paused', paused} end
local chatWaitMs, keep = chatWait(KEYS[5], now, tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]))
if chatWaitMs > 0 then return {'chat', chatWaitMs} end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'budget', 25} end
local cap = tonumber(redis.call('GET', KEYS[3]) or ARGV[1])
local allowed = math.max(1, math.min(limit, math.floor(cap)))
if n >= allowed then return {'budget', untilFree(allowed)} end
record(ARGV[3])
chatRecord(KEYS[5], now, keep)
if cap < limit then redis.call('SET', KEYS[3], tostring(math.min(limit, cap + 0.1))) end
return {'go', 0}`;

// KEYS: cap, pause. ARGV: limit, pause ms. Cuts the outbox's allowance and pauses it.
const RATE_LIMITED = `
local limit = tonumber(ARGV[1])
local cap = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
redis.call('SET', KEYS[1], tostring(math.max(limit / 4, cap * 0.85)))
local ms = tonumber(ARGV[2])
if redis.call('PTTL', KEYS[2]) < ms then redis.call('SET', KEYS[2], '1', 'PX', ms) end
return 1`;

/** Slots granted to replies: members `<prefix>:1…<granted>` of the log; `waitMs` until more free up (0: all granted). */
export interface ReplySlots {
  prefix: string;
  granted: number;
  waitMs: number;
}

// KEYS: log. ARGV: window, then pairs of member and ms ago. Moves each member (still in the
// log) from in flight to when its send was answered; drops it if that is already out of the window.
const SENT_AT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 2, #ARGV, 2 do
  local at = now - tonumber(ARGV[i + 1])
  if at > now - tonumber(ARGV[1]) then
    redis.call('ZADD', KEYS[1], 'XX', at, ARGV[i])
  else
    redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return 1`;

/** What the budget said to an outbox send. `waitMs` counts from the call. */
export type Reservation =
  /**
   * Send now: the budget and the chat have counted it. `slot` is logged in flight: report the
   * answer with `sent` (or `unused` when the send never left).
   */
  | { kind: 'go'; waitMs: 0; slot: string }
  /** The chat had a message too recently: ask again after `waitMs`. Nothing was taken. */
  | { kind: 'chat'; waitMs: number }
  /** Telegram asked everyone to hold off (429) for `waitMs` more. Nothing was taken. */
  | { kind: 'paused'; waitMs: number }
  /** The window is full (or a reply is waiting): ask again after `waitMs`. Nothing was taken. */
  | { kind: 'budget'; waitMs: number };

let sequence = 0;
/** A member unique across processes for the send log. */
function member(): string {
  return `${process.pid}.${Date.now().toString(36)}.${(++sequence).toString(36)}`;
}

export class SendBudget {
  readonly settings: SendBudgetSettings;
  private readonly chat: ChatLimitSettings;

  constructor(
    private readonly redis: Redis,
    settings: Partial<SendBudgetSettings> = {},
    chatLimits: Partial<ChatLimitSettings> = {},
  ) {
    this.settings = { ...DEFAULT_SEND_BUDGET, ...settings };
    if (!(this.settings.limit > 0)) throw new Error('the send budget must be positive');
    this.chat = { ...DEFAULT_CHAT_LIMITS, ...chatLimits };
  }

  /** Up to `count` slots for replies now, and how long until more free up. */
  async takeReplies(count = 1): Promise<ReplySlots> {
    const prefix = member();
    const reply = await evalScript(
      this.redis,
      TAKE_REPLY,
      2,
      LOG,
      REPLY_WAIT,
      ...this.replyArgs(prefix, count),
    );
    return parseReply(prefix, reply);
  }

  /**
   * Adds a take of `count` reply slots to a pipeline (the update's first round trip); read the
   * reply with `parseReply(prefix, reply)`.
   */
  queueReplies(p: ChainableCommander, count: number, opts: { onlyWithRoom?: boolean } = {}): string {
    const prefix = member();
    const args = this.replyArgs(prefix, count);
    // "With room": only while the window is at most half full.
    if (opts.onlyWithRoom) args.push(Math.floor(this.settings.limit / 2));
    p.eval(TAKE_REPLY, 2, LOG, REPLY_WAIT, ...args);
    return prefix;
  }

  /**
   * Moves used slots from in flight to when their sends were answered (`agoMs` before now; a
   * duration, so the caller's clock need not agree with Redis's). Round `agoMs` down: later is
   * the safe side.
   */
  queueSentAt(p: ChainableCommander, sent: { member: string; agoMs: number }[]): void {
    if (sent.length === 0) return;
    p.eval(
      SENT_AT,
      1,
      LOG,
      this.settings.windowMs,
      ...sent.flatMap((s) => [s.member, Math.max(0, Math.floor(s.agoMs))]),
    );
  }

  /** Gives back slots taken ahead and not used (members `<prefix>:<from>…<to>`), in a pipeline. */
  queueRelease(p: ChainableCommander, prefix: string, from: number, to: number): void {
    const members: string[] = [];
    for (let i = from; i <= to; i++) members.push(`${prefix}:${i}`);
    if (members.length > 0) p.zrem(LOG, ...members);
  }

  private replyArgs(prefix: string, count: number): (string | number)[] {
    return [this.settings.limit, this.settings.windowMs, prefix, count];
  }

  /** Takes an outbox send to `chatId` if the chat and the budget allow it now. */
  async takeOutbox(chatId: ChatId): Promise<Reservation> {
    const { minGapMs, groupMax, groupWindowMs } = this.chat;
    const slot = member();
    const [kind, waitMs] = (await evalScript(
      this.redis,
      TAKE_OUTBOX,
      5,
      LOG,
      REPLY_WAIT,
      CAP,
      PAUSE,
      `cb:chatlimit:${chatId}`,
      this.settings.limit,
      this.settings.windowMs,
      slot,
      minGapMs,
      typeof chatId === 'number' && chatId < 0 ? groupMax : 0,
      groupWindowMs,
    )) as [Reservation['kind'], number];
    if (kind === 'go') return { kind, waitMs: 0, slot };
    return { kind, waitMs: Number(waitMs) } as Reservation;
  }

  /** An outbox send taken with `takeOutbox` was answered `agoMs` ago (any answer: Telegram may have counted it). */
  async sent(slot: string, agoMs: number): Promise<void> {
    await this.finishSlots((p) => this.queueSentAt(p, [{ member: slot, agoMs }]));
  }

  /** What `queue` adds to a pipeline (give-backs, answer times), in one round trip of its own. */
  async finishSlots(queue: (p: ChainableCommander) => void): Promise<void> {
    await batch(this.redis, queue);
  }

  /** An outbox slot whose send never reached Telegram (or was refused with a 429, which it does not count) goes back. */
  async unused(slot: string): Promise<void> {
    await this.redis.zrem(LOG, slot);
  }

  /** Telegram said 429: the outbox holds off for `ms` and its allowance drops. */
  async rateLimited(ms: number): Promise<void> {
    await evalScript(
      this.redis,
      RATE_LIMITED,
      2,
      CAP,
      PAUSE,
      this.settings.limit,
      Math.max(1, Math.ceil(ms)),
    );
  }

  /** Ms left of a pause, or 0. */
  async pausedFor(): Promise<number> {
    return Math.max(0, await this.redis.pttl(PAUSE));
  }

  /** The outbox's current allowance in a window (the limit until a 429 cuts it). */
  async outboxAllowance(): Promise<number> {
    const cap = await this.redis.get(CAP);
    return cap === null ? this.settings.limit : Number(cap);
  }
}

/** A reply take's answer, from `takeReplies` or from a pipeline `queueReplies` filled. */
export function parseReply(prefix: string, reply: unknown): ReplySlots {
  const [granted, waitMs] = reply as [number, number];
  return { prefix, granted: Number(granted), waitMs: Number(waitMs) };
}
