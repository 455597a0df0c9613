/**
 * Directives (thông báo, chỉ đạo) as the edges use them: an admin composes one (chat or CLI),
 * previews it, and sends it to an audience; recipients acknowledge it; the admin follows
 * deliveries and acknowledgements; non-acknowledgers are reminded after a delay and then their
 * responsible leaders are told; an admin may cancel what has not gone out yet.
 *
 * Sending is never done inside a request. `send` stores the directive and queues BullMQ jobs
 * (`jobs/directives.ts` runs them) under ids derived from the directive id (see `jobIds.ts`),
 * so a double click, a restart or two instances never fan out twice.
 */
import type { InlineKeyboardMarkup } from '@telegraf/types';
import {
  type Audience,
  type checkDraft,
  type DirectiveDraft,
  type DraftInput,
  formatMoment,
  type Recipient,
} from '../../domain/directives.js';
import type { Unit } from '../../domain/units.js';
import { calendarDate, formatVnDate } from '../../domain/vn.js';
import type { Viewer } from '../organisation.js';
import * as audience from './audience.js';
import { cancelDirective } from './cancelling.js';
import * as fanOut from './fanOut.js';
import * as followUps from './followUps.js';
import * as recipients from './recipients.js';
import { checkInput, type DirectiveFile, previewDraft, sendDirective } from './sending.js';
import * as tracking from './tracking.js';
import type {
  AckOutcome,
  AttachmentOutcome,
  CancelOutcome,
  DirectivePreview,
  DirectiveReport,
  DirectiveServiceDeps,
  InboxItem,
  SendOutcome,
  StatusEditor,
} from './types.js';

export class DirectiveService {
  private editor: StatusEditor | undefined;

  constructor(private readonly deps: DirectiveServiceDeps) {}

  /**
   * Plugs in the telegraf side that edits the admin's status message. Until one is plugged in
   * (the CLI never has one) status refreshes are skipped; the status stays readable on demand.
   */
  useEditor(editor: StatusEditor): void {
    this.editor = editor;
  }

  hasEditor(): boolean {
    return this.editor !== undefined;
  }

  /** Today in the committee's time zone. */
  today(): string {
    return calendarDate(this.deps.clock.now(), this.deps.timezone);
  }

  /** "19:42 15/09/2025". */
  moment(ms: number): string {
    return formatMoment(ms, this.deps.timezone);
  }

  /** "15/09/2025": the calendar date of an instant. */
  dateOf(ms: number): string {
    return formatVnDate(calendarDate(ms, this.deps.timezone));
  }

  // ------------------------------------------------------------------ audience

  /** Everyone the audience reaches right now, one recipient per person, in tree order. */
  recipientsFor(target: Audience): Promise<Recipient[]> {
    return audience.recipientsFor(this.deps.org, target);
  }

  /** What the audience is called ("bí thư các chi bộ thuộc Đảng bộ xã A"). */
  describeAudience(target: Audience): Promise<string> {
    return audience.describeAudience(this.deps.org, target);
  }

  /** Committees an admin may pick as a unit audience: the root and the committees just below it. */
  unitChoices(limit = 12): Promise<Unit[]> {
    return audience.unitChoices(this.deps.org, limit);
  }

  /** The unit an admin typed for a unit audience, if it exists. */
  async findUnit(code: string): Promise<Unit | undefined> {
    return this.deps.org.unit(code.trim());
  }

  // ------------------------------------------------------------------ composing and sending

  /** Checks a draft field by field (the CLI and the dialog's last step). */
  check(input: DraftInput): ReturnType<typeof checkDraft> {
    return checkInput(this.deps, input);
  }

  /** Exactly what a recipient will see (the first recipient's version), before anything is sent. */
  preview(
    viewer: Viewer,
    draft: DirectiveDraft,
  ): Promise<{ ok: true; preview: DirectivePreview } | { ok: false; errors: string[] }> {
    return previewDraft(this.deps, viewer, draft);
  }

  /**
   * Sends a directive: checks it, fixes its recipients, stores it (audited) and queues the
   * fan-out and the follow-up. Admins only. `file` is a CLI file kept with the directive.
   */
  send(actor: Viewer | 'cli', input: DraftInput, opts: { file?: DirectiveFile } = {}): Promise<SendOutcome> {
    return sendDirective(this.deps, actor, input, opts.file);
  }

