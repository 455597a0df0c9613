/**
 * A deployment with Zalo only (Telegram is blocked on Vietnam's main networks, so a server there
 * may not reach it): ZALO_BOT_TOKEN without BOT_TOKEN runs the real bot on Zalo, not the
 * sandbox, and never calls Telegram. The office makes invites from the server (codes, no
 * Telegram links); a secretary joins by sending the code on Zalo and works from there.
 */
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg } from '../../src/messages/index.js';
import { BotApiEmulator } from '../../src/sandbox/emulator.js';
import { ZaloEmulator } from '../../src/sandbox/zaloEmulator.js';
import { type BotProcess, ROOT, seedUnits, spawnBot, TEST_ZALO_TOKEN } from '../support/app.js';
import { freshRedisUrl } from '../support/redis.js';

const UNITS_CSV = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,25',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn/xóm/khu dân cư,XA,25',
].join('\n');
const ZSEC = { id: 'z-7301', display_name: 'Nguyễn Văn Zalo' };
const ZADMIN = { id: 'z-7302', display_name: 'Văn phòng Đảng ủy' };

/** The CLI as the office runs it on the server, with the bot's environment. */
function cli(env: Record<string, string>, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('Zalo only: ZALO_BOT_TOKEN without BOT_TOKEN', () => {
  let telegram: BotApiEmulator;
  let zalo: ZaloEmulator;
  let redis: Redis;
  let env: Record<string, string>;
  let bot: BotProcess;

  beforeAll(async () => {
    // A Telegram API the bot is pointed at but must never call.
    telegram = new BotApiEmulator();
    zalo = new ZaloEmulator();
    const redisUrl = await freshRedisUrl();
    redis = new Redis(redisUrl);
    env = {
      ZALO_BOT_TOKEN: TEST_ZALO_TOKEN,
      ZALO_API_ROOT: await zalo.listen(0),
      TELEGRAM_API_ROOT: await telegram.listen(0),
      REDIS_URL: redisUrl,
      PORT: '0',
      QUIET_HOURS: 'off',
    };
    await seedUnits(redis, UNITS_CSV);
    zalo.addUser(ZSEC);
    zalo.addUser(ZADMIN);
    bot = spawnBot(env);
    await bot.waitForOutput('Zalo long polling', 40_000);
  }, 60_000);

  afterAll(async () => {
    if (bot && bot.child.exitCode === null) {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
    await redis?.quit();
    await zalo?.close();
    await telegram?.close();
  });

  it('runs the real bot, not the sandbox, and never calls Telegram', () => {
    expect(bot.output()).toContain('Telegram off (no BOT_TOKEN): Zalo only');
    expect(bot.output()).not.toContain('Sandbox');
    expect(telegram.callLog()).toEqual([]);
  });

  it('makes invite codes without Telegram links, and a secretary joins by sending one on Zalo', async () => {
    const made = await cli(env, ['invites', 'create', '--unit', 'CB01', '--role', 'secretary']);
    expect(made.code).toBe(0);
    const [header, row] = made.out
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(header).toBe('unit_code,unit_name,role,code,link');
    const cells = row!.split(',');
    const code = cells[3]!;
    expect(code).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{23}$/);
    // No t.me link: nobody could open it where Telegram is blocked.
    expect(cells[4]).toBe('');

    const joined = zalo.waitForBotMessage(ZSEC.id, (x) => (x.text ?? '').includes('Chi bộ Thôn 1'));
    zalo.sendText(ZSEC.id, code);
    expect((await joined).text).toContain(
      msg.units.invite.accepted('secretary', 'Chi bộ Thôn 1').slice(0, 20),
    );

    const help = zalo.waitForBotMessage(ZSEC.id, (x) => (x.text ?? '').includes('/sinhhoat'));
    zalo.sendText(ZSEC.id, '/help');
    expect((await help).text).toContain('/sinhhoat');
    expect(telegram.callLog()).toEqual([]);
  }, 60_000);

  it('lists everyone who wrote on Zalo with their id, so the office can make its first admin', async () => {
    const answered = zalo.waitForBotMessage(ZADMIN.id, () => true);
    zalo.sendText(ZADMIN.id, '/start');
    expect((await answered).text).toBe(msg.zalo.startNoCode);
    const listed = await cli(env, ['people', 'zalo']);
    expect(listed.code).toBe(0);
    const rows = listed.out.replace(/\n$/, '').split('\n');
    expect(rows[0]).toBe('id\tzalo_name\troles');
    const byName = new Map(rows.slice(1).map((r) => [r.split('\t')[1], r.split('\t')]));
    expect(byName.get(ZSEC.display_name)?.[2]).toBe('secretary:CB01');
    const admin = byName.get(ZADMIN.display_name);
    expect(admin?.[2]).toBe('');
    // A Zalo-born id: above 2^52, a safe integer ADMIN_IDS takes.
    expect(Number(admin?.[0])).toBeGreaterThan(2 ** 52);
    expect(Number.isSafeInteger(Number(admin?.[0]))).toBe(true);
  }, 60_000);
});
