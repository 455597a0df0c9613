/**
 * The branch congress round (đại hội chi bộ) as the edges use it: opening a round, registering a
 * congress date with the pilot rule, checking and saving a result (form or dialog), approval
 * (chuẩn y) and progress (/tiendo). Every permission check for the round is here, so chat and
 * CLI cannot differ, and every message the bot starts itself goes out through the notifier.
 *
 * Progress never reads reports or lists the branches of a scope: it reads the maintained
 * counters of the unit and its children, branch counts from the tree, and the date index.
 */
import type { InlineKeyboardMarkup } from '@telegraf/types';
import {
  type Campaign,
  type CampaignInput,
  campaignInputSchema,
  DEFAULT_YOUNG_AGE,
  formatTerm,
  isCampaignOpen,
  parseCampaignInput,
} from '../domain/congress/campaign.js';
import {
  applyDialogAnswer,
  type CongressDialogState,
  currentStep,
  DIALOG_STEPS,
  dialogPrompt,
  finishDialog,
  startDialog,
} from '../domain/congress/dialog.js';
import {
  OVERDUE_NAMES_MAX,
  type ProgressView,
  renderProgress,
  upcomingRange,
} from '../domain/congress/progress.js';
import {
  formatRegistrationWhen,
  parseRegistrationArgs,
  pilotLeaderNotice,
  pilotWarningText,
  type Registration,
} from '../domain/congress/registration.js';
import {
  blankCongressForm,
  type CongressField,
  type CongressReport,
  congressFormFields,
  type ReportContext,
  type ReportRecord,
  type ReportValidation,
  renderReportCard,
  renderValidationErrors,
  validateCongressReport,
} from '../domain/congress/report.js';
import { type Counters, renderResultStats } from '../domain/congress/stats.js';
import { parseForm } from '../domain/form.js';
import { escapeHtml, splitMessage } from '../domain/text.js';
import { isBranch, type Unit } from '../domain/units.js';
import { calendarDate, formatVnDate, type IsoDate } from '../domain/vn.js';
import type { Clock } from '../infra/clock.js';
import { msg } from '../messages/index.js';
import { outboxId } from '../outbox/outbox.js';
import type { CampaignStore } from '../store/campaigns.js';
import type { CongressStore } from '../store/congress.js';
import { callbackData } from '../telegram/keyboards.js';
import type { Notifier } from './notifier.js';
import type { Organisation, Viewer } from './organisation.js';

const m = msg.congress;

/** Upcoming congresses named in /tiendo before "… và N chi bộ khác". */
export const UPCOMING_NAMES_MAX = 20;
/** Drill-down buttons under one /tiendo answer (Telegram allows about 100 buttons). */
export const DRILL_BUTTONS_MAX = 40;
/** "Chuẩn y" buttons under one /tiendo answer. */
export const APPROVE_BUTTONS_MAX = 20;
/** A plain message is taken for a filled-in congress form when it answers this many labels. */
export const FORM_MIN_LABELS = 3;

/**
 * Callback data of the congress buttons the bot sends from outside a command (notifications)
 * and that /tiendo links to. `dh:<action>:<campaign id>:<unit code>` stays under 64 bytes:
 * campaign ids are 10 characters and unit codes at most 32.
 */
export const congressCallback = {
  /** Chuẩn y of one branch's result. */
  approve: (campaignId: string, branch: string) => callbackData('dh', 'cy', campaignId, branch),
  /** /tiendo of one unit in one round. */
  progress: (campaignId: string, unit: string) => callbackData('dh', 'td', campaignId, unit),
};

/** The branch and round a secretary's command acts on, with the branch's ancestors (root first). */
export interface BranchTarget {
  campaign: Campaign;
  branch: Unit;
  ancestors: string[];
}

/** Which branch and round a secretary's command acts on, or what to ask first. */
export type BranchChoice =
  | { kind: 'ok'; target: BranchTarget }
  | { kind: 'refused'; text: string }
  | { kind: 'chooseBranch'; branches: Unit[] }
  | { kind: 'chooseCampaign'; branch: Unit; campaigns: Campaign[] };

/** A checked result: a card to confirm (Telegram HTML), or the list of problems (no report). */
export type ReportCheck = { ok: true; report: CongressReport; text: string } | { ok: false; text: string };

/** One turn of the guided report dialog. */
export type DialogTurn =
  /** Ask `field` (again, after problems, when `text` lists them). Plain text. */
  | {
      kind: 'ask';
      state: CongressDialogState;
      field: CongressField;
      text: string;
      options: readonly string[];
    }
  /** Every question answered and the whole report valid: show the card to confirm. */
  | { kind: 'confirm'; report: CongressReport; text: string }
  /** Every question answered but the whole report does not hold together (HTML). */
  | { kind: 'invalid'; text: string };

export type Outcome = { ok: boolean; text: string };

