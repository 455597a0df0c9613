/** `invites create (--unit CODE | --all-branches) --role …`: CSV of invite links on stdout. */
import { parseArgs } from 'node:util';
import type { UnitRoleKind } from '../domain/units.js';
import { type CliCommand, UsageError } from './context.js';

const ROLES: Record<string, UnitRoleKind> = { secretary: 'secretary', deputy: 'deputy', leader: 'leader' };

export const invitesCli: CliCommand = {
  name: 'invites',
  usage: [
    'invites create (--unit CODE | --all-branches) --role secretary|deputy|leader [--days 30] [--only-vacant]',
    '               [--name "Họ và tên"] [--title "Chức vụ"] [--approver]',
    '                          print invite links as CSV (unit_code,unit_name,role,code,link);',
    '                          name and title are recorded on whoever redeems the link (one unit only);',
    '                          --approver (leaders only): may record chuẩn y / chỉ định decisions',
  ],
  async run(args, { services, out, err }) {
    if (args[0] !== 'create') throw new UsageError('expected: invites create …');
    const { values } = parseArgs({
      args: args.slice(1),
      options: {
        unit: { type: 'string' },
        'all-branches': { type: 'boolean' },
        role: { type: 'string' },
        days: { type: 'string' },
        'only-vacant': { type: 'boolean' },
        name: { type: 'string' },
        title: { type: 'string' },
        approver: { type: 'boolean' },
      },
    });
    const role = ROLES[values.role ?? ''];
    if (!role) throw new UsageError('--role must be secretary, deputy or leader');
    if (!values.unit === !values['all-branches'])
      throw new UsageError('give exactly one of --unit CODE or --all-branches');
    const ttlDays = values.days === undefined ? undefined : Number(values.days);
    if (ttlDays !== undefined && !(Number.isInteger(ttlDays) && ttlDays > 0))
      throw new UsageError('--days must be a whole number of days');
    const r = await services.org.createInvites('cli', {
      unit: values.unit,
      allBranches: values['all-branches'],
      role,
      ttlDays,
      onlyVacant: values['only-vacant'],
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(values.title !== undefined ? { title: values.title } : {}),
      ...(values.approver ? { approver: true } : {}),
    });
    if (!r.ok) {
      err(r.text);
      return 1;
    }
    // No BOM on stdout: the caller decides what the file is for.
    out(r.csv.replace(/^\uFEFF/, '').trimEnd());
    err(`${r.rows.length} invite(s) created`);
    return 0;
  },
};
