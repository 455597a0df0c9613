/**
 * Redis connections. Commands wait through a Redis restart or a Sentinel failover (ioredis
 * queues them, asks Sentinel for the master again and reconnects), so an update being handled
 * when Redis blinks is finished, not lost.
 */
import path from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { requireReplicas } from '../store/tx.js';
import { type EmbeddedRedis, startEmbeddedRedis } from './embeddedRedis.js';

/** Where a client connects: a `redis://` URL, or ioredis options (a Sentinel group). */
export type RedisTarget = string | RedisOptions;

/** ioredis options for a Sentinel group; the master is looked up again after every disconnect. */
export function sentinelOptions(
  config: Pick<Config, 'redisSentinel' | 'redisPassword'>,
): RedisOptions | undefined {
  const s = config.redisSentinel;
  if (!s) return undefined;
  return {
    sentinels: s.sentinels,
    name: s.name,
    role: 'master',
    ...(config.redisPassword ? { password: config.redisPassword } : {}),
    ...(s.sentinelPassword ? { sentinelPassword: s.sentinelPassword } : {}),
    // Hear +switch-master from Sentinel instead of waiting for the old master's socket to die.
    failoverDetector: true,
  };
}

export class RedisSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisSettingsError';
  }
}

/** A connection that waits for Redis rather than failing a command while it reconnects. */
export function connectRedis(target: RedisTarget, log?: Logger): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 5_000),
    // A demoted master answers READONLY: reconnect, which asks Sentinel for the new one.
    reconnectOnError: (err) => err.message.startsWith('READONLY'),
  };
  const redis =
    typeof target === 'string' ? new Redis(target, options) : new Redis({ ...target, ...options });
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
export async function checkRedisSettings(redis: Redis, log: Logger, minReplicas = 0): Promise<void> {
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
  if (minReplicas > 0) {
    const replication = await redis.info('replication');
    const replicas = Number(infoField(replication, 'connected_slaves') ?? 0);
    if (replicas < minReplicas) {
      log.warn(
        { replicas, required: minReplicas },
        `Redis has ${replicas} connected replica(s) but REDIS_MIN_REPLICAS is ${minReplicas}: ` +
          'reports and other saves will fail (and users are told so) until enough replicas are connected.',
      );
    }
  }
}

export type RedisConfig = Pick<
  Config,
  'redisUrl' | 'redisSentinel' | 'redisPassword' | 'redisMinReplicas' | 'redisReplicaTimeoutMs' | 'dataDir'
>;

/**
 * The Redis this deployment uses: a Sentinel group (REDIS_SENTINELS), REDIS_URL, or the embedded
 * server in DATA_DIR (reusing one that is already running there, e.g. the bot's when the CLI
 * runs beside it). `target` is where BullMQ connects; saved writes through `redis` wait for
 * REDIS_MIN_REPLICAS replicas.
 */
export async function openConfiguredRedis(
  config: RedisConfig,
  log: Logger,
): Promise<{ redis: Redis; target: RedisTarget; close: () => Promise<void> }> {
  let embedded: EmbeddedRedis | undefined;
  let target: RedisTarget | undefined = sentinelOptions(config) ?? config.redisUrl;
  if (!target) {
    embedded = await startEmbeddedRedis({
      dir: path.join(config.dataDir, 'redis'),
      onInfo: (line) => log.info(line),
    });
    target = embedded.url;
  }
  const redis = connectRedis(target, log);
  requireReplicas(redis, { replicas: config.redisMinReplicas, timeoutMs: config.redisReplicaTimeoutMs });
  const close = async () => {
    await redis.quit().catch(() => redis.disconnect());
    // A server we merely joined belongs to whoever started it.
    if (embedded?.started) await embedded.stop();
  };
  try {
    await checkRedisSettings(redis, log, config.redisMinReplicas);
  } catch (err) {
    await close();
    throw err;
  }
  return { redis, target, close };
}
