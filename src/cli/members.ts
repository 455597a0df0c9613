/** `members import FILE.csv`: the member register, all or nothing, every bad row listed by line. */
import { readFileSync } from 'node:fs';
import { msg } from '../messages/index.js';
import { type CliCommand, UsageError } from './context.js';

export const membersCli: CliCommand = {
  name: 'members',
  usage: ['members import FILE.csv   import or update the member register (all or nothing)'],
  async run(args, { services, out, err }) {
    const [sub, file] = args;
    if (sub !== 'import' || !file) throw new UsageError('expected: members import FILE.csv');
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      err(msg.members.cli.unreadableFile(file));
      return 1;
    }
    const r = await services.members.importCsv('cli', bytes);
    if (!r.ok) {
      // Every problem: on the server there is no message length to keep to.
      err(
        r.refusal.reason === 'import_errors'
          ? msg.members.importErrors(r.refusal.errors, Number.POSITIVE_INFINITY)
          : msg.members.refusal(r.refusal),
      );
      return 1;
    }
    out(msg.members.importSummary(r.value));
    return 0;
  },
};
