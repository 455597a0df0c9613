/**
 * The scheduled jobs as admins see them (`/lichgui`): each scheduler's next run, the last runs,
 * queue health and how many people Telegram refuses.
 */
import type { Queue } from 'bullmq';
import { dayjs, formatTimeOfDay, type IsoDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import type { ReminderServiceDeps } from './deps.js';
import type { Answer } from './types.js';

const m = msg.reminders;

/** The queue the scheduled jobs (reminder runs, summary checks) run on. */
export const SCHEDULED_QUEUE = 'scheduled';

/** One scheduler as an admin sees it. */
export interface ScheduleView {
  id: string;
  pattern: string | undefined;
  tz: string | undefined;
  /** Next run, UTC ms. */
  next: number | undefined;
  /** Next run on the scheduler's own local calendar. */
  nextLocal: { date: IsoDate; time: string } | undefined;
}

export type QueueCounts = Record<'waiting' | 'delayed' | 'active' | 'completed' | 'failed', number>;

/** What `/lichgui` shows: each scheduler's next run, and how the queues stand. */
export interface SchedulesOverview {
  schedules: ScheduleView[];
  counts: QueueCounts;
  /** The outbox's counts, when its queue was given. */
  outbox?: QueueCounts;
}

async function countsOf(queue: Queue): Promise<QueueCounts> {
  const c = await queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
  return {
    waiting: c.waiting ?? 0,
    delayed: c.delayed ?? 0,
    active: c.active ?? 0,
    completed: c.completed ?? 0,
    failed: c.failed ?? 0,
  };
}

/** The schedulers by next run, with queue counts (and the outbox's, if given). */
export async function listSchedules(queue: Queue, opts: { outbox?: Queue } = {}): Promise<SchedulesOverview> {
  const schedulers = await queue.getJobSchedulers(0, -1, true);
  const schedules = schedulers.map((s): ScheduleView => {
    const local = s.next !== undefined ? dayjs(s.next).tz(s.tz ?? 'UTC') : undefined;
    return {
      id: s.key,
      pattern: s.pattern,
      tz: s.tz,
      next: s.next,
      nextLocal: local ? { date: local.format('YYYY-MM-DD'), time: local.format('HH:mm') } : undefined,
    };
  });
  const overview: SchedulesOverview = { schedules, counts: await countsOf(queue) };
  if (opts.outbox) overview.outbox = await countsOf(opts.outbox);
  return overview;
}

/**
 * Upcoming runs, the last ones, queue health and unreachable people, for admins. The queues are
 * asked for only once the viewer is known to be an admin, so others never open them.
 */
export async function adminOverview(
  deps: Pick<ReminderServiceDeps, 'org' | 'store' | 'deliveries' | 'config'>,
  bullQueues: () => { scheduled: Queue; outbox: Queue },
  viewer: Viewer,
): Promise<Answer> {
  if (!deps.org.isAdmin(viewer))
    return { ok: false, text: viewer.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly };
  const queues = bullQueues();
  const [overview, lastRuns, unreachable] = await Promise.all([
    listSchedules(queues.scheduled, { outbox: queues.outbox }),
    deps.store.lastRuns(),
    deps.deliveries.listUnreachable(),
  ]);
  const s = m.schedules;
  const tz = deps.config.timezone;
  const when = (ms: number) => dayjs(ms).tz(tz).format('DD/MM/YYYY HH:mm');
  const lines: string[] = [s.title];
  const schedules = [...overview.schedules].sort((a, b) => (a.next ?? 0) - (b.next ?? 0));
  if (schedules.length === 0) lines.push(s.none);
  for (const v of schedules) {
    lines.push(s.next(s.names[v.id] ?? v.id, v.next !== undefined ? when(v.next) : '—'));
  }
  lines.push(s.summaryTimes(formatTimeOfDay(deps.config.summaryAt)));
  const quiet = deps.config.quietHours;
  lines.push(quiet ? s.quietHours(formatTimeOfDay(quiet.from), formatTimeOfDay(quiet.to)) : s.quietOff);
  lines.push('', s.lastRunsTitle);
  if (lastRuns.size === 0) lines.push(s.neverRun);
  // Every run that recorded itself, in the order the catalogue names them (unnamed ones last).
  const named = Object.keys(s.names);
  const rank = (id: string) => (named.includes(id) ? named.indexOf(id) : named.length);
  const runs = [...lastRuns].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  for (const [id, run] of runs) lines.push(s.lastRun(s.names[id] ?? id, when(run.at), run.queued));
  const out = overview.outbox;
  lines.push('');
  if (out) lines.push(s.queue(s.outboxQueue, out.waiting + out.active, out.delayed, out.failed));
  const c = overview.counts;
  lines.push(s.queue(s.scheduledQueue, c.waiting + c.active, c.delayed, c.failed));
  lines.push(s.unreachable(unreachable.filter((u) => u.chatId > 0).length));
  return { ok: true, text: lines.join('\n') };
}
