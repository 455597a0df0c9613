/**
 * Where a person is in a report. It lives in the conversation store under kind `meetings`, so a
 * dialog or a card waiting for its button survives a restart.
 */
import { z } from 'zod';
import { MEETING_FIELD_KEYS, meetingReportSchema } from '../../domain/meetings/report.js';
import type { Clock } from '../../infra/clock.js';
import type { Logger } from '../../logger.js';
import type { ConversationStore } from '../../store/conversations.js';

/** The conversation kind this service owns. */
export const MEETING_CONVERSATION = 'meetings';

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
export type MeetingState = z.infer<typeof stateSchema>;
export type DialogPhase = Extract<MeetingState, { phase: 'dialog' }>;
export type ConfirmPhase = Extract<MeetingState, { phase: 'confirm' }>;

/** A person's meeting conversation in one chat, read through the schema above. */
export class MeetingConversation {
  constructor(
    private readonly conversations: ConversationStore,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** The person's meeting state, or undefined when none (or another area's dialog is open). */
  async get(chatId: number, userId: number): Promise<MeetingState | undefined> {
    const conv = await this.conversations.get<unknown>(chatId, userId);
    if (!conv || conv.kind !== MEETING_CONVERSATION) return undefined;
    return this.read(chatId, userId, conv.state);
  }

  /** Checks a stored state; an unreadable one is dropped so the person starts afresh. */
  async read(chatId: number, userId: number, raw: unknown): Promise<MeetingState | undefined> {
    const parsed = stateSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    this.log.warn({ issues: parsed.error.issues.length }, 'dropped an unreadable meeting conversation');
    await this.conversations.clear(chatId, userId);
    return undefined;
  }

  set(chatId: number, userId: number, state: MeetingState): Promise<void> {
    return this.conversations.set(chatId, userId, MEETING_CONVERSATION, state, this.clock.now());
  }
}