/** Where /tiendo starts, or what to ask first. */
export type ProgressStart =
  | { kind: 'ok'; campaignId: string; unit: string }
  | { kind: 'refused'; text: string }
  | { kind: 'chooseScope'; units: Unit[] }
  | { kind: 'chooseCampaign'; options: { campaign: Campaign; unit: string }[] };

export interface UnitLink {
  code: string;
  name: string;
}

/** The /tiendo answer: HTML chunks under Telegram's limit, and the buttons to put under the last. */
export type ProgressAnswer =
  | {
      ok: true;
      campaignId: string;
      chunks: string[];
      /** Child committees to drill into. */
      drill: UnitLink[];
      /** The parent unit, when the asker may see it and it is inside the round. */
      up?: UnitLink;
      /** Branches right under the unit that reported and wait for chuẩn y. */
      approvable: UnitLink[];
    }
  | { ok: false; text: string };

/** What answering one step of the campaign dialog gives: the normalised value, or why not. */
export type CampaignFieldCheck = { ok: true; value: string } | { ok: false; message: string };

/** The questions of the guided campaign creation, in order. */
export const CAMPAIGN_DIALOG_FIELDS = [
  'name',
  'term',
  'scope',
  'opens',
  'deadline',
  'pilots',
  'youngAge',
] as const;
export type CampaignDialogField = (typeof CAMPAIGN_DIALOG_FIELDS)[number];

export interface CongressServiceDeps {
  org: Organisation;
  campaigns: CampaignStore;
  store: CongressStore;
  notifier: Notifier;
  clock: Clock;
  timezone: string;
}

export class CongressService {
  private readonly org: Organisation;
  private readonly campaigns: CampaignStore;
  private readonly store: CongressStore;
  private readonly notifier: Notifier;
  private readonly clock: Clock;
  private readonly timezone: string;

  constructor(deps: CongressServiceDeps) {
    this.org = deps.org;
    this.campaigns = deps.campaigns;
    this.store = deps.store;
    this.notifier = deps.notifier;
    this.clock = deps.clock;
    this.timezone = deps.timezone;
  }

  /** Today's calendar date in the deployment's time zone. */
  today(): IsoDate {
    return calendarDate(this.clock.now(), this.timezone);
  }

  // ------------------------------------------------------------------ campaigns

  /**
   * Opens a round. Only admins (or the CLI). Lists every problem: the fields, then whether the
   * scope exists and has branches, and whether each pilot is a branch inside the scope.
   */
  async createCampaign(
    actor: Viewer | 'cli',
    input: CampaignInput,
  ): Promise<{ ok: true; campaign: Campaign } | { ok: false; errors: string[] }> {
    if (actor !== 'cli' && !this.org.isAdmin(actor)) {
      return { ok: false, errors: [actor.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly] };
    }
    const parsed = parseCampaignInput(input);
    const errors = parsed.ok ? [] : parsed.errors.map((e) => e.message);
    const scope = parsed.ok ? parsed.value.scope : typeof input.scope === 'string' ? input.scope.trim() : '';
    const pilots = parsed.ok ? parsed.value.pilots : Array.isArray(input.pilots) ? input.pilots : [];
    if (campaignInputSchema.shape.scope.safeParse(scope).success) {
      const scopeCheck = await this.checkScope(scope);
      if (!scopeCheck.ok) errors.push(scopeCheck.message);
      else {
        for (const e of await this.pilotErrors(scope, pilots.map(String))) errors.push(e);
      }
    }
    if (!parsed.ok || errors.length > 0) return { ok: false, errors: [...new Set(errors)] };
    const campaign = await this.campaigns.createCampaign(
      parsed.value,
      actor === 'cli' ? 'cli' : String(actor.id),
      this.clock.now(),
    );
    return { ok: true, campaign };
  }

  /**
   * Rounds with the name of each round's unit and whether it still takes dates and reports,
   * earliest deadline first; `openOnly` leaves out the closed and long-past ones.
   */
  async campaignList(
    opts: { openOnly?: boolean } = {},
  ): Promise<{ campaign: Campaign; scopeName: string; open: boolean }[]> {
    const today = this.today();
    const rounds = (await this.campaigns.listCampaigns())
      .map((campaign) => ({ campaign, open: isCampaignOpen(campaign, today) }))
      .filter((r) => r.open || !opts.openOnly)
      .sort((a, b) => byDeadline(a.campaign, b.campaign));
    const names = await this.org.units.getMany(rounds.map((r) => r.campaign.scope));
    return rounds.map((r) => ({ ...r, scopeName: names.get(r.campaign.scope)?.name ?? r.campaign.scope }));
  }

