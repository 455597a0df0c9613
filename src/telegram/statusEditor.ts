/**
 * Edits a directive's status message in place for the directive jobs (jobs do not import
 * telegraf, so the app hands them this). "Message is not modified" is no change, not an error.
 */
import { type Telegram, TelegramError } from 'telegraf';
import type { StatusEditor } from '../services/directives/index.js';

export function telegramStatusEditor(telegram: Telegram): StatusEditor {
  return {
    async edit(chatId, messageId, html, markup) {
      try {
        await telegram.editMessageText(chatId, messageId, undefined, html, {
          parse_mode: 'HTML',
          ...(markup.inline_keyboard.length > 0 ? { reply_markup: markup } : {}),
        });
      } catch (err) {
        if (err instanceof TelegramError && /message is not modified/i.test(err.description)) return;
        throw err;
      }
    },
  };
}
