/**
 * Exports: the congress round, a month of meetings and a directive's receipts as Excel
 * workbooks, and the congress round as a printable one-page PDF. Chat users (/xuat) are
 * scope-checked here: admins export from the root, leaders their own subtree; secretaries and
 * people without a role are refused. The CLI (`'cli'`) may export anything.
 *
 * The figures come from the same places as the chat summaries: the congress counters /tiendo
 * reads and the meeting compliance /sinhhoat_tiendo computes. The rows come from each branch's
 * stored report, read a few hundred at a time.
 */
import { type Campaign, formatTerm } from '../domain/congress/campaign.js';
import type { Registration } from '../domain/congress/registration.js';
import type { ReportRecord } from '../domain/congress/report.js';
import { DIRECTIVE_ID_PATTERN, type Recipient } from '../domain/directives.js';
import {
  defaultProgressMonth,
  formatYearMonth,
  monthOfDate,
  parseYearMonth,
  previousMonth,
  type YearMonth,
} from '../domain/sinhHoat/calendar.js';
import { DEFAULT_HOLIDAYS } from '../domain/sinhHoat/holidays.js';
import { isBranch, type Unit } from '../domain/units.js';
import { calendarDate, type IsoDate } from '../domain/vn.js';
import { congressPdf } from '../exports/congressPdf.js';
import {
  type CongressBranchRow,
  type CongressChildRow,
  type CongressExportData,
  congressWorkbook,
} from '../exports/congressWorkbook.js';
import {
  type DeliveryStatus,
  type DirectiveExportData,
  type DirectiveRecipientRow,
  directiveWorkbook,
} from '../exports/directiveWorkbook.js';
import {
  type MeetingBranchRow,
  type MeetingsExportData,
  meetingsWorkbook,
} from '../exports/meetingsWorkbook.js';
import type { Clock } from '../infra/clock.js';
import { msg } from '../messages/index.js';
import type { DeliveryStore } from '../outbox/deliveries.js';
import type { CampaignStore } from '../store/campaigns.js';
import type { CongressStore } from '../store/congress.js';
import type { DirectiveStore } from '../store/directives.js';
import type { Person } from '../store/people.js';
import type { SinhHoatStore } from '../store/sinhHoat.js';
import { type DirectiveService, TRACK } from './directives/index.js';
import type { MeetingService } from './meetings/index.js';
import type { Organisation, Viewer } from './organisation.js';

const m = msg.exports;

/** Reports read concurrently (pipelined on the connection) when filling the rows. */
const READ_BATCH = 500;
/** Rounds and directives offered as buttons under /xuat. */
const MENU_CAMPAIGNS = 3;
const MENU_DIRECTIVES = 3;
/** Longest directive title shown on a button. */
const BUTTON_TEXT_MAX = 48;

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const PDF_MIME = 'application/pdf';

/** One file made by an export. */
export interface ExportFile {
  /** ASCII, no spaces: what the file is saved as. */
  filename: string;
  mimeType: string;
  content: Buffer;
  /** A Vietnamese caption for chat. */
  caption: string;
}

/** The files, or why not (Vietnamese, plain text). */
export type ExportOutcome = { ok: true; files: ExportFile[] } | { ok: false; text: string };

/** What one /xuat button exports. */
export type ExportAction =
  | { kind: 'congress'; campaignId: string; unit: string }
  | { kind: 'meetings'; month: YearMonth; unit: string }
  | { kind: 'directive'; id: string };

export interface ExportOption {
  label: string;
  action: ExportAction;
}

/** What /xuat shows: a refusal, the scopes to choose from, or the exports of one scope. */
export type ExportMenu =
  | { kind: 'refused'; text: string }
  /** Several scopes: `month` is the month asked for, to carry into the choice. */
  | { kind: 'chooseScope'; text: string; units: { code: string; name: string }[]; month?: YearMonth }
  | { kind: 'menu'; text: string; unit: { code: string; name: string }; options: ExportOption[] };

