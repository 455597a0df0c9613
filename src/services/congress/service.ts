/**
 * The branch congress round (đại hội chi bộ) as the edges use it: opening a round, registering a
 * congress date with the pilot rule, checking and saving a result (form or dialog), approval
 * (chuẩn y) and progress (/tiendo). Every permission check for the round is behind this facade,
 * so chat and CLI cannot differ, and every message the bot starts itself goes out through the
 * notifier.
 *
 * Chat answers are returned as data (`src/chat/reply.ts`), with buttons packed by this folder's
 * one codec (`actions.ts`). Where a person is in a report or in opening a round is the
 * `congress` or `congressCampaign` dialog (`src/services/dialogs.ts`), so a dialog or a card
 * waiting for its button survives a restart.
 */
import type { Outcome, Reply } from '../../chat/reply.js';
import type { Campaign, CampaignInput } from '../../domain/congress/campaign.js';
import type { Decision } from '../../domain/congress/decision.js';
import type { CongressDialogState } from '../../domain/congress/dialog.js';
import type { ExtensionArgs } from '../../domain/congress/extension.js';
import type { Registration } from '../../domain/congress/registration.js';
import { blankCongressForm, type CongressReport, type ReportRecord } from '../../domain/congress/report.js';
import type { IsoDate } from '../../domain/vn.js';
import type { CongressOfficeStore } from '../../store/congressOffice.js';
import type { Session } from '../dialogs.js';
import type { Viewer } from '../organisation.js';
import type { CongressAction } from './actions.js';
import { approve, chuany, continueDecision } from './approval.js';
import { branchTarget } from './branchTarget.js';
import { act } from './buttons.js';
import { continueCampaign, openCampaignDialog } from './campaignChat.js';
import { campaignSummary, checkCampaignField, scopeSuggestions } from './campaignDialog.js';
import { campaignList, createCampaign } from './campaigns.js';
import type { DecisionState } from './decisionState.js';
import { type CongressServiceDeps, todayOf } from './deps.js';
import { extend, extendFromChat } from './extension.js';
import { assignAttendee, chuanbi, lichdaihoi, phancong, runOfficeReminders } from './office.js';
import { progress } from './progress.js';
import { progressReplies } from './progressChat.js';
import { ProgressHints } from './progressHints.js';
import { progressStart } from './progressStart.js';
import { registerDate, registrationArgsError } from './registration.js';
import { answerReportDialog, checkForm, isCongressForm, startReportDialog } from './reportEntry.js';
import { continueReport, daihoi, lich, pastedForm } from './reporting.js';
import { saveReport } from './reportSaving.js';
import type { CampaignDialogField, CampaignState, CongressState } from './state.js';
import type {
  Answer,
  BranchChoice,
  BranchTarget,
  CampaignFieldCheck,
  DialogTurn,
  ProgressAnswer,
  ProgressStart,
  ReportCheck,
  UnitLink,
} from './types.js';

export class CongressService {
  private readonly deps: CongressServiceDeps;

  constructor(deps: CongressServiceDeps) {
    this.deps = {
      org: deps.org,
      campaigns: deps.campaigns,
      store: deps.store,
      ...(deps.memberCounts ? { memberCounts: deps.memberCounts } : {}),
      notifier: deps.notifier,
      dialogs: deps.dialogs,
      clock: deps.clock,
      timezone: deps.timezone,
      progressHints: new ProgressHints(),
    };
  }

  /** Today's calendar date in the deployment's time zone. */
  today(): IsoDate {
    return todayOf(this.deps);
  }

  // ------------------------------------------------------------------ chat

  /** `/lich DD/MM/YYYY [HH:MM]`: registers or moves the branch's congress date. */
  lich(s: Session, args: string): Promise<Reply[]> {
    return lich(this.deps, s, args);
  }

  /** `/daihoi` alone (the blank form and the dialog button) or with a filled-in form (its card). */
  daihoi(s: Session, body: string): Promise<Reply[]> {
    return daihoi(this.deps, s, body);
  }

  /** Text with no dialog open: a congress form pasted without the command; undefined for anything else. */
  pastedForm(s: Session, text: string): Promise<Reply[] | undefined> {
    return pastedForm(this.deps, s, text);
  }

  /** Text while a congress report is open: a dialog answer, a corrected form, or a reminder of the awaited button. */
  continueReport(s: Session, state: CongressState, text: string): Promise<Reply[]> {
    return continueReport(this.deps, s, state, text);
  }

