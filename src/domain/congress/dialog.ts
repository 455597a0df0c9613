/**
 * The guided dialog: one question per report field, for secretaries who would rather answer
 * than fill in the form. Each answer is checked on arrival (with the answers before it), and the
 * finished dialog goes through the same validation as the form. The state is a small JSON
 * object, stored between messages so a dialog resumes after a restart.
 */
import { congress as m } from '../../messages/congress.js';
import { formatVnDate } from '../vn.js';
import type { Campaign } from './campaign.js';
import {
  type CongressField,
  checkReportValues,
  ELECTION_ONLY_FIELDS,
  parseHinhThuc,
  type RawReportValues,
  type ReportContext,
  type ReportValidation,
  validateReportValues,
} from './report.js';

/** What kind of answer a step takes (and so which keyboard to show). */
export type DialogInputKind = 'date' | 'number' | 'yesno' | 'yesnona' | 'choice' | 'text-optional';

export interface DialogStep {
  field: CongressField;
  kind: DialogInputKind;
  /** The question, from the catalogue. */
  prompt: (campaign: Pick<Campaign, 'opens' | 'deadline' | 'youngAge'>) => string;
  /** Button labels; any of them is also a valid typed answer. */
  options: readonly string[];
}

const d = m.dialog;
const yesNo = [d.buttonYes, d.buttonNo] as const;

/** The questions in order; fields that only an election answers are skipped without one. */
export const DIALOG_STEPS: readonly DialogStep[] = [
  {
    field: 'date',
    kind: 'date',
    prompt: (c) => d.date(formatVnDate(c.opens), formatVnDate(c.deadline)),
    options: [],
  },
  {
    field: 'format',
    kind: 'choice',
    prompt: () => d.format,
    options: [d.buttonElection, d.buttonNoElection],
  },
  { field: 'summoned', kind: 'number', prompt: () => d.summoned, options: [] },
  { field: 'present', kind: 'number', prompt: () => d.present, options: [] },
  { field: 'elected', kind: 'number', prompt: () => d.elected, options: [] },
  { field: 'reElected', kind: 'number', prompt: () => d.reElected, options: [] },
  { field: 'women', kind: 'number', prompt: () => d.women, options: [] },
  { field: 'young', kind: 'number', prompt: (c) => d.young(c.youngAge), options: [] },
  { field: 'minority', kind: 'number', prompt: () => d.minority, options: [] },
  { field: 'secretaryDirect', kind: 'yesno', prompt: () => d.secretaryDirect, options: yesNo },
  {
    field: 'secretaryIsHead',
    kind: 'yesnona',
    prompt: () => d.secretaryIsHead,
    options: [...yesNo, d.buttonNotApplicable],
  },
  { field: 'deputy', kind: 'yesno', prompt: () => d.deputy, options: yesNo },
  { field: 'note', kind: 'text-optional', prompt: () => d.note, options: [d.buttonSkip] },
];

/** Where a dialog is: the field being asked (or `done`) and the answers so far, as typed. */
export interface CongressDialogState {
  at: CongressField | 'done';
  answers: RawReportValues;
}

export type DialogAnswerResult =
  | { ok: true; state: CongressDialogState; done: boolean }
  | { ok: false; field: CongressField; errors: string[] };

export function startDialog(): CongressDialogState {
  return { at: DIALOG_STEPS[0]!.field, answers: {} };
}

/** The step being asked, or undefined once every question is answered. */
export function currentStep(state: CongressDialogState): DialogStep | undefined {
  return DIALOG_STEPS.find((s) => s.field === state.at);
}

function applies(field: CongressField, answers: RawReportValues): boolean {
  const noElection = answers.format !== undefined && parseHinhThuc(answers.format) === 'khong_bau_cu';
  return !(noElection && ELECTION_ONLY_FIELDS.includes(field));
}

/**
 * Takes the answer to the current question. On success returns the state asking the next
 * question that applies (or `done`); otherwise the field and every problem the answer causes.
 */
export function applyDialogAnswer(
  state: CongressDialogState,
  answer: string,
  ctx: ReportContext,
): DialogAnswerResult {
  const step = currentStep(state);
  if (step === undefined) return { ok: true, state, done: true };
  let value = answer.trim();
  if (step.kind === 'text-optional' && value === d.buttonSkip) value = '';

  const answers: RawReportValues = { ...state.answers, [step.field]: value };
  const { errors } = checkReportValues(answers, ctx, false);
  // A required answer left empty gets the same hint as a missing form line.
  if (value === '' && step.kind !== 'text-optional') {
    errors.unshift({
      field: step.field,
      message: m.reportErrors.missing(m.labels[step.field], m.examples[step.field]),
    });
  }
  if (errors.length > 0) return { ok: false, field: step.field, errors: errors.map((e) => e.message) };

  // Without election the election-only answers are dropped, so a changed mind leaves no trace.
  for (const f of ELECTION_ONLY_FIELDS) if (!applies(f, answers)) delete answers[f];
  const index = DIALOG_STEPS.indexOf(step);
  const next = DIALOG_STEPS.slice(index + 1).find((s) => applies(s.field, answers));
  const nextState: CongressDialogState = { at: next?.field ?? 'done', answers };
  return { ok: true, state: nextState, done: next === undefined };
}

/** The finished dialog validated as a whole, exactly as a filled-in form would be. */
export function finishDialog(state: CongressDialogState, ctx: ReportContext): ReportValidation {
  return validateReportValues(state.answers, ctx);
}

/** The question for the current step, or the "all answered" line. */
export function dialogPrompt(
  state: CongressDialogState,
  campaign: Pick<Campaign, 'opens' | 'deadline' | 'youngAge'>,
): string {
  return currentStep(state)?.prompt(campaign) ?? d.finished;
}
