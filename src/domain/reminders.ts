/**
 * Which reminder is due today: for a branch in a congress round, and for a month's branch
 * meeting. Pure: today, the round, the branch's state and the calendar come in; what comes out
 * names the reminder, its stage (part of the outbox id, so a second run the same day sends
 * nothing new) and whether it is urgent. Non-urgent reminders are skipped on holidays; urgent
 * ones (the deadline or the meeting is tomorrow) go out whatever the day.
 */
import { CAMPAIGN_GRACE_DAYS, type Campaign } from './congress/campaign.js';
import {
  defaultProgressMonth,
  meetingDay,
  monthOfDate,
  reportingDeadline,
  type YearMonth,
} from './meetings/calendar.js';
import { type HolidayCalendar, isHoliday } from './meetings/holidays.js';
import type { MeetingSettings } from './meetings/settings.js';
import { addDays, daysBetween, type IsoDate } from './vn.js';

/** The reminder calendar; every field has a default (`DEFAULT_REMINDER_RULES`). */
export interface ReminderRules {
  /** Days before the deadline on which a branch with no registered date is reminded. */
  stages: readonly number[];
  /** Days overdue from which the responsible leader is told as well. */
  escalateAfterDays: number;
  /** Days before the meeting day the secretaries are reminded. */
  meetingDaysBefore: number;
  /** After the meeting report deadline: reminded on the first day late, then every this many days. */
  meetingRepeatDays: number;
}

export const DEFAULT_REMINDER_RULES: ReminderRules = {
  stages: [14, 7, 3, 1],
  escalateAfterDays: 2,
  meetingDaysBefore: 1,
  meetingRepeatDays: 7,
};

/** A branch's standing in a round, as the store keeps it. */
export interface BranchCongressState {
  /** The registered congress date (and time, minutes since midnight), if any. */
  registration?: { date: IsoDate; time?: number };
  /** True once the branch reported its result. */
  reported: boolean;
  /** The branch's extension (gia hạn) past the round's deadline, if any. */
  extendedUntil?: IsoDate;
}

/**
 * - `register`: no date registered, a stage before the deadline (14, 7, 3, 1 days).
 * - `dayBefore`: the registered congress is tomorrow.
 * - `resultMissing`: the registered date has passed with no result.
 * - `overdue`: the deadline has passed with neither a date nor a result.
 */
export type CongressReminderKind = 'register' | 'dayBefore' | 'resultMissing' | 'overdue';

export interface CongressReminder {
  kind: CongressReminderKind;
  /**
   * Stage id inside the outbox id: `d14` (stage), `truoc-2025-09-15` (the day before that
   * congress), or today's date for the daily overdue reminders.
   */
  stage: string;
  /** Goes out on holidays too. */
  urgent: boolean;
  /** `register`: days left to the deadline. */
  daysLeft?: number;
  /** `resultMissing`, `overdue`: days since the registered date or the deadline. */
  daysOverdue?: number;
  /** `dayBefore`, `resultMissing`: the registered date (and time). */
  registration?: { date: IsoDate; time?: number };
  /** Overdue long enough that the responsible leader is told too. */
  escalate: boolean;
  /** The branch's own deadline when it has an extension (what the message names instead of the round's). */
  extendedUntil?: IsoDate;
  /**
   * The branch's own deadline has passed: a new date can no longer be registered, so the
   * message asks for an extension (or a further one) instead of /lich.
   */
  pastDeadline?: boolean;
}

/**
 * The congress reminder due today for one branch, or undefined. Nothing is due in a closed
 * round, after a result, or (except the day-before reminder) before the round opens.
 */
