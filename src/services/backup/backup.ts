/**
 * `backup --out FILE`: all application data at one point in time (read under a pause of
 * writers, see `store/snapshot.ts`), then written to the file once the pause is over.
 */
import type { Redis } from 'ioredis';
import { countTypes, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type SnapshotHeader } from '../../domain/snapshot.js';
import { formatNumber } from '../../domain/vn.js';
import { backup as m } from '../../messages/backup.js';
import { readConsistentSnapshot } from '../../store/snapshot.js';
import { writeSnapshotFile } from './snapshotFile.js';

export interface BackupOutcome {
  ok: boolean;
  lines: string[];
  /** Keys written, when ok. */
  keys?: number;
}

/**
 * Writers wait at most this long; a backup that needs longer fails rather than tear. Reading
 * takes seconds per hundred thousand keys (`npm run bench -- backup`). @defaultValue 30000
 */
export const DEFAULT_MAX_PAUSE_MS = 30_000;

export async function takeBackup(
  redis: Redis,
  file: string,
  opts: { maxPauseMs?: number } = {},
): Promise<BackupOutcome> {
  const maxPauseMs = opts.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS;
  const read = await readConsistentSnapshot(redis, { maxPauseMs });
  if (!read.ok) {
    if (read.reason === 'redis_too_old') return { ok: false, lines: [m.redisTooOld(read.redisVersion)] };
    if (read.reason === 'pause_refused') return { ok: false, lines: [m.pauseRefused(read.detail)] };
    return {
      ok: false,
      lines: [m.pauseTooShort(formatNumber(read.tookMs), formatNumber(read.maxPauseMs))],
    };
  }
  const { snapshot } = read;
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    takenAt: new Date(snapshot.takenAtMs).toISOString(),
    takenAtMs: snapshot.takenAtMs,
    keys: snapshot.entries.length,
    types: countTypes(snapshot.entries),
    redisVersion: snapshot.redisVersion,
  };
  await writeSnapshotFile(file, header, snapshot.entries);
  return {
    ok: true,
    keys: snapshot.entries.length,
    lines: [m.written(file, formatNumber(snapshot.entries.length), formatNumber(snapshot.pausedMs))],
  };
}
