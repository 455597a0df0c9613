/** Every command module, in the order they get a chance at an update. */
import type { Composer } from 'telegraf';
import type { BotContext } from '../src/telegram/context.js';
import { congress } from './congress.js';
import { congressCampaign } from './congressCampaign.js';
import { congressProgress } from './congressProgress.js';
import { directives } from './directives.js';
import { exportsCommands } from './exports.js';
import { fallback } from './fallback.js';
import { meetings } from './meetings.js';
import { people } from './people.js';
import { reminderCommands } from './reminders.js';
import { start } from './start.js';
import { unitsImport } from './units.js';

export const commandModules: Composer<BotContext>[] = [
  start,
  // Before unitsImport: a file sent on the /thongbao file step is the directive's attachment.
  directives,
  people,
  unitsImport,
  meetings,
  congressCampaign,
  congressProgress,
  congress,
  exportsCommands,
  reminderCommands,
  fallback,
];
