/**
 * The congress result a secretary reports (DOMAIN.md, "Branch congress"): the fill-in form, its
 * parsing, every validation rule with a Vietnamese message that says how to fix it, and the
 * confirmation card. Nothing is accepted until the whole report is valid.
 */
import { congress as m } from '../../messages/congress.js';
import { blankForm, type FormField, parseForm, parseYesNo, type YesNoNa } from '../form.js';
import { escapeHtml } from '../text.js';
import {
  foldVietnamese,
  formatNumber,
  formatVnDate,
  type IsoDate,
  parseVnDate,
  parseWholeNumber,
} from '../vn.js';
import { type Campaign, inWindow } from './campaign.js';

/** Hình thức: with or without election ("2 nội dung", "3 nội dung" congresses elect nobody). */
export type HinhThuc = 'bau_cu' | 'khong_bau_cu';

/** A valid congress result. */
export interface CongressReport {
  date: IsoDate;
  format: HinhThuc;
  summoned: number;
  present: number;
  /** Committee members elected, bí thư and phó bí thư included; 0 without election. */
  elected: number;
  reElected: number;
  women: number;
  young: number;
  minority: number;
  /** Bí thư elected directly by the congress; always false without election. */
  secretaryDirect: boolean;
  secretaryIsHead: YesNoNa;
  /** `khong_ap_dung` exactly when the congress held no election. */
  deputy: YesNoNa;
  note?: string;
}

/** A report as stored: the report plus its bookkeeping. */
export interface ReportRecord {
  report: CongressReport;
  /** 1 for the first report, +1 per amendment. */
  version: number;
  savedAt: number;
  savedBy: string;
  /** The first version arrived after the campaign deadline. */
  late: boolean;
  /** Chuẩn y by the upper committee. */
  approved?: { by: string; at: number };
}

/** Form fields in the order the blank form prints them and the dialog asks them. */
export const CONGRESS_FIELDS = [
  'date',
  'format',
  'summoned',
  'present',
  'elected',
  'reElected',
  'women',
  'young',
  'minority',
  'secretaryDirect',
  'secretaryIsHead',
  'deputy',
  'note',
] as const;
export type CongressField = (typeof CONGRESS_FIELDS)[number];

/** Fields that only a congress with an election answers. */
export const ELECTION_ONLY_FIELDS: readonly CongressField[] = [
  'elected',
  'reElected',
  'women',
  'young',
  'minority',
  'secretaryDirect',
  'deputy',
];

/** Longest note kept (keeps a stored report well under a kilobyte). */
export const NOTE_MAX = 500;

/** What validation needs besides the form: the round, the branch's size, and today's date. */
export interface ReportContext {
  campaign: Pick<Campaign, 'opens' | 'deadline' | 'youngAge'>;
  /** Members of the branch (unit.members). */
  branchSize: number;
  today: IsoDate;
}

export interface ReportFieldError {
  field: CongressField;
  message: string;
}

export type ReportValidation =
  | { ok: true; report: CongressReport; hints: string[] }
  | { ok: false; errors: ReportFieldError[]; hints: string[] };

/** Raw answers, as typed, keyed by field. */
export type RawReportValues = Partial<Record<CongressField, string>>;

const aliases: Partial<Record<CongressField, readonly string[]>> = {
  date: ['Ngày', 'Ngày tổ chức', 'Ngày tổ chức đại hội'],
  format: ['Hình thức đại hội', 'Hình thức tổ chức'],
  summoned: ['Số đảng viên triệu tập', 'Triệu tập', 'Đảng viên được triệu tập'],
  present: ['Số đảng viên có mặt', 'Có mặt', 'Đảng viên dự đại hội'],
  elected: ['Số cấp ủy viên được bầu', 'Cấp ủy viên', 'Số cấp ủy viên', 'Được bầu'],
  reElected: ['Số tái cử', 'Cấp ủy viên tái cử'],
  women: ['Số nữ', 'Cấp ủy viên nữ'],
  young: ['Số trẻ', 'Cấp ủy viên trẻ'],
  minority: ['Dân tộc', 'DTTS', 'Người dân tộc thiểu số', 'Cấp ủy viên dân tộc thiểu số'],
  secretaryDirect: [
    'Bí thư được bầu tại đại hội',
    'Bầu bí thư tại đại hội',
    'Bí thư bầu trực tiếp',
    'Đại hội bầu trực tiếp bí thư',
  ],
  secretaryIsHead: ['Người đứng đầu', 'Bí thư đồng thời là người đứng đầu', 'Bí thư kiêm người đứng đầu'],
  deputy: ['Phó bí thư được bầu', 'Bầu phó bí thư', 'Có phó bí thư'],
};

