/**
 * `backup --out FILE [--max-pause-ms N]` and `restore FILE`: a consistent snapshot of all
 * application data (not the job queues) as gzip-compressed JSON lines, and its restore into an
 * empty Redis with checks. Results go to stdout, problems to stderr; a failed check exits 1.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_PAUSE_MS, restoreBackup, takeBackup } from '../services/backup/index.js';
import { type RedisCliCommand, UsageError } from './context.js';

function options(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, 'max-pause-ms': { type: 'string' } },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

export const backupCli: RedisCliCommand = {
  name: 'backup',
  usage: ['backup --out FILE.jsonl.gz [--max-pause-ms 30000]'],
  raw: true,
  async run(args, { redis, out, err }) {
    const { values, positionals } = options(args);
    if (!values.out || positionals.length > 0)
      throw new UsageError('backup needs --out FILE and nothing else');
    const pause = values['max-pause-ms'] ?? String(DEFAULT_MAX_PAUSE_MS);
    if (!/^\d{2,6}$/.test(pause) || Number(pause) < 100)
      throw new UsageError('--max-pause-ms must be a whole number of milliseconds, at least 100');
    const outcome = await takeBackup(redis, values.out, { maxPauseMs: Number(pause) });
    for (const line of outcome.lines) (outcome.ok ? out : err)(line);
    return outcome.ok ? 0 : 1;
  },
};

export const restoreCli: RedisCliCommand = {
  name: 'restore',
  usage: ['restore FILE.jsonl.gz   (into an empty Redis; checks counts and aggregates after loading)'],
  raw: true,
  async run(args, { redis, config, out, err }) {
    const { positionals, values } = options(args);
    if (positionals.length !== 1 || values.out !== undefined)
      throw new UsageError('restore needs exactly one FILE');
    const outcome = await restoreBackup(redis, positionals[0]!, { timezone: config.timezone });
    for (const line of outcome.lines) (outcome.ok ? out : err)(line);
    return outcome.ok ? 0 : 1;
  },
};
