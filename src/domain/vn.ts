/**
 * Vietnamese conventions for numbers, percentages, dates and free-text matching (docs/rules.md,
 * «How the bot writes»). Pure functions: no I/O, no clock.
 *
 * Calendar dates travel through the domain as ISO strings `YYYY-MM-DD` (a `IsoDate`), so they
 * serialise into Redis and compare as strings; instants are UTC milliseconds.
 */
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat.js';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(customParseFormat);

export { dayjs };

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

export const DEFAULT_TIMEZONE = 'Asia/Ho_Chi_Minh';

/** 1349 -> "1.349"; 76.35 -> "76,35". */
export function formatNumber(n: number, maxFractionDigits = 2): string {
  // Most numbers shown are small counts: no grouping, no fraction.
  if (Number.isInteger(n) && n > -1000 && n < 1000) return String(n);
  const negative = n < 0;
  const fixed = Math.abs(n).toFixed(maxFractionDigits);
  let [intPart = '0', frac = ''] = fixed.split('.');
  frac = frac.replace(/0+$/, '');
  intPart = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return (negative ? '-' : '') + intPart + (frac ? `,${frac}` : '');
}

/**
 * part/whole as a percentage, rounded half-up to two decimals with trailing zeros dropped:
 * 95,2%  6%  100%. Integer arithmetic, so 2/3 and 1/8 round exactly as a person would.
 * A zero denominator gives "0%".
 */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const hundredths = Math.floor((part * 20000 + whole) / (2 * whole));
  return `${formatNumber(hundredths / 100)}%`;
}

/** "436/458". */
export function formatRatio(part: number, whole: number): string {
  return `${formatNumber(part)}/${formatNumber(whole)}`;
}

/** "436/458 (95,2%)". */
export function formatRatioPercent(part: number, whole: number): string {
  return `${formatRatio(part, whole)} (${formatPercent(part, whole)})`;
}

/**
 * Folds text for matching labels and answers: lower case, no diacritics (đ -> d), single spaces,
 * no surrounding punctuation. "Bí thư LÀ người đứng đầu" -> "bi thu la nguoi dung dau".
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A whole number as a Vietnamese writes it: "1.349", "1 349" or "1349". Returns undefined for
 * anything else (decimals, signs, words), so the caller can name the field in its error.
 */
export function parseWholeNumber(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{1,3}([.\s]\d{3})*$/.test(t) && !/^\d+$/.test(t)) return undefined;
  const n = Number(t.replace(/[.\s]/g, ''));
  return Number.isSafeInteger(n) ? n : undefined;
}

const DATE_FORMATS = ['D/M/YYYY', 'DD/MM/YYYY', 'D-M-YYYY', 'DD-MM-YYYY', 'D.M.YYYY', 'DD.MM.YYYY'];

/** "15/09/2025", "15/9/2025", "15-09-2025" or "15.09.2025" -> "2025-09-15"; undefined if not a real date. */
export function parseVnDate(text: string): IsoDate | undefined {
  const t = text.trim();
  if (!/^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$/.test(t)) return undefined;
  const d = dayjs(t, DATE_FORMATS, true);
  return d.isValid() ? d.format('YYYY-MM-DD') : undefined;
}

/** "2025-09-15" -> "15/09/2025". */
export function formatVnDate(date: IsoDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/** "19h30", "19:30", "19h" -> minutes since midnight; undefined if not a time of day. */
export function parseTimeOfDay(text: string): number | undefined {
  const m = /^(\d{1,2})\s*[h:]\s*(\d{2})?$/i.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (h > 23 || min > 59) return undefined;
  return h * 60 + min;
}

/** Minutes since midnight -> "19:30". */
export function formatTimeOfDay(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** The calendar date of an instant in the given zone. */
export function calendarDate(instantMs: number, tz = DEFAULT_TIMEZONE): IsoDate {
  // dayjs's time-zone arithmetic is slow and every update asks for today several times: keep,
  // per time zone, the last day found and the instants it spans.
  const known = dayCache.get(tz);
  if (known && instantMs >= known.from && instantMs < known.to) return known.date;
  const local = dayjs(instantMs).tz(tz);
  const date = local.format('YYYY-MM-DD') as IsoDate;
  const from = local.startOf('day').valueOf();
  const to = dayjs.tz(`${addDays(date, 1)}T00:00:00`, tz).valueOf();
  if (from <= instantMs && instantMs < to) dayCache.set(tz, { date, from, to });
  return date;
}

const dayCache = new Map<string, { date: IsoDate; from: number; to: number }>();

/** Whole days from `from` to `to` (both calendar dates); negative when `to` is earlier. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** `date` plus `days` calendar days. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}
