/**
 * The bot's pending updates, handed out the two ways Telegram does: long polling with
 * getUpdates (an update stays queued until a later `offset` confirms it, so a bot that dies
 * mid-batch gets the batch again) or pushing to a webhook (retried until it answers 2xx).
 */

import type { Update } from '@telegraf/types';
import { sleep } from '../infra/sleep.js';
import { BotApiError } from './apiError.js';

export interface GetUpdatesRequest {
  offset?: number;
  limit?: number;
  timeout?: number;
  allowedUpdates?: string[];
}

export interface WebhookSettings {
  url: string;
  secretToken?: string;
  allowedUpdates?: string[];
  maxConnections?: number;
}

/** What getWebhookInfo reports. */
export interface WebhookInfo {
  url: string;
  has_custom_certificate: boolean;
  pending_update_count: number;
  last_error_date?: number;
  last_error_message?: string;
  max_connections?: number;
  allowed_updates?: string[];
}

/** A webhook's answer may carry one Bot API call (`{ method, ...params }`), as Telegram allows. */
export type WebhookReplyHandler = (call: Record<string, unknown>) => Promise<void>;

/**
 * The last update_id handed out in this process. Ids start from the clock (in ms) and are shared
 * by every emulator in the process, so they never repeat across emulators or restarts: a bot
 * that claims update ids in a persistent Redis would otherwise skip a new run's updates.
 */
let lastUpdateId = Date.now();

/** Update types Telegram sends when allowed_updates is empty or never set. */
const notByDefault = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

interface WaitingPoll {
  limit: number;
  timer: NodeJS.Timeout;
  resolve: (updates: Update[]) => void;
  reject: (err: BotApiError) => void;
}

interface ActiveWebhook extends WebhookSettings {
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

export class UpdateQueue {
  private queue: Update[] = [];
  private head = 0;
  private allowed: Set<string> | undefined;
  private poll: WaitingPoll | undefined;
  private wakeScheduled = false;
  private webhook: ActiveWebhook | undefined;
  private delivering = false;
  private deliveryAbort = new AbortController();
  private closed = false;

  constructor(private readonly onWebhookReply: WebhookReplyHandler) {}

  /** Queues an update built around the next update_id and hands it to whoever is listening. */
  push<U extends Update>(build: (updateId: number) => U): U {
    const update = build(++lastUpdateId);
    this.queue.push(update);
    if (this.webhook) void this.deliver();
    else this.scheduleWake();
    return update;
  }

  /** Updates not yet confirmed that the bot would receive. */
  get pendingCount(): number {
    let n = 0;
    for (let i = this.head; i < this.queue.length; i++) if (this.isAllowed(this.queue[i]!)) n++;
    return n;
  }

  /**
   * getUpdates: confirms everything before `offset`, then answers at once with what is queued
   * or waits up to `timeout` seconds for more. A newer request ends a waiting one with 409, as
   * Telegram does when two instances poll; `signal` (client went away) ends it quietly.
   */
  async getUpdates(req: GetUpdatesRequest, signal: AbortSignal): Promise<Update[]> {
    if (this.webhook) {
      throw new BotApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    if (this.poll) {
      const old = this.poll;
      this.poll = undefined;
      clearTimeout(old.timer);
      old.reject(
        new BotApiError(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        ),
      );
    }
    if (req.allowedUpdates)
      this.allowed = req.allowedUpdates.length > 0 ? new Set(req.allowedUpdates) : undefined;
    if (req.offset !== undefined) this.confirm(req.offset);
    const limit = Math.min(Math.max(req.limit ?? 100, 1), 100);
    const ready = this.take(limit);
    const timeout = Math.max(req.timeout ?? 0, 0);
    if (ready.length > 0 || timeout === 0 || signal.aborted || this.closed) return ready;
    return new Promise<Update[]>((resolve, reject) => {
      const poll: WaitingPoll = {
        limit,
        resolve,
        reject,
        timer: setTimeout(() => this.finishPoll(poll, []), timeout * 1000),
      };
      signal.addEventListener('abort', () => this.finishPoll(poll, []), { once: true });
      this.poll = poll;
    });
  }

  setWebhook(settings: WebhookSettings, dropPending: boolean): void {
    if (dropPending) this.clear();
    this.webhook = { ...settings };
    if (settings.allowedUpdates) {
      this.allowed = settings.allowedUpdates.length > 0 ? new Set(settings.allowedUpdates) : undefined;
    }
    // Long polling and a webhook exclude each other.
    if (this.poll) this.finishPoll(this.poll, []);
    void this.deliver();
  }

  deleteWebhook(dropPending: boolean): void {
    if (dropPending) this.clear();
    this.webhook = undefined;
    this.deliveryAbort.abort();
    this.deliveryAbort = new AbortController();
  }

  webhookInfo(): WebhookInfo {
    const hook = this.webhook;
    return {
      url: hook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.pendingCount,
      ...(hook?.lastErrorDate ? { last_error_date: hook.lastErrorDate } : {}),
      ...(hook?.lastErrorMessage ? { last_error_message: hook.lastErrorMessage } : {}),
      ...(hook ? { max_connections: hook.maxConnections ?? 40 } : {}),
      ...(hook && this.allowed ? { allowed_updates: [...this.allowed] } : {}),
    };
  }

  /** Drops every pending update; update ids keep counting up, so a running bot's offset stays valid. */
  clear(): void {
    this.queue = [];
    this.head = 0;
  }

  /** Ends a waiting poll with no updates and stops webhook delivery. */
  close(): void {
    this.closed = true;
    if (this.poll) this.finishPoll(this.poll, []);
    this.deliveryAbort.abort();
  }

  private finishPoll(poll: WaitingPoll, updates: Update[]): void {
    if (this.poll !== poll) return;
    this.poll = undefined;
    clearTimeout(poll.timer);
    poll.resolve(updates);
  }

  /** Wakes a waiting poll on the next turn, so updates queued together leave together. */
  private scheduleWake(): void {
    if (!this.poll || this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      const poll = this.poll;
      if (!poll) return;
      const ready = this.take(poll.limit);
      if (ready.length > 0) this.finishPoll(poll, ready);
    });
  }

