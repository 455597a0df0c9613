/**
 * The guided dialog: one question at a time, with buttons for the usual answers, then the
 * card, or the answers to correct when the report does not add up.
 */
import { lines } from '../../chat/markup.js';
import { type Action, type ChatId, type Reply, reply, rowsOf } from '../../chat/reply.js';
import {
  applyDialogAnswer,
  dialogPrompt,
  finishMeetingDialog,
  type MeetingDialogState,
} from '../../domain/meetings/dialog.js';
import { type FieldError, MEETING_FIELD_KEYS, type MeetingFieldKey } from '../../domain/meetings/report.js';
import { MEETING_DIALOG_FIELDS } from '../../domain/meetings/vocabulary.js';
import type { Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { reportableUnit } from './access.js';
import { meetingButton } from './actions.js';
import { cancelRow, card, reportContext } from './card.js';
import type { MeetingContext } from './context.js';
import { settingsFor } from './settings.js';
import type { DialogPhase } from './state.js';

const m = msg.meetings;

/** Fields the attendance sum is made of: any of them may be the wrong one. */
const ATTENDANCE_FIELDS: readonly MeetingFieldKey[] = [
  'members',
  'exempt',
  'present',
  'absentWithReason',
  'absentWithoutReason',
];

/** The choice of which answer to correct. */
export function fieldPicker(): Reply {
  return reply(m.dialog.pickField, [...reviseRows(MEETING_DIALOG_FIELDS), cancelRow()]);
}

/** A button per field, two to a row. */
function reviseRows(fields: readonly MeetingFieldKey[]): Action[][] {
  return rowsOf(
    fields.map((field) => meetingButton(m.buttonEditField(m.labels[field]), { kind: 'revise', field })),
    2,
  );
}

/** The question the dialog is at, or its review when every answer is in. */
export async function dialogStep(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: ChatId,
  unit: Unit,
  dialog: MeetingDialogState,
): Promise<Reply[]> {
  if (dialog.step === 'review') return review(ctx, viewer, chatId, await sized(ctx, unit), dialog);
  return [question(await sizedFor(ctx, unit, dialog), dialog)];
}

/** The unit with its size from the register (read only where the size is used, to keep presses cheap). */
async function sized(ctx: MeetingContext, unit: Unit): Promise<Unit> {
  return (await ctx.sized([unit]))[0] ?? unit;
}

/** Sized when the question asks for «Tổng số đảng viên» (its answer button is the size). */
function sizedFor(ctx: MeetingContext, unit: Unit, dialog: MeetingDialogState): Promise<Unit> {
  return dialog.step === 'members' ? sized(ctx, unit) : Promise.resolve(unit);
}

function question(unit: Unit, dialog: MeetingDialogState, error?: string): Reply {
  const found = dialogPrompt(dialog);
  const step = dialog.step;
  if (!found || step === 'review') return reply(m.dialog.pickField);
  const branchSize = unit.members > 0 ? unit.members : undefined;
  const prompt = m.wordPrompt(found, branchSize);
  const index = (MEETING_DIALOG_FIELDS as readonly MeetingFieldKey[]).indexOf(step) + 1;
  const previous = dialog.answers[step];
  const rows: Action[][] = [];
  for (const choice of prompt.choices ?? [])
    rows.push([meetingButton(choice.label, { kind: 'answer', step, value: choice.value })]);
  if (step === 'members' && branchSize !== undefined)
    rows.push([meetingButton(String(branchSize), { kind: 'answer', step, value: String(branchSize) })]);
  if (prompt.skippable) rows.push([meetingButton(m.buttonSkip, { kind: 'answer', step, value: '' })]);
  rows.push(cancelRow());
  return reply(
    lines(
      error,
      error === undefined ? undefined : '',
      m.dialog.question(index, MEETING_DIALOG_FIELDS.length, prompt.text),
      dialog.revising && previous !== undefined && previous !== '' ? m.dialog.current(previous) : undefined,
    ),
    rows,
  );
}

/** An answer to the question the dialog is at (typed, or from a button). */
export async function answer(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: ChatId,
  state: DialogPhase,
  text: string,
): Promise<Reply[]> {
  const reportable = await reportableUnit(ctx.org, viewer, state.branch);
  if (!reportable.ok) {
    await ctx.dialogs.clear(chatId, viewer.id);
    return [reportable.reply];
  }
  const found = reportable;
  if (state.dialog.step === 'review')
    return review(ctx, viewer, chatId, await sized(ctx, found.unit), state.dialog);
  const applied = applyDialogAnswer(state.dialog, text, { today: ctx.today() });
  if (!applied.ok)
    return [
      question(await sizedFor(ctx, found.unit, state.dialog), state.dialog, m.problem(applied.error.problem)),
    ];
  await ctx.dialogs.save(chatId, viewer.id, 'meetings', { ...state, dialog: applied.state });
  return dialogStep(ctx, viewer, chatId, found.unit, applied.state);
}

/** Every answer is in: the card, or what to fix with a button per field at fault. */
async function review(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: ChatId,
  unit: Unit,
  dialog: MeetingDialogState,
): Promise<Reply[]> {
  const { settings } = await settingsFor(ctx, unit.code);
  const checked = finishMeetingDialog(dialog, reportContext(ctx.today(), unit, settings.qualityScale));
  const matched = checked.ok ? await ctx.matchAbsentees(unit.code, checked.report) : checked;
  if (checked.ok && matched.ok) return card(ctx, viewer, chatId, unit, matched.report, checked.flags, dialog);
  const errors = matched.ok ? [] : matched.errors;
  await ctx.dialogs.save(chatId, viewer.id, 'meetings', { phase: 'dialog', branch: unit.code, dialog });
  return [reply(dialogErrors(errors), [...reviseRows(fieldsAtFault(errors)), cancelRow()])];
}

function dialogErrors(errors: readonly FieldError[]) {
  return lines(
    m.errors.heading(errors.length),
    ...errors.map((err, i) => `${i + 1}. ${m.problem(err.problem)}`),
    m.dialog.fixFooter,
  );
}

/** The fields to offer for correction: all parts of the attendance sum when that is at fault. */
function fieldsAtFault(errors: readonly FieldError[]): MeetingFieldKey[] {
  const fields = new Set<MeetingFieldKey>();
  for (const e of errors) {
    if (e.field === 'form') continue;
    if (ATTENDANCE_FIELDS.includes(e.field)) for (const f of ATTENDANCE_FIELDS) fields.add(f);
    else fields.add(e.field);
  }
  return MEETING_FIELD_KEYS.filter((f) => fields.has(f));
}
