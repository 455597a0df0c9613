/**
 * The confirmation card: a checked result waits on it for «Xác nhận và lưu» before it is saved.
 * Its nonce ties the button to this card (confirming an older card must not save a newer
 * report), and is consumed in the same MULTI as the save (`src/store/cards.ts`).
 */
import { randomBytes } from 'node:crypto';
import type { Rich } from '../../chat/markup.js';
import { type Action, type Reply, reply } from '../../chat/reply.js';
import type { CongressReport } from '../../domain/congress/report.js';
import { pausePoint } from '../../infra/pausePoints.js';
import { msg } from '../../messages/index.js';
import type { Session, Step } from '../dialogs.js';
import { congressButton } from './actions.js';
import type { CongressServiceDeps } from './deps.js';
import { saveReport } from './reportSaving.js';
import type { ConfirmPhase, CongressState } from './state.js';
import type { BranchTarget } from './types.js';

const m = msg.congress;

/** The row with the cancel button that ends every step of a congress flow. */
export const cancelRow = (): Action[] => [congressButton(msg.common.buttonCancel, { kind: 'cancel' })];

/** A fresh card nonce: ties the button to this card, so an older card cannot save a newer report. */
export const newNonce = (): string => randomBytes(6).toString('hex');

/** The step that keeps the valid report aside and shows its card with «Xác nhận và lưu». */
export function cardStep(
  target: BranchTarget,
  report: CongressReport,
  text: Rich,
  nonce: string,
): Step<CongressState> {
  return {
    state: { phase: 'confirm', branch: target.branch.code, campaignId: target.campaign.id, report, nonce },
    replies: [reply(text, [[congressButton(m.buttonConfirm, { kind: 'confirm', nonce })], cancelRow()])],
  };
}

/**
 * «Xác nhận và lưu» on the card shown: saves its report, consuming the card in the same step (a
 * press repeated after a crash finds the card used and is told what was saved), then ends the
 * dialog. Saved or refused, the card is done with: a refusal (role gone, round closed) cannot
 * be fixed by pressing again.
 */
export async function confirm(deps: CongressServiceDeps, s: Session, state: ConfirmPhase): Promise<Reply[]> {
  const saved = await saveReport(deps, s.viewer, state.campaignId, state.branch, state.report, {
    nonce: state.nonce,
    dialogKey: deps.dialogs.key(s.chat, s.viewer.id),
  });
  await pausePoint('congress-confirm-saved');
  // A refusal saved nothing and left the dialog; the card is done with all the same.
  if (!saved.ok) await deps.dialogs.clear(s.chat, s.viewer.id);
  return [reply(saved.text)];
}
