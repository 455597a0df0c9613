/**
 * Monthly branch meetings (sinh hoạt chi bộ) as the edges use them: the report a secretary or
 * deputy sends (fill-in form or guided dialog, a confirmation card, saved only on «Xác nhận»),
 * the absence warnings that follow a save, the compliance summary leaders read, and the meeting
 * calendar settings admins keep. Every permission check for meetings is in this folder, so the
 * chat commands and the CLI cannot differ.
 *
 * Replies are returned as data (`src/chat/reply.ts`), with buttons packed by this folder's one
 * codec (`actions.ts`). Where a person is in a report is the `meetings` dialog
 * (`src/services/dialogs.ts`), so a dialog or a card waiting for its button survives a restart.
 */
import type { Outcome, Reply } from '../../chat/reply.js';
import type { YearMonth } from '../../domain/meetings/calendar.js';
import type { ComplianceData } from '../../domain/meetings/compliance.js';
import type { MeetingReport } from '../../domain/meetings/report.js';
import type { ResolvedSettings } from '../../domain/meetings/settings.js';
import type { Unit } from '../../domain/units.js';
import type { IsoDate } from '../../domain/vn.js';
import type { StoredMeetingReport } from '../../store/meetings.js';
import type { Session } from '../dialogs.js';
import type { Viewer } from '../organisation.js';
import type { MeetingAction } from './actions.js';
import { act } from './buttons.js';
import { type MeetingContext, type MeetingServiceDeps, meetingContext } from './context.js';
import { compliance, progress, progressOf } from './progress.js';
import { continueReport, pastedForm, start } from './reporting.js';
import { saveReport } from './saveReport.js';
import { changeSettings, configure, describeSettings, settingsFor } from './settings.js';
import type { MeetingState } from './state.js';
import type { SaveOutcome, SettingsChange, SettingsOutcome } from './types.js';

export class MeetingService {
  private readonly ctx: MeetingContext;

  constructor(deps: MeetingServiceDeps) {
    this.ctx = meetingContext(deps);
  }

  /** Today's date in the deployment's time zone. */
  today(): IsoDate {
    return this.ctx.today();
  }

  // ---------------------------------------------------------------- reporting

  /**
   * `/sinhhoat [filled form]`: with a form, checks it and shows the card; alone, the blank form
   * (member count filled in) with a button for the dialog, or the branch choice for a secretary
   * of several branches, or the question a dialog in progress stopped at.
   */
  start(s: Session, body: string): Promise<Reply[]> {
    return start(this.ctx, s, body);
  }

  /** Text with no dialog open: a meeting form pasted without the command; undefined for anything else. */
  pastedForm(s: Session, text: string): Promise<Reply[] | undefined> {
    return pastedForm(this.ctx, s, text);
  }

  /**
   * Text while a meeting report is open: an answer to the dialog, a corrected form, or a
   * reminder of the card waiting for its button.
   */
  continueReport(s: Session, state: MeetingState, text: string): Promise<Reply[]> {
    return continueReport(this.ctx, s, state, text);
  }

  /** A button was pressed. */
  act(s: Session, action: MeetingAction): Promise<Outcome> {
    return act(this.ctx, s, action);
  }

  /**
   * Saves a valid report for a branch the person reports for, then warns about unexcused
   * absences: the reporter in the reply, and from the third month the responsible leaders and
   * the branch's other secretaries and deputies through the outbox.
   */
  saveReport(viewer: Viewer, branchCode: string, report: MeetingReport): Promise<SaveOutcome> {
    return saveReport(this.ctx, viewer, branchCode, report);
  }

  /** Every saved version of a branch's report for a month, oldest first. */
  history(branch: string, month: YearMonth): Promise<StoredMeetingReport[]> {
    return this.ctx.store.history(branch, month);
  }

  /** The current report of a branch for a month. */
  report(branch: string, month: YearMonth): Promise<StoredMeetingReport | undefined> {
    return this.ctx.store.getReport(branch, month);
  }

  // ---------------------------------------------------------------- progress

  /**
   * `/sinhhoat_tiendo [MM/YYYY]`: the summary for the person's scope (the root for admins, the
   * own branch for a secretary), or a choice when they have several.
   */
  progress(viewer: Viewer, monthText: string): Promise<Reply[]> {
    return progress(this.ctx, viewer, monthText);
  }

  /** The summary of one scope the person may see. */
  progressOf(viewer: Viewer, scope: string, month?: YearMonth): Promise<Reply[]> {
    return progressOf(this.ctx, viewer, scope, month);
  }

  /**
   * Compliance of a scope for a month (default: `defaultProgressMonth` under the scope's
   * settings), from the maintained aggregates. No permission check: callers check.
   */
  compliance(scope: Unit, month?: YearMonth): Promise<ComplianceData> {
    return compliance(this.ctx, scope, month);
  }

  // ---------------------------------------------------------------- settings

  /** The settings in force for a unit (its own, its nearest ancestor's, or the defaults). */
  settingsFor(unitCode: string): Promise<ResolvedSettings> {
    return settingsFor(this.ctx, unitCode);
  }

  /** A scope's meeting calendar as admins read it (the root when no code is given). */
  describeSettings(actor: Viewer | 'cli', unitCode?: string): Promise<SettingsOutcome> {
    return describeSettings(this.ctx, actor, unitCode);
  }

  /**
   * Changes a scope's settings: the fields given replace those in force, the rest are kept, and
   * the result becomes the scope's own (audited). `clear` drops the scope's own settings so it
   * inherits again. Only admins (or the CLI).
   */
  changeSettings(
    actor: Viewer | 'cli',
    unitCode: string | undefined,
    change: SettingsChange | 'clear',
  ): Promise<SettingsOutcome> {
    return changeSettings(this.ctx, actor, unitCode, change);
  }

  /**
   * `/caidat_sinhhoat [MÃ] [ngay=3] [han=5] [tyle=80] [doi=co|khong] [nghi=…|khong]`, or
   * `[MÃ] macdinh`: shows the scope's calendar, or changes it.
   */
  configure(actor: Viewer | 'cli', argsText: string): Promise<SettingsOutcome> {
    return configure(this.ctx, actor, argsText);
  }
}
