/**
 * Telegram's sending limits, kept in Redis so every worker process shares them. Each check is
 * one Lua script on Redis's own clock (`TIME`) that answers with a relative wait, so processes
 * whose clocks differ still agree.
 *
 * Keys: `cb:chatlimit:<chatId>` sorted set: recent send times to that chat (ms), trimmed to the
 * window. The overall limit, shared with replies, is the send budget (`sendBudget.ts`), checked
 * in the same script as the chat's.
 */

import type { Redis } from 'ioredis';
import type { ChatId } from '../chat/reply.js';
import { evalScript } from '../store/batch.js';

export interface ChatLimitSettings {
  /** Least gap between two messages to one chat. Telegram allows about one a second; the margin covers network jitter. */
  minGapMs: number;
  /** Most messages to one group (negative chat id) within `groupWindowMs`. Telegram: 20 a minute. */
  groupMax: number;
  groupWindowMs: number;
}

export const DEFAULT_CHAT_LIMITS: ChatLimitSettings = {
  minGapMs: 1_100,
  groupMax: 20,
  groupWindowMs: 61_000,
};

// The per-chat rule as a Lua function: ms until a send to the chat at `at` is allowed (0 = now),
// and how long its send times must be kept.
export const CHAT_WAIT = `
local function chatWait(key, at, gap, max, window)
  local keep = gap
  if max > 0 and window > keep then keep = window end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', at - keep)
  local wait = 0
  local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if last[2] then
    local w = tonumber(last[2]) + gap - at
    if w > wait then wait = w end
  end
  if max > 0 then
    local n = redis.call('ZCARD', key)
    if n >= max then
      local oldest = redis.call('ZRANGE', key, n - max, n - max, 'WITHSCORES')
      local w = tonumber(oldest[2]) + window - at
      if w > wait then wait = w end
    end
  end
  return wait, keep
end
local function chatRecord(key, at, keep)
  redis.call('ZADD', key, at, tostring(at))
  redis.call('PEXPIRE', key, keep + 1000)
end`;

// ARGV: minGap, groupMax (0 for a private chat), groupWindow. Returns 0 and records the send,
// or the ms to wait.
const TAKE_CHAT = `${CHAT_WAIT}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait, keep = chatWait(KEYS[1], now, tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
if wait > 0 then return wait end
chatRecord(KEYS[1], now, keep)
return 0`;

/** Per-chat limits: at most one message a second to a chat, and 20 a minute to a group. */
export class ChatLimits {
  private readonly settings: ChatLimitSettings;

  constructor(
    private readonly redis: Redis,
    settings: Partial<ChatLimitSettings> = {},
  ) {
    this.settings = { ...DEFAULT_CHAT_LIMITS, ...settings };
  }

  /**
   * Claims a send to `chatId` now: 0 means go ahead (the send is counted), otherwise the ms
   * to wait before asking again.
   */
  async take(chatId: number): Promise<number> {
    const { minGapMs, groupMax, groupWindowMs } = this.settings;
    const isGroup = chatId < 0;
    return Number(
      await evalScript(
        this.redis,
        TAKE_CHAT,
        1,
        `cb:chatlimit:${chatId}`,
        minGapMs,
        isGroup ? groupMax : 0,
        groupWindowMs,
      ),
    );
  }
}

// KEYS: pace, pause, chat. ARGV: interval µs, minGap, groupMax (0 for a private chat), groupWindow.
// Returns {'go', ms until the slot}, {'chat', ms to wait} or {'paused', ms left}. The chat's send
// is counted at the slot's time, and a slot is taken only when the chat may have it.
const RESERVE = `${CHAT_WAIT}
local t = redis.call('TIME')
local nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
local nowMs = math.floor(nowUs / 1000)
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return {'paused', paused} end
local slotUs = tonumber(redis.call('GET', KEYS[1]) or '0')
if slotUs < nowUs then slotUs = nowUs end
local slotMs = math.floor(slotUs / 1000)
local wait, keep = chatWait(KEYS[3], slotMs, tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
if wait > 0 then return {'chat', slotMs - nowMs + wait} end
chatRecord(KEYS[3], slotMs, keep)
local after = slotUs + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.0f', after), 'PX', math.ceil((after - nowUs) / 1000) + 60000)
return {'go', slotMs - nowMs}`;

// ARGV: pause ms. Extends the pause (never shortens it) and moves the next slot past it.
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[2]) < ms then redis.call('SET', KEYS[2], '1', 'PX', ms) end
local resume = now + ms * 1000
local nextSlot = tonumber(redis.call('GET', KEYS[1]) or '0')
if nextSlot < resume then
  redis.call('SET', KEYS[1], string.format('%.0f', resume), 'PX', ms + 60000)
end
return 1`;

/** What `SendPacer.reserve` decided. `waitMs` counts from just before the call was made. */
export type Reservation =
  /** Send when `waitMs` have passed: the slot is yours and the chat's send is counted. */
  | { kind: 'go'; waitMs: number }
  /** The chat had a message too recently: ask again after `waitMs`. Nothing was taken. */
  | { kind: 'chat'; waitMs: number }
  /** Telegram asked everyone to hold off (429) for `waitMs` more. Nothing was taken. */
  | { kind: 'paused'; waitMs: number };

/**
 * Evenly spaced send slots shared by every worker (`rate` a second, never a burst), checked
 * together with the per-chat limits in one script, so a slot is only taken for a chat that may
 * have it.
 */
export class SendPacer {
  private readonly intervalMicros: number;
  private readonly chat: ChatLimitSettings;

  constructor(
    private readonly redis: Redis,
    readonly rate: number,
    chatLimits: Partial<ChatLimitSettings> = {},
    /** Keys of this channel's pace: `cb:outbox` for Telegram, `cb:outbox:zalo` for Zalo. */
    private readonly prefix = 'cb:outbox',
  ) {
    if (!(rate > 0)) throw new Error('rate must be positive');
    this.intervalMicros = Math.round(1_000_000 / rate);
    this.chat = { ...DEFAULT_CHAT_LIMITS, ...chatLimits };
  }

  /**
   * Asks for the next send slot for a message to `chatId`. The wait is counted from before the
   * call, not from the reply: with `appendfsync always` a reply waits for the disk, and that
   * delay must not shift the slot.
   */
  async reserve(chatId: ChatId): Promise<Reservation> {
    const { minGapMs, groupMax, groupWindowMs } = this.chat;
    const [kind, waitMs] = (await evalScript(
      this.redis,
      RESERVE,
      3,
      `${this.prefix}:pace`,
      `${this.prefix}:pause`,
      this.prefix === 'cb:outbox' ? `cb:chatlimit:${chatId}` : `cb:chatlimit:${this.prefix}:${chatId}`,
      this.intervalMicros,
      minGapMs,
      typeof chatId === 'number' && chatId < 0 ? groupMax : 0,
      groupWindowMs,
    )) as [Reservation['kind'], number];
    return { kind, waitMs: Number(waitMs) };
  }

  /** Telegram said 429: no slot for anyone before `ms` from now. */
  async pause(ms: number): Promise<void> {
    await evalScript(
      this.redis,
      PAUSE,
      2,
      `${this.prefix}:pace`,
      `${this.prefix}:pause`,
      Math.max(1, Math.ceil(ms)),
    );
  }

  /** Ms left of a pause, or 0. */
  async pausedFor(): Promise<number> {
    return Math.max(0, await this.redis.pttl(`${this.prefix}:pause`));
  }
}
