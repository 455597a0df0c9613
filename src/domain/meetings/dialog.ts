/**
 * The guided dialog for a meeting report: one question per field, in form order. The state is a
 * small JSON object (kept in Redis by the caller, so a dialog survives a restart) holding the
 * raw answers; each answer is checked on its own as it comes, and the whole report is checked
 * with the same rules as the form once the last question is answered.
 */
import type { IsoDate } from '../vn.js';
import type { YearMonth } from './calendar.js';
import {
  checkMeetingDate,
  checkMeetingField,
  type FieldError,
  type MeetingFieldKey,
  type MeetingType,
  type MeetingValidation,
  type RawMeetingReport,
  validateMeetingReport,
} from './report.js';
import { MEETING_DIALOG_FIELDS, MEETING_TYPES } from './vocabulary.js';

/** What kind of answer a step takes, so the caller can offer buttons or a hint. */
export type DialogInputKind = 'date' | 'number' | 'choice' | 'text' | 'optionalText' | 'absence';

export interface DialogStep {
  field: MeetingFieldKey;
  kind: DialogInputKind;
}

/** The questions, in order. */
export const MEETING_DIALOG_STEPS: readonly DialogStep[] = [
  { field: 'date', kind: 'date' },
  { field: 'type', kind: 'choice' },
  { field: 'duration', kind: 'number' },
  { field: 'members', kind: 'number' },
  { field: 'exempt', kind: 'number' },
  { field: 'present', kind: 'number' },
  { field: 'absentWithReason', kind: 'absence' },
  { field: 'absentWithoutReason', kind: 'absence' },
  { field: 'content', kind: 'text' },
  { field: 'upperAttendee', kind: 'optionalText' },
  { field: 'quality', kind: 'optionalText' },
];

export interface MeetingDialogState {
  /** The field asked now, or `review` once every answer is in. */
  step: MeetingFieldKey | 'review';
  /** Raw answers so far, as the form would carry them. */
  answers: RawMeetingReport;
  /** The month being reported, when the command named one. */
  month?: YearMonth;
  /** Set while correcting one answer from the review: the next answer goes straight back. */
  revising?: boolean;
}

/** A fresh dialog, at the first question. */
export function startMeetingDialog(month?: YearMonth): MeetingDialogState {
  return { step: 'date', answers: {}, ...(month === undefined ? {} : { month }) };
}

/** The step being asked, or undefined at review. */
export function currentStep(state: MeetingDialogState): DialogStep | undefined {
  return MEETING_DIALOG_STEPS.find((s) => s.field === state.step);
}

export interface DialogPrompt {
  field: MeetingFieldKey;
  kind: DialogInputKind;
  /** The answers a choice step offers as buttons. */
  choices?: readonly MeetingType[];
  /** The step may be skipped (answer with an empty string). */
  skippable: boolean;
}

/** What the current step asks (the catalogue words the question), or undefined at review. */
export function dialogPrompt(state: MeetingDialogState): DialogPrompt | undefined {
  const step = currentStep(state);
  if (!step) return undefined;
  return {
    field: step.field,
    kind: step.kind,
    ...(step.kind === 'choice' ? { choices: MEETING_TYPES } : {}),
    skippable: step.kind === 'optionalText',
  };
}

export type DialogAnswerResult = { ok: true; state: MeetingDialogState } | { ok: false; error: FieldError };

/**
 * Takes the answer to the current step. A bad answer leaves the state as it was and says why;
 * a good one moves to the next step (or back to review when revising). With `ctx`, the date is
 * also checked against today and the month reported.
 */
export function applyDialogAnswer(
  state: MeetingDialogState,
  answer: string,
  ctx?: { today: IsoDate },
): DialogAnswerResult {
  const field = state.step;
  if (field === 'review') return { ok: true, state };
  const checked = checkMeetingField(field, answer);
  if (!checked.ok) return { ok: false, error: { field, problem: checked.problem } };
  if (field === 'date' && ctx) {
    const [problem] = checkMeetingDate(checked.value as IsoDate, { today: ctx.today, ...monthOf(state) });
    if (problem !== undefined) return { ok: false, error: { field, problem } };
  }
  const answers: RawMeetingReport = { ...state.answers, [field]: answer.trim() };
  const index = (MEETING_DIALOG_FIELDS as readonly MeetingFieldKey[]).indexOf(field);
  const next = state.revising ? 'review' : (MEETING_DIALOG_FIELDS[index + 1] ?? 'review');
  const { revising: _, ...rest } = state;
  return { ok: true, state: { ...rest, answers, step: next } };
}

function monthOf(state: MeetingDialogState): { month?: YearMonth } {
  return state.month === undefined ? {} : { month: state.month };
}

/** Goes back to one question from the review; the answer returns straight to review. */
export function reviseMeetingDialog(state: MeetingDialogState, field: MeetingFieldKey): MeetingDialogState {
  return { ...state, step: field, revising: true };
}

/** At review: the whole report, checked as the form is. */
export function finishMeetingDialog(
  state: MeetingDialogState,
  ctx: { branchSize?: number; today: IsoDate; qualityScale?: readonly string[] },
): MeetingValidation {
  return validateMeetingReport(state.answers, { ...ctx, ...monthOf(state) });
}
