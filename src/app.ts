/**
 * Starts and stops the whole bot: Redis (embedded or external), the HTTP server, the sandbox
 * emulator when there is no token, telegraf in polling or webhook mode, and the job workers.
 * `main.ts` calls this for `npm start`; end-to-end tests call it in-process.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Update, UserFromGetMe } from '@telegraf/types';
import type { Redis } from 'ioredis';
import { Telegram } from 'telegraf';
import { buildRouter } from '../commands/index.js';
import type { Config } from './config.js';
import { type Clock, systemClock } from './infra/clock.js';
import { type HttpServer, type Route, sendJson, startHttpServer } from './infra/httpServer.js';
import { metrics } from './infra/metrics.js';
import { operatorRoutes } from './infra/operatorRoutes.js';
import { openConfiguredRedis } from './infra/redis.js';
import { retryInBackground, retryUntil } from './infra/retry.js';
import { countRoundTrips } from './infra/roundTrips.js';
import type { Logger } from './logger.js';
import { DeliveryStore } from './outbox/deliveries.js';
import { createOutboxQueue, Outbox, type OutboxQueue, ZALO_OUTBOX_QUEUE } from './outbox/outbox.js';
import { SendBudget } from './outbox/sendBudget.js';
import { composeListeners } from './outbox/types.js';
// The sandbox (emulator, web chat, demo data) loads only without a token: a real bot never needs it.
import type { BotApiEmulator } from './sandbox/emulator.js';
import type { SandboxHost } from './sandbox/host.js';
import type { ZaloEmulator } from './sandbox/zaloEmulator.js';
import { BOT_USERNAME_KEY } from './services/botIdentity.js';
import { buildServices, type Services } from './services/index.js';
import { ChannelStore } from './store/channels.js';
import { ChatTurns } from './store/chatTurns.js';
import { FileLinkStore } from './store/fileLinks.js';
import { UpdateInbox } from './store/inbox.js';
import { replicaAck } from './store/tx.js';
import { HEARTBEAT_INTERVAL_MS, UpdateClaims } from './store/updates.js';
import { ZaloOptionStore } from './store/zaloOptions.js';
import { createBot } from './telegram/bot.js';
import { ALLOWED_UPDATES, type Backlog, Poller } from './telegram/poller.js';
import { TelegrafSender } from './telegram/sender.js';
import { telegramDirectiveChannel } from './telegram/statusEditor.js';
import { closeTransport, installTransport } from './telegram/transport.js';
import { defaultWebhookSecret, handleInChatTurn, webhookRoute } from './telegram/webhook.js';
import { ZaloAdapter, ZaloPoller, zaloWebhookRoute } from './zalo/adapter.js';
import { ZaloApi } from './zalo/api.js';
import { FileLinks } from './zalo/links.js';
import { ZaloSender, zaloPace } from './zalo/sender.js';

/** The token the sandbox bot uses with the built-in emulator (never a real bot). */
export const SANDBOX_TOKEN = '1000000001:SANDBOX-local-emulator-token';
/** The token the sandbox bot uses with the emulator's Zalo side. */
export const SANDBOX_ZALO_TOKEN = '2000000001:SANDBOX-zalo-emulator-token';

export interface RunningApp {
  /** The HTTP server's base URL (health, sandbox page, webhook). */
  url: string;
  /** The emulator, in sandbox mode. */
  emulator: BotApiEmulator | undefined;
  /** The emulator's Zalo side, in sandbox mode (or the one a test passed). */
  zaloEmulator: ZaloEmulator | undefined;
  /** Where the sandbox page is under `url`: `/`, or a secret `/s-…/` with SANDBOX_PUBLIC=on. */
  sandboxPath: string | undefined;
  services: Services;
  /** Whether this process has handled the update (one of the last 2,048 it handled). */
  handled(updateId: number): boolean;
  /** How many Redis round trips handling the update took, if it was one counted (`roundTripsEvery`). */
  roundTrips(updateId: number): number | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  log: Logger;
  clock?: Clock;
  /** Tests pass an emulator of their own, already listening, with TELEGRAM_API_ROOT pointing at it. */
  emulator?: BotApiEmulator;
  /** Tests pass a Zalo emulator of their own, already listening, with ZALO_API_ROOT pointing at it. */
  zaloEmulator?: ZaloEmulator;
  /** Count the Redis round trips of one update in this many (default 16; tests count every one). */
  roundTripsEvery?: number;
  /** How the workers' modules load (tests make it fail, as a start cut short does). */
  loadWorkers?: typeof loadWorkers;
}

