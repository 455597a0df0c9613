/**
 * The sandbox web chat in a real browser (Debian's Chromium through playwright-core), served
 * next to the emulator with a small telegraf bot behind it: pick a person, type, press, upload.
 */
import type { Browser, Page } from 'playwright-core';
import { Markup } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotApiEmulator } from '../../src/sandbox/emulator.js';
import { CHROMIUM_PATH, hasChromium, launchBrowser } from '../support/browser.js';
import { launchProbeBot, type ProbeBot } from '../support/emulator.js';
import { type SandboxHost, serveSandbox } from '../support/emulatorHost.js';

const ADMIN = { id: 201, first_name: 'Lan', last_name: 'Nguyễn', label: 'Quản trị' };
const SECRETARY = { id: 202, first_name: 'Minh', last_name: 'Trần', label: 'Bí thư Chi bộ Thôn 1' };

const chromium = hasChromium();
if (!chromium) {
  console.warn(
    `Skipping the sandbox page tests: ${CHROMIUM_PATH} not found. Install it with: apt-get install chromium`,
  );
}

describe.skipIf(!chromium)('the sandbox web chat', () => {
  let emulator: BotApiEmulator;
  let host: SandboxHost;
  let testBot: ProbeBot;
  let browser: Browser;
  let page: Page;

  const botBubble = (text: string) =>
    page.locator('[data-testid="message"][data-from="bot"]', { hasText: text });

  beforeAll(async () => {
    emulator = new BotApiEmulator();
    emulator.addUser(ADMIN);
    emulator.addUser(SECRETARY);
    host = await serveSandbox(emulator);
    testBot = launchProbeBot(host.url, (bot) => {
      bot.command('viec', (ctx) =>
        ctx.reply('<b>Việc cần làm</b>: nộp báo cáo tháng', {
          parse_mode: 'HTML',
          ...Markup.inlineKeyboard([[Markup.button.callback('Xác nhận', 'xac-nhan')]]),
        }),
      );
      bot.action('xac-nhan', async (ctx) => {
        await ctx.answerCbQuery('Đã ghi nhận');
        await ctx.editMessageText('Đồng chí đã xác nhận việc này.');
      });
      bot.on('document', async (ctx) => {
        const link = await ctx.telegram.getFileLink(ctx.message.document.file_id);
        const rows = (await (await fetch(link)).text()).trim().split('\n').length - 1;
        await ctx.reply(`Đã nhận tệp ${ctx.message.document.file_name} (${rows} dòng).`);
      });
      bot.on('text', (ctx) => ctx.reply(`Đồng chí viết:\n${ctx.message.text}`));
    });
    await testBot.bot.telegram.setMyCommands([{ command: 'viec', description: 'Việc cần làm' }]);
    browser = await launchBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${host.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await testBot?.stop();
    await host?.close();
    await emulator?.close();
  });

  it('acts as the chosen person and shows the bot’s answer to a multi-line message', async () => {
    await page.getByTestId(`person-${SECRETARY.id}`).click();
    const composer = page.getByTestId('composer');
    await composer.pressSequentially('Dòng một');
    await composer.press('Shift+Enter');
    await composer.pressSequentially('Dòng hai');
    await composer.press('Enter');

    await botBubble('Dòng hai').waitFor();
    expect(await botBubble('Dòng hai').locator('.body').textContent()).toBe(
      'Đồng chí viết:\nDòng một\nDòng hai',
    );
    expect(emulator.messages(SECRETARY.id)[0]?.text).toBe('Dòng một\nDòng hai');
    expect(await composer.inputValue()).toBe('');
    expect(await page.getByTestId(`person-${SECRETARY.id}`).getAttribute('aria-current')).toBe('true');
  });

  it('shows text the bot echoes back as text, never as markup', async () => {
    await page.getByTestId('composer').fill('<img src=x onerror="document.title=1">');
    await page.getByTestId('send').click();
    await botBubble('onerror').waitFor();
    expect(await page.locator('#messages img').count()).toBe(0);
  });

  it('renders formatting, and updates the message in place when an inline button is pressed', async () => {
    await page.getByTestId('composer').fill('/viec');
    await page.getByTestId('composer').press('Enter');
    await botBubble('Việc cần làm').locator('b', { hasText: 'Việc cần làm' }).waitFor();
    const botCount = await page.locator('[data-testid="message"][data-from="bot"]').count();

    await page.getByTestId('button').filter({ hasText: 'Xác nhận' }).click();
    await botBubble('Đồng chí đã xác nhận việc này.').waitFor();
    expect(await botBubble('Đồng chí đã xác nhận việc này.').textContent()).toContain('đã sửa');
    expect(await page.locator('[data-testid="message"][data-from="bot"]').count()).toBe(botCount);
    expect(await page.getByTestId('button').count()).toBe(0);
    await page.locator('#toast', { hasText: 'Đã ghi nhận' }).waitFor();
  });

  it('offers the bot’s command menu behind the "/" button', async () => {
    await page.locator('#menu-btn').click();
    await page.locator('#menu button', { hasText: '/viec' }).click();
    await expect.poll(() => page.getByTestId('button').count()).toBe(1);
  });

  it('uploads a CSV as a document the bot can read', async () => {
    await page.getByTestId('file-input').setInputFiles({
      name: 'danh-sach.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('ho_ten,chi_bo\nNguyễn Văn An,Thôn 1\nLê Thị Bình,Thôn 2\n'),
    });
    await botBubble('Đã nhận tệp danh-sach.csv (2 dòng).').waitFor();
    const userDoc = page.locator('[data-testid="message"][data-from="user"] a.file', {
      hasText: 'danh-sach.csv',
    });
    expect(await userDoc.count()).toBe(1);
  });

  it('keeps one chat per person and remembers who was chosen', async () => {
    await page.getByTestId(`person-${ADMIN.id}`).click();
    await page.locator('.empty').waitFor();
    expect(await page.getByTestId('message').count()).toBe(0);
    await page.reload();
    await page.locator('.empty').waitFor();
    expect(await page.getByTestId(`person-${ADMIN.id}`).getAttribute('aria-current')).toBe('true');

    await page.getByTestId(`person-${SECRETARY.id}`).click();
    await botBubble('Đã nhận tệp danh-sach.csv').waitFor();
  });
});
