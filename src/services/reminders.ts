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
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { type ChartBar, type ProgressChart, progressChartPng } from '../domain/chart.js';
import { type Campaign, isCampaignOpen } from '../domain/congress/campaign.js';
import { formatRegistrationWhen, type Registration } from '../domain/congress/registration.js';
import {
  type BranchCongressState,
  type CongressReminder,
  congressReminderDue,
  DEFAULT_REMINDER_RULES,
  type MeetingReminder,
  meetingRemindersDue,
  type ReminderRules,
} from '../domain/reminders.js';
import { defaultProgressMonth, formatYearMonth, type YearMonth } from '../domain/sinhHoat/calendar.js';
import { DEFAULT_HOLIDAYS, type HolidayCalendar, withLocalDaysOff } from '../domain/sinhHoat/holidays.js';
import type { MeetingSettings } from '../domain/sinhHoat/settings.js';
import {
  type CampaignProgress,
  type DailySummary,
  type NewReport,
  type OverdueBranch,
  renderDailySummary,
  type ScopeSummary,
} from '../domain/summary.js';
import { escapeHtml } from '../domain/text.js';
import { isBranch, type Unit } from '../domain/units.js';
import {
  calendarDate,
  dayjs,
  formatTimeOfDay,
  formatVnDate,
  type IsoDate,
  parseTimeOfDay,
} from '../domain/vn.js';
import type { Clock } from '../infra/clock.js';
import type { Logger } from '../logger.js';
import { msg } from '../messages/index.js';
import type { DeliveryStore } from '../outbox/deliveries.js';
import { OUTBOX_QUEUE, outboxId, QUEUE_PREFIX, type SendResult } from '../outbox/outbox.js';
import type { OutboxAttachment } from '../outbox/types.js';
import type { CampaignStore } from '../store/campaigns.js';
import type { CongressStore } from '../store/congress.js';
import type { Person } from '../store/people.js';
import type { ReminderStore, ReportEvent, SummaryPreferences } from '../store/reminders.js';
import type { SinhHoatStore } from '../store/sinhHoat.js';
import type { MeetingService } from './meetings/index.js';
import type { Notifier } from './notifier.js';
import { type Organisation, personName, type Viewer } from './organisation.js';

const m = msg.reminders;

/** The queue the scheduled jobs (reminder runs, summary checks) run on. */
export const SCHEDULED_QUEUE = 'scheduled';

/** Names of the runs as the last-run record and `/lichgui` know them (the scheduler ids). */
export const RUN_NAMES = {
  reminders: 'reminders',
  dailySummary: 'daily-summary',
  meetingReminders: 'meeting-reminders',
} as const;

/** Overdue branches and unreachable secretaries named in a summary before "… và N chi bộ khác". */
export const SUMMARY_NAMES_MAX = 20;
/** Branches named in one escalation message per round. */
export const ESCALATION_NAMES_MAX = 30;
/** Sends and reads in flight at once during a run. */
const PARALLEL = 50;

/** How one run went: messages newly queued, already queued before (a repeat), held by quiet hours. */
export interface RunTally {
  queued: number;
  repeated: number;
  deferred: number;
}

export interface ReminderRunReport {
  today: IsoDate;
  congress: RunTally;
  escalations: RunTally;
  meetings: RunTally;
}

export interface SummaryRunReport {
  today: IsoDate;
  /** Leaders and groups whose summary was queued now. */
  queued: number;
  /** Already queued today (by this or another process). */
  alreadySent: number;
  /** Their time has not come yet today. */
  notYet: number;
}

/** A summary ready to send: Telegram HTML, and the chart unless turned off or there is none. */
export interface SummaryMessage {
  text: string;
  photo?: OutboxAttachment;
}

export type Outcome = { ok: boolean; text: string };

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

export interface ReminderServiceDeps {
  org: Organisation;
  campaigns: CampaignStore;
  congress: CongressStore;
  sinhHoat: SinhHoatStore;
  /** For each scope's meeting settings (its own, inherited, or the deployment's). */
  meetings: Pick<MeetingService, 'settingsFor'>;
  store: ReminderStore;
  deliveries: Pick<DeliveryStore, 'listUnreachable'>;
  notifier: Notifier;
  /** The shared connection, for reading the queues' health (BullMQ on it, nothing to close). */
  redis: Redis;
  clock: Clock;
  config: Pick<Config, 'timezone' | 'summaryAt' | 'quietHours'>;
  log: Logger;
  /** @defaultValue the national calendar */
  holidays?: HolidayCalendar;
  /** @defaultValue `DEFAULT_REMINDER_RULES` */
  rules?: Partial<ReminderRules>;
}

/** A round's standing: who reported, and the registered dates of those who have not yet. */
interface RoundStanding {
  reported: ReadonlySet<string>;
  registered: ReadonlyMap<string, Registration>;
}

