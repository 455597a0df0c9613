/**
 * How a party document is cited: "Kế hoạch số 74-KH/ĐU, ngày 12/7/2022 của Đảng ủy phường Việt
 * Hưng". The kind comes from the letters of the number (KH, CT, NQ, KL, HD, TB, QĐ, CV), the date
 * is the issue date (not the day the bot sent it), the issuer is the body that issued it. Used by
 * directives and by chuẩn y decisions. Pure; the catalogue words the kinds.
 */
import { type IsoDate, parseVnDate } from './vn.js';

/** Document kinds the committees number, by the letters in the number. */
export const DOCUMENT_KINDS = ['KH', 'CT', 'NQ', 'KL', 'HD', 'TB', 'QĐ', 'CV'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Longest issuer name ("Ban Thường vụ Đảng ủy phường Việt Hưng" fits easily). */
export const ISSUER_MAX = 120;

/**
 * The kind a number names: "74-KH/ĐU" → KH, "123-QĐ/ĐU" → QĐ, "05-CT/TW" → CT. The letters
 * after the first dash, before the slash; undefined when there are none or they name no kind
 * ("Văn bản").
 */
export function documentKind(number: string | undefined): DocumentKind | undefined {
  if (!number) return undefined;
  const m = /^[^-]*-\s*([\p{L}]+)/u.exec(number.normalize('NFC'));
  const letters = m?.[1]?.toUpperCase().replace('Ð', 'Đ');
  return DOCUMENT_KINDS.find((k) => k === letters);
}

export type CitationProblem =
  | { code: 'issuedInvalid'; value: string }
  | { code: 'issuedFuture'; date: IsoDate; today: IsoDate }
  | { code: 'issuerInvalid'; value: string }
  | { code: 'issuerTooLong'; length: number; max: number };

export type CitationCheck<T> = { ok: true; value: T } | { ok: false; problem: CitationProblem };

/** The issue date, dd/mm/yyyy, not after today; empty means none given. */
export function checkIssued(raw: string, today: IsoDate): CitationCheck<IsoDate | undefined> {
  const t = raw.trim();
  if (t === '') return { ok: true, value: undefined };
  const date = parseVnDate(t);
  if (!date) return { ok: false, problem: { code: 'issuedInvalid', value: t } };
  if (date > today) return { ok: false, problem: { code: 'issuedFuture', date, today } };
  return { ok: true, value: date };
}

const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const ISSUER_PATTERN = /^\p{L}[\p{L}\p{M}\p{N} .,'()/–-]*$/u;

/** "Đảng ủy phường Việt Hưng": letters, digits and plain punctuation; empty means none given. */
export function checkIssuer(raw: string): CitationCheck<string | undefined> {
  const t = raw.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim().normalize('NFC');
  if (t === '') return { ok: true, value: undefined };
  if (t.length > ISSUER_MAX)
    return { ok: false, problem: { code: 'issuerTooLong', length: t.length, max: ISSUER_MAX } };
  if (!ISSUER_PATTERN.test(t)) return { ok: false, problem: { code: 'issuerInvalid', value: t } };
  return { ok: true, value: t };
}

/** "2022-07-12" → "12/7/2022": how the date reads inside a citation. */
export function citationDate(date: IsoDate): string {
  const [y, m, d] = date.split('-');
  return `${Number(d)}/${Number(m)}/${y}`;
}
