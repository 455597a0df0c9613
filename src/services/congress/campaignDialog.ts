/** The guided creation of a round: one question at a time, then a summary to confirm. */
import {
  type CampaignInput,
  campaignInputSchema,
  DEFAULT_YOUNG_AGE,
  formatTerm,
} from '../../domain/congress/campaign.js';
import { isBranch } from '../../domain/units.js';
import { formatVnDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { Organisation } from '../organisation.js';
import { checkScope, pilotErrors } from './campaigns.js';
import type { CampaignFieldCheck, UnitLink } from './types.js';

const m = msg.congress;

/** The questions of the guided campaign creation, in order. */
export const CAMPAIGN_DIALOG_FIELDS = [
  'name',
  'term',
  'scope',
  'opens',
  'deadline',
  'pilots',
  'youngAge',
] as const;
export type CampaignDialogField = (typeof CAMPAIGN_DIALOG_FIELDS)[number];

/**
 * Checks one answer of the guided campaign creation against the answers before it, as the
 * whole input will be checked at the end. `value` is normalised (ISO dates, "2025-2027",
 * pilot codes joined by ",").
 */
export async function checkCampaignField(
  org: Organisation,
  field: CampaignDialogField,
  raw: string,
  answers: Partial<Record<CampaignDialogField, string>>,
): Promise<CampaignFieldCheck> {
  const s = campaignInputSchema.shape;
  // Each field's schema carries its own Vietnamese message.
  const first = (r: { error?: { issues: { message: string }[] } }) => r.error?.issues[0]?.message ?? '';
  const text = raw.trim();
  switch (field) {
    case 'name':
    case 'term':
    case 'youngAge': {
      const r = s[field].safeParse(text);
      return r.success ? { ok: true, value: String(r.data) } : { ok: false, message: first(r) };
    }
    case 'scope': {
      const r = s.scope.safeParse(text);
      if (!r.success) return { ok: false, message: first(r) };
      return checkScope(org, r.data);
    }
    case 'opens': {
      const r = s.opens.safeParse(text);
      return r.success ? { ok: true, value: r.data } : { ok: false, message: first(r) };
    }
    case 'deadline': {
      const r = s.deadline.safeParse(text);
      if (!r.success) return { ok: false, message: first(r) };
      if (answers.opens !== undefined && r.data < answers.opens) {
        return { ok: false, message: m.campaignErrors.window(answers.opens, r.data) };
      }
      return { ok: true, value: r.data };
    }
    case 'pilots': {
      const codes = splitCodes(text);
      const r = s.pilots.safeParse(codes);
      if (!r.success) return { ok: false, message: first(r) };
      const errors = await pilotErrors(org, answers.scope ?? '', r.data);
      return errors.length > 0
        ? { ok: false, message: errors.join('\n') }
        : { ok: true, value: r.data.join(',') };
    }
  }
}

/** Units offered as buttons for a round's scope: the root and the committees right under it. */
export async function scopeSuggestions(org: Organisation, max: number): Promise<UnitLink[]> {
  const root = await org.units.root();
  if (!root) return [];
  const children = await org.units.getMany(await org.units.children(root.code));
  const committees = [...children.values()].filter((u) => !isBranch(u)).slice(0, max - 1);
  return [root, ...committees].map((u) => ({ code: u.code, name: u.name }));
}

/** The guided creation's answers as the admin reads them before confirming. */
export async function campaignSummary(
  org: Organisation,
  answers: Partial<Record<CampaignDialogField, string>>,
): Promise<string> {
  const l = m.campaignDialog.summaryLines;
  const pilots = answers.pilots ? answers.pilots.split(',').filter(Boolean) : [];
  const units = await org.units.getMany([answers.scope ?? '', ...pilots].filter(Boolean));
  const nameOf = (code: string) => units.get(code)?.name ?? code;
  const lines = [
    l.name(answers.name ?? ''),
    l.term(formatTerm(answers.term ?? '')),
    l.scope(nameOf(answers.scope ?? ''), answers.scope ?? ''),
    l.window(formatVnDate(answers.opens ?? ''), formatVnDate(answers.deadline ?? '')),
    pilots.length > 0 ? l.pilots(pilots.map(nameOf).join(', ')) : l.noPilots,
    l.youngAge(Number(answers.youngAge ?? DEFAULT_YOUNG_AGE)),
  ];
  return m.campaignDialog.summary(lines);
}

/** Validated draft fields as the guided creation collected them. */
export function campaignInputFromAnswers(
  answers: Partial<Record<CampaignDialogField, string>>,
): CampaignInput {
  return {
    name: answers.name ?? '',
    term: answers.term ?? '',
    scope: answers.scope ?? '',
    opens: answers.opens ?? '',
    deadline: answers.deadline ?? '',
    pilots: answers.pilots ? answers.pilots.split(',').filter(Boolean) : [],
    youngAge: answers.youngAge ?? String(DEFAULT_YOUNG_AGE),
  };
}

/** "CB01, CB07; CB09" → codes; "-", "không", «Không có» → none. */
function splitCodes(text: string): string[] {
  const t = text.trim();
  if (t === '' || ['-', 'khong', 'không', 'khong co', 'không có'].includes(t.toLowerCase())) return [];
  return t.split(/[\s,;]+/).filter(Boolean);
}
