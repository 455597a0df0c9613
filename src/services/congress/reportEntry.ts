/**
 * /daihoi: a secretary enters the result by filling in the form or by the guided dialog. Pure:
 * checks and dialog turns from what the secretary sent; the caller keeps the state.
 */
import { lines, type Rich } from '../../chat/markup.js';
import {
  applyDialogAnswer,
  type CongressDialogState,
  currentStep,
  finishDialog,
  startDialog,
} from '../../domain/congress/dialog.js';
import { branchWindow } from '../../domain/congress/extension.js';
import {
  congressFormFields,
  type FullMembers,
  type ReportContext,
  type ReportValidation,
  validateCongressReport,
} from '../../domain/congress/report.js';
import { parseForm } from '../../domain/form.js';
import { headApplies } from '../../domain/units.js';
import type { IsoDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { BranchTarget, DialogTurn, ReportCheck } from './types.js';

const m = msg.congress;

/** A plain message is taken for a filled-in congress form when it answers this many labels. */
export const FORM_MIN_LABELS = 3;

/**
 * Whether a plain message is a filled-in congress form: it answers at least `FORM_MIN_LABELS`
 * labels, and more of its lines answer a label than not (a meeting report is not taken).
 */
export function isCongressForm(text: string): boolean {
  const parsed = parseForm(text, congressFormFields);
  const answered = Object.keys(parsed.values).length;
  return answered >= FORM_MIN_LABELS && answered > parsed.unknownLines.length;
}

/** Checks a filled-in form; lists every problem at once. Saves nothing. */
export function checkForm(target: BranchTarget, text: string, today: IsoDate): ReportCheck {
  return asCheck(target, validateCongressReport(text, reportContext(target, today)));
}

/** The dialog's first question. */
export function startReportDialog(target: BranchTarget): DialogTurn & { kind: 'ask' } {
  return ask(target, startDialog(), m.chat.dialogStart(target.branch.name));
}

/** Takes the answer to the current question: the next question, the question again, or the card. */
export function answerReportDialog(
  target: BranchTarget,
  state: CongressDialogState,
  answer: string,
  today: IsoDate,
): DialogTurn {
  const ctx = reportContext(target, today);
  const r = applyDialogAnswer(state, answer, ctx);
  if (!r.ok) {
    const problems = r.errors.map((e) => `- ${m.problem(e)}`).join('\n');
    return ask(target, state, `${problems}\n${m.chat.dialogRetry}`);
  }
  if (!r.done) return ask(target, r.state);
  const check = asCheck(target, finishDialog(r.state, ctx));
  return check.ok
    ? { kind: 'confirm', report: check.report, text: check.text }
    : { kind: 'invalid', text: check.text };
}

/** The current question, after `before` (a greeting or the problems with the last answer). */
function ask(
  target: BranchTarget,
  state: CongressDialogState,
  before?: string,
): DialogTurn & { kind: 'ask' } {
  const step = currentStep(state);
  const prompt = m.question(
    step?.field,
    branchWindow(target.campaign, target.extension),
    headApplies(target.branch),
  );
  return {
    kind: 'ask',
    state,
    field: step?.field ?? 'note',
    text: before ? `${before}\n\n${prompt}` : prompt,
    options: step?.options ?? [],
  };
}

function reportContext(target: BranchTarget, today: IsoDate): ReportContext {
  const { branch } = target;
  const fullMembers: FullMembers =
    branch.official !== undefined
      ? { count: branch.official, source: 'unitList' }
      : target.registerOfficial !== undefined
        ? { count: target.registerOfficial, source: 'register' }
        : { count: branch.members, source: 'allMembers' };
  return {
    // An extended branch reports a congress up to its own date.
    campaign: branchWindow(target.campaign, target.extension),
    branchSize: branch.members,
    today,
    headApplies: headApplies(branch),
    fullMembers,
  };
}

/** The card to confirm, with any notes, or the list of problems. */
function asCheck(target: BranchTarget, v: ReportValidation): ReportCheck {
  if (!v.ok) return { ok: false, text: m.problemList(v.errors, v.hints) };
  const parts: Rich[] = [m.reportCard(v.report, target.branch.name)];
  if (v.warnings && v.warnings.length > 0) parts.push(m.warningList(v.warnings));
  if (v.hints.length > 0) parts.push(m.problemList([], v.hints));
  parts.push(m.card.confirm);
  return { ok: true, report: v.report, text: lines(...parts.flatMap((p, i) => (i === 0 ? [p] : ['', p]))) };
}
