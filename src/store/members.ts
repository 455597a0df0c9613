/**
 * The member register: every branch's đảng viên, their history and the counts other rules read.
 * Key layout and record format: `memberRecords.ts`.
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
import type { MemberCsvError, MemberRow } from '../domain/members/memberCsv.js';
import { probationEnds } from '../domain/members/probation.js';
import { addDays, type IsoDate } from '../domain/vn.js';
import { auditInto } from './audit.js';
import {
  activeKey,
  admissionsField,
  anchorKey,
  anchorKeyOf,
  cardBucketKey,
  closedKey,
  compactDate,
  countsKey,
  historyKey,
  locBucket,
  locKey,
  PROBATION_KEY,
  packBadgeEntry,
  packMember,
  SEQ_KEY,
  targetKey,
  unpackBadgeEntry,
  unpackMember,
  VERSION_KEY,
} from './memberRecords.js';
import { watchedTransaction } from './tx.js';

/** Commands per pipeline when reading or watching many keys. */
const BATCH = 1000;

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

/** Full and probationary members of a branch (active memberships only). */
export interface BranchCounts {
  official: number;
  probationary: number;
}

export type MemberImportResult =
  | {
      ok: true;
      /** Ids of new members, in file order. */
      created: number[];
      /** Ids of members whose record changed. */
      updated: number[];
      unchanged: number;
      /** Ids of updated members the file put in another branch. */
      moved: number[];
    }
  | { ok: false; errors: MemberCsvError[] };

/** Why a change to one member was not made: the store's own reasons, or the caller's check. */
export type ChangeOutcome<R extends string> =
  | { ok: true; before: Member; after: Member }
  | { ok: false; reason: 'unknown_member' | 'closed' | R; member?: Member };

export type AdmitOutcome =
  | { ok: true; member: Member }
  | { ok: false; reason: 'card_taken' | 'duplicate_person'; other: Member };

/** Who changes and when; `actor` is a Telegram id, "cli" or "system". */
export interface ChangeBy {
  actor: string | number;
  now: number;
}

const snapshot = ({ id: _id, ...rest }: Member): MemberSnapshot => rest;
const yearOf = (date: IsoDate) => Number(date.slice(0, 4));
/** The branch whose admissions a member counts in. */
const creditedTo = (m: Pick<Member, 'admittedBy' | 'branch'>) => m.admittedBy ?? m.branch;

function groupBy<K, V>(items: Iterable<V>, key: (v: V) => K): Map<K, V[]> {
  const out = new Map<K, V[]>();
  for (const v of items) {
    const k = key(v);
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  }
  return out;
}

async function execAll(pipe: ChainableCommander): Promise<unknown[]> {
  const replies = (await pipe.exec()) ?? [];
  return replies.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

/** Runs `fill` on pipelines of at most BATCH items and returns every reply, in order. */
async function pipelined<T>(
  conn: Redis,
  items: readonly T[],
  fill: (pipe: ChainableCommander, item: T) => void,
): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i += BATCH) {
    const pipe = conn.pipeline();
    for (const item of items.slice(i, i + BATCH)) fill(pipe, item);
    out.push(...(await execAll(pipe)));
  }
  return out;
}

/** What a change writes besides the record: the badge entry and the probation set. */
function indexAdd(tx: ChainableCommander, m: Member): void {
  tx.rpush(anchorKeyOf(m), packBadgeEntry(m));
  if (isProbationary(m)) tx.zadd(PROBATION_KEY, compactDate(probationEnds(m.joined)), m.id);
}
function indexRemove(tx: ChainableCommander, m: Member): void {
  tx.lrem(anchorKeyOf(m), 1, packBadgeEntry(m));
  if (isProbationary(m)) tx.zrem(PROBATION_KEY, m.id);
}

/**
 * Index changes of many members at once: one RPUSH per anchor day and a few ZADDs, where an
 * import of a whole province would otherwise queue millions of single-member commands.
 */
class IndexChanges {
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

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const countField = (m: Member) => (isProbationary(m) ? 'p' : 'o');

function recordChange(
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
    if (missing.size > 0)
      for (const [id, m] of await this.read(this.redis, missing, closedKey)) found.set(id, m);
    return found;
  }

  /** The active members of a branch, in id order. */
  async branch(branch: string): Promise<Member[]> {
    return this.parseHash(branch, await this.redis.hgetall(activeKey(branch)));
  }

