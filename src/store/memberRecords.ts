/**
 * How the member register lies in Redis: its keys and the packed form of one member.
 *
 *   cb:reg:b:{branch}            string the branch's active members, one packed line each, by id
 *   cb:reg:x:{branch}            string the branch's closed memberships, the same way
 *   cb:reg:n:{branch}            hash   o: full members, p: probationary, a{YYYY}: admissions that year
 *   cb:reg:loc:{id div 128}      hash   member id -> branch, for every member ever registered
 *   cb:reg:card:{fnv(card) % 2^17} hash card key -> member id
 *   cb:reg:anchor:{YYYYMMDD}     list   a badge entry for each active member whose standing anchor is that day
 *   cb:reg:probation             zset   ids of active probationary members, score = probation end
 *   cb:reg:h:{id}                list   the member's history, oldest first (JSON)
 *   cb:reg:seq                   string the last member id given
 *   cb:reg:version               string bumped by every change; imports WATCH it
 *   cb:reg:target:{year}         hash   unit code -> target of new members that year
 *
 * Sizes are chosen for 5,000,000 members in 300,000 branches on a Redis whose small-encoding
 * limits are the defaults (128 entries and 64-byte values for a compact hash). Measured with
 * `npm run bench -- members` there: 192 bytes of Redis a member, everything included.
 * - a branch's register is one string, read whole by its list and rewritten whole (under WATCH)
 *   by a change: a record is ~75 bytes, over the 64 bytes a hash keeps compact, and a hash of
 *   such records costs ~130 bytes a member where the string costs the record and its id;
 * - an anchor day is a list of badge entries (id, branch, name, birth date, admission date,
 *   interrupted months: what the badge list prints and tests), kept in compact 8 KB listpack
 *   nodes whatever its length; the badge list of a province reads ~1,300 of them and nothing
 *   else of the register. An entry is derived from the record, so a change removes it exactly
 *   (LREM) with no read of the list;
 * - the id and card lookups are bucketed to stay within 128 entries a hash;
 * - probationary members are a few percent of the register, so one sorted set holds them;
 * - per-branch counters are one small hash, rewritten whole on import (from the branch's records
 *   and the counters read under the version WATCH) and incremented in the same MULTI as every
 *   single change.
 */
import type { BadgeMember } from '../domain/members/badgeList.js';
import type { ClosingKind, Gender, Member } from '../domain/members/member.js';
import { standingAnchor } from '../domain/members/standing.js';
import type { IsoDate } from '../domain/vn.js';

export const SEQ_KEY = 'cb:reg:seq';
/**
 * Bumped in every MULTI that changes the register. An import reads thousands of keys and
 * WATCHes this one key instead: Redis checks a client's watched keys one by one, so watching
 * each key read would be quadratic in the size of the file.
 */
export const VERSION_KEY = 'cb:reg:version';
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
/** The anchor list a member's badge entry is in. */
export const anchorKeyOf = (m: Pick<Member, 'joined' | 'interruptedMonths'>) => anchorKey(standingAnchor(m));

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

/** A member's badge entry: id, branch, name, birth date, admission date, interrupted months. */
export function packBadgeEntry(m: BadgeMember): string {
  const months = m.interruptedMonths === 0 ? '' : String(m.interruptedMonths);
  return `${m.id}\t${m.branch}\t${m.fullName}\t${compactDate(m.birthDate)}\t${compactDate(m.joined)}\t${months}`;
}

/** The inverse of `packBadgeEntry`. */
export function unpackBadgeEntry(entry: string): BadgeMember {
  const [id = '', branch = '', fullName = '', birth = '', joined = '', months = ''] = entry.split('\t');
  return {
    id: Number(id),
    branch,
    fullName,
    birthDate: isoDate(birth),
    joined: isoDate(joined),
    interruptedMonths: months ? Number(months) : 0,
  };
}

/** A branch's register as stored: one line per member, `id<TAB>record`, in id order. */
export function packRegister(members: Iterable<Member>): string {
  return [...members]
    .sort((a, b) => a.id - b.id)
    .map((m) => `${m.id}\t${packMember(m)}`)
    .join('\n');
}

/** The members of a stored register (none for a missing key). */
export function unpackRegister(branch: string, blob: string | null | undefined): Member[] {
  if (!blob) return [];
  return blob.split('\n').map((line) => {
    const tab = line.indexOf('\t');
    return unpackMember(Number(line.slice(0, tab)), branch, line.slice(tab + 1));
  });
}
