/**
 * Telegram's flood control for messages a bot sends, as sliding windows: overall per second,
 * per chat per second, and per group per minute. Only sends that go through are counted.
 */

/** Limits for bot-initiated sends. */
export interface RateLimits {
  /** Sends in any 1000 ms, over all chats (Telegram: about 30). */
  globalPerSecond: number;
  /** Sends to one chat in any 1000 ms (Telegram: about 1). */
  perChatPerSecond: number;
  /** Sends to one group (negative chat id) in any 60 s (Telegram: about 20). */
  groupPerMinute: number;
}

/** One flood-control decision, on the limiter's clock: a send counted, or one refused and by which window. */
export interface FloodDecision {
  chatId: number;
  at: number;
  /** Undefined when the send was counted; otherwise the window that was full. */
  refusedBy?: 'global' | 'chat' | 'group';
}

/** Decisions kept for `decisions()`, newest last. */
const JOURNAL_MAX = 20_000;

/** Timestamps of the sends inside one window, oldest first. */
class SlidingWindow {
  private stamps: number[] = [];
  private head = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until one more send fits, or 0 when it fits now. */
  waitMs(now: number): number {
    while (this.head < this.stamps.length && this.stamps[this.head]! <= now - this.windowMs) this.head++;
    // Drop the consumed prefix now and then so the array does not grow for ever.
    if (this.head > 1024) {
      this.stamps = this.stamps.slice(this.head);
      this.head = 0;
    }
    if (this.limit <= 0) return this.windowMs;
    const inWindow = this.stamps.length - this.head;
    if (inWindow < this.limit) return 0;
    const oldestThatMustExpire = this.stamps[this.stamps.length - this.limit]!;
    return oldestThatMustExpire + this.windowMs - now;
  }

  record(now: number): void {
    this.stamps.push(now);
  }

  isEmpty(now: number): boolean {
    return this.waitMs(now) === 0 && this.stamps.length === this.head;
  }
}

export class SendRateLimiter {
  private limits: RateLimits | false;
  private global: SlidingWindow | undefined;
  private readonly perChat = new Map<number, SlidingWindow>();
  private readonly perGroup = new Map<number, SlidingWindow>();
  private sweepAt = 0;
  private journal: FloodDecision[] = [];

  constructor(limits: RateLimits | false = false) {
    this.limits = limits;
    this.clear();
  }

  setLimits(limits: RateLimits | false): void {
    this.limits = limits;
    this.clear();
  }

  clear(): void {
    this.global = this.limits ? new SlidingWindow(this.limits.globalPerSecond, 1000) : undefined;
    this.perChat.clear();
    this.perGroup.clear();
    this.journal = [];
  }

  /** The latest decisions (up to 20,000), oldest first: what was counted and what was refused, when, and why. */
  decisions(): FloodDecision[] {
    return [...this.journal];
  }

  private note(d: FloodDecision): void {
    if (this.journal.length >= JOURNAL_MAX) this.journal = this.journal.slice(JOURNAL_MAX / 2);
    this.journal.push(d);
  }

  /**
   * Records a send to `chatId` at `now` if every window has room and returns 0; otherwise
   * records nothing and returns Telegram's `retry_after`: whole seconds until the fullest
   * window frees, at least 1.
   */
  tryAcquire(chatId: number, now: number): number {
    const limits = this.limits;
    if (!limits || !this.global) return 0;
    this.sweep(now);
    const chat = windowFor(this.perChat, chatId, () => new SlidingWindow(limits.perChatPerSecond, 1000));
    const group =
      chatId < 0
        ? windowFor(this.perGroup, chatId, () => new SlidingWindow(limits.groupPerMinute, 60_000))
        : undefined;
    const globalWait = this.global.waitMs(now);
    const chatWait = chat.waitMs(now);
    const groupWait = group?.waitMs(now) ?? 0;
    const waitMs = Math.max(globalWait, chatWait, groupWait);
    if (waitMs > 0) {
      const refusedBy = globalWait > 0 ? 'global' : chatWait > 0 ? 'chat' : 'group';
      this.note({ chatId, at: now, refusedBy });
      return Math.max(1, Math.ceil(waitMs / 1000));
    }
    this.note({ chatId, at: now });
    this.global.record(now);
    chat.record(now);
    group?.record(now);
    return 0;
  }

  /** Forgets idle per-chat windows once a minute, so a broadcast to thousands of chats does not pile up. */
  private sweep(now: number): void {
    if (now < this.sweepAt) return;
    this.sweepAt = now + 60_000;
    for (const map of [this.perChat, this.perGroup]) {
      for (const [id, w] of map) if (w.isEmpty(now)) map.delete(id);
    }
  }
}

function windowFor(map: Map<number, SlidingWindow>, id: number, create: () => SlidingWindow): SlidingWindow {
  let w = map.get(id);
  if (!w) {
    w = create();
    map.set(id, w);
  }
  return w;
}
