/** The shapes the directive service takes in and hands back to the edges. */
import type { Rich } from '../../chat/markup.js';
import type { Action, ChatId, Reply } from '../../chat/reply.js';
import type { Directive, DirectiveProgress } from '../../domain/directives.js';
import type { Clock } from '../../infra/clock.js';
import type { Logger } from '../../logger.js';
import type { DeliveryStore } from '../../outbox/deliveries.js';
import type { QuietHours } from '../../outbox/outbox.js';
import type { DirectiveStore, StoredDirective } from '../../store/directives.js';
import type { Dialogs } from '../dialogs.js';
import type { Notifier } from '../notifier.js';
import type { Organisation } from '../organisation.js';
import type { DirectiveJobs } from './jobQueue.js';

/**
 * Edits a message the bot sent before (the admin's status message) to show `status`. Each
 * channel adapter that can edit implements it; an edit that changes nothing, or a message the
 * admin deleted, is no error.
 */
export interface StatusEditor {
  edit(chatId: ChatId, messageId: number, status: Reply): Promise<void>;
}

/** A directive's file as a chat sends it: by the messenger's own id when known, else its bytes. */
export type OutgoingFile = { kind: 'document' | 'photo'; filename: string; caption: Rich } & (
  | { fileId: string }
  | { bytes: Uint8Array }
);

/**
 * Sends a directive's file into a chat and gives the messenger's id for it, so a file sent
 * from the CLI is uploaded once and a file an admin sent in chat is never downloaded. Replies
 * carry bytes only, hence this port (each channel adapter implements it).
 */
export interface FileSender {
  send(chatId: ChatId, file: OutgoingFile): Promise<string | undefined>;
}

/** What the messenger does for directives beyond replies; the app plugs it in, the CLI never does. */
export interface DirectiveChannel {
  statusEditor: StatusEditor;
  files: FileSender;
}

export interface DirectiveServiceDeps {
  store: DirectiveStore;
  org: Organisation;
  /** Where an admin is in /thongbao, and the receipts of confirmation cards. */
  dialogs: Dialogs;
  notifier: Notifier;
  deliveries: Pick<DeliveryStore, 'listTrack' | 'trackCounts' | 'listUnreachable' | 'failed'>;
  jobs: DirectiveJobs;
  clock: Clock;
  timezone: string;
  quietHours?: QuietHours;
  log: Logger;
}

/** The service's dependencies and the channel plugged in at start, if any. */
export interface DirectiveContext extends DirectiveServiceDeps {
  channel(): DirectiveChannel | undefined;
}

/** A preview of a draft: the text one recipient would get, and how many would get it. */
export interface DirectivePreview {
  reply: Reply;
  recipients: number;
  audienceText: string;
}

export type SendOutcome =
  /** `repeated`: the card had been pressed before; nothing new was sent. */
  { ok: true; directive: Directive; recipients: number; repeated?: true } | { ok: false; errors: string[] };

export type AckOutcome =
  | { ok: true; at: number; when: string; first: boolean; actions: Action[][] }
  | { ok: false; text: string };

export type CancelOutcome =
  | { ok: true; already: boolean; stopped: number; text: string }
  | { ok: false; text: string };

/** What one person sees in /vanban. */
export interface InboxItem {
  directive: Directive;
  ackedAt?: number;
}

/** The status of one directive, computed from the store, the outbox and the people. */
export interface DirectiveReport {
  stored: StoredDirective;
  progress: DirectiveProgress;
}

/** The admin's status message as shown now; `live` while deliveries can still change it. */
export interface StatusView {
  reply: Reply;
  live: boolean;
}
