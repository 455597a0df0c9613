/**
 * How the member register lies in Redis: its keys and the packed form of one member.
 *
 *   cb:reg:b:{branch}            hash   member id -> packed record, each active member of the branch
 *   cb:reg:x:{branch}            hash   member id -> packed record, each closed membership
 *   cb:reg:n:{branch}            hash   o: full members, p: probationary, a{YYYY}: admissions that year
 *   cb:reg:loc:{id div 128}      hash   member id -> branch, for every member ever registered
 *   cb:reg:card:{fnv(card) % 2^17} hash card key -> member id
 *   cb:reg:anchor:{YYYYMMDD}     set    ids of the active members whose standing anchor is that day
 *   cb:reg:probation             zset   ids of active probationary members, score = probation end
 *   cb:reg:h:{id}                list   the member's history, oldest first (JSON)
 *   cb:reg:seq                   string the last member id given
 *   cb:reg:target:{year}         hash   unit code -> target of new members that year
 *
 * Sizes are chosen for 5,000,000 members in 300,000 branches on a Redis whose small-encoding
 * limits are the defaults (128 entries, 64-byte values for hashes; 512 integers for sets):
 * - a branch's records are one hash, read whole by the branch's list and field by field by
 *   the badge list; records over 64 bytes make it a hashtable, which is still ~130 bytes each;
 * - ids are integers, so an anchor day is a compact intset (4 bytes an id up to 512 a day);
 * - the id and card lookups are bucketed to stay within 128 entries a hash;
 * - probationary members are a few percent of the register, so one sorted set holds them;
 * - per-branch counters are one small hash, rewritten whole from the branch's records on import
 *   and incremented in the same MULTI as every single change.
 */
import type { ClosingKind, Gender, Member } from '../domain/members/member.js';
import type { IsoDate } from '../domain/vn.js';

export const SEQ_KEY = 'cb:reg:seq';
export const PROBATION_KEY = 'cb:reg:probation';
export const activeKey = (branch: string) => `cb:reg:b:${branch}`;
export const closedKey = (branch: string) => `cb:reg:x:${branch}`;
export const countsKey = (branch: string) => `cb:reg:n:${branch}`;
export const historyKey = (id: number) => `cb:reg:h:${id}`;
export const targetKey = (year: number) => `cb:reg:target:${year}`;

/** Ids per location bucket: consecutive ids share one small hash. */
const LOC_BUCKET = 128;
export const locKey = (id: number) => `cb:reg:loc:${Math.floor(id / LOC_BUCKET)}`;
export const locBucket = (id: number) => Math.floor(id / LOC_BUCKET);

/** 2^17 card buckets: about 38 cards each at 5,000,000 members. */
const CARD_BUCKETS = 131_072;
/** FNV-1a, 32 bits: a stable spread of card keys over the buckets. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
export const cardBucketKey = (key: string) => `cb:reg:card:${fnv1a(key) % CARD_BUCKETS}`;

/** "1996-02-29" -> "19960229": the anchor day key and the probation score. */
export const compactDate = (date: IsoDate) => date.replace(/-/g, '');
const isoDate = (compact: string): IsoDate =>
  `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
export const anchorKey = (date: IsoDate) => `cb:reg:anchor:${compactDate(date)}`;

/** Admissions of a year in a branch's counters. */
export const admissionsField = (year: number | string) => `a${year}`;

const GENDER_CODE: Record<Gender, string> = { male: 'm', female: 'f' };
const CLOSING_CODE: Record<ClosingKind, string> = {
  transferred_out: 't',
  deceased: 'd',
  struck_off: 's',
  expelled: 'e',
};
const genderOf = (code: string): Gender => (code === 'f' ? 'female' : 'male');
const closingOf = (code: string): ClosingKind =>
  (Object.keys(CLOSING_CODE) as ClosingKind[]).find((k) => CLOSING_CODE[k] === code) ?? 'transferred_out';

/**
 * One member as the value of their branch's hash: tab-separated, dates as YYYYMMDD, empty for
 * none, about 70 bytes. Names and reasons never hold tabs (whitespace is collapsed on entry).
 * Fields: name, birth, gender, ethnicity, joined, official, card, interrupted months, admitted
 * by, then for a closed membership its kind, date and reason.
 */
export function packMember(m: Member): string {
  const fields = [
    m.fullName,
    compactDate(m.birthDate),
    GENDER_CODE[m.gender],
    m.ethnicity,
    compactDate(m.joined),
    m.officialSince ? compactDate(m.officialSince) : '',
    m.cardNumber ?? '',
    m.interruptedMonths === 0 ? '' : String(m.interruptedMonths),
    m.admittedBy ?? '',
  ];
  if (m.closing) fields.push(CLOSING_CODE[m.closing.kind], compactDate(m.closing.date), m.closing.reason);
  return fields.join('\t');
}

/** The inverse of `packMember`, given the id and branch the record was found under. */
export function unpackMember(id: number, branch: string, packed: string): Member {
  const f = packed.split('\t');
  const text = (i: number) => f[i] ?? '';
  return {
    id,
    branch,
    fullName: text(0),
    birthDate: isoDate(text(1)),
    gender: genderOf(text(2)),
    ethnicity: text(3),
    joined: isoDate(text(4)),
    officialSince: text(5) ? isoDate(text(5)) : null,
    cardNumber: text(6) || null,
    interruptedMonths: text(7) ? Number(text(7)) : 0,
    admittedBy: text(8) || null,
    closing: f.length > 9 ? { kind: closingOf(text(9)), date: isoDate(text(10)), reason: text(11) } : null,
  };
}
