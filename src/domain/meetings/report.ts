/**
 * The monthly meeting report (docs/rules.md, «Monthly meetings»): the fill-in form, the
 * field parsers shared with the guided dialog, the consistency rules and the confirmation card.
 * Every problem is reported at once, field by field, and nothing is returned as valid until the
 * whole report is.
 */
import { z } from 'zod';
import { blankForm, type FormField, parseForm } from '../form.js';
import { foldVietnamese, type IsoDate, parseVnDate, parseWholeNumber } from '../vn.js';
import { monthOfDate, type YearMonth } from './calendar.js';
import {
  DEFAULT_QUALITY_SCALE,
  MEETING_FIELD_KEYS,
  MEETING_LABEL_ALIASES,
  MEETING_LABELS,
  MEETING_TYPES,
  type MeetingFieldKey,
  type MeetingType,
} from './vocabulary.js';

export { MEETING_FIELD_KEYS, type MeetingFieldKey, type MeetingType } from './vocabulary.js';

export const meetingTypeSchema = z.enum(MEETING_TYPES);

export const absentPersonSchema = z.object({
  name: z.string().min(1),
  reason: z.string().optional(),
  /** The register's id of the member the name was matched to (and the reporter confirmed). */
  memberId: z.number().int().positive().optional(),
});
export const absenceSchema = z.object({
  count: z.number().int().min(0),
  /** Empty when only the count was given; otherwise exactly `count` people. */
  people: z.array(absentPersonSchema),
});
export type AbsentPerson = z.infer<typeof absentPersonSchema>;
export type Absence = z.infer<typeof absenceSchema>;

export const meetingReportSchema = z.object({
  /** The month reported, `YYYY-MM`. */
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  date: z.iso.date(),
  type: meetingTypeSchema,
  durationMinutes: z.number().int().positive(),
  members: z.number().int().positive(),
  exempt: z.number().int().min(0),
  present: z.number().int().min(0),
  absentWithReason: absenceSchema,
  absentWithoutReason: absenceSchema,
  content: z.string().min(1),
  upperAttendee: z.string().min(1).optional(),
  /** The branch's own rating of the meeting, one label of the scale in force. */
  quality: z.string().min(1).max(40).optional(),
  /** Members admitted (kết nạp) and made full members (chuyển chính thức) this month. */
  admitted: z.number().int().min(0).optional(),
  madeOfficial: z.number().int().min(0).optional(),
  /** Where those two figures came from: the register, or the report as typed. */
  membershipFromRegister: z.boolean().optional(),
});
/** A valid report: the consistency rules hold. */
export type MeetingReport = z.infer<typeof meetingReportSchema>;

/** The text a secretary gave for each field, before parsing (from the form or the dialog). */
export type RawMeetingReport = Partial<Record<MeetingFieldKey, string>>;

/** What is wrong with a report, as a reason code with what the message needs (the catalogue words it). */
export type MeetingProblem =
  | { code: 'missing'; field: MeetingFieldKey }
  | { code: 'unknownLine'; line: number; text: string }
  | { code: 'repeated'; field: MeetingFieldKey }
  | { code: 'date'; text: string }
  | { code: 'dateInFuture'; date: IsoDate; today: IsoDate }
  | { code: 'dateOutsideMonth'; date: IsoDate; month: YearMonth }
  | { code: 'type'; text: string }
  | { code: 'wholeNumber'; field: MeetingFieldKey; text: string }
  | { code: 'countTooLarge'; field: MeetingFieldKey; value: number; max: number }
  | { code: 'membersOverRecord'; members: number; onRecord: number; tolerance: number }
  | { code: 'duration'; text: string }
  | { code: 'durationRange'; minutes: number; max: number }
  | { code: 'membersZero' }
  | { code: 'exemptOverMembers'; exempt: number; members: number }
  | {
      code: 'attendanceSum';
      present: number;
      withReason: number;
      withoutReason: number;
      members: number;
      exempt: number;
    }
  | { code: 'absence'; field: MeetingFieldKey; text: string }
  | { code: 'absenceNameCount'; field: MeetingFieldKey; count: number; names: number }
  | { code: 'contentTooLong'; length: number; max: number }
  | { code: 'quality'; text: string; scale: readonly string[] }
  /** A name of an absent member that is not on the branch's register. */
  | { code: 'absentNotOnRegister'; field: MeetingFieldKey; name: string }
  /** A name that several members of the register share: the id must be added ("Lê Văn C #12"). */
  | { code: 'absentAmbiguous'; field: MeetingFieldKey; name: string; ids: number[] }
  | { code: 'attendeeTooLong'; max: number };

