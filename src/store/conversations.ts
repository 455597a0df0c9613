/**
 * Where a person is in a guided dialog (a congress report, a meeting report, a new campaign,
 * a directive). Kept in Redis, so a dialog resumes after the bot restarts.
 *
 * Keys: `cb:dlg:<chatId>:<userId>` → JSON `{ kind, state, updatedAt }`, expiring after 3 days.
 */
import type { Redis } from 'ioredis';

export interface Conversation<S = unknown> {
  kind: string;
  state: S;
  updatedAt: number;
}

const TTL_SECONDS = 3 * 24 * 3600;

export class ConversationStore {
  constructor(private readonly redis: Redis) {}

  private key(chatId: number, userId: number): string {
    return `cb:dlg:${chatId}:${userId}`;
  }

  async get<S>(chatId: number, userId: number): Promise<Conversation<S> | undefined> {
    const raw = await this.redis.get(this.key(chatId, userId));
    return raw ? (JSON.parse(raw) as Conversation<S>) : undefined;
  }

  async set<S>(chatId: number, userId: number, kind: string, state: S, now: number): Promise<void> {
    const value: Conversation<S> = { kind, state, updatedAt: now };
    await this.redis.set(this.key(chatId, userId), JSON.stringify(value), 'EX', TTL_SECONDS);
  }

  async clear(chatId: number, userId: number): Promise<void> {
    await this.redis.del(this.key(chatId, userId));
  }
}