  /** The admin's message that shows the status from now on (edited in place). */
  async attachStatusMessage(id: string, chatId: number, messageId: number): Promise<void> {
    await this.deps.store.setStatusMessage(id, chatId, messageId);
    await this.deps.jobs.refreshStatus(id);
  }

  // ------------------------------------------------------------------ recipients

  /** «Đã nhận»: records the first press (later presses keep its time). */
  acknowledge(personId: number, id: string): Promise<AckOutcome> {
    return recipients.acknowledge(this.deps, personId, id);
  }

  /** The directives addressed to a person, newest first, with when they acknowledged each. */
  inbox(personId: number, limit = 10): Promise<InboxItem[]> {
    return recipients.inbox(this.deps, personId, limit);
  }

  /** One directive again, as this recipient received it (from /vanban). */
  copyFor(
    personId: number,
    id: string,
  ): Promise<{ ok: true; html: string; markup: InlineKeyboardMarkup } | { ok: false; text: string }> {
    return recipients.copyFor(this.deps, personId, id);
  }

  /** The directive's file, for a recipient or an admin who pressed «Xem tệp đính kèm». */
  attachment(viewer: Viewer, id: string): Promise<AttachmentOutcome> {
    return recipients.attachment(this.deps, viewer, id);
  }

  /** After a CLI file's first upload: later presses re-send it by Telegram's id. */
  async rememberFileId(id: string, fileId: string): Promise<void> {
    await this.deps.store.setFileId(id, fileId);
  }

  // ------------------------------------------------------------------ tracking

  /** Deliveries, acknowledgements, failures and who is still missing, for one directive. */
  report(id: string): Promise<DirectiveReport | undefined> {
    return tracking.directiveReport(this.deps, id);
  }

  /** The status block for chat (HTML), `compact` for the message edited in place. */
  async statusText(id: string, compact: boolean): Promise<string | undefined> {
    const r = await this.report(id);
    return r ? tracking.renderReport(this.deps, r, compact) : undefined;
  }

  /** The CLI's status lines (`delivered x/y`, `acknowledged a/b`, then the lists). */
  statusLines(id: string): Promise<string[] | undefined> {
    return tracking.statusLines(this.deps, id);
  }

  /** The status view for the admin's message: text and the «Dừng gửi» button while it can matter. */
  statusView(id: string): Promise<{ html: string; markup: InlineKeyboardMarkup; live: boolean } | undefined> {
    return tracking.statusView(this.deps, id);
  }

  /** The latest directives, one line each (HTML), for /thongbao_tinhtrang. */
  latest(limit = 5): Promise<string[]> {
    return tracking.latestLines(this.deps, limit);
  }

  /**
   * Re-renders the admin's status message (the status job). While deliveries are still pending
   * nothing else tells us they progress, so it asks for another refresh one slot later.
   */
  refreshStatusMessage(id: string): Promise<void> {
    return tracking.refreshStatusMessage(this.deps, this.editor, id);
  }

  // ------------------------------------------------------------------ cancelling

  /** Stops what has not gone out: the fan-out, queued outbox messages and the follow-ups. Admins only. */
  cancel(actor: Viewer | 'cli', id: string): Promise<CancelOutcome> {
    return cancelDirective(this.deps, actor, id);
  }

  // ------------------------------------------------------------------ job steps

  /**
   * One run of the fan-out job: hands batches to the outbox until everyone is queued, reading
   * the cancel flag before each batch. Returns `wait` with a time when the directive's previous
   * batch is still in the outbox (or quiet hours hold it), so a cancel finds little to remove
   * and other notices are not stuck behind a whole province.
   */
  fanOutStep(id: string): Promise<{ kind: 'done' } | { kind: 'wait'; delayMs: number }> {
    return fanOut.fanOutStep(this.deps, id);
  }

  /**
   * The reminder: the directive again to everyone it reached who has not acknowledged it, then
   * the leaders' step is scheduled as long after. Safe to repeat (outbox ids are per person).
   */
  remind(id: string): Promise<void> {
    return followUps.remind(this.deps, id);
  }

  /**
   * The leaders' step: each responsible leader gets one message listing the people under them
   * who still have not acknowledged (unreachable ones marked so). Safe to repeat.
   */
  tellLeaders(id: string): Promise<void> {
    return followUps.tellLeaders(this.deps, id);
  }
}
