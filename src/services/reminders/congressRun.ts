/**
 * The congress reminder run: for each open round, the reminder due to each branch's
 * secretaries and deputies, and once a branch is overdue long enough, one message per
 * responsible leader listing their overdue branches round by round.
 */
import { type Campaign, isCampaignOpen } from '../../domain/congress/campaign.js';
import { nameWithTitle as personName } from '../../domain/personIdentity.js';
import { type CongressReminder, congressReminderDue } from '../../domain/reminders.js';
import { formatVnDate, type IsoDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import { outboxId, type SendResult } from '../../outbox/outbox.js';
import { holidaysFor, type ReminderContext, todayAt } from './deps.js';
import { addAll, emptyTally, type Failure, failIfAny, inParallel, isolated } from './runParts.js';
import { branchContacts, byDeadline, roundStanding, stateOf } from './standing.js';
import { ESCALATION_NAMES_MAX, type ReminderRunReport, type RunTally } from './types.js';

const m = msg.reminders;

/** The name this run's last run is kept under (and its scheduler's id, `jobs/names.ts`). */
const CONGRESS_REMINDERS_RUN = 'reminders';

/** Leaders and their overdue branches, collected during a run for the escalation messages. */
type Escalations = Map<number, Map<string, EscalatedRound>>;
interface EscalatedRound {
  campaign: Campaign;
  /** One entry per overdue branch: what is missing, and who its secretaries are. */
  lines: string[];
}

/** The congress reminders and escalations due at `now` (the scheduler's `reminders` run). */
export async function runCongressReminders(ctx: ReminderContext, now: number): Promise<ReminderRunReport> {
  const { deps } = ctx;
  const today = todayAt(ctx, now);
  const congress = emptyTally();
  const escalations: Escalations = new Map();
  const rounds = (await deps.campaigns.listCampaigns())
    .filter((c) => isCampaignOpen(c, today))
    .sort(byDeadline);
  // A round that fails does not stop the others; the run fails at the end, and its retry
  // queues only what is still missing.
  const failures: Failure[] = [];
  for (const campaign of rounds) {
    await isolated(failures, { campaign: campaign.id }, () =>
      remindRound(ctx, campaign, today, congress, escalations),
    );
  }
  const escalated = await sendEscalations(ctx, escalations, today);
  await deps.store.recordRun(CONGRESS_REMINDERS_RUN, {
    at: now,
    queued: congress.queued + escalated.queued,
  });
  deps.log.info({ today, congress, escalations: escalated }, 'congress reminders run');
  failIfAny(deps.log, failures, 'congress reminders');
  return { today, congress, escalations: escalated, meetings: emptyTally() };
}

async function remindRound(
  ctx: ReminderContext,
  campaign: Campaign,
  today: IsoDate,
  tally: RunTally,
  escalations: Escalations,
): Promise<void> {
  const { deps } = ctx;
  const [holidays, branches, standing] = await Promise.all([
    holidaysFor(ctx, campaign.scope),
    deps.org.units.branchesUnder(campaign.scope),
    roundStanding(deps.congress, campaign),
  ]);
  const due: { branch: string; reminder: CongressReminder }[] = [];
  for (const branch of branches) {
    const reminder = congressReminderDue({
      today,
      campaign,
      state: stateOf(standing, branch),
      holidays,
      rules: ctx.rules,
    });
    if (reminder) due.push({ branch, reminder });
  }
  if (due.length === 0) return;
  const codes = due.map((d) => d.branch);
  const { units, secretaries, deputies } = await branchContacts(deps.org, codes);
  const sends: (() => Promise<SendResult>)[] = [];
  for (const { branch, reminder } of due) {
    const name = units.get(branch)?.name ?? branch;
    const text = `${m.congress.title(campaign.name)}\n${congressText(campaign, name, reminder)}`;
    const people = new Set([...(secretaries.get(branch) ?? []), ...(deputies.get(branch) ?? [])]);
    for (const personId of people) {
      const id = outboxId('rem-dh', reminder.kind, campaign.id, branch, reminder.stage, personId);
      sends.push(() => deps.notifier.toPerson(personId, text, { id, purpose: 'reminder' }));
    }
  }
  addAll(tally, await inParallel(sends));

  const escalate = due.filter((d) => d.reminder.escalate);
  if (escalate.length === 0) return;
  const ancestors = await deps.org.units.ancestorsMany(escalate.map((d) => d.branch));
  const names = await namesOf(ctx, [...new Set(escalate.flatMap((d) => secretaries.get(d.branch) ?? []))]);
  for (const { branch, reminder } of escalate) {
    const leaders = await deps.org.people.responsibleLeaders(branch, ancestors.get(branch) ?? []);
    if (!leaders) continue;
    const name = units.get(branch)?.name ?? branch;
    const days = reminder.daysOverdue ?? 0;
    const head = reminder.registration
      ? m.escalation.noResult(name, formatVnDate(reminder.registration.date), days)
      : m.escalation.noDate(name, days);
    const secs = (secretaries.get(branch) ?? []).map((id) => names.get(id) ?? `id ${id}`);
    const line = [
      head,
      secs.length > 0 ? m.escalation.secretaries(secs.join(', ')) : m.escalation.noSecretary,
    ];
    for (const leaderId of leaders.people) {
      const byRound = escalations.get(leaderId) ?? new Map<string, EscalatedRound>();
      const entry = byRound.get(campaign.id) ?? { campaign, lines: [] };
      entry.lines.push(line.join('\n'));
      byRound.set(campaign.id, entry);
      escalations.set(leaderId, byRound);
    }
  }
}

/** One message per leader per day, listing their overdue branches round by round. */
async function sendEscalations(
  ctx: ReminderContext,
  escalations: Escalations,
  today: IsoDate,
): Promise<RunTally> {
  const sends: (() => Promise<SendResult>)[] = [];
  for (const [leaderId, byRound] of escalations) {
    const parts: string[] = [m.escalation.title];
    for (const { campaign, lines } of byRound.values()) {
      const shown = lines.slice(0, ESCALATION_NAMES_MAX);
      if (lines.length > shown.length) shown.push(m.escalation.more(lines.length - shown.length));
      parts.push(
        `${m.escalation.campaign(campaign.name, formatVnDate(campaign.deadline))}\n${shown.join('\n')}`,
      );
    }
    parts.push(m.escalation.footer);
    const id = outboxId('rem-dh-lanhdao', leaderId, today);
    sends.push(() => ctx.deps.notifier.toPerson(leaderId, parts.join('\n\n'), { id, purpose: 'reminder' }));
  }
  const tally = emptyTally();
  addAll(tally, await inParallel(sends));
  return tally;
}

async function namesOf(ctx: ReminderContext, ids: readonly number[]): Promise<Map<number, string>> {
  const people = await ctx.deps.org.people.getMany(ids);
  return new Map(people.map((p) => [p.id, personName(p)]));
}

function congressText(campaign: Campaign, branchName: string, r: CongressReminder): string {
  const deadline = formatVnDate(r.extendedUntil ?? campaign.deadline);
  const c = m.congress;
  switch (r.kind) {
    case 'register':
      return r.extendedUntil !== undefined
        ? c.registerExtended(branchName, deadline, r.daysLeft ?? 0)
        : c.register(branchName, deadline, r.daysLeft ?? 0);
    case 'dayBefore':
      return m.congress.dayBefore(
        branchName,
        msg.congress.registrationWhen(r.registration?.date ?? '', r.registration?.time),
      );
    case 'resultMissing': {
      // What to do if the congress moved: /lich within the branch's deadline, else ask for one.
      const moved = r.pastDeadline
        ? c.movedAskExtension(r.extendedUntil !== undefined)
        : r.extendedUntil !== undefined
          ? c.movedWithinExtension(deadline)
          : c.movedRegister;
      return c.resultMissing(
        branchName,
        formatVnDate(r.registration?.date ?? ''),
        r.daysOverdue ?? 0,
        deadline,
        moved,
      );
    }
    case 'overdue':
      // Past its own deadline a branch cannot register: it reports, or asks the cấp ủy.
      return r.extendedUntil !== undefined
        ? c.overdueExtended(branchName, deadline, r.daysOverdue ?? 0)
        : c.overdue(branchName, deadline, r.daysOverdue ?? 0);
  }
}
