/**
 * The printable one-page summary of a congress round for a scope, laid out like a committee's
 * report: the unit and the party header, the title, the upward-report paragraph of /tiendo,
 * the progress lines and a compact table per unit right under the scope. DejaVu Sans is
 * embedded, so Vietnamese prints (and copies out of the PDF) with its diacritics.
 *
 * It always fits one A4 page: when there are more units than rows fit, the last row sums the
 * rest ("Các đơn vị khác (N)").
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { formatTerm } from '../domain/congress/campaign.js';
import { DECISIONS_SHOWN, tallyDecisions } from '../domain/congress/decision.js';
import { addCounters, type Counters, emptyCounters } from '../domain/congress/stats.js';
import { dayjs, formatNumber, formatPercent, formatRatio, formatVnDate } from '../domain/vn.js';
import { exports as m } from '../messages/exports.js';
import { msg } from '../messages/index.js';
import { type CongressChildRow, type CongressExportData, congressParagraph } from './congressWorkbook.js';

const require = createRequire(import.meta.url);
const FONT = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

const MARGIN = { top: 42, bottom: 42, left: 56, right: 48 };
const PAGE = { width: 595.28, height: 841.89 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const TABLE_FONT_SIZE = 8.5;
const CELL_PAD = 3;

interface TableColumn {
  header: string;
  width: number;
  cell: (r: CongressChildRow) => string;
}

/** The figure columns of the table, narrow and centred. */
const FIGURE_COLUMNS: TableColumn[] = [
  { header: m.childColumns.branches, width: 42, cell: (r) => formatNumber(r.branches) },
  { header: m.childColumns.held, width: 44, cell: (r) => formatNumber(r.counters.held) },
  { header: m.childColumns.heldShare, width: 44, cell: (r) => formatPercent(r.counters.held, r.branches) },
  { header: m.childColumns.registeredOnly, width: 48, cell: (r) => formatNumber(r.counters.registeredOnly) },
  { header: m.childColumns.elected, width: 52, cell: (r) => formatNumber(r.counters.elected) },
  { header: m.childColumns.women, width: 32, cell: (r) => formatNumber(r.counters.women) },
  { header: m.childColumns.young, width: 32, cell: (r) => formatNumber(r.counters.young) },
  { header: m.childColumns.approved, width: 44, cell: (r) => formatNumber(r.counters.approved) },
];

/** The unit name first, taking the width the figures leave. */
const TABLE_COLUMNS: TableColumn[] = [
  {
    header: m.childColumns.name,
    width: CONTENT_WIDTH - FIGURE_COLUMNS.reduce((sum, col) => sum + col.width, 0),
    cell: (r) => r.name,
  },
  ...FIGURE_COLUMNS,
];

/** The units to list within `maxRows` rows: the first ones, then one row summing the rest. */
export function fitRows(children: readonly CongressChildRow[], maxRows: number): CongressChildRow[] {
  if (children.length <= maxRows) return [...children];
  const shown = children.slice(0, Math.max(0, maxRows - 1));
  const rest = children.slice(shown.length);
  const counters = rest.reduce<Counters>((sum, r) => addCounters(sum, r.counters), emptyCounters());
  const branches = rest.reduce((sum, r) => sum + r.branches, 0);
  return [...shown, { code: '', name: m.pdf.otherUnits(formatNumber(rest.length)), branches, counters }];
}

/** The PDF's bytes. */
export function congressPdf(data: CongressExportData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    autoFirstPage: true,
    info: {
      Title: `${m.title.congress} – ${data.unit.name}`,
      Author: data.unit.name,
      Creator: 'chibo-bot',
      CreationDate: new Date(data.generatedAt),
    },
  });
  doc.registerFont('regular', FONT.regular);
  doc.registerFont('bold', FONT.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  header(doc, data);
  body(doc, data);
  table(doc, data);
  footer(doc, data);
  doc.end();
  return done;
}

/** The unit on the left, the party header and the date on the right, then the title. */
function header(doc: PDFKit.PDFDocument, data: CongressExportData): void {
  const top = MARGIN.top;
  const half = CONTENT_WIDTH / 2 - 8;
  const right = MARGIN.left + CONTENT_WIDTH / 2 + 8;
  let y = top;
  if (data.parentName) {
    doc.font('regular').fontSize(10).text(data.parentName.toUpperCase(), MARGIN.left, y, {
      width: half,
      align: 'center',
    });
    y = doc.y;
  }
  doc
    .font('bold')
    .fontSize(10)
    .text(data.unit.name.toUpperCase(), MARGIN.left, y, { width: half, align: 'center' });
  const leftBottom = doc.y;

  doc
    .font('bold')
    .fontSize(10.5)
    .text(m.pdf.party, right, top, { width: half, align: 'center', underline: true });
  const [year, month, day] = data.asOf.split('-').map(Number);
  doc
    .font('regular')
    .fontSize(10)
    .text(capitalise(m.pdf.dateLine(day ?? 0, month ?? 0, year ?? 0)), right, doc.y + 6, {
      width: half,
      align: 'center',
    });

  const term = formatTerm(data.campaign.term);
  doc.y = Math.max(leftBottom, doc.y) + 18;
  doc
    .font('bold')
    .fontSize(14)
    .text(m.title.congress, MARGIN.left, doc.y, { width: CONTENT_WIDTH, align: 'center' });
  doc
    .font('regular')
    .fontSize(10.5)
    .text(m.pdf.round(data.campaign.name, term), { width: CONTENT_WIDTH, align: 'center' })
    .text(m.title.asOf(formatVnDate(data.asOf)), { width: CONTENT_WIDTH, align: 'center' });
  doc.moveDown(1);
}

