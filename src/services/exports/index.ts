/**
 * Exports: the congress round, a month of meetings and a directive's receipts as Excel
 * workbooks, and the congress round as a printable one-page PDF. Chat users (/xuat) are
 * scope-checked: admins export from the root, leaders their own subtree; secretaries and
 * people without a role are refused. The CLI (`'cli'`) may export anything.
 *
 * The figures come from the same places as the chat summaries: the congress counters /tiendo
 * reads and the meeting compliance /sinhhoat_tiendo computes. The rows come from each branch's
 * stored report, read a few hundred at a time.
 */
export { type ExportAction, type ExportPress, exportActions } from './actions.js';
export { ExportService } from './service.js';
export {
  type ExportFile,
  type ExportMenu,
  type ExportOption,
  type ExportOutcome,
  type ExportServiceDeps,
  PDF_MIME,
  XLSX_MIME,
} from './types.js';
