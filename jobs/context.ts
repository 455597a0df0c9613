/** What every family of background workers is started with (`jobs/index.ts` starts them). */
import type { Config } from '../src/config.js';
import type { Clock } from '../src/infra/clock.js';
import type { Logger } from '../src/logger.js';
import type { Services } from '../src/services/index.js';

export interface JobContext {
  /** Redis URL for BullMQ connections. */
  redisUrl: string;
  config: Config;
  services: Services;
  log: Logger;
  clock: Clock;
}
