/**
 * The guided dialog: one question per report field, for secretaries who would rather answer
 * than fill in the form. Each answer is checked on arrival (with the answers before it), and the
 * finished dialog goes through the same validation as the form. The state is a small JSON
 * object, stored between messages so a dialog resumes after a restart. The catalogue words the
 * questions (`src/messages/congress.ts`); the button captions come from the vocabulary.
 */
import {
  type CongressField,
  type CongressProblem,
  checkReportValues,
  ELECTION_ONLY_FIELDS,
  parseHinhThuc,
  type RawReportValues,
  type ReportContext,
  type ReportValidation,
  validateReportValues,
  withElection,
} from './report.js';
import { DIALOG_CHOICES } from './vocabulary.js';

/** What kind of answer a step takes (and so which keyboard to show). */
export type DialogInputKind = 'date' | 'number' | 'yesno' | 'yesnona' | 'choice' | 'text-optional';

export interface DialogStep {
  field: CongressField;
  kind: DialogInputKind;
  /** Button captions; any of them is also a valid typed answer. */
  options: readonly string[];
}

const c = DIALOG_CHOICES;
const yesNo = [c.yes, c.no] as const;

/** The questions in order; fields that only an election answers are skipped without one. */
export const DIALOG_STEPS: readonly DialogStep[] = [
  { field: 'date', kind: 'date', options: [] },
  { field: 'format', kind: 'choice', options: [c.election, c.threeItems, c.twoItems, c.noElection] },
  { field: 'summoned', kind: 'number', options: [] },
  { field: 'present', kind: 'number', options: [] },
  { field: 'elected', kind: 'number', options: [] },
  { field: 'reElected', kind: 'number', options: [] },
  { field: 'women', kind: 'number', options: [] },
  { field: 'young', kind: 'number', options: [] },
  { field: 'minority', kind: 'number', options: [] },
  { field: 'secretaryDirect', kind: 'yesno', options: yesNo },
  { field: 'secretaryIsHead', kind: 'yesnona', options: [...yesNo, c.notApplicable] },
  { field: 'deputy', kind: 'yesno', options: yesNo },
  { field: 'note', kind: 'text-optional', options: [c.skip] },
];

/** The most buttons a question offers (the codec checks a pressed option's index against it). */
export const DIALOG_OPTIONS_MAX = Math.max(...DIALOG_STEPS.map((s) => s.options.length));

/** Where a dialog is: the field being asked (or `done`) and the answers so far, as typed. */
export interface CongressDialogState {
  at: CongressField | 'done';
  answers: RawReportValues;
}

export type DialogAnswerResult =
  | { ok: true; state: CongressDialogState; done: boolean }
  | { ok: false; field: CongressField; errors: CongressProblem[] };

export function startDialog(): CongressDialogState {
  return { at: DIALOG_STEPS[0]!.field, answers: {} };
}

/** The step being asked, or undefined once every question is answered. */
export function currentStep(state: CongressDialogState): DialogStep | undefined {
  return DIALOG_STEPS.find((s) => s.field === state.at);
}

/** The text a dialog button stands for: option `index` of the question for `field`. */
export function dialogOption(field: CongressField, index: number): string | undefined {
  return DIALOG_STEPS.find((s) => s.field === field)?.options[index];
}

function applies(field: CongressField, answers: RawReportValues): boolean {
  const format = answers.format === undefined ? undefined : parseHinhThuc(answers.format);
  const noElection = format !== undefined && !withElection(format);
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
  if (step.kind === 'text-optional' && value === c.skip) value = '';

  const answers: RawReportValues = { ...state.answers, [step.field]: value };
  const errors = checkReportValues(answers, ctx, false).errors.map((e) => e.problem);
  // A required answer left empty gets the same hint as a missing form line.
  if (value === '' && step.kind !== 'text-optional') errors.unshift({ code: 'missing', field: step.field });
  if (errors.length > 0) return { ok: false, field: step.field, errors };

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
