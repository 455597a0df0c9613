/**
 * Monthly branch meetings (sinh hoạt chi bộ) as the edges use them: the report a secretary or
 * deputy sends (fill-in form or guided dialog, a confirmation card, saved only on «Xác nhận»),
 * the absence warnings that follow a save, the compliance summary leaders read, and the meeting
 * calendar settings admins keep. Every permission check for meetings is here, so the chat
 * commands and the CLI cannot differ.
 *
 * Replies are returned as data (`MeetingReply`: text, whether it is HTML, and buttons carrying
 * typed `MeetingAction`s); the chat module turns actions into callback data and back. Where a
 * person is in a report lives in the conversation store under kind `sinhHoat`, so a dialog or
 * a card waiting for its button survives a restart.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseForm, parseYesNo } from '../domain/form.js';
import {
  type AbsenceWarning,
  absenceNameKey,
  renderAbsenceWarnings,
  renderStrikeNotice,
} from '../domain/sinhHoat/absence.js';
import {
  defaultProgressMonth,
  formatYearMonth,
  meetingDay,
  monthOfDate,
  parseYearMonth,
  reportingDeadline,
  type YearMonth,
  yearOf,
} from '../domain/sinhHoat/calendar.js';
import { type ComplianceData, computeCompliance, renderCompliance } from '../domain/sinhHoat/compliance.js';
import {
  applyDialogAnswer,
  dialogPrompt,
  finishMeetingDialog,
  type MeetingDialogState,
  reviseMeetingDialog,
  startMeetingDialog,
} from '../domain/sinhHoat/dialog.js';
import { DEFAULT_HOLIDAYS, type HolidayCalendar } from '../domain/sinhHoat/holidays.js';
import {
  blankMeetingForm,
  checkMeetingForm,
  type FieldError,
  MEETING_FIELD_KEYS,
  MEETING_FORM_FIELDS,
  type MeetingFieldKey,
  type MeetingFlags,
  type MeetingReport,
  meetingReportSchema,
  renderMeetingCard,
  renderValidationErrors,
} from '../domain/sinhHoat/report.js';
import {
  DEFAULT_MEETING_SETTINGS,
  type MeetingSettings,
  meetingSettingsSchema,
  type ResolvedSettings,
} from '../domain/sinhHoat/settings.js';
import { escapeHtml, splitMessage } from '../domain/text.js';
import type { Unit } from '../domain/units.js';
import {
  calendarDate,
  foldVietnamese,
  formatVnDate,
  type IsoDate,
  parseVnDate,
  parseWholeNumber,
} from '../domain/vn.js';
import type { Clock } from '../infra/clock.js';
import type { Logger } from '../logger.js';
import { msg } from '../messages/index.js';
import { outboxId } from '../outbox/outbox.js';
import type { ConversationStore } from '../store/conversations.js';
import type { SaveMeetingReportResult, SinhHoatStore, StoredMeetingReport } from '../store/sinhHoat.js';
import type { Notifier } from './notifier.js';
import type { Organisation, Viewer } from './organisation.js';

/** The conversation kind this service owns. */
export const MEETING_CONVERSATION = 'sinhHoat';

/** A pasted message is taken for a meeting form when it answers at least this many labels. */
export const FORM_LABELS_NEEDED = 3;

const m = msg.meetings;

/** What a button does; the chat module encodes it into callback data. */
export type MeetingAction =
  /** Report for this branch (a secretary of several branches chose one). */
  | { kind: 'branch'; branch: string }
  /** Start the guided dialog for this branch. */
  | { kind: 'dialog'; branch: string }
  /** Answer the dialog's question `step` with `value`. */
  | { kind: 'answer'; step: MeetingFieldKey; value: string }
  /** Save the report on the card carrying `token`. */
  | { kind: 'confirm'; token: string }
  /** Correct one answer of the dialog, or (no field) choose which. */
  | { kind: 'revise'; field?: MeetingFieldKey }
  | { kind: 'cancel' }
  /** Show the compliance summary of a scope (month: the default month when absent). */
  | { kind: 'progress'; scope: string; month?: YearMonth };

export interface MeetingButton {
  label: string;
  action: MeetingAction;
}

/** One message to send back. */
export interface MeetingReply {
  text: string;
  /** Telegram HTML (user text inside is escaped). */
  html: boolean;
  /** Rows of buttons under the message. */
  buttons?: MeetingButton[][];
}

/** What pressing a button gives. */
export interface MeetingOutcome {
  replies: MeetingReply[];
  /** A short note on the button (the button was stale, say). */
  toast?: string;
  /** The pressed message is done with: its buttons should go. */
  closeButtons: boolean;
}

export type SaveOutcome =
  | { ok: true; result: SaveMeetingReportResult; replies: MeetingReply[] }
  | { ok: false; replies: MeetingReply[] };

/** Changes to a scope's settings; fields left out keep the value in force. */
export type SettingsChange = Partial<MeetingSettings>;