/** The upward-report paragraph of /tiendo, then where the round stands. */
function body(doc: PDFKit.PDFDocument, data: CongressExportData): void {
  const t = data.totals;
  const opts = { width: CONTENT_WIDTH, align: 'justify' as const, paragraphGap: 3 };
  doc.font('bold').fontSize(11).text(m.pdf.statsHeader, MARGIN.left, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(11).text(congressParagraph(data).join(' '), MARGIN.left, doc.y, opts);
  doc.moveDown(0.6);

  const p = m.pdf.progressLine;
  const notRegistered = Math.max(0, data.totalBranches - t.held - t.registeredOnly);
  const decisions = tallyDecisions(data.branches.map((b) => b.record?.approved));
  const lines = [
    p.registeredOnly(formatNumber(t.registeredOnly)),
    p.notRegistered(formatNumber(notRegistered)),
    p.approved(formatRatio(t.approved, t.held), formatPercent(t.approved, t.held)),
    msg.congressOffice.decision.latest(decisions.slice(0, DECISIONS_SHOWN), decisions.length),
    p.late(formatNumber(t.late)),
    p.deadline(formatVnDate(data.campaign.deadline)),
  ].filter((line): line is string => line !== undefined);
  doc.font('bold').fontSize(11).text(m.pdf.progressHeader, MARGIN.left, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(10.5);
  for (const line of lines) doc.text(`- ${line}`, MARGIN.left + 10, doc.y, { width: CONTENT_WIDTH - 10 });
  doc.moveDown(0.8);
}

/** Row height of a table row whose cells hold these texts. */
function rowHeight(doc: PDFKit.PDFDocument, cells: readonly string[], fontName: string): number {
  doc.font(fontName).fontSize(TABLE_FONT_SIZE);
  const heights = cells.map((text, i) =>
    doc.heightOfString(text, { width: (TABLE_COLUMNS[i]?.width ?? 40) - 2 * CELL_PAD }),
  );
  return Math.max(...heights) + 2 * CELL_PAD;
}

function drawRow(
  doc: PDFKit.PDFDocument,
  y: number,
  cells: readonly string[],
  height: number,
  fontName: string,
) {
  let x = MARGIN.left;
  doc.font(fontName).fontSize(TABLE_FONT_SIZE).lineWidth(0.5);
  cells.forEach((text, i) => {
    const width = TABLE_COLUMNS[i]?.width ?? 40;
    doc.rect(x, y, width, height).stroke();
    doc.text(text, x + CELL_PAD, y + CELL_PAD, {
      width: width - 2 * CELL_PAD,
      align: i === 0 ? 'left' : 'center',
      lineBreak: true,
    });
    x += width;
  });
}

const FOOTER_SPACE = 30;

/** One row per unit right under the scope (or the scope itself when it has none), and the total. */
function table(doc: PDFKit.PDFDocument, data: CongressExportData): void {
  const own: CongressChildRow = {
    code: data.unit.code,
    name: data.unit.name,
    branches: data.totalBranches,
    counters: data.totals,
  };
  const children = data.children.length > 0 ? data.children : [own];
  doc.font('bold').fontSize(11).text(m.pdf.tableHeader, MARGIN.left, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.4);

  const headerCells = TABLE_COLUMNS.map((c) => c.header);
  const headerHeight = rowHeight(doc, headerCells, 'bold');
  const totalCells = TABLE_COLUMNS.map((c, i) => (i === 0 ? m.pdf.totalRow : c.cell(own)));
  const totalHeight = rowHeight(doc, totalCells, 'bold');
  const oneLine = rowHeight(doc, ['X'], 'regular');
  const bottom = PAGE.height - MARGIN.bottom - FOOTER_SPACE;
  const room = bottom - doc.y - headerHeight - (data.children.length > 0 ? totalHeight : 0);
  // Long names wrap; measure the rows that would be shown rather than assume one line each.
  let rows = fitRows(children, Math.max(1, Math.floor(room / oneLine)));
  const cells = (r: CongressChildRow) => TABLE_COLUMNS.map((c) => c.cell(r));
  let heights = rows.map((r) => rowHeight(doc, cells(r), 'regular'));
  while (rows.length > 1 && heights.reduce((a, b) => a + b, 0) > room) {
    rows = fitRows(children, rows.length - 1);
    heights = rows.map((r) => rowHeight(doc, cells(r), 'regular'));
  }

  let y = doc.y;
  drawRow(doc, y, headerCells, headerHeight, 'bold');
  y += headerHeight;
  rows.forEach((r, i) => {
    const h = heights[i] ?? oneLine;
    drawRow(doc, y, cells(r), h, 'regular');
    y += h;
  });
  if (data.children.length > 0) {
    drawRow(doc, y, totalCells, totalHeight, 'bold');
    y += totalHeight;
  }
  doc.x = MARGIN.left;
  doc.y = y;
}

function footer(doc: PDFKit.PDFDocument, data: CongressExportData): void {
  const when = dayjs(data.generatedAt).tz(data.timezone).format('HH:mm DD/MM/YYYY');
  doc
    .font('regular')
    .fontSize(8)
    .fillColor('#555555')
    .text(m.pdf.generated(when), MARGIN.left, PAGE.height - MARGIN.bottom - 14, {
      width: CONTENT_WIDTH,
      align: 'left',
      lineBreak: false,
    });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
