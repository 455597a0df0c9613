/**
 * Monthly branch meetings in chat: /sinhhoat (report by form or guided dialog, saved on
 * «Xác nhận»), /sinhhoat_tiendo [MM/YYYY] (compliance of the person's scope) and
 * /caidat_sinhhoat (the meeting calendar, admins). Plain text goes to the meeting dialog only
 * while it is open, or when it is a filled-in meeting form pasted without the command.
 *
 * Callback data (`sh:<action>:<args>`): `b:<branch>` choose a branch, `d:<branch>` start the
 * dialog, `a:<step>:<value>` answer by button, `ok:<token>` confirm, `e[:<field>]` revise,
 * `x` cancel, `p:<scope>[:<YYYY-MM>]` progress of a scope.
 */
import type { InlineKeyboardButton } from '@telegraf/types';
import { Composer } from 'telegraf';
import { MEETING_FIELD_KEYS, type MeetingFieldKey } from '../src/domain/meetings/report.js';
import { msg } from '../src/messages/index.js';
import type { MeetingAction, MeetingButton, MeetingReply } from '../src/services/meetings/index.js';
import type { BotContext } from '../src/telegram/context.js';
import { commandArgs, commandBody } from '../src/telegram/guards.js';
import { button, keyboard } from '../src/telegram/keyboards.js';

export const meetings = new Composer<BotContext>();

/** Fields travel as their index in the form, to keep callback data short. */
const fieldAt = (index: string | undefined): MeetingFieldKey | undefined =>
  index === undefined ? undefined : MEETING_FIELD_KEYS[Number(index)];

function encode(action: MeetingAction): (string | number)[] {
  switch (action.kind) {
    case 'branch':
      return ['sh', 'b', action.branch];
    case 'dialog':
      return ['sh', 'd', action.branch];
    case 'answer':
      return ['sh', 'a', MEETING_FIELD_KEYS.indexOf(action.step), action.value];
    case 'confirm':
      return ['sh', 'ok', action.token];
    case 'revise':
      return action.field === undefined ? ['sh', 'e'] : ['sh', 'e', MEETING_FIELD_KEYS.indexOf(action.field)];
    case 'cancel':
      return ['sh', 'x'];
    case 'progress':
      return action.month === undefined ? ['sh', 'p', action.scope] : ['sh', 'p', action.scope, action.month];
  }
}

/** The action a button's data stands for, or undefined for data this module never made. */
export function decodeMeetingAction(data: string): MeetingAction | undefined {
  const [area, kind, ...args] = data.split(':');
  if (area !== 'sh') return undefined;
  const [first, second] = args;
  switch (kind) {
    case 'b':
      return first ? { kind: 'branch', branch: first } : undefined;
    case 'd':
      return first ? { kind: 'dialog', branch: first } : undefined;
    case 'a': {
      const step = fieldAt(first);
      // The value is everything after the step, so it may itself hold a ':'.
      return step ? { kind: 'answer', step, value: args.slice(1).join(':') } : undefined;
    }
    case 'ok':
      return first ? { kind: 'confirm', token: first } : undefined;
    case 'e': {
      if (first === undefined) return { kind: 'revise' };
      const field = fieldAt(first);
      return field ? { kind: 'revise', field } : undefined;
    }
    case 'x':
      return { kind: 'cancel' };
    case 'p':
      if (!first) return undefined;
      return second ? { kind: 'progress', scope: first, month: second } : { kind: 'progress', scope: first };
    default:
      return undefined;
  }
}

function markup(rows: MeetingButton[][] | undefined): ReturnType<typeof keyboard> | Record<string, never> {
  if (!rows || rows.length === 0) return {};
  return keyboard(
    rows.map((row): InlineKeyboardButton[] => row.map((b) => button(b.label, ...encode(b.action)))),
  );
}

async function send(ctx: BotContext, replies: readonly MeetingReply[]): Promise<void> {
  for (const r of replies) {
    await ctx.reply(r.text, { ...(r.html ? { parse_mode: 'HTML' as const } : {}), ...markup(r.buttons) });
  }
}

meetings.command('sinhhoat', async (ctx) => {
  if (ctx.chat.type !== 'private') {
    await ctx.reply(msg.meetings.access.privateOnly);
    return;
  }
  await send(ctx, await ctx.app.meetings.start(ctx.viewer, ctx.chat.id, commandBody(ctx)));
});

meetings.command('sinhhoat_tiendo', async (ctx) => {
  await send(ctx, await ctx.app.meetings.progress(ctx.viewer, commandArgs(ctx)));
});

meetings.command('caidat_sinhhoat', async (ctx) => {
  const r = await ctx.app.meetings.configure(ctx.viewer, commandArgs(ctx));
  await ctx.reply(r.text);
});

meetings.action(/^sh:/, async (ctx) => {
  const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : '';
  const action = decodeMeetingAction(data);
  const chatId = ctx.chat?.id;
  if (!action || chatId === undefined) {
    await ctx.answerCbQuery(msg.common.buttonExpired);
    return;
  }
  const outcome = await ctx.app.meetings.act(ctx.viewer, chatId, action);
  await ctx.answerCbQuery(outcome.toast);
  if (outcome.closeButtons)
    await ctx
      .editMessageReplyMarkup(undefined)
      .catch((err: Error) => ctx.log.debug({ err: err.message }, 'could not remove the buttons'));
  await send(ctx, outcome.replies);
});

meetings.on('text', async (ctx, next) => {
  // Commands belong to their handlers, also those of modules registered after this one.
  if (ctx.chat.type !== 'private' || ctx.message.text.startsWith('/')) return next();
  const replies = await ctx.app.meetings.receiveText(ctx.viewer, ctx.chat.id, ctx.message.text);
  if (!replies) return next();
  await send(ctx, replies);
});
