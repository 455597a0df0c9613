/**
 * The organisation as the edges use it: who a person is and what they may reach, importing the
 * unit tree, invites and managing people. Every permission check for units and people is here,
 * so chat commands and the CLI cannot differ.
 */
import { canReportFor, canView, isAdmin, reportingBranches, viewScopes } from '../domain/access.js';
import {
  checkPersonName,
  checkTitle,
  displayName,
  type NamedPerson,
  nameWithTitle,
} from '../domain/personIdentity.js';
import type { Role, Unit, UnitRoleKind } from '../domain/units.js';
import { type InviteRow, inviteLink, invitesCsv, validateUnitsCsv } from '../domain/unitsCsv.js';
import type { Clock } from '../infra/clock.js';
import { msg } from '../messages/index.js';
import type { DeliveryStore } from '../outbox/deliveries.js';
import type { DeliveryListener } from '../outbox/types.js';
import { type InviteStore, InviteUnitError } from '../store/invites.js';
import type { IdentityFields, PeopleStore, Person, TelegramProfile } from '../store/people.js';
import type { UnitStore } from '../store/units.js';

/** Recorded when Telegram reports that the person blocked the bot. */
export const BLOCKED_REASON = 'Forbidden: bot was blocked by the user';

/** A person as a request sees them: id and roles (ADMIN_IDS included). */
export interface Viewer {
  id: number;
  roles: Role[];
}

export type ImportOutcome =
  | { ok: true; text: string; created: number; updated: number; moved: string[] }
  | { ok: false; text: string; errors: string[] };

export type InviteOutcome =
  | { ok: true; rows: InviteRow[]; csv: string; expiresAt: number }
  | { ok: false; text: string };

export type RedeemOutcome = { ok: true; text: string; role: Role } | { ok: false; text: string };

export class Organisation {
  constructor(
    readonly units: UnitStore,
    readonly people: PeopleStore,
    private readonly invites: InviteStore,
    private readonly deliveries: Pick<DeliveryStore, 'clearUnreachable' | 'unreachable'>,
    private readonly clock: Clock,
    private readonly botUsername: string,
  ) {}

  async viewer(personId: number): Promise<Viewer> {
    return { id: personId, roles: await this.people.rolesOf(personId) };
  }

  isAdmin(viewer: Viewer): boolean {
    return isAdmin(viewer.roles);
  }

  /** Branches this person reports for (secretary or deputy), with their units. */
  async reportingUnits(viewer: Viewer): Promise<Unit[]> {
    const codes = reportingBranches(viewer.roles);
    const found = await this.units.getMany(codes);
    return codes.map((c) => found.get(c)).filter((u): u is Unit => u !== undefined);
  }

  canReportFor(viewer: Viewer, unitCode: string): boolean {
    return canReportFor(viewer.roles, unitCode);
  }

  /** The units this person's views start at: the root for admins, their units for leaders. */
  async viewScopes(viewer: Viewer): Promise<Unit[]> {
    const root = await this.units.root();
    const ancestorsByCode = new Map<string, string[]>();
    const codes = viewScopes(viewer.roles, root?.code ?? null);
    for (const c of codes) ancestorsByCode.set(c, await this.units.ancestors(c));
    const minimal = viewScopes(viewer.roles, root?.code ?? null, (c) => ancestorsByCode.get(c) ?? []);
    const found = await this.units.getMany(minimal);
    return minimal.map((c) => found.get(c)).filter((u): u is Unit => u !== undefined);
  }

  async canView(viewer: Viewer, unitCode: string): Promise<boolean> {
    if (isAdmin(viewer.roles)) return true;
    return canView(viewer.roles, unitCode, await this.units.ancestors(unitCode));
  }

  async unit(code: string): Promise<Unit | undefined> {
    return this.units.get(code);
  }