export interface ExportServiceDeps {
  org: Organisation;
  campaigns: CampaignStore;
  congress: CongressStore;
  sinhHoat: SinhHoatStore;
  meetings: MeetingService;
  directives: DirectiveService;
  directiveStore: DirectiveStore;
  deliveries: Pick<DeliveryStore, 'listTrack'>;
  clock: Clock;
  timezone: string;
}

type Actor = Viewer | 'cli';
type Found<T> = { ok: true; value: T } | { ok: false; text: string };

export class ExportService {
  constructor(private readonly deps: ExportServiceDeps) {}

  private today(): IsoDate {
    return calendarDate(this.deps.clock.now(), this.deps.timezone);
  }

  // ------------------------------------------------------------------ /xuat

  /**
   * The /xuat menu. `unitCode` picks one of several scopes; `monthText` ("09/2025") asks for
   * that month's meetings instead of the latest two months.
   */
  async menu(viewer: Viewer, opts: { unitCode?: string; monthText?: string } = {}): Promise<ExportMenu> {
    const refusal = this.refusal(viewer);
    if (refusal) return { kind: 'refused', text: refusal };
    let month: YearMonth | undefined;
    if (opts.monthText !== undefined && opts.monthText.trim() !== '') {
      month = parseYearMonth(opts.monthText);
      if (month === undefined) return { kind: 'refused', text: m.chat.badMonth(opts.monthText.trim()) };
      if (month > monthOfDate(this.today()))
        return { kind: 'refused', text: m.errors.futureMonth(formatYearMonth(month)) };
    }
    let unit: Unit | undefined;
    if (opts.unitCode !== undefined) {
      const found = await this.allowedUnit(viewer, opts.unitCode);
      if (!found.ok) return { kind: 'refused', text: found.text };
      unit = found.value;
    } else {
      const scopes = await this.scopes(viewer);
      if (scopes.length === 0) return { kind: 'refused', text: m.errors.noUnits };
      if (scopes.length > 1) {
        return {
          kind: 'chooseScope',
          text: m.chat.chooseScope,
          units: scopes.map((u) => ({ code: u.code, name: u.name })),
          ...(month ? { month } : {}),
        };
      }
      unit = scopes[0]!;
    }

    const options: ExportOption[] = [];
    for (const { campaign, unit: at } of (await this.campaignsAround(unit)).slice(0, MENU_CAMPAIGNS)) {
      options.push({
        label: m.chat.buttonCongress(campaign.name, formatTerm(campaign.term)),
        action: { kind: 'congress', campaignId: campaign.id, unit: at },
      });
    }
    const months = month ? [month] : await this.recentMonths(unit.code);
    for (const mo of months) {
      options.push({
        label: m.chat.buttonMeetings(formatYearMonth(mo)),
        action: { kind: 'meetings', month: mo, unit: unit.code },
      });
    }
    for (const d of await this.recentDirectives(viewer, unit)) {
      options.push({ label: m.chat.buttonDirective(d.label), action: { kind: 'directive', id: d.id } });
    }
    return {
      kind: 'menu',
      text: m.chat.menu(unit.name),
      unit: { code: unit.code, name: unit.name },
      options,
    };
  }

  /** Runs what a /xuat button stands for, checking the person's scope again. */
  run(viewer: Viewer, action: ExportAction): Promise<ExportOutcome> {
    switch (action.kind) {
      case 'congress':
        return this.congress(viewer, { campaignId: action.campaignId, unit: action.unit });
      case 'meetings':
        return this.meetings(viewer, { month: action.month, unit: action.unit });
      case 'directive':
        return this.directive(viewer, action.id);
    }
  }

  // ------------------------------------------------------------------ congress

