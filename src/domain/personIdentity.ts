/**
 * A person's recorded name (họ và tên) and title (chức vụ), as the office writes them: checks
 * with reason codes, and how a name and title read together. "Lãnh đạo" is a role in the bot,
 * never a title, so it is refused as one. Pure.
 */

/** Longest recorded name and title, in UTF-16 units: a name and a title fit one line. */
export const IDENTITY_LIMITS = { name: 80, title: 120 } as const;

export type IdentityProblem =
  | { code: 'nameEmpty' }
  | { code: 'nameTooLong'; length: number; max: number }
  | { code: 'nameInvalid'; value: string }
  | { code: 'titleTooLong'; length: number; max: number }
  | { code: 'titleInvalid'; value: string }
  | { code: 'titleIsRole'; value: string };

export type IdentityCheck = { ok: true; value: string } | { ok: false; problem: IdentityProblem };

/** Control characters, bidi marks and zero-width characters: invisible or reordering. */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** Letters (with their accents), spaces, and the punctuation names and titles use. */
const NAME_PATTERN = /^\p{L}[\p{L}\p{M} .'-]*$/u;
const TITLE_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} .,'()/–-]*$/u;

function clean(raw: string): string {
  return raw.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim().normalize('NFC');
}

/** "Nguyễn Văn Hùng": letters and spaces, at most 80 characters. */
export function checkPersonName(raw: string): IdentityCheck {
  const value = clean(raw);
  if (value === '') return { ok: false, problem: { code: 'nameEmpty' } };
  if (value.length > IDENTITY_LIMITS.name)
    return { ok: false, problem: { code: 'nameTooLong', length: value.length, max: IDENTITY_LIMITS.name } };
  if (!NAME_PATTERN.test(value)) return { ok: false, problem: { code: 'nameInvalid', value } };
  return { ok: true, value };
}

/** "Bí thư Đảng ủy phường"; an empty answer means no title. "Lãnh đạo" alone is refused. */
export function checkTitle(raw: string): IdentityCheck {
  const value = clean(raw);
  if (value === '') return { ok: true, value: '' };
  if (value.length > IDENTITY_LIMITS.title)
    return { ok: false, problem: { code: 'titleTooLong', length: value.length, max: IDENTITY_LIMITS.title } };
  if (!TITLE_PATTERN.test(value)) return { ok: false, problem: { code: 'titleInvalid', value } };
  if (isRoleWord(value)) return { ok: false, problem: { code: 'titleIsRole', value } };
  return { ok: true, value };
}

/** True for "Lãnh đạo", "lãnh đạo …" and "Lanh dao": the bot's role, not a title. */
export function isRoleWord(title: string): boolean {
  const plain = title.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase();
  return /^lanh dao\b/.test(plain);
}

/** What the bot knows of a person's name: recorded by the office, or from their messenger profile. */
export interface NamedPerson {
  id: number;
  fullName?: string;
  title?: string;
  firstName?: string;
  lastName?: string;
  username?: string;
}

/** True when the office recorded the person's name (otherwise it is their Telegram name). */
export function hasRecordedName(p: NamedPerson): boolean {
  return Boolean(p.fullName);
}

/** The messenger profile's name: "Hùng Nguyễn (@hung)", "@hung" or "id 42". */
export function profileName(p: NamedPerson): string {
  const name = [p.firstName, p.lastName].filter(Boolean).join(' ').trim();
  const handle = p.username ? ` (@${p.username})` : '';
  return name ? `${name}${handle}` : p.username ? `@${p.username}` : `id ${p.id}`;
}

/** The recorded name, else the profile's: "Nguyễn Văn Hùng". */
export function displayName(p: NamedPerson): string {
  return p.fullName || profileName(p);
}

/** "Nguyễn Văn Hùng, Bí thư Đảng ủy phường", or the name alone without a recorded title. */
export function nameWithTitle(p: NamedPerson): string {
  const title = p.title && !isRoleWord(p.title) ? p.title : '';
  return title ? `${displayName(p)}, ${title}` : displayName(p);
}
