/**
 * The numbered options open in each Zalo chat: what "1", "2" or "0" typed next means. Zalo has
 * no buttons, so the last message the bot sent with actions leaves its options here; the next
 * message from that chat is matched against them before anything else.
 *
 * Key: `cb:zalo:options:<chat id>` string, JSON `[{ n, label, value }]`, kept 7 days. A message
 * the bot sends with options replaces them; one sent without options (an answer that closes a
 * card) removes them, so an old card's numbers never act on a new one.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { z } from 'zod';

const TTL_SECONDS = 7 * 24 * 3600;
const optionsKey = (chatId: string) => `cb:zalo:options:${chatId}`;

const schema = z
  .array(z.object({ n: z.number().int(), label: z.string().max(200), value: z.string().max(200) }))
  .max(200);

export type StoredOption = z.infer<typeof schema>[number];

export class ZaloOptionStore {
  constructor(private readonly redis: Redis) {}

  /** The options open in a chat ([] when none, or when what is stored cannot be read). */
  async get(chatId: string): Promise<StoredOption[]> {
    return this.parse(await this.redis.get(optionsKey(chatId)));
  }

  /** Queues the read of a chat's options on a pipeline (read with the event's claim). */
  queueGet(pipeline: ChainableCommander, chatId: string): void {
    pipeline.get(optionsKey(chatId));
  }

  parse(raw: unknown): StoredOption[] {
    if (typeof raw !== 'string') return [];
    try {
      const parsed = schema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }

  /** Opens these options in the chat, in place of any before; none removes them. */
  async set(chatId: string, options: readonly StoredOption[]): Promise<void> {
    if (options.length === 0) await this.redis.del(optionsKey(chatId));
    else await this.redis.set(optionsKey(chatId), JSON.stringify(options), 'EX', TTL_SECONDS);
  }
}