/** The form's fields for `parseForm`, labels from the catalogue. */
export const congressFormFields: readonly FormField<CongressField>[] = CONGRESS_FIELDS.map((key) => ({
  key,
  label: m.labels[key],
  aliases: aliases[key] ?? [],
}));

/** The blank form a secretary copies and fills in. */
export function blankCongressForm(): string {
  return blankForm(congressFormFields);
}

/**
 * "bầu cử", "Bau cu", "có bầu cử", "có" -> with election; "không bầu cử", "khong bau cu",
 * "không", "2 nội dung", "đại hội 3 nội dung" -> without.
 */
export function parseHinhThuc(text: string): HinhThuc | undefined {
  const t = foldVietnamese(text.replace(/\([^)]*\)/g, ' '))
    .replace(/[.!,;]+/g, ' ')
    .replace(/^dai hoi /, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (['bau cu', 'co bau cu', 'co', 'c', 'x'].includes(t)) return 'bau_cu';
  if (['khong bau cu', 'ko bau cu', 'k bau cu', 'khong', 'ko', 'k'].includes(t)) return 'khong_bau_cu';
  if (/^[23] noi dung$/.test(t)) return 'khong_bau_cu';
  return undefined;
}

/** A note of "-", "không", "bỏ qua" means no note. */
function noteValue(raw: string): string | undefined {
  const t = raw.trim();
  if (t === '' || ['-', '--', '.', 'khong', 'ko', 'k', 'bo qua', 'khong co'].includes(foldVietnamese(t))) {
    return undefined;
  }
  return t;
}

const COUNT_FIELDS = ['summoned', 'present', 'elected', 'reElected', 'women', 'young', 'minority'] as const;
type CountField = (typeof COUNT_FIELDS)[number];

/**
 * Core of validation, shared by the form and the dialog. `complete` requires every field that
 * applies; otherwise (the dialog, mid-way) absent fields are skipped along with every rule that
 * needs them. Errors come in field order, each attached to the later field of the rule so the
 * dialog can blame the answer just given.
 */
