/**
 * The member register file an admin imports: one row per đảng viên, columns named in English or
 * Vietnamese in any order, dates as DD/MM/YYYY. Either every row is good and the import goes
 * ahead, or every bad row is listed by its line, as codes the message catalogue words.
 *
 * What the file alone can tell is checked here (cells, dates, units, duplicates within the
 * file); what needs the register (a card held by a closed member, say) is checked by the store
 * with the same error shape.
 */
import { type CsvRecord, decodeUtf8, findHeader, HEADER_SEARCH_ROWS, headerKey, readCsv } from '../csv.js';
import { type IsoDate, parseVnDate, parseWholeNumber } from '../vn.js';
import {
  type ClosingKind,
  cardKey,
  dateProblems,
  ETHNICITY_MAX,
  INTERRUPTED_MAX,
  type MemberDateField,
  type MemberInput,
  nameProblem,
  normaliseText,
  parseCardNumber,
  parseGender,
  personKey,
} from './member.js';

/** The file's columns, by the member field they fill; `unit` is the branch code. */
export const MEMBER_COLUMNS = [
  'unit',
  'fullName',
  'birthDate',
  'gender',
  'ethnicity',
  'joined',
  'officialSince',
  'cardNumber',
  'interruptedMonths',
] as const;
export type MemberColumn = (typeof MEMBER_COLUMNS)[number];

/** The headers a column may carry: English, then Vietnamese. */
export const MEMBER_HEADERS: Record<MemberColumn, readonly [string, string]> = {
  unit: ['unit_code', 'Mã chi bộ'],
  fullName: ['full_name', 'Họ và tên'],
  birthDate: ['birth_date', 'Ngày sinh'],
  gender: ['gender', 'Giới tính'],
  ethnicity: ['ethnicity', 'Dân tộc'],
  joined: ['joined', 'Ngày vào Đảng'],
  officialSince: ['official_since', 'Ngày chính thức'],
  cardNumber: ['card_no', 'Số thẻ đảng viên'],
  interruptedMonths: ['interrupted_months', 'Số tháng gián đoạn'],
};

/** Columns a file may leave out: the card number and the interrupted months (0). */
const OPTIONAL_COLUMNS: readonly MemberColumn[] = ['cardNumber', 'interruptedMonths'];
export const REQUIRED_MEMBER_COLUMNS = MEMBER_COLUMNS.filter((c) => !OPTIONAL_COLUMNS.includes(c));

const headerLookup = new Map<string, MemberColumn>();
for (const column of MEMBER_COLUMNS) {
  for (const header of MEMBER_HEADERS[column]) headerLookup.set(headerKey(header), column);
}

export type MemberCsvProblem =
  // the file
  | 'not_utf8'
  | 'empty_file'
  | 'no_rows'
  | 'missing_columns'
  | 'duplicate_column'
  | 'unterminated_quote'
  // a row's cells
  | 'too_many_fields'
  | 'missing_value'
  | 'invalid_date'
  | 'invalid_gender'
  | 'invalid_name'
  | 'name_too_long'
  | 'invalid_ethnicity'
  | 'invalid_card'
  | 'invalid_months'
  | 'unknown_unit'
  | 'not_branch'
  // a row's dates together
  | 'future_date'
  | 'joined_before_birth'
  | 'joined_before_party'
  | 'official_before_joined'
  | 'interrupted_too_long'
  // rows together
  | 'duplicate_card'
  | 'duplicate_person'
  // rows against the register (found by the store)
  | 'closed_member'
  | 'card_conflict'
  | 'same_member';

export interface MemberCsvError {
  /** 1-based physical line where the row starts; 0 for the file as a whole. */
  line: number;
  problem: MemberCsvProblem;
  column?: MemberColumn;
  /** The cell as the file has it, for the message to quote. */
  value?: string;
  /** Missing columns. */
  columns?: MemberColumn[];
  /** The earlier line a duplicate repeats (or whose member it matches again). */
  firstLine?: number;
  /** `interrupted_too_long`: the months since admission. */
  months?: number;
  /** `closed_member`: how and when the membership ended. */
  closing?: { kind: ClosingKind; date: IsoDate };
  /** `card_conflict`: the card the register holds for the same person. */
  card?: string;
}

/** A good row: the member it describes and its line, for errors found later. */
export interface MemberRow {
  line: number;
  member: MemberInput;
}

export type MemberCsvResult = { ok: true; rows: MemberRow[] } | { ok: false; errors: MemberCsvError[] };

/** What the file's unit codes are: a branch that can hold members, another unit, or nothing. */
export type BranchLookup = (code: string) => 'branch' | 'not_branch' | 'unknown';

function sortErrors(errors: MemberCsvError[]): MemberCsvError[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.line - b.e.line || a.i - b.i)
    .map(({ e }) => e);
}