export interface SettingsOutcome {
  ok: boolean;
  /** Plain text (no HTML), for the chat and the CLI alike. */
  text: string;
}

// ------------------------------------------------------------------ conversation state

const dialogSchema = z.object({
  step: z.union([z.enum(MEETING_FIELD_KEYS), z.literal('review')]),
  answers: z.partialRecord(z.enum(MEETING_FIELD_KEYS), z.string()),
  month: z.string().optional(),
  revising: z.boolean().optional(),
});

const flagsSchema = z.object({
  short: z.object({ minutes: z.number(), minimum: z.number(), combined: z.boolean() }).optional(),
  sizeMismatch: z.object({ reported: z.number(), onRecord: z.number() }).optional(),
});

/** Where a person is in a report. Checked on read: a state from an older version is dropped. */
const stateSchema = z.discriminatedUnion('phase', [
  /** Waiting for a secretary of several branches to choose; `form` is a form sent meanwhile. */
  z.object({ phase: z.literal('pickBranch'), form: z.string().optional() }),
  z.object({ phase: z.literal('dialog'), branch: z.string(), dialog: dialogSchema }),
  /** A valid report on a card, waiting for «Xác nhận»; `dialog` when it came from the dialog. */
  z.object({
    phase: z.literal('confirm'),
    branch: z.string(),
    token: z.string(),
    report: meetingReportSchema,
    flags: flagsSchema,
    dialog: dialogSchema.optional(),
  }),
]);
type MeetingState = z.infer<typeof stateSchema>;
type DialogPhase = Extract<MeetingState, { phase: 'dialog' }>;
type ConfirmPhase = Extract<MeetingState, { phase: 'confirm' }>;

/** Fields the attendance sum is made of: any of them may be the wrong one. */
const ATTENDANCE_FIELDS: readonly MeetingFieldKey[] = [
  'members',
  'exempt',
  'present',
  'absentWithReason',
  'absentWithoutReason',
];

function plain(text: string, buttons?: MeetingButton[][]): MeetingReply {
  return buttons ? { text, html: false, buttons } : { text, html: false };
}

/** An HTML text in pieces under Telegram's limit; the buttons go under the last piece. */
function html(text: string, buttons?: MeetingButton[][]): MeetingReply[] {
  const chunks = splitMessage(text);
  return chunks.map((chunk, i) =>
    buttons && i === chunks.length - 1 ? { text: chunk, html: true, buttons } : { text: chunk, html: true },
  );
}

const cancelRow = (): MeetingButton[] => [{ label: msg.common.buttonCancel, action: { kind: 'cancel' } }];

/** True when `text` answers at least `FORM_LABELS_NEEDED` labels of the meeting form. */
export function looksLikeMeetingForm(text: string): boolean {
  return Object.keys(parseForm(text, MEETING_FORM_FIELDS).values).length >= FORM_LABELS_NEEDED;
}

export interface MeetingServiceDeps {
  store: SinhHoatStore;
  org: Organisation;
  conversations: ConversationStore;
  notifier: Notifier;
  clock: Clock;
  /** The deployment's time zone: which calendar day "today" is. */
  timezone: string;
  log: Logger;
  /** @defaultValue the national calendar (`DEFAULT_HOLIDAYS`) */
  holidays?: HolidayCalendar;
  /** Settings for scopes that set none. @defaultValue `DEFAULT_MEETING_SETTINGS` */
  defaults?: MeetingSettings;
}

export class MeetingService {
  private readonly store: SinhHoatStore;
  private readonly org: Organisation;
  private readonly conversations: ConversationStore;
  private readonly notifier: Notifier;
  private readonly clock: Clock;
  private readonly timezone: string;
  private readonly log: Logger;
  private readonly holidays: HolidayCalendar;
  private readonly defaults: MeetingSettings;

  constructor(deps: MeetingServiceDeps) {
    this.store = deps.store;
    this.org = deps.org;
    this.conversations = deps.conversations;
    this.notifier = deps.notifier;
    this.clock = deps.clock;
    this.timezone = deps.timezone;
    this.log = deps.log;
    this.holidays = deps.holidays ?? DEFAULT_HOLIDAYS;
    this.defaults = deps.defaults ?? DEFAULT_MEETING_SETTINGS;
  }

  /** Today's date in the deployment's time zone. */
  today(): IsoDate {
    return calendarDate(this.clock.now(), this.timezone);
  }

  // ---------------------------------------------------------------- reporting

