/** What pressing a button under a congress message does. */
import { closeWith, expired, type Outcome, say } from '../../chat/reply.js';
import { dialogOption } from '../../domain/congress/dialog.js';
import { msg } from '../../messages/index.js';
import { openOf, type Session } from '../dialogs.js';
import type { CongressAction } from './actions.js';
import { askDecision } from './approval.js';
import { pressAnswer, pressCreate } from './campaignChat.js';
import { confirm } from './card.js';
import type { CongressServiceDeps } from './deps.js';
import { assignAttendee, tickPressed } from './office.js';
import { progressReplies, unitProgressReplies } from './progressChat.js';
import { answerDialog, proceed } from './reporting.js';

const m = msg.congress;

/** A button was pressed. */
export async function act(deps: CongressServiceDeps, s: Session, action: CongressAction): Promise<Outcome> {
  const stale = expired(msg.common.buttonExpired);
  const state = openOf(s, 'congress');
  switch (action.kind) {
    case 'branch':
      if (state?.phase !== 'pick') return stale;
      return closeWith(...(await proceed(deps, s, state.request, state.payload, { branch: action.branch })));
    case 'round':
      if (state?.phase !== 'pick' || state.branch === undefined) return stale;
      return closeWith(
        ...(await proceed(deps, s, state.request, state.payload, {
          branch: state.branch,
          campaignId: action.campaign,
        })),
      );
    case 'dialog':
      // The blank form keeps its button: the form can still be filled in instead.
      return say(
        ...(await proceed(deps, s, 'dialog', '', { campaignId: action.campaign, branch: action.branch })),
      );
    case 'answer': {
      if (state?.phase !== 'dialog') return stale;
      // An older question's button: the dialog has moved on.
      if (state.dialog.at !== action.field) return { replies: [], toast: m.chat.staleAnswer };
      const answer = dialogOption(action.field, action.option);
      if (answer === undefined) return stale;
      return closeWith(...(await answerDialog(deps, s, state, answer)));
    }
    case 'confirm': {
      if (state?.phase === 'confirm' && state.nonce === action.nonce)
        return closeWith(...(await confirm(deps, s, state)));
      // The card is gone: a double tap, or this press redelivered after a crash. The receipt
      // written with the save says what it saved.
      const receipt = await deps.dialogs.receipt(action.nonce);
      return receipt ? closeWith(m.alreadySaved(receipt.version)) : stale;
    }
    case 'cancel':
      if (
        s.dialog?.kind === 'congress' ||
        s.dialog?.kind === 'congressCampaign' ||
        s.dialog?.kind === 'congressDecision'
      )
        await deps.dialogs.clear(s.chat, s.viewer.id);
      return closeWith(msg.common.cancelled);
    case 'campaignAnswer':
      return pressAnswer(deps, s, action.field, action.value);
    case 'campaignCreate':
      return pressCreate(deps, s, action.nonce);
    case 'scope':
      return say(...(await progressReplies(deps, s.viewer, action.unit)));
    case 'progress':
      return say(...(await unitProgressReplies(deps, s.viewer, action.campaign, action.unit)));
    case 'approve':
      // An old notice was for the first version; an old /tiendo button for the current one.
      return say(
        ...(await askDecision(deps, s, action.campaign, action.branch, action.from === 'tb' ? 1 : undefined)),
      );
    case 'decide':
      return say(...(await askDecision(deps, s, action.campaign, action.branch, action.version)));
    case 'tick':
      return tickPressed(deps, s, action);
    case 'assign': {
      const r = await assignAttendee(deps, s.viewer, action.branch, action.person, action.campaign);
      return r.ok ? closeWith(r.text) : say(r.text);
    }
  }
}
