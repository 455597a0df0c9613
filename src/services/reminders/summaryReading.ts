/**
 * The reading behind daily summaries: one scope's standing in each open round, today's reports,
 * the month's meeting figures and who cannot be reached.
 */

import { type Campaign, isCampaignOpen } from '../../domain/congress/campaign.js';
import { branchDeadline } from '../../domain/congress/extension.js';
import { defaultProgressMonth } from '../../domain/meetings/calendar.js';
import type { HolidayCalendar } from '../../domain/meetings/holidays.js';
import type { MeetingSettings } from '../../domain/meetings/settings.js';
import { nameWithTitle as personName } from '../../domain/personIdentity.js';
import type { CampaignProgress, NewReport, OverdueBranch, ScopeSummary } from '../../domain/summary.js';
import type { Unit } from '../../domain/units.js';
import { dayjs, type IsoDate } from '../../domain/vn.js';
import type { ProgressChart } from '../../exports/chart.js';
import type { Person } from '../../store/people.js';
import type { ReportEvent } from '../../store/reminders.js';
import type { ReminderServiceDeps } from './deps.js';
import { roundNotes } from './roundNotes.js';
import { byDeadline, holdersOf, type RoundStanding, roundStanding } from './standing.js';
import { summaryChart } from './summaryChart.js';
import { SUMMARY_NAMES_MAX } from './types.js';

/**
 * What summaries read, once per run: open rounds and their standing, today's reports,
 * secretaries of branches and their records. Several leaders' summaries in one run share it.
 */
export class SummaryReading {
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
        // A branch with an extension (gia hạn) is overdue only after its own date.
        const until = standing.extended.get(code);
        const deadline = branchDeadline(campaign, until === undefined ? undefined : { until });
        if (reg ? reg.date < this.today : this.today > deadline) {
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
        notes: await roundNotes(this.deps.congress, campaign, at, counters, this.today, this.deps.org),
      });
    }

    const month = defaultProgressMonth(this.today, settings.settings, calendar(settings.settings));
    const meetingAgg = await this.deps.meetingStore.aggregate(unit.code, month);

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
    const chart = await summaryChart(this.deps, this.today, unit, shown[0], month);
    return chart ? { summary, chart } : { summary };
  }
}