  /**
   * `/sinhhoat [filled form]`: with a form, checks it and shows the card; alone, the blank form
   * (member count filled in) with a button for the dialog, or the branch choice for a secretary
   * of several branches, or the question a dialog in progress stopped at.
   */
  async start(viewer: Viewer, chatId: number, body: string): Promise<MeetingReply[]> {
    const branches = await this.org.reportingUnits(viewer);
    if (branches.length === 0) return [this.notReporter(viewer)];
    const state = await this.state(chatId, viewer.id);
    // "/sinhhoat 09/2025" names a month: the blank form, introduced for that month.
    const month = parseYearMonth(body);
    if (body.trim() !== '' && month === undefined)
      return this.receiveForm(viewer, chatId, body, branches, state);
    if (state?.phase === 'dialog') {
      const unit = branches.find((b) => b.code === state.branch);
      if (unit)
        return [plain(m.dialog.resume), ...(await this.dialogStep(viewer, chatId, unit, state.dialog))];
    }
    const [only] = branches;
    if (branches.length > 1 || !only) return [this.branchPicker(branches)];
    return this.blankForm(only, month);
  }

  /**
   * A plain text message: an answer to the dialog, a form pasted without the command, or a
   * reminder of the card waiting for its button. Undefined when it is none of this service's
   * business (another area's dialog is open, or an ordinary message).
   */
  async receiveText(viewer: Viewer, chatId: number, text: string): Promise<MeetingReply[] | undefined> {
    const conv = await this.conversations.get<unknown>(chatId, viewer.id);
    if (conv && conv.kind !== MEETING_CONVERSATION) return undefined;
    const state = conv ? await this.readState(chatId, viewer.id, conv.state) : undefined;
    const isForm = looksLikeMeetingForm(text);
    if (!state && !isForm) return undefined;
    const branches = await this.org.reportingUnits(viewer);
    if (branches.length === 0) {
      if (state) await this.conversations.clear(chatId, viewer.id);
      return [this.notReporter(viewer)];
    }
    if (isForm) return this.receiveForm(viewer, chatId, text, branches, state);
    if (!state) return undefined;
    if (['huy', 'thoi'].includes(foldVietnamese(text))) {
      await this.conversations.clear(chatId, viewer.id);
      return [plain(msg.common.cancelled)];
    }
    switch (state.phase) {
      case 'pickBranch':
        return [plain(m.pickBranchFirst), this.branchPicker(branches)];
      case 'confirm':
        return [plain(m.pendingConfirm)];
      case 'dialog':
        return this.answer(viewer, chatId, state, text);
    }
  }

  /** A button was pressed. */
  async act(viewer: Viewer, chatId: number, action: MeetingAction): Promise<MeetingOutcome> {
    const done = (replies: MeetingReply[]): MeetingOutcome => ({ replies, closeButtons: true });
    const expired: MeetingOutcome = { replies: [], toast: msg.common.buttonExpired, closeButtons: true };
    if (action.kind === 'progress')
      return { replies: await this.progressOf(viewer, action.scope, action.month), closeButtons: false };

    const state = await this.state(chatId, viewer.id);
    switch (action.kind) {
      case 'cancel':
        if (state) await this.conversations.clear(chatId, viewer.id);
        return done([plain(msg.common.cancelled)]);
      case 'branch':
      case 'dialog': {
        const unit = await this.reportableUnit(viewer, action.branch);
        if (!unit.ok) return done([unit.reply]);
        if (action.kind === 'dialog') {
          const dialog = startMeetingDialog();
          await this.setState(chatId, viewer.id, { phase: 'dialog', branch: unit.unit.code, dialog });
          return done([
            plain(m.dialog.start(unit.unit.name)),
            ...(await this.dialogStep(viewer, chatId, unit.unit, dialog)),
          ]);
        }
        if (state?.phase === 'pickBranch' && state.form !== undefined) {
          await this.conversations.clear(chatId, viewer.id);
          return done(await this.checkForm(viewer, chatId, unit.unit, state.form));
        }
        return done(await this.blankForm(unit.unit));
      }
      case 'answer':
        if (state?.phase !== 'dialog' || state.dialog.step !== action.step) return expired;
        return done(await this.answer(viewer, chatId, state, action.value));
      case 'confirm':
        if (state?.phase !== 'confirm' || state.token !== action.token) return expired;
        // Claimed atomically: a second press of the same button finds nothing to save.
        if (!(await this.conversations.claim(chatId, viewer.id, action.token))) return expired;
        return done(await this.confirm(viewer, chatId, state));
      case 'revise': {
        const from =
          state?.phase === 'confirm' ? state.dialog : state?.phase === 'dialog' ? state.dialog : undefined;
        if (!state || state.phase === 'pickBranch' || !from) return expired;
        if (action.field === undefined) return done([this.fieldPicker()]);
        const unit = await this.reportableUnit(viewer, state.branch);
        if (!unit.ok) return done([unit.reply]);
        const dialog = reviseMeetingDialog(from, action.field);
        await this.setState(chatId, viewer.id, { phase: 'dialog', branch: state.branch, dialog });
        return done(await this.dialogStep(viewer, chatId, unit.unit, dialog));
      }
    }
  }

