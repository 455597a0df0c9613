/**
 * Where a person is in a congress flow: the states of the `congress` dialog (a result being
 * reported) and of the `congressCampaign` dialog (a round being opened), both registered in
 * `src/services/dialogs.ts` and checked against these schemas whenever they are read.
 */
import { z } from 'zod';
import { CONGRESS_FIELDS, congressReportSchema } from '../../domain/congress/report.js';

/** What a secretary asked for while the bot asks which branch or round. */
export const CONGRESS_REQUESTS = ['lich', 'blank', 'form', 'dialog'] as const;
export type CongressRequest = (typeof CONGRESS_REQUESTS)[number];

/** The questions of the guided round creation, in order. */
export const CAMPAIGN_DIALOG_FIELDS = [
  'name',
  'term',
  'scope',
  'opens',
  'deadline',
  'pilots',
  'youngAge',
] as const;
export type CampaignDialogField = (typeof CAMPAIGN_DIALOG_FIELDS)[number];

const target = { branch: z.string(), campaignId: z.string() };

export const congressStateSchema = z.discriminatedUnion('phase', [
  /** Waiting for the branch (or, with `branch`, the round) to act for; `payload` is the command's input. */
  z.object({
    phase: z.literal('pick'),
    request: z.enum(CONGRESS_REQUESTS),
    payload: z.string(),
    branch: z.string().optional(),
  }),
  /** The guided dialog, at question `dialog.at`. */
  z.object({
    phase: z.literal('dialog'),
    ...target,
    dialog: z.object({
      at: z.enum([...CONGRESS_FIELDS, 'done']),
      answers: z.partialRecord(z.enum(CONGRESS_FIELDS), z.string()),
    }),
  }),
  /** A valid result on a card, waiting for «Xác nhận và lưu»; `nonce` ties the button to this card. */
  z.object({ phase: z.literal('confirm'), ...target, report: congressReportSchema, nonce: z.string() }),
]);
export type CongressState = z.infer<typeof congressStateSchema>;
export type PickPhase = Extract<CongressState, { phase: 'pick' }>;
export type DialogPhase = Extract<CongressState, { phase: 'dialog' }>;
export type ConfirmPhase = Extract<CongressState, { phase: 'confirm' }>;

export const campaignStateSchema = z.object({
  /** The step being asked, or `confirm` once every answer is in. */
  step: z.enum([...CAMPAIGN_DIALOG_FIELDS, 'confirm']),
  /** Normalised answers so far (ISO dates, "2025-2027", pilot codes joined by ","). */
  answers: z.partialRecord(z.enum(CAMPAIGN_DIALOG_FIELDS), z.string()),
  /** The summary card's nonce, once it is shown. */
  nonce: z.string().optional(),
});
export type CampaignState = z.infer<typeof campaignStateSchema>;