  /** Imports a unit CSV, all or nothing. Only admins. */
  async importUnitsCsv(viewer: Viewer | 'cli', bytes: Uint8Array | string): Promise<ImportOutcome> {
    if (viewer !== 'cli' && !isAdmin(viewer.roles)) {
      return { ok: false, text: msg.units.adminOnly, errors: [msg.units.adminOnly] };
    }
    const existing = await this.units.byCode();
    const checked = validateUnitsCsv(bytes, existing);
    if (!checked.ok) {
      const reasons = checked.errors.map(msg.units.csvError);
      return { ok: false, text: msg.units.importErrors(reasons), errors: reasons };
    }
    const actor = viewer === 'cli' ? 'cli' : viewer.id;
    const result = await this.units.importUnits(checked.units, actor, this.clock.now(), {
      lines: checked.lines,
    });
    if (!result.ok) {
      const reasons = result.errors.map(msg.units.csvError);
      return { ok: false, text: msg.units.importErrors(reasons), errors: reasons };
    }
    return {
      ok: true,
      text: msg.units.importSummary(
        checked.units.length,
        result.created.length,
        result.updated.length,
        result.unchanged.length,
      ),
      created: result.created.length,
      updated: result.updated.length,
      moved: result.moved,
    };
  }

  /** Invites for one unit or for every branch (optionally only those without a holder). Only admins. */
  async createInvites(
    viewer: Viewer | 'cli',
    opts: {
      unit?: string;
      allBranches?: boolean;
      role: UnitRoleKind;
      ttlDays?: number;
      onlyVacant?: boolean;
      /** Họ và tên, chức vụ: recorded on the person who redeems (one unit only). */
      name?: string;
      title?: string;
      /** A leader who may record chuẩn y / chỉ định decisions. */
      approver?: boolean;
    },
  ): Promise<InviteOutcome> {
    if (viewer !== 'cli' && !isAdmin(viewer.roles)) return { ok: false, text: msg.units.adminOnly };
    if (opts.approver && opts.role !== 'leader') return { ok: false, text: msg.people.approverOnlyLeader };
    const identity = checkIdentity({ name: opts.name, title: opts.title });
    if (!identity.ok) return { ok: false, text: identity.text };
    if (opts.allBranches && (identity.fields.fullName || identity.fields.title))
      return { ok: false, text: msg.people.identityOnlyOne };
    const createdBy = viewer === 'cli' ? 'cli' : String(viewer.id);
    const now = this.clock.now();
    let rows: InviteRow[];
    let expiresAt: number;
    if (opts.allBranches) {
      if (opts.role === 'leader') return { ok: false, text: msg.people.leaderNotForAllBranches };
      const r = await this.invites.createForAllBranches(opts.role, {
        createdBy,
        now,
        ttlDays: opts.ttlDays,
        onlyVacant: opts.onlyVacant,
      });
      if (r.rows.length === 0) return { ok: false, text: msg.units.noUnits };
      rows = r.rows;
      expiresAt = r.expiresAt;
    } else {
      const code = opts.unit ?? '';
      const unit = await this.units.get(code);
      if (!unit) return { ok: false, text: msg.units.unknownUnit(code) };
      try {
        const r = await this.invites.create({
          unit: code,
          role: opts.role,
          createdBy,
          now,
          ttlDays: opts.ttlDays,
          ...(identity.fields.fullName ? { name: identity.fields.fullName } : {}),
          ...(identity.fields.title ? { title: identity.fields.title } : {}),
          ...(opts.approver ? { approver: true } : {}),
        });
        rows = [{ unitCode: code, unitName: unit.name, role: opts.role, code: r.code }];
        expiresAt = r.expiresAt;
      } catch (err) {
        if (err instanceof InviteUnitError) {
          return {
            ok: false,
            text: err.reason === 'not_branch' ? msg.units.notBranch(unit.name) : msg.units.unknownUnit(code),
          };
        }
        throw err;
      }
    }
    return { ok: true, rows, csv: invitesCsv(rows, this.botUsername, { bom: true }), expiresAt };
  }

  /** The invite's Telegram link; none without Telegram (the code is sent on Zalo). */
  inviteLink(code: string): string | undefined {
    return inviteLink(this.botUsername, code);
  }