  /**
   * Saves a valid report for a branch the person reports for, then warns about unexcused
   * absences: the reporter in the reply, and from the third month the responsible leaders and
   * the branch's other secretaries and deputies through the outbox.
   */
  async saveReport(viewer: Viewer, branchCode: string, report: MeetingReport): Promise<SaveOutcome> {
    const found = await this.reportableUnit(viewer, branchCode);
    if (!found.ok) return { ok: false, replies: [found.reply] };
    const unit = found.unit;
    const ancestors = await this.org.units.ancestors(unit.code);
    const { settings } = await this.settingsForChain([...ancestors, unit.code]);
    const deadline = reportingDeadline(report.month, settings, this.holidays);
    const result = await this.store.saveReport({
      branch: unit.code,
      ancestors,
      month: report.month,
      report,
      deadline,
      threshold: settings.attendanceThreshold,
      actor: String(viewer.id),
      now: this.clock.now(),
    });
    const monthLabel = formatYearMonth(report.month);
    const lines = [result.amended ? m.amended(monthLabel, result.version) : m.saved(monthLabel)];
    if (result.late && !result.amended) lines.push(m.late(formatVnDate(deadline)));
    // The warnings come in the same message as the confirmation, so they are not missed.
    if (result.absenceWarnings.length > 0)
      lines.push('', renderAbsenceWarnings(result.absenceWarnings, unit.name));
    await this.sendStrikeNotices(viewer, unit, ancestors, report.month, result.absenceWarnings);
    return { ok: true, result, replies: html(lines.join('\n')) };
  }

  /** Every saved version of a branch's report for a month, oldest first. */
  history(branch: string, month: YearMonth): Promise<StoredMeetingReport[]> {
    return this.store.history(branch, month);
  }

  /** The current report of a branch for a month. */
  report(branch: string, month: YearMonth): Promise<StoredMeetingReport | undefined> {
    return this.store.getReport(branch, month);
  }

  private notReporter(viewer: Viewer): MeetingReply {
    return plain(viewer.roles.length === 0 ? msg.units.noAccess : m.access.reportersOnly);
  }

  /** The branch, when it exists and the person reports for it (roles can change mid-dialog). */
  private async reportableUnit(
    viewer: Viewer,
    code: string,
  ): Promise<{ ok: true; unit: Unit } | { ok: false; reply: MeetingReply }> {
    const unit = await this.org.unit(code);
    if (!unit) return { ok: false, reply: plain(msg.units.unknownUnit(code)) };
    if (!this.org.canReportFor(viewer, code))
      return {
        ok: false,
        reply: plain(viewer.roles.length === 0 ? msg.units.noAccess : m.access.notYourBranch(unit.name)),
      };
    return { ok: true, unit };
  }

  private branchPicker(branches: readonly Unit[]): MeetingReply {
    return plain(m.pickBranch, [
      ...branches.map((b) => [{ label: b.name, action: { kind: 'branch', branch: b.code } as const }]),
      cancelRow(),
    ]);
  }

  private fieldPicker(): MeetingReply {
    return plain(m.dialog.pickField, [...this.reviseRows(MEETING_FIELD_KEYS), cancelRow()]);
  }

  private reviseRows(fields: readonly MeetingFieldKey[]): MeetingButton[][] {
    const rows: MeetingButton[][] = [];
    fields.forEach((field, i) => {
      const b: MeetingButton = {
        label: m.buttonEditField(m.labels[field]),
        action: { kind: 'revise', field },
      };
      if (i % 2 === 0) rows.push([b]);
      else rows[rows.length - 1]?.push(b);
    });
    return rows;
  }

  /**
   * The intro, then the form alone (so it copies cleanly) with the dialog button. The intro
   * names `month`, or the month a report is most likely for today; the month actually reported
   * is always that of the meeting date.
   */
  private async blankForm(unit: Unit, asked?: YearMonth): Promise<MeetingReply[]> {
    const { settings } = await this.settingsFor(unit.code);
    const month = asked ?? defaultProgressMonth(this.today(), settings, this.holidays);
    const form = blankMeetingForm()
      .split('\n')
      .map((line) => (line === `${m.labels.members}: ` && unit.members > 0 ? `${line}${unit.members}` : line))
      .join('\n');
    return [
      plain(`${unit.name}\n${m.form.intro(formatYearMonth(month))}\n${m.form.example}`),
      plain(form, [[{ label: m.buttonDialog, action: { kind: 'dialog', branch: unit.code } }]]),
    ];
  }

  private async receiveForm(
    viewer: Viewer,
    chatId: number,
    text: string,
    branches: readonly Unit[],
    state: MeetingState | undefined,
  ): Promise<MeetingReply[]> {
    // A form sent while reporting for one branch answers that report.
    const current = state && state.phase !== 'pickBranch' ? state.branch : undefined;
    const unit =
      branches.find((b) => b.code === current) ?? (branches.length === 1 ? branches[0] : undefined);
    if (!unit) {
      await this.setState(chatId, viewer.id, { phase: 'pickBranch', form: text });
      return [this.branchPicker(branches)];
    }
    return this.checkForm(viewer, chatId, unit, text);
  }

