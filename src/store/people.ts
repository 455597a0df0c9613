/**
 * People (Telegram users) and the roles they hold.
 *
 * Key layout:
 *   cb:person:{id}             hash  id, first_name, last_name, username, status (active|revoked),
 *                                    boundAt, unreachable_reason, unreachable_at; full_name and
 *                                    title as the office recorded them; approver (1) for a leader
 *                                    who may record chuẩn y decisions; on Zalo also zalo_id,
 *                                    zalo_chat, zalo_name, channel (chosen with /kenh),
 *                                    last_channel (see `src/store/channels.ts`)
 *   cb:person:{id}:roles       set   role keys: "admin", "leader:{unit}", "secretary:{unit}",
 *                                    "deputy:{unit}"
 *   cb:role:{kind}:{unit}      set   ids holding that role at that unit (kind: leader, secretary,
 *                                    deputy)
 *   cb:role:admin              set   ids made admin in the bot (ADMIN_IDS from config are admins
 *                                    without being stored)
 *   cb:people                  set   every id that has ever held a role
 *   cb:people:{kind}           set   ids holding at least one role of that kind
 *
 * Role changes read the person's role set under WATCH and write the role sets, the indexes and
 * the audit entry in one MULTI. A branch's reports are keyed by unit, so a new secretary simply
 * inherits the branch's history.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import {
  parseRoleKey,
  ROLE_KINDS,
  type Role,
  type RoleKind,
  roleKey,
  roleMismatch,
  UNIT_LEVELS,
  type UnitRoleKind,
} from '../domain/units.js';
import { auditInto } from './audit.js';
import { unitKey, watchedTransaction } from './units.js';

export const PEOPLE_KEY = 'cb:people';
export const ADMIN_ROLE_KEY = 'cb:role:admin';
export const personKey = (id: number) => `cb:person:${id}`;
export const personRolesKey = (id: number) => `cb:person:${id}:roles`;
/** The set of people holding a role: `cb:role:secretary:CB07`, `cb:role:admin`. */
export const roleHoldersKey = (role: Role) =>
  role.kind === 'admin' ? ADMIN_ROLE_KEY : `cb:role:${role.kind}:${role.unit}`;
const peopleByKindKey = (kind: RoleKind) => `cb:people:${kind}`;

/** Active while the person holds any role; revoked once every role is withdrawn. */
export type PersonStatus = 'active' | 'revoked';

/** The profile fields as Telegram sends them in `from`. */
export interface TelegramProfile {
  first_name: string;
  last_name?: string;
  username?: string;
}

export interface Person {
  /** Telegram user id. */
  id: number;
  firstName?: string;
  lastName?: string;
  username?: string;
  /** Stored roles, plus admin for ADMIN_IDS; sorted by role key. */
  roles: Role[];
  status: PersonStatus;
  /** When the person last went from no role to some role (UTC ms). */
  boundAt?: number;
  /** Set by the outbox when Telegram refuses to deliver (403: blocked, chat not found). */
  unreachable?: { reason: string; at: number };
  /** The person's Zalo identity, once they wrote to the bot on Zalo. */
  zalo?: { id: string; chat: string; name?: string };
  /** The channel bot-initiated messages go to, chosen with /kenh (else the last one written from). */
  channel?: 'telegram' | 'zalo';
  /** The channel the person last wrote from. */
  lastChannel?: 'telegram' | 'zalo';
  /** Họ và tên as the office recorded it (invite or `people set`). */
  fullName?: string;
  /** Chức vụ as the office recorded it, e.g. "Bí thư Đảng ủy phường". */
  title?: string;
  /** A leader invited (or set) as one who may record chuẩn y / chỉ định decisions. */
  approver?: boolean;
}

/** What the office records about a person; an empty string clears a name or title. */
export interface IdentityFields {
  fullName?: string;
  title?: string;
  approver?: boolean;
}