/** One problem, on one field (`form` for lines that belong to no field). */
export interface FieldError {
  field: MeetingFieldKey | 'form';
  problem: MeetingProblem;
}

/** Things accepted but worth showing: a short meeting, a size that differs from the list. */
export interface MeetingFlags {
  short?: { minutes: number; minimum: number; combined: boolean };
  sizeMismatch?: { reported: number; onRecord: number };
}

export type MeetingValidation =
  | { ok: true; report: MeetingReport; flags: MeetingFlags }
  | { ok: false; errors: FieldError[] };

export interface MeetingReportContext {
  /** The month being reported; when absent, the month of the meeting date. */
  month?: YearMonth;
  /** Members on the branch's list; a different reported total is flagged, not refused. */
  branchSize?: number;
  today: IsoDate;
  /** The quality ratings in force. @defaultValue DEFAULT_QUALITY_SCALE */
  qualityScale?: readonly string[];
}

const MAX_DURATION_MINUTES = 480;
/** No branch is this large: a count above it is a typing slip, not a report. */
export const MAX_BRANCH_COUNT = 2_000;
/**
 * How far a reported total may exceed the branch's list before it is refused rather than flagged:
 * 20% of the list, and never less than 5 people (a few admissions not yet recorded).
 */
export function memberTolerance(onRecord: number): number {
  return Math.max(5, Math.ceil(onRecord * 0.2));
}
const MAX_CONTENT_LENGTH = 1000;
const MAX_ATTENDEE_LENGTH = 200;

/** Minimum length of a meeting: 90 minutes, or 120 when regular and thematic are combined. */
export function minimumMinutes(type: MeetingType): number {
  return type === 'ket_hop' ? 120 : 90;
}

/** True when the meeting was shorter than its minimum. */
export function isShortMeeting(report: Pick<MeetingReport, 'type' | 'durationMinutes'>): boolean {
  return report.durationMinutes < minimumMinutes(report.type);
}

/** True when the meeting included a thematic part. */
export function isThematic(type: MeetingType): boolean {
  return type !== 'thuong_ky';
}

/** The form's lines. Aliases catch the other ways secretaries label the same line. */
export const MEETING_FORM_FIELDS: readonly FormField<MeetingFieldKey>[] = MEETING_FIELD_KEYS.map((key) => ({
  key,
  label: MEETING_LABELS[key],
  aliases: MEETING_LABEL_ALIASES[key],
}));

/** The blank form to copy and fill. */
export function blankMeetingForm(): string {
  return blankForm(MEETING_FORM_FIELDS);
}

/** "thường kỳ", "chuyên đề", "thường kỳ + chuyên đề", "kết hợp", "cả hai", "tk", "cd" (accents optional). */
export function parseMeetingType(text: string): MeetingType | undefined {
  const t = text.trim();
  if (meetingTypeSchema.safeParse(t).success) return t as MeetingType;
  const f = ` ${foldVietnamese(t)
    .replace(/[^a-z0-9+&]/g, ' ')
    .replace(/\s+/g, ' ')} `;
  const regular = / thuong ky | tk /.test(f);
  const thematic = / chuyen de | cd /.test(f);
  if ((regular && thematic) || / ket hop | ca hai | ca 2 | ca hai loai /.test(f)) return 'ket_hop';
  if (regular) return 'thuong_ky';
  if (thematic) return 'chuyen_de';
  return undefined;
}