/** Leaders and their overdue branches, collected during a run for the escalation messages. */
type Escalations = Map<number, Map<string, EscalatedRound>>;
interface EscalatedRound {
  campaign: Campaign;
  /** One entry per overdue branch: what is missing, and who its secretaries are. */
  lines: string[];
}

export class ReminderService {
  private readonly rules: ReminderRules;
  private readonly holidays: HolidayCalendar;
  private queues: { scheduled: Queue; outbox: Queue } | undefined;

  constructor(private readonly deps: ReminderServiceDeps) {
    this.rules = { ...DEFAULT_REMINDER_RULES, ...deps.rules };
    this.holidays = deps.holidays ?? DEFAULT_HOLIDAYS;
  }

  private today(now: number): IsoDate {
    return calendarDate(now, this.deps.config.timezone);
  }

  private minuteOfDay(now: number): number {
    const local = dayjs(now).tz(this.deps.config.timezone);
    return local.hour() * 60 + local.minute();
  }

  // ------------------------------------------------------------------ reminder runs

  /** Congress and meeting reminders due at `now`; what the CLI's `reminders run` does. */
  async runReminders(now: number): Promise<ReminderRunReport> {
    const congress = await this.runCongressReminders(now);
    const meetings = await this.runMeetingReminders(now);
    return { ...congress, meetings: meetings.meetings };
  }

  /** The congress reminders and escalations due at `now` (the scheduler's `reminders` run). */
  async runCongressReminders(now: number): Promise<ReminderRunReport> {
    const today = this.today(now);
    const congress = emptyTally();
    const escalations: Escalations = new Map();
    const rounds = (await this.deps.campaigns.listCampaigns())
      .filter((c) => isCampaignOpen(c, today))
      .sort(byDeadline);
    // A round that fails does not stop the others; the run fails at the end, and its retry
    // queues only what is still missing.
    const failures: Failure[] = [];
    for (const campaign of rounds) {
      await isolated(failures, { campaign: campaign.id }, () =>
        this.remindRound(campaign, today, congress, escalations),
      );
    }
    const escalated = await this.sendEscalations(escalations, today);
    await this.deps.store.recordRun(RUN_NAMES.reminders, {
      at: now,
      queued: congress.queued + escalated.queued,
    });
    this.deps.log.info({ today, congress, escalations: escalated }, 'congress reminders run');
    this.failIfAny(failures, 'congress reminders');
    return { today, congress, escalations: escalated, meetings: emptyTally() };
  }

  private async remindRound(
    campaign: Campaign,
    today: IsoDate,
    tally: RunTally,
    escalations: Escalations,
  ): Promise<void> {
    const [holidays, branches, standing] = await Promise.all([
      this.holidaysFor(campaign.scope),
      this.deps.org.units.branchesUnder(campaign.scope),
      this.standing(campaign),
    ]);
    const due: { branch: string; reminder: CongressReminder }[] = [];
    for (const branch of branches) {
      const reminder = congressReminderDue({
        today,
        campaign,
        state: stateOf(standing, branch),
        holidays,
        rules: this.rules,
      });
      if (reminder) due.push({ branch, reminder });
    }
    if (due.length === 0) return;
    const codes = due.map((d) => d.branch);
    const [units, secretaries, deputies] = await Promise.all([
      this.deps.org.units.getMany(codes),
      this.holdersOf(codes, 'secretary'),
      this.holdersOf(codes, 'deputy'),
    ]);
    const sends: (() => Promise<SendResult>)[] = [];
    for (const { branch, reminder } of due) {
      const name = units.get(branch)?.name ?? branch;
      const text = `${m.congress.title(campaign.name)}\n${congressText(campaign, name, reminder)}`;
      const people = new Set([...(secretaries.get(branch) ?? []), ...(deputies.get(branch) ?? [])]);
      for (const personId of people) {
        const id = outboxId('rem-dh', reminder.kind, campaign.id, branch, reminder.stage, personId);
        sends.push(() => this.deps.notifier.toPerson(personId, text, { id, purpose: 'reminder' }));
      }
    }
    addAll(tally, await inParallel(sends));

    const escalate = due.filter((d) => d.reminder.escalate);
    if (escalate.length === 0) return;
    const ancestors = await this.deps.org.units.ancestorsMany(escalate.map((d) => d.branch));
    const names = await this.namesOf([...new Set(escalate.flatMap((d) => secretaries.get(d.branch) ?? []))]);
    for (const { branch, reminder } of escalate) {
      const leaders = await this.deps.org.people.responsibleLeaders(branch, ancestors.get(branch) ?? []);
      if (!leaders) continue;
      const name = units.get(branch)?.name ?? branch;
      const days = reminder.daysOverdue ?? 0;
      const head = reminder.registration
        ? m.escalation.noResult(name, formatVnDate(reminder.registration.date), days)
        : m.escalation.noDate(name, days);
      const secs = (secretaries.get(branch) ?? []).map((id) => names.get(id) ?? `id ${id}`);
      const line = [
        head,
        secs.length > 0 ? m.escalation.secretaries(secs.join(', ')) : m.escalation.noSecretary,
      ];
      for (const leaderId of leaders.people) {
        const byRound = escalations.get(leaderId) ?? new Map<string, EscalatedRound>();
        const entry = byRound.get(campaign.id) ?? { campaign, lines: [] };
        entry.lines.push(line.join('\n'));
        byRound.set(campaign.id, entry);
        escalations.set(leaderId, byRound);
      }
    }
  }

