/**
 * `meetings settings|progress`: the meeting calendar of a scope (meeting day, shift to the next
 * working day, reporting deadline, attendance threshold, local days off) and its compliance
 * summary, from the server, with the same rules and wording as chat.
 */
import { parseArgs } from 'node:util';
import { toPlainText } from '../chat/markup.js';
import { parseYesNo } from '../domain/form.js';
import { parseYearMonth } from '../domain/meetings/calendar.js';
import { type IsoDate, parseVnDate } from '../domain/vn.js';
import { msg } from '../messages/index.js';
import type { SettingsChange } from '../services/meetings/index.js';
import { type CliCommand, UsageError } from './context.js';

function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number`);
  return Number(value);
}

function settingsChange(values: Record<string, string | boolean | undefined>): SettingsChange {
  const change: SettingsChange = {};
  const day = wholeNumber('--day', values.day as string | undefined);
  if (day !== undefined) change.meetingDay = day;
  const deadline = wholeNumber('--deadline-days', values['deadline-days'] as string | undefined);
  if (deadline !== undefined) change.reportingDays = deadline;
  const threshold = values.threshold as string | undefined;
  if (threshold !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(threshold)) throw new UsageError('--threshold must be a percentage, e.g. 80');
    change.attendanceThreshold = Number(threshold);
  }
  const shift = values.shift as string | undefined;
  if (shift !== undefined) {
    const yes = parseYesNo(shift);
    if (yes !== 'co' && yes !== 'khong') throw new UsageError('--shift must be yes or no');
    change.shiftToWorkingDay = yes === 'co';
  }
  const daysOff = values['days-off'] as string | undefined;
  if (daysOff !== undefined) {
    const dates = daysOff === '' || daysOff === 'none' ? [] : daysOff.split(',').map(parseVnDate);
    if (dates.some((d) => d === undefined))
      throw new UsageError('--days-off must be dd/mm/yyyy dates separated by commas, or none');
    change.extraDaysOff = dates.filter((d): d is IsoDate => d !== undefined);
  }
  return change;
}

export const meetingsCli: CliCommand = {
  name: 'meetings',
  usage: [
    'meetings settings [--unit CODE] [--day 1-31] [--deadline-days 0-28] [--threshold 0-100] [--shift yes|no] [--days-off dd/mm/yyyy,...|none] [--clear]',
    'meetings progress [--unit CODE] [--month MM/YYYY]',
  ],
  async run(args, { services, out, err }) {
    const { values } = parseArgs({
      args: args.slice(1),
      options: {
        unit: { type: 'string' },
        day: { type: 'string' },
        'deadline-days': { type: 'string' },
        threshold: { type: 'string' },
        shift: { type: 'string' },
        'days-off': { type: 'string' },
        clear: { type: 'boolean' },
        month: { type: 'string' },
      },
    });
    const meetings = services.meetings;
    switch (args[0]) {
      case 'settings': {
        const change = settingsChange(values);
        const changing = Object.keys(change).length > 0;
        if (values.clear && changing) throw new UsageError('--clear cannot be combined with other settings');
        const r = values.clear
          ? await meetings.changeSettings('cli', values.unit, 'clear')
          : changing
            ? await meetings.changeSettings('cli', values.unit, change)
            : await meetings.describeSettings('cli', values.unit);
        (r.ok ? out : err)(r.text);
        return r.ok ? 0 : 1;
      }
      case 'progress': {
        const month = values.month === undefined ? undefined : parseYearMonth(values.month);
        if (values.month !== undefined && month === undefined)
          throw new UsageError('--month must be MM/YYYY, e.g. 09/2025');
        const unit = values.unit ? await services.org.unit(values.unit) : await services.org.units.root();
        if (!unit) {
          err(values.unit ? `unknown unit ${values.unit}` : 'no units imported yet');
          return 1;
        }
        out(toPlainText(msg.meetings.complianceText(await meetings.compliance(unit, month))));
        return 0;
      }
      default:
        throw new UsageError('expected: meetings settings|progress');
    }
  },
};
