/**
 * The outbox worker alone in its own process, for the crash-and-restart half of
 * `bench/outbox.ts`: BENCH_REDIS_URL, BENCH_API_ROOT and OUTBOX_RATE say where and how fast.
 * Prints "outbox worker ready" once started; SIGTERM closes it cleanly.
 */
import { Redis } from 'ioredis';
import { Telegram } from 'telegraf';
import { startOutboxWorker } from '../jobs/outbox.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { DeliveryStore } from '../src/outbox/deliveries.js';
import { TelegrafSender } from '../src/telegram/sender.js';

const redisUrl = process.env.BENCH_REDIS_URL;
const apiRoot = process.env.BENCH_API_ROOT;
if (!redisUrl || !apiRoot) {
  console.error('BENCH_REDIS_URL and BENCH_API_ROOT are required');
  process.exit(2);
}
const config = parseConfig({ OUTBOX_RATE: process.env.OUTBOX_RATE, LOG_LEVEL: 'error' });
const log = createLogger(config.logLevel, process.stderr);
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
const telegram = new Telegram(process.env.BENCH_TOKEN ?? '123456789:BENCH-token-for-the-emulator', {
  apiRoot,
  webhookReply: false,
});
const running = startOutboxWorker({
  connection: redisUrl,
  sender: new TelegrafSender(telegram),
  listener: new DeliveryStore(redis),
  rate: config.outboxRate,
  log,
  // Short locks so jobs held by a killed process are picked up again within seconds.
  lockDurationMs: 4_000,
  stalledIntervalMs: 2_000,
});
await running.worker.waitUntilReady();
console.log('outbox worker ready');

process.once('SIGTERM', () => {
  void running
    .close()
    .then(() => redis.quit())
    .finally(() => process.exit(0));
});
