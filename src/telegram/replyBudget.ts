/**
 * Replies draw from the one send budget (`src/outbox/sendBudget.ts`) like the outbox does. Every
 * Bot API call that sends a message through an update's client takes a slot first, waiting when
 * the window is full; replies go before the outbox. telegraf makes a new `Telegram` client for
 * each update: the check sits on the class (once per process) and applies to the clients bound
 * to the budget (`bindReplyBudget`), so the outbox's clients, which take their slots themselves,
 * pass through it. A send on the bot's own client while an update is handled (a file through the
 * directive channel) goes on a client of its own (`sendOnReplySlot`).
 *
 * An update in a private chat nearly always gets an answer, so its slots are taken ahead in the
 * update's first round trip (`reserveAhead`, from the claim pipeline) and what it did not use is
 * given back in its last (`queueUnusedRelease`, with the done marker): the common answer costs
 * no round trip of its own. An answer in more pieces takes the rest at once (`needSends`). The
 * slots belong to the update's client, so concurrent updates keep theirs apart.
 *
 * A slot is logged in flight until the update is done; then each used one moves to when its
 * send was answered (after Telegram counted it), so it never leaves the window before
 * Telegram's count of it does, however long the update took between taking and sending.
 */
import type { ChainableCommander } from 'ioredis';
import { Telegram } from 'telegraf';
import { IN_FLIGHT_MS, type ReplySlots, type SendBudget } from '../outbox/sendBudget.js';

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
  /**
   * Slots taken for this update's messages, how many of each grant are used, and when each
   * used one's send was answered (`performance.now()`; undefined while in flight).
   */
  grants: {
    prefix: string;
    granted: number;
    used: number;
    answeredAt: (number | undefined)[];
    /** When it was taken (`performance.now()`). */
    at: number;
  }[];
  /** When a slot frees up, if a take could not get all it asked for. */
  waitUntil?: number;
  /** How long this update's sends waited for a slot to free up (ms): queueing, not handling. */
  waitedMs: number;
}

/** The slots of each client bound to the budget: one client per update. */
const slotsOf = new WeakMap<Telegram, UpdateSlots>();

/** From now on, the messages `telegram` (an update's client) sends draw from `budget`. */
export function bindReplyBudget(telegram: Telegram, budget: SendBudget): void {
  installOnce();
  slotsOf.set(telegram, { budget, grants: [], waitedMs: 0 });
}

/**
 * How long the messages `telegram` (an update's client) sent waited for the budget to free a
 * slot, in ms: the update's wait for Telegram's flood limit, not time spent handling it.
 */
export function sendWaitMs(telegram: Telegram): number {
  return slotsOf.get(telegram)?.waitedMs ?? 0;
}

function record(slots: UpdateSlots, taken: ReplySlots): void {
  slots.grants.push({
    prefix: taken.prefix,
    granted: taken.granted,
    used: 0,
    answeredAt: [],
    at: performance.now(),
  });
  slots.waitUntil = taken.waitMs > 0 ? Date.now() + taken.waitMs : undefined;
}

/** Records the slots the claim pipeline took ahead for this update's messages. */
export function reserveAhead(telegram: Telegram, taken: ReplySlots): void {
  const slots = slotsOf.get(telegram);
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
export async function needSends(telegram: Telegram, count: number): Promise<void> {
  const slots = slotsOf.get(telegram);
  if (!slots) return;
  const missing = count - available(slots);
  if (missing > 0 && (slots.waitUntil ?? 0) <= Date.now())
    record(slots, await slots.budget.takeReplies(missing));
}

/**
 * Adds to a pipeline (the one that finishes the update) the give-back of its unused slots and
 * the answer time of the used ones. A send still unanswered (one not awaited) stays in flight
 * and lapses with it.
 */
export function queueUnusedRelease(telegram: Telegram, p: ChainableCommander): void {
  const slots = slotsOf.get(telegram);
  if (!slots) return;
  const now = performance.now();
  const sent: { member: string; agoMs: number }[] = [];
  for (const g of slots.grants) {
    slots.budget.queueRelease(p, g.prefix, g.used + 1, g.granted);
    for (const [i, at] of g.answeredAt.entries())
      if (at !== undefined) sent.push({ member: `${g.prefix}:${i + 1}`, agoMs: now - at });
  }
  slots.budget.queueSentAt(p, sent);
  slots.grants = [];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A slot taken ahead is used for a send only this soon after it was taken, so that it is still
 * in flight in the log (`IN_FLIGHT_MS`) when the send is answered; a very slow update takes a
 * fresh one (the old one goes back with the done marker).
 */
const AHEAD_GOOD_FOR_MS = IN_FLIGHT_MS / 3;

/**
 * Takes a slot for one send (one taken ahead if there is one): the grant, and the slot's index in
 * it. Once a take finds the window full, the time until a slot is granted counts as the update's
 * wait for the budget (`sendWaitMs`).
 */
async function take(slots: UpdateSlots): Promise<{ grant: UpdateSlots['grants'][number]; index: number }> {
  let waitingSince: number | undefined;
  for (;;) {
    const now = performance.now();
    const grant = slots.grants.find((g) => g.used < g.granted && now - g.at <= AHEAD_GOOD_FOR_MS);
    if (grant) {
      if (waitingSince !== undefined) slots.waitedMs += now - waitingSince;
      grant.answeredAt.push(undefined);
      return { grant, index: grant.used++ };
    }
    const wait = (slots.waitUntil ?? 0) - Date.now();
    if (wait > 0) {
      waitingSince ??= now;
      await sleep(wait);
    }
    const asked = performance.now();
    const taken = await slots.budget.takeReplies(1);
    if (taken.granted === 0) waitingSince ??= asked;
    record(slots, taken);
  }
}

/**
 * Sends on the bot's own client while an update is handled (shared by all updates, so bound to
 * none): on a client of its own for this send, with its slot given back or logged as sent after.
 */
export async function sendOnReplySlot<T>(
  telegram: Telegram,
  budget: SendBudget,
  send: (own: Telegram) => Promise<T>,
): Promise<T> {
  const own = new Telegram(telegram.token, telegram.options);
  bindReplyBudget(own, budget);
  try {
    return await send(own);
  } finally {
    // Should Redis fail here, the slot stays logged in flight and lapses: the file went out.
    await budget.finishSlots((p) => queueUnusedRelease(own, p)).catch(() => {});
  }
}

let installed = false;

/** Puts the slot check in front of telegraf's `callApi`, once per process. */
function installOnce(): void {
  if (installed) return;
  installed = true;
  type CallApi = (this: Telegram, method: string, payload: unknown, options?: unknown) => Promise<unknown>;
  const proto = Telegram.prototype as unknown as { callApi: CallApi };
  // The client's own callApi, looked up at each call: the transport may be installed later.
  const base = Object.getPrototypeOf(proto) as { callApi: CallApi };
  proto.callApi = async function (this: Telegram, method: string, payload: unknown, options?: unknown) {
    const slots = slotsOf.get(this);
    if (!slots || !SENDS.has(method)) return base.callApi.call(this, method, payload, options);
    const { grant, index } = await take(slots);
    try {
      return await base.callApi.call(this, method, payload, options);
    } finally {
      grant.answeredAt[index] = performance.now();
    }
  };
}
