/** /start [CODE] binds a person by invite; /help explains their commands; /huy cancels a dialog. */
import { Composer } from 'telegraf';
import { msg } from '../src/messages/index.js';
import type { BotContext } from '../src/telegram/context.js';

export const start = new Composer<BotContext>();

start.start(async (ctx) => {
  if (ctx.chat.type !== 'private') return;
  const code = ctx.payload.trim();
  if (code) {
    const r = await ctx.app.org.redeemInvite(code, ctx.from.id, {
      first_name: ctx.from.first_name,
      last_name: ctx.from.last_name,
      username: ctx.from.username,
    });
    await ctx.reply(r.text);
    return;
  }
  await ctx.reply(await ctx.app.org.greetingFor(ctx.viewer));
});

start.help(async (ctx) => {
  await ctx.reply(msg.help.forRoles(ctx.viewer.roles, msg.units.startNoCode), { parse_mode: 'HTML' });
});

start.command('huy', async (ctx) => {
  await ctx.app.conversations.clear(ctx.chat.id, ctx.from.id);
  await ctx.reply(msg.common.cancelled);
});