  /** `/dotdaihoi`: opening a round step by step (admins). */
  openCampaignDialog(s: Session): Promise<Reply[]> {
    return openCampaignDialog(this.deps, s);
  }

  /** Text while a round is being opened: the answer to the current step. */
  continueCampaign(s: Session, state: CampaignState, text: string): Promise<Reply[]> {
    return continueCampaign(this.deps, s, state, text);
  }

  /** `/tiendo [MÃ]`: progress of the asker's scope, or of a unit in it. */
  tiendo(viewer: Viewer, args: string): Promise<Reply[]> {
    const code = args.split(/\s+/)[0] ?? '';
    return progressReplies(this.deps, viewer, code === '' ? undefined : code);
  }

  /** A button was pressed. */
  act(s: Session, action: CongressAction): Promise<Outcome> {
    return act(this.deps, s, action);
  }

  // ------------------------------------------------------------------ campaigns

  /**
   * Opens a round. Only admins (or the CLI). Lists every problem: the fields, then whether the
   * scope exists and has branches, and whether each pilot is a branch inside the scope.
   */
  createCampaign(
    actor: Viewer | 'cli',
    input: CampaignInput,
  ): Promise<{ ok: true; campaign: Campaign; duplicate?: true } | { ok: false; errors: string[] }> {
    return createCampaign(this.deps, actor, input);
  }

  /**
   * Rounds with the name of each round's unit and whether it still takes dates and reports,
   * earliest deadline first; `openOnly` leaves out the closed and long-past ones.
   */
  campaignList(
    opts: { openOnly?: boolean } = {},
  ): Promise<{ campaign: Campaign; scopeName: string; open: boolean }[]> {
    return campaignList(this.deps, opts);
  }

  /**
   * Checks one answer of the guided campaign creation against the answers before it, as the
   * whole input will be checked at the end. `value` is normalised (ISO dates, "2025-2027",
   * pilot codes joined by ",").
   */
  checkCampaignField(
    field: CampaignDialogField,
    raw: string,
    answers: Partial<Record<CampaignDialogField, string>>,
  ): Promise<CampaignFieldCheck> {
    return checkCampaignField(this.deps.org, field, raw, answers);
  }

  /** Units offered as buttons for a round's scope: the root and the committees right under it. */
  scopeSuggestions(max = 8): Promise<UnitLink[]> {
    return scopeSuggestions(this.deps.org, max);
  }

  /** The guided creation's answers as the admin reads them before confirming. */
  campaignSummary(answers: Partial<Record<CampaignDialogField, string>>): Promise<string> {
    return campaignSummary(this.deps.org, answers);
  }

  // ------------------------------------------------------------------ the secretary's branch and round

  /**
   * The branch and round a secretary's (or deputy's) command acts on. With one branch and one
   * open round covering it, that is it; otherwise the caller asks, then calls again with the
   * choice. A choice is checked again: a person only ever acts for their own branch.
   */
  branchTarget(viewer: Viewer, choice: { branch?: string; campaignId?: string } = {}): Promise<BranchChoice> {
    return branchTarget(this.deps, viewer, choice);
  }

  // ------------------------------------------------------------------ /lich

  /**
   * Registers or moves the branch's congress date ("15/09/2025 19:30"). The pilot rule: a branch
   * of a grassroots committee whose pilot congress has not been held before the date is told so,
   * and the responsible leaders are notified.
   */
  registerDate(viewer: Viewer, target: BranchTarget, args: string): Promise<Answer> {
    return registerDate(this.deps, viewer, target, args);
  }

  /** Why "/lich …" arguments are not a date (and optional time), or undefined when they are. */
  registrationArgsError(args: string): string | undefined {
    return registrationArgsError(args);
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
    return isCongressForm(text);
  }

  /** Checks a filled-in form; lists every problem at once. Saves nothing. */
  checkForm(target: BranchTarget, text: string): ReportCheck {
    return checkForm(target, text, this.today());
  }

  /** The dialog's first question. */
  startReportDialog(target: BranchTarget): DialogTurn & { kind: 'ask' } {
    return startReportDialog(target);
  }

  /** Takes the answer to the current question: the next question, the question again, or the card. */
  answerReportDialog(target: BranchTarget, state: CongressDialogState, answer: string): DialogTurn {
    return answerReportDialog(target, state, answer, this.today());
  }