  /** `/start CODE`: bind the person to the invite's role. */
  async redeemInvite(code: string, personId: number, profile: TelegramProfile): Promise<RedeemOutcome> {
    const r = await this.invites.redeem(code, personId, this.clock.now());
    if (!r.ok) return { ok: false, text: msg.units.invite[r.reason] };
    await this.people.upsertProfile(personId, profile);
    const unit = await this.units.get(r.unit);
    const unitName = unit?.name ?? r.unit;
    const text = `${msg.units.invite.accepted(r.role.kind, unitName)}\n\n${await this.greeting(r.role)}`;
    return { ok: true, text, role: r.role };
  }

  /** What a person with these roles can do next, one greeting per role. */
  async greetingFor(viewer: Viewer): Promise<string> {
    if (viewer.roles.length === 0) return msg.units.startNoCode;
    const parts: string[] = [];
    for (const role of viewer.roles) parts.push(await this.greeting(role));
    return parts.join('\n\n');
  }

  private async greeting(role: Role): Promise<string> {
    if (role.kind === 'admin') return msg.units.greeting.admin;
    const unit = await this.units.get(role.unit);
    return msg.units.greeting[role.kind](unit?.name ?? role.unit);
  }

  /**
   * Records the name the messenger shows when it changed, and that the person is reachable again
   * (they just wrote) when they were marked unreachable.
   */
  async touch(
    personId: number,
    profile: TelegramProfile,
    changed: { renamed: boolean; unreachable: boolean } = { renamed: true, unreachable: true },
  ): Promise<void> {
    if (changed.renamed) await this.people.upsertProfile(personId, profile);
    if (changed.unreachable) {
      await this.people.clearUnreachable(personId);
      await this.deliveries.clearUnreachable(personId);
    }
  }

  /** The person blocked the bot (Telegram says so at once): messages to them will fail until they return. */
  async blocked(personId: number): Promise<void> {
    const now = this.clock.now();
    await this.people.setUnreachable(personId, BLOCKED_REASON, now);
    await this.deliveries.unreachable(personId, personId, BLOCKED_REASON, now);
  }

  /** Marks a person unreachable when Telegram refuses a message to them (blocked, never started). */
  reachability(): DeliveryListener {
    return {
      delivered: async () => {},
      failed: async () => {},
      unreachable: async (personId, _chatId, reason, at) => {
        if (personId !== undefined) await this.people.setUnreachable(personId, reason, at);
      },
    };
  }

  async person(personId: number): Promise<Person | undefined> {
    return this.people.get(personId);
  }

  /** People holding a role at a unit, by role kind. */
  async holdersAt(unitCode: string): Promise<{ kind: UnitRoleKind; person: Person }[]> {
    const out: { kind: UnitRoleKind; person: Person }[] = [];
    for (const kind of ['secretary', 'deputy', 'leader'] as const) {
      const ids = await this.people.holdersOf(unitCode, kind);
      for (const p of await this.people.getMany(ids)) out.push({ kind, person: p });
    }
    return out;
  }

  /** Counts for the admin's overview, and branches without a secretary. */
  async overview(): Promise<{ counts: Record<Role['kind'], number>; branches: number; vacant: Unit[] }> {
    const everyone = await this.people.list();
    const counts = { admin: 0, leader: 0, secretary: 0, deputy: 0 };
    for (const p of everyone) for (const r of p.roles) counts[r.kind]++;
    const root = await this.units.root();
    const branchCodes = root ? await this.units.branchesUnder(root.code) : [];
    const vacantCodes: string[] = [];
    for (const code of branchCodes) {
      if ((await this.people.holdersOf(code, 'secretary')).length === 0) vacantCodes.push(code);
    }
    const found = await this.units.getMany(vacantCodes);
    return {
      counts,
      branches: branchCodes.length,
      vacant: vacantCodes.map((c) => found.get(c)).filter((u): u is Unit => u !== undefined),
    };
  }

  async revoke(
    viewer: Viewer | 'cli',
    personId: number,
    role?: Role,
  ): Promise<{ ok: boolean; text: string }> {
    if (viewer !== 'cli' && !isAdmin(viewer.roles)) return { ok: false, text: msg.units.adminOnly };
    const actor = viewer === 'cli' ? 'cli' : viewer.id;
    const person = await this.people.get(personId);
    if (!person) return { ok: false, text: msg.people.unknownPerson(personId) };
    const now = this.clock.now();
    const changed = role
      ? await this.people.revokeRole(personId, role, actor, now)
      : await this.people.revokeAll(personId, actor, now);
    return {
      ok: changed,
      text: changed ? msg.people.revoked(personName(person)) : msg.people.nothingToRevoke,
    };
  }