  /**
   * The congress workbook and its printable PDF for a unit (default: the person's one scope, or
   * the root for the CLI) in a round (default: the first of `campaignsAround`: a round covering
   * the whole unit, open with the earliest deadline, else the latest). When the round covers only
   * part of the unit, the export covers the round's own scope, as /tiendo does.
   */
  async congress(actor: Actor, opts: { campaignId?: string; unit?: string } = {}): Promise<ExportOutcome> {
    const data = await this.congressData(actor, opts);
    if (!data.ok) return data;
    const d = data.value;
    const [xlsx, pdf] = await Promise.all([congressWorkbook(d), congressPdf(d)]);
    const term = formatTerm(d.campaign.term);
    return {
      ok: true,
      files: [
        {
          filename: m.files.congressXlsx(d.unit.code, d.asOf),
          mimeType: XLSX_MIME,
          content: xlsx,
          caption: m.captions.congressXlsx(d.unit.name, term),
        },
        {
          filename: m.files.congressPdf(d.unit.code, d.asOf),
          mimeType: PDF_MIME,
          content: pdf,
          caption: m.captions.congressPdf(d.unit.name, term),
        },
      ],
    };
  }

  /** What the congress workbook and PDF show, after the same checks as `congress`. */
  async congressData(
    actor: Actor,
    opts: { campaignId?: string; unit?: string } = {},
  ): Promise<Found<CongressExportData>> {
    const start = await this.startUnit(actor, opts.unit);
    if (!start.ok) return start;
    const target = await this.congressTarget(start.value, opts.campaignId);
    if (!target.ok) return target;
    const { campaign, unit } = target.value;
    const { org, congress } = this.deps;
    const units = org.units;

    const codes = await units.branchesUnder(unit.code);
    const childCodes = isBranch(unit) ? [] : await units.children(unit.code);
    const [branchUnits, flags, waiting, totals, counts, childAggs, childUnits, parent] = await Promise.all([
      units.getMany(codes),
      congress.reportedBranches(campaign.id, codes),
      congress.upcoming(campaign.id, '0000-01-01', '9999-12-31'),
      congress.aggregate(campaign.id, unit.code),
      units.branchCounts([unit.code, ...childCodes]),
      congress.aggregates(campaign.id, childCodes),
      units.getMany(childCodes),
      unit.parent ? units.get(unit.parent) : Promise.resolve(undefined),
    ]);
    const reported = codes.filter((_, i) => flags[i]);
    const records = new Map<string, { record?: ReportRecord; registration?: Registration }>();
    await inBatches(reported, async (code) => {
      const [record, registration] = await Promise.all([
        congress.getReport(campaign.id, code),
        congress.getRegistration(campaign.id, code),
      ]);
      records.set(code, { ...(record ? { record } : {}), ...(registration ? { registration } : {}) });
    });
    for (const r of waiting) if (!records.has(r.branch)) records.set(r.branch, { registration: r });

    const [paths, parents, reporters] = await Promise.all([
      this.paths(codes, branchUnits),
      this.parentsOf(branchUnits),
      this.names([...records.values()].flatMap((e) => (e.record ? [e.record.savedBy] : []))),
    ]);
    const branches: CongressBranchRow[] = codes.flatMap((code) => {
      const u = branchUnits.get(code);
      if (!u) return [];
      const entry = records.get(code);
      const row: CongressBranchRow = {
        code,
        name: u.name,
        path: paths.get(code) ?? code,
        members: u.members,
      };
      if (u.parent) {
        row.parentCode = u.parent;
        const p = parents.get(u.parent);
        if (p) row.parentName = p.name;
      }
      if (entry?.registration) {
        const { date, time } = entry.registration;
        row.registration = time === undefined ? { date } : { date, time };
      }
      if (entry?.record) {
        row.record = entry.record;
        const name = reporters.get(entry.record.savedBy);
        if (name) row.reporterName = name;
      }
      return [row];
    });

    const children: CongressChildRow[] = [];
    childCodes.forEach((code, i) => {
      const child = childUnits.get(code);
      const total = counts.get(code) ?? 0;
      const agg = childAggs[i];
      if (child && agg && total > 0)
        children.push({ code, name: child.name, branches: total, counters: agg });
    });

    const data: CongressExportData = {
      unit: { code: unit.code, name: unit.name },
      campaign: {
        id: campaign.id,
        name: campaign.name,
        term: campaign.term,
        opens: campaign.opens,
        deadline: campaign.deadline,
      },
      asOf: this.today(),
      generatedAt: this.deps.clock.now(),
      timezone: this.deps.timezone,
      totals,
      totalBranches: counts.get(unit.code) ?? 0,
      children,
      branches,
    };
    if (parent) data.parentName = parent.name;
    return { ok: true, value: data };
  }

