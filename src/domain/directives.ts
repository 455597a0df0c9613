/**
 * Directives (thông báo, chỉ đạo): what an admin broadcasts, to whom, and how its deliveries
 * and acknowledgements add up. Pure: the clock and the time zone come in as arguments, the
 * service supplies stored facts, and checks answer with reason codes (`DirectiveProblem`) that
 * the catalogue words (`src/messages/directives.ts`, which also renders what recipients read).
 */
import { z } from 'zod';
import { type CitationProblem, checkIssued, checkIssuer } from './citation.js';
import { BRANCH_KINDS, type BranchKind, parseBranchKind, unitCodeSchema } from './units.js';
import { dayjs, type IsoDate, parseVnDate } from './vn.js';

/** Limits that keep a directive one Telegram message (4096) with its heading and footer. */
export const DIRECTIVE_LIMITS = { title: 200, number: 40, text: 3500, ackHoursMax: 720 } as const;
/** Hours before non-acknowledgers are reminded (and, as long again, before leaders are told). */
export const DEFAULT_ACK_HOURS = 24;
/** Largest file the CLI keeps for a directive (chat uploads stay on Telegram by file_id). */
export const DIRECTIVE_FILE_MAX_BYTES = 10 * 1024 * 1024;

/** The failure reason recorded for a directive's message taken out of the outbox by a cancel. */
export const CANCELLED_REASON = 'directive cancelled';

/** Directive ids are the decimal numbers of a counter: short to type in /thongbao_tinhtrang 17. */
export const DIRECTIVE_ID_PATTERN = /^[1-9]\d{0,9}$/;

/** Who receives a directive. Branch audiences go to each branch's secretary (its deputy if it has none). */
export type Audience =
  | { kind: 'all-secretaries' }
  | { kind: 'unit'; unit: string }
  | { kind: 'kind'; kinds: BranchKind[] }
  | { kind: 'leaders' };

export const audienceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all-secretaries') }),
  z.object({ kind: z.literal('unit'), unit: unitCodeSchema }),
  z.object({ kind: z.literal('kind'), kinds: z.array(z.enum(BRANCH_KINDS)).min(1) }),
  z.object({ kind: z.literal('leaders') }),
]);

/**
 * The CLI's `--audience`: `all-secretaries`, `unit:CODE`, `kind:KIND[,KIND…]` (codes or names
 * such as `thon`, `to_dan_pho`, "Tổ dân phố") or `leaders`. Undefined when it is none of these.
 */
export function parseAudience(text: string): Audience | undefined {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === 'all-secretaries' || lower === 'all') return { kind: 'all-secretaries' };
  if (lower === 'leaders') return { kind: 'leaders' };
  const sep = t.indexOf(':');
  if (sep < 0) return undefined;
  const head = lower.slice(0, sep);
  const rest = t.slice(sep + 1).trim();
  if (head === 'unit') {
    const unit = unitCodeSchema.safeParse(rest);
    return unit.success ? { kind: 'unit', unit: unit.data } : undefined;
  }
  if (head === 'kind') {
    const kinds: BranchKind[] = [];
    for (const word of rest.split(/[,;]/)) {
      if (word.trim() === '') continue;
      const kind = parseBranchKind(word);
      if (!kind) return undefined;
      if (!kinds.includes(kind)) kinds.push(kind);
    }
    return kinds.length > 0 ? { kind: 'kind', kinds } : undefined;
  }
  return undefined;
}

/** The inverse of parseAudience, for logs and the CLI. */
export function audienceArg(a: Audience): string {
  switch (a.kind) {
    case 'all-secretaries':
    case 'leaders':
      return a.kind;
    case 'unit':
      return `unit:${a.unit}`;
    case 'kind':
      return `kind:${a.kinds.join(',')}`;
  }
}

/**
 * A file sent with the directive. From chat it stays on Telegram (`fileId`); from the CLI its
 * bytes are kept with the directive (`stored`) and uploaded once, after which `fileId` is known.
 */
export const attachmentSchema = z.object({
  kind: z.enum(['document', 'photo']),
  filename: z.string().min(1).max(255),
  fileId: z.string().min(1).optional(),
  stored: z.boolean().optional(),
});
export type DirectiveAttachment = z.infer<typeof attachmentSchema>;

const NUMBER_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}\-/. ]*$/u;

