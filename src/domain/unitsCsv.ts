/**
 * The unit list an admin sends as a CSV file, and the invite list the bot sends back.
 *
 * Import is all-or-nothing: `validateUnitsCsv` either returns every unit of the file, or every
 * bad row with its physical line number and a Vietnamese reason saying how to fix it. Structure
 * (parents, cycles, one root, chi bộ without children) is checked on the tree as it would be
 * after the import: the units already in the system with the file laid over them by code.
 * Linear in the size of the file plus the existing tree.
 */
import { CSV_BOM, type CsvRecord, decodeUtf8, findHeader, headerKey, readCsv, toCsv } from './csv.js';
import { parseYesNo } from './form.js';
import {
  type BranchKind,
  DEFAULT_BRANCH_KIND,
  isBranchLevel,
  parseBranchKind,
  parseUnitLevel,
  UNIT_CODE_MAX,
  UNIT_CODE_PATTERN,
  UNIT_DEPTH_MAX,
  UNIT_IMPORT_ROWS_MAX,
  UNIT_NAME_MAX,
  type Unit,
  type UnitInput,
  type UnitLevel,
  type UnitRoleKind,
} from './units.js';
import { COLUMN_ALIASES, ROLE_NAMES, type UnitColumn } from './unitVocabulary.js';
import { parseWholeNumber } from './vn.js';

/**
 * Why a row (or the whole file) is refused: a code and what a message needs to say it.
 * `src/messages/units.ts` turns each into a sentence that names the line and the fix.
 * Values copied from the file (`value`, `column`, `parent`, a bad `code`) are raw input.
 */
export type UnitsCsvReason =
  | { problem: 'not_utf8' }
  | { problem: 'empty_file' }
  | { problem: 'no_rows' }
  | { problem: 'too_many_rows'; rows: number; max: number }
  | { problem: 'missing_columns'; columns: UnitColumn[] }
  | { problem: 'duplicate_column'; column: string }
  | { problem: 'unterminated_quote' }
  | { problem: 'too_many_fields'; found: number; expected: number }
  | { problem: 'missing_code' }
  | { problem: 'invalid_code'; code: string; max: number }
  | { problem: 'missing_name' }
  | { problem: 'name_too_long'; max: number }
  | { problem: 'missing_level' }
  | { problem: 'unknown_level'; value: string }
  | { problem: 'unknown_kind'; value: string }
  | { problem: 'members_not_number'; value: string }
  | { problem: 'members_required' }
  | { problem: 'head_applies_not_yes_no'; value: string }
  | { problem: 'official_not_number'; value: string }
  | { problem: 'official_over_members'; official: number; members: number }
  | { problem: 'duplicate_code'; code: string; firstLine: number }
  | { problem: 'unknown_parent'; code: string; parent: string }
  /** `chain` runs from `code` round to `code` again; `cut` when it was too long to quote whole. */
  | { problem: 'cycle'; code: string; chain: string[]; cut: boolean }
  | { problem: 'parent_is_branch'; code: string; parent: string }
  | { problem: 'branch_has_children'; code: string; child: string }
  | { problem: 'second_root'; code: string; root: string }
  | { problem: 'many_roots'; code: string; root: string; rootLine: number }
  | { problem: 'too_deep'; code: string; depth: number; max: number }
  /** The row moves existing units below it deeper than allowed; `deepest` is the deepest of them. */
  | { problem: 'subtree_too_deep'; code: string; deepest: string; depth: number; max: number };

export type UnitsCsvProblem = UnitsCsvReason['problem'];

export type UnitsCsvError = UnitsCsvReason & {
  /** 1-based physical line in the file where the row starts (0 for the file as a whole). */
  line: number;
  /** The row's unit code, when it has one. */
  code?: string;
};

export type UnitsCsvResult =
  | {
      ok: true;
      /** The file's units in file order, kinds defaulted. */
      units: UnitInput[];
      /** The line each unit came from, parallel to `units`. */
      lines: number[];
    }
  | { ok: false; errors: UnitsCsvError[] };