  /** The round and the unit to export: the round asked for, or the one that concerns the unit. */
  private async congressTarget(
    unit: Unit,
    campaignId: string | undefined,
  ): Promise<Found<{ campaign: Campaign; unit: Unit }>> {
    if (campaignId === undefined) {
      const around = await this.campaignsAround(unit);
      const first = around[0];
      if (!first) return { ok: false, text: m.errors.noCampaign(unit.name) };
      const at = first.unit === unit.code ? unit : await this.deps.org.units.get(first.unit);
      return at
        ? { ok: true, value: { campaign: first.campaign, unit: at } }
        : fail(m.errors.noCampaign(unit.name));
    }
    const campaign = await this.deps.campaigns.getCampaign(campaignId);
    if (!campaign) return fail(m.errors.unknownCampaign(campaignId));
    if (campaign.scope === unit.code) return { ok: true, value: { campaign, unit } };
    const [ancestors, scopeAncestors] = await Promise.all([
      this.deps.org.units.ancestors(unit.code),
      this.deps.org.units.ancestors(campaign.scope),
    ]);
    if (ancestors.includes(campaign.scope)) return { ok: true, value: { campaign, unit } };
    if (scopeAncestors.includes(unit.code)) {
      const scope = await this.deps.org.units.get(campaign.scope);
      if (scope) return { ok: true, value: { campaign, unit: scope } };
    }
    return fail(m.errors.notInCampaign(unit.name));
  }

  /**
   * Rounds that concern a unit, with the unit each would export: the unit itself when the round
   * covers it, the round's scope when that lies below it. Rounds covering the whole unit come
   * first; within each group open rounds (earliest deadline), then closed or past ones, latest
   * first.
   */
  private async campaignsAround(unit: Unit): Promise<{ campaign: Campaign; unit: string }[]> {
    const all = await this.deps.campaigns.listCampaigns();
    if (all.length === 0) return [];
    const [ancestors, scopeAncestors] = await Promise.all([
      this.deps.org.units.ancestors(unit.code),
      this.deps.org.units.ancestorsMany(all.map((c) => c.scope)),
    ]);
    const today = this.today();
    const isOpen = (c: Campaign) => c.closedAt === undefined && c.opens <= today && today <= c.deadline;
    const out: { campaign: Campaign; unit: string; open: boolean; whole: boolean }[] = [];
    for (const c of all) {
      if (c.scope === unit.code || ancestors.includes(c.scope))
        out.push({ campaign: c, unit: unit.code, open: isOpen(c), whole: true });
      else if ((scopeAncestors.get(c.scope) ?? []).includes(unit.code))
        out.push({ campaign: c, unit: c.scope, open: isOpen(c), whole: false });
    }
    return out
      .sort((a, b) => {
        if (a.whole !== b.whole) return a.whole ? -1 : 1;
        if (a.open !== b.open) return a.open ? -1 : 1;
        if (a.open) return a.campaign.deadline.localeCompare(b.campaign.deadline);
        return b.campaign.createdAt - a.campaign.createdAt;
      })
      .map(({ campaign, unit: at }) => ({ campaign, unit: at }));
  }

  // ------------------------------------------------------------------ meetings

  /** The meeting workbook of a month for a unit (default: the person's one scope, or the root). */
  async meetings(actor: Actor, opts: { month: YearMonth; unit?: string }): Promise<ExportOutcome> {
    const data = await this.meetingsData(actor, opts);
    if (!data.ok) return data;
    const d = data.value;
    return {
      ok: true,
      files: [
        {
          filename: m.files.meetingsXlsx(d.unit.code, d.month),
          mimeType: XLSX_MIME,
          content: await meetingsWorkbook(d),
          caption: m.captions.meetings(d.unit.name, formatYearMonth(d.month)),
        },
      ],
    };
  }

