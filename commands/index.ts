/** Every command module, in the order they get a chance at an update. */
import type { Composer } from 'telegraf';
import type { BotContext } from '../src/telegram/context.js';
import { congress } from './congress.js';
import { congressCampaign } from './congressCampaign.js';
import { congressProgress } from './congressProgress.js';
import { fallback } from './fallback.js';
import { people } from './people.js';
import { sinhHoat } from './sinhHoat.js';
import { start } from './start.js';
import { unitsImport } from './units.js';

export const commandModules: Composer<BotContext>[] = [
  start,
  people,
  unitsImport,
  sinhHoat,
  congressCampaign,
  congressProgress,
  congress,
  fallback,
];
