/**
 * The congress round as an Excel workbook: a summary sheet with the statistics of /tiendo (from
 * the same maintained counters, with the same rounding), one row per branch with every reported
 * field and its bookkeeping, and one row per unit right under the scope.
 */
import { formatTerm } from '../domain/congress/campaign.js';
import type { ReportRecord } from '../domain/congress/report.js';
import type { Counters } from '../domain/congress/stats.js';
import type { YesNoNa } from '../domain/form.js';
import { formatVnDate, type IsoDate } from '../domain/vn.js';
import { congress as cm } from '../messages/congress.js';
import { exports as m } from '../messages/exports.js';
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

/** One branch of the scope, with what it registered and reported in the round. */
export interface CongressBranchRow {
  code: string;
  name: string;
  parentCode?: string;
  parentName?: string;
  /** Codes from the root down to the branch: "T/XA/CB01". */
  path: string;
  /** Members on the branch's list. */
  members: number;
  registration?: { date: IsoDate; time?: number };
  record?: ReportRecord;
  /** The name of who saved the current result, as Telegram gave it. */
  reporterName?: string;
  /** The branch's extension (gia hạn) past the round's deadline. */
  extendedUntil?: IsoDate;
}

/** A unit right under the scope, with its counters (the /tiendo per-unit line). */
export interface CongressChildRow {
  code: string;
  name: string;
  /** Branches in its subtree. */
  branches: number;
  counters: Counters;
}

/** Everything a congress export shows; gathered by `ExportService`. */
export interface CongressExportData {
  /** The unit the export covers. */
  unit: { code: string; name: string };
  /** The unit above it, for the PDF's title block. */
  parentName?: string;
  campaign: {
    id: string;
    name: string;
    term: string;
    opens: IsoDate;
    deadline: IsoDate;
    /** "trẻ (dưới N tuổi)". */
    youngAge: number;
  };
  /** The "Đến ngày …" date (today, as in /tiendo). */
  asOf: IsoDate;
  /** When the file was made (UTC ms) and in which time zone times are shown. */
  generatedAt: number;
  timezone: string;
  /** The unit's maintained counters and its branch count: what /tiendo reads. */
  totals: Counters;
  totalBranches: number;
  children: CongressChildRow[];
  branches: CongressBranchRow[];
}

const c = m.congressColumns;
const f = m.congressFigures;

/**
 * The summary lines, in the order of the upward report, each over its own denominator
 * (docs/rules.md, «The statistics paragraph»): elected shares of all elected, "người đứng đầu" of the branches where it
 * applies, phó bí thư of the congresses held, bí thư elected directly of those with an election.
 */
export function congressFigures(t: Counters, totalBranches: number): Figure[] {
  const withElection = t.held - t.noElection;
  return [
    { label: f.branches, count: totalBranches },
    { label: f.held, count: t.held, of: totalBranches },
    { label: f.registeredOnly, count: t.registeredOnly, of: totalBranches },
    {
      label: f.notRegistered,
      count: Math.max(0, totalBranches - t.held - t.registeredOnly),
      of: totalBranches,
    },
    { label: f.approved, count: t.approved, of: t.held },
    { label: f.late, count: t.late },
    { label: f.present, count: t.present, of: t.summoned },
    { label: f.elected, count: t.elected },
    { label: f.reElected, count: t.reElected, of: t.elected },
    { label: f.firstTime, count: t.elected - t.reElected, of: t.elected },
    { label: f.women, count: t.women, of: t.elected },
    { label: f.young, count: t.young, of: t.elected },
    { label: f.minority, count: t.minority, of: t.elected },
    { label: f.secretaryDirect, count: t.secretaryDirect, of: withElection },
    { label: f.head, count: t.headYes, of: t.headApplicable },
    { label: f.deputy, count: t.deputyElected, of: t.held },
    { label: f.noDeputy, count: t.noDeputy },
    { label: f.noElection, count: t.noElection },
    { label: f.threeItems, count: t.threeItems },
    { label: f.twoItems, count: t.twoItems },
  ];
}

/** The /tiendo statistics paragraph for the export's scope, one sentence per line. */
export function congressParagraph(data: CongressExportData): string[] {
  return cm
    .resultStats(data.totals, {
      asOf: data.asOf,
      term: data.campaign.term,
      totalBranches: data.totalBranches,
      youngAge: data.campaign.youngAge,
    })
    .split('\n');
}

const yesNo = (v: boolean) => (v ? m.yes : m.no);
const yesNoNa = (v: YesNoNa) => cm.yesNoNames[v].charAt(0).toUpperCase() + cm.yesNoNames[v].slice(1);
const report = (r: CongressBranchRow) => r.record?.report;

