/**
 * Where an approver is in recording a decision after pressing «Ghi quyết định…»: the state of
 * the `congressDecision` dialog (registered in `src/services/dialogs.ts`). It carries the report
 * version the approver was shown, so a decision is never recorded on a newer version unseen.
 */
import { z } from 'zod';
import { CAMPAIGN_ID_PATTERN } from '../../domain/congress/campaign.js';
import { unitCodeSchema } from '../../domain/units.js';

export const decisionStateSchema = z.object({
  campaign: z.string().regex(CAMPAIGN_ID_PATTERN),
  branch: unitCodeSchema,
  version: z.number().int().min(1),
});
export type DecisionState = z.infer<typeof decisionStateSchema>;
