/**
 * What a button under a directive message does, and its one codec: the service packs actions
 * into the buttons it returns, the router unpacks presses with the same codec, so a forged or
 * outdated value (an id that is not a number, a kind that does not exist, a token that is not
 * hex) never reaches the service. The layouts are the ones recipients already hold in their
 * chats (`dr:ack:<id>` under every directive sent so far).
 */
import {
  type ActionOf,
  defineCodec,
  intField,
  oneOfField,
  optional,
  patternField,
  tokenField,
  unitCodeField,
} from '../../chat/codec.js';
import type { Action } from '../../chat/reply.js';
import {
  DIRECTIVE_ID_PATTERN,
  DIRECTIVE_LIMITS,
  type Directive,
  type DirectiveDraft,
} from '../../domain/directives.js';
import { BRANCH_KINDS } from '../../domain/units.js';
import { msg } from '../../messages/index.js';

const m = msg.directives;

const directiveId = patternField(DIRECTIVE_ID_PATTERN, 10);

/** The compose steps a button may skip. */
export const SKIPPABLE_STEPS = ['number', 'issued', 'issuer', 'file', 'deadline'] as const;
/** The audience buttons of the compose dialog. */
export const AUDIENCE_CHOICES = ['all', 'unit', 'kind', 'lead'] as const;

export const directiveActions = defineCodec('dr', {
  // ---- the compose dialog (/thongbao)
  /** Leave this step's answer out. */
  skip: { tag: 's', fields: { step: oneOfField(SKIPPABLE_STEPS) } },
  /** Who receives it. */
  audience: { tag: 'a', fields: { choice: oneOfField(AUDIENCE_CHOICES) } },
  /** The committee a unit audience is under. */
  unit: { tag: 'u', fields: { unit: unitCodeField } },
  /** Tick or untick a branch kind. */
  branchKind: { tag: 'k', fields: { branchKind: oneOfField(BRANCH_KINDS) } },
  kindsDone: { tag: 'kd' },
  /** Hours before non-acknowledgers are reminded. */
  hours: { tag: 'h', fields: { hours: intField(1, DIRECTIVE_LIMITS.ackHoursMax) } },
  /** «Xác nhận và gửi» on the card carrying `token`. */
  confirm: { tag: 'ok', fields: { token: tokenField } },
  cancel: { tag: 'no' },
  /** The preview's «Đã nhận»: only explains. */
  previewAck: { tag: 'pv' },
  /** The preview's «Xem tệp đính kèm»: the file the admin sent. */
  previewFile: { tag: 'pf' },
  // ---- recipients
  /** «Đã nhận» under a directive, its reminder or a copy of it. */
  ack: { tag: 'ack', fields: { id: directiveId } },
  /** «Đã nhận» in the /vanban list. */
  inboxAck: { tag: 'av', fields: { id: directiveId } },
  /** «Xem tệp đính kèm». */
  file: { tag: 'f', fields: { id: directiveId } },
  /** «Xem văn bản N» in /vanban: the directive again. */
  view: { tag: 'v', fields: { id: directiveId } },
  // ---- admins
  /** «Dừng gửi» under the status: asks first. */
  stop: { tag: 'x', fields: { id: directiveId } },
  /** «Xác nhận dừng gửi» on the card carrying `token`. */
  stopConfirm: { tag: 'xy', fields: { id: directiveId, token: optional(tokenField) } },
  keep: { tag: 'xn' },
});

export type DirectiveAction = ActionOf<typeof directiveActions>;

/** A button for an action. */
export const directiveButton = (label: string, action: DirectiveAction): Action => ({
  label,
  value: directiveActions.pack(action),
});

/** Under a directive (or its reminder): «Đã nhận», and «Xem tệp đính kèm» when it has a file. */
export function ackRows(d: Pick<Directive, 'id' | 'attachment'>): Action[][] {
  return fileRow(d, [directiveButton(m.buttonAck, { kind: 'ack', id: d.id })]);
}

/** After acknowledging: the time instead of «Đã nhận»; the file stays reachable. */
export function ackedRows(d: Pick<Directive, 'id' | 'attachment'>, when: string): Action[][] {
  return fileRow(d, [directiveButton(m.buttonAcked(when), { kind: 'ack', id: d.id })]);
}

function fileRow(d: Pick<Directive, 'id' | 'attachment'>, first: Action[]): Action[][] {
  return d.attachment ? [first, [directiveButton(m.buttonFile, { kind: 'file', id: d.id })]] : [first];
}

/** Under a preview: the same buttons as the recipient's, pressing them only explains. */
export function previewRows(draft: Pick<DirectiveDraft, 'attachment'>): Action[][] {
  const ack = [directiveButton(m.buttonAck, { kind: 'previewAck' })];
  return draft.attachment ? [ack, [directiveButton(m.buttonFile, { kind: 'previewFile' })]] : [ack];
}

/** Under the admin's status message: «Dừng gửi» while stopping can still matter. */
export function statusRows(id: string, active: boolean): Action[][] {
  return active ? [[directiveButton(m.admin.buttonStop, { kind: 'stop', id })]] : [];
}

/** The row with «Hủy» under every step of the compose dialog. */
export const cancelRow = (): Action[] => [directiveButton(msg.common.buttonCancel, { kind: 'cancel' })];
