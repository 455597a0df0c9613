/**
 * `campaign assign --unit CODE --person ID [--campaign ID]`: an upper-level attendee for a
 * branch congress (as /phancong). `campaign checklist --campaign ID [--preparation "a; b"]
 * [--follow-up "a; b"] [--follow-up-days 30]`: the round's own checklists.
 */
import { parseArgs } from 'node:util';
import { parseChecklist, parseFollowUpDays } from '../domain/congress/checklist.js';
import { msg } from '../messages/index.js';
import { type CliContext, UsageError } from './context.js';

export const CAMPAIGN_OFFICE_USAGE = [
  'campaign assign --unit CODE --person ID [--campaign ID]',
  '                          an upper-level attendee for the branch congress (told the day before)',
  'campaign checklist --campaign ID [--preparation "việc 1; việc 2"] [--follow-up "…"] [--follow-up-days 30]',
  "                          the round's preparation and follow-up checklists (/chuanbi)",
];

function options(args: string[]): Record<string, string | undefined> {
  try {
    return parseArgs({
      args,
      options: {
        unit: { type: 'string' },
        person: { type: 'string' },
        campaign: { type: 'string' },
        preparation: { type: 'string' },
        'follow-up': { type: 'string' },
        'follow-up-days': { type: 'string' },
      },
    }).values;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

export async function campaignOfficeCli(
  sub: string,
  args: string[],
  { services, out, err }: CliContext,
): Promise<number> {
  const v = options(args);
  if (sub === 'assign') {
    const person = Number(v.person);
    if (!v.unit || !v.person || !Number.isSafeInteger(person))
      throw new UsageError('expected: campaign assign --unit CODE --person ID [--campaign ID]');
    const r = await services.congress.assignAttendee('cli', v.unit, person, v.campaign);
    (r.ok ? out : err)(r.text);
    return r.ok ? 0 : 1;
  }
  if (!v.campaign) throw new UsageError(msg.congressOffice.checklist.setUsage);
  const campaign = await services.congress
    .campaignList()
    .then((l) => l.find((x) => x.campaign.id === v.campaign));
  if (!campaign) {
    err(msg.congress.campaignNotFound);
    return 1;
  }
  const office = services.congress.office;
  const config = await office.config(v.campaign);
  const problems: string[] = [];
  if (v.preparation !== undefined) {
    const p = parseChecklist(v.preparation);
    if (p.ok) config.preparation = p.items;
    else problems.push(msg.congressOffice.checklist.problem(p.problem));
  }
  if (v['follow-up'] !== undefined) {
    const p = parseChecklist(v['follow-up']);
    if (p.ok) config.followUp = p.items;
    else problems.push(msg.congressOffice.checklist.problem(p.problem));
  }
  if (v['follow-up-days'] !== undefined) {
    const p = parseFollowUpDays(v['follow-up-days']);
    if (p.ok) config.followUpDays = p.days;
    else problems.push(msg.congressOffice.checklist.problem(p.problem));
  }
  if (problems.length > 0) {
    for (const p of problems) err(p);
    return 1;
  }
  await office.setConfig(v.campaign, config, 'cli', services.clock.now());
  out(
    msg.congressOffice.checklist.saved(
      config.preparation.length,
      config.followUp.length,
      config.followUpDays,
    ),
  );
  return 0;
}
