/**
 * The monthly meeting reminder run: before the meeting day and after the report deadline, to
 * each branch that has not reported that month.
 */
import { formatYearMonth, type YearMonth } from '../../domain/meetings/calendar.js';
import { type MeetingReminder, meetingRemindersDue } from '../../domain/reminders.js';
import { formatVnDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import { outboxId, type SendResult } from '../../outbox/outbox.js';
import { calendarFor, type ReminderContext, todayAt } from './deps.js';
import { addAll, emptyTally, inParallel } from './runParts.js';
import { branchContacts } from './standing.js';
import type { ReminderRunReport } from './types.js';

const m = msg.reminders;

/** The name this run's last run is kept under (and its scheduler's id, `jobs/names.ts`). */
const MEETING_REMINDERS_RUN = 'meeting-reminders';

/** The meeting reminders due at `now` (the scheduler's `meeting-reminders` run). */
export async function runMeetingReminders(ctx: ReminderContext, now: number): Promise<ReminderRunReport> {
  const { deps } = ctx;
  const today = todayAt(ctx, now);
  const tally = emptyTally();
  const root = await deps.org.units.root();
  const branches = root ? await deps.org.units.branchesUnder(root.code) : [];
  const settings = await inParallel(branches.map((b) => () => deps.meetings.settingsFor(b)));
  // Most branches share their settings; plan each distinct calendar once.
  const plans = new Map<string, MeetingReminder[]>();
  const byMonth = new Map<YearMonth, { branch: string; reminder: MeetingReminder }[]>();
  branches.forEach((branch, i) => {
    const s = settings[i]?.settings;
    if (!s) return;
    const key = JSON.stringify(s);
    let plan = plans.get(key);
    if (!plan) {
      plan = meetingRemindersDue({ today, settings: s, holidays: calendarFor(ctx, s), rules: ctx.rules });
      plans.set(key, plan);
    }
    for (const reminder of plan) {
      const list = byMonth.get(reminder.month) ?? [];
      list.push({ branch, reminder });
      byMonth.set(reminder.month, list);
    }
  });
  const due: { branch: string; reminder: MeetingReminder }[] = [];
  for (const [month, list] of byMonth) {
    const reported = await deps.meetingStore.reportedAmong(
      month,
      list.map((d) => d.branch),
    );
    for (const d of list) if (!reported.has(d.branch)) due.push(d);
  }
  if (due.length > 0) {
    const codes = [...new Set(due.map((d) => d.branch))];
    const { units, secretaries, deputies } = await branchContacts(deps.org, codes);
    const sends: (() => Promise<SendResult>)[] = [];
    for (const { branch, reminder } of due) {
      const name = units.get(branch)?.name ?? branch;
      const text = meetingText(name, reminder);
      // The secretaries report; a branch with none bound is reminded through its deputies.
      const secs = secretaries.get(branch) ?? [];
      for (const personId of secs.length > 0 ? secs : (deputies.get(branch) ?? [])) {
        const id = outboxId('rem-sh', reminder.kind, branch, reminder.month, reminder.stage, personId);
        sends.push(() => deps.notifier.toPerson(personId, text, { id, purpose: 'reminder' }));
      }
    }
    addAll(tally, await inParallel(sends));
  }
  await deps.store.recordRun(MEETING_REMINDERS_RUN, { at: now, queued: tally.queued });
  deps.log.info({ today, meetings: tally }, 'meeting reminders run');
  return { today, congress: emptyTally(), escalations: emptyTally(), meetings: tally };
}

function meetingText(branchName: string, r: MeetingReminder): string {
  const month = formatYearMonth(r.month);
  return r.kind === 'soon'
    ? m.meetings.soon(branchName, month, formatVnDate(r.date))
    : m.meetings.overdue(branchName, month, formatVnDate(r.date), r.daysLate ?? 0);
}