  private reportContext(unit: Unit) {
    return { today: this.today(), ...(unit.members > 0 ? { branchSize: unit.members } : {}) };
  }

  private async checkForm(viewer: Viewer, chatId: number, unit: Unit, text: string): Promise<MeetingReply[]> {
    const checked = checkMeetingForm(text, this.reportContext(unit));
    if (!checked.ok) return html(renderValidationErrors(checked.errors));
    return this.card(viewer, chatId, unit, checked.report, checked.flags, undefined);
  }

  /** The confirmation card; the report waits in the conversation for «Xác nhận». */
  private async card(
    viewer: Viewer,
    chatId: number,
    unit: Unit,
    report: MeetingReport,
    flags: MeetingFlags,
    dialog: MeetingDialogState | undefined,
  ): Promise<MeetingReply[]> {
    const token = randomBytes(4).toString('hex');
    await this.setState(chatId, viewer.id, {
      phase: 'confirm',
      branch: unit.code,
      token,
      report,
      flags,
      ...(dialog ? { dialog } : {}),
    });
    const existing = await this.store.getReport(unit.code, report.month);
    const footer = [...(existing ? [m.card.amends(formatYearMonth(report.month))] : []), m.card.confirm];
    const row: MeetingButton[] = [{ label: m.buttonSave, action: { kind: 'confirm', token } }];
    if (dialog) row.push({ label: m.buttonEdit, action: { kind: 'revise' } });
    row.push(...cancelRow());
    return html(`${renderMeetingCard(report, unit.name, flags)}\n\n${footer.join('\n')}`, [row]);
  }

  private async confirm(viewer: Viewer, chatId: number, state: ConfirmPhase): Promise<MeetingReply[]> {
    const saved = await this.saveReport(viewer, state.branch, state.report);
    // Saved or refused, this card is done with; a refusal (role gone) cannot be fixed by retrying.
    await this.conversations.clear(chatId, viewer.id);
    return saved.replies;
  }

  /** The question the dialog is at, or its review when every answer is in. */
  private async dialogStep(
    viewer: Viewer,
    chatId: number,
    unit: Unit,
    dialog: MeetingDialogState,
  ): Promise<MeetingReply[]> {
    if (dialog.step === 'review') return this.review(viewer, chatId, unit, dialog);
    return [this.question(unit, dialog)];
  }

  private question(unit: Unit, dialog: MeetingDialogState, error?: string): MeetingReply {
    const prompt = dialogPrompt(dialog, unit.members > 0 ? unit.members : undefined);
    const step = dialog.step;
    if (!prompt || step === 'review') return plain(m.dialog.pickField);
    const index = MEETING_FIELD_KEYS.indexOf(step) + 1;
    const lines = [m.dialog.question(index, MEETING_FIELD_KEYS.length, prompt.text)];
    const previous = dialog.answers[step];
    if (dialog.revising && previous !== undefined && previous !== '') lines.push(m.dialog.current(previous));
    if (error !== undefined) lines.unshift(error, '');
    const rows: MeetingButton[][] = [];
    for (const choice of prompt.choices ?? [])
      rows.push([{ label: choice.label, action: { kind: 'answer', step, value: choice.value } }]);
    if (step === 'members' && unit.members > 0)
      rows.push([
        { label: String(unit.members), action: { kind: 'answer', step, value: String(unit.members) } },
      ]);
    if (prompt.skippable) rows.push([{ label: m.buttonSkip, action: { kind: 'answer', step, value: '' } }]);
    rows.push(cancelRow());
    return plain(lines.join('\n'), rows);
  }

  private async answer(
    viewer: Viewer,
    chatId: number,
    state: DialogPhase,
    text: string,
  ): Promise<MeetingReply[]> {
    const found = await this.reportableUnit(viewer, state.branch);
    if (!found.ok) {
      await this.conversations.clear(chatId, viewer.id);
      return [found.reply];
    }
    if (state.dialog.step === 'review') return this.review(viewer, chatId, found.unit, state.dialog);
    const applied = applyDialogAnswer(state.dialog, text, { today: this.today() });
    if (!applied.ok) return [this.question(found.unit, state.dialog, applied.error.message)];
    await this.setState(chatId, viewer.id, { ...state, dialog: applied.state });
    return this.dialogStep(viewer, chatId, found.unit, applied.state);
  }

  /** Every answer is in: the card, or what to fix with a button per field at fault. */
  private async review(
    viewer: Viewer,
    chatId: number,
    unit: Unit,
    dialog: MeetingDialogState,
  ): Promise<MeetingReply[]> {
    const checked = finishMeetingDialog(dialog, this.reportContext(unit));
    if (checked.ok) return this.card(viewer, chatId, unit, checked.report, checked.flags, dialog);
    await this.setState(chatId, viewer.id, { phase: 'dialog', branch: unit.code, dialog });
    return html(this.dialogErrors(checked.errors), [
      ...this.reviseRows(fieldsAtFault(checked.errors)),
      cancelRow(),
    ]);
  }

