/**
 * /dotdaihoi: an admin opens a congress round step by step (name, term, unit, window, pilot
 * congresses, the age counted as young), each answer checked at once, with buttons where a
 * choice is likely. The answers live in the `congressCampaign` dialog, so it resumes after a
 * restart; «Hủy» or /huy stops it, and nothing is stored before «Xác nhận và mở đợt», whose
 * card is consumed with the round it opens (`src/store/cards.ts`).
 */
import { type Action, closeWith, expired, type Outcome, type Reply, reply } from '../../chat/reply.js';
import { formatTerm } from '../../domain/congress/campaign.js';
import { formatVnDate } from '../../domain/vn.js';
import { pausePoint } from '../../infra/pausePoints.js';
import { msg } from '../../messages/index.js';
import type { Session, Step } from '../dialogs.js';
import { congressButton } from './actions.js';
import {
  campaignInputFromAnswers,
  campaignSummary,
  checkCampaignField,
  scopeSuggestions,
} from './campaignDialog.js';
import { campaignList, createCampaign } from './campaigns.js';
import { cancelRow, newNonce } from './card.js';
import { type CongressServiceDeps, todayOf } from './deps.js';
import { CAMPAIGN_DIALOG_FIELDS, type CampaignDialogField, type CampaignState } from './state.js';

const m = msg.congress;
const d = m.campaignDialog;

/** Scope buttons offered at the unit step. */
const SCOPE_SUGGESTIONS_MAX = 8;

/** The refusal for a non-admin, or undefined for an admin. */
function refusal(deps: CongressServiceDeps, s: Session): string | undefined {
  if (deps.org.isAdmin(s.viewer)) return undefined;
  return s.viewer.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly;
}

/** `/dotdaihoi`: the rounds open now, and the first question. */
export async function openCampaignDialog(deps: CongressServiceDeps, s: Session): Promise<Reply[]> {
  const refused = refusal(deps, s);
  if (refused !== undefined) return [reply(refused)];
  const open = await campaignList(deps, { openOnly: true });
  const intro: string[] = [d.intro];
  if (open.length > 0) {
    intro.push(
      d.openList(
        open.map(({ campaign: c, scopeName }) =>
          d.openLine(c.name, formatTerm(c.term), scopeName, formatVnDate(c.opens), formatVnDate(c.deadline)),
        ),
      ),
    );
  }
  return apply(deps, s, await ask(deps, { step: 'name', answers: {} }, intro.join('\n\n')));
}

/** Text while a round is being opened: the answer to the current step. */
export async function continueCampaign(
  deps: CongressServiceDeps,
  s: Session,
  state: CampaignState,
  text: string,
): Promise<Reply[]> {
  const refused = refusal(deps, s);
  if (refused !== undefined) {
    await deps.dialogs.clear(s.chat, s.viewer.id);
    return [reply(refused)];
  }
  return apply(deps, s, await answer(deps, state, text));
}

/** A step's button: the same answer as typing its value. */
export async function pressAnswer(
  deps: CongressServiceDeps,
  s: Session,
  field: CampaignDialogField,
  value: string,
): Promise<Outcome> {
  const state = openOf(s);
  if (state?.step !== field) return expired(msg.common.buttonExpired);
  const refused = refusal(deps, s);
  if (refused !== undefined) {
    await deps.dialogs.clear(s.chat, s.viewer.id);
    return closeWith(refused);
  }
  return closeWith(...(await apply(deps, s, await answer(deps, state, value))));
}

/**
 * «Xác nhận và mở đợt» on the summary shown: opens the round, consuming the card in the same
 * step; a repeated press (a double tap, or the press redelivered after a crash) is told which
 * round was opened.
 */