  /**
   * Records a person's họ và tên, chức vụ or approver mark (`people set`). Only admins. An empty
   * name or title clears it (the Telegram name is used again, marked unverified).
   */
  async setIdentity(
    viewer: Viewer | 'cli',
    personId: number,
    input: { name?: string; title?: string; approver?: boolean },
  ): Promise<{ ok: boolean; text: string }> {
    if (viewer !== 'cli' && !isAdmin(viewer.roles)) return { ok: false, text: msg.units.adminOnly };
    const checked = checkIdentity(input, { allowClear: true });
    if (!checked.ok) return { ok: false, text: checked.text };
    const fields: IdentityFields = { ...checked.fields };
    if (input.approver !== undefined) {
      const roles = await this.people.rolesOf(personId);
      if (input.approver && !roles.some((r) => r.kind === 'leader'))
        return { ok: false, text: msg.people.approverOnlyLeader };
      fields.approver = input.approver;
    }
    if (Object.keys(fields).length === 0) return { ok: false, text: msg.people.identityNothing };
    const actor = viewer === 'cli' ? 'cli' : viewer.id;
    const changed = await this.people.setIdentity(personId, fields, actor, this.clock.now());
    if (!changed) return { ok: false, text: msg.people.unknownPerson(personId) };
    const person = await this.people.get(personId);
    return {
      ok: true,
      text: msg.people.identitySaved(
        person ? nameWithTitle(person) : `id ${personId}`,
        person?.approver ?? false,
      ),
    };
  }

  async reassign(
    viewer: Viewer | 'cli',
    opts: { unit: string; kind: UnitRoleKind; from: number; to: number },
  ): Promise<{ ok: boolean; text: string }> {
    if (viewer !== 'cli' && !isAdmin(viewer.roles)) return { ok: false, text: msg.units.adminOnly };
    const actor = viewer === 'cli' ? 'cli' : viewer.id;
    const r = await this.people.reassign(opts.unit, opts.kind, opts.from, opts.to, actor, this.clock.now());
    if (!r.ok) {
      if (r.reason === 'not_holder') return { ok: false, text: msg.people.notHolder(opts.from) };
      if (r.reason === 'not_branch') return { ok: false, text: msg.units.notBranch(opts.unit) };
      return { ok: false, text: msg.units.unknownUnit(opts.unit) };
    }
    return { ok: true, text: msg.people.reassigned(opts.unit, opts.kind, opts.to) };
  }
}

/**
 * "Nguyễn Văn Hùng" as the office recorded it; without a recorded name, the Telegram one
 * ("Hùng (@hung)"), or the id when Telegram gave none.
 */
export function personName(p: NamedPerson): string {
  return displayName(p);
}

/**
 * Checks a name and title the office gives. Undefined fields are left out; with `allowClear`,
 * an empty name clears the recorded one (an empty title always means none).
 */
export function checkIdentity(
  input: { name?: string; title?: string },
  opts: { allowClear?: boolean } = {},
): { ok: true; fields: IdentityFields } | { ok: false; text: string } {
  const fields: IdentityFields = {};
  const problems: string[] = [];
  if (input.name !== undefined) {
    if (opts.allowClear && input.name.trim() === '') fields.fullName = '';
    else {
      const r = checkPersonName(input.name);
      if (r.ok) fields.fullName = r.value;
      else problems.push(msg.people.identityProblem(r.problem));
    }
  }
  if (input.title !== undefined) {
    const r = checkTitle(input.title);
    if (r.ok) {
      if (r.value !== '' || opts.allowClear) fields.title = r.value;
    } else problems.push(msg.people.identityProblem(r.problem));
  }
  return problems.length > 0 ? { ok: false, text: problems.join('\n') } : { ok: true, fields };
}