  private dialogErrors(errors: readonly FieldError[]): string {
    return [
      m.errors.heading(errors.length),
      ...errors.map((err, i) => `${i + 1}. ${escapeHtml(err.message)}`),
      m.dialog.fixFooter,
    ].join('\n');
  }

  /**
   * From the third month: the responsible leaders, and the branch's secretaries and deputies
   * other than the reporter, are told through the outbox. One notice per person and name, under
   * an id fixed by branch, name, year and month, so re-saving the month does not repeat it.
   */
  private async sendStrikeNotices(
    viewer: Viewer,
    unit: Unit,
    ancestors: readonly string[],
    month: YearMonth,
    warnings: readonly AbsenceWarning[],
  ): Promise<void> {
    const strikes = warnings.filter((w) => w.level === 'strike');
    if (strikes.length === 0) return;
    const [leaders, secretaries, deputies] = await Promise.all([
      this.org.people.responsibleLeaders(unit.code, ancestors),
      this.org.people.holdersOf(unit.code, 'secretary'),
      this.org.people.holdersOf(unit.code, 'deputy'),
    ]);
    const recipients = [...new Set([...(leaders?.people ?? []), ...secretaries, ...deputies])].filter(
      (id) => id !== viewer.id,
    );
    const title = `<b>${m.absence.noticeTitle(formatYearMonth(month))}</b>`;
    for (const warning of strikes) {
      const body = renderStrikeNotice([warning], unit.name);
      if (body === undefined) continue;
      for (const personId of recipients) {
        const id = outboxId(
          'sinhhoat-xoaten',
          unit.code,
          absenceNameKey(warning.name),
          yearOf(month),
          month,
          personId,
        );
        try {
          await this.notifier.toPerson(personId, `${title}\n${body}`, {
            id,
            purpose: 'notice',
            parseMode: 'HTML',
          });
        } catch (err) {
          // The report is saved and the reporter warned; a notice that could not be queued is
          // logged under its id rather than turning the saved report into an apology.
          this.log.error({ err, id, personId }, 'could not queue the strike notice');
        }
      }
    }
  }

  // ---------------------------------------------------------------- progress

  /**
   * `/sinhhoat_tiendo [MM/YYYY]`: the summary for the person's scope (the root for admins, the
   * own branch for a secretary), or a choice when they have several.
   */
  async progress(viewer: Viewer, monthText: string): Promise<MeetingReply[]> {
    if (viewer.roles.length === 0) return [plain(msg.units.noAccess)];
    let month: YearMonth | undefined;
    const t = monthText.trim();
    if (t !== '') {
      month = parseYearMonth(t);
      if (month === undefined) return [plain(m.compliance.badMonth(t))];
      if (month > monthOfDate(this.today())) return [plain(m.compliance.futureMonth(formatYearMonth(month)))];
    }
    const scopes = await this.org.viewScopes(viewer);
    const [only] = scopes;
    if (!only) return [plain(msg.units.noAccess)];
    if (scopes.length > 1)
      return [
        plain(
          m.compliance.pickScope,
          scopes.map((s) => [
            { label: s.name, action: { kind: 'progress', scope: s.code, ...(month ? { month } : {}) } },
          ]),
        ),
      ];
    return this.progressOf(viewer, only.code, month);
  }

  /** The summary of one scope the person may see, split under Telegram's limit. */
  async progressOf(viewer: Viewer, scope: string, month?: YearMonth): Promise<MeetingReply[]> {
    const unit = await this.org.unit(scope);
    if (!unit) return [plain(msg.units.unknownUnit(scope))];
    if (!(await this.org.canView(viewer, scope)))
      return [plain(viewer.roles.length === 0 ? msg.units.noAccess : msg.units.noAccessToUnit(unit.name))];
    const data = await this.compliance(unit, month);
    return html(renderCompliance(data));
  }

  /**
   * Compliance of a scope for a month (default: `defaultProgressMonth` under the scope's
   * settings), from the maintained aggregates. No permission check: callers check.
   */
  async compliance(scope: Unit, month?: YearMonth): Promise<ComplianceData> {
    const { settings } = await this.settingsFor(scope.code);
    const asked = month ?? defaultProgressMonth(this.today(), settings, this.holidays);
    const codes = await this.org.units.branchesUnder(scope.code);
    const [units, snapshot] = await Promise.all([
      this.org.units.getMany(codes),
      this.store.complianceSnapshot(scope.code, asked, codes),
    ]);
    return computeCompliance({
      scopeName: scope.name,
      month: asked,
      deadline: reportingDeadline(asked, settings, this.holidays),
      threshold: settings.attendanceThreshold,
      branches: codes.map((code) => ({ code, name: units.get(code)?.name ?? code })),
      ...snapshot,
    });
  }

