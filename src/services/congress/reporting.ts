/**
 * The ways into a congress report and a date registration by message: /lich, /daihoi (alone, or
 * with a filled-in form), a form pasted without the command, and the text sent while a report is
 * open. A secretary of several branches, or of a branch several open rounds cover, is asked which
 * first; the request waits in the `congress` dialog (`pick`) until a button is pressed.
 */
import { type Reply, reply } from '../../chat/reply.js';
import { formatTerm } from '../../domain/congress/campaign.js';
import { blankCongressForm } from '../../domain/congress/report.js';
import { headApplies } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import { openOf, type Session, type Step } from '../dialogs.js';
import { congressButton } from './actions.js';
import { branchTarget } from './branchTarget.js';
import { cancelRow, cardStep, newNonce } from './card.js';
import { type CongressServiceDeps, todayOf } from './deps.js';
import { registerDate, registrationArgsError } from './registration.js';
import { answerReportDialog, checkForm, isCongressForm, startReportDialog } from './reportEntry.js';
import type { CongressRequest, CongressState, DialogPhase } from './state.js';
import type { BranchTarget, DialogTurn } from './types.js';

const m = msg.congress;

/** The branch and round chosen so far. */
export interface Choice {
  branch?: string;
  campaignId?: string;
}

/** `/lich DD/MM/YYYY [HH:MM]`. */
export function lich(deps: CongressServiceDeps, s: Session, args: string): Promise<Reply[]> {
  return proceed(deps, s, 'lich', args);
}

/** `/daihoi` alone (the blank form) or with a filled-in form. */
export function daihoi(deps: CongressServiceDeps, s: Session, body: string): Promise<Reply[]> {
  return body === '' ? proceed(deps, s, 'blank', '') : proceed(deps, s, 'form', body);
}

/** Text with no dialog open: a congress form pasted without the command, or undefined when it is none. */
export async function pastedForm(
  deps: CongressServiceDeps,
  s: Session,
  text: string,
): Promise<Reply[] | undefined> {
  return isCongressForm(text) ? proceed(deps, s, 'form', text) : undefined;
}

/**
 * Text while a congress report is open: an answer to the dialog, a corrected form (for the same
 * branch and round when a card waits), or a reminder of the button that is awaited.
 */
export async function continueReport(
  deps: CongressServiceDeps,
  s: Session,
  state: CongressState,
  text: string,
): Promise<Reply[]> {
  if (state.phase === 'dialog') return answerDialog(deps, s, state, text);
  if (isCongressForm(text)) {
    const known = state.phase === 'confirm' ? { branch: state.branch, campaignId: state.campaignId } : {};
    return proceed(deps, s, 'form', text, known);
  }
  return [reply(state.phase === 'confirm' ? m.chat.pendingConfirm : m.chat.pendingChoice)];
}

/**
 * Finds the branch and round for `request` (asking which when there are several, with the
 * request kept in the `pick` phase until a button is pressed), then runs it.
 */
export async function proceed(
  deps: CongressServiceDeps,
  s: Session,
  request: CongressRequest,
  payload: string,
  choice: Choice = {},
): Promise<Reply[]> {
  const { viewer, chat } = s;
  const r = await branchTarget(deps, viewer, choice);
  if (r.kind === 'refused') {
    await dropPick(deps, s);
    return [reply(r.text)];
  }
  // A date that cannot be right is said before asking anything else.
  if (request === 'lich') {
    const error = registrationArgsError(payload);
    if (error) return [reply(error)];
  }
  if (r.kind === 'chooseBranch') {
    await deps.dialogs.save(chat, viewer.id, 'congress', { phase: 'pick', request, payload });
    const rows = r.branches.map((b) => [congressButton(b.name, { kind: 'branch', branch: b.code })]);
    return [reply(m.chat.chooseBranch, [...rows, cancelRow()])];
  }
  if (r.kind === 'chooseCampaign') {
    await deps.dialogs.save(chat, viewer.id, 'congress', {
      phase: 'pick',
      request,
      payload,
      branch: r.branch.code,
    });
    const rows = r.campaigns.map((c) => [
      congressButton(m.chat.campaignButton(c.name, formatTerm(c.term)), { kind: 'round', campaign: c.id }),
    ]);
    return [reply(m.chat.chooseCampaign, [...rows, cancelRow()])];
  }
  return run(deps, s, request, payload, r.target);
}

