/**
 * Branch congress in chat, for secretaries and deputies: /lich (register or move the congress
 * date) and /daihoi (report the result by fill-in form or guided dialog; nothing is saved until
 * «Xác nhận và lưu»). A filled-in form pasted without the command is taken too.
 *
 * Conversations (ConversationStore, so they survive a restart), kinds:
 *   dh-pick     waiting for the branch or round to act for: { action, payload, branch? }
 *   dh-dialog   the guided dialog: { branch, campaignId, dialog }
 *   dh-confirm  a valid report waiting for confirmation: { branch, campaignId, report, nonce }
 * Only these active steps keep a conversation: sending the blank form keeps none, so a person who
 * never sends it back is not held in this module (other modules leave others' conversations alone).
 *
 * Callback data: `dh:pb:<branch>` / `dh:pc:<campaign>` choose; `dh:dlg:<campaign>:<branch>`
 * start the dialog; `dh:a:<field>:<option>` answer by button; `dh:ok:<nonce>` confirm;
 * `dh:no` cancel any congress conversation.
 */
import { randomBytes } from 'node:crypto';
import type { InlineKeyboardButton } from '@telegraf/types';
import { Composer } from 'telegraf';
import { formatTerm } from '../src/domain/congress/campaign.js';
import type { CongressDialogState } from '../src/domain/congress/dialog.js';
import type { CongressReport } from '../src/domain/congress/report.js';
import { msg } from '../src/messages/index.js';
import type { BranchTarget, DialogTurn } from '../src/services/congress/index.js';
import type { BotContext } from '../src/telegram/context.js';
import { commandArgs, commandBody } from '../src/telegram/guards.js';
import { button, keyboard } from '../src/telegram/keyboards.js';

const m = msg.congress;

export const congress = new Composer<BotContext>();

/** Conversation kinds of this module; every congress kind starts with `dh-`. */
export const DH_KIND = {
  pick: 'dh-pick',
  dialog: 'dh-dialog',
  confirm: 'dh-confirm',
} as const;

type Action = 'lich' | 'blank' | 'form' | 'dialog';

interface PickState {
  action: Action;
  payload: string;
  branch?: string;
}
interface TargetState {
  branch: string;
  campaignId: string;
}
interface DialogConv extends TargetState {
  dialog: CongressDialogState;
}
interface ConfirmState extends TargetState {
  report: CongressReport;
  nonce: string;
}

const cancelButton = () => button(msg.common.buttonCancel, 'dh', 'no');

/** Removes the keyboard of the message whose button was pressed (it has done its job). */
async function closeButtons(ctx: BotContext): Promise<void> {
  await ctx
    .editMessageReplyMarkup(undefined)
    .catch((err: Error) => ctx.log.debug({ err: err.message }, 'could not remove the buttons'));
}

/** Forgets a pending branch or round question; another module's dialog is left alone. */
async function dropPick(ctx: BotContext): Promise<void> {
  const conv = await ctx.app.conversations.get(ctx.chat!.id, ctx.viewer.id);
  if (conv?.kind === DH_KIND.pick) await ctx.app.conversations.clear(ctx.chat!.id, ctx.viewer.id);
}

/**
 * Finds the branch and round for `action` (asking which when there are several, with the request
 * kept in a `dh-pick` conversation until a button is pressed), then runs it.
 */
async function proceed(
  ctx: BotContext,
  action: Action,
  payload: string,
  choice: { branch?: string; campaignId?: string } = {},
): Promise<void> {
  const chat = ctx.chat!.id;
  const user = ctx.viewer.id;
  const svc = ctx.app.congress;
  const r = await svc.branchTarget(ctx.viewer, choice);
  if (r.kind === 'refused') {
    await dropPick(ctx);
    await ctx.reply(r.text);
    return;
  }
  // A date that cannot be right is said before asking anything else.
  if (action === 'lich') {
    const error = svc.registrationArgsError(payload);
    if (error) {
      await ctx.reply(error);
      return;
    }
  }
  const now = ctx.app.clock.now();
  if (r.kind === 'chooseBranch') {
    await ctx.app.conversations.set<PickState>(chat, user, DH_KIND.pick, { action, payload }, now);
    await ctx.reply(m.chat.chooseBranch, {
      ...keyboard([...r.branches.map((b) => [button(b.name, 'dh', 'pb', b.code)]), [cancelButton()]]),
    });
    return;
  }
  if (r.kind === 'chooseCampaign') {
    const state: PickState = { action, payload, branch: r.branch.code };
    await ctx.app.conversations.set<PickState>(chat, user, DH_KIND.pick, state, now);
    await ctx.reply(m.chat.chooseCampaign, {
      ...keyboard([
        ...r.campaigns.map((c) => [
          button(m.chat.campaignButton(c.name, formatTerm(c.term)), 'dh', 'pc', c.id),
        ]),
        [cancelButton()],
      ]),
    });
    return;
  }
  await run(ctx, action, payload, r.target);
}

