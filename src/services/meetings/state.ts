/**
 * Where a person is in a meeting report: the state of the `meetings` dialog (registered in
 * `src/services/dialogs.ts`), checked against this schema whenever it is read.
 */
import { z } from 'zod';
import { MEETING_FIELD_KEYS, meetingReportSchema } from '../../domain/meetings/report.js';

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

export const meetingStateSchema = z.discriminatedUnion('phase', [
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
export type MeetingState = z.infer<typeof meetingStateSchema>;
export type DialogPhase = Extract<MeetingState, { phase: 'dialog' }>;
export type ConfirmPhase = Extract<MeetingState, { phase: 'confirm' }>;