/** What the validator needs to know of a unit already in the system. */
export type ExistingUnits = ReadonlyMap<string, Pick<Unit, 'parent' | 'level'>>;

/** Bytes as sent by Telegram -> text; refuses anything that is not UTF-8 (e.g. Windows-1258). */
export function decodeCsv(
  bytes: Uint8Array,
): { ok: true; text: string } | { ok: false; errors: UnitsCsvError[] } {
  const text = decodeUtf8(bytes);
  return text === undefined ? { ok: false, errors: [{ line: 0, problem: 'not_utf8' }] } : { ok: true, text };
}

// ---------------------------------------------------------------------------------------------
// Columns

const REQUIRED_COLUMNS: readonly UnitColumn[] = ['code', 'name', 'level', 'parent', 'members'];

const headerLookup = new Map<string, UnitColumn>();
for (const [column, aliases] of Object.entries(COLUMN_ALIASES) as [UnitColumn, readonly string[]][]) {
  for (const alias of aliases) headerLookup.set(headerKey(alias), column);
}

// ---------------------------------------------------------------------------------------------
// Tree checks

/** A row as the tree check sees it: only what structure depends on. */
export interface TreeRow {
  line: number;
  code: string;
  parent: string | null;
  /** Undefined when the row's level could not be read (it then counts as a committee). */
  level: UnitLevel | undefined;
}

/** Longest cycle quoted in a message before it is cut with "…". */
const CYCLE_QUOTE_MAX = 8;

/**
 * Structural errors of the tree `existing` + `rows` (rows replace existing units by code):
 * duplicate codes in the file, unknown parents, cycles, more than one root, and chi bộ with
 * children. Linear in rows + existing.
 */
export function checkUnitTree(rows: readonly TreeRow[], existing: ExistingUnits): UnitsCsvError[] {
  const errors: UnitsCsvError[] = [];
  const file = new Map<string, TreeRow>();
  for (const row of rows) {
    const first = file.get(row.code);
    if (first) {
      errors.push({ line: row.line, code: row.code, problem: 'duplicate_code', firstLine: first.line });
    } else file.set(row.code, row);
  }
  const exists = (code: string) => file.has(code) || existing.has(code);
  const parentOf = (code: string): string | null | undefined => {
    const row = file.get(code);
    return row ? row.parent : existing.get(code)?.parent;
  };
  const levelOf = (code: string): UnitLevel | undefined => {
    const row = file.get(code);
    return row ? row.level : existing.get(code)?.level;
  };

  for (const row of file.values()) {
    if (row.parent !== null && !exists(row.parent)) {
      errors.push({ line: row.line, code: row.code, problem: 'unknown_parent', parent: row.parent });
    }
  }

  // Cycles: walk up from every file row, colouring units; a unit met again on the same walk
  // closes a cycle. Each unit is walked once overall. The existing tree is acyclic, so every
  // cycle passes through a row of the file.
  const state = new Map<string, 1 | 2>();
  const inCycle = new Map<string, string[]>();
  for (const row of file.values()) {
    const stack: string[] = [];
    let cur: string | null | undefined = row.code;
    while (cur != null && exists(cur) && !state.has(cur)) {
      state.set(cur, 1);
      stack.push(cur);
      cur = parentOf(cur);
    }
    if (cur != null && state.get(cur) === 1) {
      const cycle = stack.slice(stack.indexOf(cur));
      for (const c of cycle) inCycle.set(c, cycle);
    }
    for (const s of stack) state.set(s, 2);
  }
  for (const [code, cycle] of inCycle) {
    const row = file.get(code);
    if (!row) continue;
    const start = cycle.indexOf(code);
    const chain = [...cycle.slice(start), ...cycle.slice(0, start), code];
    const cut = chain.length > CYCLE_QUOTE_MAX;
    errors.push({
      line: row.line,
      code,
      problem: 'cycle',
      chain: cut ? chain.slice(0, CYCLE_QUOTE_MAX - 1) : chain,
      cut,
    });
  }

  // One root overall. The existing root keeps its place unless the file gives it a parent.
  let existingRoot: string | undefined;
  for (const [code, unit] of existing) {
    if (unit.parent === null) {
      existingRoot = code;
      break;
    }
  }
  const fileRoots = [...file.values()].filter((r) => r.parent === null);
  const existingRootStays = existingRoot !== undefined && parentOf(existingRoot) === null;
  const primary = existingRootStays ? existingRoot : fileRoots[0]?.code;
  for (const row of fileRoots) {
    if (row.code === primary || primary === undefined) continue;
    if (existingRootStays) {
      errors.push({ line: row.line, code: row.code, problem: 'second_root', root: primary });
    } else {
      const rootLine = file.get(primary)?.line ?? 0;
      errors.push({ line: row.line, code: row.code, problem: 'many_roots', root: primary, rootLine });
    }
  }

  // A chi bộ has no children. Blame the child's row when the child is in the file, else the
  // row that made its (existing) parent a chi bộ.
  const blamedParents = new Set<string>();
  const checkEdge = (child: string, parent: string | null | undefined) => {
    if (parent == null || !exists(parent)) return;
    const level = levelOf(parent);
    if (level === undefined || !isBranchLevel(level)) return;
    const childRow = file.get(child);
    if (childRow) {
      errors.push({ line: childRow.line, code: child, problem: 'parent_is_branch', parent });
      return;
    }
    const parentRow = file.get(parent);
    if (parentRow && !blamedParents.has(parent)) {
      blamedParents.add(parent);
      errors.push({ line: parentRow.line, code: parent, problem: 'branch_has_children', child });
    }
  };
  for (const row of file.values()) checkEdge(row.code, row.parent);
  for (const [code, unit] of existing) if (!file.has(code)) checkEdge(code, unit.parent);

  errors.push(...depthErrors(file, existing, exists, parentOf, inCycle));
  return errors;
}

