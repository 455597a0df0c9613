/** The bot's @username as Telegram knows it, for invite links made outside the running bot (the CLI). */
import { Telegram } from 'telegraf';

export async function telegramBotUsername(token: string, apiRoot: string): Promise<string> {
  return (await new Telegram(token, { apiRoot }).getMe()).username;
}
