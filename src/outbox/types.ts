/**
 * The outbox's vocabulary: what a bot-initiated message is (a reply as data: markup and
 * actions), the port that renders and sends one on a messenger, the errors that port throws,
 * and the port told how each delivery ended.
 *
 * Everything here is plain JSON or a small class, so a message survives the trip through a
 * BullMQ job unchanged and jobs never need a messenger library.
 */
import type { Rich } from '../chat/markup.js';
import type { Action, Channel, ChatId } from '../chat/reply.js';

/** A file sent with a message; the content travels base64-encoded inside the job. */
export interface OutboxAttachment {
  filename: string;
  contentBase64: string;
  /** Cut to the messenger's caption limit when rendered. */
  caption?: Rich;
}

/**
 * One message the bot starts itself. The channel's sender renders it: text longer than the
 * messenger's limit becomes several messages, sent in order; a document or photo follows the
 * text as its own message; the actions go under the last one.
 */
export interface OutboxMessage {
  /** The messenger; absent means Telegram (every message queued before Zalo existed). */
  channel?: Channel;
  chatId: ChatId;
  /** May be empty when the message is only a document or photo. */
  text: Rich;
  actions?: readonly (readonly Action[])[];
  document?: OutboxAttachment;
  photo?: OutboxAttachment;
  /** The person this goes to, so an unreachable chat can be marked on them. */
  personId?: number;
  /** What the message is for: 'reminder', 'summary', 'directive', 'notice', ... */
  purpose: string;
  /** Something whose deliveries are reported together, e.g. `{ kind: 'directive', id: '17' }`. */
  track?: { kind: string; id: string };
}

/** One messenger message an outbox message becomes, already rendered for its channel. */
export interface OutboxPart {
  chatId: ChatId;
  /** Rendered text in the channel's format; empty for a file. */
  text: string;
  /** Zalo: the text is in its html parse mode (otherwise plain). */
  html?: boolean;
  /** Zalo: the person a file link is made for. */
  personId?: number;
  actions?: readonly (readonly Action[])[];
  document?: RenderedAttachment;
  photo?: RenderedAttachment;
}

/** A file of an outbox part, its caption rendered. */
export interface RenderedAttachment {
  filename: string;
  contentBase64: string;
  caption?: string;
}

/** The port that hands messages to one messenger; each channel adapter has its own sender. */
export interface MessageSender {
  /**
   * The messages `m` becomes on this messenger, in order. Deterministic: a retried job gets the
   * same parts, so the parts already sent are skipped.
   */
  parts(m: OutboxMessage): OutboxPart[];
  /** Sends one part and returns its message id. Throws one of the errors below. */
  send(part: OutboxPart, signal: AbortSignal): Promise<{ messageId: number }>;
}

/** 429: the messenger asks us to wait `seconds` before sending anything more. */
export class RetryAfterError extends Error {
  constructor(readonly seconds: number) {
    super(`Too Many Requests: retry after ${seconds}`);
    this.name = 'RetryAfterError';
  }
}

/**
 * The recipient cannot be messaged: blocked the bot (403), never pressed Start ("chat not
 * found"), deleted their account, or removed the bot from the group. Retrying cannot help.
 */
export class RecipientUnreachableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'RecipientUnreachableError';
  }
}

/** A failure worth retrying: a 5xx, a network error or a timeout. */
export class TransientSendError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientSendError';
  }
}

/** The messenger refused the message itself (another 4xx): a bug in the message, never retried. */
export class RejectedMessageError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'RejectedMessageError';
  }
}

/** A queued message as the delivery listener sees it: its outbox id and content. */
export interface OutboxDelivery {
  id: string;
  message: OutboxMessage;
}

/**
 * Told how each outbox message ended. Called at least once per outcome (a crash between a
 * send and its acknowledgement repeats the call), so implementations must be idempotent.
 */
export interface DeliveryListener {
  /** Sent; `messageId` is the id of the last message it took on the messenger. */
  delivered(job: OutboxDelivery, messageId: number, at: number): Promise<void>;
  /**
   * Given up for good. `permanent` is true when retrying could never help (unreachable
   * recipient, rejected message) and false when retries or rate-limit waits ran out.
   */
  failed(job: OutboxDelivery, reason: string, permanent: boolean, at: number): Promise<void>;
  /** The chat cannot be reached (blocked, never started, deleted account, bot removed). */
  unreachable(personId: number | undefined, chatId: ChatId, reason: string, at: number): Promise<void>;
}

/** One listener that calls each of `listeners` in turn, e.g. the delivery store and the people store. */
export function composeListeners(...listeners: DeliveryListener[]): DeliveryListener {
  return {
    async delivered(job, messageId, at) {
      for (const l of listeners) await l.delivered(job, messageId, at);
    },
    async failed(job, reason, permanent, at) {
      for (const l of listeners) await l.failed(job, reason, permanent, at);
    },
    async unreachable(personId, chatId, reason, at) {
      for (const l of listeners) await l.unreachable(personId, chatId, reason, at);
    },
  };
}
