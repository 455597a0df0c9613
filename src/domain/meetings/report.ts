/**
 * The monthly meeting report (DOMAIN.md, "Regular branch meetings"): the fill-in form, the
 * field parsers shared with the guided dialog, the consistency rules and the confirmation card.
 * Every problem is reported at once, field by field, and nothing is returned as valid until the
 * whole report is.
 */
import { z } from 'zod';
import { meetings } from '../../messages/meetings.js';
import { blankForm, type FormField, parseForm } from '../form.js';
import { escapeHtml } from '../text.js';
import {
  foldVietnamese,
  formatRatioPercent,
  formatVnDate,
  type IsoDate,
  parseVnDate,
  parseWholeNumber,
} from '../vn.js';
import { formatYearMonth, monthOfDate, type YearMonth } from './calendar.js';

/** The report's fields, in form and dialog order. */
export const MEETING_FIELD_KEYS = [
  'date',
  'type',
  'duration',
  'members',
  'exempt',
  'present',
  'absentWithReason',
  'absentWithoutReason',
  'content',
  'upperAttendee',
] as const;
export type MeetingFieldKey = (typeof MEETING_FIELD_KEYS)[number];

export const meetingTypeSchema = z.enum(['thuong_ky', 'chuyen_de', 'ket_hop']);
/** Regular, thematic, or both in one sitting. */
export type MeetingType = z.infer<typeof meetingTypeSchema>;

export const absentPersonSchema = z.object({ name: z.string().min(1), reason: z.string().optional() });
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
});
/** A valid report: the consistency rules hold. */
export type MeetingReport = z.infer<typeof meetingReportSchema>;

/** The text a secretary gave for each field, before parsing (from the form or the dialog). */
export type RawMeetingReport = Partial<Record<MeetingFieldKey, string>>;

/** One problem, on one field (`form` for lines that belong to no field). */
export interface FieldError {
  field: MeetingFieldKey | 'form';
  message: string;
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
}

const MAX_DURATION_MINUTES = 480;
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
export const MEETING_FORM_FIELDS: readonly FormField<MeetingFieldKey>[] = [
  { key: 'date', label: meetings.labels.date, aliases: ['Ngày sinh hoạt', 'Ngày họp'] },
  { key: 'type', label: meetings.labels.type, aliases: ['Loại sinh hoạt', 'Hình thức'] },
  { key: 'duration', label: meetings.labels.duration, aliases: ['Thời gian', 'Số phút'] },
  { key: 'members', label: meetings.labels.members, aliases: ['Số đảng viên', 'Tổng số'] },
  { key: 'exempt', label: meetings.labels.exempt, aliases: ['Được miễn sinh hoạt', 'Miễn'] },
  { key: 'present', label: meetings.labels.present, aliases: ['Số có mặt', 'Dự'] },
  { key: 'absentWithReason', label: meetings.labels.absentWithReason, aliases: ['Vắng có lí do'] },
  {
    key: 'absentWithoutReason',
    label: meetings.labels.absentWithoutReason,
    aliases: ['Vắng không lí do', 'Vắng không có lý do', 'Vắng không có lí do'],
  },
  { key: 'content', label: meetings.labels.content, aliases: ['Nội dung sinh hoạt'] },
  {
    key: 'upperAttendee',
    label: meetings.labels.upperAttendee,
    aliases: ['Cấp trên dự', 'Đại biểu cấp trên'],
  },
];

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
}

export type FieldCheck<K extends MeetingFieldKey> =
  | { ok: true; value: MeetingFieldValues[K] }
  | { ok: false; message: string };

const e = meetings.errors;
const L = meetings.labels;

function wholeNumberField(key: 'members' | 'exempt' | 'present') {
  return (text: string): FieldCheck<typeof key> => {
    const value = parseWholeNumber(text);
    if (value === undefined) return { ok: false, message: e.wholeNumber(L[key], text) };
    if (key === 'members' && value === 0) return { ok: false, message: e.membersZero };
    return { ok: true, value };
  };
}

function absenceField(key: 'absentWithReason' | 'absentWithoutReason') {
  return (text: string): FieldCheck<typeof key> => {
    const value = parseAbsence(text);
    if (!value) return { ok: false, message: e.absence(L[key], text) };
    if (value.people.length > 0 && value.people.length !== value.count)
      return { ok: false, message: e.absenceNameCount(L[key], value.count, value.people.length) };
    return { ok: true, value };
  };
}

