/**
 * Where each person's last /tiendo landed (the round and the unit shown), kept in this process
 * so their next plain /tiendo can read that unit's progress in the same round trip as finding
 * where it starts, instead of after it. A guess only: the answer uses it when the start lands
 * on the same unit in a round that has not changed since, and is read afresh otherwise.
 */
import type { Campaign } from '../../domain/congress/campaign.js';

export interface ProgressHint {
  campaign: Campaign;
  unit: string;
}

/** People remembered (a round is under 1 KB: about 2 MB at most); the oldest is forgotten first. */
const KEPT = 2_000;

export class ProgressHints {
  private readonly last = new Map<number, ProgressHint>();

  get(personId: number): ProgressHint | undefined {
    return this.last.get(personId);
  }

  set(personId: number, hint: ProgressHint): void {
    this.last.delete(personId);
    this.last.set(personId, hint);
    if (this.last.size > KEPT) this.last.delete(this.last.keys().next().value!);
  }
}

/** True when the start landed where the hint guessed, in the very round it read. */
export function hintHolds(
  hint: ProgressHint,
  start: { campaignId: string; unit: string; campaign: Campaign },
): boolean {
  return (
    hint.campaign.id === start.campaignId &&
    hint.unit === start.unit &&
    JSON.stringify(hint.campaign) === JSON.stringify(start.campaign)
  );
}