  /** What the meeting workbook shows, after the same checks as `meetings`. */
  async meetingsData(
    actor: Actor,
    opts: { month: YearMonth; unit?: string },
  ): Promise<Found<MeetingsExportData>> {
    const today = this.today();
    if (opts.month > monthOfDate(today)) return fail(m.errors.futureMonth(formatYearMonth(opts.month)));
    const start = await this.startUnit(actor, opts.unit);
    if (!start.ok) return start;
    const unit = start.value;
    const { org, sinhHoat, meetings } = this.deps;
    const codes = await org.units.branchesUnder(unit.code);
    const [branchUnits, reported, compliance] = await Promise.all([
      org.units.getMany(codes),
      sinhHoat.reportedAmong(opts.month, codes),
      meetings.compliance(unit, opts.month),
    ]);
    const reports = new Map<string, NonNullable<MeetingBranchRow['report']>>();
    await inBatches([...reported], async (code) => {
      const stored = await sinhHoat.getReport(code, opts.month);
      if (stored) {
        reports.set(code, {
          report: stored.report,
          version: stored.version,
          late: stored.late,
          reportedAt: stored.reportedAt,
        });
      }
    });
    const parents = await this.parentsOf(branchUnits);
    const branches: MeetingBranchRow[] = codes.flatMap((code) => {
      const u = branchUnits.get(code);
      if (!u) return [];
      const row: MeetingBranchRow = { code, name: u.name };
      if (u.parent) {
        row.parentCode = u.parent;
        const p = parents.get(u.parent);
        if (p) row.parentName = p.name;
      }
      const r = reports.get(code);
      if (r) row.report = r;
      return [row];
    });
    return {
      ok: true,
      value: {
        unit: { code: unit.code, name: unit.name },
        month: opts.month,
        compliance,
        branches,
        asOf: today,
        generatedAt: this.deps.clock.now(),
        timezone: this.deps.timezone,
      },
    };
  }

  /** The month /sinhhoat_tiendo shows by default for the unit, and the one before. */
  private async recentMonths(unitCode: string): Promise<YearMonth[]> {
    const { settings } = await this.deps.meetings.settingsFor(unitCode);
    const month = defaultProgressMonth(this.today(), settings, DEFAULT_HOLIDAYS);
    return [month, previousMonth(month)];
  }

  // ------------------------------------------------------------------ directives

  /**
   * Receipts and acknowledgements of one directive, one row per recipient. Admins and the CLI
   * see every recipient; a leader sees the recipients of units in their subtree.
   */
  async directive(actor: Actor, id: string): Promise<ExportOutcome> {
    const data = await this.directiveData(actor, id);
    if (!data.ok) return data;
    const d = data.value;
    return {
      ok: true,
      files: [
        {
          filename: m.files.directiveXlsx(d.directive.id),
          mimeType: XLSX_MIME,
          content: await directiveWorkbook(d),
          caption: m.captions.directive(d.directive.title),
        },
      ],
    };
  }