/** Queues the writes of recorded identity fields (shared by invites, which set them on redeem). */
export function queueIdentity(tx: ChainableCommander, personId: number, fields: IdentityFields): void {
  const key = personKey(personId);
  const pairs: [string, string | undefined][] = [
    ['full_name', fields.fullName],
    ['title', fields.title],
    ['approver', fields.approver === undefined ? undefined : fields.approver ? '1' : ''],
  ];
  for (const [field, value] of pairs) {
    if (value === undefined) continue;
    if (value === '') tx.hdel(key, field);
    else tx.hset(key, field, value);
  }
}

export type GrantResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: 'unknown_unit' | 'not_branch' };

export type ReassignResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: 'unknown_unit' | 'not_branch' | 'not_holder' };

const byKey = (a: Role, b: Role) => (roleKey(a) < roleKey(b) ? -1 : roleKey(a) > roleKey(b) ? 1 : 0);

/** Reads a person's stored roles. */
export async function readRoles(conn: Redis, personId: number): Promise<Role[]> {
  const keys = await conn.smembers(personRolesKey(personId));
  return keys.flatMap((k) => parseRoleKey(k) ?? []).sort(byKey);
}

/**
 * Queues the writes that take a person from `before` to `after` (stored roles only): the role
 * set, the holder sets, the per-kind indexes and the status. Shared by invites, so a redeemed
 * invite grants its role in the same MULTI that spends it.
 */
export function queueRoleChange(
  tx: ChainableCommander,
  personId: number,
  before: readonly Role[],
  after: readonly Role[],
  now: number,
): void {
  const beforeKeys = new Set(before.map(roleKey));
  const afterKeys = new Set(after.map(roleKey));
  for (const r of before) {
    if (afterKeys.has(roleKey(r))) continue;
    tx.srem(personRolesKey(personId), roleKey(r));
    tx.srem(roleHoldersKey(r), String(personId));
  }
  for (const r of after) {
    if (beforeKeys.has(roleKey(r))) continue;
    tx.sadd(personRolesKey(personId), roleKey(r));
    tx.sadd(roleHoldersKey(r), String(personId));
  }
  for (const kind of ROLE_KINDS) {
    if (after.some((r) => r.kind === kind)) tx.sadd(peopleByKindKey(kind), String(personId));
    else if (before.some((r) => r.kind === kind)) tx.srem(peopleByKindKey(kind), String(personId));
  }
  tx.sadd(PEOPLE_KEY, String(personId));
  tx.hset(personKey(personId), 'id', String(personId), 'status', after.length > 0 ? 'active' : 'revoked');
  if (before.length === 0 && after.length > 0) tx.hset(personKey(personId), 'boundAt', String(now));
}

/**
 * Watches what a grant of `role` depends on and says whether the role fits its unit
 * (secretaries and deputies only at a branch). Call inside a watched transaction.
 */
export async function watchRoleTarget(
  conn: Redis,
  personId: number,
  role: Role,
): Promise<'unknown_unit' | 'not_branch' | undefined> {
  if (role.kind === 'admin') {
    await conn.watch(personRolesKey(personId));
    return undefined;
  }
  await conn.watch(personRolesKey(personId), unitKey(role.unit));
  const stored = await conn.hget(unitKey(role.unit), 'level');
  const level = UNIT_LEVELS.find((l) => l === stored);
  return roleMismatch(role, level ? { level } : undefined);
}

/** People and their roles. ADMIN_IDS from config are admins without being stored. */
export class PeopleStore {
  private readonly adminIds: ReadonlySet<number>;

  constructor(
    private readonly redis: Redis,
    opts: { adminIds: readonly number[] },
  ) {
    this.adminIds = new Set(opts.adminIds);
  }

  /** True for ADMIN_IDS and for people granted admin in the bot. */
  async isAdmin(personId: number): Promise<boolean> {
    if (this.adminIds.has(personId)) return true;
    return (await this.redis.sismember(ADMIN_ROLE_KEY, String(personId))) === 1;
  }

  /** Every admin: ADMIN_IDS and those granted admin, sorted. */
  async admins(): Promise<number[]> {
    const stored = (await this.redis.smembers(ADMIN_ROLE_KEY)).map(Number);
    return [...new Set([...this.adminIds, ...stored])].sort((a, b) => a - b);
  }

