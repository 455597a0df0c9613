/**
 * Every feature's chat handlers. `buildRouter` registers the features that speak through the
 * channel-neutral router; `commandModules` are the telegraf modules not yet moved onto it, in the
 * order they get a chance at an update the router did not take.
 */
import type { Composer } from 'telegraf';
import type { BotContext } from '../src/telegram/context.js';
import { congress } from './congress.js';
import { congressCampaign } from './congressCampaign.js';
import { congressProgress } from './congressProgress.js';
import { directives } from './directives.js';
import { exports } from './exports.js';
import { meetings } from './meetings.js';
import { people } from './people.js';
import { reminders } from './reminders.js';
import { Router } from './router.js';
import { start } from './start.js';

export const commandModules: Composer<BotContext>[] = [congressCampaign, congressProgress, congress];

/** The router with every feature registered. */
export function buildRouter(): Router {
  const router = new Router();
  for (const register of [start, people, meetings, directives, exports, reminders]) register(router);
  return router;
}