export function congressReminderDue(input: {
  today: IsoDate;
  campaign: Pick<Campaign, 'opens' | 'deadline' | 'closedAt'>;
  state: BranchCongressState;
  holidays: HolidayCalendar;
  rules?: ReminderRules;
}): CongressReminder | undefined {
  const { today, campaign, state } = input;
  const rules = input.rules ?? DEFAULT_REMINDER_RULES;
  // The branch's own deadline: its extension's date when it has one.
  const extendedUntil =
    state.extendedUntil !== undefined && state.extendedUntil > campaign.deadline
      ? state.extendedUntil
      : undefined;
  const deadline = extendedUntil ?? campaign.deadline;
  // Open as the round counts it: not closed by hand, and not past the deadline's grace days.
  const open = campaign.closedAt === undefined && today <= addDays(deadline, CAMPAIGN_GRACE_DAYS);
  if (state.reported || !open) return undefined;
  const facts = {
    ...(extendedUntil !== undefined ? { extendedUntil } : {}),
    ...(today > deadline ? { pastDeadline: true } : {}),
  };
  const due = (reminder: CongressReminder): CongressReminder | undefined =>
    !reminder.urgent && isHoliday(today, input.holidays) ? undefined : { ...reminder, ...facts };
  const reg = state.registration;

  if (reg && addDays(today, 1) === reg.date) {
    return due({
      kind: 'dayBefore',
      stage: `truoc-${reg.date}`,
      urgent: true,
      registration: reg,
      escalate: false,
    });
  }
  if (today < campaign.opens) return undefined;
  // Overdue runs from the registered date when there is one (it is never after the deadline).
  const overdueFrom = reg ? reg.date : deadline;
  const daysOverdue = daysBetween(overdueFrom, today);
  if (daysOverdue >= 1) {
    const escalate = daysOverdue >= rules.escalateAfterDays;
    return due(
      reg
        ? { kind: 'resultMissing', stage: today, urgent: false, daysOverdue, registration: reg, escalate }
        : { kind: 'overdue', stage: today, urgent: false, daysOverdue, escalate },
    );
  }
  if (reg) return undefined;
  const daysLeft = daysBetween(today, deadline);
  if (!rules.stages.includes(daysLeft)) return undefined;
  // The last stage is the deadline itself: it goes out even on a holiday.
  const last = Math.min(...rules.stages);
  return due({
    kind: 'register',
    stage: `d${daysLeft}`,
    urgent: daysLeft === last,
    daysLeft,
    escalate: false,
  });
}

/** `soon`: the meeting day is near. `overdue`: the report deadline has passed. */
export type MeetingReminderKind = 'soon' | 'overdue';

export interface MeetingReminder {
  kind: MeetingReminderKind;
  /** The month whose meeting this is about. */
  month: YearMonth;
  /** Stage id inside the outbox id: `truoc` or `qh<days late>`. */
  stage: string;
  urgent: boolean;
  /** `soon`: the meeting day; `overdue`: the report deadline. */
  date: IsoDate;
  /** `overdue`: days since the deadline. */
  daysLate?: number;
}

/**
 * Meeting reminders due today under one scope's settings; the caller sends each to the
 * branches that have not reported `month` yet. The reminder before the meeting is urgent (it is
 * about tomorrow); the overdue ones go out on the first day late and then every
 * `meetingRepeatDays`, skipping holidays, for the month a report is expected now (until the
 * next month's meeting day).
 */
export function meetingRemindersDue(input: {
  today: IsoDate;
  settings: MeetingSettings;
  /** The calendar with the scope's own days off. */
  holidays: HolidayCalendar;
  rules?: ReminderRules;
}): MeetingReminder[] {
  const { today, settings, holidays } = input;
  const rules = input.rules ?? DEFAULT_REMINDER_RULES;
  const out: MeetingReminder[] = [];
  const ahead = addDays(today, rules.meetingDaysBefore);
  const soonMonth = monthOfDate(ahead);
  if (rules.meetingDaysBefore > 0 && meetingDay(soonMonth, settings, holidays) === ahead) {
    out.push({ kind: 'soon', month: soonMonth, stage: 'truoc', urgent: true, date: ahead });
  }
  const month = defaultProgressMonth(today, settings, holidays);
  const deadline = reportingDeadline(month, settings, holidays);
  const daysLate = daysBetween(deadline, today);
  const repeat = Math.max(1, rules.meetingRepeatDays);
  if (daysLate >= 1 && (daysLate - 1) % repeat === 0 && !isHoliday(today, holidays)) {
    out.push({ kind: 'overdue', month, stage: `qh${daysLate}`, urgent: false, date: deadline, daysLate });
  }
  return out;
}
