/**
 * `campaign create …`: opens a congress round with the same checks as /dotdaihoi; the round's
 * id is the last line of stdout. `campaign list`: the open rounds, one per line.
 */
import { parseArgs } from 'node:util';
import { formatTerm } from '../domain/congress/campaign.js';
import { EXTENSION_REASON_MAX, parseExtensionArgs } from '../domain/congress/extension.js';
import { formatVnDate } from '../domain/vn.js';
import { msg } from '../messages/index.js';
import { CAMPAIGN_OFFICE_USAGE, campaignOfficeCli } from './campaignOffice.js';
import { type CliCommand, UsageError } from './context.js';

export const campaignCli: CliCommand = {
  name: 'campaign',
  usage: [
    'campaign create --name "…" --term 2025-2027 --scope CODE --opens DD/MM/YYYY --deadline DD/MM/YYYY',
    '                [--pilot CODE,CODE] [--young-age 35]',
    '                          open a congress round; prints its id on the last line',
    'campaign list             every congress round, tab-separated: id, open|closed, term, unit, window, name',
    'campaign extend --unit CODE --until DD/MM/YYYY [--campaign ID] [--reason "…"]',
    '                          let one branch hold its congress after the deadline (gia hạn)',
    ...CAMPAIGN_OFFICE_USAGE,
  ],
  async run(args, ctx) {
    const { services, out, err } = ctx;
    const [sub, ...rest] = args;
    if (sub === 'assign' || sub === 'checklist') return campaignOfficeCli(sub, rest, ctx);
    if (sub === 'list') {
      for (const { campaign: c, scopeName, open } of await services.congress.campaignList()) {
        const status = open ? 'open' : 'closed';
        const window = `${formatVnDate(c.opens)}-${formatVnDate(c.deadline)}`;
        out([c.id, status, c.term, c.scope, scopeName, window, c.name].join('\t'));
      }
      return 0;
    }
    if (sub === 'extend') return extendCli(rest, services, out, err);
    if (sub !== 'create')
      throw new UsageError('expected: campaign create …, campaign list or campaign extend …');
    let values: Record<string, string | undefined>;
    try {
      ({ values } = parseArgs({
        args: rest,
        options: {
          name: { type: 'string' },
          term: { type: 'string' },
          scope: { type: 'string' },
          opens: { type: 'string' },
          deadline: { type: 'string' },
          pilot: { type: 'string' },
          'young-age': { type: 'string' },
        },
      }));
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
    const r = await services.congress.createCampaign('cli', {
      name: values.name ?? '',
      term: values.term ?? '',
      scope: values.scope ?? '',
      opens: values.opens ?? '',
      deadline: values.deadline ?? '',
      pilots: (values.pilot ?? '').split(/[\s,;]+/).filter(Boolean),
      ...(values['young-age'] !== undefined ? { youngAge: values['young-age'] } : {}),
    });
    if (!r.ok) {
      err(msg.congress.campaignDialog.notCreated(r.errors));
      return 1;
    }
    const c = r.campaign;
    out(msg.congress.campaignDialog.created(c.name, c.id));
    out(`${formatTerm(c.term)}, ${c.scope}, ${formatVnDate(c.opens)} – ${formatVnDate(c.deadline)}`);
    out(c.id);
    return 0;
  },
};

/** `campaign extend --unit CODE --until DD/MM/YYYY [--campaign ID] [--reason TEXT]`. */
async function extendCli(
  args: string[],
  services: Parameters<CliCommand['run']>[1]['services'],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        unit: { type: 'string' },
        until: { type: 'string' },
        campaign: { type: 'string' },
        reason: { type: 'string' },
      },
    }));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (!values.unit || !values.until)
    throw new UsageError('campaign extend needs --unit CODE and --until DD/MM/YYYY');
  const parts = [values.unit, values.until, ...(values.campaign ? [values.campaign] : [])];
  const parsed = parseExtensionArgs(parts.join(' '));
  if (!parsed.ok) {
    err(msg.congress.extensionProblem(parsed.problem));
    return 1;
  }
  if (values.campaign !== undefined && parsed.value.campaignId === undefined) {
    err(msg.congress.campaignNotFound);
    return 1;
  }
  const reason = values.reason?.trim();
  if (reason && reason.length > EXTENSION_REASON_MAX) {
    err(msg.congress.extensionProblem({ code: 'reasonTooLong', max: EXTENSION_REASON_MAX }));
    return 1;
  }
  const r = await services.congress.extend('cli', { ...parsed.value, ...(reason ? { reason } : {}) });
  (r.ok ? out : err)(r.text);
  return r.ok ? 0 : 1;
}