async function run(ctx: BotContext, action: Action, payload: string, target: BranchTarget): Promise<void> {
  const chat = ctx.chat!.id;
  const user = ctx.viewer.id;
  const conversations = ctx.app.conversations;
  const svc = ctx.app.congress;
  const where: TargetState = { branch: target.branch.code, campaignId: target.campaign.id };
  switch (action) {
    case 'lich': {
      await dropPick(ctx);
      const r = await svc.registerDate(ctx.viewer, target, payload);
      await ctx.reply(r.text);
      return;
    }
    case 'blank': {
      // A fresh /daihoi replaces an unfinished congress report of this person.
      const conv = await conversations.get(chat, user);
      if (conv?.kind.startsWith('dh-')) await conversations.clear(chat, user);
      await ctx.reply(m.chat.formIntro(target.branch.name, target.campaign.name));
      await ctx.reply(svc.blankForm(), {
        ...keyboard([[button(m.chat.buttonDialog, 'dh', 'dlg', target.campaign.id, target.branch.code)]]),
      });
      return;
    }
    case 'form': {
      const check = svc.checkForm(target, payload);
      if (!check.ok) {
        await dropPick(ctx);
        await ctx.reply(check.text, { parse_mode: 'HTML' });
        return;
      }
      await askToConfirm(ctx, where, check.report, check.text);
      return;
    }
    case 'dialog': {
      await showTurn(ctx, where, svc.startReportDialog(target));
      return;
    }
  }
}

/** Keeps the valid report aside and shows its card with «Xác nhận và lưu». */
async function askToConfirm(ctx: BotContext, where: TargetState, report: CongressReport, text: string) {
  // The nonce ties the button to this card: confirming an older card must not save a newer report.
  const nonce = randomBytes(6).toString('hex');
  await ctx.app.conversations.set<ConfirmState>(
    ctx.chat!.id,
    ctx.viewer.id,
    DH_KIND.confirm,
    { ...where, report, nonce },
    ctx.app.clock.now(),
  );
  await ctx.reply(text, {
    parse_mode: 'HTML',
    ...keyboard([[button(m.buttonConfirm, 'dh', 'ok', nonce)], [cancelButton()]]),
  });
}

/** One dialog turn: the next question with its buttons, the card to confirm, or the problems. */
async function showTurn(ctx: BotContext, where: TargetState, turn: DialogTurn): Promise<void> {
  const chat = ctx.chat!.id;
  const user = ctx.viewer.id;
  if (turn.kind === 'ask') {
    await ctx.app.conversations.set<DialogConv>(
      chat,
      user,
      DH_KIND.dialog,
      { ...where, dialog: turn.state },
      ctx.app.clock.now(),
    );
    const options: InlineKeyboardButton[] = turn.options.map((o, i) => button(o, 'dh', 'a', turn.field, i));
    await ctx.reply(turn.text, { ...keyboard([options, [cancelButton()]]) });
    return;
  }
  if (turn.kind === 'confirm') {
    await askToConfirm(ctx, where, turn.report, turn.text);
    return;
  }
  await ctx.app.conversations.clear(chat, user);
  await ctx.reply(turn.text, { parse_mode: 'HTML' });
}

/** The dialog takes one answer (typed, or a button's text). */
async function answerDialog(ctx: BotContext, conv: DialogConv, answer: string): Promise<void> {
  const where: TargetState = { branch: conv.branch, campaignId: conv.campaignId };
  const r = await ctx.app.congress.branchTarget(ctx.viewer, where);
  if (r.kind !== 'ok') {
    await ctx.app.conversations.clear(ctx.chat!.id, ctx.viewer.id);
    await ctx.reply(r.kind === 'refused' ? r.text : m.campaignNotFound);
    return;
  }
  await showTurn(ctx, where, ctx.app.congress.answerReportDialog(r.target, conv.dialog, answer));
}

congress.command('lich', async (ctx) => {
  await proceed(ctx, 'lich', commandArgs(ctx));
});

congress.command('daihoi', async (ctx) => {
  const body = commandBody(ctx);
  await proceed(ctx, body === '' ? 'blank' : 'form', body);
});