  /** What the directive workbook shows, after the same checks as `directive`. */
  async directiveData(actor: Actor, id: string): Promise<Found<DirectiveExportData>> {
    if (actor !== 'cli') {
      const refusal = this.refusal(actor);
      if (refusal) return fail(refusal);
    }
    const report = DIRECTIVE_ID_PATTERN.test(id) ? await this.deps.directives.report(id) : undefined;
    if (!report) return fail(m.errors.unknownDirective(id));
    const [all, records] = await Promise.all([
      this.deps.directiveStore.recipients(id),
      this.deps.deliveries.listTrack(TRACK.directive, id),
    ]);
    const recipients = await this.visibleRecipients(actor, all);
    if (recipients.length === 0 && all.length > 0) return fail(m.errors.directiveNotYours);

    const p = report.progress;
    const acked = new Map(p.acknowledged.map((a) => [a.recipient.personId, a.at]));
    const failed = new Map(p.failed.map((f) => [f.recipient.personId, f.reason]));
    const unreachable = new Map(p.unreachable.map((u) => [u.recipient.personId, u.reason]));
    const delivery = new Map(
      records.filter((r) => r.personId !== undefined).map((r) => [r.personId as number, r] as const),
    );
    const cancelled = report.stored.cancelledAt !== undefined;
    const statusOf = (personId: number): DeliveryStatus => {
      const state = delivery.get(personId)?.state;
      if (unreachable.has(personId)) return 'unreachable';
      if (failed.has(personId)) return 'failed';
      if (state === 'sent') return 'sent';
      if (cancelled) return 'stopped';
      return state === undefined ? 'notQueued' : 'pending';
    };
    const rows: DirectiveRecipientRow[] = recipients.map((r) => {
      const rec = delivery.get(r.personId);
      const row: DirectiveRecipientRow = {
        name: r.name,
        role: r.role,
        units: r.units,
        status: statusOf(r.personId),
      };
      if (rec?.state === 'sent' && rec.sentAt !== undefined) row.deliveredAt = rec.sentAt;
      const reason = unreachable.get(r.personId) ?? failed.get(r.personId);
      if (reason !== undefined && reason !== '') row.failedReason = reason;
      const at = acked.get(r.personId);
      if (at !== undefined) row.acknowledgedAt = at;
      return row;
    });

    const d = report.stored.directive;
    const data: DirectiveExportData = {
      directive: {
        id: d.id,
        title: d.title,
        createdAt: d.createdAt,
        audienceText: d.audienceText,
        ...(d.number !== undefined ? { number: d.number } : {}),
        ...(d.deadline !== undefined ? { deadline: d.deadline } : {}),
      },
      rows,
      asOf: this.today(),
      generatedAt: this.deps.clock.now(),
      timezone: this.deps.timezone,
    };
    if (report.stored.cancelledAt !== undefined) data.cancelledAt = report.stored.cancelledAt;
    return { ok: true, value: data };
  }

  /** The recipients an actor may see: all for admins and the CLI, else those of units they lead. */
  private async visibleRecipients(actor: Actor, recipients: readonly Recipient[]): Promise<Recipient[]> {
    if (actor === 'cli' || this.deps.org.isAdmin(actor)) return [...recipients];
    const led = new Set(actor.roles.flatMap((r) => (r.kind === 'leader' ? [r.unit] : [])));
    const codes = [...new Set(recipients.flatMap((r) => r.units.map((u) => u.code)))];
    const ancestors = await this.deps.org.units.ancestorsMany(codes);
    const under = (code: string) => led.has(code) || (ancestors.get(code) ?? []).some((a) => led.has(a));
    return recipients.filter((r) => r.units.some((u) => under(u.code)));
  }

  /** The latest directives the person may export from this scope, labelled for a button. */
  private async recentDirectives(viewer: Viewer, unit: Unit): Promise<{ id: string; label: string }[]> {
    const ids = await this.deps.directiveStore.latest(MENU_DIRECTIVES * 3);
    const out: { id: string; label: string }[] = [];
    for (const id of ids) {
      if (out.length >= MENU_DIRECTIVES) break;
      const stored = await this.deps.directiveStore.get(id);
      if (!stored) continue;
      if (!this.deps.org.isAdmin(viewer)) {
        const recipients = await this.deps.directiveStore.recipients(id);
        const codes = [...new Set(recipients.flatMap((r) => r.units.map((u) => u.code)))];
        const ancestors = await this.deps.org.units.ancestorsMany(codes);
        const inside = codes.some((c) => c === unit.code || (ancestors.get(c) ?? []).includes(unit.code));
        if (!inside) continue;
      }
      const d = stored.directive;
      out.push({ id, label: shorten(d.number ? `${d.number} – ${d.title}` : d.title, BUTTON_TEXT_MAX) });
    }
    return out;
  }

  // ------------------------------------------------------------------ scope

  /** Why this person may not export at all, or undefined. */
  private refusal(viewer: Viewer): string | undefined {
    if (viewer.roles.length === 0) return msg.units.noAccess;
    if (this.deps.org.isAdmin(viewer) || viewer.roles.some((r) => r.kind === 'leader')) return undefined;
    return m.chat.leaderOnly;
  }