  /** The person's roles (admin included for ADMIN_IDS), sorted by role key. */
  async rolesOf(personId: number): Promise<Role[]> {
    return this.withConfigAdmin(personId, await readRoles(this.redis, personId));
  }

  /** Queues the reads of one person (their hash, their roles) on a pipeline; see `fromReplies`. */
  queueGet(pipeline: ChainableCommander, personId: number): void {
    pipeline.hgetall(personKey(personId)).smembers(personRolesKey(personId));
  }

  /** The person from the two replies `queueGet` queued (roles even for someone unknown). */
  fromReplies(personId: number, hash: unknown, roleKeys: unknown): Person {
    const roles = this.withConfigAdmin(
      personId,
      ((roleKeys ?? []) as string[]).flatMap((key) => parseRoleKey(key) ?? []),
    );
    return toPerson(personId, (hash ?? {}) as Record<string, string>, roles);
  }

  /** One person, or undefined when the bot knows nothing about them. */
  async get(personId: number): Promise<Person | undefined> {
    return (await this.getMany([personId]))[0];
  }

  /** The people the bot knows among `ids`, in the order given. */
  async getMany(ids: readonly number[]): Promise<Person[]> {
    const out: Person[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const pipe = this.redis.pipeline();
      for (const id of chunk) pipe.hgetall(personKey(id)).smembers(personRolesKey(id));
      const replies = (await pipe.exec()) ?? [];
      chunk.forEach((id, k) => {
        const hash = (replies[2 * k]?.[1] ?? {}) as Record<string, string>;
        const keys = (replies[2 * k + 1]?.[1] ?? []) as string[];
        const roles = this.withConfigAdmin(
          id,
          keys.flatMap((key) => parseRoleKey(key) ?? []),
        );
        if (Object.keys(hash).length === 0 && roles.length === 0) return;
        out.push(toPerson(id, hash, roles));
      });
    }
    return out;
  }

  /**
   * People by role: with `unit` and `role`, the holders of that role there; with `unit` only,
   * everyone holding any role there; with `role` only, everyone holding that kind of role
   * anywhere; with neither, everyone who has ever held a role (revoked people too). Sorted by id.
   */
  async list(filter: { unit?: string; role?: RoleKind } = {}): Promise<Person[]> {
    const { unit, role } = filter;
    let ids: number[];
    if (unit !== undefined && role !== undefined && role !== 'admin') ids = await this.holdersOf(unit, role);
    else if (unit !== undefined && role === undefined) {
      const sets = await Promise.all(
        (['leader', 'secretary', 'deputy'] as const).map((k) => this.holdersOf(unit, k)),
      );
      ids = [...new Set(sets.flat())];
    } else if (role === 'admin') ids = await this.admins();
    else if (role !== undefined) ids = (await this.redis.smembers(peopleByKindKey(role))).map(Number);
    else ids = [...new Set([...(await this.redis.smembers(PEOPLE_KEY)).map(Number), ...this.adminIds])];
    return this.getMany(ids.sort((a, b) => a - b));
  }

  /** Ids holding `kind` at `unitCode` (e.g. the secretaries of a branch), sorted. */
  async holdersOf(unitCode: string, kind: UnitRoleKind): Promise<number[]> {
    const ids = await this.redis.smembers(roleHoldersKey({ kind, unit: unitCode }));
    return ids.map(Number).sort((a, b) => a - b);
  }

  /**
   * The leaders responsible for a unit: those of the unit itself if it has any, else of the
   * nearest ancestor that has any. `ancestors` is root first (as `UnitStore.ancestors` gives).
   */
  async responsibleLeaders(
    unitCode: string,
    ancestors: readonly string[],
  ): Promise<{ unit: string; people: number[] } | undefined> {
    const chain = [unitCode, ...[...ancestors].reverse()];
    const pipe = this.redis.pipeline();
    for (const u of chain) pipe.smembers(roleHoldersKey({ kind: 'leader', unit: u }));
    const replies = (await pipe.exec()) ?? [];
    for (const [k, u] of chain.entries()) {
      const ids = (replies[k]?.[1] ?? []) as string[];
      if (ids.length > 0) return { unit: u, people: ids.map(Number).sort((a, b) => a - b) };
    }
    return undefined;
  }

