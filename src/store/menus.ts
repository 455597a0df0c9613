/**
 * Which command menu each person was last given, so the bot calls setMyCommands only when a
 * person's roles change. Keys: `cb:menu:<personId>` → hash of the menu entries.
 */
import type { ChainableCommander, Redis } from 'ioredis';

export class MenuStore {
  constructor(private readonly redis: Redis) {}

  async lastHash(personId: number): Promise<string | null> {
    return this.redis.get(`cb:menu:${personId}`);
  }

  /** Queues the read of `lastHash` on a pipeline. */
  queueLastHash(pipeline: ChainableCommander, personId: number): void {
    pipeline.get(`cb:menu:${personId}`);
  }

  async remember(personId: number, hash: string): Promise<void> {
    await this.redis.set(`cb:menu:${personId}`, hash, 'EX', 90 * 24 * 3600);
  }
}