/** "120", "120 phút", "2 giờ", "2h", "1h30", "1 tiếng 30 phút" -> minutes; undefined otherwise. */
export function parseDuration(text: string): number | undefined {
  const f = foldVietnamese(text).replace(/[.,]$/, '');
  const minutes = /^(\d+)\s*(?:phut|p|')?$/.exec(f);
  if (minutes) return Number(minutes[1]);
  const hours = /^(\d+)\s*(?:h|g|gio|tieng)\s*(?:(\d{1,2})\s*(?:phut|p|')?)?$/.exec(f);
  if (hours) return Number(hours[1]) * 60 + Number(hours[2] ?? 0);
  return undefined;
}

const NONE_WORDS = new Set(['khong', 'khong co', 'ko', 'k', '-', '0', 'bo qua', 'khong ai']);

/** Strips a leading "đ/c" or "đồng chí" so the card does not print it twice. */
function stripTitle(name: string): string {
  return name.replace(/^(?:đ\/c|đồng chí|d\/c|dong chi)\s+/i, '').trim();
}

function parsePerson(item: string): AbsentPerson | undefined {
  const t = item.trim().replace(/\s+/g, ' ');
  const paren = /^(.*?)\s*\((.*)\)$/.exec(t);
  const dash = /^(.*?)\s+[-–—]\s*(.*)$/.exec(t) ?? /^(.*?)\s*:\s*(.*)$/.exec(t);
  const [rawName, rawReason] = paren ? [paren[1], paren[2]] : dash ? [dash[1], dash[2]] : [t, undefined];
  const name = stripTitle(rawName ?? '');
  if (!/\p{L}/u.test(name)) return undefined;
  const reason = rawReason?.trim();
  return reason ? { name, reason } : { name };
}

/**
 * "0", "không", "2", "2 (Nguyễn Văn A - ốm; Trần Thị B - công tác)", "1 (Lê Văn C)",
 * "2: A, B". Returns undefined when the text does not read as a count with optional names;
 * the count and the number of names are not compared here (see `checkMeetingField`).
 */
export function parseAbsence(text: string): Absence | undefined {
  const t = text.trim();
  if (NONE_WORDS.has(foldVietnamese(t))) return { count: 0, people: [] };
  const m = /^(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:người|đồng chí|đ\/c)?\s*(.*)$/isu.exec(t);
  const count = m?.[1] === undefined ? undefined : parseWholeNumber(m[1]);
  if (!m || count === undefined) return undefined;
  let rest = (m[2] ?? '').trim();
  if (rest === '') return { count, people: [] };
  if (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1);
  else if (/^[:\-–—,]/.test(rest)) rest = rest.slice(1);
  else return undefined;
  const items = (rest.includes(';') ? rest.split(';') : rest.split(',')).map((s) => s.trim()).filter(Boolean);
  const people: AbsentPerson[] = [];
  for (const item of items) {
    const person = parsePerson(item);
    if (!person) return undefined;
    people.push(person);
  }
  return { count, people };
}

/** The parsed value of each field. */
export interface MeetingFieldValues {
  date: IsoDate;
  type: MeetingType;
  duration: number;
  members: number;
  exempt: number;
  present: number;
  absentWithReason: Absence;
  absentWithoutReason: Absence;
  content: string;
  upperAttendee: string | undefined;
  quality: string | undefined;
  admitted: number | undefined;
  madeOfficial: number | undefined;
}

export type FieldCheck<K extends MeetingFieldKey> =
  | { ok: true; value: MeetingFieldValues[K] }
  | { ok: false; problem: MeetingProblem };

function wholeNumberField(key: 'members' | 'exempt' | 'present') {
  return (text: string): FieldCheck<typeof key> => {
    const value = parseWholeNumber(text);
    if (value === undefined) return { ok: false, problem: { code: 'wholeNumber', field: key, text } };
    if (key === 'members' && value === 0) return { ok: false, problem: { code: 'membersZero' } };
    if (value > MAX_BRANCH_COUNT)
      return { ok: false, problem: { code: 'countTooLarge', field: key, value, max: MAX_BRANCH_COUNT } };
    return { ok: true, value };
  };
}

/** Fields a report may leave blank. */
const OPTIONAL_FIELDS: readonly MeetingFieldKey[] = ['upperAttendee', 'quality', 'admitted', 'madeOfficial'];

/** A count that may be left out ("không" is 0). */
function optionalCount(key: 'admitted' | 'madeOfficial') {
  return (text: string): FieldCheck<typeof key> => {
    if (NONE_WORDS.has(foldVietnamese(text))) return { ok: true, value: 0 };
    const value = parseWholeNumber(text);
    if (value === undefined) return { ok: false, problem: { code: 'wholeNumber', field: key, text } };
    if (value > MAX_BRANCH_COUNT)
      return { ok: false, problem: { code: 'countTooLarge', field: key, value, max: MAX_BRANCH_COUNT } };
    return { ok: true, value };
  };
}

function absenceField(key: 'absentWithReason' | 'absentWithoutReason') {
  return (text: string): FieldCheck<typeof key> => {
    const value = parseAbsence(text);
    if (!value) return { ok: false, problem: { code: 'absence', field: key, text } };
    if (value.count > MAX_BRANCH_COUNT)
      return {
        ok: false,
        problem: { code: 'countTooLarge', field: key, value: value.count, max: MAX_BRANCH_COUNT },
      };
    if (value.people.length > 0 && value.people.length !== value.count)
      return {
        ok: false,
        problem: { code: 'absenceNameCount', field: key, count: value.count, names: value.people.length },
      };
    return { ok: true, value };
  };
}

const fieldParsers: { [K in MeetingFieldKey]: (text: string) => FieldCheck<K> } = {
  date: (text) => {
    const value = parseVnDate(text);
    return value ? { ok: true, value } : { ok: false, problem: { code: 'date', text } };
  },
  type: (text) => {
    const value = parseMeetingType(text);
    return value ? { ok: true, value } : { ok: false, problem: { code: 'type', text } };
  },
  duration: (text) => {
    const value = parseDuration(text);
    if (value === undefined) return { ok: false, problem: { code: 'duration', text } };
    if (value < 1 || value > MAX_DURATION_MINUTES)
      return { ok: false, problem: { code: 'durationRange', minutes: value, max: MAX_DURATION_MINUTES } };
    return { ok: true, value };
  },
  members: wholeNumberField('members'),
  exempt: wholeNumberField('exempt'),
  present: wholeNumberField('present'),
  absentWithReason: absenceField('absentWithReason'),
  absentWithoutReason: absenceField('absentWithoutReason'),
  content: (text) =>
    text.length > MAX_CONTENT_LENGTH
      ? { ok: false, problem: { code: 'contentTooLong', length: text.length, max: MAX_CONTENT_LENGTH } }
      : { ok: true, value: text },
  upperAttendee: (text) => {
    if (NONE_WORDS.has(foldVietnamese(text))) return { ok: true, value: undefined };
    const name = stripTitle(text.replace(/\s+/g, ' '));
    if (name.length > MAX_ATTENDEE_LENGTH)
      return { ok: false, problem: { code: 'attendeeTooLong', max: MAX_ATTENDEE_LENGTH } };
    return { ok: true, value: name === '' ? undefined : name };
  },
  admitted: optionalCount('admitted'),
  madeOfficial: optionalCount('madeOfficial'),
  // The label is matched against the scale in force by `validateMeetingReport`.
  quality: (text) =>
    NONE_WORDS.has(foldVietnamese(text)) ? { ok: true, value: undefined } : { ok: true, value: text },
};

/** The label of `scale` that `text` names (accents and case aside), or undefined. */
export function matchQuality(text: string, scale: readonly string[]): string | undefined {
  const key = foldVietnamese(text).replace(/[^a-z0-9]/g, '');
  return scale.find((label) => foldVietnamese(label).replace(/[^a-z0-9]/g, '') === key);
}

/**
 * Parses one field on its own, as the dialog does after each answer. A missing or blank answer
 * is an error except for the optional upper-level attendee.
 */
export function checkMeetingField<K extends MeetingFieldKey>(
  key: K,
  text: string | undefined,
): FieldCheck<K> {
  const t = text?.trim() ?? '';
  if (t === '') {
    if (OPTIONAL_FIELDS.includes(key)) return { ok: true, value: undefined } as FieldCheck<K>;
    return { ok: false, problem: { code: 'missing', field: key } };
  }
  return fieldParsers[key](t);
}

/** The date rules that need the context: not in the future, inside the month reported. */
export function checkMeetingDate(
  date: IsoDate,
  ctx: { month?: YearMonth; today: IsoDate },
): MeetingProblem[] {
  const problems: MeetingProblem[] = [];
  if (date > ctx.today) problems.push({ code: 'dateInFuture', date, today: ctx.today });
  if (ctx.month !== undefined && monthOfDate(date) !== ctx.month)
    problems.push({ code: 'dateOutsideMonth', date, month: ctx.month });
  return problems;
}

/**
 * Checks a whole report and lists every problem at once. Cross-field rules run only on fields
 * that parsed, so one typo does not also produce a confusing sum error.
 */
export function validateMeetingReport(raw: RawMeetingReport, ctx: MeetingReportContext): MeetingValidation {
  const errors: FieldError[] = [];
  const v: Partial<MeetingFieldValues> = {};
  const take = <K extends MeetingFieldKey>(key: K) => {
    const r = checkMeetingField(key, raw[key]);
    if (r.ok) v[key] = r.value;
    else errors.push({ field: key, problem: r.problem });
  };
  for (const key of MEETING_FIELD_KEYS) {
    take(key);
    if (key === 'date' && v.date !== undefined)
      for (const problem of checkMeetingDate(v.date, ctx)) errors.push({ field: 'date', problem });
  }
  const scale = ctx.qualityScale ?? DEFAULT_QUALITY_SCALE;
  let quality: string | undefined;
  if (v.quality !== undefined) {
    quality = matchQuality(v.quality, scale);
    if (quality === undefined)
      errors.push({ field: 'quality', problem: { code: 'quality', text: v.quality, scale } });
  }
  const { members, exempt, present, absentWithReason, absentWithoutReason } = v;
  if (
    members !== undefined &&
    ctx.branchSize !== undefined &&
    members > ctx.branchSize + memberTolerance(ctx.branchSize)
  )
    errors.push({
      field: 'members',
      problem: {
        code: 'membersOverRecord',
        members,
        onRecord: ctx.branchSize,
        tolerance: memberTolerance(ctx.branchSize),
      },
    });
  if (members !== undefined && exempt !== undefined && exempt > members)
    errors.push({ field: 'exempt', problem: { code: 'exemptOverMembers', exempt, members } });
  else if (
    members !== undefined &&
    exempt !== undefined &&
    present !== undefined &&
    absentWithReason !== undefined &&
    absentWithoutReason !== undefined &&
    present + absentWithReason.count + absentWithoutReason.count !== members - exempt
  )
    errors.push({
      field: 'present',
      problem: {
        code: 'attendanceSum',
        present,
        withReason: absentWithReason.count,
        withoutReason: absentWithoutReason.count,
        members,
        exempt,
      },
    });

  if (
    errors.length > 0 ||
    v.date === undefined ||
    v.type === undefined ||
    v.duration === undefined ||
    members === undefined ||
    exempt === undefined ||
    present === undefined ||
    absentWithReason === undefined ||
    absentWithoutReason === undefined ||
    v.content === undefined
  )
    return { ok: false, errors };

  const report: MeetingReport = {
    month: ctx.month ?? monthOfDate(v.date),
    date: v.date,
    type: v.type,
    durationMinutes: v.duration,
    members,
    exempt,
    present,
    absentWithReason,
    absentWithoutReason,
    content: v.content,
    ...(v.upperAttendee === undefined ? {} : { upperAttendee: v.upperAttendee }),
    ...(quality === undefined ? {} : { quality }),
    ...(v.admitted === undefined ? {} : { admitted: v.admitted }),
    ...(v.madeOfficial === undefined ? {} : { madeOfficial: v.madeOfficial }),
  };
  const flags: MeetingFlags = {};
  if (isShortMeeting(report))
    flags.short = {
      minutes: report.durationMinutes,
      minimum: minimumMinutes(report.type),
      combined: report.type === 'ket_hop',
    };
  if (ctx.branchSize !== undefined && ctx.branchSize !== members)
    flags.sizeMismatch = { reported: members, onRecord: ctx.branchSize };
  return { ok: true, report, flags };
}

/**
 * Reads a filled-in form and validates it. Lines that answer no label are errors, except lines
 * that follow «Nội dung», which continue the content (people write it over several lines).
 */
export function checkMeetingForm(text: string, ctx: MeetingReportContext): MeetingValidation {
  const raw: RawMeetingReport = {};
  const formErrors: FieldError[] = [];
  const repeated = new Set<MeetingFieldKey>();
  let last: MeetingFieldKey | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const parsed = parseForm(line, MEETING_FORM_FIELDS);
    const key = MEETING_FIELD_KEYS.find((k) => parsed.values[k] !== undefined);
    if (key !== undefined) {
      if (raw[key] !== undefined) repeated.add(key);
      raw[key] = parsed.values[key];
      last = key;
    } else if (last === 'content') {
      raw.content = `${raw.content ?? ''}\n${line.trim()}`.trim();
    } else {
      formErrors.push({ field: 'form', problem: { code: 'unknownLine', line: i + 1, text: line.trim() } });
    }
  });
  for (const key of repeated) formErrors.push({ field: key, problem: { code: 'repeated', field: key } });
  const result = validateMeetingReport(raw, ctx);
  if (formErrors.length === 0) return result;
  return { ok: false, errors: [...formErrors, ...(result.ok ? [] : result.errors)] };
}
