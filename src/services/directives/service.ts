/**
 * Directives (thông báo, chỉ đạo) as the edges use them: an admin composes one (chat or CLI),
 * previews it, and sends it to an audience; recipients acknowledge it; the admin follows
 * deliveries and acknowledgements; non-acknowledgers are reminded after a delay and then their
 * responsible leaders are told; an admin may cancel what has not gone out yet.
 *
 * Sending is never done inside a request. `send` stores the directive and queues BullMQ jobs
 * (`jobs/directives.ts` runs them) under ids derived from the directive id (see `jobIds.ts`),
 * so a double click, a restart or two instances never fan out twice.
 *
 * Chat replies are returned as data (`src/chat/reply.ts`), with buttons packed by this folder's
 * one codec (`actions.ts`). Where an admin is in /thongbao is the `directives` dialog
 * (`src/services/dialogs.ts`), so a half-composed directive survives a restart.
 */
import type { Rich } from '../../chat/markup.js';
import type { Outcome, Reply } from '../../chat/reply.js';
import type { Audience, DraftInput, Recipient } from '../../domain/directives.js';
import type { Session } from '../dialogs.js';
import type { Viewer } from '../organisation.js';
import type { DirectiveAction } from './actions.js';
import * as audience from './audience.js';
import { act } from './buttons.js';
import { cancelDirective } from './cancelling.js';
import { type ComposeMessage, continueComposing, startComposing } from './composing.js';
import * as fanOut from './fanOut.js';
import * as followUps from './followUps.js';
import * as recipients from './recipients.js';
import { type DirectiveFile, sendDirective } from './sending.js';
import type { ComposeState } from './state.js';
import * as tracking from './tracking.js';
import type {
  AckOutcome,
  CancelOutcome,
  DirectiveChannel,
  DirectiveContext,
  DirectiveReport,
  DirectiveServiceDeps,
  SendOutcome,
} from './types.js';

export class DirectiveService {
  private channel: DirectiveChannel | undefined;
  private readonly ctx: DirectiveContext;

  constructor(deps: DirectiveServiceDeps) {
    this.ctx = { ...deps, channel: () => this.channel };
  }

  /**
   * Plugs in the messenger's side: editing the admin's status message, sending files by the
   * messenger's id. Until one is plugged in (the CLI never has one) status refreshes are skipped;
   * the status stays readable on demand.
   */
  useChannel(channel: DirectiveChannel): void {
    this.channel = channel;
  }

  // ------------------------------------------------------------------ audience

  /** Everyone the audience reaches right now, one recipient per person, in tree order. */
  recipientsFor(target: Audience): Promise<Recipient[]> {
    return audience.recipientsFor(this.ctx.org, target);
  }

  /** What the audience is called ("bí thư các chi bộ thuộc Đảng bộ xã A"). */
  describeAudience(target: Audience): Promise<string> {
    return audience.describeAudience(this.ctx.org, target);
  }

  // ------------------------------------------------------------------ chat

  /** `/thongbao`: the guided dialog's first question (admins only). */
  compose(s: Session): Promise<Reply[]> {
    return startComposing(this.ctx, s);
  }

  /** Text or a file while /thongbao is open: the answer to the step it is at. */
  continueCompose(s: Session, state: ComposeState, input: ComposeMessage): Promise<Reply[]> {
    return continueComposing(this.ctx, s, state, input);
  }

  /** A button was pressed; `pressed` is the message it was under, when the channel says. */
  act(s: Session, action: DirectiveAction, pressed?: { messageId: number }): Promise<Outcome> {
    return act(this.ctx, s, action, pressed);
  }

  /** `/vanban`: the directives addressed to the asker, «Đã nhận» for those not acknowledged. */
  inboxList(viewer: Viewer): Promise<Reply[]> {
    return recipients.inboxCommand(this.ctx, viewer);
  }

  /** `/thongbao_tinhtrang [SỐ]` (admins): the latest directives, or one in full. */
  statusOf(viewer: Viewer, args: string): Promise<Reply[]> {
    return tracking.statusCommand(this.ctx, viewer, args);
  }

  // ------------------------------------------------------------------ composing and sending

  /**
   * Sends a directive: checks it, fixes its recipients, stores it (audited) and queues the
   * fan-out and the follow-up. Admins only. `file` is a CLI file kept with the directive.
   */
  send(actor: Viewer | 'cli', input: DraftInput, opts: { file?: DirectiveFile } = {}): Promise<SendOutcome> {
    return sendDirective(this.ctx, actor, input, opts);
  }

  // ------------------------------------------------------------------ recipients

  /** «Đã nhận»: records the first press (later presses keep its time). */
  acknowledge(personId: number, id: string): Promise<AckOutcome> {
    return recipients.acknowledge(this.ctx, personId, id);
  }

  // ------------------------------------------------------------------ tracking

  /** Deliveries, acknowledgements, failures and who is still missing, for one directive. */
  report(id: string): Promise<DirectiveReport | undefined> {
    return tracking.directiveReport(this.ctx, id);
  }

  /** The status block, `compact` for the message edited in place. */
  async statusText(id: string, compact: boolean): Promise<Rich | undefined> {
    const r = await this.report(id);
    return r ? tracking.renderReport(this.ctx, r, compact) : undefined;
  }

  /** The CLI's status lines (`delivered x/y`, `acknowledged a/b`, then the lists). */
  statusLines(id: string): Promise<string[] | undefined> {
    return tracking.statusLines(this.ctx, id);
  }

  /** The latest directives, one line each, for /thongbao_tinhtrang. */
  latest(limit = 5): Promise<Rich[]> {
    return tracking.latestLines(this.ctx, limit);
  }

  /**
   * Re-renders the admin's status message (the status job). While deliveries are still pending
   * nothing else tells us they progress, so it asks for another refresh one slot later.
   */
  refreshStatusMessage(id: string): Promise<void> {
    return tracking.refreshStatusMessage(this.ctx, this.channel?.statusEditor, id);
  }

  // ------------------------------------------------------------------ cancelling

  /** Stops what has not gone out: the fan-out, queued outbox messages and the follow-ups. Admins only. */
  cancel(actor: Viewer | 'cli', id: string): Promise<CancelOutcome> {
    return cancelDirective(this.ctx, actor, id);
  }

  // ------------------------------------------------------------------ job steps

  /**
   * One run of the fan-out job: hands batches to the outbox until everyone is queued, reading
   * the cancel flag before each batch. Returns `wait` with a time when the directive's previous
   * batch is still in the outbox (or quiet hours hold it), so a cancel finds little to remove
   * and other notices are not stuck behind a whole province.
   */
  fanOutStep(id: string): Promise<{ kind: 'done' } | { kind: 'wait'; delayMs: number }> {
    return fanOut.fanOutStep(this.ctx, id);
  }

  /**
   * The reminder: the directive again to everyone it reached who has not acknowledged it, then
   * the leaders' step is scheduled as long after. Safe to repeat (outbox ids are per person).
   */
  remind(id: string): Promise<void> {
    return followUps.remind(this.ctx, id);
  }

  /**
   * The leaders' step: each responsible leader gets one message listing the people under them
   * who still have not acknowledged (unreachable ones marked so). Safe to repeat.
   */
  tellLeaders(id: string): Promise<void> {
    return followUps.tellLeaders(this.ctx, id);
  }
}