  /**
   * Checks one answer of the guided campaign creation against the answers before it, as the
   * whole input will be checked at the end. `value` is normalised (ISO dates, "2025-2027",
   * pilot codes joined by ",").
   */
  async checkCampaignField(
    field: CampaignDialogField,
    raw: string,
    answers: Partial<Record<CampaignDialogField, string>>,
  ): Promise<CampaignFieldCheck> {
    const s = campaignInputSchema.shape;
    // Each field's schema carries its own Vietnamese message.
    const first = (r: { error?: { issues: { message: string }[] } }) => r.error?.issues[0]?.message ?? '';
    const text = raw.trim();
    switch (field) {
      case 'name':
      case 'term':
      case 'youngAge': {
        const r = s[field].safeParse(text);
        return r.success ? { ok: true, value: String(r.data) } : { ok: false, message: first(r) };
      }
      case 'scope': {
        const r = s.scope.safeParse(text);
        if (!r.success) return { ok: false, message: first(r) };
        return this.checkScope(r.data);
      }
      case 'opens': {
        const r = s.opens.safeParse(text);
        return r.success ? { ok: true, value: r.data } : { ok: false, message: first(r) };
      }
      case 'deadline': {
        const r = s.deadline.safeParse(text);
        if (!r.success) return { ok: false, message: first(r) };
        if (answers.opens !== undefined && r.data < answers.opens) {
          return { ok: false, message: m.campaignErrors.window(answers.opens, r.data) };
        }
        return { ok: true, value: r.data };
      }
      case 'pilots': {
        const codes = splitCodes(text);
        const r = s.pilots.safeParse(codes);
        if (!r.success) return { ok: false, message: first(r) };
        const errors = await this.pilotErrors(answers.scope ?? '', r.data);
        return errors.length > 0
          ? { ok: false, message: errors.join('\n') }
          : { ok: true, value: r.data.join(',') };
      }
    }
  }

  /** Units offered as buttons for a round's scope: the root and the committees right under it. */
  async scopeSuggestions(max = 8): Promise<UnitLink[]> {
    const root = await this.org.units.root();
    if (!root) return [];
    const children = await this.org.units.getMany(await this.org.units.children(root.code));
    const committees = [...children.values()].filter((u) => !isBranch(u)).slice(0, max - 1);
    return [root, ...committees].map((u) => ({ code: u.code, name: u.name }));
  }

  /** The guided creation's answers as the admin reads them before confirming. */
  async campaignSummary(answers: Partial<Record<CampaignDialogField, string>>): Promise<string> {
    const l = m.campaignDialog.summaryLines;
    const pilots = answers.pilots ? answers.pilots.split(',').filter(Boolean) : [];
    const units = await this.org.units.getMany([answers.scope ?? '', ...pilots].filter(Boolean));
    const nameOf = (code: string) => units.get(code)?.name ?? code;
    const lines = [
      l.name(answers.name ?? ''),
      l.term(formatTerm(answers.term ?? '')),
      l.scope(nameOf(answers.scope ?? ''), answers.scope ?? ''),
      l.window(formatVnDate(answers.opens ?? ''), formatVnDate(answers.deadline ?? '')),
      pilots.length > 0 ? l.pilots(pilots.map(nameOf).join(', ')) : l.noPilots,
      l.youngAge(Number(answers.youngAge ?? DEFAULT_YOUNG_AGE)),
    ];
    return m.campaignDialog.summary(lines);
  }

  private async checkScope(code: string): Promise<CampaignFieldCheck> {
    const unit = await this.org.units.get(code);
    if (!unit) return { ok: false, message: m.campaignErrors.scopeUnknown(code) };
    if ((await this.org.units.branchCount(code)) === 0) {
      return { ok: false, message: m.campaignErrors.scopeNoBranches(unit.name) };
    }
    return { ok: true, value: code };
  }

  private async pilotErrors(scope: string, pilots: readonly string[]): Promise<string[]> {
    if (pilots.length === 0) return [];
    const [found, ancestors, scopeUnit] = await Promise.all([
      this.org.units.getMany(pilots),
      this.org.units.ancestorsMany(pilots),
      this.org.units.get(scope),
    ]);
    const errors: string[] = [];
    for (const code of pilots) {
      const unit = found.get(code);
      if (!unit) errors.push(m.campaignErrors.pilotUnknown(code));
      else if (!isBranch(unit)) errors.push(m.campaignErrors.pilotNotBranch(unit.name));
      else if (code !== scope && !(ancestors.get(code) ?? []).includes(scope)) {
        errors.push(m.campaignErrors.pilotOutsideScope(unit.name, scopeUnit?.name ?? scope));
      }
    }
    return errors;
  }

  // ------------------------------------------------------------------ the secretary's branch and round

