/** What the congress service answers its callers: the shapes the chat, the CLI and the tests read. */
import type { Rich } from '../../chat/markup.js';
import type { Campaign } from '../../domain/congress/campaign.js';
import type { CongressDialogState } from '../../domain/congress/dialog.js';
import type { Extension } from '../../domain/congress/extension.js';
import type { CongressField, CongressReport } from '../../domain/congress/report.js';
import type { Unit } from '../../domain/units.js';

/** The branch and round a secretary's command acts on, with the branch's ancestors (root first). */
export interface BranchTarget {
  campaign: Campaign;
  branch: Unit;
  ancestors: string[];
  /** The branch's extension (gia hạn) in the round: it reports up to that date. */
  extension?: Extension;
  /** Đảng viên chính thức in the member register, when the branch has a register. */
  registerOfficial?: number;
}

/** Which branch and round a secretary's command acts on, or what to ask first. */
export type BranchChoice =
  | { kind: 'ok'; target: BranchTarget }
  | { kind: 'refused'; text: string }
  | { kind: 'chooseBranch'; branches: Unit[] }
  | { kind: 'chooseCampaign'; branch: Unit; campaigns: Campaign[] };

/** A checked result: the card to confirm, or the list of problems (no report). */
export type ReportCheck = { ok: true; report: CongressReport; text: Rich } | { ok: false; text: string };

/** One turn of the guided report dialog. */
export type DialogTurn =
  /** Ask `field` (again, after problems, when `text` lists them), with `options` as buttons. */
  | {
      kind: 'ask';
      state: CongressDialogState;
      field: CongressField;
      text: string;
      options: readonly string[];
    }
  /** Every question answered and the whole report valid: show the card to confirm. */
  | { kind: 'confirm'; report: CongressReport; text: Rich }
  /** Every question answered but the whole report does not hold together. */
  | { kind: 'invalid'; text: string };

/** An operation's answer in plain text, for the chat and the CLI alike. */
export type Answer = { ok: boolean; text: string };

/** Where /tiendo starts, or what to ask first. */
export type ProgressStart =
  | { kind: 'ok'; campaignId: string; unit: string; campaign: Campaign }
  | { kind: 'refused'; text: string }
  | { kind: 'chooseScope'; units: Unit[] }
  | { kind: 'chooseCampaign'; options: { campaign: Campaign; unit: string }[] };

export interface UnitLink {
  code: string;
  name: string;
}

/** The /tiendo answer: its text, and what the buttons under it lead to. */
export type ProgressAnswer =
  | {
      ok: true;
      campaignId: string;
      text: Rich;
      /** Child committees to drill into. */
      drill: UnitLink[];
      /** The parent unit, when the asker may see it and it is inside the round. */
      up?: UnitLink;
      /** Branches right under the unit that reported and wait for chuẩn y. */
      approvable: UnitLink[];
    }
  | { ok: false; text: string };

/** What answering one step of the campaign dialog gives: the normalised value, or why not. */
export type CampaignFieldCheck = { ok: true; value: string } | { ok: false; message: string };
