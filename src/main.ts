/**
 * `npm start`: validate configuration, start everything, print where to look, and shut down
 * cleanly on SIGINT/SIGTERM.
 */

import { type RunningApp, startApp } from './app.js';
import { ConfigError, loadEnv, parseConfig } from './config.js';
import { RedisMissingError } from './infra/embeddedRedis.js';
import { RedisSettingsError } from './infra/redis.js';
import { createLogger } from './logger.js';
import { SandboxDatabaseError } from './sandbox/database.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(loadEnv());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel, process.stdout, config.logFormat);
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

  // Ctrl-C reaches this process only: the embedded Redis runs in a group of its own, and
  // app.stop() stops it last, logging each part as it stops. A signal while starting is acted
  // on once the app is up, so the process never exits with its embedded Redis left running.
  let app: RunningApp | undefined;
  let stopping = false;
  const stop = async (running: RunningApp) => {
    await running.stop();
    log.info('shutdown complete');
    process.exit(0);
  };
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    if (app) await stop(app);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    app = await startApp(config, { log });
  } catch (err) {
    // Ctrl-C reaches the whole group: from source, tsx's compiler too, so a module still loading
    // fails. The start undid itself; the person asked for a stop, and has one.
    if (stopping) {
      log.info({ err }, 'stopped while starting');
      log.info('shutdown complete');
      process.exit(0);
    }
    if (
      err instanceof RedisMissingError ||
      err instanceof RedisSettingsError ||
      err instanceof SandboxDatabaseError
    ) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  if (stopping) {
    await stop(app);
    return;
  }

  if (config.sandbox && config.sandboxPublic) {
    log.warn({ host: config.host }, 'sandbox reachable beyond this machine (SANDBOX_PUBLIC=on)');
    process.stdout.write(
      `\n  !!! WARNING: SANDBOX_PUBLIC=on — the sandbox listens on ${config.host}, not only on this machine.\n` +
        '  !!! Anyone with the link below can act as any person, the admin included. Demo data only;\n' +
        '  !!! share the link only with people you trust. The secret path changes at every start.\n' +
        `\n  Sandbox: open ${app.url}${app.sandboxPath ?? '/'} in a browser to chat with the bot.\n` +
        `  Health: ${app.url}/healthz\n\n`,
    );
  } else if (config.sandbox) {
    process.stdout.write(
      `\n  Sandbox: open ${app.url}/ in a browser to chat with the bot (no Telegram token needed).\n` +
        `  Health: ${app.url}/healthz\n\n`,
    );
  } else {
    process.stdout.write(`\n  Bot running. Health: ${app.url}/healthz\n\n`);
  }
}

main().catch((err) => {
  process.stderr.write(
    `Failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
