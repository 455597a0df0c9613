/**
 * A congress round (đợt đại hội): the upper committee's plan with a window and a deadline for
 * the branches under one unit, its pilot congresses (đại hội điểm) and the term it elects for.
 * Pure: schema, id format and calendar predicates; the clock comes in as `today`.
 */
import { z } from 'zod';
import { addDays, type IsoDate, parseVnDate } from '../vn.js';

/** Steps a branch goes through in a round (docs/rules.md, «Congress rounds»); a campaign may track any of them. */
export const CONGRESS_STEPS = [
  'ke_hoach',
  'bao_cao_chinh_tri',
  'bao_cao_kiem_diem',
  'de_an_nhan_su',
  'dang_ky_lich',
  'to_chuc',
  'bao_cao_ket_qua',
  'chuan_y',
  'sau_dai_hoi',
] as const;
export type CongressStep = (typeof CONGRESS_STEPS)[number];

/** Committee members younger than this count as "trẻ" unless the campaign says otherwise. */
export const DEFAULT_YOUNG_AGE = 35;

/**
 * Days after the deadline during which a campaign still counts as open: late results and
 * corrections keep arriving for a few weeks after the plan's deadline.
 */
export const CAMPAIGN_GRACE_DAYS = 30;

/** `dh` + 8 base36 characters: never all digits, no `:`, safe in keys and callback data. */
export const CAMPAIGN_ID_PATTERN = /^dh[0-9a-z]{8}$/;

/** One congress round. Dates are calendar dates in Asia/Ho_Chi_Minh; timestamps UTC ms. */
export interface Campaign {
  id: string;
  name: string;
  /** Normalised "YYYY-YYYY", e.g. "2025-2027". */
  term: string;
  /** Code of the unit whose branches hold their congress in this round. */
  scope: string;
  opens: IsoDate;
  deadline: IsoDate;
  /** Branch codes of the pilot congresses (đại hội điểm). */
  pilots: string[];
  /** A committee member younger than this is "trẻ". */
  youngAge: number;
  trackedSteps?: CongressStep[];
  createdBy: string;
  createdAt: number;
  /** Set when the office closes the round by hand; a closed round takes no more reports. */
  closedAt?: number;
  /** The latest date any branch was extended to (gia hạn); the round stays open for it. */
  extendedUntil?: IsoDate;
}

const TERM_PATTERN = /^(\d{4})-(\d{4})$/;

/** "2025 – 2027", "2025—2027" and "2025 - 2027" all read as "2025-2027". */
export function normaliseTerm(text: string): string {
  return text.trim().replace(/\s*[-–—]\s*/g, '-');
}

/** How a term reads in a report: "2025 – 2027". */
export function formatTerm(term: string): string {
  return term.replace('-', ' – ');
}

/**
 * Why a round's input cannot be taken, as a reason code (the catalogue words it). The checks
 * that need the units tree (does the scope exist, is each pilot a branch inside it) are the
 * service's; their codes are here too so one list names every problem.
 */
/** Problems of one field that need no value to be worded. */
const SIMPLE_CODES = [
  'name',
  'nameTooLong',
  'term',
  'termOrder',
  'scope',
  'opens',
  'deadline',
  'pilots',
  'youngAge',
  'trackedSteps',
] as const;
type SimpleCode = (typeof SIMPLE_CODES)[number];

export type CampaignProblem =
  | { code: SimpleCode }
  | { code: 'window'; opens: IsoDate; deadline: IsoDate }
  | { code: 'scopeUnknown'; scope: string }
  | { code: 'scopeNoBranches'; name: string }
  | { code: 'pilotUnknown'; pilot: string }
  | { code: 'pilotNotBranch'; name: string }
  | { code: 'pilotOutsideScope'; name: string; scopeName: string };

/** A calendar date given as ISO or as dd/mm/yyyy; anything else is left for the schema to reject. */
const calendarDateInput = (error: SimpleCode) =>
  z.preprocess((v) => (typeof v === 'string' ? (parseVnDate(v) ?? v.trim()) : v), z.iso.date({ error }));

/** A unit code as the units CSV allows it. */
const UNIT_CODE = /^[A-Za-z0-9._-]+$/;

/** What the office supplies to create a campaign (dates as ISO or dd/mm/yyyy). Issue messages are reason codes. */
export const campaignInputSchema = z
  .object({
    name: z.string({ error: 'name' }).trim().min(1, { error: 'name' }).max(200, { error: 'nameTooLong' }),
    term: z.preprocess(
      (v) => (typeof v === 'string' ? normaliseTerm(v) : v),
      z
        .string({ error: 'term' })
        .regex(TERM_PATTERN, { error: 'term' })
        .refine(
          (t) => {
            const [, start, end] = TERM_PATTERN.exec(t) ?? [];
            return Number(end) > Number(start);
          },
          { error: 'termOrder' },
        ),
    ),
    scope: z
      .string({ error: 'scope' })
      .trim()
      .min(1, { error: 'scope' })
      .regex(UNIT_CODE, { error: 'scope' }),
    opens: calendarDateInput('opens'),
    deadline: calendarDateInput('deadline'),
    pilots: z
      .array(z.string({ error: 'pilots' }).trim().regex(UNIT_CODE, { error: 'pilots' }), { error: 'pilots' })
      .default([]),
    youngAge: z
      .preprocess(
        // The CLI and CSV hand numbers over as text.
        (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
        z
          .number({ error: 'youngAge' })
          .int({ error: 'youngAge' })
          .min(18, { error: 'youngAge' })
          .max(60, { error: 'youngAge' }),
      )
      .default(DEFAULT_YOUNG_AGE),
    trackedSteps: z.array(z.enum(CONGRESS_STEPS), { error: 'trackedSteps' }).optional(),
  })
  .superRefine((c, ctx) => {
    // zod still runs this after a date failed to parse; compare only two real dates.
    const isoDate = (d: unknown) => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d);
    if (isoDate(c.opens) && isoDate(c.deadline) && c.opens > c.deadline) {
      ctx.addIssue({ code: 'custom', path: ['deadline'], message: 'window' });
    }
  });

