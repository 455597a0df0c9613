/**
 * Directives (thông báo, chỉ đạo) as the edges use them: an admin composes one (chat or CLI),
 * previews it, and sends it to an audience; recipients acknowledge it; the admin follows
 * deliveries and acknowledgements; non-acknowledgers are reminded after a delay and then their
 * responsible leaders are told; an admin may cancel what has not gone out yet.
 *
 * Sending is never done inside a request. `send` stores the directive and queues BullMQ jobs
 * (`jobs/directives.ts` runs them) under ids derived from the directive id, so a double click,
 * a restart or two instances never fan out twice:
 * - `dir-fanout-{id}` hands recipients to the outbox in batches, waiting while the directive's
 *   earlier batch is still queued there, and reads the cancel flag before every batch;
 * - `dir-reminder-{id}` (after `ackHours`) and `dir-leaders-{id}` (as long again) follow up;
 * - `dir-status-{id}-{slot}` re-renders the admin's status message at most once per slot.
 * Each message has a deterministic outbox id (`directive.{id}.{person}`), so a repeated batch
 * queues nothing new.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from '@telegraf/types';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  type Audience,
  type AudienceTarget,
  CANCELLED_REASON,
  checkDraft,
  type DeliveryFact,
  DIRECTIVE_FILE_MAX_BYTES,
  DIRECTIVE_ID_PATTERN,
  type Directive,
  type DirectiveAttachment,
  type DirectiveContent,
  type DirectiveDraft,
  type DirectiveProgress,
  type DraftInput,
  describeAudience,
  formatMoment,
  leaderDigests,
  leaderNoteText,
  planRecipients,
  progressOf,
  type Recipient,
  recipientText,
  reminderText,
  renderStatus,
  renderStatusLines,
} from '../domain/directives.js';
import { escapeHtml } from '../domain/text.js';
import { BRANCH_LEVELS, DEFAULT_BRANCH_KIND, type Unit } from '../domain/units.js';
import { calendarDate, formatVnDate } from '../domain/vn.js';
import type { Clock } from '../infra/clock.js';
import type { Logger } from '../logger.js';
import { msg } from '../messages/index.js';
import type { DeliveryStore } from '../outbox/deliveries.js';
import { OUTBOX_QUEUE, outboxId, QUEUE_PREFIX, type QuietHours, quietHoursEnd } from '../outbox/outbox.js';
import type { OutboxMessage } from '../outbox/types.js';
import type { DirectiveStore, StoredDirective } from '../store/directives.js';
import type { Person } from '../store/people.js';
import { button } from '../telegram/keyboards.js';
import type { Notifier } from './notifier.js';
import type { Organisation, Viewer } from './organisation.js';

const m = msg.directives;

/** The BullMQ queue of directive jobs (its keys start with `cb:bull:directives`). */
export const DIRECTIVE_QUEUE = 'directives';
export type DirectiveJobName = 'fanout' | 'reminder' | 'leaders' | 'status';
export interface DirectiveJobData {
  id: string;
}
/** Recipients handed to the outbox per batch. */
export const FANOUT_BATCH = 50;
/** The fan-out waits while more than this many of the directive's messages are still queued. */
const FANOUT_BACKLOG = FANOUT_BATCH / 2;
/** How often, at most, the admin's status message is edited. */
export const STATUS_EVERY_MS = 3_000;
/** How long after a cancel the status keeps following messages that were already in flight. */
const LIVE_AFTER_CANCEL_MS = 10 * 60_000;
/** The outbox `track` kinds of a directive's messages, counted separately. */
export const TRACK = { directive: 'directive', reminder: 'directive-reminder', leaders: 'directive-leaders' };

const DAY_SECONDS = 24 * 3600;

/** The job id of one step of one directive; `slot` only for status refreshes. */
export function directiveJobId(name: DirectiveJobName, id: string, slot?: number): string {
  return slot === undefined ? `dir-${name}-${id}` : `dir-${name}-${id}-${slot}`;
}

/**
 * Edits a message the bot sent before (the admin's status message). The telegraf edge
 * implements it; "message is not modified" must be treated as success.
 */
export interface StatusEditor {
  edit(chatId: number, messageId: number, html: string, markup: InlineKeyboardMarkup): Promise<void>;
}

/**
 * The producer side of the directive jobs, plus removal of a cancelled directive's outbox jobs.
 * Both queues share the caller's Redis connection, so closing that connection closes them.
 */
