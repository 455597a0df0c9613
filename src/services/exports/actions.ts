/**
 * What a button under a /xuat message does, and its one codec: the menu packs these actions
 * into its buttons, the router unpacks presses with the same codec, so a forged or outdated
 * value (a month 13, a unit code with a colon, a directive id that is not a number) never
 * reaches the service.
 *
 * Values: `xk:s:<unit>[:<YYYY-MM>]` a scope chosen, `xk:dh:<campaign>:<unit>` a congress round,
 * `xk:sh:<YYYY-MM>:<unit>` a month of meetings, `xk:vb:<id>` a directive, `xk:hh:<YYYY-MM-DD>:<unit>`
 * the Huy hiệu Đảng list of an occasion.
 */
import {
  type ActionOf,
  defineCodec,
  isoDateField,
  optional,
  patternField,
  unitCodeField,
  yearMonthField,
} from '../../chat/codec.js';
import { CAMPAIGN_ID_PATTERN } from '../../domain/congress/campaign.js';
import { DIRECTIVE_ID_PATTERN } from '../../domain/directives.js';

export const exportActions = defineCodec('xk', {
  /** Show the exports of this scope (a person with several chose one); `month` as asked. */
  scope: { tag: 's', fields: { unit: unitCodeField, month: optional(yearMonthField) } },
  /** The congress workbook and PDF of a round, for the unit it covers. */
  congress: { tag: 'dh', fields: { campaignId: patternField(CAMPAIGN_ID_PATTERN, 10), unit: unitCodeField } },
  /** The meetings workbook of a month. */
  meetings: { tag: 'sh', fields: { month: yearMonthField, unit: unitCodeField } },
  /** A directive's receipts workbook. */
  directive: { tag: 'vb', fields: { id: patternField(DIRECTIVE_ID_PATTERN, 10) } },
  /** The Huy hiệu Đảng workbook of an occasion for a unit (offered under /huyhieu). */
  badges: { tag: 'hh', fields: { occasion: isoDateField, unit: unitCodeField } },
});

/** Anything pressed under a /xuat message. */
export type ExportPress = ActionOf<typeof exportActions>;
/** What one export button makes: a file, as opposed to the choice of a scope. */
export type ExportAction = Exclude<ExportPress, { kind: 'scope' }>;

/** A button for an action. */
export const exportButton = (label: string, action: ExportPress) => ({
  label,
  value: exportActions.pack(action),
});
