/**
 * The congress result a secretary reports (docs/rules.md, «The congress result form»): the fill-in form, its
 * parsing and every validation rule. Problems come back as reason codes with the values a
 * message needs (`CongressProblem`); the catalogue (`src/messages/congress.ts`) words them and
 * draws the confirmation card. Nothing is accepted until the whole report is valid.
 */
import { z } from 'zod';
import { blankForm, type FormField, parseForm, parseYesNo, type YesNoNa } from '../form.js';
import {
  foldVietnamese,
  formatNumber,
  formatVnDate,
  type IsoDate,
  parseVnDate,
  parseWholeNumber,
} from '../vn.js';
import { type Campaign, inWindow } from './campaign.js';
import {
  CONGRESS_FIELDS,
  CONGRESS_LABEL_ALIASES,
  CONGRESS_LABELS,
  type CongressField,
  HINH_THUC,
  HINH_THUC_NAMES,
  type HinhThuc,
  withElection,
  YES_NO_NAMES,
} from './vocabulary.js';

export { CONGRESS_FIELDS, type CongressField, type HinhThuc, withElection } from './vocabulary.js';

const yesNoNa = z.enum(['co', 'khong', 'khong_ap_dung']);
const count = z.number().int().min(0);

/** A valid congress result (checked again whenever a stored dialog state is read). */
export const congressReportSchema = z.object({
  date: z.iso.date(),
  format: z.enum(HINH_THUC),
  summoned: count,
  present: count,
  /** Committee members elected, bí thư and phó bí thư included; 0 without election. */
  elected: count,
  reElected: count,
  women: count,
  young: count,
  minority: count,
  /** Bí thư elected directly by the congress; always false without election. */
  secretaryDirect: z.boolean(),
  secretaryIsHead: yesNoNa,
  /** `khong_ap_dung` exactly when the congress held no election. */
  deputy: yesNoNa,
  note: z.string().min(1).optional(),
});
export type CongressReport = z.infer<typeof congressReportSchema>;

/** A report as stored: the report plus its bookkeeping. */
export interface ReportRecord {
  report: CongressReport;
  /** 1 for the first report, +1 per amendment. */
  version: number;
  savedAt: number;
  savedBy: string;
  /** The first version arrived after the campaign deadline. */
  late: boolean;
  /**
   * Chuẩn y (or chỉ định) by the upper committee: who recorded it and when, the quyết định's
   * number and date, and the version it was made on (older records carry only by and at).
   */
  approved?: { by: string; at: number; number?: string; date?: string; version?: number };
}

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
  /** The round, its deadline already the branch's own when it has an extension (gia hạn). */
  campaign: Pick<Campaign, 'opens' | 'deadline' | 'youngAge'>;
  /** Members of the branch (unit.members). */
  branchSize: number;
  today: IsoDate;
  /** Whether "bí thư là người đứng đầu" applies to the branch, as the unit list sets it. */
  headApplies?: boolean;
  /**
   * The count the 9-member rule uses: đảng viên chính thức from the unit list, else from the
   * member register, else all members (`branchSize`) when neither is known.
   */
  fullMembers?: FullMembers;
}

/** The number the 9-member rule counts, and where it came from (the message says which). */
export interface FullMembers {
  count: number;
  source: 'unitList' | 'register' | 'allMembers';
}

/**
 * Something on a valid report that the office should look at, but that does not stop it being
 * confirmed (the office decides): a congress below quorum, an answer that contradicts the unit.
 */
export type ReportWarning =
  /** Present < 2/3 of summoned; `needed` is the smallest quorum. */
  | { code: 'quorum'; present: number; summoned: number; needed: number }
  /** «Không áp dụng» for a branch the unit list says it applies to, or the other way round. */
  | { code: 'headContradicts'; answer: YesNoNa; applies: boolean };

/** Smallest number present that is at least 2/3 of `summoned`. */
export function quorumOf(summoned: number): number {
  return Math.ceil((summoned * 2) / 3);
}