  /**
   * The branch and round a secretary's (or deputy's) command acts on. With one branch and one
   * open round covering it, that is it; otherwise the caller asks, then calls again with the
   * choice. A choice is checked again: a person only ever acts for their own branch.
   */
  async branchTarget(
    viewer: Viewer,
    choice: { branch?: string; campaignId?: string } = {},
  ): Promise<BranchChoice> {
    if (viewer.roles.length === 0) return { kind: 'refused', text: msg.units.noAccess };
    const branches = await this.org.reportingUnits(viewer);
    if (branches.length === 0) return { kind: 'refused', text: m.chat.secretaryOnly };
    let branch: Unit | undefined;
    if (choice.branch !== undefined) {
      branch = branches.find((b) => b.code === choice.branch);
      if (!branch) {
        const unit = await this.org.units.get(choice.branch);
        return { kind: 'refused', text: msg.units.noAccessToUnit(unit?.name ?? choice.branch) };
      }
    } else if (branches.length > 1) return { kind: 'chooseBranch', branches };
    else branch = branches[0]!;

    const ancestors = await this.org.units.ancestors(branch.code);
    const open = await this.campaigns.campaignsCovering([...ancestors, branch.code], this.today());
    if (choice.campaignId !== undefined) {
      const campaign = open.find((c) => c.id === choice.campaignId);
      if (!campaign) {
        // A round that closed while the person was answering says so; anything else is unknown here.
        const known = await this.campaigns.getCampaign(choice.campaignId);
        const closed = known !== undefined && [...ancestors, branch.code].includes(known.scope);
        return { kind: 'refused', text: closed ? m.campaignClosed : m.campaignNotFound };
      }
      return { kind: 'ok', target: { campaign, branch, ancestors } };
    }
    if (open.length === 0) return { kind: 'refused', text: m.chat.noOpenCampaign(branch.name) };
    if (open.length > 1) return { kind: 'chooseCampaign', branch, campaigns: open };
    return { kind: 'ok', target: { campaign: open[0]!, branch, ancestors } };
  }

  // ------------------------------------------------------------------ /lich

  /**
   * Registers or moves the branch's congress date ("15/09/2025 19:30"). The pilot rule: a branch
   * of a grassroots committee whose pilot congress has not been held before the date is told so,
   * and the responsible leaders are notified.
   */
  async registerDate(viewer: Viewer, target: BranchTarget, args: string): Promise<Outcome> {
    const parsed = parseRegistrationArgs(args);
    if (!parsed.ok) return { ok: false, text: parsed.message };
    const { campaign, branch, ancestors } = target;
    const r = await this.store.registerDate({
      campaignId: campaign.id,
      branch: branch.code,
      ancestors,
      date: parsed.date,
      ...(parsed.time !== undefined ? { time: parsed.time } : {}),
      committeePilots: await this.committeePilots(campaign, branch.code, ancestors),
      actor: String(viewer.id),
      now: this.clock.now(),
    });
    if (!r.ok) return { ok: false, text: r.message };
    const when = formatRegistrationWhen(r.registration.date, r.registration.time);
    let text =
      r.previous && r.changed
        ? m.registration.moved(formatRegistrationWhen(r.previous.date, r.previous.time), when)
        : m.registration.registered(when);
    if (r.pilotWarning) {
      const pilot = await this.org.units.get(r.pilotWarning.pilot);
      const pilotName = pilot?.name ?? r.pilotWarning.pilot;
      text += `\n\n${pilotWarningText(r.pilotWarning, pilotName)}`;
      const notice = pilotLeaderNotice(r.pilotWarning, branch.name, r.registration.date, pilotName);
      await this.toLeaders(branch.code, ancestors, notice, (personId) => ({
        id: outboxId('dh-diem', campaign.id, branch.code, r.registration.date, personId),
        purpose: 'notice',
      }));
    }
    return { ok: true, text };
  }

  /** The round's pilots in the branch's grassroots committee (its nearest đảng bộ cơ sở, else its parent). */
  private async committeePilots(
    campaign: Campaign,
    branch: string,
    ancestors: readonly string[],
  ): Promise<string[]> {
    if (campaign.pilots.length === 0 || ancestors.length === 0) return [];
    const ancestorUnits = await this.org.units.getMany(ancestors);
    const committee =
      [...ancestors].reverse().find((c) => ancestorUnits.get(c)?.level === 'dang_bo_co_so') ??
      ancestors[ancestors.length - 1]!;
    const pilotAncestors = await this.org.units.ancestorsMany(campaign.pilots);
    return campaign.pilots.filter((p) => p !== branch && (pilotAncestors.get(p) ?? []).includes(committee));
  }

  // ------------------------------------------------------------------ /daihoi: form and dialog

  /** The blank form a secretary copies and fills in. */
  blankForm(): string {
    return blankCongressForm();
  }

  /**
   * Whether a plain message is a filled-in congress form: it answers at least `FORM_MIN_LABELS`
   * labels, and more of its lines answer a label than not (a meeting report is not taken).
   */
  isCongressForm(text: string): boolean {
    const parsed = parseForm(text, congressFormFields);
    const answered = Object.keys(parsed.values).length;
    return answered >= FORM_MIN_LABELS && answered > parsed.unknownLines.length;
  }

