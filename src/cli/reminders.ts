/**
 * `reminders run` and `summary send|show`: start a run now, through the same `ReminderService`
 * methods the scheduler calls, for the current time. Outbox ids make a run that the scheduler
 * already did (or does later the same day) queue nothing twice.
 */
import { parseArgs } from 'node:util';
import { toPlainText } from '../chat/markup.js';
import { formatVnDate } from '../domain/vn.js';
import type { ReminderRunReport, RunTally } from '../services/reminders/index.js';
import { type CliCommand, UsageError } from './context.js';

const tally = (name: string, t: RunTally) =>
  `${name}: queued ${t.queued}, already queued ${t.repeated}, held for quiet hours ${t.deferred}`;

function reportLines(r: ReminderRunReport): string[] {
  return [
    `reminders for ${formatVnDate(r.today)}`,
    tally('congress', r.congress),
    tally('escalations', r.escalations),
    tally('meetings', r.meetings),
  ];
}

export const remindersCli: CliCommand = {
  name: 'reminders',
  usage: ['reminders run [--only congress|meetings]'],
  async run(args, { services, out }) {
    if (args[0] !== 'run') throw new UsageError('expected: reminders run');
    const { values } = parseArgs({ args: args.slice(1), options: { only: { type: 'string' } } });
    const now = services.clock.now();
    const reminders = services.reminders;
    let report: ReminderRunReport;
    if (values.only === undefined) report = await reminders.runReminders(now);
    else if (values.only === 'congress') report = await reminders.runCongressReminders(now);
    else if (values.only === 'meetings') report = await reminders.runMeetingReminders(now);
    else throw new UsageError('--only must be congress or meetings');
    for (const line of reportLines(report)) out(line);
    return 0;
  },
};

export const summaryCli: CliCommand = {
  name: 'summary',
  usage: ['summary send', 'summary show --person TELEGRAM_ID'],
  async run(args, { services, out, err }) {
    const now = services.clock.now();
    switch (args[0]) {
      case 'send': {
        const r = await services.reminders.sendSummaries(now);
        out(
          `summaries for ${formatVnDate(r.today)}: queued ${r.queued}, already sent today ${r.alreadySent}, time not come yet ${r.notYet}`,
        );
        return 0;
      }
      case 'show': {
        const { values } = parseArgs({ args: args.slice(1), options: { person: { type: 'string' } } });
        if (!values.person || !/^\d+$/.test(values.person))
          throw new UsageError('--person must be a Telegram user id');
        const summary = await services.reminders.summaryFor(Number(values.person), now);
        if (!summary) {
          err(`person ${values.person} is neither a leader nor an admin`);
          return 1;
        }
        out(toPlainText(summary.text));
        return 0;
      }
      default:
        throw new UsageError('expected: summary send|show');
    }
  },
};
