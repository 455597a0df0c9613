/**
 * Reminders and daily summaries: the part of the bot that chases branches so nobody at the
 * committee office has to. The scheduler (`jobs/`), the CLI and tests all call the same methods
 * here with the time to act for:
 *
 * - `runReminders(now)`: congress reminders per open round (stages before the deadline, the day
 *   before a registered congress, a passed date with no result, daily once overdue, and after
 *   `escalateAfterDays` one message per responsible leader listing the overdue branches), and
 *   monthly meeting reminders (before the meeting day, after the report deadline).
 * - `sendSummaries(now)`: each leader's summary once their time has come (their own or
 *   SUMMARY_AT), once a day, and each registered leaders' group's at SUMMARY_AT.
 *
 * Everything goes through the notifier under a deterministic outbox id (kind, round, branch,
 * stage or date, person; `sum-<leaderId>-<yyyymmdd>` for summaries), so a second run the same
 * day, or a run in a second process, queues nothing new. Quiet hours are the outbox's business:
 * a message queued at night waits for the morning.
 *
 * Reading: open rounds' standing comes from the reported set and the date index (two commands a
 * round), progress X/Y from the maintained counters, today's reports from the tail of the audit
 * stream, meeting figures from the monthly aggregates.
 */
import type { Queue } from 'bullmq';
import type { ChatId, Reply } from '../../chat/reply.js';
import { DEFAULT_HOLIDAYS } from '../../domain/meetings/holidays.js';
import { DEFAULT_REMINDER_RULES } from '../../domain/reminders.js';
import { bullmq } from '../../infra/bullmq.js';
import { OUTBOX_QUEUE, QUEUE_PREFIX } from '../../outbox/outbox.js';
import type { Viewer } from '../organisation.js';
import { type BadgeRunReport, runBadgeReminders } from './badgeRun.js';
import { groupCommand, summaryCommand } from './chatCommands.js';
import { runCongressReminders } from './congressRun.js';
import type { ReminderContext, ReminderServiceDeps } from './deps.js';
import { describePreferences, setChart, setSummaryTime } from './leaderSettings.js';
import { registerGroup, unregisterGroup } from './leadersGroups.js';
import { runMeetingReminders } from './meetingRun.js';
import { adminOverview, SCHEDULED_QUEUE } from './schedules.js';
import { sendSummaries, summaryFor } from './summaries.js';
import type { Answer, ReminderRunReport, SummaryRunReport } from './types.js';

export class ReminderService {
  private readonly ctx: ReminderContext;
  private queues: { scheduled: Queue; outbox: Queue } | undefined;

  constructor(private readonly deps: ReminderServiceDeps) {
    this.ctx = {
      deps,
      rules: { ...DEFAULT_REMINDER_RULES, ...deps.rules },
      holidays: deps.holidays ?? DEFAULT_HOLIDAYS,
    };
  }

  // ------------------------------------------------------------------ reminder runs

  /** Congress and meeting reminders due at `now`; what the CLI's `reminders run` does. */
  async runReminders(now: number): Promise<ReminderRunReport> {
    const congress = await this.runCongressReminders(now);
    const meetings = await this.runMeetingReminders(now);
    return { ...congress, meetings: meetings.meetings };
  }

  /** The congress reminders and escalations due at `now` (the scheduler's `reminders` run). */
  runCongressReminders(now: number): Promise<ReminderRunReport> {
    return runCongressReminders(this.ctx, now);
  }

  /** The meeting reminders due at `now` (the scheduler's `meeting-reminders` run). */
  runMeetingReminders(now: number): Promise<ReminderRunReport> {
    return runMeetingReminders(this.ctx, now);
  }

  /** Huy hiệu Đảng reminders, 45 and 15 days before an occasion (the scheduler's `badge-reminders` run). */
  runBadgeReminders(now: number): Promise<BadgeRunReport> {
    return runBadgeReminders(this.ctx, now);
  }

  // ------------------------------------------------------------------ summaries

  /**
   * Queues the daily summary of every leader whose time has come today (their own time or
   * SUMMARY_AT) and who has not had it yet today, and of every registered leaders' group once
   * SUMMARY_AT has come. Meant to run every few minutes; a repeat finds nothing to do.
   */
  sendSummaries(now: number): Promise<SummaryRunReport> {
    return sendSummaries(this.ctx, now);
  }

  /**
   * The summary of a leader's scopes (an admin's: the whole tree) as it stands at `now`, with
   * the chart unless they turned it off. Undefined for someone with neither role.
   */
  summaryFor(personId: number, now: number): Promise<Reply | undefined> {
    return summaryFor(this.ctx, personId, now);
  }

  // ------------------------------------------------------------------ chat commands

  /**
   * `/tomtat [tat_bieudo | bat_bieudo | gio HH:MM]`: the summary now, or the leader's own
   * summary settings.
   */
  summaryCommand(viewer: Viewer, args: string): Promise<Reply[]> {
    return summaryCommand(this.ctx, viewer, args);
  }

  /** `/nhomlanhdao [MÃ | xoa]` in a group: registers it for a scope's summary, or stops it. */
  groupCommand(viewer: Viewer, chat: { id: ChatId; isGroup: boolean }, args: string): Promise<Reply[]> {
    return groupCommand(this.ctx, viewer, chat, args);
  }

  // ------------------------------------------------------------------ leaders' own settings

  /** A leader's summary time and chart setting, in words. */
  describePreferences(viewer: Viewer): Promise<Answer> {
    return describePreferences(this.deps, viewer);
  }

  /** Turns the chart of the leader's daily summary on or off. */
  setChart(viewer: Viewer, on: boolean): Promise<Answer> {
    return setChart(this.deps, viewer, on);
  }

  /** Moves the leader's daily summary to `timeText` ("18:30", "18h30"). */
  setSummaryTime(viewer: Viewer, timeText: string): Promise<Answer> {
    return setSummaryTime(this.deps, viewer, timeText);
  }

  // ------------------------------------------------------------------ leaders' groups

  /**
   * `/nhomlanhdao [MÃ]` in a group: an admin registers the group for a scope's summary (the
   * whole tree when no code is given). Running it again moves the group to another scope.
   */
  registerGroup(
    viewer: Viewer,
    chat: { id: ChatId; title?: string; isGroup: boolean },
    unitCode?: string,
  ): Promise<Answer> {
    return registerGroup(this.deps, viewer, chat, unitCode);
  }

  /** `/nhomlanhdao xoa`: the group stops receiving the summary. */
  unregisterGroup(viewer: Viewer, chat: { id: ChatId; isGroup: boolean }): Promise<Answer> {
    return unregisterGroup(this.deps, viewer, chat);
  }

  // ------------------------------------------------------------------ /lichgui

  /** Upcoming runs, the last ones, queue health and unreachable people, for admins. */
  adminOverview(viewer: Viewer): Promise<Answer> {
    return adminOverview(this.deps, () => this.bullQueues(), viewer);
  }

  /** BullMQ handles on the shared connection, made on first use (nothing of their own to close). */
  private bullQueues(): { scheduled: Queue; outbox: Queue } {
    const { Queue } = bullmq();
    this.queues ??= {
      scheduled: new Queue(SCHEDULED_QUEUE, { connection: this.deps.redis, prefix: QUEUE_PREFIX }),
      outbox: new Queue(OUTBOX_QUEUE, { connection: this.deps.redis, prefix: QUEUE_PREFIX }),
    };
    return this.queues;
  }
}