export class DirectiveJobs {
  // Made on first use: a process that never touches directives (most CLI commands) opens nothing.
  private directiveQueue: Queue<DirectiveJobData, void, DirectiveJobName> | undefined;
  private outboxQueue: Queue | undefined;

  constructor(private readonly redis: Redis) {}

  private get queue(): Queue<DirectiveJobData, void, DirectiveJobName> {
    this.directiveQueue ??= new Queue<DirectiveJobData, void, DirectiveJobName>(DIRECTIVE_QUEUE, {
      connection: this.redis,
      prefix: QUEUE_PREFIX,
    });
    return this.directiveQueue;
  }

  private get outbox(): Queue {
    this.outboxQueue ??= new Queue(OUTBOX_QUEUE, { connection: this.redis, prefix: QUEUE_PREFIX });
    return this.outboxQueue;
  }

  /** Starts (or, if already started, leaves alone) the fan-out of directive `id`. */
  async fanOut(id: string): Promise<void> {
    await this.queue.add(
      'fanout',
      { id },
      {
        jobId: directiveJobId('fanout', id),
        attempts: 10,
        backoff: { type: 'exponential', delay: 2_000 },
        removeOnComplete: { age: 40 * DAY_SECONDS },
        removeOnFail: { age: 40 * DAY_SECONDS },
      },
    );
  }

  /** Schedules a follow-up step in `delayMs`; a second call for the same step does nothing. */
  async followUp(id: string, stage: 'reminder' | 'leaders', delayMs: number): Promise<void> {
    await this.queue.add(
      stage,
      { id },
      {
        jobId: directiveJobId(stage, id),
        delay: Math.max(0, delayMs),
        attempts: 5,
        backoff: { type: 'exponential', delay: 30_000 },
        removeOnComplete: { age: 40 * DAY_SECONDS },
        removeOnFail: { age: 40 * DAY_SECONDS },
      },
    );
  }

  /**
   * Asks for the status message to be re-rendered at the end of the current slot. Every call
   * within one slot shares one job, which runs after all of them, so none is lost.
   */
  async refreshStatus(id: string): Promise<void> {
    // BullMQ delays run on real time, whatever clock the app reads.
    const now = Date.now();
    const slot = Math.floor(now / STATUS_EVERY_MS) + 1;
    await this.queue.add(
      'status',
      { id },
      {
        jobId: directiveJobId('status', id, slot),
        delay: slot * STATUS_EVERY_MS - now,
        attempts: 2,
        removeOnComplete: { age: 3600 },
        removeOnFail: { age: 3600 },
      },
    );
  }

  /** Removes the directive's waiting fan-out and follow-up jobs (a running one reads the cancel flag). */
  async removeDirectiveJobs(id: string): Promise<void> {
    for (const name of ['fanout', 'reminder', 'leaders'] as const) {
      await this.queue.remove(directiveJobId(name, id)).catch(() => 0);
    }
  }

  /**
   * Removes queued outbox jobs by id; returns the ids no longer in the outbox (removed now, or
   * already gone). A job in the worker's hands cannot be removed: it goes out.
   */
  async removeOutboxJobs(ids: readonly string[]): Promise<string[]> {
    const gone: string[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      const results = await Promise.all(
        chunk.map(async (jobId) => {
          if ((await this.outbox.remove(jobId).catch(() => 0)) === 1) return true;
          return (await this.outbox.getJob(jobId)) === undefined;
        }),
      );
      gone.push(...chunk.filter((_, k) => results[k]));
    }
    return gone;
  }
}

export interface DirectiveServiceDeps {
  store: DirectiveStore;
  org: Organisation;
  notifier: Notifier;
  deliveries: Pick<DeliveryStore, 'listTrack' | 'trackCounts' | 'listUnreachable' | 'failed'>;
  jobs: DirectiveJobs;
  clock: Clock;
  timezone: string;
  quietHours?: QuietHours;
  log: Logger;
}

/** A preview of a draft: the text one recipient would get, and how many would get it. */
export interface DirectivePreview {
  html: string;
  markup: InlineKeyboardMarkup;
  recipients: number;
  audienceText: string;
}

export type SendOutcome =
  | { ok: true; directive: Directive; recipients: number }
  | { ok: false; errors: string[] };

export type AckOutcome =
  | { ok: true; at: number; when: string; first: boolean; markup: InlineKeyboardMarkup }
  | { ok: false; text: string };

export type CancelOutcome =
  | { ok: true; already: boolean; stopped: number; text: string }
  | { ok: false; text: string };

/** What one person sees in /vanban. */
export interface InboxItem {
  directive: Directive;
  ackedAt?: number;
}

