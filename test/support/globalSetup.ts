/**
 * One real redis-server for the whole run, on a free port with a temporary directory. Never a
 * mock, and never the Redis a developer may have on 6379. Test files take their own logical
 * database from it (see `redis.ts`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedRedis } from '../../src/infra/embeddedRedis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chibo-test-redis-'));
  // In the run's own process group: Ctrl-C on the test run stops this throwaway server too.
  const redis = await startEmbeddedRedis({
    dir,
    appendfsync: 'everysec',
    databases: 256,
    ownProcessGroup: false,
  });
  project.provide('redisUrl', redis.url);
  process.env.TEST_REDIS_URL = redis.url;
  return async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
