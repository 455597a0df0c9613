/**
 * Invites: single-use codes that bind a Telegram user to a role through the deep link
 * `https://t.me/<bot>?start=<code>` (a bot cannot write to anyone who never pressed Start).
 *
 * Key layout:
 *   cb:invite:{code}   hash  unit, role (leader|secretary|deputy), createdBy, createdAt,
 *                            expiresAt, usedBy, usedAt; optional name, title and approver (1),
 *                            recorded on the person when the invite is redeemed
 *
 * The record outlives its expiry by INVITE_KEPT_AFTER_EXPIRY_MS (Redis TTL, set at creation), so a
 * late or repeated click still hears "expired" or "used" rather than "unknown".
 */
import { randomBytes } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import {
  isBranch,
  type Role,
  roleKey,
  roleMismatch,
  UNIT_ROLE_KINDS,
  type UnitRoleKind,
} from '../domain/units.js';
import type { InviteRow } from '../domain/unitsCsv.js';
import { auditInto } from './audit.js';
import {
  type IdentityFields,
  queueIdentity,
  queueRoleChange,
  readRoles,
  roleHoldersKey,
  watchRoleTarget,
} from './people.js';
import { confirmSaved } from './tx.js';
import { UnitStore, watchedTransaction } from './units.js';

export const inviteKey = (code: string) => `cb:invite:${code}`;