  /** Units a person's exports start at: the root for admins, the outermost units they lead. */
  private async scopes(viewer: Viewer): Promise<Unit[]> {
    if (this.deps.org.isAdmin(viewer)) {
      const root = await this.deps.org.units.root();
      return root ? [root] : [];
    }
    const leaderRoles = viewer.roles.filter((r) => r.kind === 'leader');
    return this.deps.org.viewScopes({ id: viewer.id, roles: leaderRoles });
  }

  /** A unit the person may export: an admin any, a leader their unit and what lies under it. */
  private async allowedUnit(viewer: Viewer, code: string): Promise<Found<Unit>> {
    const refusal = this.refusal(viewer);
    if (refusal) return fail(refusal);
    const unit = await this.deps.org.units.get(code);
    if (!unit) return fail(msg.units.unknownUnit(code));
    if (this.deps.org.isAdmin(viewer)) return { ok: true, value: unit };
    const ancestors = await this.deps.org.units.ancestors(code);
    const leads = viewer.roles.some(
      (r) => r.kind === 'leader' && (r.unit === code || ancestors.includes(r.unit)),
    );
    return leads ? { ok: true, value: unit } : fail(msg.units.noAccessToUnit(unit.name));
  }

  /**
   * Where an export starts: the unit asked for (checked for chat users), else the root for the
   * CLI and admins, or a leader's one scope (a leader of several units must name one).
   */
  private async startUnit(actor: Actor, code: string | undefined): Promise<Found<Unit>> {
    if (actor !== 'cli') {
      if (code !== undefined) return this.allowedUnit(actor, code);
      const refusal = this.refusal(actor);
      if (refusal) return fail(refusal);
      const scopes = await this.scopes(actor);
      if (scopes.length === 0) return fail(m.errors.noUnits);
      if (scopes.length > 1) return fail(m.chat.chooseScope);
      return { ok: true, value: scopes[0]! };
    }
    const unit = code !== undefined ? await this.deps.org.units.get(code) : await this.deps.org.units.root();
    if (!unit) return fail(code !== undefined ? msg.units.unknownUnit(code) : m.errors.noUnits);
    return { ok: true, value: unit };
  }

  // ------------------------------------------------------------------ helpers

  /** "T/XA/CB01" for each branch: its ancestors' codes and its own. */
  private async paths(
    codes: readonly string[],
    found: ReadonlyMap<string, Unit>,
  ): Promise<Map<string, string>> {
    const ancestors = await this.deps.org.units.ancestorsMany(codes.filter((c) => found.has(c)));
    return new Map(codes.map((c) => [c, [...(ancestors.get(c) ?? []), c].join('/')]));
  }

  /** The parent units of the given units, by code. */
  private parentsOf(units: ReadonlyMap<string, Unit>): Promise<Map<string, Unit>> {
    const codes = [...new Set([...units.values()].flatMap((u) => (u.parent ? [u.parent] : [])))];
    return this.deps.org.units.getMany(codes);
  }

  /** Telegram names of the people behind `savedBy` ids ("cli" and unknown ids have none). */
  private async names(ids: readonly string[]): Promise<Map<string, string>> {
    const numeric = [...new Set(ids.filter((id) => /^\d+$/.test(id)))].map(Number);
    const people = numeric.length > 0 ? await this.deps.org.people.getMany(numeric) : [];
    return new Map(people.flatMap((p) => (personName(p) ? [[String(p.id), personName(p)]] : [])));
  }
}

/** "Nguyễn Văn A", else "@handle", else nothing. */
function personName(p: Person): string {
  const name = [p.firstName, p.lastName].filter(Boolean).join(' ').trim();
  return name || (p.username ? `@${p.username}` : '');
}

/** At most `max` characters, with "…" when cut (long button labels are cut badly by phones). */
function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function fail(text: string): { ok: false; text: string } {
  return { ok: false, text };
}

/** Runs `fn` for every item, `READ_BATCH` at a time (their Redis calls pipeline on the connection). */
async function inBatches<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += READ_BATCH) {
    await Promise.all(items.slice(i, i + READ_BATCH).map(fn));
  }
}
