/**
 * What every export workbook shares: text that can never turn into a formula, typed columns
 * (numbers as numbers, dates as real Excel dates), a bold frozen header row with a filter,
 * column widths from the content, and the number formats a Vietnamese reader expects.
 *
 * A workbook is described as sheets (title lines, a table, note lines) and written by exceljs's
 * streaming writer, row by row: a province of 20,000 branches takes seconds and little memory,
 * where the in-memory workbook took most of a gigabyte.
 *
 * Spreadsheet formula injection: a cell whose text starts with `=`, `+`, `-`, `@`, tab or CR is
 * taken for a formula by Excel and LibreOffice once someone edits it, or once the sheet travels
 * as CSV. Every text cell goes through `safeText`, which puts an apostrophe in front of such text
 * (OWASP's advice), and is written as a plain string value, never as a formula object.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { formulaSafe } from '../domain/csv.js';
import type { IsoDate } from '../domain/vn.js';

/** Characters XML 1.0 cannot carry: a workbook holding one would not open. */
const XML_INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Excel keeps at most this many characters in a cell. */
export const CELL_TEXT_MAX = 32_767;

/**
 * Text from users or imports made safe for a cell: characters XML cannot hold removed, cut to
 * Excel's limit, and an apostrophe in front when it would start a formula.
 */
export function safeText(text: string): string {
  const clean = text.replace(XML_INVALID, '');
  const quoted = formulaSafe(clean);
  return quoted.length > CELL_TEXT_MAX ? quoted.slice(0, CELL_TEXT_MAX) : quoted;
}

/** Number formats; Excel and LibreOffice show them with the reader's separators (1.349; 73,24%). */
export const NUMBER_FORMAT = {
  integer: '#,##0',
  percent: '0.00%',
  date: 'dd/mm/yyyy',
  dateTime: 'dd/mm/yyyy hh:mm',
  time: 'hh:mm',
} as const;

/**
 * How a column's values are written:
 * - `text`: a string, made safe by `safeText`;
 * - `integer`: a number (`#,##0`);
 * - `percent`: a ratio (0.7324 shows as 73,24%);
 * - `date` / `dateTime`: a `Date` whose UTC fields are the wall-clock date (and time) to show;
 * - `time`: minutes since midnight, written as Excel's fraction of a day.
 */
export type ColumnKind = 'text' | 'integer' | 'percent' | 'date' | 'dateTime' | 'time';

export type CellValue = string | number | Date | undefined;

/** One column of a table: its header, how its cells are written, and how a row fills it. */
export interface Column<R> {
  header: string;
  kind: ColumnKind;
  value: (row: R) => CellValue;
  /** Fixed width in characters; otherwise measured from the header and the content. */
  width?: number;
  /** Longest width a measured column may take (long texts wrap instead). @defaultValue 45 */
  maxWidth?: number;
}

const MIN_WIDTH = 6;
const DEFAULT_MAX_WIDTH = 45;
/** Rows measured for widths: enough to be representative, cheap for 50,000 branches. */
const MEASURE_ROWS = 2000;

