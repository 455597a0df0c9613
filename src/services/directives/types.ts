/** The shapes the directive service takes in and hands back to the edges. */
import type { InlineKeyboardMarkup } from '@telegraf/types';
import type { Directive, DirectiveProgress } from '../../domain/directives.js';
import type { Clock } from '../../infra/clock.js';
import type { Logger } from '../../logger.js';
import type { DeliveryStore } from '../../outbox/deliveries.js';
import type { QuietHours } from '../../outbox/outbox.js';
import type { DirectiveStore, StoredDirective } from '../../store/directives.js';
import type { Notifier } from '../notifier.js';
import type { Organisation } from '../organisation.js';
import type { DirectiveJobs } from './jobQueue.js';

/**
 * Edits a message the bot sent before (the admin's status message). The telegraf edge
 * implements it; "message is not modified" must be treated as success.
 */
export interface StatusEditor {
  edit(chatId: number, messageId: number, html: string, markup: InlineKeyboardMarkup): Promise<void>;
}

export interface DirectiveServiceDeps {
  store: DirectiveStore;
  org: Organisation;
  notifier: Notifier;
  deliveries: Pick<DeliveryStore, 'listTrack' | 'trackCounts' | 'listUnreachable' | 'failed'>;
  jobs: DirectiveJobs;
  clock: Clock;
  timezone: string;
  quietHours?: QuietHours;
  log: Logger;
}

/** A preview of a draft: the text one recipient would get, and how many would get it. */
export interface DirectivePreview {
  html: string;
  markup: InlineKeyboardMarkup;
  recipients: number;
  audienceText: string;
}

export type SendOutcome =
  | { ok: true; directive: Directive; recipients: number }
  | { ok: false; errors: string[] };

export type AckOutcome =
  | { ok: true; at: number; when: string; first: boolean; markup: InlineKeyboardMarkup }
  | { ok: false; text: string };

export type CancelOutcome =
  | { ok: true; already: boolean; stopped: number; text: string }
  | { ok: false; text: string };

/** What one person sees in /vanban. */
export interface InboxItem {
  directive: Directive;
  ackedAt?: number;
}

/** A file a person asked for with «Xem tệp đính kèm». */
export type AttachmentOutcome =
  | { ok: true; kind: 'document' | 'photo'; filename: string; caption: string; fileId: string }
  | { ok: true; kind: 'document' | 'photo'; filename: string; caption: string; bytes: Buffer }
  | { ok: false; text: string };

/** The status of one directive, computed from the store, the outbox and the people. */
export interface DirectiveReport {
  stored: StoredDirective;
  progress: DirectiveProgress;
}