async function run(
  deps: CongressServiceDeps,
  s: Session,
  request: CongressRequest,
  payload: string,
  target: BranchTarget,
): Promise<Reply[]> {
  const { viewer, chat } = s;
  switch (request) {
    case 'lich': {
      await dropPick(deps, s);
      return [reply((await registerDate(deps, viewer, target, payload)).text)];
    }
    case 'blank': {
      // A fresh /daihoi replaces an unfinished congress flow of this person.
      if (s.dialog?.kind === 'congress' || s.dialog?.kind === 'congressCampaign')
        await deps.dialogs.clear(chat, viewer.id);
      const start = { kind: 'dialog', campaign: target.campaign.id, branch: target.branch.code } as const;
      return [
        reply(
          `${m.chat.formIntro(target.branch.name, target.campaign.name)}\n${m.headNote(headApplies(target.branch))}`,
        ),
        reply(blankCongressForm(), [[congressButton(m.chat.buttonDialog, start)]]),
      ];
    }
    case 'form': {
      const check = checkForm(target, payload, todayOf(deps));
      if (!check.ok) {
        await dropPick(deps, s);
        return [reply(check.text)];
      }
      return apply(deps, s, cardStep(target, check.report, check.text, newNonce()));
    }
    case 'dialog':
      return apply(deps, s, turnStep(target, startReportDialog(target), newNonce()));
  }
}

/** One dialog turn as a step: the next question with its buttons, the card to confirm, or the problems. */
function turnStep(target: BranchTarget, turn: DialogTurn, nonce: string): Step<CongressState> {
  switch (turn.kind) {
    case 'ask': {
      const options = turn.options.map((label, option) =>
        congressButton(label, { kind: 'answer', field: turn.field, option }),
      );
      return {
        state: {
          phase: 'dialog',
          branch: target.branch.code,
          campaignId: target.campaign.id,
          dialog: turn.state,
        },
        replies: [reply(turn.text, [options, cancelRow()])],
      };
    }
    case 'confirm':
      return cardStep(target, turn.report, turn.text, nonce);
    case 'invalid':
      return { state: undefined, replies: [reply(turn.text)] };
  }
}

function apply(deps: CongressServiceDeps, s: Session, step: Step<CongressState>): Promise<Reply[]> {
  return deps.dialogs.apply(s.chat, s.viewer.id, 'congress', step);
}

/** The dialog takes one answer (typed, or a button's text), for a branch and round checked again. */
export async function answerDialog(
  deps: CongressServiceDeps,
  s: Session,
  state: DialogPhase,
  answer: string,
): Promise<Reply[]> {
  const r = await branchTarget(deps, s.viewer, { branch: state.branch, campaignId: state.campaignId });
  if (r.kind !== 'ok') {
    await deps.dialogs.clear(s.chat, s.viewer.id);
    return [reply(r.kind === 'refused' ? r.text : m.campaignNotFound)];
  }
  const turn = answerReportDialog(r.target, state.dialog, answer, todayOf(deps));
  return apply(deps, s, turnStep(r.target, turn, newNonce()));
}

/** Forgets a pending branch or round question; any other dialog is left alone. */
async function dropPick(deps: CongressServiceDeps, s: Session): Promise<void> {
  if (openOf(s, 'congress')?.phase === 'pick') await deps.dialogs.clear(s.chat, s.viewer.id);
}
