/**
 * The yardstick of `bench/updates.ts`: a bare telegraf bot that answers every message with its
 * text and every button press with a toast, polling like ours. BENCH_TOKEN and BENCH_API_ROOT
 * say where; prints "echo bot ready" once polling.
 */
import { Telegraf } from 'telegraf';

const token = process.env.BENCH_TOKEN;
const apiRoot = process.env.BENCH_API_ROOT;
if (!token || !apiRoot) {
  console.error('BENCH_TOKEN and BENCH_API_ROOT are required');
  process.exit(2);
}
const bot = new Telegraf(token, { telegram: { apiRoot, webhookReply: false } });
bot.on('message', (ctx) => ctx.reply('text' in ctx.message ? ctx.message.text : 'ok'));
bot.on('callback_query', (ctx) => ctx.answerCbQuery('ok'));
void bot.launch({ dropPendingUpdates: false });
console.log('echo bot ready');
process.once('SIGTERM', () => {
  bot.stop('SIGTERM');
  process.exit(0);
});
