/**
 * What the reminder service is built from, and the context its parts share: the deps plus the
 * reminder rules and holiday calendar resolved once at construction.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { type HolidayCalendar, withLocalDaysOff } from '../../domain/meetings/holidays.js';
import type { MeetingSettings } from '../../domain/meetings/settings.js';
import type { ReminderRules } from '../../domain/reminders.js';
import { calendarDate, dayjs, type IsoDate } from '../../domain/vn.js';
import type { Clock } from '../../infra/clock.js';
import type { Logger } from '../../logger.js';
import type { DeliveryStore } from '../../outbox/deliveries.js';
import type { CampaignStore } from '../../store/campaigns.js';
import type { CongressStore } from '../../store/congress.js';
import type { MeetingStore } from '../../store/meetings.js';
import type { ReminderStore } from '../../store/reminders.js';
import type { MeetingService } from '../meetings/index.js';
import type { MemberService } from '../members/index.js';
import type { Notifier } from '../notifier.js';
import type { Organisation } from '../organisation.js';

export interface ReminderServiceDeps {
  org: Organisation;
  campaigns: CampaignStore;
  congress: CongressStore;
  meetingStore: MeetingStore;
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
  /** The member register, for Huy hiệu Đảng reminders and the summary's line (none: neither). */
  members?: Pick<MemberService, 'badgesIn'>;
  /** @defaultValue the national calendar */
  holidays?: HolidayCalendar;
  /** @defaultValue `DEFAULT_REMINDER_RULES` */
  rules?: Partial<ReminderRules>;
}

/** The deps with the rules and national calendar filled in, as the runs use them. */
export interface ReminderContext {
  deps: ReminderServiceDeps;
  rules: ReminderRules;
  holidays: HolidayCalendar;
}

/** The local calendar date at `now`. */
export function todayAt(ctx: ReminderContext, now: number): IsoDate {
  return calendarDate(now, ctx.deps.config.timezone);
}

/** Minutes since local midnight at `now`. */
export function minuteOfDay(ctx: ReminderContext, now: number): number {
  const local = dayjs(now).tz(ctx.deps.config.timezone);
  return local.hour() * 60 + local.minute();
}

/** The national calendar with a scope's own days off. */
export function calendarFor(ctx: ReminderContext, settings: MeetingSettings): HolidayCalendar {
  return withLocalDaysOff(ctx.holidays, settings.extraDaysOff);
}

/** The calendar of a unit's meeting settings (its own, inherited, or the deployment's). */
export async function holidaysFor(ctx: ReminderContext, unitCode: string): Promise<HolidayCalendar> {
  return calendarFor(ctx, (await ctx.deps.meetings.settingsFor(unitCode)).settings);
}
