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
      await this.redis.eval(
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
