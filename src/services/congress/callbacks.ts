/** The congress buttons: their callback data and the markup the notifications carry. */
import type { InlineKeyboardMarkup } from '@telegraf/types';
import { msg } from '../../messages/index.js';
import { callbackData } from '../../telegram/keyboards.js';

const m = msg.congress;

/**
 * Callback data of the congress buttons the bot sends from outside a command (notifications)
 * and that /tiendo links to. `dh:<action>:<campaign id>:<unit code>` stays under 64 bytes:
 * campaign ids are 10 characters and unit codes at most 32.
 */
export const congressCallback = {
  /** Chuẩn y of one branch's result. */
  approve: (campaignId: string, branch: string) => callbackData('dh', 'cy', campaignId, branch),
  /** /tiendo of one unit in one round. */
  progress: (campaignId: string, unit: string) => callbackData('dh', 'td', campaignId, unit),
};

/** The «Chuẩn y» button under a report notification. */
export function approveMarkup(campaignId: string, branch: string): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [{ text: m.chat.buttonApprove, callback_data: congressCallback.approve(campaignId, branch) }],
    ],
  };
}