  /** One message per leader per day, listing their overdue branches round by round. */
  private async sendEscalations(escalations: Escalations, today: IsoDate): Promise<RunTally> {
    const sends: (() => Promise<SendResult>)[] = [];
    for (const [leaderId, byRound] of escalations) {
      const parts: string[] = [m.escalation.title];
      for (const { campaign, lines } of byRound.values()) {
        const shown = lines.slice(0, ESCALATION_NAMES_MAX);
        if (lines.length > shown.length) shown.push(m.escalation.more(lines.length - shown.length));
        parts.push(
          `${m.escalation.campaign(campaign.name, formatVnDate(campaign.deadline))}\n${shown.join('\n')}`,
        );
      }
      parts.push(m.escalation.footer);
      const id = outboxId('rem-dh-lanhdao', leaderId, today);
      sends.push(() =>
        this.deps.notifier.toPerson(leaderId, parts.join('\n\n'), { id, purpose: 'reminder' }),
      );
    }
    const tally = emptyTally();
    addAll(tally, await inParallel(sends));
    return tally;
  }

  /** The meeting reminders due at `now` (the scheduler's `meeting-reminders` run). */
  async runMeetingReminders(now: number): Promise<ReminderRunReport> {
    const today = this.today(now);
    const tally = emptyTally();
    const root = await this.deps.org.units.root();
    const branches = root ? await this.deps.org.units.branchesUnder(root.code) : [];
    const settings = await inParallel(branches.map((b) => () => this.deps.meetings.settingsFor(b)));
    // Most branches share their settings; plan each distinct calendar once.
    const plans = new Map<string, MeetingReminder[]>();
    const byMonth = new Map<YearMonth, { branch: string; reminder: MeetingReminder }[]>();
    branches.forEach((branch, i) => {
      const s = settings[i]?.settings;
      if (!s) return;
      const key = JSON.stringify(s);
      let plan = plans.get(key);
      if (!plan) {
        plan = meetingRemindersDue({ today, settings: s, holidays: this.calendar(s), rules: this.rules });
        plans.set(key, plan);
      }
      for (const reminder of plan) {
        const list = byMonth.get(reminder.month) ?? [];
        list.push({ branch, reminder });
        byMonth.set(reminder.month, list);
      }
    });
    const due: { branch: string; reminder: MeetingReminder }[] = [];
    for (const [month, list] of byMonth) {
      const reported = await this.deps.sinhHoat.reportedAmong(
        month,
        list.map((d) => d.branch),
      );
      for (const d of list) if (!reported.has(d.branch)) due.push(d);
    }
    if (due.length > 0) {
      const codes = [...new Set(due.map((d) => d.branch))];
      const [units, secretaries, deputies] = await Promise.all([
        this.deps.org.units.getMany(codes),
        this.holdersOf(codes, 'secretary'),
        this.holdersOf(codes, 'deputy'),
      ]);
      const sends: (() => Promise<SendResult>)[] = [];
      for (const { branch, reminder } of due) {
        const name = units.get(branch)?.name ?? branch;
        const text = meetingText(name, reminder);
        // The secretaries report; a branch with none bound is reminded through its deputies.
        const secs = secretaries.get(branch) ?? [];
        for (const personId of secs.length > 0 ? secs : (deputies.get(branch) ?? [])) {
          const id = outboxId('rem-sh', reminder.kind, branch, reminder.month, reminder.stage, personId);
          sends.push(() => this.deps.notifier.toPerson(personId, text, { id, purpose: 'reminder' }));
        }
      }
      addAll(tally, await inParallel(sends));
    }
    await this.deps.store.recordRun(RUN_NAMES.meetingReminders, { at: now, queued: tally.queued });
    this.deps.log.info({ today, meetings: tally }, 'meeting reminders run');
    return { today, congress: emptyTally(), escalations: emptyTally(), meetings: tally };
  }

  // ------------------------------------------------------------------ summaries

