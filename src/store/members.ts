/**
 * The member register: every branch's đảng viên, their history and the counts other rules read.
 * Key layout and record format: `memberRecords.ts`; what a change writes besides the record:
 * `memberWrites.ts`; the import: `memberImport.ts`.
 *
 * Every change is one optimistic transaction (WATCH the keys read, then one MULTI): the record,
 * its indexes, the branch counters, a history entry and an audit entry land together or not at
 * all. An import is all or nothing in the same way, however many rows it has; it writes one
 * audit entry for the file and a history entry for each member it changes (a member it creates
 * has the record itself as first version, which keeps a five-million-row import affordable).
 */
import type { ChainableCommander, Redis } from 'ioredis';
import type { BadgeMember } from '../domain/members/badgeList.js';
import {
  type Closing,
  cardKey,
  isProbationary,
  type Member,
  type MemberInput,
  personKey,
} from '../domain/members/member.js';
import type { MemberRow } from '../domain/members/memberCsv.js';
import { addDays, type IsoDate } from '../domain/vn.js';
import { auditInto } from './audit.js';
import { creditedTo, importStep, type MemberImportResult } from './memberImport.js';
import {
  activeKey,
  admissionsField,
  anchorKey,
  cardBucketKey,
  closedKey,
  compactDate,
  countsKey,
  historyKey,
  locKey,
  PROBATION_KEY,
  SEQ_KEY,
  targetKey,
  unpackBadgeEntry,
  unpackRegister,
} from './memberRecords.js';
import {
  type ChangeBy,
  execAll,
  groupBy,
  indexAdd,
  indexRemove,
  locateOn,
  type MemberHistoryEntry,
  pipelined,
  recordChange,
  writeRegister,
} from './memberWrites.js';
import { watchedTransaction } from './tx.js';

export type { MemberImportResult } from './memberImport.js';
export type { ChangeBy, MemberAction, MemberHistoryEntry, MemberSnapshot } from './memberWrites.js';

/** Full and probationary members of a branch (active memberships only). */
export interface BranchCounts {
  official: number;
  probationary: number;
}

/** Why a change to one member was not made: the store's own reasons, or the caller's check. */
export type ChangeOutcome<R extends string> =
  | { ok: true; before: Member; after: Member }
  | { ok: false; reason: 'unknown_member' | 'closed' | R; member?: Member };

export type AdmitOutcome =
  | { ok: true; member: Member }
  | { ok: false; reason: 'card_taken' | 'duplicate_person'; other: Member };

const yearOf = (date: IsoDate) => Number(date.slice(0, 4));

/** Anchor days a script call reads: about 10,000 entries at 5,000,000 members, a few ms of Redis. */
const DAYS_PER_CALL = 50;
/** Every element of the lists in KEYS, one per line (entries hold no newlines). */
const LISTS_SCRIPT = `
local out = {}
for _, key in ipairs(KEYS) do
  local items = redis.call('LRANGE', key, 0, -1)
  if #items > 0 then out[#out + 1] = table.concat(items, '\\n') end
end
return table.concat(out, '\\n')`;
const countField = (m: Member) => (isProbationary(m) ? 'p' : 'o');
const without = (members: readonly Member[], id: number) => members.filter((m) => m.id !== id);

/** The registers a single change read, for its decision to rewrite. */
interface Read {
  /** The member's branch: active and closed. */
  active: Member[];
  closed: Member[];
  /** The active register of the other branch a transfer names. */
  other: Member[];
}

type Decision<R extends string> =
  | { refuse: R }
  | { after: Member; write: (tx: ChainableCommander, read: Read) => void };

export class MemberStore {
  constructor(private readonly redis: Redis) {}

  // ------------------------------------------------------------------ reads

  /** One member, active or closed; undefined for an unknown id. */
  async get(id: number): Promise<Member | undefined> {
    return (await this.getMany([id])).get(id);
  }

  /** The members among `ids` that exist, active or closed, by id. */
  async getMany(ids: readonly number[]): Promise<Map<number, Member>> {
    const located = await this.locate(ids);
    const found = await this.activeAt(located);
    const missing = new Map([...located].filter(([id]) => !found.has(id)));
    if (missing.size > 0) for (const [id, m] of await this.read(missing, closedKey)) found.set(id, m);
    return found;
  }

  /** The active members of a branch, in id order. */
  async branch(branch: string): Promise<Member[]> {
    return unpackRegister(branch, await this.redis.get(activeKey(branch)));
  }

