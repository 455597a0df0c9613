/**
 * Registering a branch's congress date (/lich DD/MM/YYYY [HH:MM]) and the pilot rule: the
 * grassroots committee's đại hội điểm is held first, the other branches after it.
 */
import { congress as m } from '../../messages/congress.js';
import { formatTimeOfDay, formatVnDate, type IsoDate, parseTimeOfDay, parseVnDate } from '../vn.js';
import { type Campaign, inWindow } from './campaign.js';

/** A registered congress date. */
export interface Registration {
  branch: string;
  date: IsoDate;
  /** Minutes since midnight, when given. */
  time?: number;
}

/** Where a pilot congress stands. `date` is the reported date once held, else the registered one. */
export interface PilotStatus {
  branch: string;
  held: boolean;
  date?: IsoDate;
  time?: number;
}

/**
 * Why a non-pilot branch's date needs the responsible leader's attention:
 * `not_scheduled` (the pilot has neither been held nor registered a date), or `before_pilot`
 * (the date is not after the pilot's date).
 */
export interface PilotWarning {
  pilot: string;
  reason: 'not_scheduled' | 'before_pilot';
  pilotDate?: IsoDate;
  pilotHeld: boolean;
}

/** "/lich 15/09/2025 19:30" arguments ("15/09/2025", "15/9/2025 19h30") -> date and time. */
export function parseRegistrationArgs(
  args: string,
): { ok: true; date: IsoDate; time?: number } | { ok: false; message: string } {
  const parts = args.trim().split(/\s+/).filter(Boolean);
  const [rawDate, rawTime, ...rest] = parts;
  if (rawDate === undefined || rest.length > 0) return { ok: false, message: m.registration.usage };
  const date = parseVnDate(rawDate);
  if (date === undefined) return { ok: false, message: m.registration.badDate(rawDate) };
  if (rawTime === undefined) return { ok: true, date };
  const time = parseTimeOfDay(rawTime);
  if (time === undefined) return { ok: false, message: m.registration.badTime(rawTime) };
  return { ok: true, date, time };
}

/** Why `date` cannot be registered in this campaign today, or undefined when it can. */
export function registrationDateError(
  campaign: Pick<Campaign, 'opens' | 'deadline'>,
  date: IsoDate,
  today: IsoDate,
): string | undefined {
  if (!inWindow(campaign, date)) {
    return m.registration.outsideWindow(
      formatVnDate(date),
      formatVnDate(campaign.opens),
      formatVnDate(campaign.deadline),
    );
  }
  if (date < today) return m.registration.inPast(formatVnDate(date), formatVnDate(today));
  return undefined;
}

/**
 * The pilot rule for `branch` registering `date`. `pilots` are the statuses of the pilot
 * congresses of the branch's grassroots committee. A pilot branch itself is never warned.
 * The first pilot that the date does not follow is named.
 */
export function pilotWarning(
  branch: string,
  date: IsoDate,
  pilots: readonly PilotStatus[],
): PilotWarning | undefined {
  if (pilots.some((p) => p.branch === branch)) return undefined;
  for (const p of pilots) {
    if (p.date === undefined) return { pilot: p.branch, reason: 'not_scheduled', pilotHeld: p.held };
    if (date <= p.date)
      return { pilot: p.branch, reason: 'before_pilot', pilotDate: p.date, pilotHeld: p.held };
  }
  return undefined;
}

/** "19:30 ngày 15/09/2025" or "ngày 15/09/2025". */
export function formatRegistrationWhen(date: IsoDate, time?: number): string {
  return m.registration.when(formatVnDate(date), time === undefined ? undefined : formatTimeOfDay(time));
}

/** What the secretary reads when the pilot rule applies. */
export function pilotWarningText(warning: PilotWarning, pilotName: string): string {
  if (warning.reason === 'not_scheduled' || warning.pilotDate === undefined) {
    return m.registration.pilotNotScheduled(pilotName);
  }
  return m.registration.beforePilot(
    pilotName,
    m.registration.pilotWhen(formatVnDate(warning.pilotDate), warning.pilotHeld),
  );
}

/** What the responsible leader reads when the pilot rule applies. */
export function pilotLeaderNotice(
  warning: PilotWarning,
  branchName: string,
  date: IsoDate,
  pilotName: string,
): string {
  const when =
    warning.pilotDate === undefined
      ? m.registration.pilotUnscheduled
      : m.registration.pilotWhen(formatVnDate(warning.pilotDate), warning.pilotHeld);
  return m.registration.leaderPilotNotice(branchName, formatVnDate(date), pilotName, when);
}
