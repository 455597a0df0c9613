/** Anything no other module took: point the person to /help. */
import { Composer } from 'telegraf';
import { msg } from '../src/messages/index.js';
import type { BotContext } from '../src/telegram/context.js';

export const fallback = new Composer<BotContext>();

fallback.on('message', async (ctx) => {
  if (ctx.chat.type !== 'private') return;
  await ctx.reply(msg.common.notUnderstood);
});

fallback.on('callback_query', async (ctx) => {
  await ctx.answerCbQuery(msg.common.buttonExpired);
});
