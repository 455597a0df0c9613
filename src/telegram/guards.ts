/** Permission answers shared by the commands: say why, and how to get access. */
import { msg } from '../messages/index.js';
import type { BotContext } from './context.js';

/** True for admins; otherwise answers the person and returns false. */
export async function requireAdmin(ctx: BotContext): Promise<boolean> {
  if (ctx.app.org.isAdmin(ctx.viewer)) return true;
  await ctx.reply(ctx.viewer.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly);
  return false;
}

/** True for anyone with a role; otherwise tells an unbound person how to get access. */
export async function requireBound(ctx: BotContext): Promise<boolean> {
  if (ctx.viewer.roles.length > 0) return true;
  await ctx.reply(msg.units.noAccess);
  return false;
}

/** The words after the command: "/lich 15/09/2025 19:30" → "15/09/2025 19:30". */
export function commandArgs(ctx: BotContext): string {
  const text = ctx.message && 'text' in ctx.message ? ctx.message.text : '';
  const firstLine = text.split('\n')[0] ?? '';
  return firstLine.replace(/^\/\S+\s*/, '').trim();
}

/** Everything after the command's first line (a filled-in form sent with the command). */
export function commandBody(ctx: BotContext): string {
  const text = ctx.message && 'text' in ctx.message ? ctx.message.text : '';
  const lines = text.split('\n');
  const first = (lines[0] ?? '').replace(/^\/\S+\s*/, '');
  return [first, ...lines.slice(1)].join('\n').trim();
}

/** Sends a long text in pieces under Telegram's limit. */
export async function replyLong(
  ctx: BotContext,
  chunks: string[],
  extra: Parameters<BotContext['reply']>[1] = {},
) {
  for (const [i, chunk] of chunks.entries()) {
    await ctx.reply(chunk, i === chunks.length - 1 ? extra : { parse_mode: extra?.parse_mode });
  }
}
