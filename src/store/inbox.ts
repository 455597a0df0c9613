/**
 * Updates a long-polling process has fetched and not yet handled, in `cb:inbox:<bot id>` (a hash
 * of update id to the update as Telegram sent it).
 *
 * Telegram forgets an update once a getUpdates asks for a later offset. Keeping what was fetched
 * here first lets the poller ask for the next updates at once, while earlier ones are still being
 * handled, instead of holding new updates back until those finish. A poller that starts after a
 * crash handles what its predecessor left here; the update claims skip whatever it had in fact
 * finished.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { UpdateClaims } from './updates.js';

/** What the inbox needs of an update: its id. It stores the rest as it came. */
export interface InboxUpdate {
  update_id: number;
}

export class UpdateInbox<U extends InboxUpdate> {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    /** A handled update leaves the inbox with its done marker, in the same round trip. */
    private readonly claims: UpdateClaims,
    botId: number | string,
    private readonly log?: Logger,
  ) {
    this.key = `cb:inbox:${botId}`;
  }

  /**
   * Keeps these updates, ahead of anything that claims them: in the round trip of the first
   * claim made in this tick (`UpdateClaims.sendAhead`), so it reaches Redis first.
   */
  async keep(updates: readonly U[]): Promise<void> {
    const fields = updates.flatMap((u) => [String(u.update_id), JSON.stringify(u)]);
    const [reply] = await this.claims.sendAhead([['hset', this.key, ...fields]]);
    if (reply?.[0]) throw reply[0];
  }

  /** A handled update leaves the inbox, with its done marker. */
  drop(updateId: number): void {
    this.claims.finishWith(undefined, (p) => p.hdel(this.key, String(updateId)));
  }

  /** What a poller left unhandled, oldest first. An entry that is not an update is removed. */
  async left(): Promise<U[]> {
    const entries = await this.redis.hgetall(this.key);
    const updates: U[] = [];
    for (const [id, json] of Object.entries(entries)) {
      let u: U | undefined;
      try {
        u = JSON.parse(json) as U;
      } catch {
        u = undefined;
      }
      if (u && typeof u === 'object' && u.update_id === Number(id)) updates.push(u);
      else {
        this.log?.warn({ update_id: id }, 'dropped an unreadable update from the inbox');
        await this.redis.hdel(this.key, id);
      }
    }
    return updates.sort((a, b) => a.update_id - b.update_id);
  }
}
