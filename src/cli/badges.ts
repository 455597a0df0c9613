/**
 * `badges list --occasion DD/MM/YYYY [--unit CODE]`: the members due for Huy hiệu Đảng at an
 * occasion, as CSV on stdout (header `unit_code,unit_name,full_name,birth_date,joined,milestone`),
 * branch by branch; the count goes to stderr.
 */
import { parseArgs } from 'node:util';
import { badgeCsv } from '../domain/members/badgeList.js';
import { formatVnDate } from '../domain/vn.js';
import { msg } from '../messages/index.js';
import { type CliCommand, UsageError } from './context.js';

export const badgesCli: CliCommand = {
  name: 'badges',
  usage: [
    'badges list --occasion DD/MM/YYYY [--unit CODE]',
    '                          members due for Huy hiệu Đảng at the occasion, as CSV',
  ],
  async run(args, { services, out, err }) {
    if (args[0] !== 'list') throw new UsageError('expected: badges list --occasion DD/MM/YYYY [--unit CODE]');
    let values: { occasion?: string; unit?: string };
    try {
      ({ values } = parseArgs({
        args: args.slice(1),
        options: { occasion: { type: 'string' }, unit: { type: 'string' } },
      }));
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
    if (values.occasion === undefined)
      throw new UsageError('--occasion DD/MM/YYYY is required, e.g. 02/09/2026');
    const r = await services.members.badges('cli', {
      occasion: values.occasion,
      ...(values.unit !== undefined ? { unit: values.unit } : {}),
    });
    if (!r.ok) {
      err(msg.members.refusal(r.refusal));
      return 1;
    }
    out(badgeCsv(r.value).trimEnd());
    err(
      msg.members.cli.badgesListed(r.value.rows.length, formatVnDate(r.value.occasion), r.value.scope.name),
    );
    return 0;
  },
};
