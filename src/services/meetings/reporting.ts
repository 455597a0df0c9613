/** The ways into a report by message: the `/sinhhoat` command and plain text in the chat. */
import { parseYearMonth } from '../../domain/meetings/calendar.js';
import { foldVietnamese } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { notReporter } from './access.js';
import type { MeetingContext } from './context.js';
import { MEETING_CONVERSATION } from './conversation.js';
import { answer, dialogStep } from './dialog.js';
import { plain } from './replies.js';
import { blankForm, branchPicker, looksLikeMeetingForm, receiveForm } from './reportForm.js';
import type { MeetingReply } from './types.js';

const m = msg.meetings;

/**
 * `/sinhhoat [filled form]`: with a form, checks it and shows the card; alone, the blank form
 * (member count filled in) with a button for the dialog, or the branch choice for a secretary
 * of several branches, or the question a dialog in progress stopped at.
 */
export async function start(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: number,
  body: string,
): Promise<MeetingReply[]> {
  const branches = await ctx.org.reportingUnits(viewer);
  if (branches.length === 0) return [notReporter(viewer)];
  const state = await ctx.conversation.get(chatId, viewer.id);
  // "/sinhhoat 09/2025" names a month: the blank form, introduced for that month.
  const month = parseYearMonth(body);
  if (body.trim() !== '' && month === undefined)
    return receiveForm(ctx, viewer, chatId, body, branches, state);
  if (state?.phase === 'dialog') {
    const unit = branches.find((b) => b.code === state.branch);
    if (unit) return [plain(m.dialog.resume), ...(await dialogStep(ctx, viewer, chatId, unit, state.dialog))];
  }
  const [only] = branches;
  if (branches.length > 1 || !only) return [branchPicker(branches)];
  return blankForm(ctx, only, month);
}

/**
 * A plain text message: an answer to the dialog, a form pasted without the command, or a
 * reminder of the card waiting for its button. Undefined when it is none of this service's
 * business (another area's dialog is open, or an ordinary message).
 */
export async function receiveText(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: number,
  text: string,
): Promise<MeetingReply[] | undefined> {
  const conv = await ctx.conversations.get<unknown>(chatId, viewer.id);
  if (conv && conv.kind !== MEETING_CONVERSATION) return undefined;
  const state = conv ? await ctx.conversation.read(chatId, viewer.id, conv.state) : undefined;
  const isForm = looksLikeMeetingForm(text);
  if (!state && !isForm) return undefined;
  const branches = await ctx.org.reportingUnits(viewer);
  if (branches.length === 0) {
    if (state) await ctx.conversations.clear(chatId, viewer.id);
    return [notReporter(viewer)];
  }
  if (isForm) return receiveForm(ctx, viewer, chatId, text, branches, state);
  if (!state) return undefined;
  if (['huy', 'thoi'].includes(foldVietnamese(text))) {
    await ctx.conversations.clear(chatId, viewer.id);
    return [plain(msg.common.cancelled)];
  }
  switch (state.phase) {
    case 'pickBranch':
      return [plain(m.pickBranchFirst), branchPicker(branches)];
    case 'confirm':
      return [plain(m.pendingConfirm)];
    case 'dialog':
      return answer(ctx, viewer, chatId, state, text);
  }
}
