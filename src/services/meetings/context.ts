/** What the meeting modules share: the service's dependencies, resolved once by the facade. */

import { matchAbsentees, type RegisterEntry } from '../../domain/meetings/absentees.js';
import type { YearMonth } from '../../domain/meetings/calendar.js';
import { DEFAULT_HOLIDAYS, type HolidayCalendar } from '../../domain/meetings/holidays.js';
import type { FieldError, MeetingReport } from '../../domain/meetings/report.js';
import { DEFAULT_MEETING_SETTINGS, type MeetingSettings } from '../../domain/meetings/settings.js';
import type { Unit } from '../../domain/units.js';
import { calendarDate, type IsoDate } from '../../domain/vn.js';
import type { Clock } from '../../infra/clock.js';
import type { Logger } from '../../logger.js';
import type { MeetingStore } from '../../store/meetings.js';
import type { Dialogs } from '../dialogs.js';
import type { Notifier } from '../notifier.js';
import type { Organisation } from '../organisation.js';

export interface MeetingServiceDeps {
  store: MeetingStore;
  org: Organisation;
  dialogs: Dialogs;
  notifier: Notifier;
  clock: Clock;
  /** The deployment's time zone: which calendar day "today" is. */
  timezone: string;
  log: Logger;
  /** @defaultValue the national calendar (`DEFAULT_HOLIDAYS`) */
  holidays?: HolidayCalendar;
  /** Settings for scopes that set none. @defaultValue `DEFAULT_MEETING_SETTINGS` */
  defaults?: MeetingSettings;
  /**
   * Members on each branch's register (chính thức + dự bị), for «Tổng số đảng viên»; a branch
   * without a register keeps the size of the unit file. @defaultValue none (the unit file's)
   */
  registerSizes?: (branches: readonly string[]) => Promise<Map<string, number>>;
  /** The active members of a branch's register, to match absent members by. @defaultValue none */
  registerOf?: (branch: string) => Promise<RegisterEntry[]>;
  /**
   * Members the register shows admitted and made official in a month (none: no register).
   * @defaultValue none
   */
  membershipOf?: (branch: string, month: YearMonth) => Promise<{ admitted: number; madeOfficial: number }>;
}

/** The dependencies with their defaults filled in. */
export interface MeetingContext {
  store: MeetingStore;
  org: Organisation;
  dialogs: Dialogs;
  notifier: Notifier;
  clock: Clock;
  log: Logger;
  holidays: HolidayCalendar;
  defaults: MeetingSettings;
  /** Today's date in the deployment's time zone. */
  today(): IsoDate;
  /** The branches with their size from the register where it has members (the unit file's otherwise). */
  sized(units: readonly Unit[]): Promise<Unit[]>;
  /** What the register shows for a branch and month: kết nạp and chuyển chính thức (zeros without one). */
  membership(branch: string, month: YearMonth): Promise<{ admitted: number; madeOfficial: number }>;
  /**
   * The report with its named absentees matched to the branch's register (when it has one), and
   * «Kết nạp mới» and «Chuyển chính thức» taken from the register when it shows any.
   */
  matchAbsentees(
    branch: string,
    report: MeetingReport,
  ): Promise<{ ok: true; report: MeetingReport } | { ok: false; errors: FieldError[] }>;
}

export function meetingContext(deps: MeetingServiceDeps): MeetingContext {
  const { clock, timezone } = deps;
  return {
    store: deps.store,
    org: deps.org,
    dialogs: deps.dialogs,
    notifier: deps.notifier,
    clock,
    log: deps.log,
    holidays: deps.holidays ?? DEFAULT_HOLIDAYS,
    defaults: deps.defaults ?? DEFAULT_MEETING_SETTINGS,
    today: () => calendarDate(clock.now(), timezone),
    membership: async (branch, month) =>
      deps.membershipOf ? deps.membershipOf(branch, month) : { admitted: 0, madeOfficial: 0 },
    matchAbsentees: async (branch, report) => {
      const named = report.absentWithReason.people.length + report.absentWithoutReason.people.length;
      const [register, shown] = await Promise.all([
        deps.registerOf && named > 0 ? deps.registerOf(branch) : Promise.resolve([]),
        deps.membershipOf ? deps.membershipOf(branch, report.month) : Promise.resolve(undefined),
      ]);
      const matched = matchAbsentees(report, register);
      if (!matched.ok || !shown || shown.admitted + shown.madeOfficial === 0) return matched;
      return {
        ok: true,
        report: { ...matched.report, ...shown, membershipFromRegister: true },
      };
    },
    sized: async (units) => {
      if (!deps.registerSizes || units.length === 0) return [...units];
      const sizes = await deps.registerSizes(units.map((u) => u.code));
      return units.map((u) => {
        const size = sizes.get(u.code) ?? 0;
        return size > 0 ? { ...u, members: size } : u;
      });
    },
  };
}