congress.action(/^dh:pb:(.+)$/, async (ctx) => {
  await ctx.answerCbQuery();
  const conv = await ctx.app.conversations.get<PickState>(ctx.chat!.id, ctx.viewer.id);
  if (conv?.kind !== DH_KIND.pick) {
    await ctx.reply(msg.common.buttonExpired);
    return;
  }
  await closeButtons(ctx);
  await proceed(ctx, conv.state.action, conv.state.payload, { branch: ctx.match[1] });
});

congress.action(/^dh:pc:(.+)$/, async (ctx) => {
  await ctx.answerCbQuery();
  const conv = await ctx.app.conversations.get<PickState>(ctx.chat!.id, ctx.viewer.id);
  if (conv?.kind !== DH_KIND.pick || conv.state.branch === undefined) {
    await ctx.reply(msg.common.buttonExpired);
    return;
  }
  await closeButtons(ctx);
  await proceed(ctx, conv.state.action, conv.state.payload, {
    branch: conv.state.branch,
    campaignId: ctx.match[1],
  });
});

congress.action(/^dh:dlg:([^:]+):(.+)$/, async (ctx) => {
  await ctx.answerCbQuery();
  await proceed(ctx, 'dialog', '', { campaignId: ctx.match[1], branch: ctx.match[2] });
});

congress.action(/^dh:a:([A-Za-z]+):(\d+)$/, async (ctx) => {
  const conv = await ctx.app.conversations.get<DialogConv>(ctx.chat!.id, ctx.viewer.id);
  const [, field = '', index = ''] = ctx.match;
  const answer = ctx.app.congress.dialogOption(field, Number(index));
  if (conv?.kind !== DH_KIND.dialog || answer === undefined) {
    await ctx.answerCbQuery(msg.common.buttonExpired);
    return;
  }
  if (conv.state.dialog.at !== field) {
    await ctx.answerCbQuery(m.chat.staleAnswer);
    return;
  }
  await ctx.answerCbQuery();
  await closeButtons(ctx);
  await answerDialog(ctx, conv.state, answer);
});

congress.action(/^dh:ok:([0-9a-f]+)$/, async (ctx) => {
  // Claimed atomically: a second press of the same button finds nothing to save.
  const conv = await ctx.app.conversations.claim<ConfirmState>(ctx.chat!.id, ctx.viewer.id, ctx.match[1]!);
  if (conv?.kind !== DH_KIND.confirm || conv.state.nonce !== ctx.match[1]) {
    await ctx.answerCbQuery(msg.common.buttonExpired);
    return;
  }
  await ctx.answerCbQuery();
  const { campaignId, branch, report } = conv.state;
  const r = await ctx.app.congress.saveReport(ctx.viewer, campaignId, branch, report);
  await closeButtons(ctx);
  await ctx.reply(r.text);
});

congress.action('dh:no', async (ctx) => {
  await ctx.answerCbQuery();
  const conv = await ctx.app.conversations.get(ctx.chat!.id, ctx.viewer.id);
  if (conv?.kind.startsWith('dh-')) await ctx.app.conversations.clear(ctx.chat!.id, ctx.viewer.id);
  await closeButtons(ctx);
  await ctx.reply(msg.common.cancelled);
});

congress.on('text', async (ctx, next) => {
  if (ctx.chat.type !== 'private' || ctx.message.text.startsWith('/')) return next();
  const text = ctx.message.text;
  const conv = await ctx.app.conversations.get<unknown>(ctx.chat.id, ctx.viewer.id);
  if (conv?.kind === DH_KIND.dialog) {
    await answerDialog(ctx, conv.state as DialogConv, text);
    return;
  }
  // Another module's dialog (or this module's campaign creation) owns the text.
  if (conv && (!conv.kind.startsWith('dh-') || conv.kind === 'dh-new')) return next();
  if (ctx.app.congress.isCongressForm(text)) {
    // A corrected form while a card waits goes to the same branch without asking again.
    const known = conv?.kind === DH_KIND.confirm ? (conv.state as TargetState) : undefined;
    await proceed(ctx, 'form', text, known ? { branch: known.branch, campaignId: known.campaignId } : {});
    return;
  }
  // A button is awaited: say so rather than "not understood".
  if (conv?.kind === DH_KIND.confirm) await ctx.reply(m.chat.pendingConfirm);
  else if (conv?.kind === DH_KIND.pick) await ctx.reply(m.chat.pendingChoice);
  else return next();
});