  /** The closed memberships of a branch, in id order. */
  async closedIn(branch: string): Promise<Member[]> {
    return this.parseHash(branch, await this.redis.hgetall(closedKey(branch)));
  }

  /** Full and probationary member counts of each branch (zeros for a branch without a register). */
  async counts(branches: readonly string[]): Promise<Map<string, BranchCounts>> {
    const replies = await pipelined(this.redis, branches, (p, b) => p.hmget(countsKey(b), 'o', 'p'));
    return new Map(
      branches.map((b, i) => {
        const [o, p] = (replies[i] as (string | null)[]) ?? [];
        return [b, { official: Number(o ?? 0), probationary: Number(p ?? 0) }];
      }),
    );
  }

  /** Members admitted in `year` that count for each branch. */
  async admissions(branches: readonly string[], year: number): Promise<Map<string, number>> {
    const field = admissionsField(year);
    const replies = await pipelined(this.redis, branches, (p, b) => p.hget(countsKey(b), field));
    return new Map(branches.map((b, i) => [b, Number(replies[i] ?? 0)]));
  }

  /** The active members of each branch, in id order. */
  async branches(codes: readonly string[]): Promise<Map<string, Member[]>> {
    const replies = await pipelined(this.redis, codes, (p, b) => p.hgetall(activeKey(b)));
    return new Map(codes.map((b, i) => [b, this.parseHash(b, replies[i] as Record<string, string>)]));
  }

  /**
   * The badge entries of the active members whose standing anchor lies in any of the day ranges
   * (inclusive): one list read per day, whatever the size of the register.
   */
  async badgeCandidates(ranges: readonly { from: IsoDate; to: IsoDate }[]): Promise<BadgeMember[]> {
    const days = new Set<IsoDate>();
    for (const { from, to } of ranges) {
      for (let d = from; d <= to; d = addDays(d, 1)) days.add(d);
    }
    const replies = await pipelined(this.redis, [...days], (p, day) => p.lrange(anchorKey(day), 0, -1));
    const out: BadgeMember[] = [];
    for (const entries of replies) for (const e of entries as string[]) out.push(unpackBadgeEntry(e));
    return out;
  }

  /** Active probationary members whose probation ends on or before `date`, with that end. */
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
  async locate(ids: readonly number[]): Promise<Map<number, string>> {
    return this.locateOn(this.redis, ids);
  }

