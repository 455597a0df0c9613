/**
 * A branch's register day to day: its list with counts, kết nạp, chuyển chính thức, chuyển
 * sinh hoạt, closing a membership, and a member's history. Each change checks the person's
 * rights here and the member's state again inside the store's transaction.
 */
import { canView, isAdmin } from '../../domain/access.js';
import {
  type AdmissionDraft,
  checkAdmission,
  closingDate,
  closingReason,
  isClosingKind,
  officialDate,
} from '../../domain/members/admission.js';
import { compareNames, type Member } from '../../domain/members/member.js';
import {
  type MemberOutcome,
  type MemberRefusal,
  refuse,
  type UnitRef,
} from '../../domain/members/refusal.js';
import { isBranch, type Unit } from '../../domain/units.js';
import type { BranchCounts, ChangeBy, MemberHistoryEntry } from '../../store/members.js';
import { manageableBranch, viewableUnit } from './access.js';
import { type Actor, actorId, type MemberServiceDeps, memberRef, today, unitRef } from './types.js';

const ok = <T>(value: T) => ({ ok: true as const, value });

/** A branch's register as its list shows it. */
export interface BranchRegister {
  unit: UnitRef;
  /** Active members, by given name. */
  members: Member[];
  counts: BranchCounts & { total: number };
}

export interface Transferred {
  member: Member;
  from: UnitRef;
  to: UnitRef;
  /** Telegram ids of the receiving branch's secretary and deputies: they must be told. */
  notify: number[];
}

/** The list of one branch (the person's own when they keep just one). */
export async function branchRegister(
  deps: MemberServiceDeps,
  actor: Actor,
  code?: string,
): Promise<MemberOutcome<BranchRegister>> {
  const found = await viewableUnit(deps.org, actor, code);
  if (!found.ok) return found;
  const unit = found.value;
  if (!isBranch(unit)) return refuse({ reason: 'not_branch', unit: unitRef(unit) });
  const [members, counts] = await Promise.all([deps.store.branch(unit.code), deps.store.counts([unit.code])]);
  const c = counts.get(unit.code) ?? { official: 0, probationary: 0 };
  return ok({
    unit: unitRef(unit),
    members: members.sort((a, b) => compareNames(a.fullName, b.fullName)),
    counts: { ...c, total: c.official + c.probationary },
  });
}

/** One member, if the person may see their branch; an unknown id otherwise (it is personal data). */
export async function visibleMember(
  deps: MemberServiceDeps,
  actor: Actor,
  id: number,
): Promise<MemberOutcome<Member>> {
  if (actor !== 'cli' && actor.roles.length === 0) return refuse({ reason: 'no_access' });
  const member = await deps.store.get(id);
  if (!member) return refuse({ reason: 'unknown_member', id });
  if (actor === 'cli' || isAdmin(actor.roles)) return ok(member);
  const ancestors = await deps.org.units.ancestors(member.branch);
  return canView(actor.roles, member.branch, ancestors)
    ? ok(member)
    : refuse({ reason: 'unknown_member', id });
}

/** A member's history, oldest first, for those who may see them. */
export async function memberHistory(
  deps: MemberServiceDeps,
  actor: Actor,
  id: number,
): Promise<MemberOutcome<{ member: Member; entries: MemberHistoryEntry[] }>> {
  const found = await visibleMember(deps, actor, id);
  if (!found.ok) return found;
  return ok({ member: found.value, entries: await deps.store.history(id) });
}

/** Who makes a change and when, and the card it was confirmed on, if any. */
function changeBy(deps: MemberServiceDeps, actor: Actor, card: string | undefined): ChangeBy {
  return { actor: actorId(actor), now: deps.clock.now(), ...(card ? { card } : {}) };
}

/** Kết nạp: a new probationary member of a branch the person keeps. */
export async function admit(
  deps: MemberServiceDeps,
  actor: Actor,
  branchCode: string,
  draft: AdmissionDraft,
  card?: string,
): Promise<MemberOutcome<{ member: Member; unit: UnitRef }>> {
  const branch = await manageableBranch(deps.org, actor, branchCode);
  if (!branch.ok) return branch;
  const checked = checkAdmission(draft, branch.value.code, today(deps));
  if (!checked.ok) return refuse({ reason: 'invalid_member', problems: checked.problems });
  const r = await deps.store.admit(checked.input, changeBy(deps, actor, card));
  if (!r.ok) {
    return refuse(
      r.reason === 'card_taken'
        ? { reason: 'card_taken', card: checked.input.cardNumber ?? '', other: memberRef(r.other) }
        : { reason: 'duplicate_person', other: memberRef(r.other) },
    );
  }
  return ok({ member: r.member, unit: unitRef(branch.value) });
}

/**
 * An active member the person may change: their branch is one the person keeps. A member the
 * person may not even see is an unknown id to them.
 */
async function changeable(
  deps: MemberServiceDeps,
  actor: Actor,
  id: number,
): Promise<MemberOutcome<{ member: Member; unit: Unit }>> {
  const seen = await visibleMember(deps, actor, id);
  if (!seen.ok) return seen;
  const member = seen.value;
  const branch = await manageableBranch(deps.org, actor, member.branch);
  if (!branch.ok) return branch;
  if (member.closing) return refuse(closedRefusal(member));
  return ok({ member, unit: branch.value });
}

function closedRefusal(m: Member): MemberRefusal {
  const closing = m.closing!;
  return { reason: 'member_closed', member: memberRef(m), kind: closing.kind, date: closing.date };
}

