/**
 * Congress progress and approval for leaders and admins: /tiendo (the asker's scope; several
 * scopes or rounds → buttons; `/tiendo MÃ` for any unit in the asker's scope), drilling into a
 * child unit, and chuẩn y of a reported result
 * (from the report notification or from /tiendo).
 *
 * Callback data: `dh:tu:<unit>` progress of a scope (round still to pick),
 * `dh:td:<campaign>:<unit>` progress of a unit in a round, `dh:cy:<campaign>:<branch>` chuẩn y.
 */
import type { InlineKeyboardButton } from '@telegraf/types';
import { Composer } from 'telegraf';
import { formatTerm } from '../src/domain/congress/campaign.js';
import { msg } from '../src/messages/index.js';
import { congressCallback } from '../src/services/congress/index.js';
import type { BotContext } from '../src/telegram/context.js';
import { commandArgs, replyLong } from '../src/telegram/guards.js';
import { button, keyboard } from '../src/telegram/keyboards.js';

const m = msg.congress;

export const congressProgress = new Composer<BotContext>();

/** Buttons in rows of `n`. */
function rows(buttons: InlineKeyboardButton[], n: number): InlineKeyboardButton[][] {
  const out: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += n) out.push(buttons.slice(i, i + n));
  return out;
}

/** Starts /tiendo at a scope (or at the asker's own one). */
async function start(ctx: BotContext, unitCode?: string): Promise<void> {
  const r = await ctx.app.congress.progressStart(ctx.viewer, unitCode);
  switch (r.kind) {
    case 'refused':
      await ctx.reply(r.text);
      return;
    case 'chooseScope':
      await ctx.reply(m.chat.chooseScope, {
        ...keyboard(r.units.map((u) => [button(u.name, 'dh', 'tu', u.code)])),
      });
      return;
    case 'chooseCampaign':
      await ctx.reply(m.chat.chooseCampaign, {
        ...keyboard(
          r.options.map((o) => [
            {
              text: m.chat.campaignButton(o.campaign.name, formatTerm(o.campaign.term)),
              callback_data: congressCallback.progress(o.campaign.id, o.unit),
            },
          ]),
        ),
      });
      return;
    case 'ok':
      await show(ctx, r.campaignId, r.unit);
      return;
  }
}

/** The progress answer, split under Telegram's limit, buttons under the last piece. */
async function show(ctx: BotContext, campaignId: string, unitCode: string): Promise<void> {
  const r = await ctx.app.congress.progress(ctx.viewer, campaignId, unitCode);
  if (!r.ok) {
    await ctx.reply(r.text);
    return;
  }
  const link = (text: string, code: string): InlineKeyboardButton => ({
    text,
    callback_data: congressCallback.progress(campaignId, code),
  });
  const approve = (name: string, code: string): InlineKeyboardButton => ({
    text: m.chat.buttonApproveBranch(name),
    callback_data: congressCallback.approve(campaignId, code),
  });
  const buttons = [
    ...rows(
      r.drill.map((u) => link(u.name, u.code)),
      2,
    ),
    ...r.approvable.map((u) => [approve(u.name, u.code)]),
    ...(r.up ? [[link(m.chat.buttonUp(r.up.name), r.up.code)]] : []),
  ];
  await replyLong(ctx, r.chunks, { parse_mode: 'HTML', ...(buttons.length > 0 ? keyboard(buttons) : {}) });
}

/** `/tiendo` for the asker's own scope; `/tiendo MÃ` for any unit they may see. */
congressProgress.command('tiendo', async (ctx) => {
  const code = commandArgs(ctx).split(/\s+/)[0] ?? '';
  await start(ctx, code === '' ? undefined : code);
});

congressProgress.action(/^dh:tu:(.+)$/, async (ctx) => {
  await ctx.answerCbQuery();
  await start(ctx, ctx.match[1]);
});

congressProgress.action(/^dh:td:([^:]+):(.+)$/, async (ctx) => {
  await ctx.answerCbQuery();
  await show(ctx, ctx.match[1] ?? '', ctx.match[2] ?? '');
});

congressProgress.action(/^dh:cy:([^:]+):(.+)$/, async (ctx) => {
  await ctx.answerCbQuery();
  const r = await ctx.app.congress.approve(ctx.viewer, ctx.match[1] ?? '', ctx.match[2] ?? '');
  const message = ctx.callbackQuery.message;
  const markup = message && 'reply_markup' in message ? message.reply_markup : undefined;
  // A notification carries only this button; a /tiendo answer keeps its other buttons.
  if (r.ok && (markup?.inline_keyboard.flat().length ?? 0) === 1) {
    await ctx
      .editMessageReplyMarkup(undefined)
      .catch((err: Error) => ctx.log.debug({ err: err.message }, 'could not remove the button'));
  }
  await ctx.reply(r.text);
});
