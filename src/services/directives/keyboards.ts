/** The inline buttons under a directive, its preview and its status message. */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from '@telegraf/types';
import type { Action } from '../../chat/reply.js';
import type { Directive, DirectiveDraft } from '../../domain/directives.js';
import { msg } from '../../messages/index.js';
import { button } from '../../telegram/keyboards.js';

const m = msg.directives;

/** TEMPORARY: the buttons as actions, for the outbox (until this module speaks in actions). */
export function actionsOf(markup: InlineKeyboardMarkup): Action[][] {
  return markup.inline_keyboard.map((row) =>
    row.map((b) => ({ label: b.text, value: 'callback_data' in b ? b.callback_data : '' })),
  );
}

/** Inline keyboard markup from button rows, empty rows dropped. */
export function markup(rows: InlineKeyboardButton[][]): InlineKeyboardMarkup {
  return { inline_keyboard: rows.filter((r) => r.length > 0) };
}

/** Under a directive: «Đã nhận», and «Xem tệp đính kèm» when it has a file. */
export function ackMarkup(d: Directive): InlineKeyboardMarkup {
  return markup([
    [button(m.buttonAck, 'dr', 'ack', d.id)],
    d.attachment ? [button(m.buttonFile, 'dr', 'f', d.id)] : [],
  ]);
}

/** After acknowledging: the time instead of «Đã nhận»; the file stays reachable. */
export function ackedMarkup(d: Directive, when: string): InlineKeyboardMarkup {
  return markup([
    [button(m.buttonAcked(when), 'dr', 'ack', d.id)],
    d.attachment ? [button(m.buttonFile, 'dr', 'f', d.id)] : [],
  ]);
}

/** Under a preview: the same buttons as the recipient's, pressing them only explains. */
export function previewMarkup(draft: Pick<DirectiveDraft, 'attachment'>): InlineKeyboardMarkup {
  return markup([
    [button(m.buttonAck, 'dr', 'pv')],
    draft.attachment ? [button(m.buttonFile, 'dr', 'pf')] : [],
  ]);
}

/** Under the admin's status message: «Dừng gửi» while stopping can still matter. */
export function statusMarkup(id: string, active: boolean): InlineKeyboardMarkup {
  return markup([active ? [button(m.admin.buttonStop, 'dr', 'x', id)] : []]);
}