  /** Why "/lich …" arguments are not a date (and optional time), or undefined when they are. */
  registrationArgsError(args: string): string | undefined {
    const parsed = parseRegistrationArgs(args);
    return parsed.ok ? undefined : parsed.message;
  }

  /** The text a dialog button stands for: option `index` of the question for `field`. */
  dialogOption(field: string, index: number): string | undefined {
    return DIALOG_STEPS.find((s) => s.field === field)?.options[index];
  }

  /** Checks a filled-in form; lists every problem at once. Saves nothing. */
  checkForm(target: BranchTarget, text: string): ReportCheck {
    return this.asCheck(target, validateCongressReport(text, this.reportContext(target)));
  }

  /** The dialog's first question. */
  startReportDialog(target: BranchTarget): DialogTurn & { kind: 'ask' } {
    const state = startDialog();
    return this.ask(target, state, m.chat.dialogStart(target.branch.name));
  }

  /** Takes the answer to the current question: the next question, the question again, or the card. */
  answerReportDialog(target: BranchTarget, state: CongressDialogState, answer: string): DialogTurn {
    const ctx = this.reportContext(target);
    const r = applyDialogAnswer(state, answer, ctx);
    if (!r.ok) {
      const problems = r.errors.map((e) => `- ${e}`).join('\n');
      return this.ask(target, state, `${problems}\n${m.chat.dialogRetry}`);
    }
    if (!r.done) return this.ask(target, r.state);
    const check = this.asCheck(target, finishDialog(r.state, ctx));
    return check.ok
      ? { kind: 'confirm', report: check.report, text: check.text }
      : { kind: 'invalid', text: check.text };
  }

  private ask(
    target: BranchTarget,
    state: CongressDialogState,
    before?: string,
  ): DialogTurn & { kind: 'ask' } {
    const step = currentStep(state);
    const prompt = dialogPrompt(state, target.campaign);
    return {
      kind: 'ask',
      state,
      field: step?.field ?? 'note',
      text: before ? `${before}\n\n${prompt}` : prompt,
      options: step?.options ?? [],
    };
  }

  private reportContext(target: BranchTarget): ReportContext {
    return { campaign: target.campaign, branchSize: target.branch.members, today: this.today() };
  }

  private asCheck(target: BranchTarget, v: ReportValidation): ReportCheck {
    if (!v.ok) return { ok: false, text: renderValidationErrors(v.errors, v.hints) };
    const parts = [renderReportCard(v.report, target.branch.name)];
    if (v.hints.length > 0) parts.push(renderValidationErrors([], v.hints));
    parts.push(m.card.confirm);
    return { ok: true, report: v.report, text: parts.join('\n\n') };
  }

  /**
   * Saves a confirmed result (or an amendment: earlier versions stay in the history), checking
   * again that the person reports for the branch and the round is open. The responsible leaders
   * get the card with a «Chuẩn y» button.
   */
  async saveReport(
    viewer: Viewer,
    campaignId: string,
    branchCode: string,
    report: CongressReport,
  ): Promise<Outcome> {
    const choice = await this.branchTarget(viewer, { branch: branchCode, campaignId });
    if (choice.kind !== 'ok')
      return { ok: false, text: choice.kind === 'refused' ? choice.text : m.campaignNotFound };
    const { campaign, branch, ancestors } = choice.target;
    const r = await this.store.saveReport({
      campaignId,
      branch: branch.code,
      ancestors,
      report,
      actor: String(viewer.id),
      now: this.clock.now(),
    });
    if (!r.ok) return { ok: false, text: r.message };
    if (r.unchanged) return { ok: true, text: m.unchanged };
    const notice = [
      escapeHtml(m.chat.reportNotice(branch.name, r.version)),
      renderReportCard(report, branch.name),
      m.chat.reportNoticeAsk,
    ].join('\n\n');
    const sent = await this.toLeaders(branch.code, ancestors, notice, (personId) => ({
      id: outboxId('dh-bc', campaign.id, branch.code, r.version, personId),
      purpose: 'notice',
      parseMode: 'HTML',
      replyMarkup: approveMarkup(campaign.id, branch.code),
    }));
    const saved = r.amended ? m.amended(r.version) : m.saved;
    return { ok: true, text: sent > 0 ? m.chat.savedWithNotice(saved) : saved };
  }

  /** Every version of a branch's result, oldest first (the last is current). */
  async reportHistory(campaignId: string, branch: string): Promise<ReportRecord[]> {
    return this.store.reportHistory(campaignId, branch);
  }

  /** The branch's registered congress date in the round, if any. */
  async registration(campaignId: string, branch: string): Promise<Registration | undefined> {
    return this.store.getRegistration(campaignId, branch);
  }

  // ------------------------------------------------------------------ chuẩn y

