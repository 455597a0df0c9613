/**
 * `npm run cli -- <command> …`: administration from the server, with the same rules as chat.
 * Uses REDIS_URL, or the embedded Redis in DATA_DIR (joining the bot's if it is running).
 * Results go to stdout; logs and errors to stderr.
 */
import { type CliContext, UsageError } from './cli/context.js';
import { cliCommands } from './cli/index.js';
import { ConfigError, loadEnv, parseConfig } from './config.js';
import { systemClock } from './infra/clock.js';
import { openConfiguredRedis } from './infra/redis.js';
import { createLogger } from './logger.js';
import { DeliveryStore } from './outbox/deliveries.js';
import { createOutboxQueue, Outbox, ZALO_OUTBOX_QUEUE } from './outbox/outbox.js';
import { BOT_USERNAME_KEY, SANDBOX_BOT_USERNAME } from './services/botIdentity.js';
import { buildServices } from './services/index.js';
import { ChannelStore } from './store/channels.js';
import { replicaAck } from './store/tx.js';
import { telegramBotUsername } from './telegram/identity.js';

function usage(): string {
  return [
    'Usage: npm run cli -- <command>',
    '',
    ...cliCommands.flatMap((c) => c.usage.map((u) => `  ${u}`)),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = cliCommands.find((c) => c.name === name);
  if (!command || args.includes('--help')) {
    process.stderr.write(`${usage()}\n`);
    return name && !args.includes('--help') ? 2 : 0;
  }
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(loadEnv());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr, config.logFormat);
  const { redis, target, close } = await openConfiguredRedis(config, log);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  if ('raw' in command) {
    try {
      return await command.run(args, { redis, config, out, err });
    } catch (e) {
      if (e instanceof UsageError) {
        process.stderr.write(`${e.message}\n\n${usage()}\n`);
        return 2;
      }
      throw e;
    } finally {
      await close();
    }
  }
  const queue = createOutboxQueue(target);
  // What the CLI starts (a campaign's notices, a directive) reaches people on Zalo as the bot's would.
  const zaloQueue = config.zalo ? createOutboxQueue(target, ZALO_OUTBOX_QUEUE) : undefined;
  const channels = new ChannelStore(redis);
  try {
    let botUsername = await redis.get(BOT_USERNAME_KEY);
    if (!botUsername && config.botToken) {
      botUsername = await telegramBotUsername(config.botToken, config.telegramApiRoot);
    }
    const outbox = new Outbox(queue, {
      clock: systemClock,
      quietHours: config.quietHours,
      timezone: config.timezone,
      deliveries: new DeliveryStore(redis),
      replicas: replicaAck(redis),
      ...(zaloQueue ? { channels: { zalo: zaloQueue, route: (ids) => channels.routes(ids) } } : {}),
    });
    const services = buildServices({
      config,
      log,
      clock: systemClock,
      // Without Telegram (Zalo only) invites carry no link: the code is sent to the bot on Zalo.
      botUsername: config.telegram ? (botUsername ?? SANDBOX_BOT_USERNAME) : '',
      redis,
      outbox,
    });
    const ctx: CliContext = { services, out, err };
    return await command.run(args, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${usage()}\n`);
      return 2;
    }
    throw err;
  } finally {
    await queue.close();
    await zaloQueue?.close();
    await close();
  }
}

/**
 * Resolves once everything written to `stream` has reached the OS. On a pipe, Node writes in
 * the background: exiting before then drops what a slow reader has not yet taken, silently.
 * A reader that went away (EPIPE, e.g. `| head`) counts as done.
 */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableLength === 0) return resolve();
    stream.once('error', () => resolve());
    stream.write('', () => resolve());
  });
}

/** Exits with `code` once stdout and stderr are flushed (process.exit cuts both short). */
async function finish(code: number): Promise<void> {
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  // Queues and connections are closed; whatever timer a library left must not keep us here.
  process.exit();
}

main(process.argv.slice(2)).then(
  (code) => finish(code),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return finish(1);
  },
);
