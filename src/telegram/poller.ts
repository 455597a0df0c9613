/**
 * Long polling that keeps fetching while earlier updates are handled.
 *
 * - Updates of one chat are handled one at a time, in order; different chats side by side, at
 *   most `concurrency` at once.
 * - Telegram counts every update below the offset of the next `getUpdates` as delivered. So the
 *   offset passes an update only once it is kept in the inbox (`src/store/inbox.ts`): one write
 *   a batch, sent before the batch's updates are started. The next `getUpdates` goes out as soon
 *   as Redis has them, while they are still being handled, so new updates are never held behind
 *   slow ones. After a crash the next poller handles what the inbox holds (the update claims
 *   skip any that were in fact finished); what was never kept, Telegram sends again.
 * - Past `maxBacklog` updates waiting, fetching pauses until the backlog drains, so memory stays
 *   bounded under any load: Telegram keeps what we have not fetched.
 */
import type { Update } from '@telegraf/types';
import type { Telegram } from 'telegraf';
import { metrics } from '../infra/metrics.js';
import type { Logger } from '../logger.js';
import type { UpdateInbox } from '../store/inbox.js';

/** How long a failed inbox write (Redis away) waits before it is tried again. */
const KEEP_RETRY_MS = 1_000;

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
  /** Pending and not yet in the inbox: the offset may not pass these. */
  private readonly unkept = new Set<number>();
  /** The offset of the last `getUpdates`: Telegram has forgotten every update below it. */
  private confirmed = 0;
  /** Stopping: the lowest update given up before it was kept (Telegram must send it again). */
  private givenUp = Number.POSITIVE_INFINITY;
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
    private readonly inbox: UpdateInbox<Update>,
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
   * the last ones fetched, so a restart does not receive them again.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    this.notify();
    await this.loopDone;
    while (this.pending.size > 0) await this.changed();
    const offset = Math.min(this.highest + 1, this.givenUp);
    if (offset <= this.confirmed) return;
    await this.telegram
      .callApi('getUpdates', { offset, timeout: 0, limit: 1, allowed_updates: [...ALLOWED_UPDATES] })
      .catch((err: Error) => this.log.warn({ err: err.message }, 'could not confirm the last updates'));
  }

  private async loop(): Promise<void> {
    await this.recover();
    let failures = 0;
    while (this.running) {
      if (this.unkept.size > 0) {
        // The inbox write failed (Redis away): the offset may not move on until it is made.
        const unkept = [...this.chats.values()].flat().filter((u) => this.unkept.has(u.update_id));
        if (!(await this.keep(unkept))) await this.changedOr(KEEP_RETRY_MS);
        continue;
      }
      if (this.pending.size >= this.maxBacklog) {
        await this.changed();
        continue;
      }
      let updates: Update[];
      const offset = this.highest + 1;
      try {
        updates = await this.telegram.callApi(
          'getUpdates',
          {
            offset,
            limit: Math.min(100, this.maxBacklog - this.pending.size),
            timeout: this.timeoutSeconds,
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
      this.confirmed = offset;
      const fresh = updates.filter((u) => !this.pending.has(u.update_id));
      if (fresh.length === 0) continue;
      // Kept first, so the next getUpdates (confirming these) goes out as soon as Redis answers,
      // ahead of what their handlers do with their claims' answers.
      const kept = this.keep(fresh);
      for (const u of fresh) this.enqueue(u, false);
      await kept;
    }
  }

  /** Queues what the inbox holds: updates a poller fetched and did not finish before it stopped. */
  private async recover(): Promise<void> {
    while (this.running) {
      try {
        const left = await this.inbox.left();
        if (left.length > 0)
          this.log.info({ updates: left.length }, 'handling updates fetched before a restart');
        for (const u of left) this.enqueue(u, true);
        return;
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'could not read the update inbox');
        await this.changedOr(KEEP_RETRY_MS);
      }
    }
  }

  /** Writes these pending updates to the inbox; true once they are kept. */
  private async keep(updates: Update[]): Promise<boolean> {
    try {
      await this.inbox.keep(updates);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not keep fetched updates; trying again');
      return false;
    }
    for (const u of updates) this.unkept.delete(u.update_id);
    return true;
  }

  private enqueue(u: Update, kept: boolean): void {
    if (u.update_id > this.highest) this.highest = u.update_id;
    this.pending.add(u.update_id);
    if (!kept) this.unkept.add(u.update_id);
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
      // away). The update stays pending and is tried again.
      this.log.error({ err: (err as Error).message, update_id: u.update_id }, 'update not handled');
      await new Promise((r) => setTimeout(r, 1_000));
      this.inHand--;
      this.retry(key, u);
      return;
    }
    this.inHand--;
    this.pending.delete(u.update_id);
    this.unkept.delete(u.update_id);
    this.fetchedAt.delete(u.update_id);
    this.inbox.drop(u.update_id);
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
      // Stopping: give up what is not handled. The next poller finds it in the inbox, or
      // Telegram sends it again if it was never kept.
      for (const w of this.chats.get(key) ?? []) {
        this.pending.delete(w.update_id);
        this.fetchedAt.delete(w.update_id);
        if (this.unkept.delete(w.update_id)) this.givenUp = Math.min(this.givenUp, w.update_id);
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