const DAY_MS = 86_400_000;
/** How long an expired or used invite is remembered. */
export const INVITE_KEPT_AFTER_EXPIRY_MS = 30 * DAY_MS;
/** Random bytes per code: 144 bits, 24 base64url characters. */
const CODE_BYTES = 18;
/** What Telegram allows after `?start=`. */
const CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export type RedeemResult =
  | { ok: true; role: Role; unit: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/** The unit does not exist, or a secretary or deputy invite names a unit that is not a branch. */
export class InviteUnitError extends Error {
  constructor(
    readonly unit: string,
    readonly reason: 'unknown_unit' | 'not_branch',
  ) {
    super(`Cannot invite to unit ${unit}: ${reason}`);
    this.name = 'InviteUnitError';
  }
}

/**
 * A fresh invite code: base64url of 144 random bits. It never starts with '-' or '_', which
 * spreadsheets read as a formula or mangle.
 */
export function newInviteCode(): string {
  for (;;) {
    const code = randomBytes(CODE_BYTES).toString('base64url');
    if (/^[A-Za-z0-9]/.test(code)) return code;
  }
}

export interface CreateInviteOptions {
  unit: string;
  role: UnitRoleKind;
  /** Telegram id of the admin, or "cli". */
  createdBy: string | number;
  now: number;
  /** @defaultValue 30 */
  ttlDays?: number;
  /** Họ và tên and chức vụ the office gives; recorded on the person who redeems the invite. */
  name?: string;
  title?: string;
  /** A leader who may record chuẩn y / chỉ định decisions. Only for leader invites. */
  approver?: boolean;
}

export interface CreateAllOptions {
  createdBy: string | number;
  now: number;
  /** @defaultValue 30 */
  ttlDays?: number;
  /** Subtree to cover. @defaultValue the root */
  under?: string;
  /** Skip branches where someone already holds the role. @defaultValue false */
  onlyVacant?: boolean;
}

/** Single-use invite codes. */
export class InviteStore {
  private readonly units: UnitStore;

  constructor(private readonly redis: Redis) {
    this.units = new UnitStore(redis);
  }

  /** Creates one invite (audited as `invite.create`). Throws InviteUnitError for a wrong unit. */
  async create(opts: CreateInviteOptions): Promise<{ code: string; expiresAt: number }> {
    const unit = await this.units.get(opts.unit);
    const mismatch = roleMismatch({ kind: opts.role, unit: opts.unit }, unit);
    if (mismatch) throw new InviteUnitError(opts.unit, mismatch);
    const code = newInviteCode();
    const expiresAt = opts.now + (opts.ttlDays ?? 30) * DAY_MS;
    const tx = this.redis.multi();
    this.queueInvite(tx, code, opts.unit, opts.role, opts.createdBy, opts.now, expiresAt);
    const identity: Record<string, string> = {};
    if (opts.name) identity.name = opts.name;
    if (opts.title) identity.title = opts.title;
    if (opts.approver && opts.role === 'leader') identity.approver = '1';
    if (Object.keys(identity).length > 0) tx.hset(inviteKey(code), identity);
    auditInto(tx, {
      actor: String(opts.createdBy),
      action: 'invite.create',
      subject: `unit:${opts.unit}`,
      after: { role: opts.role, expiresAt, ...identity },
      at: opts.now,
    });
    await tx.exec();
    await confirmSaved(this.redis);
    return { code, expiresAt };
  }

  /**
   * One invite for `role` at every branch (of the subtree `under`, by default all), for the
   * office to hand out as a CSV list. Audited once, as `invite.create_all`. Rows in tree order.
   */
  async createForAllBranches(
    role: UnitRoleKind,
    opts: CreateAllOptions,
  ): Promise<{ expiresAt: number; rows: InviteRow[] }> {
    const top = opts.under ?? (await this.units.root())?.code;
    const expiresAt = opts.now + (opts.ttlDays ?? 30) * DAY_MS;
    if (top === undefined) return { expiresAt, rows: [] };
    let branches = await this.units.branchesUnder(top);
    if (opts.onlyVacant) {
      const pipe = this.redis.pipeline();
      for (const b of branches) pipe.scard(roleHoldersKey({ kind: role, unit: b }));
      const counts = (await pipe.exec()) ?? [];
      branches = branches.filter((_, i) => Number(counts[i]?.[1] ?? 0) === 0);
    }
    const rows: InviteRow[] = [];
    for (let i = 0; i < branches.length; i += 1000) {
      const chunk = branches.slice(i, i + 1000);
      const found = await this.units.getMany(chunk);
      const tx = this.redis.multi();
      for (const code of chunk) {
        const unit = found.get(code);
        if (!unit || !isBranch(unit)) continue;
        const invite = newInviteCode();
        this.queueInvite(tx, invite, code, role, opts.createdBy, opts.now, expiresAt);
        rows.push({ unitCode: code, unitName: unit.name, role, code: invite });
      }
      await tx.exec();
    }
    const tx = this.redis.multi();
    auditInto(tx, {
      actor: String(opts.createdBy),
      action: 'invite.create_all',
      subject: `unit:${top}`,
      after: { role, count: rows.length, expiresAt, onlyVacant: opts.onlyVacant ?? false },
      at: opts.now,
    });
    await tx.exec();
    await confirmSaved(this.redis);
    return { expiresAt, rows };
  }

  /**
   * Spends an invite and grants its role in the same MULTI (audited as `person.grant`), watched
   * so that of two people racing for one code exactly one gets it. An invite whose unit has
   * since stopped fitting the role (no longer a branch) answers "expired".
   */
  async redeem(code: string, personId: number, now: number): Promise<RedeemResult> {
    if (!CODE_PATTERN.test(code)) return { ok: false, reason: 'unknown' };
    const key = inviteKey(code);
    return watchedTransaction<RedeemResult>(this.redis, `invite ${code.slice(0, 4)}…`, async (conn) => {
      await conn.watch(key);
      const h = await conn.hgetall(key);
      const kind = UNIT_ROLE_KINDS.find((k) => k === h.role);
      if (!h.unit || !kind) return { result: { ok: false, reason: 'unknown' } };
      if (h.usedBy) return { result: { ok: false, reason: 'used' } };
      if (now >= Number(h.expiresAt)) return { result: { ok: false, reason: 'expired' } };
      const role: Role = { kind, unit: h.unit };
      if (await watchRoleTarget(conn, personId, role)) return { result: { ok: false, reason: 'expired' } };
      const before = await readRoles(conn, personId);
      const after = before.some((r) => roleKey(r) === roleKey(role)) ? before : [...before, role];
      const tx = conn.multi();
      tx.hset(key, 'usedBy', String(personId), 'usedAt', String(now));
      queueRoleChange(tx, personId, before, after, now);
      const identity: IdentityFields = {};
      if (h.name) identity.fullName = h.name;
      if (h.title) identity.title = h.title;
      if (h.approver === '1' && kind === 'leader') identity.approver = true;
      queueIdentity(tx, personId, identity);
      auditInto(tx, {
        actor: String(personId),
        action: 'person.grant',
        subject: `person:${personId}`,
        before: { roles: before },
        after: { roles: after, invitedBy: h.createdBy },
        at: now,
      });
      return { tx, result: { ok: true, role, unit: h.unit } };
    });
  }

  private queueInvite(
    tx: ChainableCommander,
    code: string,
    unit: string,
    role: UnitRoleKind,
    createdBy: string | number,
    now: number,
    expiresAt: number,
  ): void {
    const key = inviteKey(code);
    tx.hset(key, {
      unit,
      role,
      createdBy: String(createdBy),
      createdAt: String(now),
      expiresAt: String(expiresAt),
    });
    // A duration rather than an instant: `now` is the caller's clock, which tests may set freely.
    tx.pexpire(key, expiresAt - now + INVITE_KEPT_AFTER_EXPIRY_MS);
  }
}