  // ---------------------------------------------------------------- settings

  /** The settings in force for a unit (its own, its nearest ancestor's, or the defaults). */
  async settingsFor(unitCode: string): Promise<ResolvedSettings> {
    const ancestors = await this.org.units.ancestors(unitCode);
    return this.settingsForChain([...ancestors, unitCode]);
  }

  private settingsForChain(chain: readonly string[]): Promise<ResolvedSettings> {
    return this.store.settingsFor(chain, this.defaults);
  }

  /** A scope's meeting calendar as admins read it (the root when no code is given). */
  async describeSettings(actor: Viewer | 'cli', unitCode?: string): Promise<SettingsOutcome> {
    const found = await this.settingsUnit(actor, unitCode);
    if (!found.ok) return found;
    return { ok: true, text: await this.settingsText(found.unit) };
  }

  /**
   * Changes a scope's settings: the fields given replace those in force, the rest are kept, and
   * the result becomes the scope's own (audited). `clear` drops the scope's own settings so it
   * inherits again. Only admins (or the CLI).
   */
  async changeSettings(
    actor: Viewer | 'cli',
    unitCode: string | undefined,
    change: SettingsChange | 'clear',
  ): Promise<SettingsOutcome> {
    const found = await this.settingsUnit(actor, unitCode);
    if (!found.ok) return found;
    const unit = found.unit;
    const who = actor === 'cli' ? 'cli' : String(actor.id);
    if (change === 'clear') {
      await this.store.clearSettings(unit.code, who, this.clock.now());
      return { ok: true, text: `${m.settings.cleared}\n\n${await this.settingsText(unit)}` };
    }
    const problems = settingsProblems(change);
    if (problems.length > 0) return { ok: false, text: problems.join('\n') };
    const { settings } = await this.settingsFor(unit.code);
    await this.store.setSettings(unit.code, { ...settings, ...change }, who, this.clock.now());
    return { ok: true, text: `${m.settings.saved}\n\n${await this.settingsText(unit)}` };
  }

  /**
   * `/caidat_sinhhoat [MÃ] [ngay=3] [han=5] [tyle=80] [doi=co|khong] [nghi=…|khong]`, or
   * `[MÃ] macdinh`: shows the scope's calendar, or changes it.
   */
  async configure(actor: Viewer | 'cli', argsText: string): Promise<SettingsOutcome> {
    if (actor !== 'cli' && !this.org.isAdmin(actor))
      return { ok: false, text: actor.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly };
    const parsed = parseSettingsArgs(argsText);
    if (parsed.errors.length > 0) return { ok: false, text: [...parsed.errors, m.settings.usage].join('\n') };
    if (parsed.change === undefined) return this.describeSettings(actor, parsed.unit);
    return this.changeSettings(actor, parsed.unit, parsed.change);
  }

  private async settingsUnit(
    actor: Viewer | 'cli',
    unitCode: string | undefined,
  ): Promise<{ ok: true; unit: Unit } | { ok: false; text: string }> {
    if (actor !== 'cli' && !this.org.isAdmin(actor))
      return { ok: false, text: actor.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly };
    const unit = unitCode ? await this.org.unit(unitCode) : await this.org.units.root();
    if (!unit) return { ok: false, text: unitCode ? msg.units.unknownUnit(unitCode) : msg.units.noUnits };
    return { ok: true, unit };
  }

  private async settingsText(unit: Unit): Promise<string> {
    const resolved = await this.settingsFor(unit.code);
    const s = resolved.settings;
    const source =
      resolved.unit === undefined
        ? m.settings.sourceDefault
        : resolved.unit === unit.code
          ? m.settings.sourceOwn
          : m.settings.sourceInherited((await this.org.unit(resolved.unit))?.name ?? resolved.unit);
    const month = monthOfDate(this.today());
    return [
      m.settings.title(unit.name),
      m.settings.meetingDay(s.meetingDay, s.shiftToWorkingDay),
      m.settings.deadline(s.reportingDays),
      m.settings.threshold(s.attendanceThreshold),
      m.settings.extraDaysOff(s.extraDaysOff.map(formatVnDate)),
      source,
      m.settings.month(
        formatYearMonth(month),
        formatVnDate(meetingDay(month, s, this.holidays)),
        formatVnDate(reportingDeadline(month, s, this.holidays)),
      ),
    ].join('\n');
  }

  // ---------------------------------------------------------------- conversation

  private async state(chatId: number, userId: number): Promise<MeetingState | undefined> {
    const conv = await this.conversations.get<unknown>(chatId, userId);
    if (!conv || conv.kind !== MEETING_CONVERSATION) return undefined;
    return this.readState(chatId, userId, conv.state);
  }

