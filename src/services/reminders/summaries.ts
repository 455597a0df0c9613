/**
 * Daily summaries: each leader's once their time has come, each registered leaders' group's
 * at SUMMARY_AT, and a leader's on demand. A summary is one reply: its text as markup and, unless
 * the leader turned it off, the chart as a photo.
 */
import type { Reply } from '../../chat/reply.js';
import type { DailySummary, ScopeSummary } from '../../domain/summary.js';
import type { Unit } from '../../domain/units.js';
import { formatVnDate, type IsoDate } from '../../domain/vn.js';
import type { ProgressChart } from '../../exports/chart.js';
import { msg } from '../../messages/index.js';
import { outboxId } from '../../outbox/outbox.js';
import type { SummaryPreferences } from '../../store/reminders.js';
import { BADGE_REMINDER_DAYS, nextOccasionWithin } from './badgeRun.js';
import { calendarFor, minuteOfDay, type ReminderContext, todayAt } from './deps.js';
import { type Failure, failIfAny, isolated } from './runParts.js';
import { SummaryReading } from './summaryReading.js';
import { SUMMARY_NAMES_MAX, type SummaryRunReport } from './types.js';

const m = msg.reminders;

/** The name this run's last run is kept under (and its scheduler's id, `jobs/names.ts`). */
const DAILY_SUMMARY_RUN = 'daily-summary';

/**
 * What one run works out once for all its leaders: members due at the next occasion per scope
 * (a province's list takes a second or two), and each chart's PNG (the leaders of one unit get
 * the same chart).
 */
interface RunCache {
  badges: Map<string, Promise<number>>;
  charts: Map<string, Promise<Buffer>>;
}
const runCache = (): RunCache => ({ badges: new Map(), charts: new Map() });

/** The next occasion within 45 days and how many of the scopes' members are due at it, or undefined. */
async function badgesDue(
  ctx: ReminderContext,
  scopes: readonly Unit[],
  today: IsoDate,
  cache: RunCache['badges'],
): Promise<{ occasion: IsoDate; days: number; due: number } | undefined> {
  const members = ctx.deps.members;
  const next = nextOccasionWithin(today, BADGE_REMINDER_DAYS[0]);
  if (!members || !next) return undefined;
  let due = 0;
  for (const scope of scopes) {
    let count = cache.get(scope.code);
    if (!count) {
      count = members.badgesIn(scope, next.occasion).then((l) => l.rows.length);
      cache.set(scope.code, count);
    }
    due += await count;
  }
  return { ...next, due };
}

/**
 * Queues the daily summary of every leader whose time has come today (their own time or
 * SUMMARY_AT) and who has not had it yet today, and of every registered leaders' group once
 * SUMMARY_AT has come. Meant to run every few minutes; a repeat finds nothing to do.
 */