/** The warnings a valid report carries on its card. */
export function reportWarnings(
  report: CongressReport,
  ctx: Pick<ReportContext, 'headApplies'>,
): ReportWarning[] {
  const out: ReportWarning[] = [];
  if (report.present * 3 < report.summoned * 2) {
    out.push({
      code: 'quorum',
      present: report.present,
      summoned: report.summoned,
      needed: quorumOf(report.summoned),
    });
  }
  if (ctx.headApplies !== undefined) {
    const saysApplies = report.secretaryIsHead !== 'khong_ap_dung';
    if (saysApplies !== ctx.headApplies) {
      out.push({ code: 'headContradicts', answer: report.secretaryIsHead, applies: ctx.headApplies });
    }
  }
  return out;
}

export const COUNT_FIELDS = [
  'summoned',
  'present',
  'elected',
  'reElected',
  'women',
  'young',
  'minority',
] as const;
export type CountField = (typeof COUNT_FIELDS)[number];

/** What is wrong with a report, as a reason code with what the message needs (the catalogue words it). */
export type CongressProblem =
  | { code: 'missing'; field: CongressField }
  | { code: 'badDate'; text: string }
  | { code: 'dateOutsideWindow'; date: IsoDate; opens: IsoDate; deadline: IsoDate }
  | { code: 'dateInFuture'; date: IsoDate; today: IsoDate }
  | { code: 'badFormat'; text: string }
  | { code: 'notANumber'; field: CountField; text: string }
  | { code: 'mustBePositive'; field: 'summoned' | 'present' }
  | { code: 'summonedOverBranch'; summoned: number; branchSize: number }
  | { code: 'presentOverSummoned'; present: number; summoned: number }
  | { code: 'overElected'; field: CountField; value: number; elected: number }
  | { code: 'electedWithoutElection'; elected: number }
  | { code: 'noneElected' }
  | { code: 'tooManyForChiUy'; elected: number; basis: FullMembers }
  | { code: 'tooManyForSmallBranch'; branchSize: number; elected: number; basis: FullMembers }
  | { code: 'yesNo'; field: CongressField; text: string }
  | { code: 'yesNoNa'; field: CongressField; text: string }
  | { code: 'directWithoutElection' }
  | { code: 'deputyWithoutElection' }
  | { code: 'deputyNeedsTwo'; elected: number }
  | { code: 'smallBranchTwoMeansDeputy'; basis: FullMembers }
  | { code: 'noteTooLong'; max: number };

/** One problem, on the field it blames. */
export interface ReportFieldError {
  field: CongressField;
  problem: CongressProblem;
}

/** Something in a form that does not stop a valid report being saved. */
export type ReportHint =
  | { code: 'repeated'; field: CongressField }
  | { code: 'unknownLine'; line: number; text: string }
  /** Fewer than 2/3 of those summoned were present: the congress may not be valid (the office decides). */
  | { code: 'quorum'; present: number; summoned: number };

export type ReportValidation =
  | { ok: true; report: CongressReport; hints: ReportHint[]; warnings?: ReportWarning[] }
  | { ok: false; errors: ReportFieldError[]; hints: ReportHint[] };

/** Raw answers, as typed, keyed by field. */
export type RawReportValues = Partial<Record<CongressField, string>>;

/** The form's fields for `parseForm`, labels from the vocabulary. */
export const congressFormFields: readonly FormField<CongressField>[] = CONGRESS_FIELDS.map((key) => ({
  key,
  label: CONGRESS_LABELS[key],
  aliases: CONGRESS_LABEL_ALIASES[key],
}));

/** The blank form a secretary copies and fills in. */
export function blankCongressForm(): string {
  return blankForm(congressFormFields);
}

