/**
 * The message catalogue: every user-facing string, in Vietnamese. Sections live in their own
 * files so each area owns its wording; everything else imports `msg` from here.
 */
import { admin } from './admin.js';
import { backup } from './backup.js';
import { common } from './common.js';
import { congress } from './congress.js';
import { congressOffice } from './congressOffice.js';
import { directives } from './directives.js';
import { exports } from './exports.js';
import { help } from './help.js';
import { meetings } from './meetings.js';
import { memberChat } from './memberChat.js';
import { members } from './members.js';
import { people } from './people.js';
import { reminders } from './reminders.js';
import { units } from './units.js';
import { zalo } from './zalo.js';

export const msg = {
  common,
  units,
  people,
  help,
  congress,
  congressOffice,
  meetings,
  directives,
  exports,
  reminders,
  admin,
  backup,
  members,
  memberChat,
  zalo,
} as const;
export type Messages = typeof msg;
