/**
 * The sandbox as the network sees it: on loopback it answers loopback names only; with
 * SANDBOX_PUBLIC=on it answers only under a secret path, printed with a loud warning; it runs
 * only on a database of its own; and it refuses a public HOST unless told.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, SANDBOX_TOKEN, startApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { SandboxDatabaseError } from '../../src/sandbox/database.js';
import { secretSegment } from '../../src/sandbox/host.js';
import { SANDBOX_MARK_KEY } from '../../src/store/sandboxMark.js';
import { spawnBot } from '../support/app.js';
import { freshRedisUrl } from '../support/redis.js';

const ADMIN_ID = 1001;
const dataDirs: string[] = [];
afterAll(() => {
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

async function sandbox(env: Record<string, string> = {}): Promise<RunningApp> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'chibo-sandbox-host-'));
  dataDirs.push(dataDir);
  const config = parseConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    REDIS_URL: await freshRedisUrl(),
    SANDBOX_DEMO: 'off',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startApp(config, { log: createLogger('silent') });
}

/** A GET with a Host header of our choosing (fetch will not send one). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
}

describe('the sandbox on loopback', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await sandbox();
  });
  afterAll(() => app?.stop());

  it('serves the page at / to loopback names, and nothing to a name rebound to this machine', async () => {
    const page = await fetch(`${app.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const port = new URL(app.url).port;
    expect(await getWithHost(`${app.url}/`, `localhost:${port}`)).toBe(200);
    for (const p of ['/', '/sandbox/api/state', `/bot${SANDBOX_TOKEN}/getMe`]) {
      expect(await getWithHost(`${app.url}${p}`, `attacker.example:${port}`)).toBe(421);
    }
    expect(await getWithHost(`${app.url}/healthz`, `attacker.example:${port}`)).toBe(200);
  });
});

describe('the sandbox with SANDBOX_PUBLIC=on', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await sandbox({ SANDBOX_PUBLIC: 'on' });
  });
  afterAll(() => app?.stop());

  it('serves the page, its API and the Bot API only under a random secret path', async () => {
    const secret = app.sandboxPath ?? '';
    expect(secret).toMatch(/^\/s-[A-Za-z0-9_-]{24}\/$/);
    expect(secretSegment()).not.toBe(secretSegment());
    for (const p of ['/', '/index.html', '/sandbox/api/state', `/bot${SANDBOX_TOKEN}/getMe`, '/s-guess/']) {
      expect((await fetch(`${app.url}${p}`)).status, p).toBe(404);
    }
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

    const page = await fetch(`${app.url}${secret}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const bare = await fetch(`${app.url}${secret.slice(0, -1)}`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([308, secret]);

    // The bot itself reaches the emulator under the secret path: a person's /start is answered.
    const state = (await (await fetch(`${app.url}${secret}sandbox/api/state`)).json()) as {
      users: { id: number }[];
    };
    expect(state.users.map((u) => u.id)).toContain(ADMIN_ID);
    const sent = await fetch(`${app.url}${secret}sandbox/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: ADMIN_ID, text: '/start' }),
    });
    expect(sent.status).toBe(200);
    const reply = await app.emulator!.waitForBotMessage(ADMIN_ID);
    expect(reply.text).toBeTruthy();
  });
});

describe('the sandbox database', () => {
  it('refuses a database holding data that is not a sandbox’s, writing nothing', async () => {
    const url = await freshRedisUrl();
    const redis = new Redis(url);
    try {
      await redis.hset('cb:unit:XA', { code: 'XA', name: 'Đảng bộ xã A' });
      const refused = await sandbox({ REDIS_URL: url }).then(
        (app) => app.stop().then(() => undefined),
        (err: unknown) => err,
      );
      expect(refused).toBeInstanceOf(SandboxDatabaseError);
      expect((refused as Error).message).toMatch(/holds 1 key\(s\) that are not a sandbox's[\s\S]*REDIS_URL/);
      expect(await redis.keys('*')).toEqual(['cb:unit:XA']);
    } finally {
      await redis.quit();
    }
  });

  it('claims an empty database with a mark, and starts again on it', async () => {
    const url = await freshRedisUrl();
    const redis = new Redis(url);
    try {
      const first = await sandbox({ REDIS_URL: url, SANDBOX_DEMO: 'on' });
      await first.stop();
      expect(await redis.exists(SANDBOX_MARK_KEY)).toBe(1);
      expect(await redis.dbsize()).toBeGreaterThan(10);
      const again = await sandbox({ REDIS_URL: url });
      expect(again.sandboxPath).toBe('/');
      await again.stop();
    } finally {
      await redis.quit();
    }
  });
});

describe('the sandbox process', () => {
  it('refuses a public HOST without SANDBOX_PUBLIC, and warns loudly with it', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'chibo-sandbox-public-'));
    try {
      const refused = spawnBot({ HOST: '0.0.0.0', PORT: '0', DATA_DIR: dataDir });
      expect((await refused.exited).code).toBe(1);
      expect(refused.output()).toContain('HOST=0.0.0.0');
      expect(refused.output()).toContain('SANDBOX_PUBLIC=on');
      expect(refused.output()).not.toMatch(/\n\s+at /);

      // Public mode on a loopback HOST, so the test opens nothing to the network.
      const open = spawnBot({ HOST: '127.0.0.1', SANDBOX_PUBLIC: 'on', PORT: '0', DATA_DIR: dataDir });
      const pattern = /Sandbox: open (http:\/\/[\d.:]+)(\/s-[A-Za-z0-9_-]{24}\/) /;
      const out = await open.waitForOutput(pattern, 30_000);
      expect(out).toContain('WARNING: SANDBOX_PUBLIC=on');
      const [, base, secret] = pattern.exec(out) ?? [];
      expect((await fetch(`${base}${secret}`)).status).toBe(200);
      expect((await fetch(`${base}/`)).status).toBe(404);
      open.child.kill('SIGTERM');
      expect((await open.exited).code).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
