/**
 * The decision numbers /tiendo and the daily summary show under "Đã chuẩn y X/Y": for a
 * committee the latest quyết định recorded under it (two sorted-set reads), for a branch its own.
 */
import { DECISIONS_SHOWN, type Decision } from '../../domain/congress/decision.js';
import type { ReportRecord } from '../../domain/congress/report.js';
import { isBranch, type Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import type { CongressStore } from '../../store/congress.js';

const d = msg.congressOffice.decision;

export async function decisionLines(
  store: Pick<CongressStore, 'decisions' | 'getReport'>,
  campaignId: string,
  unit: Pick<Unit, 'code' | 'level'>,
): Promise<string[]> {
  if (isBranch(unit)) return ownDecisionLines(await store.getReport(campaignId, unit.code));
  const { count, latest } = await store.decisions(campaignId, unit.code, DECISIONS_SHOWN);
  return committeeDecisionLines(count, latest);
}

/** A branch's own decision, when its result was approved by one. Pure. */
export function ownDecisionLines(record: ReportRecord | undefined): string[] {
  const approved = record?.approved;
  return approved?.number && approved.date ? [d.own(approved.number, approved.date)] : [];
}

/** The latest decisions under a committee, of `count` distinct ones. Pure. */
export function committeeDecisionLines(count: number, latest: (Decision & { branches: number })[]): string[] {
  const line = d.latest(latest, count);
  return line ? [line] : [];
}