/** A member file read as far as its header: which column is where, and the rows below. */
export interface MemberTable {
  columnAt: ReadonlyMap<MemberColumn, number>;
  width: number;
  rows: CsvRecord[];
  /** The line of a quote never closed (the rows after it are lost). */
  unterminatedAt?: number;
}

/** Reads a member file up to its rows: refused when it is not UTF-8, empty, or its header is wrong. */
export function readMemberCsv(
  input: string | Uint8Array,
): { ok: true; table: MemberTable } | { ok: false; errors: MemberCsvError[] } {
  const text = typeof input === 'string' ? input : decodeUtf8(input);
  if (text === undefined) return { ok: false, errors: [{ line: 0, problem: 'not_utf8' }] };
  const { records, unterminatedAt } = readCsv(text);
  const errors: MemberCsvError[] = [];
  if (unterminatedAt !== undefined) errors.push({ line: unterminatedAt, problem: 'unterminated_quote' });

  const headerAt = findHeader(records, (r) =>
    r.fields.some((f) => headerLookup.get(headerKey(f)) === 'unit'),
  );
  const header = records[headerAt];
  if (!header)
    return { ok: false, errors: errors.length > 0 ? errors : [{ line: 0, problem: 'empty_file' }] };

  const columnAt = new Map<MemberColumn, number>();
  for (const [i, raw] of header.fields.entries()) {
    const column = headerLookup.get(headerKey(raw));
    if (!column) continue; // extra columns (notes, STT) are ignored
    if (columnAt.has(column)) {
      errors.push({ line: header.line, problem: 'duplicate_column', column, value: raw.trim() });
    } else columnAt.set(column, i);
  }
  const missing = REQUIRED_MEMBER_COLUMNS.filter((c) => !columnAt.has(c));
  if (missing.length > 0) errors.push({ line: header.line, problem: 'missing_columns', columns: missing });
  if (errors.some((e) => e.line === header.line)) return { ok: false, errors: sortErrors(errors) };
  if (records.length === headerAt + 1 && unterminatedAt === undefined) {
    return { ok: false, errors: [{ line: header.line, problem: 'no_rows' }] };
  }
  return {
    ok: true,
    table: {
      columnAt,
      width: header.fields.length,
      rows: records.slice(headerAt + 1),
      ...(unterminatedAt !== undefined ? { unterminatedAt } : {}),
    },
  };
}

/**
 * True when a file's opening lines hold a member register header: a branch code column and a
 * name column (a unit file has neither). Only the first few kilobytes are read.
 */
export function looksLikeMemberFile(input: string | Uint8Array): boolean {
  // Not fatal: the cut may split a character, and a file in another encoding is refused later.
  const head =
    typeof input === 'string' ? input.slice(0, 4096) : new TextDecoder().decode(input.subarray(0, 4096));
  const { records } = readCsv(head);
  return records.slice(0, HEADER_SEARCH_ROWS).some((r) => {
    const columns = new Set(r.fields.map((f) => headerLookup.get(headerKey(f))));
    return columns.has('unit') && columns.has('fullName');
  });
}

/** The distinct unit codes the rows name, so the caller can look them up once. */
export function unitCodesOf(table: MemberTable): string[] {
  const i = table.columnAt.get('unit') as number;
  return [...new Set(table.rows.map((r) => (r.fields[i] ?? '').trim()).filter((c) => c !== ''))];
}

/**
 * Checks every row of a read file. `branches` says what each unit code is; `today` bounds the
 * dates. Linear in the size of the file.
 */
export function validateMemberRows(
  table: MemberTable,
  opts: { branches: BranchLookup; today: IsoDate },
): MemberCsvResult {
  const errors: MemberCsvError[] = [];
  if (table.unterminatedAt !== undefined)
    errors.push({ line: table.unterminatedAt, problem: 'unterminated_quote' });
  const rows: MemberRow[] = [];
  const cardLines = new Map<string, number>();
  const personLines = new Map<string, { line: number; card: string | null }>();
  for (const record of table.rows) {
    const found = readRow(record, table.width, table.columnAt, opts);
    if (!found.ok) {
      errors.push(...found.errors);
      continue;
    }
    const { member } = found;
    const { line } = record;
    let duplicate = false;
    if (member.cardNumber !== null) {
      const key = cardKey(member.cardNumber);
      const first = cardLines.get(key);
      if (first !== undefined) {
        errors.push({ line, problem: 'duplicate_card', value: member.cardNumber, firstLine: first });
        duplicate = true;
      } else cardLines.set(key, line);
    }
    // The same name and birth date twice in a branch is one person twice, unless two different
    // cards say they are two people.
    const person = `${member.branch}|${personKey(member.fullName, member.birthDate)}`;
    const earlier = personLines.get(person);
    if (earlier && !duplicate && (earlier.card === null || member.cardNumber === null)) {
      errors.push({ line, problem: 'duplicate_person', value: member.fullName, firstLine: earlier.line });
      duplicate = true;
    } else if (!earlier) personLines.set(person, { line, card: member.cardNumber });
    if (!duplicate) rows.push({ line, member });
  }
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
  return { ok: true, rows };
}