  /**
   * Chuẩn y of a branch's result by a leader responsible for it (its unit or an ancestor's) or
   * an admin. The branch's secretaries and deputies are told.
   */
  async approve(viewer: Viewer, campaignId: string, branchCode: string): Promise<Outcome> {
    if (viewer.roles.length === 0) return { ok: false, text: msg.units.noAccess };
    const [campaign, branch, ancestors] = await Promise.all([
      this.campaigns.getCampaign(campaignId),
      this.org.units.get(branchCode),
      this.org.units.ancestors(branchCode),
    ]);
    if (!campaign) return { ok: false, text: m.campaignNotFound };
    if (!branch) return { ok: false, text: msg.units.unknownUnit(branchCode) };
    if (!this.leads(viewer, branchCode, ancestors)) return { ok: false, text: m.chat.notApprover };
    const r = await this.store.approve({
      campaignId,
      branch: branchCode,
      ancestors,
      actor: String(viewer.id),
      now: this.clock.now(),
    });
    if (!r.ok) return { ok: false, text: m.approveWithoutReport(branch.name) };
    if (r.alreadyApproved) {
      return {
        ok: true,
        text: m.alreadyApproved(branch.name, formatVnDate(calendarDate(r.approved.at, this.timezone))),
      };
    }
    const holders = [
      ...(await this.org.people.holdersOf(branchCode, 'secretary')),
      ...(await this.org.people.holdersOf(branchCode, 'deputy')),
    ];
    const text = m.chat.approvedNotice(branch.name, formatTerm(campaign.term));
    for (const personId of new Set(holders)) {
      await this.notifier.toPerson(personId, text, {
        id: outboxId('dh-cy', campaignId, branchCode, personId),
        purpose: 'notice',
      });
    }
    return { ok: true, text: m.approved(branch.name) };
  }

  // ------------------------------------------------------------------ /tiendo

  /**
   * Where /tiendo starts for this person: their one scope (an admin's is the root) and the one
   * open round there; or the scopes or rounds to choose from. `unitCode` picks a scope.
   */
  async progressStart(viewer: Viewer, unitCode?: string): Promise<ProgressStart> {
    if (viewer.roles.length === 0) return { kind: 'refused', text: msg.units.noAccess };
    const scopes = await this.progressScopes(viewer);
    if (scopes.length === 0) return { kind: 'refused', text: m.chat.leaderOnly };
    let unit: Unit | undefined;
    if (unitCode !== undefined) {
      unit = await this.org.units.get(unitCode);
      if (!unit) return { kind: 'refused', text: msg.units.unknownUnit(unitCode) };
      if (!this.leads(viewer, unitCode, await this.org.units.ancestors(unitCode))) {
        return { kind: 'refused', text: msg.units.noAccessToUnit(unit.name) };
      }
    } else if (scopes.length > 1) return { kind: 'chooseScope', units: scopes };
    else unit = scopes[0]!;

    const options = await this.campaignsAround(unit.code);
    if (options.length === 0) return { kind: 'refused', text: m.chat.noCampaignInScope(unit.name) };
    if (options.length > 1) return { kind: 'chooseCampaign', options };
    const only = options[0]!;
    return { kind: 'ok', campaignId: only.campaign.id, unit: only.unit };
  }

  /** Units a person's /tiendo starts at: the root for an admin, the (outermost) units they lead. */
  private async progressScopes(viewer: Viewer): Promise<Unit[]> {
    if (this.org.isAdmin(viewer)) {
      const root = await this.org.units.root();
      return root ? [root] : [];
    }
    const leaderRoles = viewer.roles.filter((r) => r.kind === 'leader');
    if (leaderRoles.length === 0) return [];
    return this.org.viewScopes({ id: viewer.id, roles: leaderRoles });
  }

  /**
   * Open rounds that concern a unit, each with the unit to show: the unit itself when the round
   * covers it, or the round's own scope when that lies below the unit.
   */
  private async campaignsAround(unitCode: string): Promise<{ campaign: Campaign; unit: string }[]> {
    const today = this.today();
    const open = (await this.campaigns.listCampaigns()).filter((c) => isCampaignOpen(c, today));
    if (open.length === 0) return [];
    const [ancestors, scopeAncestors] = await Promise.all([
      this.org.units.ancestors(unitCode),
      this.org.units.ancestorsMany(open.map((c) => c.scope)),
    ]);
    const out: { campaign: Campaign; unit: string }[] = [];
    for (const c of open.sort(byDeadline)) {
      if (c.scope === unitCode || ancestors.includes(c.scope)) out.push({ campaign: c, unit: unitCode });
      else if ((scopeAncestors.get(c.scope) ?? []).includes(unitCode))
        out.push({ campaign: c, unit: c.scope });
    }
    return out;
  }

