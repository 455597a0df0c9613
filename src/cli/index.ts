/** Every CLI command. */
import type { CliCommand } from './context.js';
import { invitesCli } from './invites.js';
import { peopleCli } from './people.js';
import { unitsCli } from './units.js';

export const cliCommands: CliCommand[] = [unitsCli, invitesCli, peopleCli];
