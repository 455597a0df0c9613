/**
 * Where an admin is in making an invite link with /moi: the state of the `invite` dialog
 * (registered in `src/services/dialogs.ts`): the unit and role, then họ và tên, chức vụ and,
 * for a leader, whether they record chuẩn y decisions.
 */
import { z } from 'zod';
import { unitCodeSchema } from '../../domain/units.js';

export const inviteStateSchema = z.object({
  step: z.enum(['name', 'title', 'approver']),
  unit: unitCodeSchema,
  role: z.enum(['secretary', 'deputy', 'leader']),
  name: z.string().max(200).optional(),
  title: z.string().max(200).optional(),
});
export type InviteState = z.infer<typeof inviteStateSchema>;
