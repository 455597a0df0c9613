/** What pressing a button under a directive message does (the codec is in `actions.ts`). */
import { type Outcome, reply } from '../../chat/reply.js';
import { msg } from '../../messages/index.js';
import type { Session } from '../dialogs.js';
import type { DirectiveAction } from './actions.js';
import { askStop, confirmStop } from './cancelling.js';
import { composePressed } from './composing.js';
import { ackPressed, copyFor, inboxAckPressed, sendAttachment } from './recipients.js';
import type { DirectiveContext } from './types.js';

/** A button was pressed; `pressed` is the message it was under, when the channel says. */
export function act(
  ctx: DirectiveContext,
  s: Session,
  action: DirectiveAction,
  pressed: { messageId: number } | undefined,
): Promise<Outcome> {
  switch (action.kind) {
    case 'ack':
      return ackPressed(ctx, s.viewer.id, action.id);
    case 'inboxAck':
      return inboxAckPressed(ctx, s.viewer.id, action.id);
    case 'view':
      return copyFor(ctx, s.viewer.id, action.id);
    case 'file':
      return sendAttachment(ctx, s.viewer, s.chat, action.id);
    case 'stop':
      return askStop(ctx, s.viewer, action.id);
    case 'stopConfirm':
      return confirmStop(ctx, s.viewer, action.id, action.token);
    case 'keep':
      return Promise.resolve({ replies: [], pressed: { replace: reply(msg.directives.admin.kept) } });
    default:
      return composePressed(ctx, s, action, pressed);
  }
}
