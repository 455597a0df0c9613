/**
 * The telegraf instance: middleware order matters. Every update is claimed once, given a
 * logger, and wrapped in the error boundary before any command sees it.
 */
import type { UserFromGetMe } from '@telegraf/types';
import { Telegraf } from 'telegraf';
import { buildRouter } from '../../commands/index.js';
import { metrics } from '../infra/metrics.js';
import type { SendBudget } from '../outbox/sendBudget.js';
import type { Services } from '../services/index.js';
import { MenuStore } from '../store/menus.js';
import type { UpdateClaims } from '../store/updates.js';
import { routeUpdates } from './adapter.js';
import type { BotContext } from './context.js';
import { errorBoundary, handleOnce } from './middleware.js';
import { loadViewer, syncMenu } from './people.js';
import { updateChatKey } from './poller.js';
import { sendWaitMs } from './replyBudget.js';

export function createBot(opts: {
  token: string;
  apiRoot: string;
  botInfo: UserFromGetMe;
  services: Services;
  claims: UpdateClaims;
  /** The send budget replies draw from. */
  budget?: SendBudget;
}): Telegraf<BotContext> {
  const bot = new Telegraf<BotContext>(opts.token, {
    telegram: { apiRoot: opts.apiRoot, webhookReply: false },
    // The poller awaits each handler itself; telegraf's timeout would let a batch be confirmed
    // while its handler still waits on Redis.
    handlerTimeout: Number.POSITIVE_INFINITY,
  });
  bot.botInfo = opts.botInfo;
  bot.use(async (ctx, next) => {
    ctx.app = opts.services;
    ctx.log = opts.services.log.child({ update_id: ctx.update.update_id });
    const started = performance.now();
    const startedAt = Date.now();
    await next();
    const ms = performance.now() - started;
    const outcome = ctx.state.outcome ?? 'ok';
    metrics.updateHandled(outcome, ms, sendWaitMs(ctx.telegram));
    // One line per update at debug level: which chat, when, how long (multi-instance tests read it).
    ctx.log.debug({ chat: updateChatKey(ctx.update), startedAt, ms, outcome }, 'update handled');
  });
  const menus = new MenuStore(opts.services.redis);
  bot.use(handleOnce(opts.claims, menus, opts.budget));
  bot.use(errorBoundary());
  bot.use(syncMenu(menus));
  bot.use(loadViewer());
  bot.use(routeUpdates(buildRouter()));
  bot.catch((err, ctx) => {
    // Only reachable if the boundary itself throws; keep the process alive.
    opts.services.log.error({ err, update_id: ctx.update.update_id }, 'unhandled error');
  });
  return bot;
}
