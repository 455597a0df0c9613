/**
 * Confirmation cards («Xác nhận và lưu»). A card carries a nonce; pressing it saves what the
 * card shows and writes a receipt under that nonce in the same MULTI. So the save and the
 * consumption of the card are one step: a second press, or the same press redelivered after a
 * crash, finds the receipt and is told what was saved, instead of saving twice, being told the
 * button expired, or getting an error.
 *
 * Keys: `cb:card:<nonce>` → JSON `CardReceipt`, kept 30 days (longer than any dialog lives).
 */
import type { ChainableCommander, Redis } from 'ioredis';

/** What pressing a card saved. */
export interface CardReceipt {
  /** The version saved (a report's version, a directive's id as a number, …) when there is one. */
  version?: number;
  /** A reference the answer can name, e.g. a directive id. */
  ref?: string;
  at: number;
}

const RECEIPT_TTL_SECONDS = 30 * 24 * 3600;
export const cardReceiptKey = (nonce: string) => `cb:card:${nonce}`;

/** Inside an optimistic transaction: watches the card's receipt and returns it if the card was used. */
export async function watchReceipt(conn: Redis, nonce: string): Promise<CardReceipt | undefined> {
  const key = cardReceiptKey(nonce);
  await conn.watch(key);
  return parseReceipt(await conn.get(key));
}

/** A stored receipt (read under WATCH with the rest of a save's reads), or undefined. */
export function parseReceipt(raw: unknown): CardReceipt | undefined {
  return typeof raw === 'string' ? (JSON.parse(raw) as CardReceipt) : undefined;
}

/** Adds the card's receipt to the MULTI that saves what the card showed. */
export function recordReceipt(tx: ChainableCommander, nonce: string, receipt: CardReceipt): void {
  tx.set(cardReceiptKey(nonce), JSON.stringify(receipt), 'EX', RECEIPT_TTL_SECONDS);
}

/** The receipt of a card already used, for a press that comes after its dialog is gone. */
export async function readReceipt(redis: Redis, nonce: string): Promise<CardReceipt | undefined> {
  return parseReceipt(await redis.get(cardReceiptKey(nonce)));
}