  /**
   * Gives a role (audited as `person.grant`). Secretaries and deputies only at a branch; the unit
   * must exist. Granting a role already held changes nothing.
   */
  async grantRole(personId: number, role: Role, actor: string | number, now: number): Promise<GrantResult> {
    return watchedTransaction<GrantResult>(this.redis, `person ${personId}`, async (conn) => {
      const mismatch = await watchRoleTarget(conn, personId, role);
      if (mismatch) return { result: { ok: false, reason: mismatch } };
      const before = await readRoles(conn, personId);
      if (before.some((r) => roleKey(r) === roleKey(role))) return { result: { ok: true, changed: false } };
      const after = [...before, role].sort(byKey);
      const tx = conn.multi();
      queueRoleChange(tx, personId, before, after, now);
      auditInto(tx, {
        actor: String(actor),
        action: 'person.grant',
        subject: `person:${personId}`,
        before: { roles: before },
        after: { roles: after },
        at: now,
      });
      return { tx, result: { ok: true, changed: true } };
    });
  }

  /** Withdraws one role (audited as `person.revoke`); false when the person did not hold it. */
  async revokeRole(personId: number, role: Role, actor: string | number, now: number): Promise<boolean> {
    return this.revokeWhere(personId, (r) => roleKey(r) === roleKey(role), actor, now);
  }

  /**
   * Withdraws every stored role (audited as `person.revoke`); the person becomes revoked.
   * ADMIN_IDS stay admins: config, not the bot, decides those.
   */
  async revokeAll(personId: number, actor: string | number, now: number): Promise<boolean> {
    return this.revokeWhere(personId, () => true, actor, now);
  }

  /**
   * Hands a unit role from one person to another in one step (audited as `person.reassign`),
   * e.g. a new branch secretary after a congress. The branch's history stays with the branch.
   */
  async reassign(
    unitCode: string,
    kind: UnitRoleKind,
    fromPerson: number,
    toPerson: number,
    actor: string | number,
    now: number,
  ): Promise<ReassignResult> {
    const role: Role = { kind, unit: unitCode };
    if (fromPerson === toPerson) {
      const held = (await readRoles(this.redis, fromPerson)).some((r) => roleKey(r) === roleKey(role));
      return held ? { ok: true, changed: false } : { ok: false, reason: 'not_holder' };
    }
    return watchedTransaction<ReassignResult>(this.redis, `unit ${unitCode}`, async (conn) => {
      const mismatch = await watchRoleTarget(conn, toPerson, role);
      if (mismatch) return { result: { ok: false, reason: mismatch } };
      await conn.watch(personRolesKey(fromPerson));
      const fromBefore = await readRoles(conn, fromPerson);
      if (!fromBefore.some((r) => roleKey(r) === roleKey(role)))
        return { result: { ok: false, reason: 'not_holder' } };
      const toBefore = await readRoles(conn, toPerson);
      const fromAfter = fromBefore.filter((r) => roleKey(r) !== roleKey(role));
      const toAfter = toBefore.some((r) => roleKey(r) === roleKey(role))
        ? toBefore
        : [...toBefore, role].sort(byKey);
      const tx = conn.multi();
      queueRoleChange(tx, fromPerson, fromBefore, fromAfter, now);
      queueRoleChange(tx, toPerson, toBefore, toAfter, now);
      auditInto(tx, {
        actor: String(actor),
        action: 'person.reassign',
        subject: `unit:${unitCode}`,
        before: { role, person: fromPerson },
        after: { role, person: toPerson },
        at: now,
      });
      return { tx, result: { ok: true, changed: true } };
    });
  }

