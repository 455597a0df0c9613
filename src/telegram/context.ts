import type { Context } from 'telegraf';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';

/** telegraf's context plus what every handler needs: a logger carrying update_id, and the core. */
export interface BotContext extends Context {
  log: Logger;
  app: Services;
}