export function checkReportValues(
  values: RawReportValues,
  ctx: ReportContext,
  complete: boolean,
): { report?: CongressReport; errors: ReportFieldError[] } {
  const errors: ReportFieldError[] = [];
  const fail = (field: CongressField, message: string) => errors.push({ field, message });
  const given = (field: CongressField): string | undefined => {
    const v = values[field]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const missing = (field: CongressField) => {
    if (complete) fail(field, m.reportErrors.missing(m.labels[field], m.examples[field]));
  };
  const fmt = formatNumber;

  // Ngày đại hội
  let date: IsoDate | undefined;
  const rawDate = given('date');
  if (rawDate === undefined) missing('date');
  else {
    date = parseVnDate(rawDate);
    if (date === undefined) fail('date', m.reportErrors.badDate(rawDate));
    else if (!inWindow(ctx.campaign, date)) {
      fail(
        'date',
        m.reportErrors.dateOutsideWindow(
          formatVnDate(date),
          formatVnDate(ctx.campaign.opens),
          formatVnDate(ctx.campaign.deadline),
        ),
      );
    } else if (date > ctx.today) {
      fail('date', m.reportErrors.dateInFuture(formatVnDate(date), formatVnDate(ctx.today)));
    }
  }

  // Hình thức
  let format: HinhThuc | undefined;
  const rawFormat = given('format');
  if (rawFormat === undefined) missing('format');
  else {
    format = parseHinhThuc(rawFormat);
    if (format === undefined) fail('format', m.reportErrors.badFormat(rawFormat));
  }
  const noElection = format === 'khong_bau_cu';

  // Counts: without election the elected-side counts may be left out (they are 0).
  const n: Partial<Record<CountField, number>> = {};
  for (const field of COUNT_FIELDS) {
    const raw = given(field);
    if (raw === undefined) {
      if (noElection && field !== 'summoned' && field !== 'present') n[field] = 0;
      else missing(field);
      continue;
    }
    const value = parseWholeNumber(raw);
    if (value === undefined) fail(field, m.reportErrors.notANumber(m.counts[field], raw));
    else n[field] = value;
  }

  // Yes/no answers.
  let secretaryDirect: boolean | undefined;
  const rawDirect = given('secretaryDirect');
  if (rawDirect === undefined) {
    if (noElection) secretaryDirect = false;
    else missing('secretaryDirect');
  } else {
    const yn = parseYesNo(rawDirect);
    if (yn === undefined || (yn === 'khong_ap_dung' && !noElection)) {
      fail('secretaryDirect', m.reportErrors.yesNo(m.labels.secretaryDirect, rawDirect));
    } else if (noElection && yn === 'co') fail('secretaryDirect', m.reportErrors.directWithoutElection);
    else secretaryDirect = yn === 'co';
  }

  let secretaryIsHead: YesNoNa | undefined;
  const rawHead = given('secretaryIsHead');
  if (rawHead === undefined) missing('secretaryIsHead');
  else {
    secretaryIsHead = parseYesNo(rawHead);
    if (secretaryIsHead === undefined)
      fail('secretaryIsHead', m.reportErrors.yesNoNa(m.labels.secretaryIsHead, rawHead));
  }

  let deputy: YesNoNa | undefined;
  const rawDeputy = given('deputy');
  if (rawDeputy === undefined) {
    if (noElection) deputy = 'khong_ap_dung';
    else missing('deputy');
  } else {
    const yn = parseYesNo(rawDeputy);
    if (noElection) {
      if (yn === 'co') fail('deputy', m.reportErrors.deputyWithoutElection);
      else if (yn === undefined) fail('deputy', m.reportErrors.yesNoNa(m.labels.deputy, rawDeputy));
      else deputy = 'khong_ap_dung';
    } else if (yn === undefined || yn === 'khong_ap_dung') {
      fail('deputy', m.reportErrors.yesNo(m.labels.deputy, rawDeputy));
    } else deputy = yn;
  }

  let note: string | undefined;
  const rawNote = given('note');
  if (rawNote !== undefined) {
    note = noteValue(rawNote);
    if (note !== undefined && note.length > NOTE_MAX) fail('note', m.reportErrors.noteTooLong(NOTE_MAX));
  }

  // Cross-field rules, each only once the values it compares are known.
  const { summoned, present, elected } = n;
  if (summoned !== undefined) {
    if (summoned < 1) fail('summoned', m.reportErrors.mustBePositive(m.counts.summoned));
    else if (summoned > ctx.branchSize) {
      fail('summoned', m.reportErrors.summonedOverBranch(fmt(summoned), fmt(ctx.branchSize)));
    }
  }
  if (present !== undefined) {
    if (present < 1) fail('present', m.reportErrors.mustBePositive(m.counts.present));
    else if (summoned !== undefined && present > summoned) {
      fail('present', m.reportErrors.presentOverSummoned(fmt(present), fmt(summoned)));
    }
  }
  if (elected !== undefined && format !== undefined) {
    if (noElection) {
      if (elected > 0) fail('elected', m.reportErrors.electedWithoutElection(fmt(elected)));
    } else if (elected < 1) fail('elected', m.reportErrors.noneElected);
    else if (ctx.branchSize >= 9 && elected > 7)
      fail('elected', m.reportErrors.tooManyForChiUy(fmt(elected)));
    else if (ctx.branchSize < 9 && elected > 2) {
      fail('elected', m.reportErrors.tooManyForSmallBranch(fmt(ctx.branchSize), fmt(elected)));
    }
  }
  if (elected !== undefined) {
    for (const field of ['reElected', 'women', 'young', 'minority'] as const) {
      const value = n[field];
      if (value !== undefined && value > elected) {
        fail(field, m.reportErrors.overElected(m.counts[field], fmt(value), fmt(elected)));
      }
    }
  }
  if (deputy !== undefined && elected !== undefined && !noElection) {
    if (deputy === 'co' && elected < 2) fail('deputy', m.reportErrors.deputyNeedsTwo(fmt(elected)));
    else if (deputy === 'khong' && elected === 2 && ctx.branchSize < 9) {
      fail('deputy', m.reportErrors.smallBranchTwoMeansDeputy);
    }
  }

  const order = (f: CongressField) => CONGRESS_FIELDS.indexOf(f);
  errors.sort((a, b) => order(a.field) - order(b.field));
  if (errors.length > 0 || !complete) return { errors };
  const report: CongressReport = {
    date: date!,
    format: format!,
    summoned: summoned!,
    present: present!,
    elected: elected!,
    reElected: n.reElected!,
    women: n.women!,
    young: n.young!,
    minority: n.minority!,
    secretaryDirect: secretaryDirect!,
    secretaryIsHead: secretaryIsHead!,
    deputy: deputy!,
  };
  if (note !== undefined) report.note = note;
  return { report, errors };
}

/** Validates answers already split by field (the dialog's answers). */
export function validateReportValues(values: RawReportValues, ctx: ReportContext): ReportValidation {
  const { report, errors } = checkReportValues(values, ctx, true);
  return report ? { ok: true, report, hints: [] } : { ok: false, errors, hints: [] };
}

/**
 * Validates a filled-in form. Lists every problem at once; lines that answer no label, and
 * labels answered twice, come back as hints (they do not stop a valid report).
 */
export function validateCongressReport(text: string, ctx: ReportContext): ReportValidation {
  const parsed = parseForm(text, congressFormFields);
  const hints = [
    ...parsed.repeated.map((f) => m.reportHints.repeated(m.labels[f])),
    ...parsed.unknownLines.map((l) => m.reportHints.unknownLine(l.line, l.text)),
  ];
  const result = validateReportValues(parsed.values, ctx);
  return { ...result, hints };
}

/** The report as form text, e.g. to prefill an amendment. */
export function reportAsForm(report: CongressReport): string {
  const values: Record<CongressField, string> = {
    date: formatVnDate(report.date),
    format: m.formatNames[report.format],
    summoned: formatNumber(report.summoned),
    present: formatNumber(report.present),
    elected: formatNumber(report.elected),
    reElected: formatNumber(report.reElected),
    women: formatNumber(report.women),
    young: formatNumber(report.young),
    minority: formatNumber(report.minority),
    secretaryDirect: m.yesNoNames[report.secretaryDirect ? 'co' : 'khong'],
    secretaryIsHead: m.yesNoNames[report.secretaryIsHead],
    deputy: m.yesNoNames[report.deputy],
    note: report.note ?? '',
  };
  return CONGRESS_FIELDS.map((f) => `${m.labels[f]}: ${values[f]}`).join('\n');
}

/**
 * The confirmation card: compact lines for a small screen, Telegram HTML (<b>, <i> only),
 * user text escaped. Without election the elected-side lines are left out.
 */
export function renderReportCard(report: CongressReport, branchName: string): string {
  const c = m.card;
  const fmt = formatNumber;
  const lines = [
    `<b>${escapeHtml(c.title(branchName))}</b>`,
    c.dateLine(formatVnDate(report.date), m.formatNames[report.format]),
    c.members(fmt(report.summoned), fmt(report.present)),
  ];
  if (report.format === 'bau_cu') {
    lines.push(
      c.elected(fmt(report.elected), fmt(report.reElected), fmt(report.elected - report.reElected)),
      c.electedProfile(fmt(report.women), fmt(report.young), fmt(report.minority)),
      c.line(m.labels.secretaryDirect, m.yesNoNames[report.secretaryDirect ? 'co' : 'khong']),
    );
  }
  lines.push(c.line(m.labels.secretaryIsHead, m.yesNoNames[report.secretaryIsHead]));
  if (report.format === 'bau_cu') lines.push(c.line(m.labels.deputy, m.yesNoNames[report.deputy]));
  if (report.note) lines.push(`${m.labels.note}: <i>${escapeHtml(report.note)}</i>`);
  return lines.join('\n');
}

/** The numbered list of errors (and hints), Telegram HTML, user text escaped. */
export function renderValidationErrors(
  errors: readonly { message: string }[],
  hints: readonly string[] = [],
): string {
  const lines: string[] = [];
  if (errors.length > 0) {
    lines.push(m.errorsHeader, ...errors.map((e, i) => `${i + 1}. ${escapeHtml(e.message)}`));
  }
  if (hints.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(m.hintsHeader, ...hints.map((h) => `- ${escapeHtml(h)}`));
  }
  return lines.join('\n');
}
