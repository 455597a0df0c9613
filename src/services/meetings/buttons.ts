/** What pressing a button under a meeting message does. */
import { closeWith, expired, type Outcome } from '../../chat/reply.js';
import { reviseMeetingDialog, startMeetingDialog } from '../../domain/meetings/dialog.js';
import { msg } from '../../messages/index.js';
import { openOf, type Session } from '../dialogs.js';
import { reportableUnit } from './access.js';
import type { MeetingAction } from './actions.js';
import { confirm } from './card.js';
import type { MeetingContext } from './context.js';
import { answer, dialogStep, fieldPicker } from './dialog.js';
import { progressOf } from './progress.js';
import { blankForm, checkForm } from './reportForm.js';

const m = msg.meetings;

/** A button was pressed. */
export async function act(ctx: MeetingContext, s: Session, action: MeetingAction): Promise<Outcome> {
  const { viewer, chat } = s;
  if (action.kind === 'progress')
    return { replies: await progressOf(ctx, viewer, action.scope, action.month) };
  const stale = expired(msg.common.buttonExpired);
  const state = openOf(s, 'meetings');
  switch (action.kind) {
    case 'cancel':
      if (state) await ctx.dialogs.clear(chat, viewer.id);
      return closeWith(msg.common.cancelled);
    case 'branch':
    case 'dialog': {
      const unit = await reportableUnit(ctx.org, viewer, action.branch);
      if (!unit.ok) return closeWith(unit.reply);
      if (action.kind === 'dialog') {
        const dialog = startMeetingDialog();
        await ctx.dialogs.save(chat, viewer.id, 'meetings', {
          phase: 'dialog',
          branch: unit.unit.code,
          dialog,
        });
        return closeWith(
          m.dialog.start(unit.unit.name),
          ...(await dialogStep(ctx, viewer, chat, unit.unit, dialog)),
        );
      }
      if (state?.phase === 'pickBranch' && state.form !== undefined) {
        await ctx.dialogs.clear(chat, viewer.id);
        return closeWith(...(await checkForm(ctx, viewer, chat, unit.unit, state.form)));
      }
      return closeWith(...(await blankForm(ctx, unit.unit)));
    }
    case 'answer':
      if (state?.phase !== 'dialog' || state.dialog.step !== action.step) return stale;
      return closeWith(...(await answer(ctx, viewer, chat, state, action.value)));
    case 'confirm': {
      if (state?.phase === 'confirm' && state.token === action.token)
        return closeWith(...(await confirm(ctx, viewer, chat, state)));
      // The card is gone: a double tap, or this press redelivered after a crash. The receipt
      // written with the save says what it saved.
      const receipt = await ctx.dialogs.receipt(action.token);
      return receipt ? closeWith(m.alreadySaved(receipt.ref, receipt.version)) : stale;
    }
    case 'revise': {
      const from =
        state?.phase === 'confirm' ? state.dialog : state?.phase === 'dialog' ? state.dialog : undefined;
      if (!state || state.phase === 'pickBranch' || !from) return stale;
      if (action.field === undefined) return closeWith(fieldPicker());
      const unit = await reportableUnit(ctx.org, viewer, state.branch);
      if (!unit.ok) return closeWith(unit.reply);
      const dialog = reviseMeetingDialog(from, action.field);
      await ctx.dialogs.save(chat, viewer.id, 'meetings', { phase: 'dialog', branch: state.branch, dialog });
      return closeWith(...(await dialogStep(ctx, viewer, chat, unit.unit, dialog)));
    }
  }
}
