/**
 * What the Huy hiệu Đảng workbook shows: the register's list for the occasion, for a unit the
 * person may export (leaders their subtree, the office everything).
 */
import type { BadgesExportData } from '../../exports/badgesWorkbook.js';
import { msg } from '../../messages/index.js';
import { startUnit } from './access.js';
import { type Actor, type ExportServiceDeps, type Found, fail, today } from './types.js';

export async function badgesData(
  deps: ExportServiceDeps,
  actor: Actor,
  opts: { occasion?: string; unit?: string },
): Promise<Found<BadgesExportData>> {
  const start = await startUnit(deps.org, actor, opts.unit);
  if (!start.ok) return start;
  const list = await deps.members.badges(actor, {
    unit: start.value.code,
    ...(opts.occasion !== undefined ? { occasion: opts.occasion } : {}),
  });
  if (!list.ok) return fail(msg.members.refusal(list.refusal));
  const records = await deps.members.records(list.value.rows.map((r) => r.member.id));
  return { ok: true, value: { list: list.value, records, asOf: today(deps), generatedAt: deps.clock.now() } };
}
