/** Building blocks of the replies every meeting flow sends. */
import { splitMessage } from '../../domain/text.js';
import { msg } from '../../messages/index.js';
import type { MeetingButton, MeetingReply } from './types.js';

/** A plain-text reply, with buttons when given. */
export function plain(text: string, buttons?: MeetingButton[][]): MeetingReply {
  return buttons ? { text, html: false, buttons } : { text, html: false };
}

/** An HTML text in pieces under Telegram's limit; the buttons go under the last piece. */
export function html(text: string, buttons?: MeetingButton[][]): MeetingReply[] {
  const chunks = splitMessage(text);
  return chunks.map((chunk, i) =>
    buttons && i === chunks.length - 1 ? { text: chunk, html: true, buttons } : { text: chunk, html: true },
  );
}

/** The row with the cancel button that ends every step of a report. */
export const cancelRow = (): MeetingButton[] => [
  { label: msg.common.buttonCancel, action: { kind: 'cancel' } },
];