/** Reads and checks a member file in one go. */
export function validateMemberCsv(
  input: string | Uint8Array,
  opts: { branches: BranchLookup; today: IsoDate },
): MemberCsvResult {
  const read = readMemberCsv(input);
  return read.ok ? validateMemberRows(read.table, opts) : read;
}

type RowResult = { ok: true; member: MemberInput } | { ok: false; errors: MemberCsvError[] };

/** One row: every cell checked, then the dates together when each could be read. */
function readRow(
  record: CsvRecord,
  width: number,
  columnAt: ReadonlyMap<MemberColumn, number>,
  opts: { branches: BranchLookup; today: IsoDate },
): RowResult {
  const { line, fields } = record;
  const errors: MemberCsvError[] = [];
  const cell = (c: MemberColumn): string => {
    const i = columnAt.get(c);
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };
  if (fields.length > width && fields.slice(width).some((f) => f.trim() !== '')) {
    return { ok: false, errors: [{ line, problem: 'too_many_fields', value: String(fields.length) }] };
  }
  const missing = (column: MemberColumn) => errors.push({ line, problem: 'missing_value', column });

  const branch = cell('unit');
  if (branch === '') missing('unit');
  else {
    const kind = opts.branches(branch);
    if (kind !== 'branch')
      errors.push({ line, problem: kind === 'unknown' ? 'unknown_unit' : 'not_branch', value: branch });
  }

  const fullName = normaliseText(cell('fullName'));
  const nameIssue = nameProblem(fullName);
  if (nameIssue === 'missing') missing('fullName');
  else if (nameIssue === 'too_long')
    errors.push({ line, problem: 'name_too_long', column: 'fullName', value: fullName });
  else if (nameIssue === 'invalid')
    errors.push({ line, problem: 'invalid_name', column: 'fullName', value: fullName });

  const date = (column: MemberDateField, required: boolean): IsoDate | null | undefined => {
    const raw = cell(column);
    if (raw === '') {
      if (required) missing(column);
      return required ? undefined : null;
    }
    const parsed = parseVnDate(raw);
    if (parsed === undefined) errors.push({ line, problem: 'invalid_date', column, value: raw });
    return parsed;
  };
  const birthDate = date('birthDate', true);
  const joined = date('joined', true);
  const officialSince = date('officialSince', false);

  const genderText = cell('gender');
  const gender = genderText === '' ? undefined : parseGender(genderText);
  if (genderText === '') missing('gender');
  else if (!gender) errors.push({ line, problem: 'invalid_gender', column: 'gender', value: genderText });

  const ethnicity = normaliseText(cell('ethnicity'));
  const ethnicityIssue = nameProblem(ethnicity, ETHNICITY_MAX);
  if (ethnicityIssue === 'missing') missing('ethnicity');
  else if (ethnicityIssue)
    errors.push({ line, problem: 'invalid_ethnicity', column: 'ethnicity', value: ethnicity });

  const cardText = cell('cardNumber');
  const cardNumber = cardText === '' ? null : parseCardNumber(cardText);
  if (cardNumber === undefined)
    errors.push({ line, problem: 'invalid_card', column: 'cardNumber', value: cardText });

  const monthsText = cell('interruptedMonths');
  const interruptedMonths = monthsText === '' ? 0 : parseWholeNumber(monthsText);
  if (interruptedMonths === undefined || interruptedMonths > INTERRUPTED_MAX) {
    errors.push({ line, problem: 'invalid_months', column: 'interruptedMonths', value: monthsText });
  }

  if (birthDate && joined && officialSince !== undefined && interruptedMonths !== undefined) {
    for (const p of dateProblems({ birthDate, joined, officialSince, interruptedMonths }, opts.today)) {
      if (p.problem === 'future_date')
        errors.push({ line, problem: 'future_date', column: p.field, value: cell(p.field) });
      else if (p.problem === 'interrupted_too_long')
        errors.push({ line, problem: p.problem, months: p.months });
      else errors.push({ line, problem: p.problem });
    }
  }
  if (
    errors.length > 0 ||
    !birthDate ||
    !joined ||
    officialSince === undefined ||
    !gender ||
    cardNumber === undefined ||
    interruptedMonths === undefined
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    member: {
      branch,
      fullName,
      birthDate,
      gender,
      ethnicity,
      joined,
      officialSince,
      cardNumber,
      interruptedMonths,
    },
  };
}