export type CampaignInput = z.input<typeof campaignInputSchema>;
/** A validated campaign input: everything but the id and who created it when. */
export type CampaignDraft = z.output<typeof campaignInputSchema>;

export interface FieldError {
  field: string;
  problem: CampaignProblem;
}

/** The reason code of one zod issue on `field` (an issue zod worded itself counts as the field's). */
function problemOf(
  field: string,
  message: string,
  input: { opens?: unknown; deadline?: unknown },
): CampaignProblem {
  if (message === 'window') {
    const date = (v: unknown) => (typeof v === 'string' ? (parseVnDate(v) ?? v.trim()) : '');
    return { code: 'window', opens: date(input.opens), deadline: date(input.deadline) };
  }
  const code = [message, field].find((c): c is SimpleCode => (SIMPLE_CODES as readonly string[]).includes(c));
  return { code: code ?? 'name' };
}

/** Validates a campaign input; on failure lists every field's problem as a reason code. */
export function parseCampaignInput(
  input: unknown,
): { ok: true; value: CampaignDraft } | { ok: false; errors: FieldError[] } {
  const parsed = campaignInputSchema.safeParse(input);
  if (parsed.success) {
    return { ok: true, value: { ...parsed.data, pilots: [...new Set(parsed.data.pilots)] } };
  }
  const given = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const errors: FieldError[] = [];
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    // One problem per field is enough to fix it; zod may report a field several times.
    if (!errors.some((e) => e.field === field))
      errors.push({ field, problem: problemOf(field, issue.message, given) });
  }
  return { ok: false, errors };
}

/** Fields of the input that the guided creation asks one by one. */
export type CampaignFieldName = 'name' | 'term' | 'scope' | 'opens' | 'deadline' | 'youngAge';

/**
 * One answer of the guided creation checked on its own, as the whole input will be: the
 * normalised value (ISO dates, "2025-2027", the age as digits), or why not.
 */
export function parseCampaignField(
  field: CampaignFieldName,
  text: string,
): { ok: true; value: string } | { ok: false; problem: CampaignProblem } {
  const r = campaignInputSchema.shape[field].safeParse(text);
  if (r.success) return { ok: true, value: String(r.data) };
  return { ok: false, problem: problemOf(field, r.error.issues[0]?.message ?? field, {}) };
}

/** Pilot codes as typed, checked as the whole input will be. */
export function parsePilotCodes(
  codes: readonly string[],
): { ok: true; value: string[] } | { ok: false; problem: CampaignProblem } {
  const r = campaignInputSchema.shape.pilots.safeParse(codes);
  return r.success ? { ok: true, value: r.data } : { ok: false, problem: { code: 'pilots' } };
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A campaign id from 8 random bytes (the store supplies them): `dh` + 8 base36 characters. */
export function makeCampaignId(randomBytes: Uint8Array): string {
  if (randomBytes.length < 8) throw new RangeError('need 8 random bytes');
  let id = 'dh';
  for (let i = 0; i < 8; i++) id += BASE36[(randomBytes[i] ?? 0) % 36];
  return id;
}

export function isCampaignId(text: string): boolean {
  return CAMPAIGN_ID_PATTERN.test(text);
}

/**
 * Still taking registrations and reports: not closed by hand, and not past deadline + grace (the
 * deadline being the latest extension of any branch, when later). Each branch is held to its own
 * deadline besides (`isBranchOpen`).
 */
export function isCampaignOpen(campaign: Campaign, today: IsoDate, graceDays = CAMPAIGN_GRACE_DAYS): boolean {
  const last =
    campaign.extendedUntil !== undefined && campaign.extendedUntil > campaign.deadline
      ? campaign.extendedUntil
      : campaign.deadline;
  return campaign.closedAt === undefined && today <= addDays(last, graceDays);
}

/** Whether the campaign's scope is one of `unitAndAncestors` (a unit's own code and its ancestors'). */
export function coversUnit(campaign: Campaign, unitAndAncestors: readonly string[]): boolean {
  return unitAndAncestors.includes(campaign.scope);
}

/** Whether `date` lies in the campaign window [opens, deadline]. */
export function inWindow(campaign: Pick<Campaign, 'opens' | 'deadline'>, date: IsoDate): boolean {
  return date >= campaign.opens && date <= campaign.deadline;
}
