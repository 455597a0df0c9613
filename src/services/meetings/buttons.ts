/** What pressing a button under a meeting message does. */
import { reviseMeetingDialog, startMeetingDialog } from '../../domain/meetings/dialog.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { reportableUnit } from './access.js';
import { confirm } from './card.js';
import type { MeetingContext } from './context.js';
import { answer, dialogStep, fieldPicker } from './dialog.js';
import { progressOf } from './progress.js';
import { plain } from './replies.js';
import { blankForm, checkForm } from './reportForm.js';
import type { MeetingAction, MeetingOutcome, MeetingReply } from './types.js';

const m = msg.meetings;

/** A button was pressed. */
export async function act(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: number,
  action: MeetingAction,
): Promise<MeetingOutcome> {
  const done = (replies: MeetingReply[]): MeetingOutcome => ({ replies, closeButtons: true });
  const expired: MeetingOutcome = { replies: [], toast: msg.common.buttonExpired, closeButtons: true };
  if (action.kind === 'progress')
    return { replies: await progressOf(ctx, viewer, action.scope, action.month), closeButtons: false };

  const state = await ctx.conversation.get(chatId, viewer.id);
  switch (action.kind) {
    case 'cancel':
      if (state) await ctx.conversations.clear(chatId, viewer.id);
      return done([plain(msg.common.cancelled)]);
    case 'branch':
    case 'dialog': {
      const unit = await reportableUnit(ctx.org, viewer, action.branch);
      if (!unit.ok) return done([unit.reply]);
      if (action.kind === 'dialog') {
        const dialog = startMeetingDialog();
        await ctx.conversation.set(chatId, viewer.id, { phase: 'dialog', branch: unit.unit.code, dialog });
        return done([
          plain(m.dialog.start(unit.unit.name)),
          ...(await dialogStep(ctx, viewer, chatId, unit.unit, dialog)),
        ]);
      }
      if (state?.phase === 'pickBranch' && state.form !== undefined) {
        await ctx.conversations.clear(chatId, viewer.id);
        return done(await checkForm(ctx, viewer, chatId, unit.unit, state.form));
      }
      return done(await blankForm(ctx, unit.unit));
    }
    case 'answer':
      if (state?.phase !== 'dialog' || state.dialog.step !== action.step) return expired;
      return done(await answer(ctx, viewer, chatId, state, action.value));
    case 'confirm':
      if (state?.phase !== 'confirm' || state.token !== action.token) return expired;
      // Claimed atomically: a second press of the same button finds nothing to save.
      if (!(await ctx.conversations.claim(chatId, viewer.id, action.token))) return expired;
      return done(await confirm(ctx, viewer, chatId, state));
    case 'revise': {
      const from =
        state?.phase === 'confirm' ? state.dialog : state?.phase === 'dialog' ? state.dialog : undefined;
      if (!state || state.phase === 'pickBranch' || !from) return expired;
      if (action.field === undefined) return done([fieldPicker()]);
      const unit = await reportableUnit(ctx.org, viewer, state.branch);
      if (!unit.ok) return done([unit.reply]);
      const dialog = reviseMeetingDialog(from, action.field);
      await ctx.conversation.set(chatId, viewer.id, { phase: 'dialog', branch: state.branch, dialog });
      return done(await dialogStep(ctx, viewer, chatId, unit.unit, dialog));
    }
  }
}
