/** The list of members due for Huy hiệu Đảng at an occasion, as the service gives it and exports show it. */
import { formulaSafe } from '../csv.js';
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

/**
 * The list as CSV rows, header first: dates DD/MM/YYYY, text cells guarded so a spreadsheet
 * never runs them as formulas (a unit named "=HYPERLINK(…)" stays text).
 */
export function badgeCsvRows(list: BadgeList): string[][] {
  return [
    [...BADGE_CSV_HEADER],
    ...list.rows.map((r) => [
      formulaSafe(r.unit.code),
      formulaSafe(r.unit.name),
      formulaSafe(r.member.fullName),
      formatVnDate(r.member.birthDate),
      formatVnDate(r.member.joined),
      String(r.milestone),
    ]),
  ];
}