  /**
   * Queues the daily summary of every leader whose time has come today (their own time or
   * SUMMARY_AT) and who has not had it yet today, and of every registered leaders' group once
   * SUMMARY_AT has come. Meant to run every few minutes; a repeat finds nothing to do.
   */
  async sendSummaries(now: number): Promise<SummaryRunReport> {
    const today = this.today(now);
    const minute = this.minuteOfDay(now);
    const report: SummaryRunReport = { today, queued: 0, alreadySent: 0, notYet: 0 };
    const leaders = (await this.deps.org.people.list({ role: 'leader' })).filter(
      (p) => p.status === 'active' && p.roles.some((r) => r.kind === 'leader'),
    );
    const ids = leaders.map((p) => p.id);
    const [prefs, sent] = await Promise.all([
      this.deps.store.preferencesOf(ids),
      this.deps.store.summariesSent(
        today,
        ids.map((person) => ({ person })),
      ),
    ]);
    const reading = new SummaryReading(this.deps, today, now);
    const stamp = today.replace(/-/g, '');
    // One leader's failure must not hold back the others; it is retried at the next check.
    const failures: Failure[] = [];
    for (const [i, leader] of leaders.entries()) {
      if (sent[i]) {
        report.alreadySent++;
        continue;
      }
      const pref = prefs.get(leader.id) ?? {};
      if (minute < (pref.time ?? this.deps.config.summaryAt)) {
        report.notYet++;
        continue;
      }
      await isolated(failures, { leader: leader.id }, async () => {
        const leaderRoles = leader.roles.filter((r) => r.kind === 'leader');
        const scopes = await this.deps.org.viewScopes({ id: leader.id, roles: leaderRoles });
        const message = await this.compose(scopes, reading, pref);
        if (message) {
          const r = await this.deps.notifier.toPerson(leader.id, message.text, {
            id: outboxId(`sum-${leader.id}-${stamp}`),
            purpose: 'summary',
            parseMode: 'HTML',
            ...(message.photo ? { photo: message.photo } : {}),
          });
          if (r.queued) report.queued++;
          else report.alreadySent++;
        }
        await this.deps.store.markSummarySent(today, { person: leader.id });
      });
    }

    const groups = await this.deps.store.groups();
    const groupSent = await this.deps.store.summariesSent(
      today,
      groups.map((g) => ({ group: g.chatId })),
    );
    for (const [i, group] of groups.entries()) {
      if (groupSent[i]) {
        report.alreadySent++;
        continue;
      }
      if (minute < this.deps.config.summaryAt) {
        report.notYet++;
        continue;
      }
      await isolated(failures, { group: group.chatId }, async () => {
        const unit = await this.deps.org.units.get(group.scope);
        const message = unit ? await this.compose([unit], reading, {}) : undefined;
        if (message) {
          const r = await this.deps.notifier.toChat(group.chatId, message.text, {
            id: outboxId(`sum-nhom${group.chatId}-${stamp}`),
            purpose: 'summary',
            parseMode: 'HTML',
            ...(message.photo ? { photo: message.photo } : {}),
          });
          if (r.queued) report.queued++;
          else report.alreadySent++;
        }
        await this.deps.store.markSummarySent(today, { group: group.chatId });
      });
    }
    await this.deps.store.recordRun(RUN_NAMES.dailySummary, { at: now, queued: report.queued });
    this.failIfAny(failures, 'daily summaries');
    return report;
  }

  /**
   * The summary of a leader's scopes (an admin's: the whole tree) as it stands at `now`, with
   * the chart unless they turned it off. Undefined for someone with neither role.
   */
  async summaryFor(personId: number, now: number): Promise<SummaryMessage | undefined> {
    const viewer = await this.deps.org.viewer(personId);
    const roles = this.deps.org.isAdmin(viewer)
      ? viewer.roles
      : viewer.roles.filter((r) => r.kind === 'leader');
    if (roles.length === 0) return undefined;
    const scopes = await this.deps.org.viewScopes({ id: personId, roles });
    const prefs = await this.deps.store.preferences(personId);
    return this.compose(scopes, new SummaryReading(this.deps, this.today(now), now), prefs);
  }

  private async compose(
    scopes: readonly Unit[],
    reading: SummaryReading,
    prefs: SummaryPreferences,
  ): Promise<SummaryMessage | undefined> {
    if (scopes.length === 0) return undefined;
    const summaries: ScopeSummary[] = [];
    let chart: ProgressChart | undefined;
    for (const scope of scopes) {
      const r = await reading.scope(scope, (s) => this.calendar(s));
      summaries.push(r.summary);
      chart ??= r.chart;
    }
    const wantsChart = prefs.chart !== false;
    const summary: DailySummary = { today: reading.today, scopes: summaries, chartOff: !wantsChart };
    const text = renderDailySummary(summary, SUMMARY_NAMES_MAX);
    if (!wantsChart || !chart) return { text };
    const png = progressChartPng(chart);
    const first = scopes[0]!;
    return {
      text,
      photo: {
        filename: 'tien-do.png',
        contentBase64: png.toString('base64'),
        // The caption goes with the summary's HTML parse mode.
        caption: m.chart.caption(escapeHtml(first.name), formatVnDate(reading.today)),
      },
    };
  }

