/** The guided creation of a round: one question at a time, then a summary to confirm. */
import {
  type CampaignInput,
  DEFAULT_YOUNG_AGE,
  formatTerm,
  parseCampaignField,
  parsePilotCodes,
} from '../../domain/congress/campaign.js';
import { isBranch } from '../../domain/units.js';
import { formatVnDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { Organisation } from '../organisation.js';
import { checkScope, pilotErrors } from './campaigns.js';
import type { CampaignDialogField } from './state.js';
import type { CampaignFieldCheck, UnitLink } from './types.js';

const m = msg.congress;

/** Problems with the pilot codes named before "… và N mã khác". */
const PILOT_ERRORS_SHOWN = 10;

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
  const text = raw.trim();
  if (field === 'pilots') {
    const r = parsePilotCodes(splitCodes(text));
    if (!r.ok) return { ok: false, message: m.campaignProblem(r.problem) };
    const errors = await pilotErrors(org, answers.scope ?? '', r.value);
    if (errors.length === 0) return { ok: true, value: r.value.join(',') };
    // A long list of wrong codes is named in part, so the answer stays one message.
    const shown = errors.slice(0, PILOT_ERRORS_SHOWN);
    if (errors.length > shown.length) shown.push(m.campaignErrors.more(errors.length - shown.length));
    return { ok: false, message: shown.join('\n') };
  }
  const r = parseCampaignField(field, text);
  if (!r.ok) return { ok: false, message: m.campaignProblem(r.problem) };
  if (field === 'scope') return checkScope(org, r.value);
  if (field === 'deadline' && answers.opens !== undefined && r.value < answers.opens)
    return {
      ok: false,
      message: m.campaignProblem({ code: 'window', opens: answers.opens, deadline: r.value }),
    };
  return { ok: true, value: r.value };
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
  return [...new Set(t.split(/[\s,;]+/).filter(Boolean))];
}
