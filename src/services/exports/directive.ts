/**
 * What a directive's receipts workbook shows: one row per recipient the asker may see, with
 * where its delivery stands and when it was acknowledged.
 */
import { DIRECTIVE_ID_PATTERN } from '../../domain/directives.js';
import type {
  DeliveryStatus,
  DirectiveExportData,
  DirectiveRecipientRow,
} from '../../exports/directiveWorkbook.js';
import { msg } from '../../messages/index.js';
import { TRACK } from '../directives/index.js';
import { refusal, visibleRecipients } from './access.js';
import { type Actor, type ExportServiceDeps, type Found, fail, today } from './types.js';

const m = msg.exports;

/**
 * Receipts and acknowledgements of one directive. Admins and the CLI see every recipient; a
 * leader sees the recipients of units in their subtree.
 */
export async function directiveData(
  deps: ExportServiceDeps,
  actor: Actor,
  id: string,
): Promise<Found<DirectiveExportData>> {
  if (actor !== 'cli') {
    const refused = refusal(deps.org, actor);
    if (refused) return fail(refused);
  }
  const report = DIRECTIVE_ID_PATTERN.test(id) ? await deps.directives.report(id) : undefined;
  if (!report) return fail(m.errors.unknownDirective(id));
  const [all, records] = await Promise.all([
    deps.directiveStore.recipients(id),
    deps.deliveries.listTrack(TRACK.directive, id),
  ]);
  const recipients = await visibleRecipients(deps.org, actor, all);
  if (recipients.length === 0 && all.length > 0) return fail(m.errors.directiveNotYours);

  const p = report.progress;
  const acked = new Map(p.acknowledged.map((a) => [a.recipient.personId, a.at]));
  const failed = new Map(p.failed.map((f) => [f.recipient.personId, f.reason]));
  const unreachable = new Map(p.unreachable.map((u) => [u.recipient.personId, u.reason]));
  const delivery = new Map(
    records.filter((r) => r.personId !== undefined).map((r) => [r.personId as number, r] as const),
  );
  const cancelled = report.stored.cancelledAt !== undefined;
  const statusOf = (personId: number): DeliveryStatus => {
    const state = delivery.get(personId)?.state;
    if (unreachable.has(personId)) return 'unreachable';
    if (failed.has(personId)) return 'failed';
    if (state === 'sent') return 'sent';
    if (cancelled) return 'stopped';
    return state === undefined ? 'notQueued' : 'pending';
  };
  const rows: DirectiveRecipientRow[] = recipients.map((r) => {
    const rec = delivery.get(r.personId);
    const row: DirectiveRecipientRow = {
      name: r.name,
      role: r.role,
      units: r.units,
      status: statusOf(r.personId),
    };
    if (rec?.state === 'sent' && rec.sentAt !== undefined) row.deliveredAt = rec.sentAt;
    const reason = unreachable.get(r.personId) ?? failed.get(r.personId);
    if (reason !== undefined && reason !== '') row.failedReason = reason;
    const at = acked.get(r.personId);
    if (at !== undefined) row.acknowledgedAt = at;
    return row;
  });

  const d = report.stored.directive;
  const data: DirectiveExportData = {
    directive: {
      id: d.id,
      title: d.title,
      createdAt: d.createdAt,
      audienceText: d.audienceText,
      ...(d.number !== undefined ? { number: d.number } : {}),
      ...(d.deadline !== undefined ? { deadline: d.deadline } : {}),
    },
    rows,
    asOf: today(deps),
    generatedAt: deps.clock.now(),
    timezone: deps.timezone,
  };
  if (report.stored.cancelledAt !== undefined) data.cancelledAt = report.stored.cancelledAt;
  return { ok: true, value: data };
}
