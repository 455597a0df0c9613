/**
 * The /thongbao dialog's steps, pure: an answer (typed, a file, or a button) moves the state on
 * and says what to show next; the questions are replies built from the state alone. What needs
 * Redis (the unit a code names, the committees to offer, the preview) is looked up by the
 * caller (`composing.ts`) before or after a step, never inside one.
 */
import { lines, type Rich } from '../../chat/markup.js';
import { type Action, type Reply, reply } from '../../chat/reply.js';
import { checkIssued, checkIssuer } from '../../domain/citation.js';
import {
  checkAckHours,
  checkDeadline,
  checkNumber,
  checkText,
  checkTitle,
  DEFAULT_ACK_HOURS,
  DIRECTIVE_LIMITS,
  type DirectiveAttachment,
  type DraftInput,
  type FieldCheck,
} from '../../domain/directives.js';
import { echo } from '../../domain/text.js';
import { BRANCH_KINDS, type BranchKind } from '../../domain/units.js';
import { formatVnDate, type IsoDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import { type AUDIENCE_CHOICES, cancelRow, directiveButton, type SKIPPABLE_STEPS } from './actions.js';
import type { ComposeState, ComposeStep } from './state.js';

const m = msg.directives;
const d = m.dialog;

/** A state that asks a question (every step but the preview's). */
export type AskingState = Exclude<ComposeState, { step: 'confirm' }>;
/** The answers, without where the dialog is. */
export type Answers = Omit<AskingState, 'step'>;

/** What an admin gave the dialog. Units are looked up by the caller. */
export type ComposeInput =
  | { type: 'text'; text: string }
  /** A file or photo; without an attachment when the messenger gave no id to send it on by. */
  | { type: 'file'; attachment: DirectiveAttachment | undefined }
  | { type: 'skip'; step: (typeof SKIPPABLE_STEPS)[number] }
  | { type: 'audience'; choice: (typeof AUDIENCE_CHOICES)[number] }
  /** A unit chosen or typed on the unit step: its code when it exists. */
  | { type: 'unit'; typed: string; code: string | undefined }
  | { type: 'kind'; kind: BranchKind }
  | { type: 'kindsDone' }
  | { type: 'hours'; hours: number };

/** Where a step leads. */
export type Transition =
  /** Ask the question of `state.step`, after `before` (what was wrong, or what was received). */
  | { ask: AskingState; before?: Rich }
  /** Every answer is in: check them all, show the preview and the card. */
  | { preview: Answers }
  /** Only the ticks under the kinds question change. */
  | { ticked: AskingState }
  /** The state stays; `say` explains what the step is waiting for. */
  | { say: Rich };

/** The first question. */
export function startCompose(): Transition {
  return { ask: { step: 'title' }, before: d.intro };
}

/** The step after `step` (`unit` and `kinds` come only from the audience buttons). */
function nextStep(step: ComposeStep): AskingState['step'] | 'confirm' {
  const order: ComposeStep[] = [
    'title',
    'number',
    'issued',
    'issuer',
    'text',
    'file',
    'audience',
    'deadline',
    'hours',
    'confirm',
  ];
  if (step === 'unit' || step === 'kinds') return 'deadline';
  return (order[order.indexOf(step) + 1] ?? 'confirm') as AskingState['step'] | 'confirm';
}

/** Moves to the step after the current one with `answers`. */
function onward(state: AskingState, answers: Answers, before?: Rich): Transition {
  const next = nextStep(state.step);
  if (next === 'confirm') return { preview: answers };
  return { ask: { ...answers, step: next }, ...(before === undefined ? {} : { before }) };
}

export function answersOf(state: ComposeState): Answers {
  const { step: _step, ...rest } = state as AskingState & { token?: string };
  const { token: _token, ...answers } = rest;
  return answers;
}

function without<K extends 'number' | 'deadline' | 'attachment' | 'issued' | 'issuer'>(
  answers: Answers,
  key: K,
): Answers {
  const next = { ...answers };
  delete next[key];
  return next;
}

/**
 * Takes one input at the current step. A wrong answer keeps the step and says why; a button
 * that does not belong to the step is the caller's to refuse (`pressStep`).
 */
export function composeStep(state: ComposeState, input: ComposeInput, today: IsoDate): Transition {
  if (state.step === 'confirm') {
    // The card waits for its button; anything typed shows the preview again.
    return { preview: answersOf(state) };
  }
  const answers = answersOf(state);
  const take = <T>(check: FieldCheck<T>, apply: (v: T) => Answers): Transition =>
    check.ok ? onward(state, apply(check.value)) : { ask: state, before: m.problem(check.problem) };
  switch (input.type) {
    case 'text': {
      const raw = input.text;
      switch (state.step) {
        case 'title':
          return take(checkTitle(raw), (title) => ({ ...answers, title }));
        case 'number':
          return take(checkNumber(raw), (number) =>
            number === undefined ? without(answers, 'number') : { ...answers, number },
          );
        case 'issued':
          return take(checkIssued(raw, today), (issued) =>
            issued === undefined ? without(answers, 'issued') : { ...answers, issued },
          );
        case 'issuer':
          return take(checkIssuer(raw), (issuer) =>
            issuer === undefined ? without(answers, 'issuer') : { ...answers, issuer },
          );
        case 'text':
          return take(checkText(raw), (text) => ({ ...answers, text }));
        case 'deadline':
          return take(checkDeadline(raw, today), (deadline) =>
            deadline === undefined ? without(answers, 'deadline') : { ...answers, deadline },
          );
        case 'hours':
          return take(checkAckHours(raw), (ackHours) => ({ ...answers, ackHours }));
        case 'file':
          return { ask: state, before: d.needFile };
        default:
          // A button is awaited (audience, kinds; on the unit step the caller turns a typed
          // code into a `unit` input): ask again.
          return { ask: state };
      }
    }
    case 'file':
      if (state.step !== 'file') return { ask: state };
      if (!input.attachment) return { ask: state, before: d.needFile };
      return onward(
        state,
        { ...answers, attachment: input.attachment },
        input.attachment.kind === 'photo' ? d.photoSaved : d.fileSaved(input.attachment.filename),
      );
    case 'skip':
      return onward(state, without(answers, input.step === 'file' ? 'attachment' : input.step));
    case 'audience':
      switch (input.choice) {
        case 'all':
          return { ask: { ...answers, audience: { kind: 'all-secretaries' }, step: 'deadline' } };
        case 'lead':
          return { ask: { ...answers, audience: { kind: 'leaders' }, step: 'deadline' } };
        case 'unit':
          return { ask: { ...answers, step: 'unit' } };
        case 'kind':
          return { ask: { ...answers, kinds: [], step: 'kinds' } };
      }
      break;
    case 'unit':
      if (input.code === undefined) return { ask: state, before: msg.units.unknownUnit(echo(input.typed)) };
      return { ask: { ...answers, audience: { kind: 'unit', unit: input.code }, step: 'deadline' } };
    case 'kind': {
      const before = answers.kinds ?? [];
      const kinds = before.includes(input.kind)
        ? before.filter((k) => k !== input.kind)
        : [...before, input.kind];
      return { ticked: { ...answers, kinds, step: 'kinds' } };
    }
    case 'kindsDone': {
      const kinds = answers.kinds ?? [];
      if (kinds.length === 0) return { say: m.errors.kindsEmpty };
      const { kinds: _ticked, ...rest } = answers;
      return { ask: { ...rest, audience: { kind: 'kind', kinds }, step: 'deadline' } };
    }
    case 'hours':
      return take(checkAckHours(String(input.hours)), (ackHours) => ({ ...answers, ackHours }));
  }
  return { ask: state };
}

/** Which step a pressed button answers; a press for another step is stale. */
export function pressStep(input: ComposeInput): ComposeStep | undefined {
  switch (input.type) {
    case 'skip':
      return input.step;
    case 'audience':
      return 'audience';
    case 'unit':
      return 'unit';
    case 'kind':
    case 'kindsDone':
      return 'kinds';
    case 'hours':
      return 'hours';
    default:
      return undefined;
  }
}

/** The committees the unit step offers, as the caller found them. */
export interface UnitChoice {
  code: string;
  name: string;
}

/** The question of a step, with its buttons and «Hủy»; `before` goes above it. */
export function question(state: AskingState, before?: Rich, units: readonly UnitChoice[] = []): Reply {
  let text: Rich;
  let rows: Action[][] = [];
  switch (state.step) {
    case 'title':
      text = d.title;
      break;
    case 'number':
      text = d.number;
      rows = [[directiveButton(d.buttonNoNumber, { kind: 'skip', step: 'number' })]];
      break;
    case 'issued':
      text = d.issued;
      rows = [[directiveButton(d.buttonIssuedToday, { kind: 'skip', step: 'issued' })]];
      break;
    case 'issuer':
      text = d.issuer;
      rows = [[directiveButton(d.buttonNoIssuer, { kind: 'skip', step: 'issuer' })]];
      break;
    case 'text':
      text = d.text(DIRECTIVE_LIMITS.text);
      break;
    case 'file':
      text = d.attachment;
      rows = [[directiveButton(d.buttonNoFile, { kind: 'skip', step: 'file' })]];
      break;
    case 'audience':
      text = d.audience;
      rows = [
        [directiveButton(d.buttonAllSecretaries, { kind: 'audience', choice: 'all' })],
        [directiveButton(d.buttonUnit, { kind: 'audience', choice: 'unit' })],
        [directiveButton(d.buttonKinds, { kind: 'audience', choice: 'kind' })],
        [directiveButton(d.buttonLeaders, { kind: 'audience', choice: 'lead' })],
      ];
      break;
    case 'unit':
      text = d.unit;
      rows = units.map((u) => [directiveButton(`${u.name} (${u.code})`, { kind: 'unit', unit: u.code })]);
      break;
    case 'kinds':
      text = d.kinds;
      rows = kindsRows(state.kinds ?? []);
      break;
    case 'deadline':
      text = d.deadline;
      rows = [[directiveButton(d.buttonNoDeadline, { kind: 'skip', step: 'deadline' })]];
      break;
    case 'hours':
      text = d.ackHours;
      rows = [[24, 48, 72].map((hours) => directiveButton(d.buttonHours(hours), { kind: 'hours', hours }))];
      break;
  }
  return reply(before === undefined ? text : lines(before, '', text), [...rows, cancelRow()]);
}

/** A button per branch kind, ticked ones marked, then «Xong». */
export function kindsRows(selected: readonly BranchKind[]): Action[][] {
  const rows = BRANCH_KINDS.map((k) => [
    directiveButton(`${selected.includes(k) ? '✓ ' : ''}${msg.units.kindName(k)}`, {
      kind: 'branchKind',
      branchKind: k,
    }),
  ]);
  return [...rows, [directiveButton(d.buttonKindsDone, { kind: 'kindsDone' })]];
}

/** The answers as the draft check and `send` take them. */
export function draftInput(answers: Answers): DraftInput {
  return {
    title: answers.title ?? '',
    text: answers.text ?? '',
    audience: answers.audience ?? '',
    ackHours: answers.ackHours ?? DEFAULT_ACK_HOURS,
    ...(answers.number ? { number: answers.number } : {}),
    ...(answers.issued ? { issued: formatVnDate(answers.issued) } : {}),
    ...(answers.issuer ? { issuer: answers.issuer } : {}),
    // The draft check reads dates as typed (dd/mm/yyyy).
    ...(answers.deadline ? { deadline: formatVnDate(answers.deadline) } : {}),
    ...(answers.attachment ? { attachment: answers.attachment } : {}),
  };
}
