/**
 * The import of a register file as one optimistic transaction: read what the rows touch, match
 * each row to a member (by card number, else by branch, name and birth date), refuse rows that
 * contradict the register, then write every record, index, counter and history entry in one
 * MULTI. It WATCHes only the register's version key, which every change bumps: Redis checks a
 * client's watched keys one by one, so watching each key read would be quadratic in the file.
 */
import type { Redis } from 'ioredis';
import { cardKey, isProbationary, type Member, personKey } from '../domain/members/member.js';
import type { MemberCsvError, MemberRow } from '../domain/members/memberCsv.js';
import type { IsoDate } from '../domain/vn.js';
import { auditInto } from './audit.js';
import {
  activeKey,
  admissionsField,
  cardBucketKey,
  closedKey,
  countsKey,
  locBucket,
  locKey,
  packMember,
  SEQ_KEY,
  unpackRegister,
  VERSION_KEY,
} from './memberRecords.js';
import {
  type ChangeBy,
  groupBy,
  IndexChanges,
  locateOn,
  pipelined,
  push,
  recordChange,
  writeRegister,
} from './memberWrites.js';
import type { WatchedStep } from './tx.js';

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

const yearOf = (date: IsoDate) => Number(date.slice(0, 4));
/** The branch whose admissions a member counts in. */
export const creditedTo = (m: Pick<Member, 'admittedBy' | 'branch'>) => m.admittedBy ?? m.branch;

/** What the import read: every touched branch's members and counters, and who holds each card. */
interface Registers {
  active: Map<string, Map<number, Member>>;
  counters: Map<string, Record<string, string>>;
  byId: Map<number, Member>;
  /** `branch|name|birth` -> members (active and closed) of that branch. */
  people: Map<string, Member[]>;
  holders: Map<string, number>;
}

async function readRegisters(conn: Redis, rows: readonly MemberRow[]): Promise<Registers> {
  const cards = [
    ...new Set(rows.flatMap((r) => (r.member.cardNumber ? [cardKey(r.member.cardNumber)] : []))),
  ];
  const holderReplies = await pipelined(conn, cards, (p, c) => p.hget(cardBucketKey(c), c));
  const holders = new Map<string, number>();
  cards.forEach((c, i) => {
    const v = holderReplies[i];
    if (typeof v === 'string') holders.set(c, Number(v));
  });
  const holderBranches = await locateOn(conn, [...new Set(holders.values())]);
  const branches = [...new Set([...rows.map((r) => r.member.branch), ...holderBranches.values()])];
  const replies = await pipelined(conn, branches, (p, b) => {
    p.get(activeKey(b));
    p.get(closedKey(b));
    p.hgetall(countsKey(b));
  });
  const out: Registers = {
    active: new Map(),
    counters: new Map(),
    byId: new Map(),
    people: new Map(),
    holders,
  };
  branches.forEach((b, i) => {
    const live = unpackRegister(b, replies[3 * i] as string | null);
    const closed = unpackRegister(b, replies[3 * i + 1] as string | null);
    out.counters.set(b, replies[3 * i + 2] as Record<string, string>);
    out.active.set(b, new Map(live.map((m) => [m.id, m])));
    for (const m of [...live, ...closed]) {
      out.byId.set(m.id, m);
      push(out.people, `${b}|${personKey(m.fullName, m.birthDate)}`, m);
    }
  });
  return out;
}

/** Each row's member in the register, or none; or the rows that contradict the register. */
function matchRows(
  rows: readonly MemberRow[],
  reg: Registers,
): { ok: true; matches: { row: MemberRow; before?: Member }[] } | { ok: false; errors: MemberCsvError[] } {
  const errors: MemberCsvError[] = [];
  const matchedAt = new Map<number, number>();
  const matches: { row: MemberRow; before?: Member }[] = [];
  for (const row of rows) {
    const { member: input, line } = row;
    const card = input.cardNumber ? cardKey(input.cardNumber) : undefined;
    const holder = card ? reg.holders.get(card) : undefined;
    let before = holder !== undefined ? reg.byId.get(holder) : undefined;
    if (!before) {
      const same = reg.people.get(`${input.branch}|${personKey(input.fullName, input.birthDate)}`) ?? [];
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
      const { kind, date } = before.closing;
      errors.push({ line, problem: 'closed_member', value: input.fullName, closing: { kind, date } });
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
  return errors.length > 0
    ? { ok: false, errors: errors.sort((a, b) => a.line - b.line) }
    : { ok: true, matches };
}

/** One attempt of the import on `conn` (see `watchedTransaction`). */
export async function importStep(
  conn: Redis,
  rows: readonly MemberRow[],
  by: ChangeBy,
): Promise<WatchedStep<MemberImportResult>> {
  await conn.watch(VERSION_KEY);
  const reg = await readRegisters(conn, rows);
  const matched = matchRows(rows, reg);
  if (!matched.ok) return { result: matched };
  const { matches } = matched;

  const fresh = matches.filter((m) => !m.before).length;
  let nextId = fresh > 0 ? (await conn.incrby(SEQ_KEY, fresh)) - fresh + 1 : 0;
  const firstId = nextId;
  const tx = conn.multi();
  const index = new IndexChanges();
  const created: number[] = [];
  const updated: number[] = [];
  const moved: number[] = [];
  let unchanged = 0;
  const changedBranches = new Set<string>();
  const located: Member[] = [];
  const admissions = new Map<string, Map<string, number>>();
  const admit = (branch: string, year: number, delta: number) => {
    const years = admissions.get(branch) ?? new Map<string, number>();
    years.set(admissionsField(year), (years.get(admissionsField(year)) ?? 0) + delta);
    admissions.set(branch, years);
  };
  const put = (m: Member) => {
    reg.active.get(m.branch)?.set(m.id, m);
    changedBranches.add(m.branch);
  };

  for (const { row, before } of matches) {
    const input = row.member;
    if (!before) {
      const m: Member = { ...input, id: nextId++, admittedBy: null, closing: null };
      put(m);
      located.push(m);
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
    if (after.branch === before.branch && packMember(after) === packMember(before)) {
      unchanged++;
      continue;
    }
    updated.push(after.id);
    if (after.branch !== before.branch) {
      moved.push(after.id);
      reg.active.get(before.branch)?.delete(before.id);
      changedBranches.add(before.branch);
      located.push(after);
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
  const result = { ok: true as const, created, updated, unchanged, moved };
  // Nothing changed: the queued MULTI is never sent.
  if (created.length === 0 && updated.length === 0) return { result };

  index.writeTo(tx);
  for (const branch of changedBranches)
    writeRegister(tx, activeKey(branch), reg.active.get(branch)?.values() ?? []);
  for (const group of groupBy(located, (m) => locBucket(m.id)).values()) {
    tx.hset(locKey(group[0]!.id), ...group.flatMap((m) => [m.id, m.branch]));
  }
  // Counters whole, from the branches' records and the counters read: one command a branch.
  for (const branch of new Set([...changedBranches, ...admissions.keys()])) {
    const stored = reg.counters.get(branch);
    const years = admissions.get(branch) ?? new Map<string, number>();
    if (!stored) {
      // Credited with an admission but not read: the member has moved on since.
      for (const [field, delta] of years) if (delta !== 0) tx.hincrby(countsKey(branch), field, delta);
      continue;
    }
    const fields: Record<string, number> = { o: 0, p: 0 };
    for (const m of reg.active.get(branch)?.values() ?? []) fields[isProbationary(m) ? 'p' : 'o']!++;
    for (const [field, delta] of years) fields[field] = Number(stored[field] ?? 0) + delta;
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
  return { tx, result };
}