/** A directive as composed, before it is sent. */
export const directiveDraftSchema = z.object({
  title: z.string().trim().min(1).max(DIRECTIVE_LIMITS.title),
  number: z.string().trim().min(1).max(DIRECTIVE_LIMITS.number).regex(NUMBER_PATTERN).optional(),
  text: z.string().trim().min(1).max(DIRECTIVE_LIMITS.text),
  attachment: attachmentSchema.optional(),
  audience: audienceSchema,
  /** Action deadline: the last day to carry it out. */
  deadline: z.iso.date().optional(),
  /** Hours until non-acknowledgers are reminded; fractions allowed (tests use seconds). */
  ackHours: z.number().positive().max(DIRECTIVE_LIMITS.ackHoursMax),
  /** The document's issue date (ngày ban hành), when given; else the day it was sent. */
  issued: z.iso.date().optional(),
  /** Who issued it: "Đảng ủy phường Việt Hưng". */
  issuer: z.string().min(1).max(200).optional(),
});
export type DirectiveDraft = z.infer<typeof directiveDraftSchema>;

/** A directive as stored once sent. */
export const directiveSchema = directiveDraftSchema.extend({
  id: z.string().regex(DIRECTIVE_ID_PATTERN),
  /** Telegram id of the admin, or "cli". */
  createdBy: z.string(),
  createdAt: z.number().int(),
  /** What the audience was called when it was sent. */
  audienceText: z.string(),
});
export type Directive = z.infer<typeof directiveSchema>;

/** Why a field of a directive is refused; `src/messages/directives.ts` words each one. */
export type DirectiveProblem =
  | { code: 'titleEmpty' }
  | { code: 'titleTooLong'; length: number; max: number }
  | { code: 'numberInvalid'; value: string; max: number }
  | { code: 'textEmpty' }
  | { code: 'textTooLong'; length: number; max: number }
  | { code: 'deadlineInvalid'; value: string }
  | { code: 'deadlinePast'; date: IsoDate; today: IsoDate }
  | { code: 'ackHoursInvalid'; value: string; max: number }
  | { code: 'audienceInvalid'; value: string }
  | CitationProblem;

/** One answer checked: its value, or why it is refused. */
export type FieldCheck<T> = { ok: true; value: T } | { ok: false; problem: DirectiveProblem };

const refuse = (problem: DirectiveProblem): { ok: false; problem: DirectiveProblem } => ({
  ok: false,
  problem,
});

export function checkTitle(raw: string): FieldCheck<string> {
  const t = raw.trim().replace(/\s+/g, ' ');
  if (t === '') return refuse({ code: 'titleEmpty' });
  if (t.length > DIRECTIVE_LIMITS.title)
    return refuse({ code: 'titleTooLong', length: t.length, max: DIRECTIVE_LIMITS.title });
  return { ok: true, value: t };
}

/** "74-KH/ĐU"; an empty answer means no number. */
export function checkNumber(raw: string): FieldCheck<string | undefined> {
  const t = raw.trim();
  if (t === '' || t === '-') return { ok: true, value: undefined };
  if (t.length > DIRECTIVE_LIMITS.number || !NUMBER_PATTERN.test(t))
    return refuse({ code: 'numberInvalid', value: t, max: DIRECTIVE_LIMITS.number });
  return { ok: true, value: t };
}

export function checkText(raw: string): FieldCheck<string> {
  const t = raw.trim();
  if (t === '') return refuse({ code: 'textEmpty' });
  if (t.length > DIRECTIVE_LIMITS.text)
    return refuse({ code: 'textTooLong', length: t.length, max: DIRECTIVE_LIMITS.text });
  return { ok: true, value: t };
}

/** dd/mm/yyyy, today or later; an empty answer means no deadline. */
export function checkDeadline(raw: string, today: IsoDate): FieldCheck<IsoDate | undefined> {
  const t = raw.trim();
  if (t === '' || t === '-') return { ok: true, value: undefined };
  const date = parseVnDate(t);
  if (!date) return refuse({ code: 'deadlineInvalid', value: t });
  if (date < today) return refuse({ code: 'deadlinePast', date, today });
  return { ok: true, value: date };
}

