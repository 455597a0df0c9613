/**
 * Middleware that wraps every update: claim it once, give it a logger, and never let an
 * error in a handler escape.
 */
import { randomBytes } from 'node:crypto';
import type { MiddlewareFn } from 'telegraf';
import { msg } from '../messages/index.js';
import type { UpdateClaims } from '../store/updates.js';
import type { BotContext } from './context.js';

/**
 * Handles each update once across crashes, restarts and instances. A busy claim means another
 * process is on it: wait until it is done (skip) or its lease lapses (take it over).
 */
export function handleOnce(claims: UpdateClaims): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const id = ctx.update.update_id;
    for (;;) {
      const state = await claims.claim(id);
      if (state === 'done') {
        ctx.log.debug('update already handled; skipped');
        return;
      }
      if (state === 'claimed') break;
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
    await claims.finish(id);
  };
}

/** A short reference a user can read out over the phone: 8 characters, no look-alikes. */
export function errorReference(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** A failing handler gets a short apology with a reference id; the log has the details under it. */
export function errorBoundary(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const ref = errorReference();
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
