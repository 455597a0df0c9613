/** The list of members due for Huy hiệu Đảng at an occasion, as the service gives it and exports show it. */
import { csvField, formulaSafe } from '../csv.js';
import { formatVnDate, type IsoDate } from '../vn.js';
import type { Member } from './member.js';
import type { UnitRef } from './refusal.js';
import type { BadgeMilestone } from './standing.js';

/** What the badge list needs of a member: who they are, where, and their standing. */
export type BadgeMember = Pick<
  Member,
  'id' | 'branch' | 'fullName' | 'birthDate' | 'joined' | 'interruptedMonths'
>;

/** One member due for a badge, with their branch and the unit above it. */
export interface BadgeRow {
  member: BadgeMember;
  milestone: BadgeMilestone;
  unit: UnitRef;
  parent?: UnitRef;
}

export interface BadgeList {
  occasion: IsoDate;
  scope: UnitRef;
  /** Branch by branch in tree order, by given name within a branch. */
  rows: BadgeRow[];
}

/** The header of the badge list as CSV (what `badges list` prints). */
export const BADGE_CSV_HEADER = [
  'unit_code',
  'unit_name',
  'full_name',
  'birth_date',
  'joined',
  'milestone',
] as const;

/** What may need a guard or quotes; most names need neither, and one test is cheaper than two. */
const RISKY = /^[=+\-@\s]|[",\r\n]|\s$/;
/** A text cell: guarded so a spreadsheet never runs it as a formula, quoted when it must be. */
const text = (value: string) => (RISKY.test(value) ? csvField(formulaSafe(value)) : value);

/**
 * The list as CSV text, header first, CRLF line ends: dates DD/MM/YYYY, text cells guarded (a
 * unit named "=HYPERLINK(…)" stays text). Dates and milestones need neither guard nor quotes,
 * which matters for a province's hundred thousand rows.
 */
export function badgeCsv(list: BadgeList): string {
  const lines = [BADGE_CSV_HEADER.join(',')];
  let unit = '';
  let unitCells = '';
  for (const r of list.rows) {
    if (r.unit.code !== unit) {
      unit = r.unit.code;
      unitCells = `${text(r.unit.code)},${text(r.unit.name)}`;
    }
    const m = r.member;
    lines.push(
      `${unitCells},${text(m.fullName)},${formatVnDate(m.birthDate)},${formatVnDate(m.joined)},${r.milestone}`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