export async function pressCreate(deps: CongressServiceDeps, s: Session, nonce: string): Promise<Outcome> {
  const state = openOf(s);
  if (state?.step === 'confirm' && state.nonce === nonce) {
    const r = await createCampaign(deps, s.viewer, campaignInputFromAnswers(state.answers), nonce);
    await pausePoint('campaign-opened');
    await deps.dialogs.clear(s.chat, s.viewer.id);
    if (!r.ok) return closeWith(d.notCreated(r.errors));
    return closeWith(
      r.duplicate
        ? d.alreadyCreated(r.campaign.name, r.campaign.id)
        : d.created(r.campaign.name, r.campaign.id),
    );
  }
  const receipt = await deps.dialogs.receipt(nonce);
  const opened = receipt?.ref === undefined ? undefined : await deps.campaigns.getCampaign(receipt.ref);
  return opened ? closeWith(d.alreadyCreated(opened.name, opened.id)) : expired(msg.common.buttonExpired);
}

function openOf(s: Session): CampaignState | undefined {
  return s.dialog?.kind === 'congressCampaign' ? s.dialog.state : undefined;
}

function apply(deps: CongressServiceDeps, s: Session, step: Step<CampaignState>): Promise<Reply[]> {
  return deps.dialogs.apply(s.chat, s.viewer.id, 'congressCampaign', step);
}

/** Takes the answer to the current step: checked at once, then the next step (or the summary). */
async function answer(
  deps: CongressServiceDeps,
  state: CampaignState,
  raw: string,
): Promise<Step<CampaignState>> {
  if (state.step === 'confirm') return ask(deps, state);
  const check = await checkCampaignField(deps.org, state.step, raw, state.answers);
  if (!check.ok) return ask(deps, state, check.message);
  const answers = { ...state.answers, [state.step]: check.value };
  const next = CAMPAIGN_DIALOG_FIELDS[CAMPAIGN_DIALOG_FIELDS.indexOf(state.step) + 1] ?? 'confirm';
  return ask(deps, { step: next, answers });
}

/** The question for a step, with its buttons, after `before` (the intro, or why the last answer was refused). */
async function ask(
  deps: CongressServiceDeps,
  state: CampaignState,
  before?: string,
): Promise<Step<CampaignState>> {
  const step = state.step;
  const choice = (field: CampaignDialogField, label: string, value: string): Action =>
    congressButton(label, { kind: 'campaignAnswer', field, value });
  let text: string;
  let options: Action[][] = [];
  let next = state;
  switch (step) {
    case 'name':
      text = d.name;
      break;
    case 'term': {
      const year = Number(todayOf(deps).slice(0, 4));
      text = d.term;
      options = [
        [2, 3, 5].map((n) => choice(step, formatTerm(`${year}-${year + n}`), `${year}-${year + n}`)),
      ];
      break;
    }
    case 'scope':
      text = d.scope;
      options = (await scopeSuggestions(deps.org, SCOPE_SUGGESTIONS_MAX)).map((u) => [
        choice(step, `${u.name} (${u.code})`, u.code),
      ]);
      break;
    case 'opens': {
      const today = todayOf(deps);
      text = d.opens;
      options = [[choice(step, d.buttonToday(formatVnDate(today)), today)]];
      break;
    }
    case 'deadline':
      text = d.deadline(formatVnDate(state.answers.opens ?? todayOf(deps)));
      break;
    case 'pilots':
      text = d.pilots;
      options = [[choice(step, d.buttonNoPilots, '-')]];
      break;
    case 'youngAge':
      text = d.youngAge;
      options = [[choice(step, '35', '35'), choice(step, '30', '30')]];
      break;
    case 'confirm': {
      // The same card shown again keeps its nonce: only one of its presses opens a round.
      next = { ...state, nonce: state.nonce ?? newNonce() };
      text = await campaignSummary(deps.org, state.answers);
      options = [[congressButton(d.buttonCreate, { kind: 'campaignCreate', nonce: next.nonce! })]];
      break;
    }
  }
  return { state: next, replies: [reply(before ? `${before}\n\n${text}` : text, [...options, cancelRow()])] };
}
