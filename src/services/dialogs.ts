/**
 * The one dialog pattern. Every step-by-step flow (a meeting or congress report, a new campaign,
 * a directive, an invite, settings) keeps where the person is as a state of its own kind:
 * - each kind and the zod schema of its state are registered here, in one place;
 * - the state lives in the conversation store, so a dialog survives a restart;
 * - it is checked against its schema whenever it is read, so a state written by an older version
 *   (or tampered with) is dropped and the person simply starts again;
 * - a flow's steps are pure functions `(state, input) → { state, replies }` (`Step`), and
 *   `Dialogs.apply` stores the new state, or ends the dialog when a step returns none.
 *
 * See docs/architecture.md for how to add a kind.
 */
import type { z } from 'zod';
import type { ChatId, Reply } from '../chat/reply.js';
import type { Clock } from '../infra/clock.js';
import type { Logger } from '../logger.js';
import type { CardReceipt } from '../store/cards.js';
import type { Conversation, ConversationStore } from '../store/conversations.js';
import { decisionStateSchema } from './congress/decisionState.js';
import { campaignStateSchema, congressStateSchema } from './congress/state.js';
import { composeStateSchema } from './directives/state.js';
import { meetingStateSchema } from './meetings/state.js';
import { memberStateSchema } from './members/state.js';
import type { Viewer } from './organisation.js';
import { inviteStateSchema } from './people/state.js';

/** Every dialog kind and the schema of its state. */
export const DIALOG_KINDS = {
  meetings: meetingStateSchema,
  congress: congressStateSchema,
  congressCampaign: campaignStateSchema,
  directives: composeStateSchema,
  members: memberStateSchema,
  invite: inviteStateSchema,
  congressDecision: decisionStateSchema,
} as const satisfies Record<string, z.ZodType>;

export type DialogKind = keyof typeof DIALOG_KINDS;
export type DialogState<K extends DialogKind> = z.infer<(typeof DIALOG_KINDS)[K]>;
/** An open dialog: its kind and its checked state. */
export type OpenDialog = { [K in DialogKind]: { kind: K; state: DialogState<K> } }[DialogKind];

/** Who is asking, in which chat, and the dialog they hold open there (read once per update). */
export interface Session {
  viewer: Viewer;
  chat: ChatId;
  dialog: OpenDialog | undefined;
}

/** The open dialog's state when it is of `kind`. */
export function openOf<K extends DialogKind>(s: Session, kind: K): DialogState<K> | undefined {
  return s.dialog?.kind === kind ? (s.dialog.state as DialogState<K>) : undefined;
}

/** One step of a dialog: the state to keep (none: the dialog is over) and what to answer. */
export interface Step<S> {
  state: S | undefined;
  replies: Reply[];
}

const isKind = (kind: string): kind is DialogKind => Object.hasOwn(DIALOG_KINDS, kind);

export class Dialogs {
  constructor(
    private readonly store: ConversationStore,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** The dialog open for a person in a chat, checked; undefined when none. */
  async open(chat: ChatId, person: number): Promise<OpenDialog | undefined> {
    return this.check(chat, person, await this.store.get(chat, person));
  }

  /** The open dialog if it is of `kind`. */
  async get<K extends DialogKind>(
    chat: ChatId,
    person: number,
    kind: K,
  ): Promise<DialogState<K> | undefined> {
    const open = await this.open(chat, person);
    return open?.kind === kind ? (open.state as DialogState<K>) : undefined;
  }

  /**
   * Checks a stored conversation against its kind's schema. An unreadable one is dropped, so
   * the person starts afresh instead of being stuck.
   */
  async check(chat: ChatId, person: number, raw: Conversation | undefined): Promise<OpenDialog | undefined> {
    if (!raw) return undefined;
    const parsed = isKind(raw.kind) ? DIALOG_KINDS[raw.kind].safeParse(raw.state) : undefined;
    if (parsed?.success) return { kind: raw.kind, state: parsed.data } as OpenDialog;
    this.log.warn({ kind: raw.kind, issues: parsed?.error.issues.length }, 'dropped an unreadable dialog');
    await this.store.clear(chat, person);
    return undefined;
  }

  save<K extends DialogKind>(chat: ChatId, person: number, kind: K, state: DialogState<K>): Promise<void> {
    return this.store.set(chat, person, kind, state, this.clock.now());
  }

  /**
   * What a confirmation card saved, when it was pressed before: its dialog is gone, but the
   * receipt written with the save tells a repeated press what happened (`src/store/cards.ts`).
   */
  receipt(nonce: string): Promise<CardReceipt | undefined> {
    return this.store.receipt(nonce);
  }

  /** The key a store deletes, in the MULTI that saves a card, to end the dialog holding it. */
  key(chat: ChatId, person: number): string {
    return this.store.key(chat, person);
  }

  /** Ends whatever dialog the person has open in this chat. */
  clear(chat: ChatId, person: number): Promise<void> {
    return this.store.clear(chat, person);
  }

  /** Keeps the state a step returned (or ends the dialog) and gives its replies. */
  async apply<K extends DialogKind>(
    chat: ChatId,
    person: number,
    kind: K,
    step: Step<DialogState<K>>,
  ): Promise<Reply[]> {
    if (step.state === undefined) await this.clear(chat, person);
    else await this.save(chat, person, kind, step.state);
    return step.replies;
  }
}