  // ------------------------------------------------------------------ leaders' own settings

  /** Whether this person gets summaries (holds a leader role). */
  private isLeader(viewer: Viewer): boolean {
    return viewer.roles.some((r) => r.kind === 'leader');
  }

  /** A leader's summary time and chart setting, in words. */
  async describePreferences(viewer: Viewer): Promise<Outcome> {
    if (!this.isLeader(viewer)) return { ok: false, text: m.tomtat.leaderOnly };
    const prefs = await this.deps.store.preferences(viewer.id);
    return {
      ok: true,
      text: m.tomtat.settings(
        formatTimeOfDay(prefs.time ?? this.deps.config.summaryAt),
        prefs.chart !== false,
      ),
    };
  }

  /** Turns the chart of the leader's daily summary on or off. */
  async setChart(viewer: Viewer, on: boolean): Promise<Outcome> {
    if (!this.isLeader(viewer)) return { ok: false, text: m.tomtat.leaderOnly };
    await this.deps.store.setChart(viewer.id, on);
    return { ok: true, text: on ? m.tomtat.chartOn : m.tomtat.chartOff };
  }

  /** Moves the leader's daily summary to `timeText` ("18:30", "18h30"). */
  async setSummaryTime(viewer: Viewer, timeText: string): Promise<Outcome> {
    if (!this.isLeader(viewer)) return { ok: false, text: m.tomtat.leaderOnly };
    const minutes = parseTimeOfDay(timeText);
    if (minutes === undefined) return { ok: false, text: m.tomtat.badTime(timeText) };
    await this.deps.store.setTime(viewer.id, minutes);
    return { ok: true, text: m.tomtat.timeSet(formatTimeOfDay(minutes)) };
  }

  // ------------------------------------------------------------------ leaders' groups

  /**
   * `/nhomlanhdao [MÃ]` in a group: an admin registers the group for a scope's summary (the
   * whole tree when no code is given). Running it again moves the group to another scope.
   */
  async registerGroup(
    viewer: Viewer,
    chat: { id: number; title?: string; isGroup: boolean },
    unitCode?: string,
  ): Promise<Outcome> {
    if (!this.deps.org.isAdmin(viewer))
      return { ok: false, text: viewer.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly };
    if (!chat.isGroup) return { ok: false, text: m.group.groupOnly };
    const unit = unitCode ? await this.deps.org.unit(unitCode) : await this.deps.org.units.root();
    if (!unit) return { ok: false, text: unitCode ? msg.units.unknownUnit(unitCode) : msg.units.noUnits };
    await this.deps.store.setGroup({
      chatId: chat.id,
      scope: unit.code,
      ...(chat.title ? { title: chat.title } : {}),
      by: viewer.id,
      at: this.deps.clock.now(),
    });
    return { ok: true, text: m.group.registered(unit.name, formatTimeOfDay(this.deps.config.summaryAt)) };
  }

  /** `/nhomlanhdao xoa`: the group stops receiving the summary. */
  async unregisterGroup(viewer: Viewer, chat: { id: number; isGroup: boolean }): Promise<Outcome> {
    if (!this.deps.org.isAdmin(viewer))
      return { ok: false, text: viewer.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly };
    if (!chat.isGroup) return { ok: false, text: m.group.groupOnly };
    const removed = await this.deps.store.removeGroup(chat.id, viewer.id, this.deps.clock.now());
    return { ok: removed, text: removed ? m.group.removed : m.group.notRegistered };
  }

  // ------------------------------------------------------------------ /lichgui

  /** Upcoming runs, the last ones, queue health and unreachable people, for admins. */
  async adminOverview(viewer: Viewer): Promise<Outcome> {
    if (!this.deps.org.isAdmin(viewer))
      return { ok: false, text: viewer.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly };
    const queues = this.bullQueues();
    const [overview, lastRuns, unreachable] = await Promise.all([
      listSchedules(queues.scheduled, { outbox: queues.outbox }),
      this.deps.store.lastRuns(),
      this.deps.deliveries.listUnreachable(),
    ]);
    const s = m.schedules;
    const tz = this.deps.config.timezone;
    const when = (ms: number) => dayjs(ms).tz(tz).format('DD/MM/YYYY HH:mm');
    const lines: string[] = [s.title];
    const schedules = [...overview.schedules].sort((a, b) => (a.next ?? 0) - (b.next ?? 0));
    if (schedules.length === 0) lines.push(s.none);
    for (const v of schedules) {
      lines.push(s.next(s.names[v.id] ?? v.id, v.next !== undefined ? when(v.next) : '—'));
    }
    lines.push(s.summaryTimes(formatTimeOfDay(this.deps.config.summaryAt)));
    const quiet = this.deps.config.quietHours;
    lines.push(quiet ? s.quietHours(formatTimeOfDay(quiet.from), formatTimeOfDay(quiet.to)) : s.quietOff);
    lines.push('', s.lastRunsTitle);
    if (lastRuns.size === 0) lines.push(s.neverRun);
    for (const id of Object.values(RUN_NAMES)) {
      const run = lastRuns.get(id);
      if (run) lines.push(s.lastRun(s.names[id] ?? id, when(run.at), run.queued));
    }
    const out = overview.outbox;
    lines.push('');
    if (out) lines.push(s.queue(s.outboxQueue, out.waiting + out.active, out.delayed, out.failed));
    const c = overview.counts;
    lines.push(s.queue(s.scheduledQueue, c.waiting + c.active, c.delayed, c.failed));
    lines.push(s.unreachable(unreachable.filter((u) => u.chatId > 0).length));
    return { ok: true, text: lines.join('\n') };
  }