/** A file a person asked for with «Xem tệp đính kèm». */
export type AttachmentOutcome =
  | { ok: true; kind: 'document' | 'photo'; filename: string; caption: string; fileId: string }
  | { ok: true; kind: 'document' | 'photo'; filename: string; caption: string; bytes: Buffer }
  | { ok: false; text: string };

/** The status of one directive, computed from the store, the outbox and the people. */
export interface DirectiveReport {
  stored: StoredDirective;
  progress: DirectiveProgress;
}

/** "Nguyễn Văn A": the name for a salutation, without the @handle. */
function plainName(p: Pick<Person, 'firstName' | 'lastName'> | undefined): string {
  return [p?.firstName, p?.lastName].filter(Boolean).join(' ').trim();
}

const isBranchUnit = (u: Pick<Unit, 'level'>) => BRANCH_LEVELS.includes(u.level);

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
  async recipientsFor(audience: Audience): Promise<Recipient[]> {
    const { units, people } = this.deps.org;
    if (audience.kind === 'leaders') {
      const leaders = await people.list({ role: 'leader' });
      const codes = [
        ...new Set(leaders.flatMap((p) => p.roles.flatMap((r) => (r.kind === 'leader' ? [r.unit] : [])))),
      ];
      const [found, ancestors] = await Promise.all([units.getMany(codes), units.ancestorsMany(codes)]);
      const path = (c: string) => [...(ancestors.get(c) ?? []), c].join('/');
      const targets: AudienceTarget[] = codes
        .sort((a, b) => (path(a) < path(b) ? -1 : path(a) > path(b) ? 1 : 0))
        .flatMap((code) => {
          const unit = found.get(code);
          if (!unit) return [];
          const holders = leaders.filter((p) => p.roles.some((r) => r.kind === 'leader' && r.unit === code));
          return [
            {
              unit: { code, name: unit.name },
              role: 'leader' as const,
              people: holders.map((p) => ({ id: p.id, name: plainName(p) })),
            },
          ];
        });
      return planRecipients(targets);
    }
    let branchCodes: string[];
    if (audience.kind === 'unit') {
      branchCodes = await units.branchesUnder(audience.unit);
    } else {
      const root = await units.root();
      branchCodes = root ? await units.branchesUnder(root.code) : [];
    }
    const found = await units.getMany(branchCodes);
    let branches = branchCodes.map((c) => found.get(c)).filter((u): u is Unit => u !== undefined);
    if (audience.kind === 'kind') {
      const wanted = new Set(audience.kinds);
      branches = branches.filter((u) => wanted.has(u.kind ?? DEFAULT_BRANCH_KIND));
    }
    return planRecipients(await this.branchTargets(branches));
  }

  /** Each branch's secretaries, or its deputies where it has no secretary (a deputy stands in). */
  private async branchTargets(branches: readonly Unit[]): Promise<AudienceTarget[]> {
    const { people } = this.deps.org;
    const holders: { unit: Unit; role: 'secretary' | 'deputy'; ids: number[] }[] = [];
    for (let i = 0; i < branches.length; i += 200) {
      const chunk = branches.slice(i, i + 200);
      const found = await Promise.all(
        chunk.map(async (unit) => {
          const secretaries = await people.holdersOf(unit.code, 'secretary');
          if (secretaries.length > 0) return { unit, role: 'secretary' as const, ids: secretaries };
          return { unit, role: 'deputy' as const, ids: await people.holdersOf(unit.code, 'deputy') };
        }),
      );
      holders.push(...found.filter((h) => h.ids.length > 0));
    }
    const persons = await people.getMany([...new Set(holders.flatMap((h) => h.ids))]);
    const names = new Map(persons.map((p) => [p.id, plainName(p)]));
    return holders.map((h) => ({
      unit: { code: h.unit.code, name: h.unit.name },
      role: h.role,
      people: h.ids.map((id) => ({ id, name: names.get(id) ?? '' })),
    }));
  }

  /** What the audience is called ("bí thư các chi bộ thuộc Đảng bộ xã A"). */
  async describeAudience(audience: Audience): Promise<string> {
    if (audience.kind !== 'unit') return describeAudience(audience);
    const unit = await this.deps.org.unit(audience.unit);
    return describeAudience(audience, unit ? { name: unit.name, isBranch: isBranchUnit(unit) } : undefined);
  }

  /** Committees an admin may pick as a unit audience: the root and the committees just below it. */
  async unitChoices(limit = 12): Promise<Unit[]> {
    const root = await this.deps.org.units.root();
    if (!root) return [];
    const children = await this.deps.org.units.getMany(await this.deps.org.units.children(root.code));
    const committees = [...children.values()].filter((u) => !isBranchUnit(u));
    return [root, ...committees].slice(0, limit);
  }

  /** The unit an admin typed for a unit audience, if it exists. */
  async findUnit(code: string): Promise<Unit | undefined> {
    return this.deps.org.unit(code.trim());
  }

  // ------------------------------------------------------------------ composing and sending

  /** Checks a draft field by field (the CLI and the dialog's last step). */
  check(input: DraftInput): ReturnType<typeof checkDraft> {
    return checkDraft(input, this.today());
  }

  /** Exactly what a recipient will see (the first recipient's version), before anything is sent. */
  async preview(
    viewer: Viewer,
    draft: DirectiveDraft,
  ): Promise<{ ok: true; preview: DirectivePreview } | { ok: false; errors: string[] }> {
    if (!this.deps.org.isAdmin(viewer)) return { ok: false, errors: [msg.units.adminOnly] };
    const found = await this.resolve(draft.audience);
    if (!found.ok) return found;
    const [first] = found.recipients;
    const content: DirectiveContent = { ...draft, createdAt: this.deps.clock.now() };
    return {
      ok: true,
      preview: {
        html: recipientText(content, first!, this.deps.timezone),
        markup: markup([
          [button(m.buttonAck, 'dr', 'pv')],
          draft.attachment ? [button(m.buttonFile, 'dr', 'pf')] : [],
        ]),
        recipients: found.recipients.length,
        audienceText: found.audienceText,
      },
    };
  }

  private async resolve(
    audience: Audience,
  ): Promise<{ ok: true; recipients: Recipient[]; audienceText: string } | { ok: false; errors: string[] }> {
    if (audience.kind === 'unit' && !(await this.deps.org.unit(audience.unit)))
      return { ok: false, errors: [msg.units.unknownUnit(audience.unit)] };
    const audienceText = await this.describeAudience(audience);
    const recipients = await this.recipientsFor(audience);
    if (recipients.length === 0) return { ok: false, errors: [m.errors.noRecipients(audienceText)] };
    return { ok: true, recipients, audienceText };
  }

  /**
   * Sends a directive: checks it, fixes its recipients, stores it (audited) and queues the
   * fan-out and the follow-up. Admins only. `file` is a CLI file kept with the directive.
   */
  async send(
    actor: Viewer | 'cli',
    input: DraftInput,
    opts: { file?: { bytes: Buffer; filename: string; kind: 'document' | 'photo' } } = {},
  ): Promise<SendOutcome> {
    if (actor !== 'cli' && !this.deps.org.isAdmin(actor)) return { ok: false, errors: [msg.units.adminOnly] };
    if (opts.file && opts.file.bytes.length > DIRECTIVE_FILE_MAX_BYTES)
      return { ok: false, errors: [m.errors.fileTooBig(DIRECTIVE_FILE_MAX_BYTES / 1024 / 1024)] };
    const attachment: DirectiveAttachment | undefined = opts.file
      ? { kind: opts.file.kind, filename: opts.file.filename, stored: true }
      : input.attachment;
    const checked = this.check({ ...input, ...(attachment ? { attachment } : {}) });
    if (!checked.ok) return checked;
    const found = await this.resolve(checked.draft.audience);
    if (!found.ok) return found;
    const directive: Directive = {
      ...checked.draft,
      id: await this.deps.store.nextId(),
      createdBy: actor === 'cli' ? 'cli' : String(actor.id),
      createdAt: this.deps.clock.now(),
      audienceText: found.audienceText,
    };
    await this.deps.store.create(directive, found.recipients, opts.file?.bytes);
    await this.deps.jobs.fanOut(directive.id);
    await this.deps.jobs.followUp(directive.id, 'reminder', Math.round(directive.ackHours * 3_600_000));
    this.deps.log.info(
      { directive: directive.id, recipients: found.recipients.length, by: directive.createdBy },
      'directive queued',
    );
    return { ok: true, directive, recipients: found.recipients.length };
  }

  /** The admin's message that shows the status from now on (edited in place). */
  async attachStatusMessage(id: string, chatId: number, messageId: number): Promise<void> {
    await this.deps.store.setStatusMessage(id, chatId, messageId);
    await this.deps.jobs.refreshStatus(id);
  }

  // ------------------------------------------------------------------ recipients

  /** «Đã nhận»: records the first press (later presses keep its time). */
  async acknowledge(personId: number, id: string): Promise<AckOutcome> {
    const stored = DIRECTIVE_ID_PATTERN.test(id) ? await this.deps.store.get(id) : undefined;
    if (!stored) return { ok: false, text: m.toast.unknown };
    if (!(await this.deps.store.isRecipient(id, personId))) return { ok: false, text: m.toast.notRecipient };
    const r = await this.deps.store.acknowledge(id, personId, this.deps.clock.now());
    if (r.first) await this.deps.jobs.refreshStatus(id);
    const when = this.moment(r.at);
    return { ok: true, at: r.at, when, first: r.first, markup: ackedMarkup(stored.directive, when) };
  }

  /** The directives addressed to a person, newest first, with when they acknowledged each. */
  async inbox(personId: number, limit = 10): Promise<InboxItem[]> {
    const ids = await this.deps.store.inbox(personId, limit);
    const [stored, acks] = await Promise.all([
      Promise.all(ids.map((id) => this.deps.store.get(id))),
      this.deps.store.acksOf(personId, ids),
    ]);
    return stored.flatMap((s, i) => {
      if (!s) return [];
      const ackedAt = acks[i];
      return [ackedAt === undefined ? { directive: s.directive } : { directive: s.directive, ackedAt }];
    });
  }

  /** One directive again, as this recipient received it (from /vanban). */
  async copyFor(
    personId: number,
    id: string,
  ): Promise<{ ok: true; html: string; markup: InlineKeyboardMarkup } | { ok: false; text: string }> {
    const stored = DIRECTIVE_ID_PATTERN.test(id) ? await this.deps.store.get(id) : undefined;
    if (!stored) return { ok: false, text: m.toast.unknown };
    const recipient = (await this.deps.store.recipients(id)).find((r) => r.personId === personId);
    if (!recipient) return { ok: false, text: m.toast.notRecipient };
    const [ackedAt] = await this.deps.store.acksOf(personId, [id]);
    const d = stored.directive;
    return {
      ok: true,
      html: recipientText(d, recipient, this.deps.timezone),
      markup: ackedAt === undefined ? ackMarkup(d) : ackedMarkup(d, this.moment(ackedAt)),
    };
  }

  /** The directive's file, for a recipient or an admin who pressed «Xem tệp đính kèm». */
  async attachment(viewer: Viewer, id: string): Promise<AttachmentOutcome> {
    const stored = DIRECTIVE_ID_PATTERN.test(id) ? await this.deps.store.get(id) : undefined;
    const a = stored?.directive.attachment;
    if (!stored || !a) return { ok: false, text: stored ? m.toast.noFile : m.toast.unknown };
    if (!this.deps.org.isAdmin(viewer) && !(await this.deps.store.isRecipient(id, viewer.id)))
      return { ok: false, text: m.toast.notRecipient };
    const base = { kind: a.kind, filename: a.filename, caption: stored.directive.title };
    const fileId = a.fileId ?? stored.fileId;
    if (fileId) return { ok: true, ...base, fileId };
    const bytes = await this.deps.store.file(id);
    return bytes ? { ok: true, ...base, bytes } : { ok: false, text: m.toast.noFile };
  }

  /** After a CLI file's first upload: later presses re-send it by Telegram's id. */
  async rememberFileId(id: string, fileId: string): Promise<void> {
    await this.deps.store.setFileId(id, fileId);
  }

  // ------------------------------------------------------------------ tracking

  /** Deliveries, acknowledgements, failures and who is still missing, for one directive. */
  async report(id: string): Promise<DirectiveReport | undefined> {
    const stored = DIRECTIVE_ID_PATTERN.test(id) ? await this.deps.store.get(id) : undefined;
    if (!stored) return undefined;
    const [recipients, records, acks, marks] = await Promise.all([
      this.deps.store.recipients(id),
      this.deps.deliveries.listTrack(TRACK.directive, id),
      this.deps.store.acks(id),
      this.deps.deliveries.listUnreachable(),
    ]);
    const deliveries = new Map<number, DeliveryFact>();
    for (const r of records) {
      if (r.personId === undefined) continue;
      deliveries.set(
        r.personId,
        r.reason === undefined ? { state: r.state } : { state: r.state, reason: r.reason },
      );
    }
    const unreachable = new Set<number>(marks.map((u) => u.personId ?? u.chatId));
    const persons = await this.deps.org.people.getMany(recipients.map((r) => r.personId));
    for (const p of persons) if (p.unreachable) unreachable.add(p.id);
    const progress = progressOf({
      recipients,
      deliveries,
      acks,
      unreachable,
      cancelled: stored.cancelledAt !== undefined,
    });
    return { stored, progress };
  }

  /** The status block for chat (HTML), `compact` for the message edited in place. */
  async statusText(id: string, compact: boolean): Promise<string | undefined> {
    const r = await this.report(id);
    return r ? this.renderReport(r, compact) : undefined;
  }

  private renderReport(r: DirectiveReport, compact: boolean): string {
    return renderStatus(r.stored.directive, r.progress, r.stored, { timezone: this.deps.timezone, compact });
  }

  /** The CLI's status lines (`delivered x/y`, `acknowledged a/b`, then the lists). */
  async statusLines(id: string): Promise<string[] | undefined> {
    const r = await this.report(id);
    return r ? renderStatusLines(r.stored.directive, r.progress, r.stored, this.deps.timezone) : undefined;
  }

  /** The status view for the admin's message: text and the «Dừng gửi» button while it can matter. */
  async statusView(
    id: string,
  ): Promise<{ html: string; markup: InlineKeyboardMarkup; live: boolean } | undefined> {
    const r = await this.report(id);
    if (!r) return undefined;
    const s = r.stored;
    const active = s.cancelledAt === undefined && s.leadersToldAt === undefined;
    return {
      html: this.renderReport(r, true),
      markup: markup([active ? [button(m.admin.buttonStop, 'dr', 'x', s.directive.id)] : []]),
      // After a cancel, only messages already in the worker's hands can still settle.
      live:
        r.progress.pending > 0 &&
        (s.cancelledAt === undefined || this.deps.clock.now() - s.cancelledAt < LIVE_AFTER_CANCEL_MS),
    };
  }

  /** The latest directives, one line each (HTML), for /thongbao_tinhtrang. */
  async latest(limit = 5): Promise<string[]> {
    const ids = await this.deps.store.latest(limit);
    const lines: string[] = [];
    for (const id of ids) {
      const [stored, counts, acks] = await Promise.all([
        this.deps.store.get(id),
        this.deps.deliveries.trackCounts(TRACK.directive, id),
        this.deps.store.acks(id),
      ]);
      if (!stored) continue;
      const d = stored.directive;
      const total = stored.recipientCount;
      lines.push(
        m.admin.latestLine(
          d.id,
          escapeHtml(d.title),
          this.moment(d.createdAt),
          `${counts.sent}/${total}`,
          `${acks.size}/${total}`,
          stored.cancelledAt !== undefined,
        ),
      );
    }
    return lines;
  }

  /**
   * Re-renders the admin's status message (the status job). While deliveries are still pending
   * nothing else tells us they progress, so it asks for another refresh one slot later.
   */
  async refreshStatusMessage(id: string): Promise<void> {
    const stored = await this.deps.store.get(id);
    if (!stored?.statusMessage || !this.editor) return;
    const view = await this.statusView(id);
    if (!view) return;
    try {
      await this.editor.edit(
        stored.statusMessage.chatId,
        stored.statusMessage.messageId,
        view.html,
        view.markup,
      );
    } catch (err) {
      this.deps.log.warn(
        { directive: id, err: errText(err) },
        'directive: could not edit the status message',
      );
    }
    if (view.live) await this.deps.jobs.refreshStatus(id);
  }

  // ------------------------------------------------------------------ cancelling

  /** Stops what has not gone out: the fan-out, queued outbox messages and the follow-ups. Admins only. */
  async cancel(actor: Viewer | 'cli', id: string): Promise<CancelOutcome> {
    if (actor !== 'cli' && !this.deps.org.isAdmin(actor)) return { ok: false, text: msg.units.adminOnly };
    const stored = DIRECTIVE_ID_PATTERN.test(id) ? await this.deps.store.get(id) : undefined;
    if (!stored) return { ok: false, text: m.admin.unknown(id) };
    const r = await this.deps.store.cancel(
      id,
      actor === 'cli' ? 'cli' : String(actor.id),
      this.deps.clock.now(),
    );
    await this.deps.jobs.removeDirectiveJobs(id);
    // Run again on a repeated cancel too: it tidies whatever a crash mid-cancel left.
    const removed = await this.removeQueued(id);
    await this.deps.jobs.refreshStatus(id);
    if (!r.already) this.deps.log.info({ directive: id, removed }, 'directive cancelled');
    const stopped = (await this.report(id))?.progress.stopped ?? removed;
    return {
      ok: true,
      already: r.already,
      stopped,
      text: r.already ? m.admin.alreadyStopped(id) : m.admin.stopped(id, stopped),
    };
  }

  /**
   * Removes the directive's outbox messages (and reminders) still waiting to go, and records
   * each as failed for `CANCELLED_REASON`, so the status counts it as stopped, not pending.
   */
  private async removeQueued(id: string): Promise<number> {
    const pending = [
      ...(await this.deps.deliveries.listTrack(TRACK.directive, id)),
      ...(await this.deps.deliveries.listTrack(TRACK.reminder, id)),
    ].filter((r) => r.state === 'pending');
    const gone = new Set(await this.deps.jobs.removeOutboxJobs(pending.map((r) => r.id)));
    const now = this.deps.clock.now();
    for (const r of pending) {
      if (!gone.has(r.id)) continue;
      const message: OutboxMessage = { chatId: r.chatId, text: '', purpose: r.purpose };
      if (r.personId !== undefined) message.personId = r.personId;
      if (r.track) message.track = r.track;
      await this.deps.deliveries.failed({ id: r.id, message }, CANCELLED_REASON, true, now);
    }
    return gone.size;
  }

  // ------------------------------------------------------------------ job steps

  /**
   * One run of the fan-out job: hands batches to the outbox until everyone is queued, reading
   * the cancel flag before each batch. Returns `wait` with a time when the directive's previous
   * batch is still in the outbox (or quiet hours hold it), so a cancel finds little to remove
   * and other notices are not stuck behind a whole province.
   */
  async fanOutStep(id: string): Promise<{ kind: 'done' } | { kind: 'wait'; delayMs: number }> {
    const stored = await this.deps.store.get(id);
    if (!stored || stored.cancelledAt !== undefined) return { kind: 'done' };
    const d = stored.directive;
    let queued = stored.queued;
    while (queued < stored.recipientCount) {
      const counts = await this.deps.deliveries.trackCounts(TRACK.directive, id);
      if (counts.pending > FANOUT_BACKLOG) return { kind: 'wait', delayMs: this.backlogWait() };
      if (await this.deps.store.isCancelled(id)) return { kind: 'done' };
      const batch = await this.deps.store.recipients(id, queued, queued + FANOUT_BATCH - 1);
      if (batch.length === 0) break;
      await Promise.all(
        batch.map((r) =>
          this.deps.notifier.toPerson(r.personId, recipientText(d, r, this.deps.timezone), {
            id: outboxId('directive', id, r.personId),
            purpose: 'directive',
            parseMode: 'HTML',
            replyMarkup: ackMarkup(d),
            track: { kind: TRACK.directive, id },
          }),
        ),
      );
      queued += batch.length;
      await this.deps.store.setQueued(id, queued);
      await this.deps.jobs.refreshStatus(id);
      // A cancel that landed while this batch was being queued did not see it: remove it now.
      if (await this.deps.store.isCancelled(id)) {
        await this.removeQueued(id);
        return { kind: 'done' };
      }
    }
    return { kind: 'done' };
  }

  private backlogWait(): number {
    const now = this.deps.clock.now();
    const quietEnd = quietHoursEnd(now, this.deps.quietHours, this.deps.timezone);
    return quietEnd === undefined ? 500 : Math.max(500, quietEnd - now);
  }

  /**
   * The reminder: the directive again to everyone it reached who has not acknowledged it, then
   * the leaders' step is scheduled as long after. Safe to repeat (outbox ids are per person).
   */
  async remind(id: string): Promise<void> {
    const r = await this.report(id);
    if (!r || r.stored.cancelledAt !== undefined) return;
    const d = r.stored.directive;
    const now = this.deps.clock.now();
    await this.deps.store.markStage(id, 'remindedAt', now);
    const delivered = new Set(
      (await this.deps.deliveries.listTrack(TRACK.directive, id))
        .filter((x) => x.state === 'sent')
        .map((x) => x.personId),
    );
    const due = r.progress.notAcknowledged.filter((x) => delivered.has(x.personId));
    for (let i = 0; i < due.length; i += FANOUT_BATCH) {
      if (await this.deps.store.isCancelled(id)) return;
      await Promise.all(
        due.slice(i, i + FANOUT_BATCH).map(async (x) => {
          await this.deps.notifier.toPerson(x.personId, reminderText(d, x, this.deps.timezone), {
            id: outboxId('directive-reminder', id, x.personId),
            purpose: 'directive',
            parseMode: 'HTML',
            replyMarkup: ackMarkup(d),
            track: { kind: TRACK.reminder, id },
          });
          await this.deps.store.markFollowUp(id, 'r', x.personId, now);
        }),
      );
    }
    await this.deps.jobs.followUp(id, 'leaders', Math.round(d.ackHours * 3_600_000));
    await this.deps.jobs.refreshStatus(id);
  }

  /**
   * The leaders' step: each responsible leader gets one message listing the people under them
   * who still have not acknowledged (unreachable ones marked so). Safe to repeat.
   */
  async tellLeaders(id: string): Promise<void> {
    const r = await this.report(id);
    if (!r || r.stored.cancelledAt !== undefined) return;
    const d = r.stored.directive;
    const now = this.deps.clock.now();
    const missing = r.progress.notAcknowledged;
    const unreachable = new Set(r.progress.unreachable.map((u) => u.recipient.personId));
    const responsible = await this.responsibleLeaders(missing);
    const digests = leaderDigests(missing, (x) => responsible.get(x.personId)?.people ?? []);
    const leaderIds = [...digests.keys()];
    const persons = new Map((await this.deps.org.people.getMany(leaderIds)).map((p) => [p.id, p]));
    const unitNames = await this.deps.org.units.getMany([
      ...new Set([...responsible.values()].map((x) => x.unit)),
    ]);
    for (const leaderId of leaderIds) {
      if (await this.deps.store.isCancelled(id)) return;
      const list = digests.get(leaderId) ?? [];
      const unitCode = list.map((x) => responsible.get(x.personId)?.unit).find(Boolean) ?? '';
      const leader: Recipient = {
        personId: leaderId,
        role: 'leader',
        units: [{ code: unitCode, name: unitNames.get(unitCode)?.name ?? unitCode }],
        name: plainName(persons.get(leaderId)),
      };
      const text = leaderNoteText(
        d,
        leader,
        list.map((x) => ({ recipient: x, unreachable: unreachable.has(x.personId) })),
        this.deps.timezone,
      );
      await this.deps.notifier.toPerson(leaderId, text, {
        id: outboxId('directive-leader', id, leaderId),
        purpose: 'directive',
        parseMode: 'HTML',
        track: { kind: TRACK.leaders, id },
      });
      await this.deps.store.markFollowUp(id, 'l', leaderId, now);
    }
    await this.deps.store.markStage(id, 'leadersToldAt', now);
    await this.deps.jobs.refreshStatus(id);
  }

  /**
   * The leaders responsible for each recipient: of the recipient's (first) unit or its nearest
   * ancestor with leaders; for a leader recipient, starting above their own unit.
   */
  private async responsibleLeaders(
    recipients: readonly Recipient[],
  ): Promise<Map<number, { unit: string; people: number[] }>> {
    const { units, people } = this.deps.org;
    const codes = [...new Set(recipients.map((r) => r.units[0]?.code ?? ''))].filter(Boolean);
    const ancestors = await units.ancestorsMany(codes);
    const cache = new Map<string, { unit: string; people: number[] } | undefined>();
    const lookup = async (code: string, fromParent: boolean) => {
      const key = `${fromParent ? '^' : ''}${code}`;
      if (!cache.has(key)) {
        const chain = ancestors.get(code) ?? [];
        const start = fromParent ? chain[chain.length - 1] : code;
        const above = fromParent ? chain.slice(0, -1) : chain;
        cache.set(key, start ? await people.responsibleLeaders(start, above) : undefined);
      }
      return cache.get(key);
    };
    const out = new Map<number, { unit: string; people: number[] }>();
    for (const r of recipients) {
      const code = r.units[0]?.code;
      if (!code) continue;
      const found = await lookup(code, r.role === 'leader');
      if (found) out.set(r.personId, found);
    }
    return out;
  }
}

/** Inline keyboard markup from button rows, empty rows dropped. */
function markup(rows: InlineKeyboardButton[][]): InlineKeyboardMarkup {
  return { inline_keyboard: rows.filter((r) => r.length > 0) };
}

/** Under a directive: «Đã nhận», and «Xem tệp đính kèm» when it has a file. */
function ackMarkup(d: Directive): InlineKeyboardMarkup {
  return markup([
    [button(m.buttonAck, 'dr', 'ack', d.id)],
    d.attachment ? [button(m.buttonFile, 'dr', 'f', d.id)] : [],
  ]);
}

/** After acknowledging: the time instead of «Đã nhận»; the file stays reachable. */
function ackedMarkup(d: Directive, when: string): InlineKeyboardMarkup {
  return markup([
    [button(m.buttonAcked(when), 'dr', 'ack', d.id)],
    d.attachment ? [button(m.buttonFile, 'dr', 'f', d.id)] : [],
  ]);
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
