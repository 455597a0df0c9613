/**
 * What a button under a register message (/dangvien) does, and its one codec: the service packs
 * the buttons it returns, the router unpacks presses with the same codec, so a forged or stale
 * value (an id that is not a number, an unknown step) never reaches the service.
 */
import {
  type ActionOf,
  defineCodec,
  oneOfField,
  recordIdField,
  tokenField,
  unitCodeField,
} from '../../chat/codec.js';

/** The changes a secretary starts from a branch's list. */
export const REGISTER_STEPS = ['admit', 'official', 'transfer', 'close', 'history'] as const;
export type RegisterStep = (typeof REGISTER_STEPS)[number];

export const memberActions = defineCodec('dv', {
  /** Show one branch's list. */
  list: { tag: 'l', fields: { branch: unitCodeField } },
  /** How to do one kind of change in a branch (kết nạp opens the form). */
  step: { tag: 's', fields: { step: oneOfField(REGISTER_STEPS), branch: unitCodeField } },
  /** Chuyển chính thức of this probationary member, on the day the twelve months end. */
  official: { tag: 'o', fields: { id: recordIdField } },
  /** Carry out the change on the card carrying `token`. */
  confirm: { tag: 'ok', fields: { token: tokenField } },
  cancel: { tag: 'x' },
});

export type MemberAction = ActionOf<typeof memberActions>;

/** A button for an action. */
export const memberButton = (label: string, action: MemberAction) => ({
  label,
  value: memberActions.pack(action),
});
