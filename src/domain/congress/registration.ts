/**
 * Registering a branch's congress date (/lich DD/MM/YYYY [HH:MM]) and the pilot rule: the
 * grassroots committee's đại hội điểm is held first, the other branches after it. Problems are
 * reason codes; the catalogue words them and the pilot warnings.
 */
import { type IsoDate, parseTimeOfDay, parseVnDate } from '../vn.js';
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

/** Why a date cannot be registered, as a reason code (the catalogue words it). */
export type RegistrationProblem =
  | { code: 'usage' }
  | { code: 'badDate'; text: string }
  | { code: 'badTime'; text: string }
  | { code: 'outsideWindow'; date: IsoDate; opens: IsoDate; deadline: IsoDate }
  | { code: 'inPast'; date: IsoDate; today: IsoDate }
  | { code: 'alreadyReported'; date: IsoDate }
  | { code: 'campaignClosed' };

/** "/lich 15/09/2025 19:30" arguments ("15/09/2025", "15/9/2025 19h30") -> date and time. */
export function parseRegistrationArgs(
  args: string,
): { ok: true; date: IsoDate; time?: number } | { ok: false; problem: RegistrationProblem } {
  const parts = args.trim().split(/\s+/).filter(Boolean);
  const [rawDate, rawTime, ...rest] = parts;
  if (rawDate === undefined || rest.length > 0) return { ok: false, problem: { code: 'usage' } };
  const date = parseVnDate(rawDate);
  if (date === undefined) return { ok: false, problem: { code: 'badDate', text: rawDate } };
  if (rawTime === undefined) return { ok: true, date };
  const time = parseTimeOfDay(rawTime);
  if (time === undefined) return { ok: false, problem: { code: 'badTime', text: rawTime } };
  return { ok: true, date, time };
}

/** Why `date` cannot be registered in this campaign today, or undefined when it can. */
export function registrationDateError(
  campaign: Pick<Campaign, 'opens' | 'deadline'>,
  date: IsoDate,
  today: IsoDate,
): RegistrationProblem | undefined {
  if (!inWindow(campaign, date))
    return { code: 'outsideWindow', date, opens: campaign.opens, deadline: campaign.deadline };
  if (date < today) return { code: 'inPast', date, today };
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
