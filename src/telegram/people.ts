/**
 * Who is asking: loads the person's roles for every update, keeps their Telegram name on file,
 * and keeps their own command menu in step with their roles.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareFn } from 'telegraf';
import type { Role } from '../domain/units.js';
import { msg } from '../messages/index.js';
import type { MenuStore } from '../store/menus.js';
import type { BotContext } from './context.js';

export function loadViewer(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const from = ctx.from;
    const person = ctx.loaded?.person;
    if (!from || !person || ctx.viewer.roles.length === 0) return next();
    // Someone who also uses Zalo: the bot writes first where they last wrote.
    if (ctx.chat?.type === 'private') await ctx.app.people.wroteFrom(person, 'telegram');
    const profile = { first_name: from.first_name, last_name: from.last_name, username: from.username };
    const member = ctx.myChatMember;
    // Telegram tells the bot at once when a person blocks it (kicked) or comes back (member);
    // anything else the person does means they can be reached.
    if (member?.chat.type === 'private' && member.new_chat_member.status === 'kicked') {
      await ctx.app.org.blocked(from.id);
    } else {
      const renamed =
        (person.firstName ?? '') !== profile.first_name ||
        (person.lastName ?? '') !== (profile.last_name ?? '') ||
        (person.username ?? '') !== (profile.username ?? '');
      // Written only when something changed: most updates write nothing here.
      if (renamed || person.unreachable)
        await ctx.app.org.touch(from.id, profile, { renamed, unreachable: !!person.unreachable });
    }
    return next();
  };
}

type Menu = ReturnType<typeof msg.help.menuFor>;

/** Menus and their hashes by the kinds of role they are made from: a handful of sets recur. */
const menus = new Map<string, { menu: Menu; hash: string }>();

/** The menu `roles` call for and its hash, worked out once per set of role kinds. */
function menuOf(roles: readonly Role[]): { menu: Menu; hash: string } {
  const key = [...new Set(roles.map((r) => r.kind))].sort().join(',');
  let known = menus.get(key);
  if (!known) {
    const menu = msg.help.menuFor(roles);
    known = { menu, hash: createHash('sha1').update(JSON.stringify(menu)).digest('hex') };
    menus.set(key, known);
  }
  return known;
}

/**
 * After the handler, give the person the menu their roles call for. The roles are those read
 * with the claim, unless the handler changed them (an invite redeemed), then read again.
 */
export function syncMenu(menus: MenuStore): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    await next();
    if (!ctx.from || ctx.chat?.type !== 'private') return;
    const roles = ctx.state.rolesChanged
      ? await ctx.app.org.viewer(ctx.from.id).then((v) => v.roles)
      : ctx.viewer.roles;
    const { menu, hash } = menuOf(roles);
    if (ctx.loaded?.menuHash === hash) return;
    try {
      await ctx.telegram.setMyCommands(menu, { scope: { type: 'chat', chat_id: ctx.chat.id } });
      await menus.remember(ctx.from.id, hash);
    } catch (err) {
      // Non-essential: the next update tries again.
      ctx.log.warn({ err: (err as Error).message }, 'could not set the person’s menu');
    }
  };
}
