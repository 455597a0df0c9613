import type { ChainableCommander } from 'ioredis';
import type { MiddlewareFn } from 'telegraf';
import { errorReference } from '../infra/errorReference.js';
import { msg } from '../messages/index.js';
import { parseReply, type SendBudget } from '../outbox/sendBudget.js';
import { RecipientUnreachableError } from '../outbox/types.js';
import type { MenuStore } from '../store/menus.js';
import type { UpdateClaims } from '../store/updates.js';
import type { BotContext } from './context.js';
import { bindReplyBudget, queueUnusedRelease, reserveAhead } from './replyBudget.js';
import { classifySendError } from './sender.js';

/**
 * Handles each update once across crashes, restarts and instances. A busy claim means another
 * process is on it: wait until it is done (skip) or its lease lapses (take it over). The claim
 * goes in one round trip with everything the update needs: the person, their roles, their open
 * dialog and the menu they were last given.
 */
export function handleOnce(
  claims: UpdateClaims,
  menus: MenuStore,
  budget?: SendBudget,
): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const id = ctx.update.update_id;
    const from = ctx.from;
    const chat = ctx.chat;
    // In a private chat a message is answered with a message: its send slot is taken in this
    // round trip (given back with the done marker if unused). A button press often only edits
    // or shows a toast, which take no slot: two are taken ahead for it only while the window has
    // room to spare, so presses never crowd out sends that are sure.
    const ahead =
      budget === undefined || chat?.type !== 'private' ? 0 : ctx.message ? 1 : ctx.callbackQuery ? 2 : 0;
    const onlyWithRoom = ctx.message === undefined;
    if (budget) bindReplyBudget(ctx.telegram, budget);
    const releaseUnused = (p: ChainableCommander) => queueUnusedRelease(ctx.telegram, p);
    let prefix = '';
    for (;;) {
      const { state, replies, readError } = await claims.claimWith(id, (p) => {
        if (from) {
          ctx.app.org.people.queueGet(p, from.id);
          menus.queueLastHash(p, from.id);
        }
        if (from && chat) ctx.app.conversations.queueGet(p, chat.id, from.id);
        if (ahead > 0) prefix = budget!.queueReplies(p, ahead, { onlyWithRoom });
      });
      if (ahead > 0) {
        const slot = replies[replies.length - 1];
        if (Array.isArray(slot)) reserveAhead(ctx.telegram, parseReply(prefix, slot));
        if (state !== 'claimed') claims.finishWith(undefined, releaseUnused);
      }
      if (state === 'done') {
        ctx.state.outcome = 'duplicate';
        ctx.log.debug('update already handled; skipped');
        return;
      }
      if (state === 'claimed' && readError) {
        ctx.viewer = { id: from?.id ?? 0, roles: [] };
        ctx.loaded = { person: undefined, conversation: undefined, menuHash: null, readError };
        break;
      }
      if (state === 'claimed') {
        const [hash, roleKeys, menuHash, conversation] = replies;
        const person = from ? ctx.app.org.people.fromReplies(from.id, hash, roleKeys) : undefined;
        ctx.viewer = { id: from?.id ?? 0, roles: person?.roles ?? [] };
        ctx.loaded = {
          person,
          menuHash: (menuHash as string | null | undefined) ?? null,
          conversation: ctx.app.conversations.parse(conversation),
        };
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const renew = setInterval(() => {
      claims.renew(id).catch(() => {});
    }, claims.leaseMs / 3);
    try {
      await next();
    } finally {
      clearInterval(renew);
    }
    claims.finishWith(id, releaseUnused);
  };
}

/**
 * A failing handler gets a short apology with a reference id; the log has the details under it.
 * An answer Telegram refuses because the chat is gone for the bot (blocked, deleted, left) is
 * not our failure, and an apology could not arrive either: it is logged as such, no more.
 */
export function errorBoundary(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    try {
      if (ctx.loaded?.readError) throw ctx.loaded.readError;
      await next();
    } catch (err) {
      if (classifySendError(err) instanceof RecipientUnreachableError) {
        ctx.state.outcome = 'unreachable';
        ctx.log.warn({ err: (err as Error).message }, 'the answer could not reach the chat');
        return;
      }
      const ref = errorReference();
      ctx.state.outcome = 'error';
      ctx.log.error({ err, ref }, 'handler failed');
      try {
        if (ctx.callbackQuery) await ctx.answerCbQuery().catch(() => {});
        if (ctx.chat) await ctx.reply(msg.common.apology(ref));
      } catch (replyErr) {
        ctx.log.warn({ err: replyErr, ref }, 'could not send the apology');
      }
    }
  };
}
