import type { Context } from 'telegraf';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import type { Viewer } from '../services/organisation.js';
import type { Conversation } from '../store/conversations.js';
import type { Person } from '../store/people.js';

/** What an update needs from Redis, read with its claim in one round trip (`handleOnce`). */
export interface Loaded {
  /** The person as stored (undefined for an update without a sender). */
  person: Person | undefined;
  /** The dialog the person has open in this chat, unchecked. */
  conversation: Conversation | undefined;
  /** The hash of the command menu the person was last given. */
  menuHash: string | null;
  /** A read that failed (a damaged record): raised inside the error boundary. */
  readError?: Error;
}

/** telegraf's context plus what every handler needs: a logger carrying update_id, the core, and who is asking. */
export interface BotContext extends Context {
  log: Logger;
  app: Services;
  /** The person behind the update and their roles (no roles: an unbound person). */
  viewer: Viewer;
  loaded: Loaded;
}
