/**
 * Helpers for end-to-end tests against the Bot API emulator: start one on a free port, and run
 * a small telegraf probe bot (not the app: see `app.ts` for that) against it with long polling.
 */
import { Telegraf } from 'telegraf';
import { BotApiEmulator, type EmulatorOptions } from '../../src/sandbox/emulator.js';
import { TEST_TOKEN } from './app.js';

/** An emulator listening on 127.0.0.1; `apiRoot` is what telegraf's `telegram.apiRoot` takes. */
export async function startEmulator(
  opts?: EmulatorOptions,
): Promise<{ emulator: BotApiEmulator; apiRoot: string }> {
  const emulator = new BotApiEmulator(opts);
  const apiRoot = await emulator.listen(0);
  return { emulator, apiRoot };
}

export interface ProbeBot {
  bot: Telegraf;
  /** Errors thrown by handlers (telegraf's bot.catch). */
  errors: unknown[];
  /** Stops polling and waits until telegraf has confirmed the last batch. */
  stop(): Promise<void>;
}

/** A telegraf bot with handlers registered by `register`, long polling the emulator at `apiRoot`. */
export function launchProbeBot(apiRoot: string, register: (bot: Telegraf) => void): ProbeBot {
  const bot = new Telegraf(TEST_TOKEN, { telegram: { apiRoot } });
  const errors: unknown[] = [];
  bot.catch((err) => {
    errors.push(err);
  });
  register(bot);
  // launch() resolves only when polling ends.
  const running = bot.launch().catch((err: unknown) => {
    errors.push(err);
  });
  return {
    bot,
    errors,
    stop: async () => {
      bot.stop('test finished');
      await running;
    },
  };
}
