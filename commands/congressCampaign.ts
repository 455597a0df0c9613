/**
 * /dotdaihoi: an admin opens a congress round step by step (name, term, unit, window, pilot
 * congresses, the age counted as young), each answer checked at once, with buttons where a
 * choice is likely. The answers live in a `dh-new` conversation, so the dialog resumes after a
 * restart; «Hủy» (`dh:no`) or /huy stops it, and nothing is stored before «Xác nhận và mở đợt».
 *
 * Callback data: `dh:nc:<field>:<value>` answers a step by button, `dh:nc:ok` creates.
 */
import type { InlineKeyboardButton } from '@telegraf/types';
import { Composer } from 'telegraf';
import { formatTerm } from '../src/domain/congress/campaign.js';
import { formatVnDate } from '../src/domain/vn.js';
import { msg } from '../src/messages/index.js';
import {
  CAMPAIGN_DIALOG_FIELDS,
  type CampaignDialogField,
  campaignInputFromAnswers,
} from '../src/services/congress/index.js';
import type { BotContext } from '../src/telegram/context.js';
import { requireAdmin } from '../src/telegram/guards.js';
import { button, keyboard } from '../src/telegram/keyboards.js';

const m = msg.congress;
const d = m.campaignDialog;

export const congressCampaign = new Composer<BotContext>();

export const CAMPAIGN_KIND = 'dh-new';

interface CampaignState {
  /** The step being asked, or `confirm` once every answer is in. */
  step: CampaignDialogField | 'confirm';
  answers: Partial<Record<CampaignDialogField, string>>;
}

const cancelRow = () => [button(msg.common.buttonCancel, 'dh', 'no')];

/** The question for a step, with its buttons. */
async function ask(ctx: BotContext, state: CampaignState, before?: string): Promise<void> {
  await ctx.app.conversations.set<CampaignState>(
    ctx.chat!.id,
    ctx.viewer.id,
    CAMPAIGN_KIND,
    state,
    ctx.app.clock.now(),
  );
  const svc = ctx.app.congress;
  const choice = (text: string, value: string) => button(text, 'dh', 'nc', state.step, value);
  let text: string;
  let options: InlineKeyboardButton[][] = [];
  switch (state.step) {
    case 'name':
      text = d.name;
      break;
    case 'term': {
      const year = Number(svc.today().slice(0, 4));
      text = d.term;
      options = [[2, 3, 5].map((n) => choice(formatTerm(`${year}-${year + n}`), `${year}-${year + n}`))];
      break;
    }
    case 'scope':
      text = d.scope;
      options = (await svc.scopeSuggestions()).map((u) => [choice(`${u.name} (${u.code})`, u.code)]);
      break;
    case 'opens': {
      const today = svc.today();
      text = d.opens;
      options = [[choice(d.buttonToday(formatVnDate(today)), today)]];
      break;
    }
    case 'deadline':
      text = d.deadline(formatVnDate(state.answers.opens ?? svc.today()));
      break;
    case 'pilots':
      text = d.pilots;
      options = [[choice(d.buttonNoPilots, '-')]];
      break;
    case 'youngAge':
      text = d.youngAge;
      options = [[choice('35', '35'), choice('30', '30')]];
      break;
    case 'confirm':
      text = await svc.campaignSummary(state.answers);
      options = [[button(d.buttonCreate, 'dh', 'nc', 'ok')]];
      break;
  }
  await ctx.reply(before ? `${before}\n\n${text}` : text, { ...keyboard([...options, cancelRow()]) });
}

/** Takes the answer to the current step: checked at once, then the next step (or the summary). */
async function answer(ctx: BotContext, state: CampaignState, raw: string): Promise<void> {
  if (state.step === 'confirm') {
    await ask(ctx, state);
    return;
  }
  const check = await ctx.app.congress.checkCampaignField(state.step, raw, state.answers);
  if (!check.ok) {
    await ask(ctx, state, check.message);
    return;
  }
  const answers = { ...state.answers, [state.step]: check.value };
  const next = CAMPAIGN_DIALOG_FIELDS[CAMPAIGN_DIALOG_FIELDS.indexOf(state.step) + 1] ?? 'confirm';
  await ask(ctx, { step: next, answers });
}

congressCampaign.command('dotdaihoi', async (ctx) => {
  if (!(await requireAdmin(ctx))) return;
  const open = await ctx.app.congress.campaignList({ openOnly: true });
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
  await ask(ctx, { step: 'name', answers: {} }, intro.join('\n\n'));
});

congressCampaign.action(/^dh:nc:([A-Za-z]+):(.+)$/, async (ctx) => {
  const conv = await ctx.app.conversations.get<CampaignState>(ctx.chat!.id, ctx.viewer.id);
  if (conv?.kind !== CAMPAIGN_KIND || conv.state.step !== ctx.match[1]) {
    await ctx.answerCbQuery(msg.common.buttonExpired);
    return;
  }
  await ctx.answerCbQuery();
  if (!ctx.app.org.isAdmin(ctx.viewer)) {
    await ctx.app.conversations.clear(ctx.chat!.id, ctx.viewer.id);
    await ctx.reply(msg.units.adminOnly);
    return;
  }
  await ctx
    .editMessageReplyMarkup(undefined)
    .catch((err: Error) => ctx.log.debug({ err: err.message }, 'could not remove the buttons'));
  await answer(ctx, conv.state, ctx.match[2] ?? '');
});

congressCampaign.action('dh:nc:ok', async (ctx) => {
  const conv = await ctx.app.conversations.get<CampaignState>(ctx.chat!.id, ctx.viewer.id);
  if (conv?.kind !== CAMPAIGN_KIND || conv.state.step !== 'confirm') {
    await ctx.answerCbQuery(msg.common.buttonExpired);
    return;
  }
  await ctx.answerCbQuery();
  const r = await ctx.app.congress.createCampaign(ctx.viewer, campaignInputFromAnswers(conv.state.answers));
  await ctx.app.conversations.clear(ctx.chat!.id, ctx.viewer.id);
  await ctx
    .editMessageReplyMarkup(undefined)
    .catch((err: Error) => ctx.log.debug({ err: err.message }, 'could not remove the buttons'));
  await ctx.reply(r.ok ? d.created(r.campaign.name, r.campaign.id) : d.notCreated(r.errors));
});

congressCampaign.on('text', async (ctx, next) => {
  if (ctx.chat.type !== 'private' || ctx.message.text.startsWith('/')) return next();
  const conv = await ctx.app.conversations.get<CampaignState>(ctx.chat.id, ctx.viewer.id);
  if (conv?.kind !== CAMPAIGN_KIND) return next();
  if (!ctx.app.org.isAdmin(ctx.viewer)) {
    await ctx.app.conversations.clear(ctx.chat.id, ctx.viewer.id);
    await ctx.reply(msg.units.adminOnly);
    return;
  }
  await answer(ctx, conv.state, ctx.message.text);
});