/** A unit's depth (root = 1; -1 below an unknown parent or a cycle) and its nearest file row. */
interface Placement {
  depth: number;
  /** The unit itself when it is a row of the file, else its nearest ancestor that is. */
  row: string | undefined;
}

/**
 * Rows deeper than UNIT_DEPTH_MAX, and rows that would push existing units below them past it.
 * One memoised climb per unit, so linear in rows + existing whatever the depth.
 */
function depthErrors(
  file: ReadonlyMap<string, TreeRow>,
  existing: ExistingUnits,
  exists: (code: string) => boolean,
  parentOf: (code: string) => string | null | undefined,
  inCycle: ReadonlyMap<string, unknown>,
): UnitsCsvError[] {
  const placed = new Map<string, Placement>();
  const place = (start: string): Placement => {
    const climb: string[] = [];
    let cur: string | null | undefined = start;
    let above: Placement = { depth: -1, row: undefined };
    for (;;) {
      if (cur === null) {
        above = { depth: 0, row: undefined };
        break;
      }
      if (cur === undefined || !exists(cur) || inCycle.has(cur)) break;
      const known = placed.get(cur);
      if (known) {
        above = known;
        break;
      }
      climb.push(cur);
      cur = parentOf(cur);
    }
    for (let i = climb.length - 1; i >= 0; i--) {
      const code = climb[i] as string;
      above = {
        depth: above.depth < 0 ? -1 : above.depth + 1,
        row: file.has(code) ? code : above.row,
      };
      placed.set(code, above);
    }
    return above;
  };

  const errors: UnitsCsvError[] = [];
  for (const row of file.values()) {
    const { depth } = place(row.code);
    if (depth > UNIT_DEPTH_MAX) {
      errors.push({ line: row.line, code: row.code, problem: 'too_deep', depth, max: UNIT_DEPTH_MAX });
    }
  }
  // An existing unit changes depth only through a row of the file above it: blame the nearest
  // such row once, naming the deepest unit below it. Deep units with no row above stay as stored.
  const pushed = new Map<string, { deepest: string; depth: number }>();
  for (const code of existing.keys()) {
    if (file.has(code)) continue;
    const { depth, row } = place(code);
    if (depth <= UNIT_DEPTH_MAX || row === undefined) continue;
    if ((placed.get(row)?.depth ?? 0) > UNIT_DEPTH_MAX) continue; // the row is reported itself
    const worst = pushed.get(row);
    if (!worst || depth > worst.depth) pushed.set(row, { deepest: code, depth });
  }
  for (const [code, { deepest, depth }] of pushed) {
    const line = file.get(code)?.line ?? 0;
    errors.push({ line, code, problem: 'subtree_too_deep', deepest, depth, max: UNIT_DEPTH_MAX });
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Validation

function sortErrors(errors: UnitsCsvError[]): UnitsCsvError[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.line - b.e.line || a.i - b.i)
    .map(({ e }) => e);
}

/**
 * Reads and validates a unit file against the units already in the system. Either every unit of
 * the file (ready for `UnitStore.importUnits`) or every problem, sorted by line.
 */
export function validateUnitsCsv(
  input: string | Uint8Array,
  existing: ExistingUnits = new Map(),
): UnitsCsvResult {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    const decoded = decodeCsv(input);
    if (!decoded.ok) return decoded;
    text = decoded.text;
  }
  const { records, unterminatedAt } = readCsv(text);
  const errors: UnitsCsvError[] = [];
  if (unterminatedAt !== undefined) {
    errors.push({ line: unterminatedAt, problem: 'unterminated_quote' });
  }
  // Spreadsheets often carry a title row ("DANH SÁCH ĐƠN VỊ") above the header: take the first
  // of the opening rows that names the code column, and ignore the rows above it.
  const headerAt = findHeader(records, (r) =>
    r.fields.some((f) => headerLookup.get(headerKey(f)) === 'code'),
  );
  const header = records[headerAt];
  if (!header) {
    if (errors.length > 0) return { ok: false, errors };
    return { ok: false, errors: [{ line: 0, problem: 'empty_file' }] };
  }

  const columnAt = new Map<UnitColumn, number>();
  for (const [i, raw] of header.fields.entries()) {
    const column = headerLookup.get(headerKey(raw));
    if (!column) continue; // extra columns (notes) are ignored
    if (columnAt.has(column)) {
      errors.push({ line: header.line, problem: 'duplicate_column', column: raw.trim() });
    } else columnAt.set(column, i);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !columnAt.has(c));
  if (missing.length > 0) {
    errors.push({ line: header.line, problem: 'missing_columns', columns: missing });
  }
  if (errors.some((e) => e.line === header.line)) return { ok: false, errors: sortErrors(errors) };
  if (records.length === headerAt + 1 && unterminatedAt === undefined) {
    return { ok: false, errors: [{ line: header.line, problem: 'no_rows' }] };
  }
  const rowCount = records.length - headerAt - 1;
  if (rowCount > UNIT_IMPORT_ROWS_MAX) {
    // Refused before any row is read: the work and the answer stay bounded.
    return {
      ok: false,
      errors: [{ line: 0, problem: 'too_many_rows', rows: rowCount, max: UNIT_IMPORT_ROWS_MAX }],
    };
  }

  const width = header.fields.length;
  const units: UnitInput[] = [];
  const lines: number[] = [];
  const treeRows: TreeRow[] = [];

  for (let r = headerAt + 1; r < records.length; r++) {
    const { line, fields } = records[r] as CsvRecord;
    const before = errors.length;
    const cell = (c: UnitColumn): string => {
      const i = columnAt.get(c);
      return i === undefined ? '' : (fields[i] ?? '').trim();
    };
    if (fields.length > width && fields.slice(width).some((f) => f.trim() !== '')) {
      const code = cell('code');
      errors.push({
        line,
        ...(code ? { code } : {}),
        problem: 'too_many_fields',
        found: fields.length,
        expected: width,
      });
      continue;
    }

    const code = cell('code');
    const at = code === '' ? { line } : { line, code };
    let codeOk = true;
    if (code === '') {
      errors.push({ line, problem: 'missing_code' });
      codeOk = false;
    } else if (code.length > UNIT_CODE_MAX || !UNIT_CODE_PATTERN.test(code)) {
      errors.push({ line, code, problem: 'invalid_code', max: UNIT_CODE_MAX });
      codeOk = false;
    }

    const name = cell('name').replace(/\s+/g, ' ');
    if (name === '') errors.push({ ...at, problem: 'missing_name' });
    else if (name.length > UNIT_NAME_MAX) {
      errors.push({ ...at, problem: 'name_too_long', max: UNIT_NAME_MAX });
    }

    const levelText = cell('level');
    const level = levelText === '' ? undefined : parseUnitLevel(levelText);
    if (levelText === '') errors.push({ ...at, problem: 'missing_level' });
    else if (!level) errors.push({ ...at, problem: 'unknown_level', value: levelText });
    const branch = level !== undefined && isBranchLevel(level);

    const kindText = cell('kind');
    let kind: BranchKind | null = branch ? DEFAULT_BRANCH_KIND : null;
    if (kindText !== '') {
      const parsed = parseBranchKind(kindText);
      if (parsed) kind = parsed;
      else errors.push({ ...at, problem: 'unknown_kind', value: kindText });
    }

    const membersText = cell('members');
    let members = 0;
    if (membersText === '') {
      if (branch) errors.push({ ...at, problem: 'members_required' });
    } else {
      const parsed = parseWholeNumber(membersText);
      if (parsed === undefined) {
        errors.push({ ...at, problem: 'members_not_number', value: membersText });
      } else members = parsed;
    }

    // Optional: whether "bí thư là người đứng đầu" applies (có/không); default by kind.
    const headText = cell('headApplies');
    let head: boolean | undefined;
    if (headText !== '') {
      const yn = parseYesNo(headText);
      if (yn === 'co' || yn === 'khong') head = yn === 'co';
      else errors.push({ ...at, problem: 'head_applies_not_yes_no', value: headText });
    }
    // Optional: đảng viên chính thức (the 9-member rule counts these).
    const officialText = cell('official');
    let official: number | undefined;
    if (officialText !== '') {
      const parsed = parseWholeNumber(officialText);
      if (parsed === undefined) errors.push({ ...at, problem: 'official_not_number', value: officialText });
      else if (membersText !== '' && parsed > members)
        errors.push({ ...at, problem: 'official_over_members', official: parsed, members });
      else official = parsed;
    }

    const parent = cell('parent') === '' ? null : cell('parent');

    // Rows with a usable code take part in the tree check even when other cells are wrong,
    // so their children are not also reported as orphans.
    if (codeOk) treeRows.push({ line, code, parent, level });
    if (errors.length === before && level) {
      const unit: UnitInput = { code, name, level, kind, parent, members };
      if (head !== undefined) unit.headApplies = head;
      if (official !== undefined) unit.official = official;
      units.push(unit);
      lines.push(line);
    }
  }

  errors.push(...checkUnitTree(treeRows, existing));
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
  return { ok: true, units, lines };
}

