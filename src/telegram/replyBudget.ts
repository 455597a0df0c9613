/**
 * Replies draw from the one send budget (`src/outbox/sendBudget.ts`) like the outbox does. Every
 * Bot API call that sends a message while an update is handled (inside `withReplyBudget`) takes
 * a slot first, waiting when the window is full; replies go before the outbox. telegraf makes a
 * new `Telegram` client for each update, so the check sits on the class (once per process) and
 * applies only inside an update's context: the outbox's own sends take their slots themselves.
 *
 * An update in a private chat nearly always gets an answer, so its slots are taken ahead in the
 * update's first round trip (`reserveAhead`, from the claim pipeline) and what it did not use is
 * given back in its last (`queueUnusedRelease`, with the done marker): the common answer costs
 * no round trip of its own. An answer in more pieces takes the rest at once (`needSends`). The
 * slots live in the update's async context, so concurrent updates keep theirs apart.
 */
import type { ChainableCommander } from 'ioredis';
import { Telegram } from 'telegraf';
import { ScopeKey } from '../infra/updateScope.js';
import type { ReplySlots, SendBudget } from '../outbox/sendBudget.js';

/** Bot API methods that put a message in a chat (edits, answers and actions do not count). */
const SENDS = new Set([
  'sendMessage',
  'sendDocument',
  'sendPhoto',
  'sendMediaGroup',
  'sendVideo',
  'sendAnimation',
  'sendAudio',
  'sendVoice',
  'sendVideoNote',
  'sendSticker',
  'sendLocation',
  'sendVenue',
  'sendContact',
  'sendPoll',
  'sendDice',
  'copyMessage',
  'forwardMessage',
]);

interface UpdateSlots {
  budget: SendBudget;
  /** Slots taken for this update's messages, and how many of each grant are used. */
  grants: { prefix: string; granted: number; used: number; sentAt: number[]; at: number }[];
  /** When a slot frees up, if a take could not get all it asked for. */
  waitUntil?: number;
}

const current = new ScopeKey<UpdateSlots>('reply slots');

/** Runs the handling of one update: its messages draw from `budget`. */
export function withReplyBudget<T>(budget: SendBudget, work: () => Promise<T>): Promise<T> {
  installOnce();
  return current.run({ budget, grants: [] }, work);
}

function record(slots: UpdateSlots, taken: ReplySlots): void {
  slots.grants.push({ prefix: taken.prefix, granted: taken.granted, used: 0, sentAt: [], at: Date.now() });
  slots.waitUntil = taken.waitMs > 0 ? Date.now() + taken.waitMs : undefined;
}

/** Records the slots the claim pipeline took ahead for this update's messages. */
export function reserveAhead(taken: ReplySlots): void {
  const slots = current.get();
  if (slots) record(slots, taken);
}

/** Slots taken and not used yet by this update. */
function available(slots: UpdateSlots): number {
  return slots.grants.reduce((n, g) => n + g.granted - g.used, 0);
}

/**
 * The update is about to send `count` messages: takes what is missing in one round trip, so a
 * reply in several pieces does not ask once a piece.
 */
export async function needSends(count: number): Promise<void> {
  const slots = current.get();
  if (!slots) return;
  const missing = count - available(slots);
  if (missing > 0 && (slots.waitUntil ?? 0) <= Date.now())
    record(slots, await slots.budget.takeReplies(missing));
}

/**
 * Adds to a pipeline (the one that finishes the update) the give-back of its unused slots and
 * the true send time of the used ones.
 */
export function queueUnusedRelease(p: ChainableCommander): void {
  const slots = current.get();
  if (!slots) return;
  const now = Date.now();
  const sent: { member: string; agoMs: number }[] = [];
  for (const g of slots.grants) {
    slots.budget.queueRelease(p, g.prefix, g.used + 1, g.granted);
    for (const [i, at] of g.sentAt.entries()) sent.push({ member: `${g.prefix}:${i + 1}`, agoMs: now - at });
  }
  slots.budget.queueSentAt(p, sent);
  slots.grants = [];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A slot is logged at the moment it was taken; one taken ahead is good for this long. Used
 * later (a slow update), its log entry would leave the window before Telegram's count of the
 * message does: take a fresh one instead (the stale one goes back with the done marker).
 */
const AHEAD_GOOD_FOR_MS = 50;

async function take(slots: UpdateSlots): Promise<void> {
  for (;;) {
    const now = Date.now();
    const grant = slots.grants.find((g) => g.used < g.granted && now - g.at <= AHEAD_GOOD_FOR_MS);
    if (grant) {
      grant.used++;
      grant.sentAt.push(Date.now());
      return;
    }
    const wait = (slots.waitUntil ?? 0) - Date.now();
    if (wait > 0) await sleep(wait);
    record(slots, await slots.budget.takeReplies(1));
  }
}
let installed = false;

/** Puts the slot check in front of telegraf's `callApi`, once per process. */
function installOnce(): void {
  if (installed) return;
  installed = true;
  const proto = Telegram.prototype as unknown as {
    callApi: (this: Telegram, method: string, payload: unknown, options?: unknown) => Promise<unknown>;
  };
  const call = proto.callApi;
  proto.callApi = async function (this: Telegram, method: string, payload: unknown, options?: unknown) {
    const slots = current.get();
    if (slots && SENDS.has(method)) await take(slots);
    return call.call(this, method, payload, options);
  };
}
