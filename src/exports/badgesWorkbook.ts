/**
 * The list a committee sends up before a Huy hiệu Đảng occasion: a summary sheet (how many
 * members per milestone) and the members proposed, the longest standing first, branch by branch
 * within a milestone.
 */
import type { BadgeList, BadgeRow } from '../domain/members/badgeList.js';
import type { Member } from '../domain/members/member.js';
import { BADGE_MILESTONES, milestoneDate } from '../domain/members/standing.js';
import { formatVnDate, type IsoDate } from '../domain/vn.js';
import { exports as ex } from '../messages/exports.js';
import { members as m } from '../messages/members.js';
import { type Column, excelDate, type Figure, figureColumns, sheet, workbook } from './sheet.js';

/** Everything the badge workbook shows; gathered by `ExportService.badges`. */
export interface BadgesExportData {
  list: BadgeList;
  /** The full record of each member of the list, by id (gender, ethnicity, card…). */
  records: ReadonlyMap<number, Member>;
  asOf: IsoDate;
  generatedAt: number;
}

const c = m.badges.columns;

type Line = BadgeRow & { index: number; record?: Member };

const columns: Column<Line>[] = [
  { header: c.index, kind: 'integer', value: (r) => r.index, width: 6 },
  { header: c.fullName, kind: 'text', value: (r) => r.member.fullName, maxWidth: 32 },
  { header: c.birthDate, kind: 'date', value: (r) => excelDate(r.member.birthDate) },
  { header: c.gender, kind: 'text', value: (r) => (r.record ? m.genderNames[r.record.gender] : undefined) },
  { header: c.ethnicity, kind: 'text', value: (r) => r.record?.ethnicity },
  { header: c.joined, kind: 'date', value: (r) => excelDate(r.member.joined) },
  {
    header: c.officialSince,
    kind: 'date',
    value: (r) => (r.record?.officialSince ? excelDate(r.record.officialSince) : undefined),
  },
  { header: c.cardNumber, kind: 'text', value: (r) => r.record?.cardNumber ?? undefined },
  { header: c.interruptedMonths, kind: 'integer', value: (r) => r.member.interruptedMonths || undefined },
  { header: c.milestone, kind: 'integer', value: (r) => r.milestone },
  { header: c.milestoneDate, kind: 'date', value: (r) => excelDate(milestoneDate(r.member, r.milestone)) },
  { header: c.unitCode, kind: 'text', value: (r) => r.unit.code },
  { header: c.unitName, kind: 'text', value: (r) => r.unit.name, maxWidth: 35 },
  { header: c.parentName, kind: 'text', value: (r) => r.parent?.name, maxWidth: 35 },
];

/** How many are proposed for each milestone, the highest first, and in all. */
export function badgeFigures(rows: readonly BadgeRow[]): Figure[] {
  const figures = [...BADGE_MILESTONES]
    .reverse()
    .map((years) => ({ label: m.milestone(years), count: rows.filter((r) => r.milestone === years).length }));
  return [...figures, { label: m.badges.total, count: rows.length }];
}

/** The workbook as .xlsx bytes. */
export function badgesWorkbook(data: BadgesExportData): Promise<Buffer> {
  const { list } = data;
  // Stable: within a milestone the rows keep their branch-by-branch order.
  const rows = [...list.rows].sort((a, b) => b.milestone - a.milestone);
  const title = [
    m.badges.title,
    m.badges.occasion(formatVnDate(list.occasion)),
    m.badges.unit(list.scope.name),
    m.badges.asOf(formatVnDate(data.asOf)),
  ];
  return workbook(data.generatedAt, [
    sheet({
      name: m.badges.sheets.summary,
      title,
      columns: figureColumns(ex.summaryColumns),
      rows: badgeFigures(rows),
    }),
    sheet({
      name: m.badges.sheets.list,
      title: title.slice(0, 3),
      columns,
      rows: rows.map((r, i) => ({ ...r, index: i + 1, record: data.records.get(r.member.id) })),
      notes: [m.badges.note],
    }),
  ]);
}
