/**
 * Chuẩn y and chỉ định as the office records them: the upper committee's quyết định with its
 * number and date, bound to the report version it was made on. A congress with an election has
 * its committee approved ("chuẩn y"); one without has it appointed ("chỉ định"). An amendment
 * after the decision clears it; `reportChanges` says what changed, for the approver. Pure.
 */
import { type IsoDate, parseVnDate } from '../vn.js';
import type { CongressField, CongressReport } from './report.js';
import { CONGRESS_FIELDS } from './vocabulary.js';

/** A recorded decision on a branch's result. */
export interface Decision {
  /** "123-QĐ/ĐU". */
  number: string;
  /** The decision's own date. */
  date: IsoDate;
}

/** Chuẩn y for a congress that elected its committee; chỉ định for one that did not. */
export type DecisionKind = 'chuan_y' | 'chi_dinh';

export function decisionKind(report: Pick<CongressReport, 'format'>): DecisionKind {
  return report.format === 'bau_cu' ? 'chuan_y' : 'chi_dinh';
}

export const DECISION_NUMBER_MAX = 40;
/** "123-QĐ/ĐU", "45/QĐ-ĐU": letters, digits, dashes, slashes and dots. */
const NUMBER_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}\-/.]*$/u;

export type DecisionProblem =
  | { code: 'decisionMissing' }
  | { code: 'decisionNumberInvalid'; value: string; max: number }
  | { code: 'decisionDateMissing' }
  | { code: 'decisionDateInvalid'; value: string }
  | { code: 'decisionDateFuture'; date: IsoDate; today: IsoDate }
  | { code: 'decisionBeforeCongress'; date: IsoDate; congress: IsoDate };

/**
 * Reads "123-QĐ/ĐU 15/09/2025" (number, then date; extra words are refused). `congressDate`:
 * a decision cannot precede the congress it decides on.
 */
export function parseDecision(
  text: string,
  today: IsoDate,
  congressDate?: IsoDate,
): { ok: true; decision: Decision } | { ok: false; problem: DecisionProblem } {
  const words = text
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/^số\s+/iu, '')
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '' && !/^(ngày|ngay)$/iu.test(w));
  const [number, date, ...extra] = words;
  if (!number) return { ok: false, problem: { code: 'decisionMissing' } };
  const n = number.normalize('NFC');
  if (n.length > DECISION_NUMBER_MAX || !NUMBER_PATTERN.test(n) || extra.length > 0 || parseVnDate(n))
    return {
      ok: false,
      problem: { code: 'decisionNumberInvalid', value: words.join(' '), max: DECISION_NUMBER_MAX },
    };
  if (!date) return { ok: false, problem: { code: 'decisionDateMissing' } };
  const iso = parseVnDate(date);
  if (!iso) return { ok: false, problem: { code: 'decisionDateInvalid', value: date } };
  if (iso > today) return { ok: false, problem: { code: 'decisionDateFuture', date: iso, today } };
  if (congressDate && iso < congressDate)
    return { ok: false, problem: { code: 'decisionBeforeCongress', date: iso, congress: congressDate } };
  return { ok: true, decision: { number: n, date: iso } };
}

/** One field an amendment changed. */
export interface ReportChange {
  field: CongressField;
  before: CongressReport[CongressField];
  after: CongressReport[CongressField];
}

/** The fields that differ between two versions of a result, in form order. */
export function reportChanges(before: CongressReport, after: CongressReport): ReportChange[] {
  return CONGRESS_FIELDS.flatMap((field) =>
    before[field] === after[field] ? [] : [{ field, before: before[field], after: after[field] }],
  );
}

/** The member a decision is indexed under: "2025-09-15|123-QĐ/ĐU" (sorts by date). */
export function decisionKey(d: Decision): string {
  return `${d.date}|${d.number}`;
}

export function fromDecisionKey(key: string): Decision | undefined {
  const i = key.indexOf('|');
  if (i < 0) return undefined;
  return { date: key.slice(0, i), number: key.slice(i + 1) };
}

/** Decisions named before "(N gần nhất trong M)" in /tiendo, the daily summary and the PDF. */
export const DECISIONS_SHOWN = 5;
/** Latest decision members read to find DECISIONS_SHOWN that still cover a branch. */
export const DECISIONS_READ = DECISIONS_SHOWN * 4;

/** The decisions behind a set of approvals, latest first, each with how many branches it covers. */
export function tallyDecisions(
  approvals: Iterable<{ number?: string; date?: string } | undefined>,
): (Decision & { branches: number })[] {
  const byKey = new Map<string, number>();
  for (const a of approvals) {
    if (!a?.number || !a.date) continue;
    const key = decisionKey({ number: a.number, date: a.date });
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
    .flatMap(([key, branches]) => {
      const d = fromDecisionKey(key);
      return d ? [{ ...d, branches }] : [];
    });
}

/**
 * The latest `max` decisions from the most recent members of the date index and how many
 * branches each covers now (members whose count fell to 0 are left out). Pure.
 */
export function latestDecisions(
  recent: readonly { member: string; branches: number }[],
  max = DECISIONS_SHOWN,
): (Decision & { branches: number })[] {
  const latest: (Decision & { branches: number })[] = [];
  for (const { member, branches } of recent) {
    const decision = fromDecisionKey(member);
    if (decision && branches > 0 && latest.length < max) latest.push({ ...decision, branches });
  }
  return latest;
}
