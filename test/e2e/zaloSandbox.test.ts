/**
 * `npm start` with no tokens runs both channels: the web chat opens a demo person on Telegram or
 * on Zalo, and both are the same person (same roles, same data), through the emulator's two sides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { sandboxPageHtml } from '../../src/sandbox/page.js';
import { freshRedisUrl } from '../support/redis.js';

/** A demo branch secretary (see src/sandbox/demo.ts). */
const SECRETARY = 1101;

describe('the sandbox with no tokens', () => {
  let app: RunningApp;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'chibo-zalo-sandbox-'));
    const config = parseConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      REDIS_URL: await freshRedisUrl(),
      LOG_LEVEL: 'silent',
    });
    app = await startApp(config, { log: createLogger('silent') });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('runs the Zalo side too, and the page has the channel switch', () => {
    expect(app.zaloEmulator).toBeDefined();
    expect(app.zaloEmulator!.people().map((p) => p.id)).toContain(`d${SECRETARY}`);
    const html = sandboxPageHtml();
    expect(html).toContain('data-testid="channel-zalo"');
    expect(html).toContain('zalo/sandbox/');
  });

  it('opens a demo person as a Zalo user: the same person, answered in Zalo’s way', async () => {
    expect((await post('zalo/sandbox/send', { userId: SECRETARY, text: '/daihoi' })).status).toBe(200);
    let feed: { messages: { from_bot: boolean; text: string }[] } = { messages: [] };
    const done = () => feed.messages.some((m) => m.from_bot && m.text.includes('Trả lời 1'));
    for (let i = 0; i < 100 && !done(); i++) {
      feed = (await (
        await fetch(`${app.url}/zalo/sandbox/messages?chatId=${SECRETARY}&after=0`)
      ).json()) as typeof feed;
      if (!done()) await new Promise((r) => setTimeout(r, 100));
    }
    const answer = feed.messages
      .filter((m) => m.from_bot)
      .map((m) => m.text)
      .join('\n');
    // The secretary's own command works on Zalo, with numbered options instead of buttons.
    expect(answer).toContain('Ngày đại hội:');
    expect(answer).toContain('Trả lời 1 để');
    expect(answer).not.toContain('<b>');
    // Nothing went to the Telegram chat.
    const tg = (await (
      await fetch(`${app.url}/sandbox/api/messages?chatId=${SECRETARY}&after=0&wait=0`)
    ).json()) as {
      messages: { text?: string }[];
    };
    expect(tg.messages.filter((m) => (m.text ?? '').includes('Ngày đại hội:'))).toEqual([]);
  });

  it('refuses another site acting as a person, and the Bot API from a web page', async () => {
    expect(
      (
        await post(
          'zalo/sandbox/send',
          { userId: SECRETARY, text: '/help' },
          { origin: 'http://evil.example' },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await post(
          'zalo/bot2000000001:SANDBOX-zalo-emulator-token/getMe',
          {},
          { origin: 'http://evil.example' },
        )
      ).status,
    ).toBe(403);
  });
});
