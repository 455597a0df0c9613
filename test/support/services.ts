/**
 * The services as the app builds them, over a fresh `redis-server` of their own, for integration
 * tests that call services directly (no bot, no emulator).
 */
import { Redis } from 'ioredis';
import { type Config, parseConfig } from '../../src/config.js';
import type { Clock } from '../../src/infra/clock.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxQueue, Outbox, type OutboxQueue } from '../../src/outbox/outbox.js';
import { buildServices, type Services } from '../../src/services/index.js';
import { freshRedisUrl } from './redis.js';

export interface ServicesUnderTest {
  services: Services;
  /** The services' own connection (for reading what they wrote). */
  redis: Redis;
  /** The outbox queue their messages go to (nothing works it unless the test starts a worker). */
  queue: OutboxQueue;
  config: Config;
}

/** Builds the services on a fresh Redis; `env` adds configuration (quiet hours are off). */
export async function startServices(
  clock: Clock,
  env: Record<string, string> = {},
  botUsername = 'test_bot',
): Promise<ServicesUnderTest> {
  const url = await freshRedisUrl();
  const config = parseConfig({ REDIS_URL: url, QUIET_HOURS: 'off', ...env });
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const queue = createOutboxQueue(url);
  const services = buildServices({
    config,
    log: createLogger('silent'),
    clock,
    botUsername,
    redis,
    outbox: new Outbox(queue, { clock, timezone: config.timezone }),
  });
  return { services, redis, queue, config };
}
