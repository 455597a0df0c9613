/**
 * Where a person is in a guided dialog (a congress report, a meeting report, a new campaign,
 * a directive). Kept in Redis, so a dialog resumes after the bot restarts.
 *
 * Keys: `cb:dlg:<chatId>:<userId>` → JSON `{ kind, state, updatedAt }`, expiring after 3 days.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import type { ChatId } from '../chat/reply.js';
import { evalScript } from './batch.js';
import { type CardReceipt, readReceipt } from './cards.js';

export interface Conversation<S = unknown> {
  kind: string;
  state: S;
  updatedAt: number;
}

const TTL_SECONDS = 3 * 24 * 3600;

const CLAIM = `
local v = redis.call('GET', KEYS[1])
if v and string.find(v, ARGV[1], 1, true) then
  redis.call('DEL', KEYS[1])
  return v
end
return false`;

export class ConversationStore {
  constructor(private readonly redis: Redis) {}

  /** The key of a person's dialog in a chat, for a store that ends it in its own MULTI. */
  key(chatId: ChatId, userId: number): string {
    return `cb:dlg:${chatId}:${userId}`;
  }

  /** Queues the read of a conversation on a pipeline; `parse` reads its reply. */
  queueGet(pipeline: ChainableCommander, chatId: ChatId, userId: number): void {
    pipeline.get(this.key(chatId, userId));
  }

  parse(raw: unknown): Conversation | undefined {
    return typeof raw === 'string' ? (JSON.parse(raw) as Conversation) : undefined;
  }

  async get<S>(chatId: ChatId, userId: number): Promise<Conversation<S> | undefined> {
    const raw = await this.redis.get(this.key(chatId, userId));
    return raw ? (JSON.parse(raw) as Conversation<S>) : undefined;
  }

  async set<S>(chatId: ChatId, userId: number, kind: string, state: S, now: number): Promise<void> {
    const value: Conversation<S> = { kind, state, updatedAt: now };
    await this.redis.set(this.key(chatId, userId), JSON.stringify(value), 'EX', TTL_SECONDS);
  }

  /**
   * Takes the conversation if it still carries `marker` (a confirmation card's nonce): reads and
   * deletes it in one step, so of two presses of the same «Xác nhận» only one gets it.
   */
  async claim<S>(chatId: ChatId, userId: number, marker: string): Promise<Conversation<S> | undefined> {
    const raw = (await evalScript(this.redis, CLAIM, 1, this.key(chatId, userId), marker)) as string | null;
    return raw ? (JSON.parse(raw) as Conversation<S>) : undefined;
  }

  /** What a confirmation card saved when it was pressed, if it was (`cards.ts`). */
  receipt(nonce: string): Promise<CardReceipt | undefined> {
    return readReceipt(this.redis, nonce);
  }

  async clear(chatId: ChatId, userId: number): Promise<void> {
    await this.redis.del(this.key(chatId, userId));
  }
}
