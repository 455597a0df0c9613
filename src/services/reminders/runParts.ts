/**
 * How a run is carried out: tallies of what was queued, sends in bounded parallel, and parts
 * that fail without stopping the rest.
 */
import type { Logger } from '../../logger.js';
import type { SendResult } from '../../outbox/outbox.js';
import type { RunTally } from './types.js';

/** Sends and reads in flight at once during a run. */
const PARALLEL = 50;

/** A part of a run that failed, with what it was about. */
export interface Failure {
  what: Record<string, string | number>;
  err: unknown;
}

/** Runs one part of a run; a failure is collected instead of stopping the rest. */
export async function isolated(
  failures: Failure[],
  what: Record<string, string | number>,
  part: () => Promise<void>,
): Promise<void> {
  try {
    await part();
  } catch (err) {
    failures.push({ what, err });
  }
}

/** Logs each failure and throws one error naming how many there were, if any. */
export function failIfAny(log: Logger, failures: readonly Failure[], what: string): void {
  if (failures.length === 0) return;
  for (const f of failures) log.error({ err: f.err, ...f.what }, `${what}: one part failed`);
  throw new AggregateError(
    failures.map((f) => f.err),
    `${what}: ${failures.length} part(s) failed`,
  );
}

export function emptyTally(): RunTally {
  return { queued: 0, repeated: 0, deferred: 0 };
}

export function addAll(tally: RunTally, results: readonly SendResult[]): void {
  for (const r of results) {
    if (r.queued) tally.queued++;
    else tally.repeated++;
    if (r.deferredUntil !== undefined) tally.deferred++;
  }
}

/** Runs the tasks, `PARALLEL` at a time, keeping their order in the results. */
export async function inParallel<T>(tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < tasks.length; i += PARALLEL) {
    out.push(...(await Promise.all(tasks.slice(i, i + PARALLEL).map((t) => t()))));
  }
  return out;
}