  /** Logs each failure and throws one error naming how many there were, if any. */
  private failIfAny(failures: readonly Failure[], what: string): void {
    if (failures.length === 0) return;
    for (const f of failures) this.deps.log.error({ err: f.err, ...f.what }, `${what}: one part failed`);
    throw new AggregateError(
      failures.map((f) => f.err),
      `${what}: ${failures.length} part(s) failed`,
    );
  }

  /** BullMQ handles on the shared connection, made on first use (nothing of their own to close). */
  private bullQueues(): { scheduled: Queue; outbox: Queue } {
    this.queues ??= {
      scheduled: new Queue(SCHEDULED_QUEUE, { connection: this.deps.redis, prefix: QUEUE_PREFIX }),
      outbox: new Queue(OUTBOX_QUEUE, { connection: this.deps.redis, prefix: QUEUE_PREFIX }),
    };
    return this.queues;
  }

  // ------------------------------------------------------------------ reading helpers

  /** The national calendar with a scope's own days off. */
  private calendar(settings: MeetingSettings): HolidayCalendar {
    return withLocalDaysOff(this.holidays, settings.extraDaysOff);
  }

  private async holidaysFor(unitCode: string): Promise<HolidayCalendar> {
    return this.calendar((await this.deps.meetings.settingsFor(unitCode)).settings);
  }

  private async standing(campaign: Campaign): Promise<RoundStanding> {
    return roundStanding(this.deps.congress, campaign);
  }

  private holdersOf(codes: readonly string[], kind: 'secretary' | 'deputy'): Promise<Map<string, number[]>> {
    return holdersOf(this.deps.org, codes, kind);
  }

  private async namesOf(ids: readonly number[]): Promise<Map<number, string>> {
    const people = await this.deps.org.people.getMany(ids);
    return new Map(people.map((p) => [p.id, personName(p)]));
  }
}

/**
 * What summaries read, once per run: open rounds and their standing, today's reports,
 * secretaries of branches and their records. Several leaders' summaries in one run share it.
 */
class SummaryReading {
  private rounds: Promise<Campaign[]> | undefined;
  private readonly standings = new Map<string, Promise<RoundStanding>>();
  private events: Promise<ReportEvent[]> | undefined;
  private readonly secretaries = new Map<string, number[]>();
  private readonly people = new Map<number, Person>();

  constructor(
    private readonly deps: ReminderServiceDeps,
    readonly today: IsoDate,
    private readonly now: number,
  ) {}

  private openRounds(): Promise<Campaign[]> {
    this.rounds ??= this.deps.campaigns
      .listCampaigns()
      .then((all) => all.filter((c) => isCampaignOpen(c, this.today)).sort(byDeadline));
    return this.rounds;
  }

  private standing(campaign: Campaign): Promise<RoundStanding> {
    let s = this.standings.get(campaign.id);
    if (!s) {
      s = roundStanding(this.deps.congress, campaign);
      this.standings.set(campaign.id, s);
    }
    return s;
  }

  private todaysReports() {
    if (!this.events) {
      const from = dayjs.tz(this.today, this.deps.config.timezone).startOf('day').valueOf();
      this.events = this.deps.store.reportsBetween(from, this.now);
    }
    return this.events;
  }

  /** Secretaries of `codes` and their person records, read once per branch per run. */
  private async secretariesOf(codes: readonly string[]): Promise<Map<string, number[]>> {
    const missing = codes.filter((c) => !this.secretaries.has(c));
    if (missing.length > 0) {
      const found = await holdersOf(this.deps.org, missing, 'secretary');
      const ids = [...new Set([...found.values()].flat())].filter((id) => !this.people.has(id));
      for (const p of await this.deps.org.people.getMany(ids)) this.people.set(p.id, p);
      for (const c of missing) this.secretaries.set(c, found.get(c) ?? []);
    }
    return new Map(codes.map((c) => [c, this.secretaries.get(c) ?? []]));
  }

  private nameOf(id: number): string {
    const p = this.people.get(id);
    return p ? personName(p) : `id ${id}`;
  }

