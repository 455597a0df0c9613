/** `people list|zalo|revoke|reassign|set`: the same management as /canbo, from the server. */
import { parseArgs } from 'node:util';
import type { Role, UnitRoleKind } from '../domain/units.js';
import { personName } from '../services/organisation.js';
import type { Person } from '../store/people.js';
import { type CliCommand, UsageError } from './context.js';

const ROLES: Record<string, UnitRoleKind> = { secretary: 'secretary', deputy: 'deputy', leader: 'leader' };

export const peopleCli: CliCommand = {
  name: 'people',
  usage: [
    'people list [--unit CODE] [--role secretary|deputy|leader|admin]',
    'people zalo               everyone who has written to the bot on Zalo, roles or not, with their id',
    '                          (a first admin without Telegram: put the id in ADMIN_IDS)',
    'people revoke --id ID [--role ROLE --unit CODE]',
    'people reassign --unit CODE --role ROLE --from ID --to ID',
    'people set --id ID [--name "Họ và tên"] [--title "Chức vụ"] [--approver yes|no]',
    '                          record a person\'s name and title ("" clears), or whether a leader records chuẩn y',
  ],
  async run(args, { services, out, err }) {
    const { values } = parseArgs({
      args: args.slice(1),
      options: {
        unit: { type: 'string' },
        role: { type: 'string' },
        id: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        name: { type: 'string' },
        title: { type: 'string' },
        approver: { type: 'string' },
      },
    });
    const org = services.org;
    switch (args[0]) {
      case 'list': {
        const role = values.role as Role['kind'] | undefined;
        const list = await org.people.list({ unit: values.unit, role });
        out('id\tname\troles\tstatus\tunreachable\ttitle\tverified');
        for (const p of list) {
          const roles = rolesText(p);
          out(
            `${p.id}\t${personName(p)}\t${roles}\t${p.status}\t${p.unreachable ? p.unreachable.reason : ''}\t${p.title ?? ''}\t${p.fullName ? 'yes' : 'no'}`,
          );
        }
        // On stderr, so a reader of the list can check it got every line.
        err(`${list.length} person(s) listed`);
        return 0;
      }
      case 'zalo': {
        const list = await services.people.zaloPeople();
        out('id\tzalo_name\troles');
        for (const { person: p } of list) {
          const roles = rolesText(p);
          out(`${p.id}\t${p.zalo?.name ?? ''}\t${roles}`);
        }
        err(`${list.length} Zalo user(s) listed`);
        return 0;
      }
      case 'revoke': {
        const id = Number(values.id);
        if (!Number.isInteger(id)) throw new UsageError('--id must be a Telegram user id');
        let role: Role | undefined;
        if (values.role) {
          const kind = ROLES[values.role];
          if (!kind || !values.unit)
            throw new UsageError('--role needs secretary|deputy|leader and --unit CODE');
          role = { kind, unit: values.unit };
        }
        const r = await org.revoke('cli', id, role);
        (r.ok ? out : err)(r.text);
        return r.ok ? 0 : 1;
      }
      case 'reassign': {
        const kind = ROLES[values.role ?? ''];
        const from = Number(values.from);
        const to = Number(values.to);
        if (!kind || !values.unit || !Number.isInteger(from) || !Number.isInteger(to)) {
          throw new UsageError('expected: people reassign --unit CODE --role ROLE --from ID --to ID');
        }
        const r = await org.reassign('cli', { unit: values.unit, kind, from, to });
        (r.ok ? out : err)(r.text);
        return r.ok ? 0 : 1;
      }
      case 'set': {
        const id = Number(values.id);
        if (!values.id || !Number.isInteger(id)) throw new UsageError('--id must be a Telegram user id');
        let approver: boolean | undefined;
        if (values.approver !== undefined) {
          if (!['yes', 'no'].includes(values.approver)) throw new UsageError('--approver must be yes or no');
          approver = values.approver === 'yes';
        }
        const r = await org.setIdentity('cli', id, {
          ...(values.name !== undefined ? { name: values.name } : {}),
          ...(values.title !== undefined ? { title: values.title } : {}),
          ...(approver !== undefined ? { approver } : {}),
        });
        (r.ok ? out : err)(r.text);
        return r.ok ? 0 : 1;
      }
      default:
        throw new UsageError('expected: people list|revoke|reassign|set');
    }
  },
};

/** A person's roles as the lists print them: `admin`, `secretary:CB01`, … */
function rolesText(p: Person): string {
  return p.roles.map((r) => (r.kind === 'admin' ? 'admin' : `${r.kind}:${r.unit}`)).join(' ');
}
