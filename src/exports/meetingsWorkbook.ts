/**
 * A month of branch meetings (sinh hoạt chi bộ) as an Excel workbook: a summary sheet with the
 * figures of /sinhhoat_tiendo (from the maintained aggregates) and the attendance sums, and one
 * row per branch of the scope with its report for the month, or "Chưa báo cáo".
 */
import { formatQuarter, formatYearMonth, type YearMonth } from '../domain/meetings/calendar.js';
import type { ComplianceData } from '../domain/meetings/compliance.js';
import { type Absence, isShortMeeting, type MeetingReport } from '../domain/meetings/report.js';
import { formatNumber, formatVnDate, type IsoDate } from '../domain/vn.js';
import { exports as m } from '../messages/exports.js';
import { meetings as mm } from '../messages/meetings.js';
import {
  type Column,
  excelDate,
  excelDateTime,
  type Figure,
  figureColumns,
  shareValue,
  sheet,
  workbook,
} from './sheet.js';

/** One branch of the scope with its current report for the month, if any. */
export interface MeetingBranchRow {
  code: string;
  name: string;
  parentCode?: string;
  parentName?: string;
  report?: {
    report: MeetingReport;
    version: number;
    late: boolean;
    /** When the current version was saved (UTC ms). */
    reportedAt: number;
  };
}

/** Everything a meeting export shows; gathered by `ExportService`. */
export interface MeetingsExportData {
  unit: { code: string; name: string };
  month: YearMonth;
  /** The compliance summary of /sinhhoat_tiendo for the scope and month. */
  compliance: ComplianceData;
  branches: MeetingBranchRow[];
  asOf: IsoDate;
  generatedAt: number;
  timezone: string;
}

const c = m.meetingColumns;
const f = m.meetingFigures;

/** Names (and reasons) of absent members, one per line. */
function absentNames(absence: Absence): string | undefined {
  if (absence.people.length === 0) return undefined;
  return absence.people.map((p) => m.absentPerson(p.name, p.reason)).join('\n');
}

const yesNo = (v: boolean) => (v ? m.yes : m.no);
const rep = (r: MeetingBranchRow) => r.report?.report;

function branchColumns(timezone: string): Column<MeetingBranchRow & { index: number }>[] {
  return [
    { header: c.index, kind: 'integer', value: (r) => r.index, width: 6 },
    { header: c.code, kind: 'text', value: (r) => r.code },
    { header: c.name, kind: 'text', value: (r) => r.name, maxWidth: 35 },
    { header: c.parentCode, kind: 'text', value: (r) => r.parentCode },
    { header: c.parentName, kind: 'text', value: (r) => r.parentName, maxWidth: 35 },
    {
      header: c.status,
      kind: 'text',
      value: (r) => (r.report ? m.meetingStatus.reported : m.meetingStatus.notReported),
    },
    { header: c.date, kind: 'date', value: (r) => (rep(r) ? excelDate(rep(r)!.date) : undefined) },
    {
      header: c.type,
      kind: 'text',
      value: (r) => (rep(r) ? mm.typeChoices[rep(r)!.type] : undefined),
    },
    { header: c.duration, kind: 'integer', value: (r) => rep(r)?.durationMinutes },
    { header: c.members, kind: 'integer', value: (r) => rep(r)?.members },
    { header: c.exempt, kind: 'integer', value: (r) => rep(r)?.exempt },
    {
      header: c.expected,
      kind: 'integer',
      value: (r) => (rep(r) ? rep(r)!.members - rep(r)!.exempt : undefined),
    },
    { header: c.present, kind: 'integer', value: (r) => rep(r)?.present },
    { header: c.absentWithReason, kind: 'integer', value: (r) => rep(r)?.absentWithReason.count },
    { header: c.absentWithoutReason, kind: 'integer', value: (r) => rep(r)?.absentWithoutReason.count },
    {
      header: c.rate,
      kind: 'percent',
      value: (r) => (rep(r) ? shareValue(rep(r)!.present, rep(r)!.members - rep(r)!.exempt) : undefined),
    },
    { header: c.late, kind: 'text', value: (r) => (r.report ? yesNo(r.report.late) : undefined) },
    { header: c.short, kind: 'text', value: (r) => (rep(r) ? yesNo(isShortMeeting(rep(r)!)) : undefined) },
    { header: c.upperAttendee, kind: 'text', value: (r) => rep(r)?.upperAttendee, maxWidth: 30 },
    { header: c.content, kind: 'text', value: (r) => rep(r)?.content, maxWidth: 50 },
    {
      header: c.absentWithReasonNames,
      kind: 'text',
      value: (r) => (rep(r) ? absentNames(rep(r)!.absentWithReason) : undefined),
      maxWidth: 35,
    },
    {
      header: c.absentWithoutReasonNames,
      kind: 'text',
      value: (r) => (rep(r) ? absentNames(rep(r)!.absentWithoutReason) : undefined),
      maxWidth: 35,
    },
    { header: c.version, kind: 'integer', value: (r) => r.report?.version },
    {
      header: c.reportedAt,
      kind: 'dateTime',
      value: (r) => (r.report ? excelDateTime(r.report.reportedAt, timezone) : undefined),
    },
  ];
}

/**
 * The summary lines: counts of branches from the compliance summary (maintained aggregates),
 * attendance sums from the reports listed.
 */
export function meetingFigures(data: MeetingsExportData): Figure[] {
  const cd = data.compliance;
  const reports = data.branches.flatMap((b) => (b.report ? [b.report.report] : []));
  const sum = (pick: (r: MeetingReport) => number) => reports.reduce((s, r) => s + pick(r), 0);
  return [
    { label: f.branches, count: cd.total },
    { label: f.reported, count: cd.reported, of: cd.total },
    { label: f.notReported, count: cd.notReported.length, of: cd.total },
    { label: f.late, count: cd.late.length, of: cd.reported },
    { label: f.members, count: sum((r) => r.members) },
    { label: f.exempt, count: sum((r) => r.exempt) },
    { label: f.attendance, count: cd.present, of: cd.expected },
    { label: f.absentWithReason, count: sum((r) => r.absentWithReason.count), of: cd.expected },
    { label: f.absentWithoutReason, count: sum((r) => r.absentWithoutReason.count), of: cd.expected },
    { label: f.below(`${formatNumber(cd.threshold)}%`), count: cd.belowThreshold.length, of: cd.reported },
    { label: f.short, count: cd.short.length, of: cd.reported },
    { label: f.thematic(formatQuarter(cd.quarter)), count: cd.thematicInQuarter, of: cd.total },
    { label: f.upper, count: cd.upperAttended, of: cd.reported },
  ];
}

/** The workbook as .xlsx bytes. */
export function meetingsWorkbook(data: MeetingsExportData): Promise<Buffer> {
  return workbook(data.generatedAt, [
    sheet({
      name: m.sheets.summary,
      title: [
        m.title.meetings(formatYearMonth(data.month)),
        m.title.unit(data.unit.name),
        m.title.asOf(formatVnDate(data.asOf)),
      ],
      columns: figureColumns(m.summaryColumns),
      rows: meetingFigures(data),
    }),
    sheet({
      name: m.sheets.meetingBranches,
      columns: branchColumns(data.timezone),
      rows: data.branches.map((b, i) => ({ ...b, index: i + 1 })),
    }),
  ]);
}
