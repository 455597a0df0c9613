/**
 * The message catalogue: every user-facing string, in Vietnamese. Sections live in their own
 * files so each area owns its wording; everything else imports `msg` from here.
 */
import { common } from './common.js';
import { congress } from './congress.js';
import { meetings } from './meetings.js';
import { units } from './units.js';

export const msg = { common, units, congress, meetings } as const;
export type Messages = typeof msg;
