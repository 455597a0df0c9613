/**
 * A party member (đảng viên) in a branch's register, and the rules every entry obeys whether it
 * comes from a file, a chat form or the CLI. Rules answer with codes; `messages/members.ts`
 * says them in Vietnamese.
 *
 * A member with no official date is probationary (dự bị). A closed membership (chuyển đi,
 * từ trần, xóa tên, khai trừ) stays in the register, out of the counts, with its date and
 * reason.
 */
import { foldVietnamese, type IsoDate } from '../vn.js';
import { monthsBetween } from './standing.js';

export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

/** How a membership ends: chuyển đi, từ trần, xóa tên, khai trừ. */
export const CLOSING_KINDS = ['transferred_out', 'deceased', 'struck_off', 'expelled'] as const;
export type ClosingKind = (typeof CLOSING_KINDS)[number];

export interface Closing {
  kind: ClosingKind;
  date: IsoDate;
  reason: string;
}

/** What is recorded of a member, without the id the register gives them. */
export interface MemberInput {
  /** The branch (chi bộ) whose register holds the member. */
  branch: string;
  fullName: string;
  birthDate: IsoDate;
  gender: Gender;
  ethnicity: string;
  /** Admission date (ngày vào Đảng). */
  joined: IsoDate;
  /** Date of becoming a full member; null while probationary (dự bị). */
  officialSince: IsoDate | null;
  /** Party card number (số thẻ đảng viên), when known. */
  cardNumber: string | null;
  /** Months of interrupted membership, subtracted from standing. */
  interruptedMonths: number;
}

export interface Member extends MemberInput {
  id: number;
  /**
   * The branch that admitted the member, when it is not the current one (after a transfer):
   * admissions count for the branch that admitted.
   */
  admittedBy: string | null;
  /** Null while the membership is active. */
  closing: Closing | null;
}

/** The party was founded on 3/2/1930: no one was admitted before. */
export const PARTY_FOUNDED: IsoDate = '1930-02-03';
/** Admission age under the Party Charter: from eighteen. */
export const ADMISSION_AGE = 18;
export const NAME_MAX = 80;
export const ETHNICITY_MAX = 40;
export const CARD_MAX = 20;
export const REASON_MAX = 300;
/** More than a century of interruption is a typing error, whatever the dates say. */
export const INTERRUPTED_MAX = 1200;

export const isProbationary = (m: Pick<MemberInput, 'officialSince'>) => m.officialSince === null;
export const isActive = (m: Pick<Member, 'closing'>) => m.closing === null;

/** Spaces collapsed, trimmed, composed (NFC) so the same name is always the same string. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Letters (with their accents), and inside a name spaces, apostrophes (H'Hen), dots and hyphens. */
const NAME_PATTERN = /^\p{L}[\p{L}\p{M}' ’.-]*$/u;

export type TextProblem = 'missing' | 'too_long' | 'invalid';

/** Why a person's name (or an ethnicity) cannot be recorded, if it cannot. */
export function nameProblem(name: string, max = NAME_MAX): TextProblem | undefined {
  if (name === '') return 'missing';
  if (name.length > max) return 'too_long';
  return NAME_PATTERN.test(name) ? undefined : 'invalid';
}

/** "Nam", "nữ", "NU", "male", "female" -> a gender; undefined otherwise. */
export function parseGender(text: string): Gender | undefined {
  const key = foldVietnamese(text);
  if (key === 'nam' || key === 'male') return 'male';
  if (key === 'nu' || key === 'female') return 'female';
  return undefined;
}

const CARD_PATTERN = /^[0-9A-Za-z][0-9A-Za-z./-]*$/;

/** A card number as written, spaces removed; undefined when it is not one. */
export function parseCardNumber(text: string): string | undefined {
  const card = text.replace(/\s+/g, '');
  return card.length <= CARD_MAX && CARD_PATTERN.test(card) ? card : undefined;
}

/** What identifies a card whatever its punctuation: "12.345678" and "12345678" are one card. */
export function cardKey(card: string): string {
  return card.replace(/[./-]/g, '').toUpperCase();
}

/** Name and birth date as re-imports match them: case and spacing do not matter. */
export function personKey(fullName: string, birthDate: IsoDate): string {
  return `${normaliseText(fullName).toLocaleLowerCase('vi')}|${birthDate}`;
}

/** A date field of a member. */
export type MemberDateField = 'birthDate' | 'joined' | 'officialSince';

/** Why the dates of a member do not hold together. */
export type MemberDateProblem =
  | { problem: 'future_date'; field: MemberDateField }
  | { problem: 'joined_before_birth' }
  | { problem: 'joined_before_party' }
  | { problem: 'official_before_joined' }
  | { problem: 'interrupted_too_long'; months: number };

/**
 * The date rules of every entry: nothing in the future, admission after birth and after the
 * party's founding, full membership after admission, and interruptions no longer than the
 * time since admission.
 */
export function dateProblems(
  m: Pick<MemberInput, 'birthDate' | 'joined' | 'officialSince' | 'interruptedMonths'>,
  today: IsoDate,
): MemberDateProblem[] {
  const out: MemberDateProblem[] = [];
  if (m.birthDate > today) out.push({ problem: 'future_date', field: 'birthDate' });
  if (m.joined > today) out.push({ problem: 'future_date', field: 'joined' });
  if (m.officialSince !== null && m.officialSince > today)
    out.push({ problem: 'future_date', field: 'officialSince' });
  if (m.joined <= m.birthDate) out.push({ problem: 'joined_before_birth' });
  if (m.joined < PARTY_FOUNDED) out.push({ problem: 'joined_before_party' });
  if (m.officialSince !== null && m.officialSince < m.joined) out.push({ problem: 'official_before_joined' });
  const since = monthsBetween(m.joined, today);
  if (m.interruptedMonths > since) out.push({ problem: 'interrupted_too_long', months: since });
  return out;
}

/** Whole years of age on `at`. */
export function ageOn(birthDate: IsoDate, at: IsoDate): number {
  return Math.floor(monthsBetween(birthDate, at) / 12);
}

/**
 * What a branch's register shows for a month (`YYYY-MM`): members it admitted (kết nạp) and
 * members made official (chuyển chính thức) that month, closed memberships included.
 */
export function membershipInMonth(
  members: readonly Member[],
  branch: string,
  month: string,
): { admitted: number; madeOfficial: number } {
  let admitted = 0;
  let madeOfficial = 0;
  for (const m of members) {
    if (m.joined.startsWith(month) && (m.admittedBy ?? m.branch) === branch) admitted++;
    if (m.officialSince?.startsWith(month)) madeOfficial++;
  }
  return { admitted, madeOfficial };
}

// Made on first use, not at start-up: building ICU's Vietnamese collation is not free.
let collator: Intl.Collator | undefined;
const givenName = (fullName: string) => fullName.slice(fullName.lastIndexOf(' ') + 1);

/** The order of a Vietnamese name list: by given name (the last word), then the full name. */
export function compareNames(a: string, b: string): number {
  collator ??= new Intl.Collator('vi', { sensitivity: 'base' });
  return collator.compare(givenName(a), givenName(b)) || collator.compare(a, b);
}
