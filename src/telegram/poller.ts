/**
 * Long polling that keeps fetching while earlier updates are handled.
 *
 * - Updates of one chat are handled one at a time, in order; different chats side by side, at
 *   most `concurrency` at once.
 * - Telegram counts every update below the offset of the next `getUpdates` as delivered, so the
 *   offset never passes an update that is not handled yet: a crash means Telegram sends the
 *   unhandled ones again (and the update claims skip any that were in fact finished). Updates
 *   fetched again while still queued or in hand are recognised and not queued twice.
 * - Past `maxBacklog` updates waiting, fetching pauses until the backlog drains, so memory stays
 *   bounded under any load: Telegram keeps what we have not fetched.
 */
import type { Update } from '@telegraf/types';
import type { Telegram } from 'telegraf';
import { metrics } from '../infra/metrics.js';
import type { Logger } from '../logger.js';

/**
 * While updates are in hand, how long the poller waits for one of them to finish before asking
 * for more anyway (new updates of other chats wait at most this long behind a slow one).
 */
const REFETCH_MS = 20;

export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

/** The chat an update belongs to, for ordering; updates without one are their own group. */
export function updateChatKey(u: Update): string {
  if ('message' in u) return `c${u.message.chat.id}`;
  if ('callback_query' in u) return `c${u.callback_query.message?.chat.id ?? u.callback_query.from.id}`;
  if ('my_chat_member' in u) return `c${u.my_chat_member.chat.id}`;
  return `u${u.update_id}`;
}

export interface PollerOptions {
  /** Updates handled at once across chats. @defaultValue 32 */
  concurrency?: number;
  /** Updates waiting (queued or in hand) before fetching pauses. @defaultValue 1000 */
  maxBacklog?: number;
  /** Long-poll timeout of one getUpdates. @defaultValue 25 */
  timeoutSeconds?: number;
}

/** What the poller holds right now, for the health check and the metrics. */
export interface Backlog {
  /** Fetched, waiting for their turn. */
  queued: number;
  /** Being handled. */
  inHand: number;
}

export class Poller {
  private running = false;
  private readonly abort = new AbortController();
  private loopDone: Promise<void> = Promise.resolve();
  /** Every update fetched and not yet handled, by id. */
  private readonly pending = new Set<number>();
  /** Handled, but above the offset (an older update is still in hand): Telegram sends them again. */
  private readonly handled = new Set<number>();
  /** When each pending update was fetched, for the queueing-time metric. */
  private readonly fetchedAt = new Map<number, number>();
  /** Per chat: the updates waiting, in order. A chat with an entry has one update in hand. */
  private readonly chats = new Map<string, Update[]>();
  /** Chats with updates waiting and none in hand, in the order they became ready. */
  private readonly ready: string[] = [];
  private inHand = 0;
  private highest = 0;
  /** Settles at the next change (an update finished, or stopping); shared by every waiter. */
  private next: { promise: Promise<void>; resolve: () => void } | undefined;
  private readonly concurrency: number;
  private readonly maxBacklog: number;
  private readonly timeoutSeconds: number;

  constructor(
    private readonly telegram: Telegram,
    private readonly handle: (u: Update) => Promise<void>,
    private readonly log: Logger,
    opts: PollerOptions = {},
  ) {
    this.concurrency = opts.concurrency ?? 32;
    this.maxBacklog = opts.maxBacklog ?? 1000;
    this.timeoutSeconds = opts.timeoutSeconds ?? 25;
  }

  start(): void {
    this.running = true;
    this.loopDone = this.loop();
  }

  backlog(): Backlog {
    return { queued: this.pending.size - this.inHand, inHand: this.inHand };
  }