/** "24", "1,5", "0.01": more than 0 and at most 720 hours; empty means the default. */
export function checkAckHours(raw: string): FieldCheck<number> {
  const t = raw.trim().replace(/\s*(giờ|gio|h)$/i, '');
  if (t === '') return { ok: true, value: DEFAULT_ACK_HOURS };
  const value = /^\d+([.,]\d+)?$/.test(t) ? Number(t.replace(',', '.')) : Number.NaN;
  if (!Number.isFinite(value) || value <= 0 || value > DIRECTIVE_LIMITS.ackHoursMax)
    return refuse({ code: 'ackHoursInvalid', value: raw.trim(), max: DIRECTIVE_LIMITS.ackHoursMax });
  return { ok: true, value };
}

/** A directive as given from outside (CLI flags, the dialog's answers), before checking. */
export interface DraftInput {
  title: string;
  number?: string;
  text: string;
  attachment?: DirectiveAttachment;
  audience: string | Audience;
  deadline?: string;
  ackHours?: string | number;
  /** Ngày ban hành, dd/mm/yyyy. */
  issued?: string;
  /** Cơ quan ban hành. */
  issuer?: string;
}

/** Checks every field; errors come back field by field, nothing is partly accepted. */
export function checkDraft(
  input: DraftInput,
  today: IsoDate,
): { ok: true; draft: DirectiveDraft } | { ok: false; errors: DirectiveProblem[] } {
  const errors: DirectiveProblem[] = [];
  const pick = <T>(c: FieldCheck<T>): T | undefined => {
    if (c.ok) return c.value;
    errors.push(c.problem);
    return undefined;
  };
  const title = pick(checkTitle(input.title));
  const number = pick(checkNumber(input.number ?? ''));
  const text = pick(checkText(input.text));
  const deadline = pick(checkDeadline(input.deadline ?? '', today));
  const issued = pick(checkIssued(input.issued ?? '', today));
  const issuer = pick(checkIssuer(input.issuer ?? ''));
  const ackHours = pick(
    typeof input.ackHours === 'number'
      ? checkAckHours(String(input.ackHours))
      : checkAckHours(input.ackHours ?? ''),
  );
  let audience: Audience | undefined;
  if (typeof input.audience === 'string') {
    audience = parseAudience(input.audience);
    if (!audience) errors.push({ code: 'audienceInvalid', value: input.audience });
  } else {
    const parsed = audienceSchema.safeParse(input.audience);
    if (parsed.success) audience = parsed.data;
    else errors.push({ code: 'audienceInvalid', value: audienceArg(input.audience) });
  }
  if (errors.length > 0 || title === undefined || text === undefined || !audience || ackHours === undefined)
    return { ok: false, errors };
  const draft: DirectiveDraft = { title, text, audience, ackHours };
  if (number !== undefined) draft.number = number;
  if (deadline !== undefined) draft.deadline = deadline;
  if (issued !== undefined) draft.issued = issued;
  if (issuer !== undefined) draft.issuer = issuer;
  if (input.attachment) draft.attachment = input.attachment;
  return { ok: true, draft };
}

/** How a recipient is addressed: as secretary or deputy of branches, or as a committee leader. */
export type RecipientRole = 'secretary' | 'deputy' | 'leader';

/** One person a directive goes to (one message each, even holding several units). */
export const recipientSchema = z.object({
  personId: z.number().int(),
  role: z.enum(['secretary', 'deputy', 'leader']),
  units: z.array(z.object({ code: z.string(), name: z.string() })).min(1),
  /** The person's name when the directive was sent ("" when Telegram gave none). */
  name: z.string(),
  /** The person's recorded title (chức vụ) when the directive was sent, if any. */
  title: z.string().optional(),
});
export type Recipient = z.infer<typeof recipientSchema>;

/** Holders of one role at one unit, as the organisation reports them. */
export interface AudienceTarget {
  unit: { code: string; name: string };
  role: RecipientRole;
  people: { id: number; name: string; title?: string }[];
}

/**
 * One recipient per person, in the order of the targets (tree order): a secretary of two
 * branches gets one message addressed to both.
 */
export function planRecipients(targets: readonly AudienceTarget[]): Recipient[] {
  const byPerson = new Map<number, Recipient>();
  for (const t of targets) {
    for (const p of t.people) {
      const existing = byPerson.get(p.id);
      if (!existing) {
        const r: Recipient = { personId: p.id, role: t.role, units: [{ ...t.unit }], name: p.name };
        if (p.title) r.title = p.title;
        byPerson.set(p.id, r);
      } else if (existing.role === t.role && !existing.units.some((u) => u.code === t.unit.code)) {
        existing.units.push({ ...t.unit });
      }
    }
  }
  return [...byPerson.values()];
}