const fieldParsers: { [K in MeetingFieldKey]: (text: string) => FieldCheck<K> } = {
  date: (text) => {
    const value = parseVnDate(text);
    return value ? { ok: true, value } : { ok: false, message: e.date(text) };
  },
  type: (text) => {
    const value = parseMeetingType(text);
    return value ? { ok: true, value } : { ok: false, message: e.type(text) };
  },
  duration: (text) => {
    const value = parseDuration(text);
    if (value === undefined) return { ok: false, message: e.duration(text) };
    if (value < 1 || value > MAX_DURATION_MINUTES)
      return { ok: false, message: e.durationRange(value, MAX_DURATION_MINUTES) };
    return { ok: true, value };
  },
  members: wholeNumberField('members'),
  exempt: wholeNumberField('exempt'),
  present: wholeNumberField('present'),
  absentWithReason: absenceField('absentWithReason'),
  absentWithoutReason: absenceField('absentWithoutReason'),
  content: (text) =>
    text.length > MAX_CONTENT_LENGTH
      ? { ok: false, message: e.contentTooLong(text.length, MAX_CONTENT_LENGTH) }
      : { ok: true, value: text },
  upperAttendee: (text) => {
    if (NONE_WORDS.has(foldVietnamese(text))) return { ok: true, value: undefined };
    const name = stripTitle(text.replace(/\s+/g, ' '));
    if (name.length > MAX_ATTENDEE_LENGTH)
      return { ok: false, message: e.attendeeTooLong(MAX_ATTENDEE_LENGTH) };
    return { ok: true, value: name === '' ? undefined : name };
  },
};

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
    if (key === 'upperAttendee') return { ok: true, value: undefined } as FieldCheck<K>;
    return { ok: false, message: e.missing(L[key]) };
  }
  return fieldParsers[key](t);
}

/** The date rules that need the context: not in the future, inside the month reported. */
export function checkMeetingDate(date: IsoDate, ctx: { month?: YearMonth; today: IsoDate }): string[] {
  const problems: string[] = [];
  if (date > ctx.today) problems.push(e.dateInFuture(formatVnDate(date), formatVnDate(ctx.today)));
  if (ctx.month !== undefined && monthOfDate(date) !== ctx.month)
    problems.push(e.dateOutsideMonth(formatVnDate(date), formatYearMonth(ctx.month)));
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
    else errors.push({ field: key, message: r.message });
  };
  for (const key of MEETING_FIELD_KEYS) {
    take(key);
    if (key === 'date' && v.date !== undefined)
      for (const message of checkMeetingDate(v.date, ctx)) errors.push({ field: 'date', message });
  }
  const { members, exempt, present, absentWithReason, absentWithoutReason } = v;
  if (members !== undefined && exempt !== undefined && exempt > members)
    errors.push({ field: 'exempt', message: e.exemptOverMembers(exempt, members) });
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
      message: e.attendanceSum({
        present,
        withReason: absentWithReason.count,
        withoutReason: absentWithoutReason.count,
        members,
        exempt,
      }),
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
      formErrors.push({ field: 'form', message: e.unknownLine(i + 1, line.trim()) });
    }
  });
  for (const key of repeated) formErrors.push({ field: key, message: e.repeated(L[key]) });
  const result = validateMeetingReport(raw, ctx);
  if (formErrors.length === 0) return result;
  return { ok: false, errors: [...formErrors, ...(result.ok ? [] : result.errors)] };
}

function peopleList(absence: Absence): string {
  return absence.people.map((p) => escapeHtml(p.reason ? `${p.name} - ${p.reason}` : p.name)).join('; ');
}

/** The flags as plain sentences, for the card and for the saved answer. */
export function flagLines(flags: MeetingFlags): string[] {
  const lines: string[] = [];
  if (flags.short)
    lines.push(meetings.flags.short(flags.short.minutes, flags.short.minimum, flags.short.combined));
  if (flags.sizeMismatch)
    lines.push(meetings.flags.sizeMismatch(flags.sizeMismatch.reported, flags.sizeMismatch.onRecord));
  return lines;
}

/** The confirmation card (Telegram HTML, only <b> and <i>; user text escaped). */
export function renderMeetingCard(report: MeetingReport, branchName: string, flags: MeetingFlags): string {
  const c = meetings.card;
  const lines = [
    `<b>${c.title(formatYearMonth(report.month))}</b>`,
    `<b>${escapeHtml(branchName)}</b>`,
    c.date(formatVnDate(report.date)),
    c.type(report.type),
    c.duration(report.durationMinutes),
    c.members(report.members, report.exempt),
    c.present(formatRatioPercent(report.present, report.members - report.exempt)),
    c.absentWithReason(report.absentWithReason.count, peopleList(report.absentWithReason)),
    c.absentWithoutReason(report.absentWithoutReason.count, peopleList(report.absentWithoutReason)),
    c.content(escapeHtml(report.content)),
    c.upperAttendee(report.upperAttendee === undefined ? undefined : escapeHtml(report.upperAttendee)),
  ];
  const notes = flagLines(flags);
  if (notes.length > 0) {
    lines.push('', `<b>${meetings.flags.heading}</b>`);
    for (const note of notes) lines.push(`<i>${note}</i>`);
  }
  return lines.join('\n');
}

/** The numbered list of problems, ready to send (Telegram HTML; quoted input escaped). */
export function renderValidationErrors(errors: readonly FieldError[]): string {
  return [
    meetings.errors.heading(errors.length),
    ...errors.map((err, i) => `${i + 1}. ${escapeHtml(err.message)}`),
    meetings.errors.footer,
  ].join('\n');
}