  /**
   * The /tiendo answer for one unit in one round: held X/Y, registered only, the next 7 days,
   * overdue branches (at most 20 named), one line per child unit, and the statistics paragraph.
   * Reads the unit's and its children's counters, branch counts from the tree and the date
   * index; for names of overdue branches past the deadline it walks down only into children
   * that still have branches without a date or a result.
   */
  async progress(viewer: Viewer, campaignId: string, unitCode: string): Promise<ProgressAnswer> {
    if (viewer.roles.length === 0) return { ok: false, text: msg.units.noAccess };
    const units = this.org.units;
    const [campaign, unit, ancestors] = await Promise.all([
      this.campaigns.getCampaign(campaignId),
      units.get(unitCode),
      units.ancestors(unitCode),
    ]);
    if (!campaign) return { ok: false, text: m.campaignNotFound };
    if (!unit) return { ok: false, text: msg.units.unknownUnit(unitCode) };
    if (!this.leads(viewer, unitCode, ancestors))
      return { ok: false, text: msg.units.noAccessToUnit(unit.name) };
    if (unitCode !== campaign.scope && !ancestors.includes(campaign.scope)) {
      return { ok: false, text: m.chat.notInCampaign(unit.name) };
    }

    const today = this.today();
    const range = upcomingRange(today);
    const childCodes = isBranch(unit) ? [] : await units.children(unitCode);
    const [totals, counts, childAggs, childUnits, upcomingAll, overdueAll] = await Promise.all([
      this.store.aggregate(campaignId, unitCode),
      units.branchCounts([unitCode, ...childCodes]),
      this.store.aggregates(campaignId, childCodes),
      units.getMany(childCodes),
      this.store.upcoming(campaignId, range.from, range.to),
      this.store.overdueRegistrations(campaignId, today),
    ]);
    const totalBranches = counts.get(unitCode) ?? 0;
    // The date index covers the whole round; below the round's scope keep this subtree's entries.
    const [upcoming, overdueRegs] =
      unitCode === campaign.scope
        ? [upcomingAll, overdueAll]
        : await this.inSubtree(unitCode, [upcomingAll, overdueAll]);

    const pastDeadline = today > campaign.deadline;
    const overdueCount = pastDeadline ? Math.max(0, totalBranches - totals.held) : overdueRegs.length;
    const overdueNamed: { code: string; registeredDate?: IsoDate }[] = overdueRegs
      .slice(0, OVERDUE_NAMES_MAX)
      .map((r) => ({ code: r.branch, registeredDate: r.date }));
    if (pastDeadline && overdueNamed.length < OVERDUE_NAMES_MAX && overdueCount > overdueNamed.length) {
      const level: Level = { codes: childCodes, units: childUnits, aggs: childAggs, counts };
      const found = isBranch(unit)
        ? totals.held === 0 && totals.registeredOnly === 0
          ? [unit.code]
          : []
        : await this.withoutDate(campaignId, level, OVERDUE_NAMES_MAX - overdueNamed.length);
      for (const code of found) overdueNamed.push({ code });
    }
    const upcomingNamed = upcoming.slice(0, UPCOMING_NAMES_MAX);
    const names = await units.getMany([
      ...upcomingNamed.map((r) => r.branch),
      ...overdueNamed.map((o) => o.code),
    ]);
    const nameOf = (code: string) => names.get(code)?.name ?? code;

    const children: ProgressView['children'][number][] = [];
    const drill: UnitLink[] = [];
    const approvable: UnitLink[] = [];
    let awaiting = 0;
    childCodes.forEach((code, i) => {
      const child = childUnits.get(code);
      const total = counts.get(code) ?? 0;
      const agg = childAggs[i];
      if (!child || !agg || total === 0) return;
      children.push({ name: child.name, held: agg.held, total });
      if (!isBranch(child)) {
        if (drill.length < DRILL_BUTTONS_MAX) drill.push({ code, name: child.name });
      } else if (agg.held > agg.approved) {
        awaiting++;
        if (approvable.length < APPROVE_BUTTONS_MAX) approvable.push({ code, name: child.name });
      }
    });
    if (isBranch(unit) && totals.held > totals.approved) {
      awaiting++;
      approvable.push({ code: unit.code, name: unit.name });
    }

    const view: ProgressView = {
      scopeName: unit.name,
      term: campaign.term,
      today,
      deadline: campaign.deadline,
      totals,
      totalBranches,
      upcoming: upcomingNamed.map((r) => ({
        date: r.date,
        ...(r.time !== undefined ? { time: r.time } : {}),
        branchName: nameOf(r.branch),
      })),
      upcomingCount: upcoming.length,
      overdue: overdueNamed.map((o) => ({
        name: nameOf(o.code),
        ...(o.registeredDate ? { registeredDate: o.registeredDate } : {}),
      })),
      overdueCount,
      children,
    };
    const parts = [
      renderProgress(view),
      `<b>${m.progress.statsHeader}</b>\n${renderResultStats(totals, { asOf: today, term: campaign.term, totalBranches })}`,
    ];
    if (awaiting > 0) parts.push(m.progress.awaitingApproval(String(awaiting)));

    let up: UnitLink | undefined;
    const parentCode = ancestors[ancestors.length - 1];
    if (
      unitCode !== campaign.scope &&
      parentCode !== undefined &&
      this.leads(viewer, parentCode, ancestors.slice(0, -1))
    ) {
      const parent = await units.get(parentCode);
      if (parent) up = { code: parent.code, name: parent.name };
    }
    return {
      ok: true,
      campaignId,
      chunks: splitMessage(parts.join('\n\n')),
      drill,
      ...(up ? { up } : {}),
      approvable,
    };
  }

