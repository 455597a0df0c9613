/** The reminder calendar, day by day: congress stages, the day before, overdue, escalation, holidays; meetings. */
import { describe, expect, it } from 'vitest';
import { SCHEDULED_JOBS } from '../../jobs/names.js';
import { scheduleSpecs } from '../../jobs/schedules.js';
import { buildHolidayCalendar, DEFAULT_HOLIDAYS } from '../../src/domain/meetings/holidays.js';
import { DEFAULT_MEETING_SETTINGS } from '../../src/domain/meetings/settings.js';
import {
  type BranchCongressState,
  congressReminderDue,
  DEFAULT_REMINDER_RULES,
  meetingRemindersDue,
} from '../../src/domain/reminders.js';
import { addDays } from '../../src/domain/vn.js';
import { msg } from '../../src/messages/index.js';

const round = { opens: '2025-09-01', deadline: '2025-09-30' };
const none: BranchCongressState = { reported: false };
const due = (
  today: string,
  state: BranchCongressState = none,
  campaign = round,
  holidays = DEFAULT_HOLIDAYS,
) => congressReminderDue({ today, campaign, state, holidays });

/** Every day from `from` to `to` with the kind and stage due, skipping days with nothing. */
function calendarOf(from: string, to: string, state: BranchCongressState, campaign = round) {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const r = due(d, state, campaign);
    if (r) out.push(`${d} ${r.kind} ${r.stage}${r.escalate ? ' !' : ''}`);
  }
  return out;
}

describe('congress reminders to a branch with no date', () => {
  it('reminds 14, 7, 3 and 1 days before the deadline, then daily once overdue, escalating from day 2', () => {
    expect(calendarOf('2025-08-25', '2025-10-03', none)).toEqual([
      '2025-09-16 register d14',
      '2025-09-23 register d7',
      '2025-09-27 register d3',
      '2025-09-29 register d1',
      '2025-10-01 overdue 2025-10-01',
      '2025-10-02 overdue 2025-10-02 !',
      '2025-10-03 overdue 2025-10-03 !',
    ]);
  });

  it('says how many days are left, and how many overdue', () => {
    expect(due('2025-09-23')).toMatchObject({ kind: 'register', daysLeft: 7, urgent: false });
    expect(due('2025-09-29')).toMatchObject({ kind: 'register', daysLeft: 1, urgent: true });
    expect(due('2025-10-05')).toMatchObject({ kind: 'overdue', daysOverdue: 5, escalate: true });
  });

  it('escalates after the configured number of overdue days', () => {
    const rules = { ...DEFAULT_REMINDER_RULES, escalateAfterDays: 4 };
    const at = (today: string) =>
      congressReminderDue({ today, campaign: round, state: none, holidays: DEFAULT_HOLIDAYS, rules });
    expect(at('2025-10-03')?.escalate).toBe(false);
    expect(at('2025-10-04')?.escalate).toBe(true);
  });

  it('skips a non-urgent stage that falls on a holiday, but not the last one', () => {
    // 14 days before 16/09/2025 is 02/09, Quốc khánh.
    const early = { opens: '2025-08-20', deadline: '2025-09-16' };
    expect(due('2025-09-02', none, early)).toBeUndefined();
    expect(due('2025-09-09', none, early)).toMatchObject({ stage: 'd7' });
    // The last stage goes out on a local day off too.
    const dayOff = buildHolidayCalendar(undefined, ['2025-09-29']);
    expect(due('2025-09-29', none, round, dayOff)).toMatchObject({ stage: 'd1', urgent: true });
    expect(due('2025-09-23', none, round, buildHolidayCalendar(undefined, ['2025-09-23']))).toBeUndefined();
  });

  it('skips the daily overdue reminder (and its escalation) on a holiday', () => {
    const summer = { opens: '2025-08-01', deadline: '2025-08-29' };
    expect(due('2025-09-01', none, summer)).toBeUndefined();
    expect(due('2025-09-02', none, summer)).toBeUndefined();
    expect(due('2025-09-03', none, summer)).toMatchObject({
      kind: 'overdue',
      daysOverdue: 5,
      escalate: true,
    });
  });

  it('says nothing before the round opens, after its grace period, in a closed round, or once reported', () => {
    const later = { opens: '2025-09-10', deadline: '2025-09-20' };
    // 14 days before the deadline is before the round opens.
    expect(due('2025-09-06', none, later)).toBeUndefined();
    expect(due('2025-10-30')).toMatchObject({ kind: 'overdue', daysOverdue: 30 });
    expect(due('2025-10-31')).toBeUndefined();
    expect(due('2025-10-02', none, { ...round, closedAt: 1 } as typeof round)).toBeUndefined();
    expect(due('2025-10-02', { reported: true })).toBeUndefined();
  });
});