export async function sendSummaries(ctx: ReminderContext, now: number): Promise<SummaryRunReport> {
  const { deps } = ctx;
  const today = todayAt(ctx, now);
  const minute = minuteOfDay(ctx, now);
  const report: SummaryRunReport = { today, queued: 0, alreadySent: 0, notYet: 0 };
  const leaders = (await deps.org.people.list({ role: 'leader' })).filter(
    (p) => p.status === 'active' && p.roles.some((r) => r.kind === 'leader'),
  );
  const ids = leaders.map((p) => p.id);
  const [prefs, sent] = await Promise.all([
    deps.store.preferencesOf(ids),
    deps.store.summariesSent(
      today,
      ids.map((person) => ({ person })),
    ),
  ]);
  const reading = new SummaryReading(deps, today, now);
  const cache = runCache();
  const stamp = today.replace(/-/g, '');
  // One leader's failure must not hold back the others; it is retried at the next check.
  const failures: Failure[] = [];
  for (const [i, leader] of leaders.entries()) {
    if (sent[i]) {
      report.alreadySent++;
      continue;
    }
    const pref = prefs.get(leader.id) ?? {};
    if (minute < (pref.time ?? deps.config.summaryAt)) {
      report.notYet++;
      continue;
    }
    await isolated(failures, { leader: leader.id }, async () => {
      const leaderRoles = leader.roles.filter((r) => r.kind === 'leader');
      const scopes = await deps.org.viewScopes({ id: leader.id, roles: leaderRoles });
      const message = await compose(ctx, scopes, reading, pref, cache);
      if (message) {
        const r = await deps.notifier.toPerson(leader.id, message, {
          id: outboxId(`sum-${leader.id}-${stamp}`),
          purpose: 'summary',
        });
        if (r.queued) report.queued++;
        else report.alreadySent++;
      }
      await deps.store.markSummarySent(today, { person: leader.id });
    });
  }

  const groups = await deps.store.groups();
  const groupSent = await deps.store.summariesSent(
    today,
    groups.map((g) => ({ group: g.chatId })),
  );
  for (const [i, group] of groups.entries()) {
    if (groupSent[i]) {
      report.alreadySent++;
      continue;
    }
    if (minute < deps.config.summaryAt) {
      report.notYet++;
      continue;
    }
    await isolated(failures, { group: group.chatId }, async () => {
      const unit = await deps.org.units.get(group.scope);
      const message = unit ? await compose(ctx, [unit], reading, {}, cache) : undefined;
      if (message) {
        const r = await deps.notifier.toChat(group.chatId, message, {
          id: outboxId(`sum-nhom${group.chatId}-${stamp}`),
          purpose: 'summary',
        });
        if (r.queued) report.queued++;
        else report.alreadySent++;
      }
      await deps.store.markSummarySent(today, { group: group.chatId });
    });
  }
  await deps.store.recordRun(DAILY_SUMMARY_RUN, { at: now, queued: report.queued });
  failIfAny(deps.log, failures, 'daily summaries');
  return report;
}

/**
 * The summary of a leader's scopes (an admin's: the whole tree) as it stands at `now`, with
 * the chart unless they turned it off. Undefined for someone with neither role.
 */
export async function summaryFor(
  ctx: ReminderContext,
  personId: number,
  now: number,
): Promise<Reply | undefined> {
  const { deps } = ctx;
  const viewer = await deps.org.viewer(personId);
  const roles = deps.org.isAdmin(viewer) ? viewer.roles : viewer.roles.filter((r) => r.kind === 'leader');
  if (roles.length === 0) return undefined;
  const scopes = await deps.org.viewScopes({ id: personId, roles });
  const prefs = await deps.store.preferences(personId);
  return compose(ctx, scopes, new SummaryReading(deps, todayAt(ctx, now), now), prefs);
}

async function compose(
  ctx: ReminderContext,
  scopes: readonly Unit[],
  reading: SummaryReading,
  prefs: SummaryPreferences,
  cache: RunCache = runCache(),
): Promise<Reply | undefined> {
  const [first] = scopes;
  if (!first) return undefined;
  const summaries: ScopeSummary[] = [];
  let chart: ProgressChart | undefined;
  for (const scope of scopes) {
    const r = await reading.scope(scope, (s) => calendarFor(ctx, s));
    summaries.push(r.summary);
    chart ??= r.chart;
  }
  const wantsChart = prefs.chart !== false;
  const badges = await badgesDue(ctx, scopes, reading.today, cache.badges);
  const summary: DailySummary = {
    today: reading.today,
    scopes: summaries,
    chartOff: !wantsChart,
    ...(badges ? { badges } : {}),
  };
  const text = m.dailySummary(summary, SUMMARY_NAMES_MAX);
  if (!wantsChart || !chart) return { text };
  const key = JSON.stringify(chart);
  let png = cache.charts.get(key);
  if (!png) {
    // The chart renderer (resvg and its fonts) loads with the first chart, not at start.
    png = import('../../exports/chart.js').then((c) => c.progressChartPng(chart, m.chart));
    cache.charts.set(key, png);
  }
  return {
    text,
    photo: {
      filename: 'tien-do.png',
      bytes: await png,
      caption: m.chart.caption(first.name, formatVnDate(reading.today)),
    },
  };
}