/**
 * "bầu cử", "Bau cu", "có bầu cử", "có" -> with election; "3 nội dung", "đại hội 3 nội dung",
 * "không bầu cử (đại hội 3 nội dung)" -> 3 nội dung; the same for "2 nội dung"; "không bầu cử",
 * "khong bau cu", "không" -> plain without election. The committee's label is kept as given.
 */
export function parseHinhThuc(text: string): HinhThuc | undefined {
  const folded = foldVietnamese(text)
    .replace(/[.!,;()]+/g, ' ')
    .replace(/\s+/g, ' ');
  const items = /(?:^| )(?:dai hoi )?([23]|ba|hai) noi dung(?: |$)/.exec(folded)?.[1];
  if (items !== undefined) return items === '3' || items === 'ba' ? 'ba_noi_dung' : 'hai_noi_dung';
  const t = foldVietnamese(text.replace(/\([^)]*\)/g, ' '))
    .replace(/[.!,;]+/g, ' ')
    .replace(/^dai hoi /, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (['bau cu', 'co bau cu', 'co', 'c', 'x'].includes(t)) return 'bau_cu';
  if (['khong bau cu', 'ko bau cu', 'k bau cu', 'khong', 'ko', 'k'].includes(t)) return 'khong_bau_cu';
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
  const fail = (field: CongressField, problem: CongressProblem) => errors.push({ field, problem });
  const given = (field: CongressField): string | undefined => {
    const v = values[field]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const missing = (field: CongressField) => {
    if (complete) fail(field, { code: 'missing', field });
  };

  // Ngày đại hội
  let date: IsoDate | undefined;
  const rawDate = given('date');
  if (rawDate === undefined) missing('date');
  else {
    date = parseVnDate(rawDate);
    if (date === undefined) fail('date', { code: 'badDate', text: rawDate });
    else if (!inWindow(ctx.campaign, date)) {
      const { opens, deadline } = ctx.campaign;
      fail('date', { code: 'dateOutsideWindow', date, opens, deadline });
    } else if (date > ctx.today) {
      fail('date', { code: 'dateInFuture', date, today: ctx.today });
    }
  }

  // Hình thức
  let format: HinhThuc | undefined;
  const rawFormat = given('format');
  if (rawFormat === undefined) missing('format');
  else {
    format = parseHinhThuc(rawFormat);
    if (format === undefined) fail('format', { code: 'badFormat', text: rawFormat });
  }
  const noElection = format !== undefined && !withElection(format);

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
    if (value === undefined) fail(field, { code: 'notANumber', field, text: raw });
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
      fail('secretaryDirect', { code: 'yesNo', field: 'secretaryDirect', text: rawDirect });
    } else if (noElection && yn === 'co') fail('secretaryDirect', { code: 'directWithoutElection' });
    else secretaryDirect = yn === 'co';
  }

  let secretaryIsHead: YesNoNa | undefined;
  const rawHead = given('secretaryIsHead');
  if (rawHead === undefined) missing('secretaryIsHead');
  else {
    secretaryIsHead = parseYesNo(rawHead);
    if (secretaryIsHead === undefined)
      fail('secretaryIsHead', { code: 'yesNoNa', field: 'secretaryIsHead', text: rawHead });
  }

  let deputy: YesNoNa | undefined;
  const rawDeputy = given('deputy');
  if (rawDeputy === undefined) {
    if (noElection) deputy = 'khong_ap_dung';
    else missing('deputy');
  } else {
    const yn = parseYesNo(rawDeputy);
    if (noElection) {
      if (yn === 'co') fail('deputy', { code: 'deputyWithoutElection' });
      else if (yn === undefined) fail('deputy', { code: 'yesNoNa', field: 'deputy', text: rawDeputy });
      else deputy = 'khong_ap_dung';
    } else if (yn === undefined || yn === 'khong_ap_dung') {
      fail('deputy', { code: 'yesNo', field: 'deputy', text: rawDeputy });
    } else deputy = yn;
  }

  let note: string | undefined;
  const rawNote = given('note');
  if (rawNote !== undefined) {
    note = noteValue(rawNote);
    if (note !== undefined && note.length > NOTE_MAX) fail('note', { code: 'noteTooLong', max: NOTE_MAX });
  }

  // Cross-field rules, each only once the values it compares are known.
  const { summoned, present, elected } = n;
  // The 9-member rule counts đảng viên chính thức when known.
  const basis: FullMembers = ctx.fullMembers ?? { count: ctx.branchSize, source: 'allMembers' };
  const full = basis.count;
  if (summoned !== undefined) {
    if (summoned < 1) fail('summoned', { code: 'mustBePositive', field: 'summoned' });
    else if (summoned > ctx.branchSize) {
      fail('summoned', { code: 'summonedOverBranch', summoned, branchSize: ctx.branchSize });
    }
  }
  if (present !== undefined) {
    if (present < 1) fail('present', { code: 'mustBePositive', field: 'present' });
    else if (summoned !== undefined && present > summoned) {
      fail('present', { code: 'presentOverSummoned', present, summoned });
    }
  }
  if (elected !== undefined && format !== undefined) {
    if (noElection) {
      if (elected > 0) fail('elected', { code: 'electedWithoutElection', elected });
    } else if (elected < 1) fail('elected', { code: 'noneElected' });
    else if (full >= 9 && elected > 7) fail('elected', { code: 'tooManyForChiUy', elected, basis });
    else if (full < 9 && elected > 2) {
      fail('elected', { code: 'tooManyForSmallBranch', branchSize: full, elected, basis });
    }
  }
  if (elected !== undefined) {
    for (const field of ['reElected', 'women', 'young', 'minority'] as const) {
      const value = n[field];
      if (value !== undefined && value > elected) fail(field, { code: 'overElected', field, value, elected });
    }
  }
  if (deputy !== undefined && elected !== undefined && !noElection) {
    if (deputy === 'co' && elected < 2) fail('deputy', { code: 'deputyNeedsTwo', elected });
    else if (deputy === 'khong' && elected === 2 && full < 9) {
      fail('deputy', { code: 'smallBranchTwoMeansDeputy', basis });
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
  return report
    ? { ok: true, report, hints: [], warnings: reportWarnings(report, ctx) }
    : { ok: false, errors, hints: [] };
}

/**
 * Validates a filled-in form. Lists every problem at once; lines that answer no label, and
 * labels answered twice, come back as hints (they do not stop a valid report).
 */
export function validateCongressReport(text: string, ctx: ReportContext): ReportValidation {
  const parsed = parseForm(text, congressFormFields);
  const hints: ReportHint[] = [
    ...parsed.repeated.map((field) => ({ code: 'repeated' as const, field })),
    ...parsed.unknownLines.map((l) => ({ code: 'unknownLine' as const, line: l.line, text: l.text })),
  ];
  const result = validateReportValues(parsed.values, ctx);
  return { ...result, hints: [...hints, ...result.hints] };
}

/** The report as form text, e.g. to prefill an amendment. */
export function reportAsForm(report: CongressReport): string {
  const values: Record<CongressField, string> = {
    date: formatVnDate(report.date),
    format: HINH_THUC_NAMES[report.format],
    summoned: formatNumber(report.summoned),
    present: formatNumber(report.present),
    elected: formatNumber(report.elected),
    reElected: formatNumber(report.reElected),
    women: formatNumber(report.women),
    young: formatNumber(report.young),
    minority: formatNumber(report.minority),
    secretaryDirect: YES_NO_NAMES[report.secretaryDirect ? 'co' : 'khong'],
    secretaryIsHead: YES_NO_NAMES[report.secretaryIsHead],
    deputy: YES_NO_NAMES[report.deputy],
    note: report.note ?? '',
  };
  return CONGRESS_FIELDS.map((f) => `${CONGRESS_LABELS[f]}: ${values[f]}`).join('\n');
}
