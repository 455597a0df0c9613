/**
 * What the directive service does on Telegram outside replies (services and jobs do not import
 * telegraf, so the app hands them these): the status editor edits an admin's status message in
 * place, rendered like any reply (`render.ts`); the file sender sends a directive's file by
 * Telegram's id, uploading a CLI file only the first time, on a reply slot of the send budget
 * (it sends while a button press is handled). Harmless refusals ("message is not
 * modified", a deleted message) are no error (`tolerant`).
 */
import type { Message } from '@telegraf/types';
import { Input, type Telegram } from 'telegraf';
import type { ChatId, Reply } from '../chat/reply.js';
import type { SendBudget } from '../outbox/sendBudget.js';
import type {
  DirectiveChannel,
  FileSender,
  OutgoingFile,
  StatusEditor,
} from '../services/directives/index.js';
import { tolerant } from './adapter.js';
import { toHtmlCaption, toHtmlChunks, toKeyboard } from './render.js';
import { sendOnReplySlot } from './replyBudget.js';

export function telegramStatusEditor(telegram: Telegram): StatusEditor {
  return {
    async edit(chatId: number, messageId: number, status: Reply) {
      // The status edited in place is the compact one, made to fit one message; should it not,
      // its first piece is what the message can hold.
      const [html = ''] = toHtmlChunks(status.text);
      const keyboard = toKeyboard(status.actions);
      await tolerant(() =>
        telegram.editMessageText(chatId, messageId, undefined, html, {
          parse_mode: 'HTML',
          ...(keyboard ? { reply_markup: keyboard } : {}),
        }),
      );
    },
  };
}

export function telegramFileSender(telegram: Telegram, budget: SendBudget): FileSender {
  const sendFile = async (tg: Telegram, chatId: ChatId, file: OutgoingFile) => {
    const input = 'fileId' in file ? file.fileId : Input.fromBuffer(Buffer.from(file.bytes), file.filename);
    const extra = { caption: toHtmlCaption(file.caption), parse_mode: 'HTML' as const };
    if (file.kind === 'photo') {
      const sent: Message.PhotoMessage = await tg.sendPhoto(chatId, input, extra);
      return sent.photo[sent.photo.length - 1]?.file_id;
    }
    const sent: Message.DocumentMessage = await tg.sendDocument(chatId, input, extra);
    return sent.document.file_id;
  };
  return {
    send: (chatId, file) => sendOnReplySlot(telegram, budget, (own) => sendFile(own, chatId, file)),
  };
}

/** Both, as `DirectiveService.useChannel` takes them. */
export function telegramDirectiveChannel(telegram: Telegram, budget: SendBudget): DirectiveChannel {
  return { statusEditor: telegramStatusEditor(telegram), files: telegramFileSender(telegram, budget) };
}