/** "19:42 15/09/2025" in the given zone. */
export function formatMoment(ms: number, timezone: string): string {
  return dayjs(ms).tz(timezone).format('HH:mm DD/MM/YYYY');
}

/** What recipients read of a directive (the stored one, or a draft being previewed). */
export type DirectiveContent = Pick<
  Directive,
  'title' | 'number' | 'text' | 'deadline' | 'attachment' | 'issued' | 'issuer'
> & {
  createdAt: number;
};

/** The calendar day a directive was issued on, in the given zone (its "ngày" line). */
export function issueDate(createdAt: number, timezone: string): IsoDate {
  return dayjs(createdAt).tz(timezone).format('YYYY-MM-DD');
}

/** One recipient's delivery as recorded by the outbox. */
export interface DeliveryFact {
  state: 'pending' | 'sent' | 'failed';
  reason?: string;
}

/** Everything the status of a directive is computed from. */
export interface ProgressInput {
  recipients: readonly Recipient[];
  /** By person id; a recipient with none has not been queued yet. */
  deliveries: ReadonlyMap<number, DeliveryFact>;
  /** Acknowledgement times by person id. */
  acks: ReadonlyMap<number, number>;
  /** People Telegram refuses to deliver to (blocked the bot, never pressed Start). */
  unreachable: ReadonlySet<number>;
  cancelled: boolean;
}

/**
 * How a directive stands. `pending` counts what may still go out (after a cancel, only messages
 * already in the outbox worker's hands); `stopped` what a cancel kept from going out.
 */
export interface DirectiveProgress {
  total: number;
  delivered: number;
  pending: number;
  stopped: number;
  acknowledged: { recipient: Recipient; at: number }[];
  failed: { recipient: Recipient; reason: string }[];
  unreachable: { recipient: Recipient; reason: string }[];
  notAcknowledged: Recipient[];
}

export function progressOf(input: ProgressInput): DirectiveProgress {
  const p: DirectiveProgress = {
    total: input.recipients.length,
    delivered: 0,
    pending: 0,
    stopped: 0,
    acknowledged: [],
    failed: [],
    unreachable: [],
    notAcknowledged: [],
  };
  for (const r of input.recipients) {
    const d = input.deliveries.get(r.personId);
    const ackAt = input.acks.get(r.personId);
    if (ackAt !== undefined) p.acknowledged.push({ recipient: r, at: ackAt });
    else p.notAcknowledged.push(r);
    if (d?.state === 'sent') p.delivered++;
    else if (d?.state === 'failed' && d.reason === CANCELLED_REASON) p.stopped++;
    else if (d?.state === 'failed') {
      const reason = d.reason ?? '';
      if (input.unreachable.has(r.personId)) p.unreachable.push({ recipient: r, reason });
      else p.failed.push({ recipient: r, reason });
    } else if (d === undefined && input.cancelled) p.stopped++;
    else p.pending++;
  }
  p.acknowledged.sort((a, b) => a.at - b.at || a.recipient.personId - b.recipient.personId);
  return p;
}

/** True when no delivery can still change (everything sent, failed, or stopped by a cancel). */
export function isSettled(p: DirectiveProgress): boolean {
  return p.pending === 0;
}

/** The follow-up times and cancel mark shown with the status. */
export interface DirectiveMilestones {
  cancelledAt?: number;
  remindedAt?: number;
  leadersToldAt?: number;
}

/** When the reminder goes: `ackHours` after sending. */
export function reminderDue(d: Pick<Directive, 'createdAt' | 'ackHours'>): number {
  return d.createdAt + Math.round(d.ackHours * 3_600_000);
}

/**
 * Who tells whom after the reminder: each non-acknowledger goes to the leaders responsible for
 * them (`leadersOf`), one list per leader; a leader is never told about themselves.
 */
export function leaderDigests(
  nonAcknowledgers: readonly Recipient[],
  leadersOf: (r: Recipient) => readonly number[],
): Map<number, Recipient[]> {
  const out = new Map<number, Recipient[]>();
  for (const r of nonAcknowledgers) {
    for (const leader of leadersOf(r)) {
      if (leader === r.personId) continue;
      const list = out.get(leader) ?? [];
      list.push(r);
      out.set(leader, list);
    }
  }
  return out;
}
