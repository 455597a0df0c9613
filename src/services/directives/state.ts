/**
 * Where an admin is in composing a directive (/thongbao): the state of the `directives` dialog
 * (registered in `src/services/dialogs.ts`), checked against this schema whenever it is read.
 */
import { z } from 'zod';
import { attachmentSchema, audienceSchema } from '../../domain/directives.js';
import { BRANCH_KINDS } from '../../domain/units.js';

/** The steps that ask something, in the order asked (`unit` and `kinds` follow the audience choice). */
export const COMPOSE_STEPS = [
  'title',
  'number',
  'issued',
  'issuer',
  'text',
  'file',
  'audience',
  'unit',
  'kinds',
  'deadline',
  'hours',
] as const;
export type ComposeStep = (typeof COMPOSE_STEPS)[number] | 'confirm';

/** The answers so far: everything a restart needs to resume. */
const answers = {
  title: z.string().optional(),
  number: z.string().optional(),
  /** ISO date the document was issued. */
  issued: z.iso.date().optional(),
  issuer: z.string().optional(),
  text: z.string().optional(),
  attachment: attachmentSchema.optional(),
  audience: audienceSchema.optional(),
  /** Kinds ticked so far on the kinds step. */
  kinds: z.array(z.enum(BRANCH_KINDS)).optional(),
  /** ISO date. */
  deadline: z.iso.date().optional(),
  ackHours: z.number().positive().optional(),
};

export const composeStateSchema = z.discriminatedUnion('step', [
  z.object({ step: z.enum(COMPOSE_STEPS), ...answers }),
  /** The preview is shown; its card carries `token` and waits for «Xác nhận và gửi». */
  z.object({ step: z.literal('confirm'), token: z.string(), ...answers }),
]);
export type ComposeState = z.infer<typeof composeStateSchema>;
export type ConfirmState = Extract<ComposeState, { step: 'confirm' }>;
