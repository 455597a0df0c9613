/**
 * Long polling. Updates of one chat are handled in order; different chats run side by side.
 * The next `getUpdates` (which confirms the batch to Telegram) is only asked for once the whole
 * batch is handled, so a crash mid-batch means Telegram sends the batch again, and the update
 * claims make sure nothing in it is handled twice.
 */
import type { Update } from '@telegraf/types';
import type { Telegram } from 'telegraf';
import type { Logger } from '../logger.js';

export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

/** The chat an update belongs to, for ordering; updates without one are their own group. */
export function updateChatKey(u: Update): string {
  if ('message' in u) return `c${u.message.chat.id}`;
  if ('callback_query' in u) return `c${u.callback_query.message?.chat.id ?? u.callback_query.from.id}`;
  if ('my_chat_member' in u) return `c${u.my_chat_member.chat.id}`;
  return `u${u.update_id}`;
}

export class Poller {
  private running = false;
  private abort = new AbortController();
  private loopDone: Promise<void> = Promise.resolve();
  private offset = 0;

  constructor(
    private readonly telegram: Telegram,
    private readonly handle: (u: Update) => Promise<void>,
    private readonly log: Logger,
    private readonly timeoutSeconds = 25,
  ) {}

  start(): void {
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Stops asking for updates and waits for the batch in hand to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let updates: Update[];
      try {
        updates = await this.telegram.callApi(
          'getUpdates',
          { offset: this.offset, timeout: this.timeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] },
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
      if (updates.length === 0) continue;
      await this.handleBatch(updates);
      this.offset = (updates[updates.length - 1]?.update_id ?? this.offset - 1) + 1;
    }
  }

  private async handleBatch(updates: Update[]): Promise<void> {
    const byChat = new Map<string, Update[]>();
    for (const u of updates) {
      const key = updateChatKey(u);
      const list = byChat.get(key);
      if (list) list.push(u);
      else byChat.set(key, [u]);
    }
    await Promise.all(
      [...byChat.values()].map(async (list) => {
        for (const u of list) await this.handle(u);
      }),
    );
  }
}