  /** The closed memberships of a branch, in id order. */
  async closedIn(branch: string): Promise<Member[]> {
    return unpackRegister(branch, await this.redis.get(closedKey(branch)));
  }

  /** The active members of each branch, in id order. */
  async branches(codes: readonly string[]): Promise<Map<string, Member[]>> {
    const replies = await pipelined(this.redis, codes, (p, b) => p.get(activeKey(b)));
    return new Map(codes.map((b, i) => [b, unpackRegister(b, replies[i] as string | null)]));
  }

  /** Full and probationary member counts of each branch (zeros for a branch without a register). */
  /** Adds the read of each branch's counts to a pipeline; `parseCounts` reads the replies. */
  queueCounts(p: ChainableCommander, branches: readonly string[]): void {
    for (const b of branches) p.hmget(countsKey(b), 'o', 'p');
  }

  async counts(branches: readonly string[]): Promise<Map<string, BranchCounts>> {
    return parseCounts(
      branches,
      await pipelined(this.redis, branches, (p, b) => p.hmget(countsKey(b), 'o', 'p')),
    );
  }

  /** Members admitted in `year` that count for each branch. */
  async admissions(branches: readonly string[], year: number): Promise<Map<string, number>> {
    const field = admissionsField(year);
    const replies = await pipelined(this.redis, branches, (p, b) => p.hget(countsKey(b), field));
    return new Map(branches.map((b, i) => [b, Number(replies[i] ?? 0)]));
  }

