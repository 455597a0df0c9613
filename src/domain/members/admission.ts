/**
 * One member entered by hand: a new admission (kết nạp), a change of status on a date
 * (chuyển chính thức, closing a membership). Fields arrive as people type them; the answers are
 * codes per field, worded by the catalogue.
 */
import { type IsoDate, parseVnDate, parseWholeNumber } from '../vn.js';
import {
  ADMISSION_AGE,
  ageOn,
  CLOSING_KINDS,
  type ClosingKind,
  dateProblems,
  ETHNICITY_MAX,
  INTERRUPTED_MAX,
  type MemberInput,
  nameProblem,
  normaliseText,
  parseCardNumber,
  parseGender,
  REASON_MAX,
} from './member.js';
import { probationEnds } from './probation.js';

/** An admission as typed: dates DD/MM/YYYY; the card and the interrupted months may be left out. */
export interface AdmissionDraft {
  fullName: string;
  birthDate: string;
  gender: string;
  ethnicity: string;
  joined: string;
  cardNumber?: string;
  interruptedMonths?: string;
}
export type AdmissionField = keyof AdmissionDraft;

export type FieldProblem =
  | { field: AdmissionField; problem: 'missing' | 'invalid' | 'too_long' | 'invalid_date' | 'future_date' }
  | { field: 'joined'; problem: 'joined_before_birth' | 'joined_before_party' | 'too_young'; age?: number }
  | { field: 'interruptedMonths'; problem: 'interrupted_too_long'; months: number };

/**
 * A new member of `branch` from what was typed: probationary from the admission date, at least
 * eighteen on that day (Party Charter). Every field's problem at once.
 */
export function checkAdmission(
  draft: AdmissionDraft,
  branch: string,
  today: IsoDate,
): { ok: true; input: MemberInput } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const fullName = normaliseText(draft.fullName);
  const nameIssue = nameProblem(fullName);
  if (nameIssue) problems.push({ field: 'fullName', problem: nameIssue });

  const date = (field: 'birthDate' | 'joined'): IsoDate | undefined => {
    const raw = draft[field].trim();
    if (raw === '') {
      problems.push({ field, problem: 'missing' });
      return undefined;
    }
    const parsed = parseVnDate(raw);
    if (!parsed) problems.push({ field, problem: 'invalid_date' });
    return parsed;
  };
  const birthDate = date('birthDate');
  const joined = date('joined');

  const gender = parseGender(draft.gender);
  if (!gender)
    problems.push({ field: 'gender', problem: draft.gender.trim() === '' ? 'missing' : 'invalid' });

  const ethnicity = normaliseText(draft.ethnicity);
  const ethnicityIssue = nameProblem(ethnicity, ETHNICITY_MAX);
  if (ethnicityIssue) problems.push({ field: 'ethnicity', problem: ethnicityIssue });

  const cardText = draft.cardNumber?.trim() ?? '';
  const cardNumber = cardText === '' ? null : parseCardNumber(cardText);
  if (cardNumber === undefined) problems.push({ field: 'cardNumber', problem: 'invalid' });

  const monthsText = draft.interruptedMonths?.trim() ?? '';
  const interruptedMonths = monthsText === '' ? 0 : parseWholeNumber(monthsText);
  if (interruptedMonths === undefined || interruptedMonths > INTERRUPTED_MAX) {
    problems.push({ field: 'interruptedMonths', problem: 'invalid' });
  }

  if (birthDate && joined && interruptedMonths !== undefined) {
    for (const p of dateProblems({ birthDate, joined, officialSince: null, interruptedMonths }, today)) {
      if (p.problem === 'future_date' && p.field !== 'officialSince') {
        problems.push({ field: p.field, problem: 'future_date' });
      } else if (p.problem === 'joined_before_birth' || p.problem === 'joined_before_party') {
        problems.push({ field: 'joined', problem: p.problem });
      } else if (p.problem === 'interrupted_too_long') {
        problems.push({ field: 'interruptedMonths', problem: p.problem, months: p.months });
      }
    }
    const age = ageOn(birthDate, joined);
    if (joined > birthDate && age < ADMISSION_AGE)
      problems.push({ field: 'joined', problem: 'too_young', age });
  }
  if (
    problems.length > 0 ||
    !birthDate ||
    !joined ||
    !gender ||
    cardNumber === undefined ||
    interruptedMonths === undefined
  ) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    input: {
      branch,
      fullName,
      birthDate,
      gender,
      ethnicity,
      joined,
      officialSince: null,
      cardNumber,
      interruptedMonths,
    },
  };
}

/** Why a date given for a change of status cannot be used. */
export type StatusDateProblem =
  | { problem: 'invalid_date'; text: string }
  | { problem: 'future_date'; date: IsoDate }
  | { problem: 'before_joined'; date: IsoDate; joined: IsoDate }
  | { problem: 'probation_not_over'; ends: IsoDate };

/**
 * The date of chuyển chính thức: as typed, or by default the day the twelve months end. Never
 * before they end, never in the future.
 */
export function officialDate(
  text: string | undefined,
  joined: IsoDate,
  today: IsoDate,
): { ok: true; date: IsoDate } | ({ ok: false } & StatusDateProblem) {
  const ends = probationEnds(joined);
  const given = text?.trim() ? parseVnDate(text) : ends;
  if (!given) return { ok: false, problem: 'invalid_date', text: text ?? '' };
  if (given < ends || ends > today) return { ok: false, problem: 'probation_not_over', ends };
  if (given > today) return { ok: false, problem: 'future_date', date: given };
  return { ok: true, date: given };
}

/** The date a membership ends: as typed (today by default), not in the future, not before admission. */
export function closingDate(
  text: string | undefined,
  joined: IsoDate,
  today: IsoDate,
): { ok: true; date: IsoDate } | ({ ok: false } & StatusDateProblem) {
  const given = text?.trim() ? parseVnDate(text) : today;
  if (!given) return { ok: false, problem: 'invalid_date', text: text ?? '' };
  if (given > today) return { ok: false, problem: 'future_date', date: given };
  if (given < joined) return { ok: false, problem: 'before_joined', date: given, joined };
  return { ok: true, date: given };
}

/** A closing reason as recorded: one line, required, at most 300 characters. */
export function closingReason(
  text: string,
): { ok: true; reason: string } | { ok: false; problem: 'missing' | 'too_long' } {
  const reason = normaliseText(text);
  if (reason === '') return { ok: false, problem: 'missing' };
  if (reason.length > REASON_MAX) return { ok: false, problem: 'too_long' };
  return { ok: true, reason };
}

/** True for a closing kind's code (as a button or a form sends it back). */
export function isClosingKind(text: string): text is ClosingKind {
  return (CLOSING_KINDS as readonly string[]).includes(text);
}
