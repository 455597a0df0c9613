/**
 * A start that fails after polling began (from source, Ctrl-C stops tsx's compiler while the
 * workers' modules still load) undoes itself in order: the poller stops first, and nothing keeps
 * fetching updates against a Redis that is gone.
 */
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { BotApiEmulator } from '../../src/sandbox/emulator.js';
import { TEST_TOKEN } from '../support/app.js';
import { freshRedisUrl } from '../support/redis.js';

const emulator = new BotApiEmulator();
afterAll(() => emulator.close());

describe('a start cut short after polling began', () => {
  it('stops the poller before the rest, then fetches nothing more', async () => {
    const config = parseConfig({
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: await emulator.listen(0),
      REDIS_URL: await freshRedisUrl(),
      PORT: '0',
      QUIET_HOURS: 'off',
      SEND_BUDGET: '1000',
      LOG_LEVEL: 'info',
    });
    const lines: { msg: string; part?: string }[] = [];
    const out = new PassThrough();
    out.on('data', (chunk: Buffer) => {
      for (const l of chunk.toString().split('\n')) if (l.startsWith('{')) lines.push(JSON.parse(l));
    });
    emulator.addUser({ id: 9701, first_name: 'Bí thư' });

    const started = startApp(config, {
      log: createLogger('info', out),
      emulator,
      // Polling has begun (a person is answered) while the workers' modules fail to load.
      loadWorkers: async () => {
        const answer = emulator.waitForBotMessage(9701, () => true, { timeoutMs: 10_000 });
        emulator.sendText(9701, '/help');
        await answer;
        throw new Error('Transform failed: the service was stopped');
      },
    });
    await expect(started).rejects.toThrow('the service was stopped');

    const stopped = lines.filter((l) => l.msg === 'stopped').map((l) => l.part);
    expect(stopped[0]).toBe('poller');
    expect(stopped.at(-1)).toBe('redis');
    expect(emulator.botMessages(9701).length).toBe(1);

    const polls = () => emulator.callLog().filter((c) => c.method === 'getUpdates').length;
    const after = polls();
    await new Promise((r) => setTimeout(r, 400));
    expect(polls()).toBe(after);
    expect(lines.map((l) => l.msg)).not.toContain('getUpdates failed');
    expect(lines.map((l) => l.msg)).not.toContain('update not handled');
  });
});
