/**
 * The daily summary a leader (or a leaders' group) reads at the end of the day: per scope,
 * today's new reports, each open congress round's progress as X/Y with its overdue branches and
 * their secretaries, the month's meeting reports, and the secretaries the bot cannot reach.
 * Pure: the service gathers the figures and names; this writes the Telegram HTML (names
 * escaped). The text may exceed one message; the outbox splits it.
 */
import { reminders } from '../messages/reminders.js';
import { formatYearMonth, type YearMonth } from './meetings/calendar.js';
import { escapeHtml } from './text.js';
import { daysBetween, formatVnDate, type IsoDate } from './vn.js';

const m = reminders.summary;

/** One report saved today for the first time. */
export interface NewReport {
  branch: string;
  kind: 'congress' | 'meeting';
  /** The meeting's month, for `meeting`. */
  month?: YearMonth;
}

/** A branch overdue in a round. */
export interface OverdueBranch {
  branch: string;
  /** Set when the branch registered a date that has passed without a result. */
  registeredDate?: IsoDate;
  /** Names of the branch's secretaries who use the bot (none: "chưa có"). */
  secretaries: readonly string[];
}

/** One open round as it stands in the scope. */
export interface CampaignProgress {
  name: string;
  deadline: IsoDate;
  /** Branches that held their congress (reported). */
  held: number;
  /** Branches with a registered date and no result yet. */
  registeredOnly: number;
  /** Branches of the round in the scope. */
  total: number;
  /** The first overdue branches, to name. */
  overdue: readonly OverdueBranch[];
  /** All overdue branches; defaults to `overdue.length`. */
  overdueCount?: number;
}

/** A secretary Telegram refused to deliver to. */
export interface UnreachableSecretary {
  person: string;
  branch: string;
}

/** Everything the summary says about one scope. */
export interface ScopeSummary {
  scopeName: string;
  newReports: readonly NewReport[];
  campaigns: readonly CampaignProgress[];
  meetings: { month: YearMonth; reported: number; total: number };
  unreachable: readonly UnreachableSecretary[];
  /** Branches where no secretary uses the bot. */
  noSecretary: readonly string[];
}

export interface DailySummary {
  today: IsoDate;
  scopes: readonly ScopeSummary[];
  /** The reader turned the chart off: say how to turn it on again. */
  chartOff?: boolean;
}

/** Items then "… và N chi bộ khác" past `limit`. */
function capped(items: readonly string[], limit: number, total = items.length): string[] {
  const shown = items.slice(0, limit);
  const more = total - shown.length;
  return more > 0 ? [...shown, m.more(more)] : shown;
}

function secretaryNames(names: readonly string[]): string {
  return names.length > 0 ? names.map(escapeHtml).join(', ') : m.noSecretaryName;
}

function scopeLines(s: ScopeSummary, today: IsoDate, limit: number): string[] {
  const lines = [m.scope(escapeHtml(s.scopeName))];
  if (s.newReports.length === 0) lines.push(m.newReportsNone);
  else {
    lines.push(
      m.newReports(s.newReports.length),
      ...capped(
        s.newReports.map((r) =>
          r.kind === 'congress'
            ? m.newCongress(escapeHtml(r.branch))
            : m.newMeeting(escapeHtml(r.branch), formatYearMonth(r.month ?? '')),
        ),
        limit,
      ),
    );
  }
  if (s.campaigns.length === 0) lines.push(m.noCampaign);
  for (const c of s.campaigns) {
    lines.push(
      m.campaign(escapeHtml(c.name), c.held, c.total),
      m.campaignDetail(c.registeredOnly, formatVnDate(c.deadline), daysBetween(today, c.deadline)),
    );
    const count = c.overdueCount ?? c.overdue.length;
    if (count === 0) lines.push(m.overdueNone);
    else {
      const named = c.overdue.map((o) =>
        o.registeredDate
          ? m.overdueNoResult(
              escapeHtml(o.branch),
              formatVnDate(o.registeredDate),
              secretaryNames(o.secretaries),
            )
          : m.overdueNoDate(escapeHtml(o.branch), secretaryNames(o.secretaries)),
      );
      lines.push(m.overdue(count), ...capped(named, limit, count));
    }
  }
  lines.push(m.meetings(formatYearMonth(s.meetings.month), s.meetings.reported, s.meetings.total));
  const unreachable = [
    ...s.unreachable.map((u) => m.unreachablePerson(escapeHtml(u.person), escapeHtml(u.branch))),
    ...s.noSecretary.map((b) => m.noSecretary(escapeHtml(b))),
  ];
  if (unreachable.length === 0) lines.push(m.unreachableNone);
  else lines.push(m.unreachable(unreachable.length), ...capped(unreachable, limit));
  return lines;
}

/** The summary as Telegram HTML; lists stop after `listLimit` names. */
export function renderDailySummary(summary: DailySummary, listLimit = 20): string {
  const blocks = [m.title(formatVnDate(summary.today))];
  for (const s of summary.scopes) blocks.push(scopeLines(s, summary.today, listLimit).join('\n'));
  if (summary.chartOff) blocks.push(m.chartOff);
  return blocks.join('\n\n');
}