  private isAllowed(u: Update): boolean {
    const type = Object.keys(u).find((k) => k !== 'update_id') ?? '';
    return this.allowed ? this.allowed.has(type) : !notByDefault.has(type);
  }

  /** Forgets updates with ids below `offset`; a negative offset keeps only the last -offset. */
  private confirm(offset: number): void {
    if (offset < 0) {
      this.head = Math.max(this.head, this.queue.length + offset);
    } else {
      while (this.head < this.queue.length && this.queue[this.head]!.update_id < offset) this.head++;
    }
    if (this.head > 1024 || this.head === this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private take(limit: number): Update[] {
    const out: Update[] = [];
    for (let i = this.head; i < this.queue.length && out.length < limit; i++) {
      const u = this.queue[i]!;
      if (this.isAllowed(u)) out.push(u);
    }
    return out;
  }

  /** Posts queued updates to the webhook one at a time, in order, retrying with backoff. */
  private async deliver(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    try {
      let failures = 0;
      for (;;) {
        const hook = this.webhook;
        const signal = this.deliveryAbort.signal;
        const next = this.take(1)[0];
        if (!hook || !next || this.closed) return;
        const error = await this.post(hook, next, signal);
        if (signal.aborted || this.closed) return;
        if (error === undefined) {
          this.confirm(next.update_id + 1);
          failures = 0;
          continue;
        }
        hook.lastErrorDate = Math.floor(Date.now() / 1000);
        hook.lastErrorMessage = error;
        failures++;
        await sleep(Math.min(100 * 2 ** failures, 5_000), signal);
      }
    } finally {
      this.delivering = false;
      // A webhook set again while the old loop was winding down needs a loop of its own.
      if (this.webhook && !this.closed && !this.deliveryAbort.signal.aborted && this.take(1).length > 0) {
        void this.deliver();
      }
    }
  }

  /** One delivery; resolves with an error text, or undefined when the webhook took it. */
  private async post(hook: ActiveWebhook, update: Update, signal: AbortSignal): Promise<string | undefined> {
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(hook.secretToken ? { 'x-telegram-bot-api-secret-token': hook.secretToken } : {}),
        },
        body: JSON.stringify(update),
        // Like Telegram, a redirect is a wrong answer, not a new target.
        redirect: 'manual',
        signal: AbortSignal.any([signal, AbortSignal.timeout(60_000)]),
      });
      const body = await res.text();
      if (!res.ok) return `Wrong response from the webhook: ${res.status} ${res.statusText}`;
      await this.replyCall(body);
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  private async replyCall(body: string): Promise<void> {
    if (!body.trim().startsWith('{')) return;
    try {
      const call = JSON.parse(body) as Record<string, unknown>;
      if (typeof call.method === 'string') await this.onWebhookReply(call);
    } catch {
      // Telegram ignores a webhook answer it cannot use.
    }
  }
}
