/** `targets set --unit CODE --year YYYY --new-members N`: a unit's target of new members for a year. */
import { parseArgs } from 'node:util';
import { msg } from '../messages/index.js';
import { type CliCommand, UsageError } from './context.js';

export const targetsCli: CliCommand = {
  name: 'targets',
  usage: [
    'targets set --unit CODE --year YYYY --new-members N',
    '                          the target of new members (phát triển đảng viên) for a unit and year',
  ],
  async run(args, { services, out, err }) {
    if (args[0] !== 'set')
      throw new UsageError('expected: targets set --unit CODE --year YYYY --new-members N');
    let values: { unit?: string; year?: string; 'new-members'?: string };
    try {
      ({ values } = parseArgs({
        args: args.slice(1),
        options: { unit: { type: 'string' }, year: { type: 'string' }, 'new-members': { type: 'string' } },
      }));
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
    const { unit, year } = values;
    const newMembers = values['new-members'];
    if (unit === undefined || year === undefined || newMembers === undefined) {
      throw new UsageError('--unit CODE, --year YYYY and --new-members N are all required');
    }
    const r = await services.members.setTarget('cli', { unit, year, newMembers });
    if (!r.ok) {
      err(msg.members.refusal(r.refusal));
      return 1;
    }
    out(msg.members.cli.targetSet(r.value.unit.name, r.value.year, r.value.target));
    return 0;
  },
};
