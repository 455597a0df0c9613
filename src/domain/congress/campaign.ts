/**
 * A congress round (đợt đại hội): the upper committee's plan with a window and a deadline for
 * the branches under one unit, its pilot congresses (đại hội điểm) and the term it elects for.
 * Pure: schema, id format and calendar predicates; the clock comes in as `today`.
 */
import { z } from 'zod';
import { congress as m } from '../../messages/congress.js';
import { addDays, type IsoDate, parseVnDate } from '../vn.js';

/** Steps a branch goes through in a round (DOMAIN.md); a campaign may track any of them. */
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

/** A calendar date given as ISO or as dd/mm/yyyy; anything else is left for the schema to reject. */
const calendarDateInput = (error: string) =>
  z.preprocess((v) => (typeof v === 'string' ? (parseVnDate(v) ?? v.trim()) : v), z.iso.date({ error }));

/** What the office supplies to create a campaign (dates as ISO or dd/mm/yyyy). */
export const campaignInputSchema = z
  .object({
    name: z
      .string({ error: m.campaignErrors.name })
      .trim()
      .min(1, { error: m.campaignErrors.name })
      .max(200, {
        error: m.campaignErrors.nameTooLong,
      }),
    term: z.preprocess(
      (v) => (typeof v === 'string' ? normaliseTerm(v) : v),
      z
        .string({ error: m.campaignErrors.term })
        .regex(TERM_PATTERN, { error: m.campaignErrors.term })
        .refine(
          (t) => {
            const [, start, end] = TERM_PATTERN.exec(t) ?? [];
            return Number(end) > Number(start);
          },
          { error: m.campaignErrors.termOrder },
        ),
    ),
    scope: z
      .string({ error: m.campaignErrors.scope })
      .trim()
      .min(1, { error: m.campaignErrors.scope })
      .regex(/^[A-Za-z0-9._-]+$/, { error: m.campaignErrors.scope }),
    opens: calendarDateInput(m.campaignErrors.opens),
    deadline: calendarDateInput(m.campaignErrors.deadline),
    pilots: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9._-]+$/, { error: m.campaignErrors.pilots }),
        { error: m.campaignErrors.pilots },
      )
      .default([]),
    youngAge: z
      .preprocess(
        // The CLI and CSV hand numbers over as text.
        (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
        z
          .number({ error: m.campaignErrors.youngAge })
          .int({ error: m.campaignErrors.youngAge })
          .min(18, { error: m.campaignErrors.youngAge })
          .max(60, { error: m.campaignErrors.youngAge }),
      )
      .default(DEFAULT_YOUNG_AGE),
    trackedSteps: z.array(z.enum(CONGRESS_STEPS), { error: m.campaignErrors.trackedSteps }).optional(),
  })
  .superRefine((c, ctx) => {
    // zod still runs this after a date failed to parse; compare only two real dates.
    const isoDate = (d: unknown) => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d);
    if (isoDate(c.opens) && isoDate(c.deadline) && c.opens > c.deadline) {
      ctx.addIssue({
        code: 'custom',
        path: ['deadline'],
        message: m.campaignErrors.window(c.opens, c.deadline),
      });
    }
  });

export type CampaignInput = z.input<typeof campaignInputSchema>;
/** A validated campaign input: everything but the id and who created it when. */
export type CampaignDraft = z.output<typeof campaignInputSchema>;

export interface FieldError {
  field: string;
  message: string;
}

/** Validates a campaign input; on failure lists every field's problem in Vietnamese. */
export function parseCampaignInput(
  input: unknown,
): { ok: true; value: CampaignDraft } | { ok: false; errors: FieldError[] } {
  const parsed = campaignInputSchema.safeParse(input);
  if (parsed.success) {
    return { ok: true, value: { ...parsed.data, pilots: [...new Set(parsed.data.pilots)] } };
  }
  const errors: FieldError[] = [];
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    // One message per field is enough to fix it; zod may report a field several times.
    if (!errors.some((e) => e.field === field)) errors.push({ field, message: issue.message });
  }
  return { ok: false, errors };
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

/** Still taking registrations and reports: not closed by hand, and not past deadline + grace. */
export function isCampaignOpen(campaign: Campaign, today: IsoDate, graceDays = CAMPAIGN_GRACE_DAYS): boolean {
  return campaign.closedAt === undefined && today <= addDays(campaign.deadline, graceDays);
}

/** Whether the campaign's scope is one of `unitAndAncestors` (a unit's own code and its ancestors'). */
export function coversUnit(campaign: Campaign, unitAndAncestors: readonly string[]): boolean {
  return unitAndAncestors.includes(campaign.scope);
}

/** Whether `date` lies in the campaign window [opens, deadline]. */
export function inWindow(campaign: Pick<Campaign, 'opens' | 'deadline'>, date: IsoDate): boolean {
  return date >= campaign.opens && date <= campaign.deadline;
}
