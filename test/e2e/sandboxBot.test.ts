/**
 * `npm start` without a token, as a newcomer meets it: the real bot, its emulator and the demo
 * ward, driven through the web chat in Debian's Chromium.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { hasChromium, launchBrowser } from '../support/browser.js';
import { freshRedisUrl } from '../support/redis.js';

const chromium = hasChromium();

describe.skipIf(!chromium)('the sandbox with the real bot', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  const botBubble = (text: string | RegExp) =>
    page.locator('[data-testid="message"][data-from="bot"]', { hasText: text });

  /** Waits for a bot message containing `text` and returns what it says. */
  async function seeBot(text: string | RegExp): Promise<string> {
    const bubble = botBubble(text).first();
    await bubble.waitFor({ state: 'visible' });
    return (await bubble.textContent()) ?? '';
  }

  async function actAs(personId: number) {
    await page.click(`[data-testid="person-${personId}"]`);
  }

  async function send(text: string) {
    await page.fill('[data-testid="composer"]', text);
    await page.click('[data-testid="send"]');
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'chibo-sandbox-page-'));
    const config = parseConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      REDIS_URL: await freshRedisUrl(),
      LOG_LEVEL: 'silent',
    });
    app = await startApp(config, { log: createLogger('silent') });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${app.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('greets each demo person by role', async () => {
    await actAs(1101);
    expect(await seeBot('Chào đồng chí Bí thư Chi bộ Tổ dân phố 1')).toContain('/daihoi');
    await actAs(1002);
    expect(await seeBot('Đảng bộ phường Hòa An và các đơn vị trực thuộc')).toContain('/tiendo');
  });

  it('lets the admin see a branch’s people and make an invite link with a button', async () => {
    await actAs(1001);
    await send('/canbo TDP01');
    expect(await seeBot('Lê Văn Bình')).toContain('Bí thư: Lê Văn Bình');
    await page.locator('[data-testid="button"]', { hasText: 'Mời phó bí thư' }).click();
    expect(await seeBot('họ và tên')).toContain('Chi bộ Tổ dân phố 1');
    await send('Trần Thị Mai');
    expect(await seeBot('Chức vụ')).toContain('Không ghi chức vụ');
    await page.locator('[data-testid="button"]', { hasText: 'Không ghi chức vụ' }).click();
    expect(await seeBot(/t\.me\/chibo_sandbox_bot\?start=/)).toMatch(
      /Phó bí thư Chi bộ Tổ dân phố 1[\s\S]*\?start=[A-Za-z0-9_-]{22,}/,
    );
  });

  it('imports a unit file the admin sends, and lists every bad row of a bad one', async () => {
    await actAs(1001);
    const good = path.join(dataDir, 'them-chi-bo.csv');
    writeFileSync(
      good,
      '\uFEFFMã;Tên;Cấp;Loại;Mã cấp trên;Số đảng viên\nTDP11;Chi bộ Tổ dân phố 11;Chi bộ;Tổ dân phố;PHA;15\n',
    );
    await page.setInputFiles('[data-testid="file-input"]', good);
    expect(await seeBot('Đã nhập')).toContain('Đã nhập 1 đơn vị: 1 mới, 0 cập nhật');

    const bad = path.join(dataDir, 'loi.csv');
    writeFileSync(
      bad,
      'code,name,level,kind,parent,members\nX1,Chi bộ X,chi_bo,thon,KHONGCO,10\nX2,Chi bộ Y,chi_bo,thon,PHA,mười\n',
    );
    await page.setInputFiles('[data-testid="file-input"]', bad);
    const refusal = await seeBot('Tệp có 2 lỗi');
    expect(refusal).toMatch(/Dòng 2:.*«KHONGCO»/);
    expect(refusal).toMatch(/Dòng 3:.*«mười»/);
  });
});