/** The per-branch columns: the unit, its registration, every reported field, the bookkeeping. */
function branchColumns(timezone: string): Column<CongressBranchRow & { index: number }>[] {
  const at = (ms: number | undefined) => (ms === undefined ? undefined : excelDateTime(ms, timezone));
  return [
    { header: c.index, kind: 'integer', value: (r) => r.index, width: 6 },
    { header: c.code, kind: 'text', value: (r) => r.code },
    { header: c.name, kind: 'text', value: (r) => r.name, maxWidth: 35 },
    { header: c.parentCode, kind: 'text', value: (r) => r.parentCode },
    { header: c.parentName, kind: 'text', value: (r) => r.parentName, maxWidth: 35 },
    { header: c.path, kind: 'text', value: (r) => r.path, maxWidth: 30 },
    { header: c.members, kind: 'integer', value: (r) => r.members },
    {
      header: c.status,
      kind: 'text',
      value: (r) =>
        r.record
          ? r.record.late
            ? m.congressStatus.heldLate
            : m.congressStatus.held
          : r.registration
            ? m.congressStatus.registered
            : m.congressStatus.none,
    },
    {
      header: c.registeredDate,
      kind: 'date',
      value: (r) => (r.registration ? excelDate(r.registration.date) : undefined),
    },
    { header: c.registeredTime, kind: 'time', value: (r) => r.registration?.time },
    {
      header: c.extendedUntil,
      kind: 'date',
      value: (r) => (r.extendedUntil ? excelDate(r.extendedUntil) : undefined),
    },
    { header: c.date, kind: 'date', value: (r) => (report(r) ? excelDate(report(r)!.date) : undefined) },
    {
      header: c.format,
      kind: 'text',
      value: (r) => (report(r) ? cm.formatNames[report(r)!.format] : undefined),
    },
    { header: c.summoned, kind: 'integer', value: (r) => report(r)?.summoned },
    { header: c.present, kind: 'integer', value: (r) => report(r)?.present },
    { header: c.elected, kind: 'integer', value: (r) => report(r)?.elected },
    { header: c.reElected, kind: 'integer', value: (r) => report(r)?.reElected },
    {
      header: c.firstTime,
      kind: 'integer',
      value: (r) => (report(r) ? report(r)!.elected - report(r)!.reElected : undefined),
    },
    { header: c.women, kind: 'integer', value: (r) => report(r)?.women },
    { header: c.young, kind: 'integer', value: (r) => report(r)?.young },
    { header: c.minority, kind: 'integer', value: (r) => report(r)?.minority },
    {
      header: c.secretaryDirect,
      kind: 'text',
      value: (r) => (report(r) ? yesNo(report(r)!.secretaryDirect) : undefined),
    },
    {
      header: c.secretaryIsHead,
      kind: 'text',
      value: (r) => (report(r) ? yesNoNa(report(r)!.secretaryIsHead) : undefined),
    },
    { header: c.deputy, kind: 'text', value: (r) => (report(r) ? yesNoNa(report(r)!.deputy) : undefined) },
    { header: c.note, kind: 'text', value: (r) => report(r)?.note, maxWidth: 40 },
    { header: c.version, kind: 'integer', value: (r) => r.record?.version },
    { header: c.savedAt, kind: 'dateTime', value: (r) => at(r.record?.savedAt) },
    { header: c.reporter, kind: 'text', value: (r) => r.reporterName, maxWidth: 30 },
    { header: c.late, kind: 'text', value: (r) => (r.record ? yesNo(r.record.late) : undefined) },
    {
      header: c.approved,
      kind: 'text',
      value: (r) => (r.record ? yesNo(r.record.approved !== undefined) : undefined),
    },
    { header: c.approvedAt, kind: 'dateTime', value: (r) => at(r.record?.approved?.at) },
    {
      header: c.decision,
      kind: 'text',
      value: (r) => {
        const a = r.record?.approved;
        return a?.number && a.date ? m.decisionCell(a.number, a.date) : undefined;
      },
      maxWidth: 40,
    },
  ];
}

const childColumns: Column<CongressChildRow>[] = [
  { header: m.childColumns.name, kind: 'text', value: (r) => r.name, maxWidth: 40 },
  { header: m.childColumns.branches, kind: 'integer', value: (r) => r.branches },
  { header: m.childColumns.held, kind: 'integer', value: (r) => r.counters.held },
  {
    header: m.childColumns.heldShare,
    kind: 'percent',
    value: (r) => shareValue(r.counters.held, r.branches),
  },
  { header: m.childColumns.registeredOnly, kind: 'integer', value: (r) => r.counters.registeredOnly },
  { header: m.childColumns.elected, kind: 'integer', value: (r) => r.counters.elected },
  { header: m.childColumns.women, kind: 'integer', value: (r) => r.counters.women },
  { header: m.childColumns.young, kind: 'integer', value: (r) => r.counters.young },
  { header: m.childColumns.approved, kind: 'integer', value: (r) => r.counters.approved },
];

/** The title lines of the summary sheet (unit, round, window, date). */
function titleLines(data: CongressExportData): string[] {
  const t = m.title;
  const term = formatTerm(data.campaign.term);
  return [
    t.congress,
    t.unit(data.unit.name),
    t.campaign(data.campaign.name, term),
    t.window(formatVnDate(data.campaign.opens), formatVnDate(data.campaign.deadline)),
    t.asOf(formatVnDate(data.asOf)),
  ];
}

/** The workbook as .xlsx bytes. */
export function congressWorkbook(data: CongressExportData): Promise<Buffer> {
  return workbook(data.generatedAt, [
    sheet({
      name: m.sheets.summary,
      title: titleLines(data),
      columns: figureColumns(m.summaryColumns),
      rows: congressFigures(data.totals, data.totalBranches),
      notes: [m.title.paragraph, ...congressParagraph(data)],
    }),
    sheet({
      name: m.sheets.congressBranches,
      columns: branchColumns(data.timezone),
      rows: data.branches.map((b, i) => ({ ...b, index: i + 1 })),
    }),
    sheet({ name: m.sheets.congressChildren, columns: childColumns, rows: data.children }),
  ]);
}
