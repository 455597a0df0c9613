/**
 * A directive's receipts and acknowledgements as an Excel workbook: a summary sheet (how many
 * received it, could not be reached, acknowledged) and one row per recipient with their unit,
 * role, when it reached them or why it did not, and when they acknowledged it.
 */
import { formatMoment, type RecipientRole } from '../domain/directives.js';
import { formatVnDate, type IsoDate } from '../domain/vn.js';
import { exports as m } from '../messages/exports.js';
import { type Column, excelDateTime, type Figure, figureColumns, sheet, workbook } from './sheet.js';

/**
 * Where the directive stands for one recipient: delivered, still queued, refused by Telegram,
 * the person cannot be reached (blocked the bot or never pressed Start), not handed to the
 * outbox yet, or stopped by a cancel before it went out.
 */
export type DeliveryStatus = 'sent' | 'pending' | 'failed' | 'unreachable' | 'notQueued' | 'stopped';

/** One recipient of the directive. */
export interface DirectiveRecipientRow {
  /** The name when the directive was sent ("" when Telegram gave none). */
  name: string;
  role: RecipientRole;
  units: { code: string; name: string }[];
  status: DeliveryStatus;
  deliveredAt?: number;
  failedReason?: string;
  acknowledgedAt?: number;
}

/** Everything a directive export shows; gathered by `ExportService`. */
export interface DirectiveExportData {
  directive: {
    id: string;
    title: string;
    number?: string;
    createdAt: number;
    audienceText: string;
    deadline?: IsoDate;
  };
  cancelledAt?: number;
  rows: DirectiveRecipientRow[];
  asOf: IsoDate;
  generatedAt: number;
  timezone: string;
}

const c = m.directiveColumns;
const f = m.directiveFigures;

/** The summary lines: received, pending, failed, unreachable, acknowledged, over all recipients. */
export function directiveFigures(rows: readonly DirectiveRecipientRow[]): Figure[] {
  const count = (pred: (r: DirectiveRecipientRow) => boolean) => rows.filter(pred).length;
  const total = rows.length;
  return [
    { label: f.recipients, count: total },
    { label: f.delivered, count: count((r) => r.status === 'sent'), of: total },
    {
      label: f.pending,
      count: count((r) => r.status === 'pending' || r.status === 'notQueued'),
      of: total,
    },
    { label: f.failed, count: count((r) => r.status === 'failed'), of: total },
    { label: f.unreachable, count: count((r) => r.status === 'unreachable'), of: total },
    { label: f.acknowledged, count: count((r) => r.acknowledgedAt !== undefined), of: total },
  ];
}

function recipientColumns(timezone: string): Column<DirectiveRecipientRow & { index: number }>[] {
  const at = (ms: number | undefined) => (ms === undefined ? undefined : excelDateTime(ms, timezone));
  return [
    { header: c.index, kind: 'integer', value: (r) => r.index, width: 6 },
    { header: c.name, kind: 'text', value: (r) => r.name, maxWidth: 30 },
    { header: c.unitCode, kind: 'text', value: (r) => r.units.map((u) => u.code).join(', ') },
    { header: c.unit, kind: 'text', value: (r) => r.units.map((u) => u.name).join('\n'), maxWidth: 40 },
    { header: c.role, kind: 'text', value: (r) => m.roleNames[r.role] },
    { header: c.status, kind: 'text', value: (r) => m.deliveryStatus[r.status] },
    { header: c.deliveredAt, kind: 'dateTime', value: (r) => at(r.deliveredAt) },
    { header: c.failedReason, kind: 'text', value: (r) => r.failedReason, maxWidth: 40 },
    { header: c.acknowledgedAt, kind: 'dateTime', value: (r) => at(r.acknowledgedAt) },
  ];
}

/** The workbook as .xlsx bytes. */
export function directiveWorkbook(data: DirectiveExportData): Promise<Buffer> {
  const d = data.directive;
  const when = (ms: number) => formatMoment(ms, data.timezone);
  const title = [
    m.title.directive,
    m.title.directiveName(d.number ?? '', d.title),
    m.title.sentTo(when(d.createdAt), d.audienceText),
    ...(d.deadline ? [m.title.deadline(formatVnDate(d.deadline))] : []),
    ...(data.cancelledAt !== undefined ? [m.title.cancelled(when(data.cancelledAt))] : []),
    m.title.asOf(formatVnDate(data.asOf)),
  ];
  return workbook(data.generatedAt, [
    sheet({
      name: m.sheets.summary,
      title,
      columns: figureColumns(m.summaryColumns),
      rows: directiveFigures(data.rows),
    }),
    sheet({
      name: m.sheets.directiveRecipients,
      columns: recipientColumns(data.timezone),
      rows: data.rows.map((r, i) => ({ ...r, index: i + 1 })),
    }),
  ]);
}
