/**
 * The yardsticks of `bench/updates.ts`: a bare telegraf bot that answers every message with its
 * text and every button press with a toast, polling like ours. BENCH_TOKEN and BENCH_API_ROOT
 * say where; prints "echo bot ready" once polling.
 *
 * With BENCH_REDIS_URL it is the echo bot plus the least any bot must do to answer each update
 * once and durably: one Redis write (SET NX of the update's id) before the answer, which on a
 * Redis with `appendfsync always` waits for one fsync. Nothing else: no reads, no state, no
 * order within a chat (the bench's chats speak seconds apart).
 */
import { Redis } from 'ioredis';
import { Telegraf } from 'telegraf';

const token = process.env.BENCH_TOKEN;
const apiRoot = process.env.BENCH_API_ROOT;
if (!token || !apiRoot) {
  console.error('BENCH_TOKEN and BENCH_API_ROOT are required');
  process.exit(2);
}
const redisUrl = process.env.BENCH_REDIS_URL;
const redis = redisUrl ? new Redis(redisUrl) : undefined;
const bot = new Telegraf(token, { telegram: { apiRoot, webhookReply: false } });
if (redis)
  // Not awaited: telegraf fetches the next updates only once a batch is handled, and a batch
  // held up by the disk would hold up the fetching too. Ours keeps fetching; so does this.
  bot.use((ctx, next) => {
    void redis
      .set(`bench:echo:claim:${ctx.update.update_id}`, '1', 'EX', 600, 'NX')
      .then((first) => (first === 'OK' ? next() : undefined))
      .catch((err: Error) => console.error(err.message));
  });
bot.on('message', (ctx) => ctx.reply('text' in ctx.message ? ctx.message.text : 'ok'));
bot.on('callback_query', (ctx) => ctx.answerCbQuery('ok'));
void bot.launch({ dropPendingUpdates: false });
console.log('echo bot ready');
process.once('SIGTERM', () => {
  bot.stop('SIGTERM');
  redis?.disconnect();
  process.exit(0);
});
