/**
 * What a person does in a chat with the bot, for end-to-end tests: write, press a button, and wait
 * for what the bot shows. One set of helpers for every feature's tests.
 */
import type { EmuMessage } from '../../src/sandbox/chatStore.js';
import { inlineButtons, type TestBot } from './app.js';

/** Anything with the emulator: a TestBot, or a test's own app around one. */
export type Chat = Pick<TestBot, 'emulator'>;

/** A person in a test: their id, or anything carrying it (an emulator user). */
export type Who = number | { id: number };
const idOf = (who: Who): number => (typeof who === 'number' ? who : who.id);

export interface Button {
  text: string;
  data: string;
}

/** The inline buttons under a message, as a person sees them (label and what pressing sends). */
export function buttonsOf(message: EmuMessage | undefined): Button[] {
  return inlineButtons(message).map((b) => ({ text: b.text, data: b.callback_data }));
}

/** The button whose label starts with `label`; throws, listing what is there, when there is none. */
export function buttonOf(message: EmuMessage, label: string): Button {
  const found = buttonsOf(message).find((b) => b.text.startsWith(label));
  if (!found)
    throw new Error(`no button «${label}…» on: ${message.text}\n${JSON.stringify(buttonsOf(message))}`);
  return found;
}

/** A predicate for a message whose text contains `part`. */
export const hasText =
  (part: string) =>
  (message: EmuMessage): boolean =>
    (message.text ?? '').includes(part);

/** The person writes; resolves with the bot's first new message (not an edit) containing `expected`. */
export function say(bot: Chat, who: Who, text: string, expected: string): Promise<EmuMessage> {
  const userId = idOf(who);
  const waiting = bot.emulator.waitForBotMessage(userId, (x) => !x.edited && hasText(expected)(x));
  bot.emulator.sendText(userId, text);
  return waiting;
}

/** Presses the button with exactly this callback data on `on`; resolves with the first new message containing `expected`. */
export function pressData(
  bot: Chat,
  who: Who,
  on: EmuMessage,
  data: string,
  expected: string,
): Promise<EmuMessage> {
  const userId = idOf(who);
  const waiting = bot.emulator.waitForBotMessage(userId, (x) => !x.edited && hasText(expected)(x));
  bot.emulator.pressButton(userId, on.chat.id, on.message_id, data);
  return waiting;
}

/** Presses the button whose label starts with `label`; resolves with the first new message containing `expected`. */
export function press(
  bot: Chat,
  who: Who,
  on: EmuMessage,
  label: string,
  expected: string,
): Promise<EmuMessage> {
  return pressData(bot, who, on, buttonOf(on, label).data, expected);
}
