import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

describe('configuration', () => {
  it('runs the sandbox with an embedded Redis when nothing is set', () => {
    const c = parseConfig({});
    expect(c.sandbox).toBe(true);
    expect(c.redisUrl).toBeUndefined();
    expect(c.port).toBe(8080);
    expect(c.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(c.telegramApiRoot).toBe('https://api.telegram.org');
    expect(c.remindersAt).toBe(8 * 60);
    expect(c.summaryAt).toBe(17 * 60);
    expect(c.quietHours).toEqual({ from: 21 * 60, to: 7 * 60 });
  });

  it('reads every variable', () => {
    const c = parseConfig({
      BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      REDIS_URL: 'redis://redis:6379/2',
      ADMIN_IDS: '111, 222',
      TIMEZONE: 'Asia/Bangkok',
      PORT: '0',
      DATA_DIR: '/tmp/x',
      WEBHOOK_URL: 'https://bot.example.vn/telegram',
      QUIET_HOURS: 'off',
    });
    expect(c.sandbox).toBe(false);
    expect(c.telegramApiRoot).toBe('http://127.0.0.1:8081');
    expect(c.adminIds).toEqual([111, 222]);
    expect(c.port).toBe(0);
    expect(c.webhookUrl).toBe('https://bot.example.vn/telegram');
    expect(c.quietHours).toBeUndefined();
  });

  it('lists every problem by variable name at once', () => {
    let error: unknown;
    try {
      parseConfig({
        BOT_TOKEN: 'nope',
        PORT: 'abc',
        ADMIN_IDS: '12,x',
        TIMEZONE: 'Mars/Base',
        REDIS_URL: 'localhost',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['BOT_TOKEN', 'PORT', 'ADMIN_IDS', 'TIMEZONE', 'REDIS_URL'])
      expect(problems).toContain(name);
    expect((error as ConfigError).message).toMatch(/^Invalid configuration:/);
  });

  it('keeps the sandbox on loopback unless SANDBOX_PUBLIC=on, naming the variables that fix it', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]']) {
      expect(parseConfig({ HOST: host }).sandboxPublic).toBe(false);
    }
    let error: unknown;
    try {
      parseConfig({ HOST: '0.0.0.0', PORT: 'abc' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    // One message lists this problem with any other.
    expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'HOST=0.0.0.0']);
    for (const name of ['HOST=127.0.0.1', 'BOT_TOKEN', 'SANDBOX_PUBLIC=on'])
      expect(problems[1]).toContain(name);
    expect(() => parseConfig({ HOST: '192.168.1.20' })).toThrow(/act as any person/);

    expect(parseConfig({ HOST: '0.0.0.0', SANDBOX_PUBLIC: 'on' })).toMatchObject({
      sandbox: true,
      sandboxPublic: true,
      host: '0.0.0.0',
    });
    // A real bot may listen anywhere, and is never a public sandbox.
    expect(
      parseConfig({
        HOST: '0.0.0.0',
        SANDBOX_PUBLIC: 'on',
        BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
      }),
    ).toMatchObject({ sandbox: false, sandboxPublic: false });
    expect(() => parseConfig({ SANDBOX_PUBLIC: 'maybe' })).toThrow(/SANDBOX_PUBLIC: must be on or off/);
  });

  it('runs everything in one process unless ROLE splits it', () => {
    expect(parseConfig({}).role).toBe('all');
    const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    expect(parseConfig({ ROLE: 'bot', BOT_TOKEN: token, REDIS_URL: 'redis://r:6379' }).role).toBe('bot');
    expect(parseConfig({ ROLE: 'worker', BOT_TOKEN: token, REDIS_URL: 'redis://r:6379' }).role).toBe(
      'worker',
    );
  });

  it('connects through Sentinel and waits for one replica by default there', () => {
    const c = parseConfig({
      REDIS_SENTINELS: 'sentinel-1:26379, sentinel-2:26380,[::1]:26381',
      REDIS_SENTINEL_NAME: 'chibo',
      REDIS_PASSWORD: 's3cret',
    });
    expect(c.redisSentinel).toEqual({
      sentinels: [
        { host: 'sentinel-1', port: 26379 },
        { host: 'sentinel-2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      name: 'chibo',
      sentinelPassword: undefined,
    });
    expect(c.redisPassword).toBe('s3cret');
    expect(c.redisMinReplicas).toBe(1);
    expect(c.redisReplicaTimeoutMs).toBe(2000);
    expect(parseConfig({ REDIS_URL: 'redis://r:6379' }).redisMinReplicas).toBe(0);
    expect(parseConfig({ REDIS_URL: 'redis://r:6379', REDIS_MIN_REPLICAS: '2' }).redisMinReplicas).toBe(2);
    expect(
      parseConfig({ REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'm', REDIS_MIN_REPLICAS: '0' })
        .redisMinReplicas,
    ).toBe(0);
  });

  it.each([
    [{ REDIS_SENTINELS: 's:26379' }, 'REDIS_SENTINEL_NAME: required with REDIS_SENTINELS'],
    [{ REDIS_SENTINEL_NAME: 'mymaster' }, 'REDIS_SENTINELS: required with REDIS_SENTINEL_NAME'],
    [
      { REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'm', REDIS_URL: 'redis://r:6379' },
      'REDIS_URL: set either REDIS_URL',
    ],
    [{ REDIS_MIN_REPLICAS: '1' }, 'REDIS_MIN_REPLICAS: the embedded Redis has no replicas'],
    [
      { REDIS_SENTINELS: 's:26379,nope', REDIS_SENTINEL_NAME: 'm' },
      'REDIS_SENTINELS: must be Sentinel addresses',
    ],
    [{ REDIS_SENTINELS: 's:70000', REDIS_SENTINEL_NAME: 'm' }, 'REDIS_SENTINELS: must be Sentinel addresses'],
    [
      { REDIS_SENTINELS: 's:1', REDIS_SENTINEL_NAME: 'my master' },
      'REDIS_SENTINEL_NAME: must be the master group',
    ],
    [{ REDIS_URL: 'redis://r', REDIS_MIN_REPLICAS: '-1' }, 'REDIS_MIN_REPLICAS: must be a whole number'],
    [
      { REDIS_URL: 'redis://r', REDIS_REPLICA_TIMEOUT_MS: '5' },
      'REDIS_REPLICA_TIMEOUT_MS: must be a whole number',
    ],
    [
      { ROLE: 'bot', BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw' },
      'ROLE=bot: processes split by role share one Redis',
    ],
    [
      { ROLE: 'worker', REDIS_URL: 'redis://r' },
      'ROLE=worker: the sandbox (no BOT_TOKEN) runs in one process',
    ],
    [{ ROLE: 'both' }, 'ROLE: must be all'],
  ])('refuses a Redis setting that cannot work: %o', (env, problem) => {
    let error: unknown;
    try {
      parseConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toContain(problem);
  });

  const TG = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
  const ZALO = '2345678901:zalo-bot-token_abcdefXYZ';

  it('runs both channels in the sandbox, and Zalo beside Telegram with ZALO_BOT_TOKEN', () => {
    const sandbox = parseConfig({});
    expect(sandbox.zalo).toMatchObject({
      token: undefined,
      apiRoot: 'https://bot-api.zaloplatforms.com',
      webhookUrl: undefined,
      outboxRate: 10,
    });
    expect(parseConfig({ BOT_TOKEN: TG }).zalo).toBeUndefined();
    const c = parseConfig({
      BOT_TOKEN: TG,
      ZALO_BOT_TOKEN: ZALO,
      ZALO_WEBHOOK_URL: 'https://bot.example.vn/zalo',
      ZALO_WEBHOOK_SECRET: 'a-secret-of-24-characters',
      PUBLIC_URL: 'https://bot.example.vn/',
      ZALO_OUTBOX_RATE: '5',
    });
    expect(c.zalo).toEqual({
      token: ZALO,
      apiRoot: 'https://bot-api.zaloplatforms.com',
      webhookUrl: 'https://bot.example.vn/zalo',
      webhookSecret: 'a-secret-of-24-characters',
      outboxRate: 5,
    });
    expect(c.publicUrl).toBe('https://bot.example.vn');
    expect([c.telegram, c.sandbox]).toEqual([true, false]);
    // Zalo alone: no Telegram, and not the sandbox (a real deployment where Telegram is blocked).
    const zaloOnly = parseConfig({
      ZALO_BOT_TOKEN: ZALO,
      PUBLIC_URL: 'https://b.vn',
      HOST: '0.0.0.0',
      ROLE: 'bot',
      REDIS_URL: 'redis://r:6379',
    });
    expect([zaloOnly.telegram, zaloOnly.sandbox, zaloOnly.sandboxPublic, zaloOnly.zalo?.token]).toEqual([
      false,
      false,
      false,
      ZALO,
    ]);
    expect([sandbox.telegram, sandbox.sandbox]).toEqual([true, true]);
    // A test server on loopback needs no PUBLIC_URL: the bot's own address is used.
    expect(
      parseConfig({ BOT_TOKEN: TG, ZALO_BOT_TOKEN: ZALO, ZALO_API_ROOT: 'http://127.0.0.1:9000/' }).zalo
        ?.apiRoot,
    ).toBe('http://127.0.0.1:9000');
  });

  it.each([
    [
      { ZALO_WEBHOOK_URL: 'https://b.vn/zalo', ZALO_WEBHOOK_SECRET: '12345678' },
      'ZALO_WEBHOOK_URL: needs ZALO_BOT_TOKEN',
    ],
    [
      {
        BOT_TOKEN: TG,
        ZALO_BOT_TOKEN: ZALO,
        PUBLIC_URL: 'https://b.vn',
        ZALO_WEBHOOK_URL: 'https://b.vn/zalo',
      },
      'ZALO_WEBHOOK_SECRET: required with ZALO_WEBHOOK_URL',
    ],
    [
      {
        BOT_TOKEN: TG,
        ZALO_BOT_TOKEN: ZALO,
        PUBLIC_URL: 'https://b.vn',
        ZALO_WEBHOOK_URL: 'https://b.vn/zalo',
        ZALO_WEBHOOK_SECRET: 'short',
      },
      'ZALO_WEBHOOK_SECRET: must be 8-256 printable characters',
    ],
    [
      {
        BOT_TOKEN: TG,
        ZALO_BOT_TOKEN: ZALO,
        PUBLIC_URL: 'https://b.vn',
        ZALO_WEBHOOK_URL: 'https://b.vn/zalo',
        ZALO_WEBHOOK_SECRET: 'x'.repeat(257),
      },
      'ZALO_WEBHOOK_SECRET: must be 8-256 printable characters',
    ],
    [
      { BOT_TOKEN: TG, ZALO_BOT_TOKEN: ZALO, PUBLIC_URL: 'https://b.vn', ZALO_WEBHOOK_SECRET: '12345678' },
      'ZALO_WEBHOOK_SECRET: only used with ZALO_WEBHOOK_URL',
    ],
    [
      {
        BOT_TOKEN: TG,
        ZALO_BOT_TOKEN: ZALO,
        PUBLIC_URL: 'https://b.vn',
        ZALO_WEBHOOK_URL: 'http://b.vn/zalo',
        ZALO_WEBHOOK_SECRET: '12345678',
      },
      'ZALO_WEBHOOK_URL: Zalo posts only to https://',
    ],
    [
      {
        BOT_TOKEN: TG,
        WEBHOOK_URL: 'https://b.vn/hook',
        ZALO_BOT_TOKEN: ZALO,
        PUBLIC_URL: 'https://b.vn',
        ZALO_WEBHOOK_URL: 'https://b.vn/hook',
        ZALO_WEBHOOK_SECRET: '12345678',
      },
      'ZALO_WEBHOOK_URL: its path /hook is taken',
    ],
    [
      {
        BOT_TOKEN: TG,
        ZALO_BOT_TOKEN: ZALO,
        PUBLIC_URL: 'https://b.vn',
        ZALO_WEBHOOK_URL: 'https://b.vn/tep/x',
        ZALO_WEBHOOK_SECRET: '12345678',
      },
      'ZALO_WEBHOOK_URL: its path /tep/x is taken',
    ],
    [{ BOT_TOKEN: TG, ZALO_BOT_TOKEN: ZALO }, 'PUBLIC_URL: required with ZALO_BOT_TOKEN'],
    [{ BOT_TOKEN: TG, ZALO_BOT_TOKEN: ZALO, PUBLIC_URL: 'http://b.vn' }, 'PUBLIC_URL: must be https://'],
    [{ PUBLIC_URL: 'bot.example.vn' }, 'PUBLIC_URL: must be the bot’s public https:// address'],
    [
      { ZALO_BOT_TOKEN: ZALO, PUBLIC_URL: 'https://b.vn', WEBHOOK_URL: 'https://b.vn/telegram' },
      'WEBHOOK_URL: Telegram’s webhook needs BOT_TOKEN',
    ],
    [{ ZALO_BOT_TOKEN: 'bad token!' }, 'ZALO_BOT_TOKEN: must be the token Zalo Bot Manager sent you'],
    [{ ZALO_OUTBOX_RATE: '0' }, 'ZALO_OUTBOX_RATE: must be at least 1'],
    [{ ZALO_OUTBOX_RATE: '2.5' }, 'ZALO_OUTBOX_RATE: must be a whole number'],
    [{ ZALO_API_ROOT: 'not a url' }, 'ZALO_API_ROOT: must be a URL'],
  ])('refuses a Zalo setting that cannot work, in one message: %o', (env, problem) => {
    let error: unknown;
    try {
      parseConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^Invalid configuration:/);
    expect((error as ConfigError).problems.join('\n')).toContain(problem);
  });
});
