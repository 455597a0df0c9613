/**
 * Redis connections. Commands wait through a Redis restart (ioredis queues them and
 * reconnects), so an update being handled when Redis blinks is finished, not lost.
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { type EmbeddedRedis, startEmbeddedRedis } from './embeddedRedis.js';

export class RedisSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisSettingsError';
  }
}

/** A connection that waits for Redis rather than failing a command while it reconnects. */
export function connectRedis(url: string, log?: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 5_000),
    reconnectOnError: (err) => err.message.startsWith('READONLY'),
  });
  let down = false;
  redis.on('error', (err) => {
    if (!down) log?.warn({ err: err.message }, 'Redis connection problem; retrying');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log?.info('Redis connection restored');
    down = false;
  });
  return redis;
}

function infoField(info: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(info);
  return m?.[1]?.trim();
}

/**
 * BullMQ needs `noeviction`: an evicted job key corrupts a queue, and an evicted report is a
 * lost report. Refuse to run without it; warn when Redis keeps nothing on disk.
 */
export async function checkRedisSettings(redis: Redis, log: Logger): Promise<void> {
  const memory = await redis.info('memory');
  const policy = infoField(memory, 'maxmemory_policy');
  if (policy !== undefined && policy !== 'noeviction') {
    throw new RedisSettingsError(
      `Redis maxmemory-policy is "${policy}", but this bot needs "noeviction" (evicted keys would lose reports and jobs).\n` +
        'Fix: run  redis-cli CONFIG SET maxmemory-policy noeviction  and add  maxmemory-policy noeviction  to redis.conf ' +
        '(on a managed Redis, set the eviction policy to noeviction in its console).',
    );
  }
  const persistence = await redis.info('persistence');
  const aof = infoField(persistence, 'aof_enabled') === '1';
  let rdb = false;
  try {
    const save = (await redis.config('GET', 'save')) as string[];
    rdb = (save[1] ?? '').trim() !== '';
  } catch {
    rdb = true; // CONFIG is often disabled on managed Redis, which persists by itself.
  }
  if (!aof && !rdb) {
    log.warn(
      'Redis persistence is off (no AOF, no RDB snapshots): a Redis restart would lose every report. ' +
        'Enable it with  redis-cli CONFIG SET appendonly yes  and  appendonly yes  in redis.conf.',
    );
  } else if (!aof) {
    log.warn(
      'Redis AOF is off: reports acknowledged since the last snapshot can be lost in a crash. Prefer appendonly yes.',
    );
  }
}

/**
 * The Redis this deployment uses: REDIS_URL, or the embedded server in DATA_DIR (reusing one
 * that is already running there, e.g. the bot's when the CLI runs beside it).
 */
export async function openConfiguredRedis(
  config: { redisUrl: string | undefined; dataDir: string },
  log: Logger,
): Promise<{ redis: Redis; url: string; close: () => Promise<void> }> {
  let embedded: EmbeddedRedis | undefined;
  let url = config.redisUrl;
  if (!url) {
    embedded = await startEmbeddedRedis({
      dir: path.join(config.dataDir, 'redis'),
      onInfo: (line) => log.info(line),
    });
    url = embedded.url;
  }
  const redis = connectRedis(url, log);
  const close = async () => {
    await redis.quit().catch(() => redis.disconnect());
    // A server we merely joined belongs to whoever started it.
    if (embedded?.started) await embedded.stop();
  };
  try {
    await checkRedisSettings(redis, log);
  } catch (err) {
    await close();
    throw err;
  }
  return { redis, url, close };
}
