/** Every feature's chat handlers, registered on the one channel-neutral router. */
import { congress } from './congress.js';
import { directives } from './directives.js';
import { exports } from './exports.js';
import { meetings } from './meetings.js';
import { members } from './members.js';
import { people } from './people.js';
import { reminders } from './reminders.js';
import { Router } from './router.js';
import { start } from './start.js';

/** The router with every feature registered. */
export function buildRouter(): Router {
  const router = new Router();
  for (const register of [start, members, people, meetings, congress, directives, exports, reminders])
    register(router);
  return router;
}
