/**
 * The reference an apology carries (the error is logged under it), the same on every channel: a
 * short code a user can read out over the phone, 8 characters, no look-alikes.
 */
import { randomBytes } from 'node:crypto';

export function errorReference(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('');
}
