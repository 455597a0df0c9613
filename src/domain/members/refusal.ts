/**
 * Why a register request is refused, as data: the service answers with one of these and the
 * message catalogue words it, so the chat and the CLI say the same thing.
 */
import type { IsoDate } from '../vn.js';
import type { FieldProblem, StatusDateProblem } from './admission.js';
import type { ClosingKind } from './member.js';
import type { MemberCsvError } from './memberCsv.js';

/** A unit as a refusal names it. */
export interface UnitRef {
  code: string;
  name: string;
}

/** A member as a refusal names them. */
export interface MemberRef {
  id: number;
  fullName: string;
  branch: string;
}

export type MemberRefusal =
  /** The person has no role at all. */
  | { reason: 'no_access' }
  /** Only the committee office (or the server's CLI) may do this. */
  | { reason: 'admin_only' }
  /** No unit tree has been imported. */
  | { reason: 'no_units' }
  /** The person sees several separate scopes and must name one. */
  | { reason: 'choose_scope'; units: UnitRef[] }
  | { reason: 'unknown_unit'; code: string }
  /** Members belong to branches (chi bộ, chi bộ cơ sở) only. */
  | { reason: 'not_branch'; unit: UnitRef }
  /** The unit lies outside what the person may see or change. */
  | { reason: 'not_allowed'; unit: UnitRef }
  | { reason: 'unknown_member'; id: number }
  | { reason: 'member_closed'; member: MemberRef; kind: ClosingKind; date: IsoDate }
  | { reason: 'already_official'; member: MemberRef; since: IsoDate }
  | { reason: 'same_branch'; member: MemberRef; unit: UnitRef }
  | { reason: 'card_taken'; card: string; other: MemberRef }
  | { reason: 'duplicate_person'; other: MemberRef }
  /** An admission with something wrong in its fields, every field at once. */
  | { reason: 'invalid_member'; problems: FieldProblem[] }
  /** The date given for chuyển chính thức or a closing. */
  | ({ reason: 'bad_date'; member: MemberRef } & StatusDateProblem)
  | { reason: 'bad_reason'; problem: 'missing' | 'too_long' }
  | { reason: 'unknown_closing_kind'; text: string }
  /** Badges are presented on 3/2, 19/5, 2/9 and 7/11 only. */
  | { reason: 'not_occasion'; text: string; next?: IsoDate }
  | { reason: 'invalid_year'; text: string }
  | { reason: 'invalid_target'; text: string }
  /** A member file with bad rows: every one, by line. */
  | { reason: 'import_errors'; errors: MemberCsvError[] };

export type MemberOutcome<T> = { ok: true; value: T } | { ok: false; refusal: MemberRefusal };

export const refuse = (refusal: MemberRefusal): { ok: false; refusal: MemberRefusal } => ({
  ok: false,
  refusal,
});