  private async readState(chatId: number, userId: number, raw: unknown): Promise<MeetingState | undefined> {
    const parsed = stateSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    this.log.warn({ issues: parsed.error.issues.length }, 'dropped an unreadable meeting conversation');
    await this.conversations.clear(chatId, userId);
    return undefined;
  }

  private setState(chatId: number, userId: number, state: MeetingState): Promise<void> {
    return this.conversations.set(chatId, userId, MEETING_CONVERSATION, state, this.clock.now());
  }
}

/** The fields to offer for correction: all parts of the attendance sum when that is at fault. */
function fieldsAtFault(errors: readonly FieldError[]): MeetingFieldKey[] {
  const fields = new Set<MeetingFieldKey>();
  for (const e of errors) {
    if (e.field === 'form') continue;
    if (ATTENDANCE_FIELDS.includes(e.field)) for (const f of ATTENDANCE_FIELDS) fields.add(f);
    else fields.add(e.field);
  }
  return MEETING_FIELD_KEYS.filter((f) => fields.has(f));
}

/** Range problems of a settings change, in Vietnamese, one per field. */
export function settingsProblems(change: SettingsChange): string[] {
  const checked = meetingSettingsSchema.partial().safeParse(change);
  if (checked.success) return [];
  const problems = new Set<string>();
  const e = m.settings.errors;
  for (const issue of checked.error.issues) {
    const field = issue.path[0];
    if (field === 'meetingDay') problems.add(e.meetingDay(String(change.meetingDay)));
    else if (field === 'reportingDays') problems.add(e.reportingDays(String(change.reportingDays)));
    else if (field === 'attendanceThreshold')
      problems.add(e.attendanceThreshold(String(change.attendanceThreshold)));
    else if (field === 'shiftToWorkingDay')
      problems.add(e.shiftToWorkingDay(String(change.shiftToWorkingDay)));
    else problems.add(e.extraDaysOff(String(change.extraDaysOff)));
  }
  return [...problems];
}

const SETTING_KEYS: Record<string, keyof MeetingSettings> = {
  ngay: 'meetingDay',
  han: 'reportingDays',
  tyle: 'attendanceThreshold',
  nguong: 'attendanceThreshold',
  doi: 'shiftToWorkingDay',
  nghi: 'extraDaysOff',
};

/** A percentage as typed: "80", "82,5". */
function parsePercent(text: string): number | undefined {
  return /^\d{1,3}([.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : undefined;
}

/**
 * Reads the words of `/caidat_sinhhoat`: an optional unit code, then `key=value` pairs (keys
 * without accents or with, any case), or `macdinh` to drop the scope's own settings. Values
 * that do not parse become Vietnamese errors; ranges are checked by `settingsProblems`.
 */
export function parseSettingsArgs(text: string): {
  unit?: string;
  change?: SettingsChange | 'clear';
  errors: string[];
} {
  const errors: string[] = [];
  const change: SettingsChange = {};
  let unit: string | undefined;
  let clear = false;
  const e = m.settings.errors;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      const folded = foldVietnamese(word).replace(/\s/g, '');
      if (folded === 'macdinh') clear = true;
      else if (unit === undefined) unit = word;
      else errors.push(m.settings.unknownKey(word));
      continue;
    }
    const key = SETTING_KEYS[foldVietnamese(word.slice(0, eq)).replace(/[^a-z]/g, '')];
    const value = word.slice(eq + 1);
    switch (key) {
      case 'meetingDay':
      case 'reportingDays': {
        const n = parseWholeNumber(value);
        if (n === undefined) errors.push(e[key](value));
        else change[key] = n;
        break;
      }
      case 'attendanceThreshold': {
        const n = parsePercent(value.replace(/%$/, ''));
        if (n === undefined) errors.push(e.attendanceThreshold(value));
        else change.attendanceThreshold = n;
        break;
      }
      case 'shiftToWorkingDay': {
        const yes = parseYesNo(value);
        if (yes === 'co' || yes === 'khong') change.shiftToWorkingDay = yes === 'co';
        else errors.push(e.shiftToWorkingDay(value));
        break;
      }
      case 'extraDaysOff': {
        if (parseYesNo(value) === 'khong') {
          change.extraDaysOff = [];
          break;
        }
        const dates = value.split(',').filter(Boolean).map(parseVnDate);
        if (dates.length === 0 || dates.some((d) => d === undefined)) errors.push(e.extraDaysOff(value));
        else change.extraDaysOff = dates.filter((d): d is IsoDate => d !== undefined);
        break;
      }
      default:
        errors.push(m.settings.unknownKey(word.slice(0, eq)));
    }
  }
  if (clear && Object.keys(change).length > 0) errors.push(m.settings.clearAlone);
  const result: { unit?: string; change?: SettingsChange | 'clear'; errors: string[] } = { errors };
  if (unit !== undefined) result.unit = unit;
  if (clear) result.change = 'clear';
  else if (Object.keys(change).length > 0) result.change = change;
  return result;
}
