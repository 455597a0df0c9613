/**
 * The member register as the edges use it (/dangvien, /huyhieu, /phattrien, the CLI, exports and
 * reminders): permission-checked operations that answer with data or a refusal code, never
 * with text, so a chat command or a CLI command stays a thin wrapper.
 */
import type { AdmissionDraft } from '../../domain/members/admission.js';
import type { BadgeList } from '../../domain/members/badgeList.js';
import type { Member } from '../../domain/members/member.js';
import type { MemberOutcome, UnitRef } from '../../domain/members/refusal.js';
import type { Unit } from '../../domain/units.js';
import type { IsoDate } from '../../domain/vn.js';
import type { BranchCounts, MemberHistoryEntry } from '../../store/members.js';
import { viewableUnit } from './access.js';
import { badgeList, badgesDue } from './badges.js';
import { type DevelopmentReport, development, setTarget } from './development.js';
import { type ImportSummary, importMembers } from './importing.js';
import {
  admit,
  type BranchRegister,
  branchRegister,
  closeMembership,
  makeOfficial,
  memberHistory,
  type Transferred,
  transfer,
  transferMade,
  visibleMember,
} from './register.js';
import type { Actor, MemberServiceDeps } from './types.js';

export class MemberService {
  constructor(private readonly deps: MemberServiceDeps) {}

  // ------------------------------------------------------------------ the register

  /** Imports a member CSV, all or nothing. Office only. */
  importCsv(actor: Actor, input: Uint8Array | string): Promise<MemberOutcome<ImportSummary>> {
    return importMembers(this.deps, actor, input);
  }

  /** The unit a request covers: the one named if the person may see it, else their one scope. */
  scope(actor: Actor, code?: string): Promise<MemberOutcome<Unit>> {
    return viewableUnit(this.deps.org, actor, code);
  }

  /** A branch's active members with its counts; by default the person's own branch. */
  branch(actor: Actor, code?: string): Promise<MemberOutcome<BranchRegister>> {
    return branchRegister(this.deps, actor, code);
  }

  /** One member, for those who may see their branch. */
  member(actor: Actor, id: number): Promise<MemberOutcome<Member>> {
    return visibleMember(this.deps, actor, id);
  }

  /** Every change to a member, oldest first. */
  history(
    actor: Actor,
    id: number,
  ): Promise<MemberOutcome<{ member: Member; entries: MemberHistoryEntry[] }>> {
    return memberHistory(this.deps, actor, id);
  }

  /** Kết nạp into a branch the person keeps. */
  admit(
    actor: Actor,
    branch: string,
    draft: AdmissionDraft,
    card?: string,
  ): Promise<MemberOutcome<{ member: Member; unit: UnitRef }>> {
    return admit(this.deps, actor, branch, draft, card);
  }

  /** Chuyển chính thức, on the date given (DD/MM/YYYY) or when the twelve months end. */
  makeOfficial(
    actor: Actor,
    id: number,
    date?: string,
    card?: string,
  ): Promise<MemberOutcome<{ member: Member }>> {
    return makeOfficial(this.deps, actor, id, date, card);
  }

  /** Chuyển sinh hoạt; the answer names who at the receiving branch must be told. */
  transfer(actor: Actor, id: number, toBranch: string, card?: string): Promise<MemberOutcome<Transferred>> {
    return transfer(this.deps, actor, id, toBranch, card);
  }

  /** A transfer this card already made (its press redelivered): the answer and who to tell. */
  transferMade(id: number, fromBranch: string): Promise<MemberOutcome<Transferred>> {
    return transferMade(this.deps, id, fromBranch);
  }

  /** Ends a membership: `kind` is a closing kind's code, `date` DD/MM/YYYY (today by default). */
  close(
    actor: Actor,
    id: number,
    opts: { kind: string; date?: string; reason: string },
    card?: string,
  ): Promise<MemberOutcome<{ member: Member }>> {
    return closeMembership(this.deps, actor, id, opts, card);
  }

  /**
   * Full and probationary counts of branches, for other rules (the congress 9-member rule and
   * quorum, the meeting form's «Tổng số đảng viên»). No permission check: callers have made it.
   */
  async branchCounts(codes: readonly string[]): Promise<Map<string, BranchCounts & { total: number }>> {
    const counts = await this.deps.store.counts(codes);
    return new Map([...counts].map(([code, c]) => [code, { ...c, total: c.official + c.probationary }]));
  }

  // ------------------------------------------------------------------ Huy hiệu Đảng

  /** Who is due at an occasion (DD/MM/YYYY; the next one by default) in a scope the person sees. */
  badges(actor: Actor, opts: { occasion?: string; unit?: string } = {}): Promise<MemberOutcome<BadgeList>> {
    return badgesDue(this.deps, actor, opts);
  }

  /** Full records of members already shown to the person (a badge list's, for its workbook). */
  records(ids: readonly number[]): Promise<Map<number, Member>> {
    return this.deps.store.getMany(ids);
  }

  /** The badge list of a unit already checked (reminders go branch by branch). */
  badgesIn(unit: Unit, occasion: IsoDate): Promise<BadgeList> {
    return badgeList(this.deps, unit, occasion);
  }

  // ------------------------------------------------------------------ phát triển đảng viên

  /** Admissions against targets and chuyển chính thức due, for a scope and a year. */
  development(
    actor: Actor,
    opts: { year?: string; unit?: string } = {},
  ): Promise<MemberOutcome<DevelopmentReport>> {
    return development(this.deps, actor, opts);
  }

  /** A unit's target of new members for a year. Office only. */
  setTarget(
    actor: Actor,
    opts: { unit: string; year: string; newMembers: string },
  ): Promise<MemberOutcome<{ unit: UnitRef; year: number; target: number }>> {
    return setTarget(this.deps, actor, opts);
  }
}
