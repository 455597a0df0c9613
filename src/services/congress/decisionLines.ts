/**
 * The decision numbers /tiendo and the daily summary show under "Đã chuẩn y X/Y": for a
 * committee the latest quyết định recorded under it (two sorted-set reads), for a branch its own.
 */
import { DECISIONS_SHOWN } from '../../domain/congress/decision.js';
import { isBranch, type Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import type { CongressStore } from '../../store/congress.js';

const d = msg.congressOffice.decision;

export async function decisionLines(
  store: Pick<CongressStore, 'decisions' | 'getReport'>,
  campaignId: string,
  unit: Pick<Unit, 'code' | 'level'>,
): Promise<string[]> {
  if (isBranch(unit)) {
    const approved = (await store.getReport(campaignId, unit.code))?.approved;
    return approved?.number && approved.date ? [d.own(approved.number, approved.date)] : [];
  }
  const { count, latest } = await store.decisions(campaignId, unit.code, DECISIONS_SHOWN);
  const line = d.latest(latest, count);
  return line ? [line] : [];
}
