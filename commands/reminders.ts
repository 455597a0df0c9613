/**
 * Reminders and summaries in chat.
 * - /tomtat (leaders, admins): the daily summary now, with its chart; `/tomtat tat_bieudo`,
 *   `/tomtat bat_bieudo` turn the chart of the daily summary off and on; `/tomtat gio 18:30`
 *   moves the leader's daily summary.
 * - /nhomlanhdao [MÃ] (admins, in a group): the group receives the daily summary of the scope
 *   (the whole tree without a code); `/nhomlanhdao xoa` stops it.
 * - /lichgui (admins): upcoming runs, the last ones, queue health and unreachable people.
 */
import { Composer, Input } from 'telegraf';
import { splitMessage } from '../src/domain/text.js';
import { foldVietnamese } from '../src/domain/vn.js';
import { msg } from '../src/messages/index.js';
import type { BotContext } from '../src/telegram/context.js';
import { commandArgs, replyLong, requireBound } from '../src/telegram/guards.js';

const m = msg.reminders;

export const reminderCommands = new Composer<BotContext>();

/** A word as typed, folded: "Tắt_biểu_đồ" → "tat_bieu_do" → "tatbieudo". */
const word = (text: string | undefined) => foldVietnamese(text ?? '').replace(/[\s_-]/g, '');

reminderCommands.command('tomtat', async (ctx) => {
  if (!(await requireBound(ctx))) return;
  const reminders = ctx.app.reminders;
  const [first, ...rest] = commandArgs(ctx).split(/\s+/).filter(Boolean);
  switch (word(first)) {
    case '': {
      const summary = await reminders.summaryFor(ctx.viewer.id, ctx.app.clock.now());
      if (!summary) {
        await ctx.reply(m.tomtat.leaderOnly);
        return;
      }
      await replyLong(ctx, splitMessage(summary.text), { parse_mode: 'HTML' });
      if (summary.photo) {
        const png = Buffer.from(summary.photo.contentBase64, 'base64');
        await ctx.replyWithPhoto(
          Input.fromBuffer(png, summary.photo.filename),
          summary.photo.caption ? { caption: summary.photo.caption as string, parse_mode: 'HTML' } : {},
        );
      }
      return;
    }
    case 'tatbieudo':
      await ctx.reply((await reminders.setChart(ctx.viewer, false)).text);
      return;
    case 'batbieudo':
      await ctx.reply((await reminders.setChart(ctx.viewer, true)).text);
      return;
    case 'gio': {
      const r =
        rest.length === 0
          ? await reminders.describePreferences(ctx.viewer)
          : await reminders.setSummaryTime(ctx.viewer, rest.join(' '));
      await ctx.reply(r.ok && rest.length === 0 ? `${r.text}\n${m.tomtat.usage}` : r.text);
      return;
    }
    default:
      await ctx.reply(m.tomtat.usage);
  }
});

reminderCommands.command('nhomlanhdao', async (ctx) => {
  const chat = ctx.chat;
  const target = {
    id: chat.id,
    isGroup: chat.type === 'group' || chat.type === 'supergroup',
    ...('title' in chat ? { title: chat.title } : {}),
  };
  const [code] = commandArgs(ctx).split(/\s+/).filter(Boolean);
  const r =
    word(code) === 'xoa'
      ? await ctx.app.reminders.unregisterGroup(ctx.viewer, target)
      : await ctx.app.reminders.registerGroup(ctx.viewer, target, code);
  await ctx.reply(r.text);
});

reminderCommands.command('lichgui', async (ctx) => {
  const r = await ctx.app.reminders.adminOverview(ctx.viewer);
  await replyLong(ctx, splitMessage(r.text));
});
