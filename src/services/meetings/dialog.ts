/**
 * The guided dialog: one question at a time, with buttons for the usual answers, then the
 * card, or the answers to correct when the report does not add up.
 */
import {
  applyDialogAnswer,
  dialogPrompt,
  finishMeetingDialog,
  type MeetingDialogState,
} from '../../domain/meetings/dialog.js';
import { type FieldError, MEETING_FIELD_KEYS, type MeetingFieldKey } from '../../domain/meetings/report.js';
import { escapeHtml } from '../../domain/text.js';
import type { Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { reportableUnit } from './access.js';
import { card, reportContext } from './card.js';
import type { MeetingContext } from './context.js';
import type { DialogPhase } from './conversation.js';
import { cancelRow, html, plain } from './replies.js';
import type { MeetingButton, MeetingReply } from './types.js';

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
export function fieldPicker(): MeetingReply {
  return plain(m.dialog.pickField, [...reviseRows(MEETING_FIELD_KEYS), cancelRow()]);
}

/** A button per field, two to a row. */
function reviseRows(fields: readonly MeetingFieldKey[]): MeetingButton[][] {
  const rows: MeetingButton[][] = [];
  fields.forEach((field, i) => {
    const b: MeetingButton = {
      label: m.buttonEditField(m.labels[field]),
      action: { kind: 'revise', field },
    };
    if (i % 2 === 0) rows.push([b]);
    else rows[rows.length - 1]?.push(b);
  });
  return rows;
}

/** The question the dialog is at, or its review when every answer is in. */
export async function dialogStep(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: number,
  unit: Unit,
  dialog: MeetingDialogState,
): Promise<MeetingReply[]> {
  if (dialog.step === 'review') return review(ctx, viewer, chatId, unit, dialog);
  return [question(unit, dialog)];
}

function question(unit: Unit, dialog: MeetingDialogState, error?: string): MeetingReply {
  const prompt = dialogPrompt(dialog, unit.members > 0 ? unit.members : undefined);
  const step = dialog.step;
  if (!prompt || step === 'review') return plain(m.dialog.pickField);
  const index = MEETING_FIELD_KEYS.indexOf(step) + 1;
  const lines = [m.dialog.question(index, MEETING_FIELD_KEYS.length, prompt.text)];
  const previous = dialog.answers[step];
  if (dialog.revising && previous !== undefined && previous !== '') lines.push(m.dialog.current(previous));
  if (error !== undefined) lines.unshift(error, '');
  const rows: MeetingButton[][] = [];
  for (const choice of prompt.choices ?? [])
    rows.push([{ label: choice.label, action: { kind: 'answer', step, value: choice.value } }]);
  if (step === 'members' && unit.members > 0)
    rows.push([
      { label: String(unit.members), action: { kind: 'answer', step, value: String(unit.members) } },
    ]);
  if (prompt.skippable) rows.push([{ label: m.buttonSkip, action: { kind: 'answer', step, value: '' } }]);
  rows.push(cancelRow());
  return plain(lines.join('\n'), rows);
}

/** An answer to the question the dialog is at (typed, or from a button). */
export async function answer(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: number,
  state: DialogPhase,
  text: string,
): Promise<MeetingReply[]> {
  const found = await reportableUnit(ctx.org, viewer, state.branch);
  if (!found.ok) {
    await ctx.conversations.clear(chatId, viewer.id);
    return [found.reply];
  }
  if (state.dialog.step === 'review') return review(ctx, viewer, chatId, found.unit, state.dialog);
  const applied = applyDialogAnswer(state.dialog, text, { today: ctx.today() });
  if (!applied.ok) return [question(found.unit, state.dialog, applied.error.message)];
  await ctx.conversation.set(chatId, viewer.id, { ...state, dialog: applied.state });
  return dialogStep(ctx, viewer, chatId, found.unit, applied.state);
}

/** Every answer is in: the card, or what to fix with a button per field at fault. */
async function review(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: number,
  unit: Unit,
  dialog: MeetingDialogState,
): Promise<MeetingReply[]> {
  const checked = finishMeetingDialog(dialog, reportContext(ctx.today(), unit));
  if (checked.ok) return card(ctx, viewer, chatId, unit, checked.report, checked.flags, dialog);
  await ctx.conversation.set(chatId, viewer.id, { phase: 'dialog', branch: unit.code, dialog });
  return html(dialogErrors(checked.errors), [...reviseRows(fieldsAtFault(checked.errors)), cancelRow()]);
}

function dialogErrors(errors: readonly FieldError[]): string {
  return [
    m.errors.heading(errors.length),
    ...errors.map((err, i) => `${i + 1}. ${escapeHtml(err.message)}`),
    m.dialog.fixFooter,
  ].join('\n');
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