// ---------------------------------------------------------------------------------------------
// Writing CSV

/** One invite, as listed for the office to hand out. */
export interface InviteRow {
  unitCode: string;
  unitName: string;
  role: UnitRoleKind;
  code: string;
}

/**
 * `https://t.me/<bot>?start=<code>`: the deep link that opens the bot with the invite; none in a
 * deployment without Telegram (no username), where the code is sent to the bot on Zalo.
 */
export function inviteLink(botUsername: string, code: string): string | undefined {
  return botUsername ? `https://t.me/${botUsername.replace(/^@/, '')}?start=${code}` : undefined;
}

/**
 * The invite list as CSV: header `unit_code,unit_name,role,code,link`, role by its Vietnamese
 * name. `bom: true` prepends a BOM so Excel shows Vietnamese names correctly.
 */
export function invitesCsv(
  rows: readonly InviteRow[],
  botUsername: string,
  opts: { bom?: boolean } = {},
): string {
  const body = toCsv([
    ['unit_code', 'unit_name', 'role', 'code', 'link'],
    ...rows.map((r) => [
      r.unitCode,
      r.unitName,
      ROLE_NAMES[r.role],
      r.code,
      inviteLink(botUsername, r.code) ?? '',
    ]),
  ]);
  return opts.bom ? CSV_BOM + body : body;
}
