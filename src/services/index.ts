/**
 * What the edges (commands, jobs) may reach: configuration, a logger, the clock and the
 * application services. Built once at start by `app.ts`.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Clock } from '../infra/clock.js';
import type { Logger } from '../logger.js';

export interface Services {
  config: Config;
  log: Logger;
  clock: Clock;
  /** The bot's @username, for invite links. */
  botUsername: string;
  /** Only for app wiring and health checks; commands go through the services below. */
  redis: Redis;
}