  /** One scope's part of the summary, and the chart of its child units. */
  async scope(
    unit: Unit,
    calendar: (s: MeetingSettings) => HolidayCalendar,
  ): Promise<{ summary: ScopeSummary; chart?: ProgressChart }> {
    const units = this.deps.org.units;
    const [branches, ancestors, settings, rounds, events] = await Promise.all([
      units.branchesUnder(unit.code),
      units.ancestors(unit.code),
      this.deps.meetings.settingsFor(unit.code),
      this.openRounds(),
      this.todaysReports(),
    ]);
    const inScope = new Set(branches);
    const todays = events.filter((e) => inScope.has(e.branch));
    const secretaries = await this.secretariesOf(branches);

    // Rounds that cover the scope are shown for it; rounds of a unit inside it, for that unit.
    const shown: { campaign: Campaign; unit: Unit }[] = [];
    const roundScopes = await units.ancestorsMany(rounds.map((c) => c.scope));
    const roundUnits = await units.getMany(rounds.map((c) => c.scope));
    for (const c of rounds) {
      if (c.scope === unit.code || ancestors.includes(c.scope)) shown.push({ campaign: c, unit });
      else if ((roundScopes.get(c.scope) ?? []).includes(unit.code)) {
        const u = roundUnits.get(c.scope);
        if (u) shown.push({ campaign: c, unit: u });
      }
    }
    const campaigns: CampaignProgress[] = [];
    for (const { campaign, unit: at } of shown) {
      const [counters, total, standing, atBranches] = await Promise.all([
        this.deps.congress.aggregate(campaign.id, at.code),
        units.branchCount(at.code),
        this.standing(campaign),
        at.code === unit.code ? Promise.resolve(branches) : units.branchesUnder(at.code),
      ]);
      const overdue: { code: string; registeredDate?: IsoDate }[] = [];
      for (const code of atBranches) {
        if (standing.reported.has(code)) continue;
        const reg = standing.registered.get(code);
        if (reg ? reg.date < this.today : this.today > campaign.deadline) {
          overdue.push(reg ? { code, registeredDate: reg.date } : { code });
        }
      }
      // Passed registered dates first, oldest first; then the branches with no date in tree
      // order (grouped by committee), as the stable sort leaves them.
      overdue.sort((a, b) => (a.registeredDate ?? '9999').localeCompare(b.registeredDate ?? '9999'));
      const named = overdue.slice(0, SUMMARY_NAMES_MAX);
      const [names, secs] = await Promise.all([
        units.getMany(named.map((o) => o.code)),
        this.secretariesOf(named.map((o) => o.code)),
      ]);
      campaigns.push({
        name: campaign.name,
        deadline: campaign.deadline,
        held: counters.held,
        registeredOnly: counters.registeredOnly,
        total,
        overdue: named.map(
          (o): OverdueBranch => ({
            branch: names.get(o.code)?.name ?? o.code,
            ...(o.registeredDate ? { registeredDate: o.registeredDate } : {}),
            secretaries: (secs.get(o.code) ?? []).map((id) => this.nameOf(id)),
          }),
        ),
        overdueCount: overdue.length,
      });
    }

    const month = defaultProgressMonth(this.today, settings.settings, calendar(settings.settings));
    const meetingAgg = await this.deps.sinhHoat.aggregate(unit.code, month);

    // Secretaries Telegram refused, and branches where no secretary uses the bot.
    const unreachableCodes: { code: string; person: number }[] = [];
    const vacant: string[] = [];
    for (const code of branches) {
      const ids = secretaries.get(code) ?? [];
      if (ids.length === 0) vacant.push(code);
      for (const id of ids) if (this.people.get(id)?.unreachable) unreachableCodes.push({ code, person: id });
    }
    const listed = [...new Set([...unreachableCodes.map((u) => u.code), ...vacant])].slice(
      0,
      SUMMARY_NAMES_MAX * 2,
    );
    const named = await units.getMany([...new Set([...listed, ...todays.map((e) => e.branch)])]);
    const nameOf = (code: string) => named.get(code)?.name ?? code;

    const newReports: NewReport[] = todays
      .slice()
      .reverse()
      .map((e) =>
        e.kind === 'meeting' && e.month
          ? { branch: nameOf(e.branch), kind: 'meeting', month: e.month }
          : { branch: nameOf(e.branch), kind: 'congress' },
      );
    const summary: ScopeSummary = {
      scopeName: unit.name,
      newReports,
      campaigns,
      meetings: { month, reported: meetingAgg.reported, total: branches.length },
      unreachable: unreachableCodes.map((u) => ({ person: this.nameOf(u.person), branch: nameOf(u.code) })),
      noSecretary: vacant.map(nameOf),
    };
    const chart = await this.chart(unit, shown[0], month);
    return chart ? { summary, chart } : { summary };
  }

