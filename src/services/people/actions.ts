/**
 * The buttons of /canbo, and their one codec: revoke a role (ask, then confirm), cancel, and
 * make an invite link. A role kind travels as one letter to stay inside 64 bytes.
 */
import {
  type ActionOf,
  defineCodec,
  type Field,
  oneOfField,
  personIdField,
  unitCodeField,
} from '../../chat/codec.js';
import type { UnitRoleKind } from '../../domain/units.js';

const LETTERS = { secretary: 's', deputy: 'd', leader: 'l' } as const satisfies Record<UnitRoleKind, string>;
const letter = oneOfField(['s', 'd', 'l']);
const roleKind: Field<UnitRoleKind> = {
  encode: (kind) => LETTERS[kind],
  decode: (t) => {
    const l = letter.decode(t);
    return l === 's' ? 'secretary' : l === 'd' ? 'deputy' : l === 'l' ? 'leader' : undefined;
  },
};

export const peopleActions = defineCodec('pp', {
  /** Ask to confirm revoking `role` at `unit` from person `id`. */
  revoke: { tag: 'rv', fields: { id: personIdField, role: roleKind, unit: unitCodeField } },
  /** Confirmed: revoke it. */
  revokeConfirmed: { tag: 'rvy', fields: { id: personIdField, role: roleKind, unit: unitCodeField } },
  cancel: { tag: 'no' },
  /** An invite link for `role` at `unit`. */
  invite: { tag: 'inv', fields: { role: roleKind, unit: unitCodeField } },
  /** In the /moi dialog: no title to record. */
  noTitle: { tag: 'nt' },
  /** In the /moi dialog: the leader records chuẩn y decisions (y) or not (n). */
  approver: { tag: 'ap', fields: { yes: oneOfField(['y', 'n'] as const) } },
});

export type PeopleAction = ActionOf<typeof peopleActions>;

export const peopleButton = (label: string, action: PeopleAction) => ({
  label,
  value: peopleActions.pack(action),
});
