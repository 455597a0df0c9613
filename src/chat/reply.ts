/**
 * Replies as data: what the services hand the edges, whatever the messenger. A reply is text in
 * the markup model plus rows of actions (a label and a packed action value, see `codec.ts`),
 * and optionally a file or a picture. Telegram renders actions as inline buttons; a channel
 * without buttons renders them as numbered options the person answers by typing.
 */
import type { Rich } from './markup.js';

/** The messengers the bot speaks on. */
export type Channel = 'telegram' | 'zalo';
/** A chat's id on its channel (Telegram's are numbers, Zalo's strings). */
export type ChatId = number | string;

/** Something a person can choose under a message: a button, or a numbered option. */
export interface Action {
  label: string;
  /** The packed action value (a feature codec's `pack`), at most 64 bytes. */
  value: string;
}

/** A file that goes with a reply. */
export interface Attachment {
  filename: string;
  bytes: Uint8Array;
  caption?: Rich;
}

export interface Reply {
  text: Rich;
  /** Rows of actions, shown under the (last piece of the) text. */
  actions?: readonly (readonly Action[])[];
  /** A document sent after the text (or on its own when the text is empty). */
  document?: Attachment;
  /** A picture sent after the text (or on its own when the text is empty). */
  photo?: Attachment;
}

/**
 * What handling one update gives: the replies to send, and for a pressed action what becomes
 * of the pressed message and the short note shown on the button.
 */
export interface Outcome {
  replies: readonly Reply[];
  /** A short note on the pressed button (Telegram shows it as a toast). */
  toast?: string;
  /**
   * The pressed message: `close` takes its actions away (it has done its job), `replace` puts
   * this reply in its place (without it, the reply is sent as a new message), `actions` swaps
   * only its actions and leaves its text as it is (a directive once acknowledged).
   */
  pressed?: 'close' | { replace: Reply } | { actions: readonly (readonly Action[])[] };
  /** The asker's own roles changed (an invite redeemed): their menu must follow. */
  rolesChanged?: true;
}

/** A reply with text and, optionally, rows of actions. */
export function reply(text: Rich, actions?: readonly (readonly Action[])[]): Reply {
  return actions?.some((row) => row.length > 0)
    ? { text, actions: actions.filter((row) => row.length > 0) }
    : { text };
}

/** An outcome made only of replies. */
export function say(...replies: (Reply | Rich)[]): Outcome {
  return { replies: replies.map(asReply) };
}

/** An outcome for a pressed action whose message is done with: its actions go, the replies follow. */
export function closeWith(...replies: (Reply | Rich)[]): Outcome {
  return { replies: replies.map(asReply), pressed: 'close' };
}

/** A stale or foreign action: a note on the button, and the pressed message loses its actions. */
export function expired(toast: string): Outcome {
  return { replies: [], toast, pressed: 'close' };
}

/** Is this value a reply (rather than bare markup)? */
export function isReply(value: Reply | Rich): value is Reply {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'text' in value;
}

function asReply(value: Reply | Rich): Reply {
  return isReply(value) ? value : { text: value };
}

/** Rows of actions, `perRow` to a row. */
export function rowsOf(actions: readonly Action[], perRow = 1): Action[][] {
  const rows: Action[][] = [];
  actions.forEach((a, i) => {
    if (i % perRow === 0) rows.push([a]);
    else rows[rows.length - 1]!.push(a);
  });
  return rows;
}
