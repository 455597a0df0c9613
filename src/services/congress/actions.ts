/**
 * What a button under a congress message does, and its one codec: the service packs actions
 * into the buttons it returns (and into the notices it sends), the router unpacks presses with
 * the same codec, so a forged or outdated value (a round id of the wrong shape, a unit code with
 * a colon, an option that no question has) never reaches the service. The layouts are the ones
 * the bot has always sent (`dh:cy:<round>:<branch>`, `dh:td:<round>:<unit>`, …), so buttons
 * already in people's chats keep working.
 */
import {
  type ActionOf,
  defineCodec,
  intField,
  oneOfField,
  optional,
  patternField,
  personIdField,
  rest,
  textField,
  tokenField,
  unitCodeField,
} from '../../chat/codec.js';
import type { Action } from '../../chat/reply.js';
import { CAMPAIGN_ID_PATTERN } from '../../domain/congress/campaign.js';
import { DIALOG_OPTIONS_MAX } from '../../domain/congress/dialog.js';
import { CONGRESS_FIELDS } from '../../domain/congress/vocabulary.js';
import { CAMPAIGN_DIALOG_FIELDS } from './state.js';

const roundField = patternField(CAMPAIGN_ID_PATTERN, 10);

export const congressActions = defineCodec('dh', {
  /** Act for this branch (a secretary of several branches chose one). */
  branch: { tag: 'pb', fields: { branch: unitCodeField } },
  /** Act in this round (several open rounds cover the branch). */
  round: { tag: 'pc', fields: { campaign: roundField } },
  /** Start the guided dialog for this branch in this round. */
  dialog: { tag: 'dlg', fields: { campaign: roundField, branch: unitCodeField } },
  /** Answer the dialog's question `field` with its option number `option`. */
  answer: {
    tag: 'a',
    fields: { field: oneOfField(CONGRESS_FIELDS), option: intField(0, DIALOG_OPTIONS_MAX - 1) },
  },
  /** Save the result on the card carrying `nonce`. */
  confirm: { tag: 'ok', fields: { nonce: tokenField } },
  /** Stop whatever congress flow is open. */
  cancel: { tag: 'no' },
  /** Answer the round-creation step `field` with `value` (which may hold a ':'). */
  campaignAnswer: {
    tag: 'nc',
    fields: { field: oneOfField(CAMPAIGN_DIALOG_FIELDS), value: rest(textField(40)) },
  },
  /** Open the round on the summary card carrying `nonce`. */
  campaignCreate: { tag: 'mo', fields: { nonce: tokenField } },
  /** /tiendo of a scope (the round still to pick). */
  scope: { tag: 'tu', fields: { unit: unitCodeField } },
  /** /tiendo of a unit in a round. */
  progress: { tag: 'td', fields: { campaign: roundField, unit: unitCodeField } },
  /**
   * Chuẩn y from a button made before decisions were recorded with a number; `from: 'tb'` when
   * under the report notice (which was for version 1). Asks for the decision like `decide`.
   */
  approve: {
    tag: 'cy',
    fields: { campaign: roundField, branch: unitCodeField, from: optional(oneOfField(['tb'] as const)) },
  },
  /**
   * «Ghi quyết định…»: record chuẩn y / chỉ định of the branch's result `version` (the version the
   * notice showed; refused when a newer one exists). Without `version` (from /tiendo), the current.
   */
  decide: {
    tag: 'qd',
    fields: { campaign: roundField, branch: unitCodeField, version: optional(intField(1, 99_999)) },
  },
  /**
   * /chuanbi: set item `index` of the preparation (p) or follow-up (f) list to ticked (`to` 1) or
   * not (0): the state the button offered, so a press on an older copy of the list still does
   * what it said.
   */
  tick: {
    tag: 'ck',
    fields: {
      campaign: roundField,
      branch: unitCodeField,
      list: oneOfField(['p', 'f'] as const),
      index: intField(0, 15),
      to: intField(0, 1),
    },
  },
  /** /phancong: `person` attends the branch's congress. */
  assign: { tag: 'dp', fields: { campaign: roundField, branch: unitCodeField, person: personIdField } },
});

export type CongressAction = ActionOf<typeof congressActions>;

/** A button for an action. */
export const congressButton = (label: string, action: CongressAction): Action => ({
  label,
  value: congressActions.pack(action),
});
