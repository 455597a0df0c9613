/**
 * Reads the export rows share: branch paths, parent units, reporters' names, and batched reads
 * of stored reports.
 */

import { nameWithTitle } from '../../domain/personIdentity.js';
import type { Unit } from '../../domain/units.js';
import type { Person } from '../../store/people.js';
import type { Organisation } from '../organisation.js';

/** Reports read concurrently (pipelined on the connection) when filling the rows. */
const READ_BATCH = 500;

/** "T/XA/CB01" for each branch: its ancestors' codes and its own. */
export async function paths(
  org: Organisation,
  codes: readonly string[],
  found: ReadonlyMap<string, Unit>,
): Promise<Map<string, string>> {
  const ancestors = await org.units.ancestorsMany(codes.filter((c) => found.has(c)));
  return new Map(codes.map((c) => [c, [...(ancestors.get(c) ?? []), c].join('/')]));
}

/** The parent units of the given units, by code. */
export function parentsOf(org: Organisation, units: ReadonlyMap<string, Unit>): Promise<Map<string, Unit>> {
  const codes = [...new Set([...units.values()].flatMap((u) => (u.parent ? [u.parent] : [])))];
  return org.units.getMany(codes);
}

/** Names (recorded, with title; else Telegram's) of the people behind `savedBy` ids ("cli" and unknown ids have none). */
export async function names(org: Organisation, ids: readonly string[]): Promise<Map<string, string>> {
  const numeric = [...new Set(ids.filter((id) => /^\d+$/.test(id)))].map(Number);
  const people = numeric.length > 0 ? await org.people.getMany(numeric) : [];
  return new Map(people.flatMap((p) => (personName(p) ? [[String(p.id), personName(p)]] : [])));
}

/** "Nguyễn Văn Hùng, Bí thư Đảng ủy phường" as recorded; else the Telegram name, "@handle", or nothing. */
function personName(p: Person): string {
  if (p.fullName) return nameWithTitle(p);
  const name = [p.firstName, p.lastName].filter(Boolean).join(' ').trim();
  return name || (p.username ? `@${p.username}` : '');
}

/** Runs `fn` for every item, `READ_BATCH` at a time (their Redis calls pipeline on the connection). */
export async function inBatches<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += READ_BATCH) {
    await Promise.all(items.slice(i, i + READ_BATCH).map(fn));
  }
}
