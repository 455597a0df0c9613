/**
 * Every feature's chat handlers. `buildRouter` registers the features that speak through the
 * channel-neutral router; `commandModules` are the telegraf modules not yet moved onto it, in the
 * order they get a chance at an update the router did not take.
 */
import type { Composer } from 'telegraf';
import type { BotContext } from '../src/telegram/context.js';
import { congress } from './congress.js';
import { directives } from './directives.js';
import { exportsCommands } from './exports.js';
import { fallback } from './fallback.js';
import { meetings } from './meetings.js';
import { people } from './people.js';
import { reminderCommands } from './reminders.js';
import { Router } from './router.js';
import { start } from './start.js';
import { unitsImport } from './units.js';

export const commandModules: Composer<BotContext>[] = [
  start,
  // Before unitsImport: a file sent on the /thongbao file step is the directive's attachment.
  directives,
  people,
  unitsImport,
  exportsCommands,
  reminderCommands,
  fallback,
];

/** The router with every feature registered. */
export function buildRouter(): Router {
  const router = new Router();
  for (const register of [meetings, congress]) register(router);
  return router;
}
