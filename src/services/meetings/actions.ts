/**
 * What a button under a meeting message does, and its one codec: the service packs actions
 * into the buttons it returns, the router unpacks presses with the same codec, so a forged or
 * outdated value (a month 13, a unit code with a colon) never reaches the service.
 */
import {
  type ActionOf,
  defineCodec,
  indexField,
  optional,
  rest,
  textField,
  tokenField,
  unitCodeField,
  yearMonthField,
} from '../../chat/codec.js';
import { MEETING_FIELD_KEYS } from '../../domain/meetings/vocabulary.js';

/** A field travels as its index in the form, to keep the value short. */
const field = indexField(MEETING_FIELD_KEYS);

export const meetingActions = defineCodec('sh', {
  /** Report for this branch (a secretary of several branches chose one). */
  branch: { tag: 'b', fields: { branch: unitCodeField } },
  /** Start the guided dialog for this branch. */
  dialog: { tag: 'd', fields: { branch: unitCodeField } },
  /** Answer the dialog's question `step` with `value` (which may hold a ':'). */
  answer: { tag: 'a', fields: { step: field, value: rest(textField(40)) } },
  /** Save the report on the card carrying `token`. */
  confirm: { tag: 'ok', fields: { token: tokenField } },
  /** Correct one answer of the dialog, or (no field) choose which. */
  revise: { tag: 'e', fields: { field: optional(field) } },
  cancel: { tag: 'x' },
  /** Show the compliance summary of a scope (month: the default month when absent). */
  progress: { tag: 'p', fields: { scope: unitCodeField, month: optional(yearMonthField) } },
});

export type MeetingAction = ActionOf<typeof meetingActions>;

/** A button for an action. */
export const meetingButton = (label: string, action: MeetingAction) => ({
  label,
  value: meetingActions.pack(action),
});
