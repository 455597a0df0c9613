/**
 * One send budget for every Telegram message the bot sends, replies and outbox alike, shared by
 * every process through Redis: at most `limit` sends in any sliding window of `windowMs`
 * (Telegram: about 30 a second overall; the window is a little over a second so that jitter
 * between our clock and the moment a send reaches Telegram cannot put 31 in one of its seconds).
 *
 * - A sliding-window log, not interval pacing: `cb:send:log` is a sorted set of the sends of
 *   the last window (score: Redis `TIME` in ms). A send may go when fewer than its allowance are
 *   in the window; otherwise it is told how long until the oldest one leaves.
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
import { CHAT_WAIT, type ChatLimitSettings, DEFAULT_CHAT_LIMITS } from './chatLimits.js';

const LOG = 'cb:send:log';
const CAP = 'cb:send:cap';
const REPLY_WAIT = 'cb:send:replywait';
const PAUSE = 'cb:outbox:pause';

export interface SendBudgetSettings {
  /** Sends in any window, over all chats and processes (SEND_BUDGET). @defaultValue 30 */
  limit: number;
  /** The sliding window, ms (SEND_BUDGET_WINDOW_MS). @defaultValue 1025 */
  windowMs: number;
}

export const DEFAULT_SEND_BUDGET: SendBudgetSettings = { limit: 30, windowMs: 1025 };

// Shared by both scripts. Defines now (ms), trims the log, n = sends in the window.
const WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
local function record(member)
  redis.call('ZADD', KEYS[1], now, member)
  redis.call('PEXPIRE', KEYS[1], window * 2)
end
local function untilFree(allowed)
  local oldest = redis.call('ZRANGE', KEYS[1], n - allowed, n - allowed, 'WITHSCORES')
  if oldest[2] then return math.max(1, tonumber(oldest[2]) + window - now + 1) end
  return 1
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
  redis.call('ZADD', KEYS[1], now, ARGV[3] .. ':' .. i)
end
if granted > 0 then redis.call('PEXPIRE', KEYS[1], window * 2) end
if granted == want then
  redis.call('DEL', KEYS[2])
  return {granted, 0}
end
redis.call('SET', KEYS[2], '1', 'PX', 250)
n = n + granted
return {granted, untilFree(limit)}`;

// KEYS: log, replywait, cap, pause, chat. ARGV: limit, window, member, minGap, groupMax (0 for a
// private chat), groupWindow. {'go', 0}, {'chat'|'paused'|'budget', ms to wait}.
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

// KEYS: log. ARGV: window, then pairs of member and ms ago. Re-scores each member to when it was sent.
const SENT_AT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 2, #ARGV, 2 do
  local at = now - tonumber(ARGV[i + 1])
  if at > now - tonumber(ARGV[1]) then redis.call('ZADD', KEYS[1], at, ARGV[i]) end
end
return 1`;

/** What the budget said to an outbox send. `waitMs` counts from the call. */
export type Reservation =
  /** Send now: the budget and the chat have counted it. */
  | { kind: 'go'; waitMs: 0 }
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
    const reply = await this.redis.eval(TAKE_REPLY, 2, LOG, REPLY_WAIT, ...this.replyArgs(prefix, count));
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
   * Moves used slots to when their messages really went (`agoMs` before now, Redis's clock): a
   * slot taken with the claim is logged at the claim, and the send came later.
   */
  queueSentAt(p: ChainableCommander, sent: { member: string; agoMs: number }[]): void {
    if (sent.length === 0) return;
    p.eval(
      SENT_AT,
      1,
      LOG,
      this.settings.windowMs,
      ...sent.flatMap((s) => [s.member, Math.max(0, Math.round(s.agoMs))]),
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
    const [kind, waitMs] = (await this.redis.eval(
      TAKE_OUTBOX,
      5,
      LOG,
      REPLY_WAIT,
      CAP,
      PAUSE,
      `cb:chatlimit:${chatId}`,
      this.settings.limit,
      this.settings.windowMs,
      member(),
      minGapMs,
      typeof chatId === 'number' && chatId < 0 ? groupMax : 0,
      groupWindowMs,
    )) as [Reservation['kind'], number];
    return { kind, waitMs: Number(waitMs) } as Reservation;
  }

  /** Telegram said 429: the outbox holds off for `ms` and its allowance drops. */
  async rateLimited(ms: number): Promise<void> {
    await this.redis.eval(RATE_LIMITED, 2, CAP, PAUSE, this.settings.limit, Math.max(1, Math.ceil(ms)));
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
