/** What every family of background workers is started with (`jobs/index.ts` starts them). */
import type { Config } from '../src/config.js';
import type { Clock } from '../src/infra/clock.js';
import type { RedisTarget } from '../src/infra/redis.js';
import type { Logger } from '../src/logger.js';
import type { Services } from '../src/services/index.js';

export interface JobContext {
  /** Where BullMQ connects (a URL or a Sentinel group). */
  redisTarget: RedisTarget;
  config: Config;
  services: Services;
  log: Logger;
  clock: Clock;
}