  /** Keeps the registrations of branches inside `unitCode`'s subtree. */
  private async inSubtree(
    unitCode: string,
    lists: [Registration[], Registration[]],
  ): Promise<[Registration[], Registration[]]> {
    const codes = [...new Set(lists.flat().map((r) => r.branch))];
    const ancestors = await this.org.units.ancestorsMany(codes);
    const inside = (r: Registration) =>
      r.branch === unitCode || (ancestors.get(r.branch) ?? []).includes(unitCode);
    return [lists[0].filter(inside), lists[1].filter(inside)];
  }

  /**
   * Up to `limit` branches with neither a registered date nor a result, found by walking down
   * from one level of the tree, in tree order, descending only into committees whose counters
   * say such branches are below them.
   */
  private async withoutDate(campaignId: string, level: Level, limit: number): Promise<string[]> {
    const found: string[] = [];
    const visit = async (l: Level): Promise<void> => {
      for (const [i, code] of l.codes.entries()) {
        if (found.length >= limit) return;
        const unit = l.units.get(code);
        const agg = l.aggs[i];
        if (!unit || !agg) continue;
        if (isBranch(unit)) {
          if (agg.held === 0 && agg.registeredOnly === 0) found.push(code);
          continue;
        }
        if ((l.counts.get(code) ?? 0) - agg.held - agg.registeredOnly <= 0) continue;
        const codes = await this.org.units.children(code);
        const [units, aggs, counts] = await Promise.all([
          this.org.units.getMany(codes),
          this.store.aggregates(campaignId, codes),
          this.org.units.branchCounts(codes),
        ]);
        await visit({ codes, units, aggs, counts });
      }
    };
    await visit(level);
    return found;
  }

  // ------------------------------------------------------------------ helpers

  /** An admin, or a leader of the unit or of one of its ancestors. */
  private leads(viewer: Viewer, unitCode: string, ancestors: readonly string[]): boolean {
    if (this.org.isAdmin(viewer)) return true;
    return viewer.roles.some(
      (r) => r.kind === 'leader' && (r.unit === unitCode || ancestors.includes(r.unit)),
    );
  }

  /** Sends a notice to each leader responsible for the unit; returns how many were addressed. */
  private async toLeaders(
    unitCode: string,
    ancestors: readonly string[],
    text: string,
    options: (personId: number) => Parameters<Notifier['toPerson']>[2],
  ): Promise<number> {
    const leaders = await this.org.people.responsibleLeaders(unitCode, ancestors);
    if (!leaders) return 0;
    for (const personId of leaders.people) await this.notifier.toPerson(personId, text, options(personId));
    return leaders.people.length;
  }
}

function byDeadline(a: Campaign, b: Campaign): number {
  return a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0;
}

/** One level of the tree as /tiendo reads it. */
interface Level {
  codes: readonly string[];
  units: ReadonlyMap<string, Unit>;
  aggs: readonly Counters[];
  counts: ReadonlyMap<string, number>;
}

/** The «Chuẩn y» button under a report notification. */
function approveMarkup(campaignId: string, branch: string): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [{ text: m.chat.buttonApprove, callback_data: congressCallback.approve(campaignId, branch) }],
    ],
  };
}

/** "CB01, CB07; CB09" → codes; "-", "không", «Không có» → none. */
function splitCodes(text: string): string[] {
  const t = text.trim();
  if (t === '' || ['-', 'khong', 'không', 'khong co', 'không có'].includes(t.toLowerCase())) return [];
  return t.split(/[\s,;]+/).filter(Boolean);
}

/** Validated draft fields as the guided creation collected them. */
export function campaignInputFromAnswers(
  answers: Partial<Record<CampaignDialogField, string>>,
): CampaignInput {
  return {
    name: answers.name ?? '',
    term: answers.term ?? '',
    scope: answers.scope ?? '',
    opens: answers.opens ?? '',
    deadline: answers.deadline ?? '',
    pilots: answers.pilots ? answers.pilots.split(',').filter(Boolean) : [],
    youngAge: answers.youngAge ?? String(DEFAULT_YOUNG_AGE),
  };
}
