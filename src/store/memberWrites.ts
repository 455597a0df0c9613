/**
 * What every change to the register writes besides the record itself (its badge entry, the
 * probation set, history, audit, the version bump), and the pipelining helpers the register's
 * reads share.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { isProbationary, type Member } from '../domain/members/member.js';
import { probationEnds } from '../domain/members/probation.js';
import { auditInto } from './audit.js';
import { recordReceipt } from './cards.js';
import {
  anchorKeyOf,
  compactDate,
  historyKey,
  locBucket,
  locKey,
  PROBATION_KEY,
  packBadgeEntry,
  packRegister,
  VERSION_KEY,
} from './memberRecords.js';

/** Commands per pipeline when reading many keys. */
export const BATCH = 1000;

/** A member as history keeps them: the record without the id. */
export type MemberSnapshot = Omit<Member, 'id'>;

export type MemberAction = 'admit' | 'import' | 'official' | 'transfer' | 'close';

/** One change to a member: who, when, what, and the record before and after. */
export interface MemberHistoryEntry {
  at: number;
  actor: string;
  action: MemberAction;
  before?: MemberSnapshot;
  after: MemberSnapshot;
}

/** Who changes and when; `actor` is a Telegram id, "cli" or "system". */
export interface ChangeBy {
  actor: string | number;
  now: number;
  /**
   * The card («Xác nhận») the change was made from: its receipt is written with the change, so
   * a press redelivered after a crash finds the change made (`src/store/cards.ts`).
   */
  card?: string;
}

const snapshot = ({ id: _id, ...rest }: Member): MemberSnapshot => rest;

/** The history entry, the audit entry and the version bump of one member's change. */
export function recordChange(
  tx: ChainableCommander,
  by: ChangeBy,
  action: MemberAction,
  after: Member,
  before?: Member,
): void {
  const actor = String(by.actor);
  const entry: MemberHistoryEntry = {
    at: by.now,
    actor,
    action,
    ...(before ? { before: snapshot(before) } : {}),
    after: snapshot(after),
  };
  tx.rpush(historyKey(after.id), JSON.stringify(entry));
  // The receipt names the member and the branch they were in before (a transfer's origin).
  if (by.card) recordReceipt(tx, by.card, { at: by.now, ref: `${after.id}:${(before ?? after).branch}` });
  tx.incr(VERSION_KEY);
  auditInto(tx, {
    actor,
    action: `member.${action}`,
    subject: `member:${after.id}`,
    ...(before ? { before: snapshot(before) } : {}),
    after: snapshot(after),
    at: by.now,
  });
}

/** Writes a branch's register whole (SET keeps the string at its exact size); none deletes it. */
export function writeRegister(tx: ChainableCommander, key: string, members: Iterable<Member>): void {
  const blob = packRegister(members);
  if (blob === '') tx.del(key);
  else tx.set(key, blob);
}

/** A member's badge entry and place in the probation set, added. */
export function indexAdd(tx: ChainableCommander, m: Member): void {
  tx.rpush(anchorKeyOf(m), packBadgeEntry(m));
  if (isProbationary(m)) tx.zadd(PROBATION_KEY, compactDate(probationEnds(m.joined)), m.id);
}

/** A member's badge entry and place in the probation set, removed (the entry is exact, so no read). */
export function indexRemove(tx: ChainableCommander, m: Member): void {
  tx.lrem(anchorKeyOf(m), 1, packBadgeEntry(m));
  if (isProbationary(m)) tx.zrem(PROBATION_KEY, m.id);
}

/**
 * Index changes of many members at once: one RPUSH per anchor day and a few ZADDs, where an
 * import of a whole province would otherwise queue millions of single-member commands.
 */
export class IndexChanges {
  private readonly entryAdds = new Map<string, string[]>();
  private readonly entryRemovals: [string, string][] = [];
  private readonly probationAdds: (string | number)[] = [];
  private readonly probationRemovals: number[] = [];

  add(m: Member): void {
    push(this.entryAdds, anchorKeyOf(m), packBadgeEntry(m));
    if (isProbationary(m)) this.probationAdds.push(compactDate(probationEnds(m.joined)), m.id);
  }

  /** What changes between two versions of a member: nothing when neither entry nor probation does. */
  move(before: Member, after: Member): void {
    const was = packBadgeEntry(before);
    const is = packBadgeEntry(after);
    if (was !== is) {
      this.entryRemovals.push([anchorKeyOf(before), was]);
      push(this.entryAdds, anchorKeyOf(after), is);
    }
    if (isProbationary(before) && !isProbationary(after)) this.probationRemovals.push(after.id);
    if (isProbationary(after) && (!isProbationary(before) || before.joined !== after.joined)) {
      this.probationAdds.push(compactDate(probationEnds(after.joined)), after.id);
    }
  }

  /** Removals first, so an entry removed and added back in one import survives. */
  writeTo(tx: ChainableCommander): void {
    for (const [key, entry] of this.entryRemovals) tx.lrem(key, 1, entry);
    for (const [key, entries] of this.entryAdds) tx.rpush(key, ...entries);
    for (let i = 0; i < this.probationRemovals.length; i += BATCH)
      tx.zrem(PROBATION_KEY, ...this.probationRemovals.slice(i, i + BATCH));
    for (let i = 0; i < this.probationAdds.length; i += 2 * BATCH)
      tx.zadd(PROBATION_KEY, ...this.probationAdds.slice(i, i + 2 * BATCH));
  }
}

/** Appends to the list kept under `key`. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Groups items by a key, keeping their order. */
export function groupBy<K, V>(items: Iterable<V>, key: (v: V) => K): Map<K, V[]> {
  const out = new Map<K, V[]>();
  for (const v of items) push(out, key(v), v);
  return out;
}

/** Executes a pipeline or MULTI and returns its replies, throwing the first error. */
export async function execAll(pipe: ChainableCommander): Promise<unknown[]> {
  const replies = (await pipe.exec()) ?? [];
  return replies.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

/** Runs `fill` on pipelines of at most BATCH items and returns every reply, in order. */
export async function pipelined<T>(
  conn: Redis,
  items: readonly T[],
  fill: (pipe: ChainableCommander, item: T) => void,
): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i += BATCH) {
    const pipe = conn.pipeline();
    for (const item of items.slice(i, i + BATCH)) fill(pipe, item);
    for (const reply of await execAll(pipe)) out.push(reply);
  }
  return out;
}

/** The branch each known member is registered in, by id: one HMGET per location bucket. */
export async function locateOn(conn: Redis, ids: readonly number[]): Promise<Map<number, string>> {
  const groups = [...groupBy(new Set(ids), locBucket).values()];
  const replies = await pipelined(conn, groups, (p, g) => p.hmget(locKey(g[0]!), ...g.map(String)));
  const out = new Map<number, string>();
  groups.forEach((g, i) => {
    const branches = replies[i] as (string | null)[];
    g.forEach((id, k) => {
      const b = branches[k];
      if (b != null) out.set(id, b);
    });
  });
  return out;
}