/** A calendar date as Excel stores it (midnight, no time zone). */
export function excelDate(date: IsoDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as the wall-clock date and time in `timezone`, which is what a reader expects to
 * see. (One cached Intl formatter per zone: dayjs's zone conversion costs far more per row.)
 */
export function excelDateTime(instantMs: number, timezone: string): Date {
  let f = wallClocks.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallClocks.set(timezone, f);
  }
  const p = Object.fromEntries(f.formatToParts(instantMs).map((x) => [x.type, x.value]));
  return new Date(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}Z`);
}

/**
 * A share as stored in percent cells: part/whole rounded half-up to hundredths of a percent,
 * exactly as `formatPercent` rounds it, so a cell shows the figure of the chat summaries.
 * Undefined (an empty cell) when the whole is zero.
 */
export function shareValue(part: number, whole: number): number | undefined {
  if (whole <= 0) return undefined;
  return Math.floor((part * 20000 + whole) / (2 * whole)) / 10000;
}

/** Excel's rules for sheet names: at most 31 characters, none of `[]:*?/\`. */
export function sheetName(name: string): string {
  return name
    .replace(/[[\]:*?/\\]/g, ' ')
    .slice(0, 31)
    .trim();
}

/** One style object per kind, shared by every cell of that kind rather than built per cell. */
const CELL_STYLES: Record<ColumnKind, Partial<ExcelJS.Style>> = {
  text: { alignment: { vertical: 'top', wrapText: true } },
  integer: { numFmt: NUMBER_FORMAT.integer, alignment: { vertical: 'top' } },
  percent: { numFmt: NUMBER_FORMAT.percent, alignment: { vertical: 'top' } },
  date: { numFmt: NUMBER_FORMAT.date, alignment: { vertical: 'top' } },
  dateTime: { numFmt: NUMBER_FORMAT.dateTime, alignment: { vertical: 'top' } },
  time: { numFmt: NUMBER_FORMAT.time, alignment: { vertical: 'top' } },
};

/** The value a cell of this kind holds, or undefined for an empty cell. */
function cellValue(kind: ColumnKind, value: CellValue): string | number | Date | undefined {
  if (value === undefined || value === '') return undefined;
  switch (kind) {
    case 'text':
      return safeText(String(value));
    case 'integer':
    case 'percent':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'date':
    case 'dateTime':
      return value instanceof Date && !Number.isNaN(value.getTime()) ? value : undefined;
    case 'time':
      return typeof value === 'number' ? value / 1440 : undefined;
  }
}

/** Characters a value takes on screen, for the column width. */
function displayWidth(kind: ColumnKind, value: CellValue): number {
  if (value === undefined) return 0;
  switch (kind) {
    case 'integer':
      return typeof value === 'number' ? Math.round(value).toLocaleString('en').length : 0;
    case 'percent':
      return 8;
    case 'date':
      return 10;
    case 'dateTime':
      return 16;
    case 'time':
      return 5;
    case 'text':
      return Math.max(
        ...String(value)
          .split('\n')
          .map((l) => l.length),
      );
  }
}

/** Lines `text` takes when wrapped at word boundaries into `width` characters. */
function wrappedLines(text: string, width: number): number {
  let lines = 1;
  let used = 0;
  for (const word of text.split(/\s+/)) {
    if (used > 0 && used + 1 + word.length > width) {
      lines++;
      used = word.length;
    } else used += (used > 0 ? 1 : 0) + word.length;
  }
  return lines;
}

/** One line of a summary sheet: a count, out of a total where it has one. */
export interface Figure {
  label: string;
  count: number;
  /** The denominator, when the figure is a share of something. */
  of?: number;
}

/** The columns of a summary sheet: item, count, out of, share (a percent cell). */
export function figureColumns(headers: {
  item: string;
  count: string;
  of: string;
  share: string;
}): Column<Figure>[] {
  return [
    { header: headers.item, kind: 'text', value: (f) => f.label, maxWidth: 60 },
    { header: headers.count, kind: 'integer', value: (f) => f.count },
    { header: headers.of, kind: 'integer', value: (f) => f.of },
    {
      header: headers.share,
      kind: 'percent',
      value: (f) => (f.of === undefined ? undefined : shareValue(f.count, f.of)),
    },
  ];
}

/** A sheet: title lines, then a table (its header frozen), then note lines. */
export interface SheetSpec<R> {
  /** Shown on the tab; made to fit Excel's rules by `sheetName`. */
  name: string;
  /** Lines above the table, each across the table's width; the first bold. */
  title?: readonly string[];
  columns: readonly Column<R>[];
  rows: readonly R[];
  /** Lines below the table, wrapped across its width. */
  notes?: readonly string[];
}

/** A sheet of any row type, as `workbook` takes it. */
export interface AnySheet {
  spec: SheetSpec<unknown>;
}

/** Keeps a sheet's row type checked where it is built, then lets sheets of different rows share a list. */
export function sheet<R>(spec: SheetSpec<R>): AnySheet {
  return { spec: spec as unknown as SheetSpec<unknown> };
}

const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  alignment: { vertical: 'middle', horizontal: 'center', wrapText: true },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } },
  border: { bottom: { style: 'thin' } },
};
const TITLE_STYLE: Partial<ExcelJS.Style> = { font: { bold: true, size: 13 } };
const SUBTITLE_STYLE: Partial<ExcelJS.Style> = { font: { italic: true } };
const NOTE_STYLE: Partial<ExcelJS.Style> = { alignment: { vertical: 'top', wrapText: true } };

/** Characters of width a portrait A4 page holds at 100%, and the most worth shrinking onto one. */
const PORTRAIT_WIDTH = 95;
const FIT_WIDTH_MAX = 230;
/** Characters of a note line per printed line, for its row height. */
const NOTE_LINE_CHARS = 90;

/** Column widths: the header's words (wrapped on about three lines) and the content measured. */
function columnWidths<R>(columns: readonly Column<R>[], values: readonly CellValue[][]): number[] {
  return columns.map((c, i) => {
    if (c.width !== undefined) return c.width;
    let width = Math.max(
      MIN_WIDTH,
      ...c.header.split(/\s+/).map((w) => w.length + 2),
      Math.ceil(c.header.length / 3) + 2,
    );
    for (const row of values.slice(0, MEASURE_ROWS))
      width = Math.max(width, displayWidth(c.kind, row[i]) + 2);
    return Math.min(width, c.maxWidth ?? DEFAULT_MAX_WIDTH);
  });
}

/**
 * Printing: A4, landscape when the columns are wider than a portrait page, shrunk to the page
 * width when that keeps the text readable, the header row repeated on every page.
 */
function pageSetup(totalWidth: number, headerRow: number): Partial<ExcelJS.PageSetup> {
  const fit = totalWidth <= FIT_WIDTH_MAX;
  return {
    paperSize: 9,
    orientation: totalWidth > PORTRAIT_WIDTH ? 'landscape' : 'portrait',
    fitToPage: fit,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${headerRow}:${headerRow}`,
  };
}

