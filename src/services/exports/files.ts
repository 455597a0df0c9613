/** The files each export sends: the workbooks (and the congress PDF), named and captioned. */
import { formatTerm } from '../../domain/congress/campaign.js';
import { formatYearMonth } from '../../domain/meetings/calendar.js';
import { formatVnDate } from '../../domain/vn.js';
// The workbook and PDF writers (exceljs, pdfkit) load on the first export, not at start: they
// are most of the bot's memory and start-up time, and most processes never export.
import type { BadgesExportData } from '../../exports/badgesWorkbook.js';
import type { CongressExportData } from '../../exports/congressWorkbook.js';
import type { DirectiveExportData } from '../../exports/directiveWorkbook.js';
import type { MeetingsExportData } from '../../exports/meetingsWorkbook.js';
import { msg } from '../../messages/index.js';
import { type ExportFile, PDF_MIME, XLSX_MIME } from './types.js';

const m = msg.exports;

/** The congress workbook and its printable PDF. */
export async function congressFiles(d: CongressExportData): Promise<ExportFile[]> {
  const [{ congressWorkbook }, { congressPdf }] = await Promise.all([
    import('../../exports/congressWorkbook.js'),
    import('../../exports/congressPdf.js'),
  ]);
  const [xlsx, pdf] = await Promise.all([congressWorkbook(d), congressPdf(d)]);
  const term = formatTerm(d.campaign.term);
  return [
    {
      filename: m.files.congressXlsx(d.unit.code, d.asOf),
      mimeType: XLSX_MIME,
      content: xlsx,
      caption: m.captions.congressXlsx(d.unit.name, term),
    },
    {
      filename: m.files.congressPdf(d.unit.code, d.asOf),
      mimeType: PDF_MIME,
      content: pdf,
      caption: m.captions.congressPdf(d.unit.name, term),
    },
  ];
}

/** The meeting workbook of a month. */
export async function meetingsFiles(d: MeetingsExportData): Promise<ExportFile[]> {
  const { meetingsWorkbook } = await import('../../exports/meetingsWorkbook.js');
  return [
    {
      filename: m.files.meetingsXlsx(d.unit.code, d.month),
      mimeType: XLSX_MIME,
      content: await meetingsWorkbook(d),
      caption: m.captions.meetings(d.unit.name, formatYearMonth(d.month)),
    },
  ];
}

/** The receipts workbook of a directive. */
export async function directiveFiles(d: DirectiveExportData): Promise<ExportFile[]> {
  const { directiveWorkbook } = await import('../../exports/directiveWorkbook.js');
  return [
    {
      filename: m.files.directiveXlsx(d.directive.id),
      mimeType: XLSX_MIME,
      content: await directiveWorkbook(d),
      caption: m.captions.directive(d.directive.title),
    },
  ];
}

/** The list of members proposed for Huy hiệu Đảng at an occasion. */
export async function badgesFiles(d: BadgesExportData): Promise<ExportFile[]> {
  const { occasion, scope } = d.list;
  const { badgesWorkbook } = await import('../../exports/badgesWorkbook.js');
  return [
    {
      filename: msg.members.badges.filename(scope.code, occasion),
      mimeType: XLSX_MIME,
      content: await badgesWorkbook(d),
      caption: msg.members.badges.caption(scope.name, formatVnDate(occasion)),
    },
  ];
}