  /** The active records of located members (members no longer active are left out), by id. */
  async activeAt(located: ReadonlyMap<number, string>): Promise<Map<number, Member>> {
    return this.read(this.redis, located, activeKey);
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
  async admit(input: MemberInput, by: ChangeBy): Promise<AdmitOutcome> {
    return watchedTransaction<AdmitOutcome>(this.redis, `the register of ${input.branch}`, async (conn) => {
      const keys = [activeKey(input.branch), closedKey(input.branch)];
      const card = input.cardNumber === null ? undefined : cardKey(input.cardNumber);
      if (card) keys.push(cardBucketKey(card));
      await conn.watch(...keys);
      if (card) {
        const holder = await conn.hget(cardBucketKey(card), card);
        if (holder !== null) {
          const other = await this.getOn(conn, Number(holder));
          if (other) return { result: { ok: false, reason: 'card_taken', other } };
        }
      }
      const [active, closed] = await Promise.all([
        conn.hgetall(activeKey(input.branch)),
        conn.hgetall(closedKey(input.branch)),
      ]);
      const key = personKey(input.fullName, input.birthDate);
      const same = [...this.parseHash(input.branch, active), ...this.parseHash(input.branch, closed)].find(
        (m) => personKey(m.fullName, m.birthDate) === key,
      );
      if (same) return { result: { ok: false, reason: 'duplicate_person', other: same } };

      const id = await conn.incr(SEQ_KEY);
      const member: Member = { ...input, id, admittedBy: null, closing: null };
      const tx = conn.multi();
      tx.hset(activeKey(member.branch), id, packMember(member));
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
    return this.changeActive<R | 'already_official'>(id, (before) => {
      if (!isProbationary(before)) return { refuse: 'already_official' };
      const refused = check(before);
      if (refused) return { refuse: refused };
      const after: Member = { ...before, officialSince: date };
      return {
        after,
        write: (tx) => {
          tx.hset(activeKey(after.branch), id, packMember(after));
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
    return this.changeActive<R | 'same_branch'>(
      id,
      (before) => {
        if (before.branch === to) return { refuse: 'same_branch' };
        const refused = check(before);
        if (refused) return { refuse: refused };
        const credited = creditedTo(before);
        const after: Member = { ...before, branch: to, admittedBy: credited === to ? null : credited };
        return {
          after,
          write: (tx) => {
            tx.hdel(activeKey(before.branch), String(id));
            tx.hset(activeKey(to), id, packMember(after));
            tx.hset(locKey(id), id, to);
            tx.lrem(anchorKeyOf(before), 1, packBadgeEntry(before));
            tx.rpush(anchorKeyOf(after), packBadgeEntry(after));
            tx.hincrby(countsKey(before.branch), countField(before), -1);
            tx.hincrby(countsKey(to), countField(after), 1);
            recordChange(tx, by, 'transfer', after, before);
          },
        };
      },
      [activeKey(to), closedKey(to)],
    );
  }

  /** Ends an active membership; the record moves to the branch's closed list. */
  close<R extends string>(
    id: number,
    closing: Closing,
    by: ChangeBy,
    check: (m: Member) => R | undefined = () => undefined,
  ): Promise<ChangeOutcome<R>> {
    return this.changeActive<R>(id, (before) => {
      const refused = check(before);
      if (refused) return { refuse: refused };
      const after: Member = { ...before, closing };
      return {
        after,
        write: (tx) => {
          tx.hdel(activeKey(before.branch), String(id));
          tx.hset(closedKey(before.branch), id, packMember(after));
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
  async importMembers(rows: readonly MemberRow[], by: ChangeBy): Promise<MemberImportResult> {
    return watchedTransaction<MemberImportResult>(this.redis, 'the member register', async (conn) => {
      // Every change bumps the version: watching it covers everything read below.
      await conn.watch(VERSION_KEY);
      // 1. Cards: who holds each card of the file, and where they are.
      const cards = [
        ...new Set(rows.flatMap((r) => (r.member.cardNumber ? [cardKey(r.member.cardNumber)] : []))),
      ];
      const holderReplies = await pipelined(conn, cards, (p, c) => p.hget(cardBucketKey(c), c));
      const holders = new Map<string, number>();
      cards.forEach((c, i) => {
        const v = holderReplies[i];
        if (typeof v === 'string') holders.set(c, Number(v));
      });
      const holderBranches = await this.locateOn(conn, [...new Set(holders.values())]);

      // 2. Every branch the import touches, read whole (active, closed and counters).
      const branches = [...new Set([...rows.map((r) => r.member.branch), ...holderBranches.values()])];
      const hashes = await pipelined(conn, branches, (p, b) => {
        p.hgetall(activeKey(b));
        p.hgetall(closedKey(b));
        p.hgetall(countsKey(b));
      });
      const byId = new Map<number, Member>();
      const active = new Map<string, Map<number, Member>>();
      const counters = new Map<string, Record<string, string>>();
      const people = new Map<string, Member[]>();
      branches.forEach((b, i) => {
        const live = this.parseHash(b, hashes[3 * i] as Record<string, string>);
        const closed = this.parseHash(b, hashes[3 * i + 1] as Record<string, string>);
        counters.set(b, hashes[3 * i + 2] as Record<string, string>);
        active.set(b, new Map(live.map((m) => [m.id, m])));
        for (const m of [...live, ...closed]) {
          byId.set(m.id, m);
          const key = `${b}|${personKey(m.fullName, m.birthDate)}`;
          const same = people.get(key);
          if (same) same.push(m);
          else people.set(key, [m]);
        }
      });

      // 3. Match each row to a member, or to nobody.
      const errors: MemberCsvError[] = [];
      const matchedAt = new Map<number, number>();
      const matches: { row: MemberRow; before?: Member }[] = [];
      for (const row of rows) {
        const { member: input, line } = row;
        const card = input.cardNumber ? cardKey(input.cardNumber) : undefined;
        const holder = card ? holders.get(card) : undefined;
        let before = holder !== undefined ? byId.get(holder) : undefined;
        if (!before) {
          const same = people.get(`${input.branch}|${personKey(input.fullName, input.birthDate)}`) ?? [];
          // Members with another card are other people of the same name and birth date.
          const candidates = card ? same.filter((m) => m.cardNumber === null) : same;
          if (card && candidates.length === 0 && same.length > 0) {
            errors.push({
              line,
              problem: 'card_conflict',
              value: input.cardNumber ?? '',
              card: same[0]!.cardNumber ?? '',
            });
            continue;
          }
          if (candidates.length > 1) {
            errors.push({ line, problem: 'same_member', value: input.fullName });
            continue;
          }
          before = candidates[0];
        }
        if (before?.closing) {
          errors.push({
            line,
            problem: 'closed_member',
            value: input.fullName,
            closing: { kind: before.closing.kind, date: before.closing.date },
          });
          continue;
        }
        if (before) {
          const first = matchedAt.get(before.id);
          if (first !== undefined) {
            errors.push({ line, problem: 'same_member', value: input.fullName, firstLine: first });
            continue;
          }
          matchedAt.set(before.id, line);
        }
        matches.push(before ? { row, before } : { row });
      }
      if (errors.length > 0) {
        return { result: { ok: false, errors: errors.sort((a, b) => a.line - b.line) } };
      }

      // 4. The records after the import.
      const fresh = matches.filter((m) => !m.before).length;
      const firstId = fresh > 0 ? (await conn.incrby(SEQ_KEY, fresh)) - fresh + 1 : 0;
      let nextId = firstId;
      const tx = conn.multi();
      const created: number[] = [];
      const updated: number[] = [];
      const moved: number[] = [];
      let unchanged = 0;
      const writes = new Map<string, (string | number)[]>();
      const removals = new Map<string, number[]>();
      const locs: Member[] = [];
      const admissions = new Map<string, number>();
      const admit = (branch: string, year: number, delta: number) => {
        const k = `${branch}\t${year}`;
        admissions.set(k, (admissions.get(k) ?? 0) + delta);
      };
      const put = (m: Member) => {
        const fields = writes.get(m.branch);
        if (fields) fields.push(m.id, packMember(m));
        else writes.set(m.branch, [m.id, packMember(m)]);
        active.get(m.branch)?.set(m.id, m);
      };
      const index = new IndexChanges();
      for (const { row, before } of matches) {
        const input = row.member;
        if (!before) {
          const m: Member = { ...input, id: nextId++, admittedBy: null, closing: null };
          put(m);
          locs.push(m);
          if (m.cardNumber) tx.hset(cardBucketKey(cardKey(m.cardNumber)), cardKey(m.cardNumber), m.id);
          index.add(m);
          admit(m.branch, yearOf(m.joined), 1);
          created.push(m.id);
          continue;
        }
        const credited = creditedTo(before);
        const after: Member = {
          ...input,
          id: before.id,
          cardNumber: input.cardNumber ?? before.cardNumber,
          admittedBy: credited === input.branch ? null : credited,
          closing: null,
        };
        if (packMember(after) === packMember(before) && after.branch === before.branch) {
          unchanged++;
          continue;
        }
        updated.push(after.id);
        if (after.branch !== before.branch) {
          moved.push(after.id);
          const out = removals.get(before.branch);
          if (out) out.push(before.id);
          else removals.set(before.branch, [before.id]);
          active.get(before.branch)?.delete(before.id);
          locs.push(after);
        }
        put(after);
        if (after.cardNumber && !before.cardNumber) {
          tx.hset(cardBucketKey(cardKey(after.cardNumber)), cardKey(after.cardNumber), after.id);
        }
        index.move(before, after);
        if (yearOf(before.joined) !== yearOf(after.joined)) {
          admit(credited, yearOf(before.joined), -1);
          admit(credited, yearOf(after.joined), 1);
        }
        recordChange(tx, by, 'import', after, before);
      }

      // 5. Records, locations and counters, a command per branch or bucket.
      index.writeTo(tx);
      for (const [branch, ids] of removals) tx.hdel(activeKey(branch), ...ids.map(String));
      for (const [branch, fields] of writes) tx.hset(activeKey(branch), ...fields);
      for (const [, group] of groupBy(locs, (m) => locBucket(m.id))) {
        tx.hset(locKey(group[0]!.id), ...group.flatMap((m) => [m.id, m.branch]));
      }
      // Counters whole, from the branches' records and the counters read: one command a branch.
      const admitted = new Map<string, Map<string, number>>();
      for (const [k, delta] of admissions) {
        const [branch, year] = k.split('\t') as [string, string];
        const years = admitted.get(branch) ?? new Map<string, number>();
        years.set(admissionsField(year), delta);
        admitted.set(branch, years);
      }
      for (const branch of new Set([...writes.keys(), ...removals.keys(), ...admitted.keys()])) {
        const stored = counters.get(branch);
        if (!stored) {
          // A branch credited with an admission but not read (the member has moved on since).
          for (const [field, delta] of admitted.get(branch) ?? [])
            tx.hincrby(countsKey(branch), field, delta);
          continue;
        }
        const fields: Record<string, number> = { o: 0, p: 0 };
        for (const m of active.get(branch)?.values() ?? []) fields[isProbationary(m) ? 'p' : 'o']!++;
        for (const [field, delta] of admitted.get(branch) ?? [])
          fields[field] = Number(stored[field] ?? 0) + delta;
        tx.hset(countsKey(branch), fields);
      }
      tx.incr(VERSION_KEY);
      auditInto(tx, {
        actor: String(by.actor),
        action: 'member.import',
        subject: 'members',
        after: {
          rows: rows.length,
          created: created.length,
          firstId: created.length > 0 ? firstId : undefined,
          updated: updated.length,
          unchanged,
          moved: moved.length,
        },
        at: by.now,
      });
      const result = { ok: true as const, created, updated, unchanged, moved };
      // Nothing changed: the queued MULTI is never sent.
      return created.length === 0 && updated.length === 0 ? { result } : { tx, result };
    });
  }

  // ------------------------------------------------------------------ internals

  /**
   * One change to one active member: watch where they are and their branch (and `alsoWatch`),
   * read them, let `decide` refuse or say what to write.
   */
  private changeActive<R extends string>(
    id: number,
    decide: (before: Member) => { refuse: R } | { after: Member; write: (tx: ChainableCommander) => void },
    alsoWatch: readonly string[] = [],
  ): Promise<ChangeOutcome<R>> {
    return watchedTransaction<ChangeOutcome<R>>(this.redis, `member ${id}`, async (conn) => {
      await conn.watch(locKey(id));
      const branch = await conn.hget(locKey(id), String(id));
      if (branch === null) return { result: { ok: false, reason: 'unknown_member' } };
      await conn.watch(activeKey(branch), closedKey(branch), ...alsoWatch);
      const [live, closed] = await Promise.all([
        conn.hget(activeKey(branch), String(id)),
        conn.hget(closedKey(branch), String(id)),
      ]);
      if (live === null) {
        if (closed === null) return { result: { ok: false, reason: 'unknown_member' } };
        return { result: { ok: false, reason: 'closed', member: unpackMember(id, branch, closed) } };
      }
      const before = unpackMember(id, branch, live);
      const decided = decide(before);
      if ('refuse' in decided) return { result: { ok: false, reason: decided.refuse, member: before } };
      const tx = conn.multi();
      decided.write(tx);
      return { tx, result: { ok: true, before, after: decided.after } };
    });
  }

  private async getOn(conn: Redis, id: number): Promise<Member | undefined> {
    const branch = await conn.hget(locKey(id), String(id));
    if (branch === null) return undefined;
    const [live, closed] = await Promise.all([
      conn.hget(activeKey(branch), String(id)),
      conn.hget(closedKey(branch), String(id)),
    ]);
    const packed = live ?? closed;
    return packed === null ? undefined : unpackMember(id, branch, packed);
  }

  private async locateOn(conn: Redis, ids: readonly number[]): Promise<Map<number, string>> {
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

  /** Records of located members from the hash `key(branch)`; absent ones are left out. */
  private async read(
    conn: Redis,
    located: ReadonlyMap<number, string>,
    key: (branch: string) => string,
  ): Promise<Map<number, Member>> {
    const groups = [...groupBy(located.keys(), (id) => located.get(id) as string)];
    const replies = await pipelined(conn, groups, (p, [branch, ids]) =>
      p.hmget(key(branch), ...ids.map(String)),
    );
    const out = new Map<number, Member>();
    groups.forEach(([branch, ids], i) => {
      const packed = replies[i] as (string | null)[];
      ids.forEach((id, k) => {
        const v = packed[k];
        if (v != null) out.set(id, unpackMember(id, branch, v));
      });
    });
    return out;
  }

  private parseHash(branch: string, hash: Record<string, string>): Member[] {
    return Object.entries(hash)
      .map(([id, packed]) => unpackMember(Number(id), branch, packed))
      .sort((a, b) => a.id - b.id);
  }
}
