/** Every CLI command. */
import { backupCli, restoreCli } from './backup.js';
import { badgesCli } from './badges.js';
import { campaignCli } from './campaign.js';
import type { CliCommand, RedisCliCommand } from './context.js';
import { directiveCli } from './directive.js';
import { exportCli } from './export.js';
import { invitesCli } from './invites.js';
import { meetingsCli } from './meetings.js';
import { membersCli } from './members.js';
import { peopleCli } from './people.js';
import { remindersCli, summaryCli } from './reminders.js';
import { targetsCli } from './targets.js';
import { unitsCli } from './units.js';

export const cliCommands: (CliCommand | RedisCliCommand)[] = [
  unitsCli,
  invitesCli,
  peopleCli,
  meetingsCli,
  campaignCli,
  directiveCli,
  exportCli,
  remindersCli,
  summaryCli,
  membersCli,
  badgesCli,
  targetsCli,
  backupCli,
  restoreCli,
];