/** Loaded once updates flow, not with the bot: BullMQ and the jobs answer no update. */
async function loadWorkers() {
  const [{ startOutboxWorker }, { startBackgroundJobs }] = await Promise.all([
    import('../jobs/outbox.js'),
    import('../jobs/index.js'),
  ]);
  return { startOutboxWorker, startBackgroundJobs };
}

export async function startApp(config: Config, opts: StartOptions): Promise<RunningApp> {
  const { log } = opts;
  const stack: { name: string; stop: () => Promise<unknown> }[] = [];
  // In reverse order of starting, so Redis stops last; one log line per part.
  const stopAll = async () => {
    for (const s of stack.reverse()) {
      const started = Date.now();
      try {
        await s.stop();
        log.info({ part: s.name, ms: Date.now() - started }, 'stopped');
      } catch (err) {
        log.warn({ err, part: s.name }, 'error while stopping');
      }
    }
  };

  /**
   * The last updates handled, with their round trips when counted (-1: not counted), in a ring:
   * a Map trimmed at every update would rebuild its table in the old generation now and then,
   * garbage that only a full collection clears.
   */
  const HANDLED_KEPT = 2_048;
  const handledIds = new Float64Array(HANDLED_KEPT).fill(Number.NaN);
  const handledTrips = new Int32Array(HANDLED_KEPT);
  let handledNext = 0;
  const handledAt = (updateId: number) => handledIds.indexOf(updateId);
  const countEvery = opts.roundTripsEvery ?? 16;
  // The pollers go on the stack last, when the start is done or has failed, so they stop first:
  // an update in hand finishes before what it uses stops.
  let stopPoller: (() => Promise<void>) | undefined;
  let stopZaloPoller: (() => Promise<void>) | undefined;
  const stackPollers = () => {
    if (stopZaloPoller) stack.push({ name: 'zalo poller', stop: stopZaloPoller });
    if (stopPoller) stack.push({ name: 'poller', stop: stopPoller });
    stopPoller = stopZaloPoller = undefined;
  };
  try {
    // Redis first: nothing works without it. The bot owns an embedded server, even one it
    // found still running after a crash, and stops it on shutdown.
    const { redis, target: redisTarget, close: closeRedis } = await openConfiguredRedis(config, log);
    stack.push({ name: 'redis', stop: closeRedis });
    // Before anything is written: the sandbox never runs on a real deployment's data.
    if (config.sandbox) {
      const { useSandboxDatabase } = await import('./sandbox/database.js');
      await useSandboxDatabase(redis, (opts.clock ?? systemClock).now());
    }
    // The outbox queue is made (and BullMQ loaded) when the first message is queued or the
    // workers start, after the first getUpdates: answering most updates queues nothing.
    let outboxQueue: OutboxQueue | undefined;
    const telegramQueue = () => (outboxQueue ??= createOutboxQueue(redisTarget));
    stack.push({ name: 'outbox queue', stop: async () => outboxQueue?.close() });

    // In sandbox mode the emulator lives on our own HTTP server, so the API root is known only
    // once the server listens.
    const ownEmulator = config.sandbox && !opts.emulator;
    const emulator = ownEmulator
      ? new (await import('./sandbox/emulator.js')).BotApiEmulator({
          fileDir: path.join(config.dataDir, 'sandbox-files'),
        })
      : opts.emulator;
    if (ownEmulator && emulator) stack.push({ name: 'emulator', stop: () => emulator.close() });
    // The Zalo side of the sandbox: the same server, its own root (`/zalo`).
    const ownZaloEmulator =
      !!config.zalo && config.zalo.token === undefined && !opts.zaloEmulator && ownEmulator;
    const zaloEmulator = ownZaloEmulator
      ? new (await import('./sandbox/zaloEmulator.js')).ZaloEmulator()
      : opts.zaloEmulator;
    if (ownZaloEmulator && zaloEmulator)
      stack.push({ name: 'zalo emulator', stop: () => zaloEmulator.close() });
    let handleZalo: (event: unknown) => Promise<unknown> = async () => {
      throw new Error('bot not ready');
    };
    let httpUrl = '';
    const publicUrl = () => config.publicUrl ?? httpUrl;
    const clockForLinks = opts.clock ?? systemClock;
    const links = new FileLinks(new FileLinkStore(redis), publicUrl, clockForLinks);
    let handleUpdate: (u: Update) => Promise<void> = async () => {
      throw new Error('bot not ready');
    };
    let backlog: () => Backlog | undefined = () => undefined;
    const deliveries = new DeliveryStore(redis);
    const operator = await operatorRoutes({
      adminUiToken: config.adminUiToken,
      outboxDepth: () =>
        telegramQueue().getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'failed'),
      unreachable: () => deliveries.countUnreachable(),
      queues: async () => (await import('../jobs/index.js')).boardQueues(redisTarget),
    });
    stack.push({ name: 'metrics and queue page', stop: operator.stop });
    const routes: Route[] = [healthRoute(redis, () => backlog()), ...operator.routes, links.route()];
    // ROLE=bot answers updates, ROLE=worker sends the outbox and runs the schedules; all does both.
    const answersUpdates = config.role !== 'worker';
    const runsWorkers = config.role !== 'bot';
    if (config.zalo?.webhookUrl && config.zalo.webhookSecret && answersUpdates) {
      routes.push(
        zaloWebhookRoute(new URL(config.zalo.webhookUrl).pathname, config.zalo.webhookSecret, {
          handle: (e) => handleZalo(e) as never,
        }),
      );
    }
    let handleWebhook: (u: Update) => Promise<void> = (u) => handleUpdate(u);
    if (config.webhookUrl && answersUpdates) {
      const secret = config.webhookSecret ?? defaultWebhookSecret(config.botToken ?? SANDBOX_TOKEN);
      routes.push(webhookRoute(new URL(config.webhookUrl).pathname, secret, (u) => handleWebhook(u)));
    }
    let sandbox: SandboxHost | undefined;
    if (ownEmulator && emulator) {
      const { sandboxHost } = await import('./sandbox/host.js');
      sandbox = sandboxHost(emulator, {
        public: config.sandboxPublic,
        ...(ownZaloEmulator && zaloEmulator ? { zalo: zaloEmulator } : {}),
      });
      routes.push(...sandbox.routes);
    }
    const http: HttpServer = await startHttpServer({ port: config.port, host: config.host, routes, log });
    stack.push({ name: 'http', stop: () => http.close() });
    httpUrl = http.url;

    const token = config.botToken ?? SANDBOX_TOKEN;
    // telegraf resolves `./bot<token>/<method>` against the root: keep the trailing slash.
    const apiRoot = sandbox ? `${http.url}${sandbox.path}` : config.telegramApiRoot;
    // A Zalo-only deployment (Telegram blocked where it runs) never calls Telegram.
    let botInfo: UserFromGetMe | undefined;
    if (config.telegram) {
      installTransport();
      stack.push({ name: 'telegram connections', stop: closeTransport });
      const telegram = new Telegram(token, { apiRoot, webhookReply: false });
      botInfo = await retryUntil('getMe', () => telegram.getMe(), log);
      await redis.set(BOT_USERNAME_KEY, botInfo.username);
    }

    const clock = opts.clock ?? systemClock;
    const channels = new ChannelStore(redis);
    let zaloQueue: OutboxQueue | undefined;
    const zaloOutboxQueue = () => (zaloQueue ??= createOutboxQueue(redisTarget, ZALO_OUTBOX_QUEUE));
    if (config.zalo) stack.push({ name: 'zalo outbox queue', stop: async () => zaloQueue?.close() });
    const outbox = new Outbox(telegramQueue, {
      clock,
      quietHours: config.quietHours,
      timezone: config.timezone,
      deliveries,
      replicas: replicaAck(redis),
      ...(config.zalo ? { channels: { zalo: zaloOutboxQueue, route: (ids) => channels.routes(ids) } } : {}),
    });
    const services: Services = buildServices({
      config,
      log,
      clock,
      botUsername: botInfo?.username ?? '',
      redis,
      outbox,
    });
    const owner = `${process.pid}-${randomBytes(6).toString('hex')}`;
    // Telegram's update claims; its heartbeat keeps this process's claims on every channel alive.
    const claims = new UpdateClaims(redis, botInfo?.id ?? 'telegram-off', owner, undefined, log);
    await claims.heartbeat();
    const heartbeat = setInterval(() => claims.heartbeat().catch(() => {}), HEARTBEAT_INTERVAL_MS);
    stack.push({
      name: 'heartbeat',
      stop: async () => {
        clearInterval(heartbeat);
        await claims.retire().catch(() => {});
      },
    });
    // One send budget for every message, replies and outbox, across processes.
    const budget = new SendBudget(redis, config.sendBudget);
    const bot = botInfo ? createBot({ token, apiRoot, botInfo, services, claims, budget }) : undefined;
    if (bot && botInfo) {
      // Behind a load balancer the updates of one chat may reach different instances: each is
      // handled in its chat's turn, held in Redis, so never two at once and in update_id order.
      const turns = new ChatTurns(redis, botInfo.id, owner);
      handleWebhook = (u) => handleInChatTurn(turns, u, handleUpdate);
      // Round trips are counted on a sample of updates: counting follows the async context,
      // which every promise pays for while it is on (`src/infra/roundTrips.ts`).
      let sinceCounted = 0;
      handleUpdate = async (u) => {
        let roundTrips: number | undefined;
        if (++sinceCounted >= countEvery) {
          sinceCounted = 0;
          ({ roundTrips } = await countRoundTrips(() => bot.handleUpdate(u)));
          metrics.redisRoundTrips(roundTrips);
        } else await bot.handleUpdate(u);
        handledIds[handledNext] = u.update_id;
        handledTrips[handledNext] = roundTrips ?? -1;
        handledNext = (handledNext + 1) % HANDLED_KEPT;
      };
      services.directives.useChannel(telegramDirectiveChannel(bot.telegram, budget));
    }

    // Zalo, when configured: its API client now, its receiving below with Telegram's, its outbox
    // with the workers.
    let zalo: { api: ZaloApi; options: ZaloOptionStore; outboxRate: number } | undefined;
    if (config.zalo) {
      const zaloToken = config.zalo.token ?? SANDBOX_ZALO_TOKEN;
      const zaloRoot =
        ownZaloEmulator && sandbox
          ? `${http.url}${sandbox.path.replace(/\/$/, '')}${(await import('./sandbox/zaloEmulator.js')).ZALO_EMULATOR_PATH}`
          : config.zalo.apiRoot;
      const api = new ZaloApi(zaloToken, zaloRoot);
      const zaloInfo = await retryUntil('Zalo getMe', () => api.getMe(), log);
      const options = new ZaloOptionStore(redis);
      zalo = { api, options, outboxRate: config.zalo.outboxRate };
      if (answersUpdates) {
        const adapter = new ZaloAdapter({
          api,
          services,
          router: buildRouter(),
          claims: new UpdateClaims(redis, `zalo${zaloInfo.id}`, owner),
          options,
          channels,
          links,
          log: log.child({ channel: 'zalo' }),
        });
        handleZalo = (e) => adapter.handle(e);
        if (config.zalo.webhookUrl && config.zalo.webhookSecret) {
          const { webhookUrl, webhookSecret } = config.zalo;
          const zaloBackground = new AbortController();
          stack.push({ name: 'zalo background retries', stop: async () => zaloBackground.abort() });
          retryInBackground(
            'Zalo setWebhook',
            () => api.setWebhook(webhookUrl, webhookSecret),
            log,
            zaloBackground.signal,
          );
          log.info({ webhook: webhookUrl }, 'Zalo webhook mode');
        } else {
          await retryUntil('Zalo deleteWebhook', () => api.deleteWebhook(), log);
          const poller = new ZaloPoller(api, adapter, log.child({ channel: 'zalo' }));
          poller.start();
          stopZaloPoller = () => poller.stop();
          log.info('Zalo long polling');
        }
      }
    }
    const background = new AbortController();
    stack.push({ name: 'background retries', stop: async () => background.abort() });
    if (answersUpdates && bot)
      retryInBackground('setMyCommands', () => setDefaultMenu(bot.telegram), log, background.signal);

    if (ownEmulator && emulator) {
      const { addDemoPeople, loadDemo } = await import('./sandbox/demo.js');
      const loaded = config.sandboxDemo
        ? await loadDemo(redis, { now: clock.now(), timezone: config.timezone, log })
        : false;
      addDemoPeople(emulator, loaded);
      // Each demo person can also be opened as a Zalo user (`d<id>`): the same person.
      if (ownZaloEmulator && zaloEmulator) {
        for (const u of emulator.users()) {
          const zaloId = `d${u.id}`;
          const name = [u.first_name, u.last_name].filter(Boolean).join(' ');
          zaloEmulator.addUser({ id: zaloId, display_name: name });
          await channels.attachZalo(u.id, { id: zaloId, chat: zaloId, name });
        }
      }
    }

    if (!answersUpdates) {
      log.info({ role: config.role }, 'worker only: no updates handled here');
    } else if (!bot) {
      log.info('Telegram off (no BOT_TOKEN): Zalo only');
    } else if (config.webhookUrl) {
      const secret = config.webhookSecret ?? defaultWebhookSecret(token);
      retryInBackground(
        'setWebhook',
        () =>
          bot.telegram.setWebhook(config.webhookUrl!, {
            secret_token: secret,
            allowed_updates: [...ALLOWED_UPDATES],
          }),
        log,
        background.signal,
      );
      log.info({ webhook: config.webhookUrl }, 'webhook mode');
    } else {
      await retryUntil('deleteWebhook', () => bot.telegram.deleteWebhook(), log);
      const inbox = new UpdateInbox<Update>(redis, claims, bot.botInfo!.id, log);
      const poller = new Poller(bot.telegram, inbox, handleUpdate, log);
      poller.start();
      backlog = () => poller.backlog();
      stopPoller = () => poller.stop();
      log.info({ apiRoot }, 'long polling');
    }

    // The workers start once updates flow: a person waits for nothing they do. The poller still
    // stops first (it is pushed last), so an update in hand can queue its messages.
    if (runsWorkers) {
      const { startOutboxWorker, startBackgroundJobs } = await (opts.loadWorkers ?? loadWorkers)();
      // The one outbox: every message the bot starts itself is sent from here.
      if (bot) {
        const outboxWorker = startOutboxWorker({
          connection: redisTarget,
          sender: new TelegrafSender(bot.telegram),
          listener: composeListeners(deliveries, services.org.reachability()),
          rate: config.outboxRate,
          budget: config.sendBudget,
          log,
          clock,
        });
        stack.push({ name: 'outbox worker', stop: () => outboxWorker.close() });
      }
      if (zalo) {
        const zaloWorker = startOutboxWorker({
          connection: redisTarget,
          sender: new ZaloSender({ api: zalo.api, links, timezone: config.timezone }, zalo.options, channels),
          listener: composeListeners(deliveries, services.org.reachability()),
          rate: zalo.outboxRate,
          paceRate: zaloPace(zalo.outboxRate),
          queueName: ZALO_OUTBOX_QUEUE,
          pacePrefix: 'cb:outbox:zalo',
          log: log.child({ channel: 'zalo' }),
          clock,
        });
        stack.push({ name: 'zalo outbox worker', stop: () => zaloWorker.close() });
      }
      const jobs = await startBackgroundJobs({ redisTarget, config, services, log, clock });
      stack.push({ name: 'jobs', stop: () => jobs.close() });
    }

    // Polling: now the metrics' library (not needed to answer anything) may load.
    metrics.load();
    stackPollers();

    return {
      url: http.url,
      emulator,
      zaloEmulator,
      sandboxPath: sandbox?.path,
      services,
      handled: (updateId) => handledAt(updateId) >= 0,
      roundTrips: (updateId) => {
        const trips = handledTrips[handledAt(updateId)] ?? -1;
        return trips >= 0 ? trips : undefined;
      },
      stop: stopAll,
    };
  } catch (err) {
    stackPollers();
    await stopAll();
    throw err;
  }
}

/**
 * `/healthz`: 200 while Redis answers. `/healthz?detail` adds, with long polling, the updates
 * waiting and in hand.
 */
function healthRoute(redis: Redis, backlog: () => Backlog | undefined): Route {
  return async (req, res) => {
    const [path, query = ''] = (req.url ?? '').split('?');
    if (req.method !== 'GET' || path !== '/healthz') return false;
    const ok = await Promise.race([
      redis.ping().then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 1_000)),
    ]).catch(() => false);
    const waiting = new URLSearchParams(query).has('detail') ? backlog() : undefined;
    sendJson(res, ok ? 200 : 503, {
      status: ok ? 'ok' : 'degraded',
      redis: ok ? 'up' : 'down',
      ...(waiting ? { backlog: waiting } : {}),
    });
    return true;
  };
}

async function setDefaultMenu(telegram: Telegram): Promise<void> {
  const { msg } = await import('./messages/index.js');
  await telegram.setMyCommands([...msg.common.defaultMenu]);
}
