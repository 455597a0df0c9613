/** The ways into a report by message: the `/sinhhoat` command, plain text, and the dialog's answers. */
import { type Reply, reply } from '../../chat/reply.js';
import { parseYearMonth } from '../../domain/meetings/calendar.js';
import { foldVietnamese } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import { openOf, type Session } from '../dialogs.js';
import { notReporter } from './access.js';
import type { MeetingContext } from './context.js';
import { answer, dialogStep } from './dialog.js';
import { blankForm, branchPicker, looksLikeMeetingForm, receiveForm } from './reportForm.js';
import type { MeetingState } from './state.js';

const m = msg.meetings;

/**
 * `/sinhhoat [filled form]`: with a form, checks it and shows the card; alone, the blank form
 * (member count filled in) with a button for the dialog, or the branch choice for a secretary
 * of several branches, or the question a dialog in progress stopped at.
 */
export async function start(ctx: MeetingContext, s: Session, body: string): Promise<Reply[]> {
  const { viewer, chat } = s;
  const branches = await ctx.sized(await ctx.org.reportingUnits(viewer));
  if (branches.length === 0) return [notReporter(viewer)];
  const state = openOf(s, 'meetings');
  // "/sinhhoat 09/2025" names a month: the blank form, introduced for that month.
  const month = parseYearMonth(body);
  if (body.trim() !== '' && month === undefined) return receiveForm(ctx, viewer, chat, body, branches, state);
  if (state?.phase === 'dialog') {
    const unit = branches.find((b) => b.code === state.branch);
    if (unit) return [reply(m.dialog.resume), ...(await dialogStep(ctx, viewer, chat, unit, state.dialog))];
  }
  const [only] = branches;
  if (branches.length > 1 || !only) return [branchPicker(branches)];
  return blankForm(ctx, only, month);
}

/** Text with no dialog open: a meeting form pasted without the command, or undefined when it is none. */
export async function pastedForm(
  ctx: MeetingContext,
  s: Session,
  text: string,
): Promise<Reply[] | undefined> {
  if (!looksLikeMeetingForm(text)) return undefined;
  const branches = await ctx.sized(await ctx.org.reportingUnits(s.viewer));
  if (branches.length === 0) return [notReporter(s.viewer)];
  return receiveForm(ctx, s.viewer, s.chat, text, branches, undefined);
}

/**
 * Text while a meeting report is open: an answer to the dialog, a corrected form, or a
 * reminder of the card waiting for its button.
 */
export async function continueReport(
  ctx: MeetingContext,
  s: Session,
  state: MeetingState,
  text: string,
): Promise<Reply[]> {
  const { viewer, chat } = s;
  const branches = await ctx.sized(await ctx.org.reportingUnits(viewer));
  if (branches.length === 0) {
    await ctx.dialogs.clear(chat, viewer.id);
    return [notReporter(viewer)];
  }
  if (looksLikeMeetingForm(text)) return receiveForm(ctx, viewer, chat, text, branches, state);
  if (['huy', 'thoi'].includes(foldVietnamese(text))) {
    await ctx.dialogs.clear(chat, viewer.id);
    return [reply(msg.common.cancelled)];
  }
  switch (state.phase) {
    case 'pickBranch':
      return [reply(m.pickBranchFirst), branchPicker(branches)];
    case 'confirm':
      return [reply(m.pendingConfirm)];
    case 'dialog':
      return answer(ctx, viewer, chat, state, text);
  }
}
