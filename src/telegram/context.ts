import type { Context } from 'telegraf';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import type { Viewer } from '../services/organisation.js';

/** telegraf's context plus what every handler needs: a logger carrying update_id, the core, and who is asking. */
export interface BotContext extends Context {
  log: Logger;
  app: Services;
  /** The person behind the update and their roles (no roles: an unbound person). */
  viewer: Viewer;
}
