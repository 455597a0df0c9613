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
});
