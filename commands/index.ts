/** Every command module, in the order they get a chance at an update. */
import type { Composer } from 'telegraf';
import type { BotContext } from '../src/telegram/context.js';
import { fallback } from './fallback.js';
import { people } from './people.js';
import { start } from './start.js';
import { unitsImport } from './units.js';

export const commandModules: Composer<BotContext>[] = [start, people, unitsImport, fallback];