describe('congress reminders to a branch with a registered date', () => {
  const registered: BranchCongressState = {
    reported: false,
    registration: { date: '2025-09-20', time: 19 * 60 },
  };

  it('reminds the day before, then daily after the date with no result, escalating from day 2', () => {
    expect(calendarOf('2025-09-10', '2025-09-23', registered)).toEqual([
      '2025-09-19 dayBefore truoc-2025-09-20',
      '2025-09-21 resultMissing 2025-09-21',
      '2025-09-22 resultMissing 2025-09-22 !',
      '2025-09-23 resultMissing 2025-09-23 !',
    ]);
    expect(due('2025-09-19', registered)).toMatchObject({
      urgent: true,
      registration: { date: '2025-09-20' },
    });
  });

  it('no stage reminders once a date is registered', () => {
    expect(due('2025-09-16', { reported: false, registration: { date: '2025-09-25' } })).toBeUndefined();
  });

  it('the day before goes out on a holiday; a moved date gets a reminder of its own', () => {
    const onHoliday: BranchCongressState = { reported: false, registration: { date: '2025-09-03' } };
    expect(due('2025-09-02', onHoliday)).toMatchObject({ kind: 'dayBefore', stage: 'truoc-2025-09-03' });
    const moved: BranchCongressState = { reported: false, registration: { date: '2025-09-24' } };
    expect(due('2025-09-23', moved)?.stage).toBe('truoc-2025-09-24');
  });

  it('stops once the result is in', () => {
    expect(due('2025-09-22', { reported: true, registration: { date: '2025-09-20' } })).toBeUndefined();
  });
});

describe('meeting reminders', () => {
  const settings = DEFAULT_MEETING_SETTINGS;
  const at = (today: string, s = settings) =>
    meetingRemindersDue({ today, settings: s, holidays: DEFAULT_HOLIDAYS }).map(
      (r) => `${r.kind} ${r.month} ${r.stage} ${r.date}`,
    );

  it('reminds the day before the meeting day, even on a holiday', () => {
    // 03/09/2025 is the meeting day; 02/09 is Quốc khánh.
    expect(at('2025-09-02')).toEqual(['soon 2025-09 truoc 2025-09-03']);
    // 03/08/2025 is a Sunday: the meeting moves to Monday 04/08.
    expect(at('2025-08-02')).toEqual([]);
    expect(at('2025-08-03')).toEqual(['soon 2025-08 truoc 2025-08-04']);
  });

  it('reminds on the first day after the report deadline, then weekly, until next month’s meeting', () => {
    const days: string[] = [];
    for (let d = '2025-09-04'; d <= '2025-10-05'; d = addDays(d, 1)) {
      for (const r of at(d)) days.push(`${d} ${r}`);
    }
    expect(days).toEqual([
      '2025-09-09 overdue 2025-09 qh1 2025-09-08',
      '2025-09-16 overdue 2025-09 qh8 2025-09-08',
      '2025-09-23 overdue 2025-09 qh15 2025-09-08',
      '2025-09-30 overdue 2025-09 qh22 2025-09-08',
      '2025-10-02 soon 2025-10 truoc 2025-10-03',
    ]);
  });

  it('skips an overdue reminder that falls on a holiday', () => {
    expect(at('2025-04-23')).toEqual(['overdue 2025-04 qh15 2025-04-08']);
    expect(at('2025-04-30')).toEqual([]);
  });

  it('follows a scope’s meeting day across the month’s end', () => {
    // September's meeting on the 1st moved past Quốc khánh to 03/09, so its report is still late too.
    const first = { ...settings, meetingDay: 1 };
    expect(at('2025-09-30', first)).toEqual([
      'soon 2025-10 truoc 2025-10-01',
      'overdue 2025-09 qh22 2025-09-08',
    ]);
  });
});

describe('schedules', () => {
  it('runs reminders at REMINDERS_AT and checks summaries every quarter hour from SUMMARY_AT’s minute', () => {
    const specs = scheduleSpecs({
      remindersAt: 7 * 60 + 30,
      summaryAt: 17 * 60 + 5,
      timezone: 'Asia/Ho_Chi_Minh',
    });
    expect(specs).toEqual([
      { id: 'reminders', pattern: '30 7 * * *', tz: 'Asia/Ho_Chi_Minh' },
      { id: 'daily-summary', pattern: '5,20,35,50 * * * *', tz: 'Asia/Ho_Chi_Minh' },
      { id: 'meeting-reminders', pattern: '30 7 * * *', tz: 'Asia/Ho_Chi_Minh' },
      { id: 'congress-office', pattern: '30 7 * * *', tz: 'Asia/Ho_Chi_Minh' },
    ]);
  });

  it('schedules every named job, and each has its name in the admins’ words', () => {
    const specs = scheduleSpecs({ remindersAt: 8 * 60, summaryAt: 17 * 60, timezone: 'Asia/Ho_Chi_Minh' });
    expect(specs.map((s) => s.id)).toEqual(Object.values(SCHEDULED_JOBS));
    for (const id of Object.values(SCHEDULED_JOBS)) expect(msg.reminders.schedules.names[id]).toBeTruthy();
  });
});
