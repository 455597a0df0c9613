/** Every CLI command. */
import { campaignCli } from './campaign.js';
import type { CliCommand } from './context.js';
import { invitesCli } from './invites.js';
import { meetingsCli } from './meetings.js';
import { peopleCli } from './people.js';
import { unitsCli } from './units.js';

export const cliCommands: CliCommand[] = [unitsCli, invitesCli, peopleCli, meetingsCli, campaignCli];
