/**
 * Gia hạn: the upper committee lets one branch hold its congress after the round's deadline.
 * The branch may then register and report up to its own date; a result after the round's
 * deadline still counts as held, marked "sau hạn". Pure: the arguments of /giahan and the CLI,
 * and the branch's own window; the clock comes in as `today`.
 */
import { addDays, type IsoDate, parseVnDate } from '../vn.js';
import { CAMPAIGN_GRACE_DAYS, type Campaign, isCampaignId } from './campaign.js';

/** One branch's extension in one round. */
export interface Extension {
  /** The branch's own deadline, after the round's. */
  until: IsoDate;
  /** Why, as the office wrote it (e.g. the cấp ủy's decision). */
  reason?: string;
  /** Who granted it ("cli" or a person id) and when (UTC ms). */
  by: string;
  at: number;
}

/** Longest reason kept with an extension. */
export const EXTENSION_REASON_MAX = 200;

/** Longest an extension may run past the round's deadline (a whole year is already generous). */
export const EXTENSION_DAYS_MAX = 366;

/** Why an extension cannot be granted, as a reason code (the catalogue words it). */
export type ExtensionProblem =
  | { code: 'usage' }
  | { code: 'badDate'; text: string }
  | { code: 'notAfterDeadline'; until: IsoDate; deadline: IsoDate }
  | { code: 'tooFar'; until: IsoDate; latest: IsoDate }
  | { code: 'inPast'; until: IsoDate; today: IsoDate }
  | { code: 'reasonTooLong'; max: number }
  | { code: 'notBranch'; name: string }
  | { code: 'notInCampaign'; name: string }
  | { code: 'alreadyReported'; date: IsoDate }
  | { code: 'campaignClosed' }
  | { code: 'noCampaign'; name: string }
  | { code: 'severalCampaigns'; ids: string[] };

/** What `/giahan MÃ DD/MM/YYYY [mã đợt] [lý do]` says. */
export interface ExtensionArgs {
  unit: string;
  until: IsoDate;
  campaignId?: string;
  reason?: string;
}

/**
 * "/giahan CB07 15/10/2025 Chi bộ sáp nhập, chờ kiện toàn" -> unit, date and reason. A round id
 * (`dh…`) right after the date picks the round when several cover the branch.
 */
export function parseExtensionArgs(
  args: string,
): { ok: true; value: ExtensionArgs } | { ok: false; problem: ExtensionProblem } {
  const [unit, rawDate, ...rest] = args.trim().split(/\s+/).filter(Boolean);
  if (unit === undefined || rawDate === undefined) return { ok: false, problem: { code: 'usage' } };
  const until = parseVnDate(rawDate);
  if (until === undefined) return { ok: false, problem: { code: 'badDate', text: rawDate } };
  const value: ExtensionArgs = { unit, until };
  if (rest[0] !== undefined && isCampaignId(rest[0])) value.campaignId = rest.shift();
  const reason = rest.join(' ').trim();
  if (reason !== '') {
    if (reason.length > EXTENSION_REASON_MAX)
      return { ok: false, problem: { code: 'reasonTooLong', max: EXTENSION_REASON_MAX } };
    value.reason = reason;
  }
  return { ok: true, value };
}

/** Why `until` cannot be a branch's extended deadline in this round today, or undefined. */
export function extensionDateError(
  campaign: Pick<Campaign, 'deadline'>,
  until: IsoDate,
  today: IsoDate,
): ExtensionProblem | undefined {
  if (until <= campaign.deadline) return { code: 'notAfterDeadline', until, deadline: campaign.deadline };
  const latest = addDays(campaign.deadline, EXTENSION_DAYS_MAX);
  if (until > latest) return { code: 'tooFar', until, latest };
  if (until < today) return { code: 'inPast', until, today };
  return undefined;
}

/** The branch's own deadline: the extension's date when it has one, else the round's. */
export function branchDeadline(
  campaign: Pick<Campaign, 'deadline'>,
  extension?: Pick<Extension, 'until'>,
): IsoDate {
  return extension && extension.until > campaign.deadline ? extension.until : campaign.deadline;
}

/** The round as one branch sees it: its window ends at its own deadline. */
export function branchWindow<C extends Pick<Campaign, 'opens' | 'deadline'>>(
  campaign: C,
  extension?: Pick<Extension, 'until'>,
): C {
  const deadline = branchDeadline(campaign, extension);
  return deadline === campaign.deadline ? campaign : { ...campaign, deadline };
}

/** Whether the branch may still register and report: not closed by hand, and within its own deadline + grace. */
export function isBranchOpen(
  campaign: Pick<Campaign, 'deadline' | 'closedAt'>,
  extension: Pick<Extension, 'until'> | undefined,
  today: IsoDate,
  graceDays = CAMPAIGN_GRACE_DAYS,
): boolean {
  return campaign.closedAt === undefined && today <= addDays(branchDeadline(campaign, extension), graceDays);
}
