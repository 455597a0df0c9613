/**
 * A real replicated Redis for failover tests: a master, one replica and three Sentinels, each a
 * `redis-server` child process on a free loopback port with its own temporary directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { ensureRedisBinary, freePort } from '../../src/infra/embeddedRedis.js';

export const SENTINEL_MASTER_NAME = 'chibo';

export interface ReplicatedRedis {
  masterPort: number;
  replicaPort: number;
  sentinelPorts: number[];
  /** `REDIS_SENTINELS` for these Sentinels. */
  sentinelsEnv: string;
  /** The port Sentinel names as master right now. */
  currentMasterPort(): Promise<number>;
  /** SIGKILL of the first master: no shutdown, no last AOF write. */
  killMaster(): void;
  /** Starts the killed master again on its port and data; Sentinel makes it a replica. */
  restartOldMaster(): Promise<void>;
  stop(): Promise<void>;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A short-lived client that gives up at once rather than queueing. */
async function ask<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectTimeout: 500,
  });
  r.on('error', () => {});
  try {
    await r.connect();
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

function infoField(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

export async function startReplicatedRedis(): Promise<ReplicatedRedis> {
  const bin = ensureRedisBinary();
  const root = mkdtempSync(path.join(os.tmpdir(), 'chibo-sentinel-'));
  const children: ChildProcess[] = [];
  const run = (args: string[]): ChildProcess => {
    const child = spawn(bin, args, { stdio: 'ignore' });
    children.push(child);
    return child;
  };
  const serverArgs = (port: number, dir: string) => [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--logfile',
    path.join(dir, 'redis.log'),
  ];
  const mkdir = (name: string) => {
    const dir = path.join(root, name);
    mkdirSync(dir);
    return dir;
  };

  const masterPort = await freePort();
  const replicaPort = await freePort();
  const masterDir = mkdir('master');
  let master = run(serverArgs(masterPort, masterDir));
  run([...serverArgs(replicaPort, mkdir('replica')), '--replicaof', '127.0.0.1', String(masterPort)]);
  await waitFor('the replica to sync', async () => {
    const info = await ask(replicaPort, (r) => r.info('replication'));
    return infoField(info, 'master_link_status') === 'up' ? true : undefined;
  });

  const sentinelPorts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const dir = mkdir(`sentinel-${i}`);
    const conf = path.join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `logfile ${path.join(dir, 'sentinel.log')}`,
        `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${masterPort} 2`,
        `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} 1000`,
        `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 10000`,
        `sentinel parallel-syncs ${SENTINEL_MASTER_NAME} 1`,
        '',
      ].join('\n'),
    );
    run([conf, '--sentinel']);
    sentinelPorts.push(port);
  }
  // A failover needs every Sentinel to know the replica and a majority of the others.
  for (const port of sentinelPorts) {
    await waitFor(`Sentinel ${port} to see the replica and its peers`, async () => {
      const replicas = (await ask(port, (r) =>
        r.call('SENTINEL', 'REPLICAS', SENTINEL_MASTER_NAME),
      )) as unknown[];
      const peers = (await ask(port, (r) =>
        r.call('SENTINEL', 'SENTINELS', SENTINEL_MASTER_NAME),
      )) as unknown[];
      return replicas.length >= 1 && peers.length >= 2 ? true : undefined;
    });
  }

  const currentMasterPort = async () => {
    for (const port of sentinelPorts) {
      try {
        const addr = (await ask(port, (r) =>
          r.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER_NAME),
        )) as [string, string];
        return Number(addr[1]);
      } catch {
        // ask the next one
      }
    }
    throw new Error('no Sentinel answered');
  };

  return {
    masterPort,
    replicaPort,
    sentinelPorts,
    sentinelsEnv: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
    currentMasterPort,
    killMaster: () => {
      master.kill('SIGKILL');
    },
    restartOldMaster: async () => {
      master = run(serverArgs(masterPort, masterDir));
      await waitFor('the old master to come back', async () =>
        (await ask(masterPort, (r) => r.ping())) === 'PONG' ? true : undefined,
      );
    },
    stop: async () => {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGKILL');
            }),
        ),
      );
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Replicas of the Redis on `port` that finished their sync and stream writes (state=online). */
export async function onlineReplicas(port: number): Promise<number> {
  const info = await ask(port, (r) => r.info('replication'));
  return info.split('\n').filter((line) => /^slave\d+:.*state=online/.test(line)).length;
}