  /**
   * Stops asking for updates, waits for the updates in hand and queued to finish, and confirms
   * them, so a restart does not receive them again.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    this.notify();
    await this.loopDone;
    while (this.pending.size > 0) await this.changed();
    if (this.handled.size === 0) return;
    await this.telegram
      .callApi('getUpdates', {
        offset: this.offset(),
        timeout: 0,
        limit: 1,
        allowed_updates: [...ALLOWED_UPDATES],
      })
      .catch((err: Error) => this.log.warn({ err: err.message }, 'could not confirm the last updates'));
  }

  /** The offset that confirms every update handled and none that is not. */
  private offset(): number {
    let lowest = this.highest + 1;
    for (const id of this.pending) if (id < lowest) lowest = id;
    return lowest;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      if (this.pending.size >= this.maxBacklog) {
        await this.changed();
        continue;
      }
      let updates: Update[];
      const offset = this.offset();
      // Telegram answers from the offset: what is in hand or handled since comes back too, so
      // the limit covers those plus the room left in the backlog.
      const limit = Math.min(
        100,
        this.pending.size + this.handled.size + (this.maxBacklog - this.pending.size),
      );
      try {
        updates = await this.telegram.callApi(
          'getUpdates',
          {
            offset,
            limit,
            // Only wait long when nothing is waiting; otherwise come back soon to move the offset on.
            timeout: this.pending.size > 0 ? 1 : this.timeoutSeconds,
            allowed_updates: [...ALLOWED_UPDATES],
          },
          // telegraf types its signal with the abort-controller polyfill; node-fetch accepts the native one.
          { signal: this.abort.signal as never },
        );
        failures = 0;
      } catch (err) {
        if (!this.running) break;
        failures++;
        const delay = Math.min(500 * 2 ** Math.min(failures, 6), 30_000);
        this.log.warn({ err: (err as Error).message, retryInMs: delay }, 'getUpdates failed');
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
      // Everything below the offset just sent is confirmed now.
      for (const id of this.handled) if (id < offset) this.handled.delete(id);
      const fresh = updates.filter((u) => !this.pending.has(u.update_id) && !this.handled.has(u.update_id));
      for (const u of fresh) this.enqueue(u);
      // Telegram answers from the offset, so while updates are in hand the next getUpdates would
      // come back at once with those same updates: wait until one is finished (the offset can
      // move on), or a short while, so that new updates of other chats are not held behind a
      // slow one. Asking again at once cost a second getUpdates for nearly every update.
      if (this.pending.size > 0) await this.changedOr(REFETCH_MS);
    }
  }

  private enqueue(u: Update): void {
    if (u.update_id > this.highest) this.highest = u.update_id;
    this.pending.add(u.update_id);
    this.fetchedAt.set(u.update_id, performance.now());
    const key = updateChatKey(u);
    const waiting = this.chats.get(key);
    if (waiting) waiting.push(u);
    else {
      this.chats.set(key, [u]);
      this.ready.push(key);
    }
    this.dispatch();
  }

  /** Starts the next update of each ready chat while there is room. */
  private dispatch(): void {
    while (this.inHand < this.concurrency && this.ready.length > 0) {
      const key = this.ready.shift()!;
      const next = this.chats.get(key)?.[0];
      if (!next) continue;
      this.inHand++;
      void this.run(key, next);
    }
  }

  private async run(key: string, u: Update): Promise<void> {
    const fetched = this.fetchedAt.get(u.update_id);
    if (fetched !== undefined) metrics.updateQueued(performance.now() - fetched);
    try {
      await this.handle(u);
    } catch (err) {
      // The handler has its own error boundary; this is a failure of the claim itself (Redis
      // away). Leave the update pending: its id holds the offset, so Telegram sends it again.
      this.log.error({ err: (err as Error).message, update_id: u.update_id }, 'update not handled');
      await new Promise((r) => setTimeout(r, 1_000));
      this.inHand--;
      this.retry(key, u);
      return;
    }
    this.inHand--;
    this.pending.delete(u.update_id);
    this.fetchedAt.delete(u.update_id);
    this.handled.add(u.update_id);
    const waiting = this.chats.get(key);
    waiting?.shift();
    if (waiting && waiting.length > 0) this.ready.push(key);
    else this.chats.delete(key);
    this.dispatch();
    this.notify();
  }

  /** An update whose claim failed goes back to the front of its chat. */
  private retry(key: string, _u: Update): void {
    if (this.running) this.ready.unshift(key);
    else {
      // Stopping: drop what is not handled; Telegram will send it again after the restart.
      for (const w of this.chats.get(key) ?? []) {
        this.pending.delete(w.update_id);
        this.fetchedAt.delete(w.update_id);
      }
      this.chats.delete(key);
    }
    this.dispatch();
    this.notify();
  }

  private changed(): Promise<void> {
    if (!this.next) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      this.next = { promise, resolve };
    }
    return this.next.promise;
  }

  /** The next change, or `ms` from now, whichever comes first. */
  private async changedOr(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.changed(),
      new Promise<void>((r) => {
        timer = setTimeout(r, ms);
      }),
    ]);
    clearTimeout(timer);
  }

  private notify(): void {
    const next = this.next;
    this.next = undefined;
    next?.resolve();
  }
}