/** The store's refusal, as the person is told it. */
function storeRefusal(
  reason: string,
  id: number,
  member: Member | undefined,
  extra: (reason: string, m: Member) => MemberRefusal | undefined,
): MemberRefusal {
  if (member?.closing) return closedRefusal(member);
  if (member) {
    const r = extra(reason, member);
    if (r) return r;
  }
  // Unknown, or moved to another branch since the rights were checked.
  return { reason: 'unknown_member', id };
}

/** Chuyển chính thức on the date given, or on the day the twelve months of probation end. */
export async function makeOfficial(
  deps: MemberServiceDeps,
  actor: Actor,
  id: number,
  dateText?: string,
  card?: string,
): Promise<MemberOutcome<{ member: Member }>> {
  const found = await changeable(deps, actor, id);
  if (!found.ok) return found;
  const { member } = found.value;
  if (member.officialSince) {
    return refuse({ reason: 'already_official', member: memberRef(member), since: member.officialSince });
  }
  const date = officialDate(dateText, member.joined, today(deps));
  if (!date.ok) {
    const { ok: _ok, ...problem } = date;
    return refuse({ reason: 'bad_date', member: memberRef(member), ...problem });
  }
  const r = await deps.store.makeOfficial(id, date.date, changeBy(deps, actor, card), (m) =>
    m.branch !== member.branch || m.joined !== member.joined ? 'changed' : undefined,
  );
  if (!r.ok) {
    return refuse(
      storeRefusal(r.reason, id, r.member, (reason, m) =>
        reason === 'already_official' && m.officialSince
          ? { reason: 'already_official', member: memberRef(m), since: m.officialSince }
          : undefined,
      ),
    );
  }
  return ok({ member: r.after });
}

/** Chuyển sinh hoạt to another branch; the receiving branch's secretaries are to be told. */
export async function transfer(
  deps: MemberServiceDeps,
  actor: Actor,
  id: number,
  toCode: string,
  card?: string,
): Promise<MemberOutcome<Transferred>> {
  const found = await changeable(deps, actor, id);
  if (!found.ok) return found;
  const { member, unit: from } = found.value;
  const to = await deps.org.units.get(toCode);
  if (!to) return refuse({ reason: 'unknown_unit', code: toCode });
  if (!isBranch(to)) return refuse({ reason: 'not_branch', unit: unitRef(to) });
  if (to.code === member.branch)
    return refuse({ reason: 'same_branch', member: memberRef(member), unit: unitRef(to) });
  const r = await deps.store.transfer(id, to.code, changeBy(deps, actor, card), (m) =>
    m.branch !== member.branch ? 'changed' : undefined,
  );
  if (!r.ok) {
    return refuse(
      storeRefusal(r.reason, id, r.member, (reason, m) =>
        reason === 'same_branch'
          ? { reason: 'same_branch', member: memberRef(m), unit: unitRef(to) }
          : undefined,
      ),
    );
  }
  return ok({
    member: r.after,
    from: unitRef(from),
    to: unitRef(to),
    notify: await receivers(deps, to.code),
  });
}

/**
 * A transfer made on an earlier press of the same card (the press redelivered after a crash):
 * the same answer as when it was made, so the receiving branch is still told.
 */
export async function transferMade(
  deps: MemberServiceDeps,
  id: number,
  fromCode: string,
): Promise<MemberOutcome<Transferred>> {
  // No view check: the member has left the person's branch, and the card's receipt shows the
  // person made this transfer.
  const member = await deps.store.get(id);
  if (!member) return refuse({ reason: 'unknown_member', id });
  const [from, to] = await Promise.all([deps.org.units.get(fromCode), deps.org.units.get(member.branch)]);
  if (!from || !to) return refuse({ reason: 'unknown_unit', code: from ? member.branch : fromCode });
  return ok({ member, from: unitRef(from), to: unitRef(to), notify: await receivers(deps, to.code) });
}

/** Who at a branch is told of a member transferred in: its secretaries and deputies. */
async function receivers(deps: MemberServiceDeps, branch: string): Promise<number[]> {
  const holders = await Promise.all([
    deps.org.people.holdersOf(branch, 'secretary'),
    deps.org.people.holdersOf(branch, 'deputy'),
  ]);
  return [...new Set(holders.flat())];
}

/** Ends a membership (chuyển đi, từ trần, xóa tên, khai trừ) on a date, for a reason. */
export async function closeMembership(
  deps: MemberServiceDeps,
  actor: Actor,
  id: number,
  opts: { kind: string; date?: string; reason: string },
  card?: string,
): Promise<MemberOutcome<{ member: Member }>> {
  const found = await changeable(deps, actor, id);
  if (!found.ok) return found;
  const { member } = found.value;
  if (!isClosingKind(opts.kind)) return refuse({ reason: 'unknown_closing_kind', text: opts.kind });
  const date = closingDate(opts.date, member.joined, today(deps));
  if (!date.ok) {
    const { ok: _ok, ...problem } = date;
    return refuse({ reason: 'bad_date', member: memberRef(member), ...problem });
  }
  const reason = closingReason(opts.reason);
  if (!reason.ok) return refuse({ reason: 'bad_reason', problem: reason.problem });
  const r = await deps.store.close(
    id,
    { kind: opts.kind, date: date.date, reason: reason.reason },
    changeBy(deps, actor, card),
    (m) => (m.branch !== member.branch ? 'changed' : undefined),
  );
  if (!r.ok) return refuse(storeRefusal(r.reason, id, r.member, () => undefined));
  return ok({ member: r.after });
}
