/**
 * CSV as committee offices send it and read it back: RFC 4180 reading with Excel's habits
 * (a BOM or not, comma or semicolon, a "sep=" line, CRLF), header matching that ignores case,
 * diacritics and underscores, and writing with cells guarded against formula injection. Shared by
 * the unit file and the member register file. Pure: no messages, no I/O.
 */
import { formulaSafe } from './spreadsheetText.js';
import { foldVietnamese } from './vn.js';

/** One CSV record and the physical line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** `;` when the header line has more semicolons than commas (Excel in a Vietnamese locale). */
export function detectSeparator(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let inQuotes = false;
  let sawContent = false;
  for (const c of text) {
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) {
      if (sawContent) break;
    } else if (!inQuotes && c === ',') commas++;
    else if (!inQuotes && c === ';') semicolons++;
    if (c.trim() !== '') sawContent = true;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * Splits CSV text into records: quoted fields may hold separators, newlines and doubled quotes;
 * CRLF, LF or CR end a line; a leading BOM is dropped; records whose fields are all blank are
 * skipped. `unterminatedAt` is the line of a quote never closed (the rest of the text is lost).
 */
export function parseCsv(
  input: string,
  separator: ',' | ';' = detectSeparator(input.replace(/^\uFEFF/, '')),
): { records: CsvRecord[]; unterminatedAt?: number } {
  const text = input.replace(/^\uFEFF/, '');
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let fieldStart = true;
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  const endRecord = () => {
    fields.push(field);
    if (fields.some((f) => f.trim() !== '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldStart = true;
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else if (c === '\r' || c === '\n') {
        if (c === '\r' && text[i + 1] === '\n') i++;
        field += '\n';
        line++;
      } else field += c;
      continue;
    }
    if (c === '"' && fieldStart) {
      inQuotes = true;
      fieldStart = false;
    } else if (c === separator) {
      fields.push(field);
      field = '';
      fieldStart = true;
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      // Spaces before an opening quote do not make the quote literal: ` "a,b"` is `a,b`.
      if (!(fieldStart && (c === ' ' || c === '\t'))) fieldStart = false;
      field += c;
    }
  }
  if (inQuotes) return { records, unterminatedAt: recordLine };
  endRecord();
  return { records };
}

/**
 * A whole file as spreadsheets write it: Excel may start it with "sep=;" (honoured, and kept as
 * a blank line so line numbers hold), otherwise the separator is detected from the header.
 */
export function readCsv(text: string): { records: CsvRecord[]; unterminatedAt?: number } {
  let body = text;
  const sepLine = /^\uFEFF?sep=([,;])[ \t]*(?=\r|\n|$)/i.exec(body);
  if (sepLine) body = body.slice(sepLine[0].length);
  const separator = (sepLine?.[1] as ',' | ';' | undefined) ?? detectSeparator(body.replace(/^\uFEFF/, ''));
  return parseCsv(body, separator);
}

/** Bytes -> text, or undefined when they are not UTF-8 (e.g. a Windows-1258 export). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A header cell as matched against known column names: no case, no diacritics, underscores as
 * spaces, punctuation dropped. "Ngày vào Đảng", "ngay_vao_dang" and "NGAY VAO DANG" agree.
 */
export function headerKey(text: string): string {
  return foldVietnamese(text.replace(/_/g, ' '))
    .replace(/[^a-z0-9 ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** How far down the header row may be (below title rows such as "DANH SÁCH ĐẢNG VIÊN"). */
export const HEADER_SEARCH_ROWS = 5;

/**
 * The index of the header among the opening records: the first that `isHeader` accepts, or 0.
 * Spreadsheets often carry a title row above the header.
 */
export function findHeader(records: readonly CsvRecord[], isHeader: (r: CsvRecord) => boolean): number {
  return Math.max(0, records.slice(0, HEADER_SEARCH_ROWS).findIndex(isHeader));
}

// ---------------------------------------------------------------------------------------------
// Writing

/** The one formula guard (`spreadsheetText.ts`), here too for the CSV writers' convenience. */
export { formulaSafe };

/** What makes a field need quotes: its separator, a quote, a newline, or spaces at either end. */
const NEEDS_QUOTES = { ',': /[",\r\n]|^\s|\s$/, ';': /[";\r\n]|^\s|\s$/ } as const;

/**
 * One field as written: made formula-safe (the file is opened in Excel), then quoted when it
 * holds a separator, a quote, a newline or edge spaces (RFC 4180).
 */
export function csvField(value: string, separator: ',' | ';' = ','): string {
  const safe = formulaSafe(value);
  return NEEDS_QUOTES[separator].test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows -> CSV text with CRLF line ends (what Excel and RFC 4180 expect); every CSV the bot writes goes through here. */
export function toCsv(rows: readonly (readonly string[])[], separator: ',' | ';' = ','): string {
  return rows.map((row) => row.map((f) => csvField(f, separator)).join(separator)).join('\r\n') + '\r\n';
}

/** Excel needs a BOM to read a CSV file as UTF-8; prepend it for files people open in Excel. */
export const CSV_BOM = '\uFEFF';
