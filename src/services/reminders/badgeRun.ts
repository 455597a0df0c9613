/**
 * Huy hiệu Đảng reminders: 45 and 15 days before each occasion (3/2, 19/5, 2/9, 7/11), through
 * the outbox,
 * - to each branch with members due: its secretaries (or, with none bound, its deputies), naming
 *   the members, so they prepare the hồ sơ;
 * - to each leader: how many are due in their scope, unit by unit (the units right below the
 *   scope).
 * Outbox ids carry the occasion, the stage and the person, so a second run the same day (or in a
 * second process) queues nothing new.
 */
import type { BadgeRow } from '../../domain/members/badgeList.js';
import { occasionOnOrAfter } from '../../domain/members/standing.js';
import { daysBetween, type IsoDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import { outboxId, type SendResult } from '../../outbox/outbox.js';
import { type ReminderContext, todayAt } from './deps.js';
import { addAll, emptyTally, inParallel } from './runParts.js';
import { branchContacts } from './standing.js';
import type { RunTally } from './types.js';

/** Days before an occasion on which the reminders go. */
export const BADGE_REMINDER_DAYS = [45, 15] as const;

/** The name this run's last run is kept under (and its scheduler's id, `jobs/names.ts`). */
const BADGE_REMINDERS_RUN = 'badge-reminders';

export interface BadgeRunReport {
  today: IsoDate;
  /** The occasion reminded of, when today is one of the reminder days. */
  occasion?: IsoDate;
  secretaries: RunTally;
  leaders: RunTally;
}

/** The next occasion and the days left to it, when it is within `days` (today on the occasion: 0). */
export function nextOccasionWithin(
  today: IsoDate,
  days: number,
): { occasion: IsoDate; days: number } | undefined {
  const occasion = occasionOnOrAfter(today);
  const left = daysBetween(today, occasion);
  return left <= days ? { occasion, days: left } : undefined;
}

/** The badge reminders due at `now` (the scheduler's `badge-reminders` run). */
export async function runBadgeReminders(ctx: ReminderContext, now: number): Promise<BadgeRunReport> {
  const { deps } = ctx;
  const today = todayAt(ctx, now);
  const occasion = occasionOnOrAfter(today);
  const days = daysBetween(today, occasion);
  const report: BadgeRunReport = { today, secretaries: emptyTally(), leaders: emptyTally() };
  const root = await deps.org.units.root();
  if (!root || !deps.members || !(BADGE_REMINDER_DAYS as readonly number[]).includes(days)) {
    await deps.store.recordRun(BADGE_REMINDERS_RUN, { at: now, queued: 0 });
    return report;
  }
  report.occasion = occasion;
  const list = await deps.members.badgesIn(root, occasion);
  const byBranch = new Map<string, BadgeRow[]>();
  for (const row of list.rows) {
    const rows = byBranch.get(row.unit.code) ?? [];
    rows.push(row);
    byBranch.set(row.unit.code, rows);
  }
  const stamp = occasion.replace(/-/g, '');

  // Secretaries: the members of their branch, by name.
  const codes = [...byBranch.keys()];
  const { units, secretaries, deputies } = await branchContacts(deps.org, codes);
  const sends: (() => Promise<SendResult>)[] = [];
  for (const [branch, rows] of byBranch) {
    const name = units.get(branch)?.name ?? branch;
    const text = msg.memberChat.badgeReminder(
      name,
      occasion,
      days,
      rows.map((r) => `${r.member.fullName} (${r.milestone} năm)`),
    );
    const secs = secretaries.get(branch) ?? [];
    for (const person of secs.length > 0 ? secs : (deputies.get(branch) ?? [])) {
      const id = outboxId('rem-hh', stamp, days, branch, person);
      sends.push(() => deps.notifier.toPerson(person, text, { id, purpose: 'reminder' }));
    }
  }
  addAll(report.secretaries, await inParallel(sends));

  // Leaders: a count per unit right below each of their scopes.
  const ancestors = await deps.org.units.ancestorsMany(codes);
  const leaders = (await deps.org.people.list({ role: 'leader' })).filter((p) => p.status === 'active');
  const leaderSends: (() => Promise<SendResult>)[] = [];
  for (const leader of leaders) {
    const roles = leader.roles.filter((r) => r.kind === 'leader');
    if (roles.length === 0) continue;
    for (const scope of await deps.org.viewScopes({ id: leader.id, roles })) {
      const perUnit = new Map<string, number>();
      let total = 0;
      for (const [branch, rows] of byBranch) {
        const chain = [...(ancestors.get(branch) ?? []), branch];
        const at = chain.indexOf(scope.code);
        if (at < 0) continue;
        const below = chain[at + 1] ?? branch;
        perUnit.set(below, (perUnit.get(below) ?? 0) + rows.length);
        total += rows.length;
      }
      if (total === 0) continue;
      const names = await deps.org.units.getMany([...perUnit.keys()]);
      const lines = [...perUnit]
        .map(([code, count]) => ({ name: names.get(code)?.name ?? code, count }))
        .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'vi'));
      const text = msg.memberChat.badgeLeaderReminder(scope.name, occasion, days, lines, total);
      const id = outboxId('rem-hh-ld', stamp, days, scope.code, leader.id);
      leaderSends.push(() => deps.notifier.toPerson(leader.id, text, { id, purpose: 'reminder' }));
    }
  }
  addAll(report.leaders, await inParallel(leaderSends));
  await deps.store.recordRun(BADGE_REMINDERS_RUN, {
    at: now,
    queued: report.secretaries.queued + report.leaders.queued,
  });
  deps.log.info(
    { occasion, days, secretaries: report.secretaries, leaders: report.leaders },
    'badge reminders run',
  );
  return report;
}