  /**
   * Progress per child unit: of the first round shown (at the unit it is shown for), or else of
   * the month's meeting reports. None for a branch, which has no child units.
   */
  private async chart(
    unit: Unit,
    round: { campaign: Campaign; unit: Unit } | undefined,
    month: YearMonth,
  ): Promise<ProgressChart | undefined> {
    const units = this.deps.org.units;
    const at = round?.unit ?? unit;
    if (isBranch(at)) return undefined;
    const codes = await units.children(at.code);
    if (codes.length === 0) return undefined;
    const [children, counts] = await Promise.all([units.getMany(codes), units.branchCounts(codes)]);
    const done = round
      ? (await this.deps.congress.aggregates(round.campaign.id, codes)).map((c) => c.held)
      : await this.deps.sinhHoat
          .aggregates(codes, month)
          .then((aggs) => codes.map((c) => aggs.get(c)?.reported ?? 0));
    const bars: ChartBar[] = [];
    codes.forEach((code, i) => {
      const total = counts.get(code) ?? 0;
      const child = children.get(code);
      if (child && total > 0) bars.push({ label: child.name, done: done[i] ?? 0, total });
    });
    if (bars.length === 0) return undefined;
    return {
      title: round
        ? m.chart.congressTitle(round.campaign.name)
        : m.chart.meetingsTitle(formatYearMonth(month)),
      subtitle: m.chart.subtitle(at.name, formatVnDate(this.today)),
      bars,
    };
  }
}

// ------------------------------------------------------------------ shared helpers

/** A part of a run that failed, with what it was about. */
interface Failure {
  what: Record<string, string | number>;
  err: unknown;
}

/** Runs one part of a run; a failure is collected instead of stopping the rest. */
async function isolated(
  failures: Failure[],
  what: Record<string, string | number>,
  part: () => Promise<void>,
): Promise<void> {
  try {
    await part();
  } catch (err) {
    failures.push({ what, err });
  }
}

function emptyTally(): RunTally {
  return { queued: 0, repeated: 0, deferred: 0 };
}

function addAll(tally: RunTally, results: readonly SendResult[]): void {
  for (const r of results) {
    if (r.queued) tally.queued++;
    else tally.repeated++;
    if (r.deferredUntil !== undefined) tally.deferred++;
  }
}

/** Runs the tasks, `PARALLEL` at a time, keeping their order in the results. */
async function inParallel<T>(tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < tasks.length; i += PARALLEL) {
    out.push(...(await Promise.all(tasks.slice(i, i + PARALLEL).map((t) => t()))));
  }
  return out;
}

function byDeadline(a: Campaign, b: Campaign): number {
  return a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0;
}

/** The whole date index holds every registered branch that has not reported. */
const ALL_DATES = { from: '1900-01-01', to: '9999-12-31' };

async function roundStanding(congress: CongressStore, campaign: Campaign): Promise<RoundStanding> {
  const [reported, registered] = await Promise.all([
    congress.reportedSet(campaign.id),
    congress.upcoming(campaign.id, ALL_DATES.from, ALL_DATES.to),
  ]);
  return { reported, registered: new Map(registered.map((r) => [r.branch, r])) };
}

function stateOf(standing: RoundStanding, branch: string): BranchCongressState {
  const reg = standing.registered.get(branch);
  if (standing.reported.has(branch)) return { reported: true };
  return reg
    ? {
        reported: false,
        registration: reg.time === undefined ? { date: reg.date } : { date: reg.date, time: reg.time },
      }
    : { reported: false };
}

async function holdersOf(
  org: Organisation,
  codes: readonly string[],
  kind: 'secretary' | 'deputy',
): Promise<Map<string, number[]>> {
  const found = await inParallel(codes.map((c) => () => org.people.holdersOf(c, kind)));
  return new Map(codes.map((c, i) => [c, found[i] ?? []]));
}

function congressText(campaign: Campaign, branchName: string, r: CongressReminder): string {
  const deadline = formatVnDate(campaign.deadline);
  switch (r.kind) {
    case 'register':
      return m.congress.register(branchName, deadline, r.daysLeft ?? 0);
    case 'dayBefore':
      return m.congress.dayBefore(
        branchName,
        formatRegistrationWhen(r.registration?.date ?? '', r.registration?.time),
      );
    case 'resultMissing':
      return m.congress.resultMissing(
        branchName,
        formatVnDate(r.registration?.date ?? ''),
        r.daysOverdue ?? 0,
        deadline,
      );
    case 'overdue':
      return m.congress.overdue(branchName, deadline, r.daysOverdue ?? 0);
  }
}

function meetingText(branchName: string, r: MeetingReminder): string {
  const month = formatYearMonth(r.month);
  return r.kind === 'soon'
    ? m.meetings.soon(branchName, month, formatVnDate(r.date))
    : m.meetings.overdue(branchName, month, formatVnDate(r.date), r.daysLate ?? 0);
}