  /**
   * Saves a confirmed result (or an amendment: earlier versions stay in the history), checking
   * again that the person reports for the branch and the round is open. The responsible leaders
   * get the card with a «Chuẩn y» button. `card`: the nonce of the confirmation card pressed and
   * the key of the dialog holding it (ended with the save).
   */
  saveReport(
    viewer: Viewer,
    campaignId: string,
    branchCode: string,
    report: CongressReport,
    card?: { nonce: string; dialogKey: string },
  ): Promise<Answer> {
    return saveReport(this.deps, viewer, campaignId, branchCode, report, card);
  }

  /** Every version of a branch's result, oldest first (the last is current). */
  async reportHistory(campaignId: string, branch: string): Promise<ReportRecord[]> {
    return this.deps.store.reportHistory(campaignId, branch);
  }

  /** The branch's registered congress date in the round, if any. */
  async registration(campaignId: string, branch: string): Promise<Registration | undefined> {
    return this.deps.store.getRegistration(campaignId, branch);
  }

  // ------------------------------------------------------------------ chuẩn y

  /**
   * Records chuẩn y (chỉ định without election) of a branch's result by quyết định, bound to
   * `version` (the current one when not given). Admins, and leaders of the branch's subtree
   * invited as approvers. The branch's secretaries and deputies are told.
   */
  approve(
    viewer: Viewer,
    campaignId: string,
    branchCode: string,
    opts: { decision: Decision; version?: number },
  ): Promise<Answer> {
    return approve(this.deps, viewer, campaignId, branchCode, opts);
  }

  /** `/chuany MÃ SỐ DD/MM/YYYY`. */
  chuany(viewer: Viewer, args: string): Promise<Reply[]> {
    return chuany(this.deps, viewer, args);
  }

  /** `/chuanbi [MÃ] [số …]`: the branch's preparation or follow-up checklist. */
  chuanbi(s: Session, args: string): Promise<Reply[]> {
    return chuanbi(this.deps, s, args);
  }

  /** `/phancong MÃ`: choose an upper-level attendee for the branch's congress. */
  phancong(viewer: Viewer, args: string): Promise<Reply[]> {
    return phancong(this.deps, viewer, args);
  }

  /** `campaign assign` (CLI) or a /phancong button: `personId` attends the branch's congress. */
  assignAttendee(
    actor: Viewer | 'cli',
    branch: string,
    personId: number,
    campaignId?: string,
  ): Promise<{ ok: boolean; text: string }> {
    return assignAttendee(this.deps, actor, branch, personId, campaignId);
  }

  /** `/lichdaihoi`: the next 14 days of congresses in scope, with attendees and own assignments. */
  lichdaihoi(viewer: Viewer): Promise<Reply[]> {
    return lichdaihoi(this.deps, viewer);
  }

  /** The round's checklists and attendees, for the CLI. */
  get office(): CongressOfficeStore {
    return this.deps.store.office;
  }

  /** The daily office reminders: preparation, follow-up, attendees. */
  runOfficeReminders(now: number): Promise<{ queued: number }> {
    return runOfficeReminders(this.deps, now);
  }

  /** Text while the decision dialog is open. */
  continueDecision(s: Session, state: DecisionState, text: string): Promise<Reply[]> {
    return continueDecision(this.deps, s, state, text);
  }

  // ------------------------------------------------------------------ gia hạn

  /** `/giahan MÃ DD/MM/YYYY [mã đợt] [lý do]`: extends one branch's deadline (admins, leaders of its subtree). */
  giahan(viewer: Viewer, args: string): Promise<Answer> {
    return extendFromChat(this.deps, viewer, args);
  }

  /**
   * Grants or moves a branch's extension (gia hạn): it may register and report up to `until`.
   * `campaignId` picks the round; without it, the one open round covering the branch.
   */
  extend(actor: Viewer | 'cli', input: ExtensionArgs): Promise<Answer> {
    return extend(this.deps, actor, input);
  }

  // ------------------------------------------------------------------ /tiendo

  /**
   * Where /tiendo starts for this person: their one scope (an admin's is the root) and the one
   * open round there; or the scopes or rounds to choose from. `unitCode` picks a scope.
   */
  progressStart(viewer: Viewer, unitCode?: string): Promise<ProgressStart> {
    return progressStart(this.deps, viewer, unitCode);
  }

  /**
   * The /tiendo answer for one unit in one round: held X/Y, registered only, the next 7 days,
   * overdue branches (at most 20 named), one line per child unit, and the statistics paragraph.
   */
  progress(viewer: Viewer, campaignId: string, unitCode: string): Promise<ProgressAnswer> {
    return progress(this.deps, viewer, campaignId, unitCode);
  }
}
