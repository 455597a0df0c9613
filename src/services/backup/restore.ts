/**
 * `restore FILE`: loads a backup into an empty Redis. The whole file is read and checked
 * first (header, every line, the key count), so a corrupt or truncated file loads nothing;
 * then it is loaded in MULTI batches, each key with the time it had left to live. Keys with
 * under a minute left (heartbeats, locks, an update being handled) are not loaded: they would
 * be gone before anyone could use them. A load that fails half way removes what it wrote.
 */
import type { Redis } from 'ioredis';
import {
  SNAPSHOT_FORMAT,
  SNAPSHOT_TYPES,
  SNAPSHOT_VERSION,
  type SnapshotEntry,
  type SnapshotHeader,
  snapshotEntrySchema,
  snapshotHeaderSchema,
} from '../../domain/snapshot.js';
import { calendarDate, DEFAULT_TIMEZONE, dayjs, formatNumber, formatVnDate } from '../../domain/vn.js';
import { backup as m } from '../../messages/backup.js';
import { databaseSize, deleteKeys, isApplicationKey, loadEntries } from '../../store/snapshot.js';
import { checkRestored } from './checks.js';
import { snapshotLines } from './snapshotFile.js';

export interface RestoreOutcome {
  ok: boolean;
  lines: string[];
  /** Keys loaded; undefined when nothing was. */
  loaded?: number;
}

/** Keys with less time than this left are not loaded. */
export const MIN_RESTORED_TTL_MS = 60_000;
const BATCH = 500;

type Checked = { ok: true; header: SnapshotHeader } | { ok: false; line: string };

function problemOf(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'sai cấu trúc';
  return issue.path.length > 0 ? `sai cấu trúc ở trường ${issue.path.map(String).join('.')}` : 'sai cấu trúc';
}

/** Reads the whole file once and checks it; nothing is written. */
async function checkFile(file: string): Promise<Checked> {
  let header: SnapshotHeader | undefined;
  const seen = new Set<string>();
  const types = new Map<string, number>();
  try {
    for await (const { n, text } of snapshotLines(file)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        if (n === 1) return { ok: false, line: m.notBackup(file) };
        return { ok: false, line: m.corrupt(file, formatNumber(n), 'không phải một dòng JSON') };
      }
      if (n === 1) {
        const format = (parsed as { format?: unknown } | null)?.format;
        if (format !== SNAPSHOT_FORMAT) return { ok: false, line: m.notBackup(file) };
        const version = Number((parsed as { version?: unknown }).version);
        if (version > SNAPSHOT_VERSION)
          return { ok: false, line: m.newerVersion(file, String(version), String(SNAPSHOT_VERSION)) };
        const h = snapshotHeaderSchema.safeParse(parsed);
        if (!h.success) return { ok: false, line: m.corrupt(file, '1', problemOf(h.error.issues[0])) };
        header = h.data;
        continue;
      }
      const e = snapshotEntrySchema.safeParse(parsed);
      if (!e.success)
        return { ok: false, line: m.corrupt(file, formatNumber(n), problemOf(e.error.issues[0])) };
      if (!isApplicationKey(e.data.key))
        return {
          ok: false,
          line: m.corrupt(file, formatNumber(n), `khóa ${e.data.key} không thuộc dữ liệu của bot`),
        };
      if (seen.has(e.data.key))
        return { ok: false, line: m.corrupt(file, formatNumber(n), `khóa ${e.data.key} xuất hiện hai lần`) };
      seen.add(e.data.key);
      types.set(e.data.type, (types.get(e.data.type) ?? 0) + 1);
    }
  } catch (err) {
    return { ok: false, line: m.unreadable(file, err instanceof Error ? err.message : String(err)) };
  }
  if (!header) return { ok: false, line: m.notBackup(file) };
  if (seen.size !== header.keys)
    return { ok: false, line: m.truncated(file, formatNumber(header.keys), formatNumber(seen.size)) };
  for (const t of SNAPSHOT_TYPES)
    if ((types.get(t) ?? 0) !== (header.types[t] ?? 0)) return { ok: false, line: m.typesDiffer(file) };
  return { ok: true, header };
}

async function serverNow(redis: Redis): Promise<number> {
  const [seconds, micros] = (await redis.time()) as [string | number, string | number];
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** "15/09/2025 02:00", in the deployment's time zone. */
function takenAtText(ms: number, timezone: string): string {
  return `${formatVnDate(calendarDate(ms, timezone))} ${dayjs(ms).tz(timezone).format('HH:mm')}`;
}

export async function restoreBackup(
  redis: Redis,
  file: string,
  opts: { timezone?: string } = {},
): Promise<RestoreOutcome> {
  const present = await databaseSize(redis);
  if (present > 0) return { ok: false, lines: [m.notEmpty(formatNumber(present))] };
  const checked = await checkFile(file);
  if (!checked.ok) return { ok: false, lines: [checked.line] };
  const { header } = checked;
  // Someone may have started the bot on this Redis while the file was checked.
  const nowPresent = await databaseSize(redis);
  if (nowPresent > 0) return { ok: false, lines: [m.notEmpty(formatNumber(nowPresent))] };

  const now = await serverNow(redis);
  const written: string[] = [];
  let expired = 0;
  let batch: (SnapshotEntry & { loadTtlMs: number | null })[] = [];
  const flush = async () => {
    written.push(...batch.map((e) => e.key));
    await loadEntries(redis, batch);
    batch = [];
  };
  try {
    for await (const { n, text } of snapshotLines(file)) {
      if (n === 1) continue;
      // Checked line by line above; the file is not parsed by zod twice.
      const entry = JSON.parse(text) as SnapshotEntry;
      let loadTtlMs: number | null = null;
      if (entry.ttlMs !== null) {
        loadTtlMs = header.takenAtMs + entry.ttlMs - now;
        if (loadTtlMs < MIN_RESTORED_TTL_MS) {
          expired++;
          continue;
        }
      }
      batch.push({ ...entry, loadTtlMs });
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length > 0) await flush();
  } catch (err) {
    await deleteKeys(redis, written).catch(() => {});
    return { ok: false, lines: [m.loadFailed(err instanceof Error ? err.message : String(err))] };
  }
  const loaded = written.length;
  const lines = [
    m.restored(
      formatNumber(loaded),
      formatNumber(expired),
      takenAtText(header.takenAtMs, opts.timezone ?? DEFAULT_TIMEZONE),
    ),
  ];
  const checks = await checkRestored(redis, loaded);
  return { ok: checks.ok, loaded, lines: [...lines, ...checks.lines] };
}
