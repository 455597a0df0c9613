/**
 * The office's lines under a round in the daily summary: "Đã chuẩn y X/Y" with the latest
 * decision numbers, then (with `org`) preparation open in the next 7 days, follow-up overdue and
 * pilot congress flags, as /tiendo shows them. Reads indexes and counters, never the reports.
 */
import type { Campaign } from '../../domain/congress/campaign.js';
import type { Counters } from '../../domain/congress/stats.js';
import type { Unit } from '../../domain/units.js';
import type { IsoDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { CongressStore } from '../../store/congress.js';
import { decisionLines } from '../congress/decisionLines.js';
import { officeLines } from '../congress/office.js';
import type { Organisation } from '../organisation.js';

export async function roundNotes(
  store: CongressStore,
  campaign: Pick<Campaign, 'id'>,
  unit: Pick<Unit, 'code' | 'level'>,
  counters: Pick<Counters, 'held' | 'approved'>,
  today: IsoDate,
  org?: Organisation,
): Promise<string[]> {
  const out: string[] = [];
  if (counters.held > 0) {
    out.push(msg.congressOffice.decision.progressLine(counters.approved, counters.held));
    out.push(...(await decisionLines(store, campaign.id, unit)));
  }
  if (org && 'scope' in campaign)
    out.push(...(await officeLines({ org, store }, campaign as Campaign, unit as Unit, today)));
  return out;
}
