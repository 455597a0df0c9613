/** Retrying calls to Telegram at start: essential ones block start, the rest retry in the background. */
import type { Logger } from '../logger.js';
import { sleep } from './sleep.js';

const backoff = (attempt: number) => Math.min(1_000 * 2 ** Math.min(attempt, 5), 30_000);

/** Retries until it succeeds (an essential call such as getMe: nothing works without it). */
export async function retryUntil<T>(name: string, fn: () => Promise<T>, log: Logger): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const delay = backoff(attempt);
      log.warn({ err: (err as Error).message, retryInMs: delay }, `${name} failed; retrying`);
      await sleep(delay);
    }
  }
}

/** A non-essential call: logged and retried later, never stopping the bot. */
export function retryInBackground(
  name: string,
  fn: () => Promise<unknown>,
  log: Logger,
  signal: AbortSignal,
): void {
  void (async () => {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        await fn();
        return;
      } catch (err) {
        const delay = backoff(attempt);
        log.warn({ err: (err as Error).message, retryInMs: delay }, `${name} failed; will retry`);
        await sleep(delay, signal);
      }
    }
  })();
}