/** Writes one sheet, row by row, committing each row as it goes. */
function writeSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, spec: SheetSpec<unknown>): void {
  const { columns } = spec;
  const title = spec.title ?? [];
  const span = Math.max(1, columns.length);
  const headerRow = title.length > 0 ? title.length + 2 : 1;
  // Every value is computed once: the widths need them before the first row is written.
  const values = spec.rows.map((row) => columns.map((c) => cellValue(c.kind, c.value(row))));
  const widths = columnWidths(columns, values);
  const ws = wb.addWorksheet(sheetName(spec.name), {
    views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}` }],
    pageSetup: pageSetup(
      widths.reduce((a, b) => a + b, 0),
      headerRow,
    ),
  });
  ws.columns = widths.map((width) => ({ width }));

  title.forEach((line, i) => {
    const row = ws.getRow(i + 1);
    const cell = row.getCell(1);
    cell.value = safeText(line);
    cell.style = i === 0 ? TITLE_STYLE : SUBTITLE_STYLE;
    if (span > 1) ws.mergeCells(i + 1, 1, i + 1, span);
    row.commit();
  });

  const header = ws.getRow(headerRow);
  let headerLines = 1;
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = safeText(c.header);
    cell.style = HEADER_STYLE;
    headerLines = Math.max(headerLines, wrappedLines(c.header, (widths[i] ?? MIN_WIDTH) - 1));
  });
  // Readers do not always grow a row for wrapped text; give the header its height.
  header.height = 15 * headerLines;
  header.commit();

  values.forEach((cells, r) => {
    const row = ws.getRow(headerRow + 1 + r);
    cells.forEach((v, i) => {
      if (v === undefined) return;
      const cell = row.getCell(i + 1);
      cell.value = v;
      cell.style = CELL_STYLES[columns[i]!.kind];
    });
    row.commit();
  });

  const notesFrom = headerRow + values.length + 2;
  (spec.notes ?? []).forEach((line, i) => {
    const row = ws.getRow(notesFrom + i);
    const cell = row.getCell(1);
    cell.value = safeText(line);
    cell.style = NOTE_STYLE;
    if (span > 1) ws.mergeCells(notesFrom + i, 1, notesFrom + i, span);
    // A merged wrapped cell does not grow by itself: give long lines room.
    row.height = 15 * Math.max(1, Math.ceil(line.length / NOTE_LINE_CHARS));
    row.commit();
  });

  if (columns.length > 0) {
    ws.autoFilter = {
      from: { row: headerRow, column: 1 },
      to: { row: headerRow + Math.max(values.length, 1), column: columns.length },
    };
  }
  ws.commit();
}

/** The sheets as the bytes of an .xlsx file; `now` is when it was made. */
export async function workbook(now: number, sheets: readonly AnySheet[]): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  // The writer resolves when the zip has finished writing; the last chunks are read after that.
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = 'chibo-bot';
  wb.created = new Date(now);
  wb.modified = new Date(now);
  for (const s of sheets) writeSheet(wb, s.spec);
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}