  /**
   * Records a person's name, title or approver mark (audited as `person.identity`). Only for a
   * person the bot knows; false when it does not.
   */
  async setIdentity(
    personId: number,
    fields: IdentityFields,
    actor: string | number,
    now: number,
  ): Promise<boolean> {
    return watchedTransaction<boolean>(this.redis, `person ${personId}`, async (conn) => {
      const key = personKey(personId);
      await conn.watch(key, personRolesKey(personId));
      const [hash, roles] = await Promise.all([conn.hgetall(key), conn.scard(personRolesKey(personId))]);
      if (Object.keys(hash).length === 0 && roles === 0 && !this.adminIds.has(personId))
        return { result: false };
      const tx = conn.multi();
      tx.hset(key, 'id', String(personId));
      queueIdentity(tx, personId, fields);
      auditInto(tx, {
        actor: String(actor),
        action: 'person.identity',
        subject: `person:${personId}`,
        before: { fullName: hash.full_name, title: hash.title, approver: hash.approver === '1' },
        after: fields,
        at: now,
      });
      return { tx, result: true };
    });
  }

  /** Records that Telegram will not deliver to this person (set by the outbox on 403). */
  async setUnreachable(personId: number, reason: string, now: number): Promise<void> {
    await this.redis.hset(
      personKey(personId),
      'id',
      String(personId),
      'unreachable_reason',
      reason,
      'unreachable_at',
      String(now),
    );
  }

  /** Clears the unreachable mark, e.g. when the person writes to the bot again. */
  async clearUnreachable(personId: number): Promise<void> {
    await this.redis.hdel(personKey(personId), 'unreachable_reason', 'unreachable_at');
  }

  /** Stores the name Telegram gives; fields Telegram no longer sends are removed. */
  async upsertProfile(personId: number, profile: TelegramProfile): Promise<void> {
    const key = personKey(personId);
    const tx = this.redis.multi();
    tx.hset(key, 'id', String(personId), 'first_name', profile.first_name);
    for (const field of ['last_name', 'username'] as const) {
      const value = profile[field];
      if (value) tx.hset(key, field, value);
      else tx.hdel(key, field);
    }
    await tx.exec();
  }

  private async revokeWhere(
    personId: number,
    drop: (r: Role) => boolean,
    actor: string | number,
    now: number,
  ): Promise<boolean> {
    return watchedTransaction<boolean>(this.redis, `person ${personId}`, async (conn) => {
      await conn.watch(personRolesKey(personId));
      const before = await readRoles(conn, personId);
      const after = before.filter((r) => !drop(r));
      if (after.length === before.length) return { result: false };
      const tx = conn.multi();
      queueRoleChange(tx, personId, before, after, now);
      auditInto(tx, {
        actor: String(actor),
        action: 'person.revoke',
        subject: `person:${personId}`,
        before: { roles: before },
        after: { roles: after },
        at: now,
      });
      return { tx, result: true };
    });
  }

  private withConfigAdmin(personId: number, roles: Role[]): Role[] {
    if (this.adminIds.has(personId) && !roles.some((r) => r.kind === 'admin')) roles.push({ kind: 'admin' });
    return roles.sort(byKey);
  }
}

function toPerson(id: number, h: Record<string, string>, roles: Role[]): Person {
  const person: Person = { id, roles, status: roles.length > 0 ? 'active' : 'revoked' };
  if (h.first_name) person.firstName = h.first_name;
  if (h.last_name) person.lastName = h.last_name;
  if (h.username) person.username = h.username;
  if (h.boundAt) person.boundAt = Number(h.boundAt);
  if (h.full_name) person.fullName = h.full_name;
  if (h.title) person.title = h.title;
  if (h.approver === '1') person.approver = true;
  if (h.unreachable_reason)
    person.unreachable = { reason: h.unreachable_reason, at: Number(h.unreachable_at ?? 0) };
  if (h.zalo_id && h.zalo_chat)
    person.zalo = { id: h.zalo_id, chat: h.zalo_chat, ...(h.zalo_name ? { name: h.zalo_name } : {}) };
  if (h.channel === 'telegram' || h.channel === 'zalo') person.channel = h.channel;
  if (h.last_channel === 'telegram' || h.last_channel === 'zalo') person.lastChannel = h.last_channel;
  return person;
}
