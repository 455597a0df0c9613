/**
 * Where a person is in a change to the register: the state of the `members` dialog (registered
 * in `src/services/dialogs.ts`), checked against this schema whenever it is read. A change waits
 * on a card for «Xác nhận»; nothing is written before.
 */
import { z } from 'zod';
import { CLOSING_KINDS } from '../../domain/members/member.js';

const draftSchema = z.object({
  fullName: z.string(),
  birthDate: z.string(),
  gender: z.string(),
  ethnicity: z.string(),
  joined: z.string(),
  cardNumber: z.string().optional(),
  interruptedMonths: z.string().optional(),
});

/** One change, as the card shows it and «Xác nhận» carries it out. */
export const memberChangeSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('admit'), branch: z.string(), draft: draftSchema }),
  z.object({ op: z.literal('official'), id: z.number().int().positive(), date: z.string().optional() }),
  z.object({ op: z.literal('transfer'), id: z.number().int().positive(), to: z.string() }),
  z.object({
    op: z.literal('close'),
    id: z.number().int().positive(),
    kind: z.enum(CLOSING_KINDS),
    date: z.string().optional(),
    reason: z.string(),
  }),
]);
export type MemberChange = z.infer<typeof memberChangeSchema>;

export const memberStateSchema = z.discriminatedUnion('phase', [
  /** Waiting for the filled-in kết nạp form of `branch`. */
  z.object({ phase: z.literal('admit'), branch: z.string() }),
  /** A change on a card, waiting for «Xác nhận». */
  z.object({ phase: z.literal('confirm'), token: z.string(), change: memberChangeSchema }),
]);
export type MemberState = z.infer<typeof memberStateSchema>;