  /**
   * The badge entries of the active members whose standing anchor lies in any of the day ranges
   * (inclusive): every day's list is read, whatever the size of the register, by a script that
   * answers each batch of days with one string (a reply element per entry costs the client more
   * than the server's work).
   */
  async badgeCandidates(ranges: readonly { from: IsoDate; to: IsoDate }[]): Promise<BadgeMember[]> {
    const days = new Set<string>();
    for (const { from, to } of ranges) {
      for (let d = from; d <= to; d = addDays(d, 1)) days.add(anchorKey(d));
    }
    const keys = [...days];
    const out: BadgeMember[] = [];
    // All calls sent at once: Redis reads the next days while this side parses the last.
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < keys.length; i += DAYS_PER_CALL) {
      const chunk = keys.slice(i, i + DAYS_PER_CALL);
      calls.push(this.redis.eval(LISTS_SCRIPT, chunk.length, ...chunk));
    }
    for (const call of calls) {
      const text = String(await call);
      if (text !== '') for (const entry of text.split('\n')) out.push(unpackBadgeEntry(entry));
    }
    return out;
  }

  /** Active probationary members whose probation ends on or before `date`, with that end, soonest first. */
  async probationEndingBy(date: IsoDate): Promise<{ id: number; ends: IsoDate }[]> {
    const flat = await this.redis.zrangebyscore(PROBATION_KEY, '-inf', compactDate(date), 'WITHSCORES');
    const out: { id: number; ends: IsoDate }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const s = flat[i + 1] as string;
      out.push({ id: Number(flat[i]), ends: `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` });
    }
    return out;
  }

  /** The branch each known member is registered in, by id. */
  locate(ids: readonly number[]): Promise<Map<number, string>> {
    return locateOn(this.redis, ids);
  }

  /** The active records of located members (members no longer active are left out), by id. */
  activeAt(located: ReadonlyMap<number, string>): Promise<Map<number, Member>> {
    return this.read(located, activeKey);
  }

  /** The member's history, oldest first. */
  async history(id: number): Promise<MemberHistoryEntry[]> {
    return (await this.redis.lrange(historyKey(id), 0, -1)).map((e) => JSON.parse(e) as MemberHistoryEntry);
  }

  /** Targets of new members for `year`, for the units that have one. */
  async targets(units: readonly string[], year: number): Promise<Map<string, number>> {
    if (units.length === 0) return new Map();
    const values = await this.redis.hmget(targetKey(year), ...units);
    const out = new Map<string, number>();
    units.forEach((u, i) => {
      const v = values[i];
      if (v != null) out.set(u, Number(v));
    });
    return out;
  }

  // ------------------------------------------------------------------ changes

  /** Sets a unit's target of new members for a year (audited). */
  async setTarget(unit: string, year: number, target: number, by: ChangeBy): Promise<void> {
    const before = await this.redis.hget(targetKey(year), unit);
    const tx = this.redis.multi();
    tx.hset(targetKey(year), unit, target);
    auditInto(tx, {
      actor: String(by.actor),
      action: 'member.target',
      subject: `unit:${unit}/year:${year}`,
      ...(before != null ? { before: Number(before) } : {}),
      after: target,
      at: by.now,
    });
    await execAll(tx);
  }

  /**
   * Admits a new member (kết nạp): probationary unless an official date is given. Refused when
   * the card is already registered, or the branch already has a member with this name and birth
   * date (the same person entered twice).
   */
  admit(input: MemberInput, by: ChangeBy): Promise<AdmitOutcome> {
    return watchedTransaction<AdmitOutcome>(this.redis, `the register of ${input.branch}`, async (conn) => {
      const card = input.cardNumber === null ? undefined : cardKey(input.cardNumber);
      await conn.watch(
        activeKey(input.branch),
        closedKey(input.branch),
        ...(card ? [cardBucketKey(card)] : []),
      );
      if (card) {
        const holder = await conn.hget(cardBucketKey(card), card);
        const other =
          holder === null ? undefined : (await this.getManyOn(conn, [Number(holder)])).get(Number(holder));
        if (other) return { result: { ok: false, reason: 'card_taken', other } };
      }
      const [active, closed] = await Promise.all([
        conn.get(activeKey(input.branch)),
        conn.get(closedKey(input.branch)),
      ]);
      const members = unpackRegister(input.branch, active);
      const key = personKey(input.fullName, input.birthDate);
      const same = [...members, ...unpackRegister(input.branch, closed)].find(
        (m) => personKey(m.fullName, m.birthDate) === key,
      );
      if (same) return { result: { ok: false, reason: 'duplicate_person', other: same } };

      const id = await conn.incr(SEQ_KEY);
      const member: Member = { ...input, id, admittedBy: null, closing: null };
      const tx = conn.multi();
      writeRegister(tx, activeKey(member.branch), [...members, member]);
      tx.hset(locKey(id), id, member.branch);
      if (card) tx.hset(cardBucketKey(card), card, id);
      indexAdd(tx, member);
      tx.hincrby(countsKey(member.branch), countField(member), 1);
      tx.hincrby(countsKey(member.branch), admissionsField(yearOf(member.joined)), 1);
      recordChange(tx, by, 'admit', member);
      return { tx, result: { ok: true, member } };
    });
  }

  /**
   * Records chuyển chính thức on `date`. `check` sees the current record (inside the
   * transaction) and may refuse with a reason of the caller's.
   */
  makeOfficial<R extends string>(
    id: number,
    date: IsoDate,
    by: ChangeBy,
    check: (m: Member) => R | undefined = () => undefined,
  ): Promise<ChangeOutcome<R | 'already_official'>> {
    return this.changeActive<R | 'already_official'>(id, undefined, (before) => {
      if (!isProbationary(before)) return { refuse: 'already_official' };
      const refused = check(before);
      if (refused) return { refuse: refused };
      const after: Member = { ...before, officialSince: date };
      return {
        after,
        write: (tx, read) => {
          writeRegister(tx, activeKey(after.branch), [...without(read.active, id), after]);
          tx.zrem(PROBATION_KEY, id);
          tx.hincrby(countsKey(after.branch), 'p', -1);
          tx.hincrby(countsKey(after.branch), 'o', 1);
          recordChange(tx, by, 'official', after, before);
        },
      };
    });
  }

  /**
   * Moves an active member to another branch (chuyển sinh hoạt). Admissions keep counting for
   * the branch that admitted them.
   */
  transfer<R extends string>(
    id: number,
    to: string,
    by: ChangeBy,
    check: (m: Member) => R | undefined = () => undefined,
  ): Promise<ChangeOutcome<R | 'same_branch'>> {
    return this.changeActive<R | 'same_branch'>(id, to, (before) => {
      if (before.branch === to) return { refuse: 'same_branch' };
      const refused = check(before);
      if (refused) return { refuse: refused };
      const credited = creditedTo(before);
      const after: Member = { ...before, branch: to, admittedBy: credited === to ? null : credited };
      return {
        after,
        write: (tx, read) => {
          writeRegister(tx, activeKey(before.branch), without(read.active, id));
          writeRegister(tx, activeKey(to), [...read.other, after]);
          tx.hset(locKey(id), id, to);
          indexRemove(tx, before);
          indexAdd(tx, after);
          tx.hincrby(countsKey(before.branch), countField(before), -1);
          tx.hincrby(countsKey(to), countField(after), 1);
          recordChange(tx, by, 'transfer', after, before);
        },
      };
    });
  }

  /** Ends an active membership; the record moves to the branch's closed list. */
  close<R extends string>(
    id: number,
    closing: Closing,
    by: ChangeBy,
    check: (m: Member) => R | undefined = () => undefined,
  ): Promise<ChangeOutcome<R>> {
    return this.changeActive<R>(id, undefined, (before) => {
      const refused = check(before);
      if (refused) return { refuse: refused };
      const after: Member = { ...before, closing };
      return {
        after,
        write: (tx, read) => {
          writeRegister(tx, activeKey(before.branch), without(read.active, id));
          writeRegister(tx, closedKey(before.branch), [...read.closed, after]);
          indexRemove(tx, before);
          tx.hincrby(countsKey(before.branch), countField(before), -1);
          recordChange(tx, by, 'close', after, before);
        },
      };
    });
  }

  /**
   * Imports validated rows, all or nothing. A row updates the member with its card number, else
   * the member of its branch with its name and birth date, else it adds a member. Refused rows
   * (a closed membership, a card that contradicts the register, two rows for one member) come
   * back as errors by line, and nothing is written.
   */
  importMembers(rows: readonly MemberRow[], by: ChangeBy): Promise<MemberImportResult> {
    return watchedTransaction<MemberImportResult>(this.redis, 'the member register', (conn) =>
      importStep(conn, rows, by),
    );
  }

  // ------------------------------------------------------------------ internals

  /**
   * One change to one active member: watch where they are, their branch's registers (and the
   * active register of `other`, a transfer's destination), read them, and let `decide` refuse
   * or say what to write.
   */
  private changeActive<R extends string>(
    id: number,
    other: string | undefined,
    decide: (before: Member) => Decision<R>,
  ): Promise<ChangeOutcome<R>> {
    return watchedTransaction<ChangeOutcome<R>>(this.redis, `member ${id}`, async (conn) => {
      await conn.watch(locKey(id));
      const branch = await conn.hget(locKey(id), String(id));
      if (branch === null) return { result: { ok: false, reason: 'unknown_member' } };
      const otherKey = other !== undefined && other !== branch ? activeKey(other) : undefined;
      await conn.watch(activeKey(branch), closedKey(branch), ...(otherKey ? [otherKey] : []));
      const [active, closed, otherBlob] = await Promise.all([
        conn.get(activeKey(branch)),
        conn.get(closedKey(branch)),
        otherKey ? conn.get(otherKey) : Promise.resolve(null),
      ]);
      const read: Read = {
        active: unpackRegister(branch, active),
        closed: unpackRegister(branch, closed),
        other: other !== undefined ? unpackRegister(other, otherBlob) : [],
      };
      const before = read.active.find((m) => m.id === id);
      if (!before) {
        const gone = read.closed.find((m) => m.id === id);
        return {
          result: gone
            ? { ok: false, reason: 'closed', member: gone }
            : { ok: false, reason: 'unknown_member' },
        };
      }
      const decided = decide(before);
      if ('refuse' in decided) return { result: { ok: false, reason: decided.refuse, member: before } };
      const tx = conn.multi();
      decided.write(tx, read);
      return { tx, result: { ok: true, before, after: decided.after } };
    });
  }

  private async getManyOn(conn: Redis, ids: readonly number[]): Promise<Map<number, Member>> {
    const located = await locateOn(conn, ids);
    const found = await this.read(located, activeKey, conn);
    for (const [id, m] of await this.read(located, closedKey, conn)) if (!found.has(id)) found.set(id, m);
    return found;
  }

  /** Records of located members from the register `key(branch)`; absent ones are left out. */
  private async read(
    located: ReadonlyMap<number, string>,
    key: (branch: string) => string,
    conn: Redis = this.redis,
  ): Promise<Map<number, Member>> {
    const groups = [...groupBy(located.keys(), (id) => located.get(id) as string)];
    const replies = await pipelined(conn, groups, (p, [branch]) => p.get(key(branch)));
    const out = new Map<number, Member>();
    groups.forEach(([branch, ids], i) => {
      const wanted = new Set(ids);
      for (const m of unpackRegister(branch, replies[i] as string | null))
        if (wanted.has(m.id)) out.set(m.id, m);
    });
    return out;
  }
}

/** Each branch's counts from `queueCounts`'s replies, in order. */
export function parseCounts(
  branches: readonly string[],
  replies: readonly unknown[],
): Map<string, BranchCounts> {
  return new Map(
    branches.map((b, i) => {
      const [o, p] = (replies[i] as (string | null)[] | undefined) ?? [];
      return [b, { official: Number(o ?? 0), probationary: Number(p ?? 0) }];
    }),
  );
}
