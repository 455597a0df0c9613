import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectSeparator, parseCsv } from '../../src/domain/csv.js';
import { wellFormed } from '../../src/domain/text.js';
import { isBranch, UNIT_DEPTH_MAX, UNIT_IMPORT_ROWS_MAX, type Unit } from '../../src/domain/units.js';
import {
  checkUnitTree,
  decodeCsv,
  invitesCsv,
  type UnitsCsvError,
  type UnitsCsvResult,
  validateUnitsCsv,
} from '../../src/domain/unitsCsv.js';
import { msg } from '../../src/messages/index.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/units/${name}`, import.meta.url));
const HEADER = 'code,name,level,kind,parent,members';

function csv(...rows: string[]): string {
  return [HEADER, ...rows].join('\n') + '\n';
}

function errorsOf(result: UnitsCsvResult): UnitsCsvError[] {
  if (result.ok) throw new Error(`expected errors, got ${result.units.length} units`);
  return result.errors;
}

function unitsOf(result: UnitsCsvResult): Unit[] {
  if (!result.ok) throw new Error(result.errors.map(msg.units.csvError).join('\n'));
  return result.units;
}

/** The sentence the admin reads for an error. */
function reasonOf(e: UnitsCsvError | undefined): string {
  return e ? msg.units.csvError(e) : '';
}

function existingTree(units: Unit[]): Map<string, Unit> {
  return new Map(units.map((u) => [u.code, u]));
}

const u = (code: string, level: Unit['level'], parent: string | null, members = 10): Unit => ({
  code,
  name: `Đơn vị ${code}`,
  level,
  kind: level === 'chi_bo' || level === 'chi_bo_co_so' ? 'khac' : null,
  parent,
  members,
});

describe('reading CSV', () => {
  it('detects the separator from the header line', () => {
    expect(detectSeparator('Mã;Tên;Cấp\nA,B;C')).toBe(';');
    expect(detectSeparator('code,name,level\n')).toBe(',');
    expect(detectSeparator('\n\n"a;b",c,d\n')).toBe(',');
  });

  it('keeps separators, doubled quotes and newlines inside quotes, and counts physical lines', () => {
    const { records } = parseCsv('a,b\r\n"x, y","say ""hi""\r\nthere"\r\n\r\nlast,row\r\n');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"\nthere'] },
      { line: 5, fields: ['last', 'row'] },
    ]);
  });

  it('reports a quote that is never closed at the line it opens', () => {
    expect(parseCsv('a,b\n"open,x\nmore\n').unterminatedAt).toBe(2);
  });

  it('refuses bytes that are not UTF-8', () => {
    // "Mã" as Windows-1258 writes it: 0xE3 alone is not UTF-8.
    const result = decodeCsv(Uint8Array.from([0x4d, 0xe3, 0x2c, 0x54, 0xea, 0x6e]));
    expect(result.ok).toBe(false);
    expect(validateUnitsCsv(Uint8Array.from([0x4d, 0xe3, 0x0a]))).toMatchObject({
      ok: false,
      errors: [{ problem: 'not_utf8' }],
    });
  });
});

describe('validateUnitsCsv: good files', () => {
  it('reads a BOM, semicolons, CRLF, Vietnamese headers and Vietnamese level and kind names', () => {
    const units = unitsOf(validateUnitsCsv(fixture('commune-vi-semicolon-bom-crlf.csv')));
    expect(units).toEqual([
      {
        code: 'XA',
        name: 'Đảng bộ xã Tân Lập',
        level: 'dang_bo_co_so',
        kind: null,
        parent: null,
        members: 1349,
      },
      { code: 'CB01', name: 'Chi bộ Thôn 1', level: 'chi_bo', kind: 'thon', parent: 'XA', members: 45 },
      {
        code: 'CB02',
        name: 'Chi bộ Trường Tiểu học; Trung học cơ sở',
        level: 'chi_bo',
        kind: 'truong_hoc',
        parent: 'XA',
        members: 18,
      },
      {
        code: 'CB03',
        name: 'Chi bộ Công an xã',
        level: 'chi_bo',
        kind: 'cong_an',
        parent: 'XA',
        members: 12,
      },
      {
        code: 'CB04',
        name: 'Chi bộ Tổ dân phố 4',
        level: 'chi_bo',
        kind: 'to_dan_pho',
        parent: 'XA',
        members: 30,
      },
    ]);
  });

  it('reads quoted commas and newlines, extra columns, and gives physical line numbers', () => {
    const result = validateUnitsCsv(fixture('district-quoted.csv').toString('utf8'));
    const units = unitsOf(result);
    expect(units.map((x) => x.code)).toEqual(['H', 'DB1', 'BP1', 'CB1', 'CB2', 'CS1']);
    expect(units[1]?.name).toBe('Đảng bộ xã A, huyện H');
    expect(units[3]?.name).toBe('Chi bộ "Khu 1A"');
    // The note of CB1 spans lines 5–6, so CB2 is on line 7.
    expect(result.ok && result.lines).toEqual([2, 3, 4, 5, 7, 8]);
    // Blank kind: a branch counts as "Khác", a committee has none; blank members of a committee is 0.
    expect(units[4]?.kind).toBe('khac');
    expect(units[0]).toMatchObject({ kind: null, members: 0 });
    expect(units[5]).toMatchObject({ level: 'chi_bo_co_so', kind: 'co_quan' });
  });

  it('matches headers in any order, ignoring case and accents', () => {
    const text =
      'SỐ ĐẢNG VIÊN,mã cấp trên,LOẠI,cap,Ten,MA\n5,,,Đảng bộ,Xã B,XB\n7,XB,khac,CHI BỘ,Chi bộ 1,C1\n';
    expect(unitsOf(validateUnitsCsv(text))).toEqual([
      { code: 'XB', name: 'Xã B', level: 'dang_bo', kind: null, parent: null, members: 5 },
      { code: 'C1', name: 'Chi bộ 1', level: 'chi_bo', kind: 'khac', parent: 'XB', members: 7 },
    ]);
  });

  it('accepts parents listed after their children', () => {
    const units = unitsOf(validateUnitsCsv(csv('C1,Chi bộ 1,chi_bo,,R,5', 'R,Xã R,dang_bo,,,0')));
    expect(units.map((x) => x.code)).toEqual(['C1', 'R']);
  });

  it('validates 10,000 rows', () => {
    const rows = ['ROOT,Đảng bộ tỉnh,dang_bo,,,0'];
    for (let c = 0; c < 99; c++) rows.push(`DB${c},Đảng bộ cơ sở ${c},dang_bo_co_so,,ROOT,0`);
    for (let b = 0; b < 9_900; b++) {
      rows.push(`CB${b},"Chi bộ ${b}, thôn ${b}",Chi bộ,Thôn/xóm/khu dân cư,DB${b % 99},${b % 50}`);
    }
    const units = unitsOf(validateUnitsCsv(csv(...rows)));
    expect(units).toHaveLength(10_000);
    expect(units.filter(isBranch)).toHaveLength(9_900);
  });

  it('reports all bad rows of a 10,000-row file', () => {
    const rows = ['ROOT,Đảng bộ tỉnh,dang_bo,,,0'];
    for (let b = 1; b < 10_000; b++)
      rows.push(`CB${b},Chi bộ ${b},chi_bo,,${b % 1000 === 0 ? 'NOPE' : 'ROOT'},5`);
    const errors = errorsOf(validateUnitsCsv(csv(...rows)));
    // Row b is on line b + 2: the header is line 1 and ROOT line 2.
    expect(errors.map((e) => e.line)).toEqual([1002, 2002, 3002, 4002, 5002, 6002, 7002, 8002, 9002]);
    expect(errors.every((e) => e.problem === 'unknown_parent')).toBe(true);
  });
});

describe('validateUnitsCsv: bad rows', () => {
  const root = 'R,Đảng bộ xã R,dang_bo_co_so,,,100';

  it('names every bad row with its line, its code and the problem', () => {
    const text = csv(
      root, // 2
      ',Không có mã,chi_bo,,R,5', // 3
      'C1,,chi_bo,,R,5', // 4
      'C2,Chi bộ 2,Chi đoàn,,R,5', // 5
      'C3,Chi bộ 3,chi_bo,Hợp tác xã,R,5', // 6
      'C4,Chi bộ 4,chi_bo,,R,năm', // 7
      'C5,Chi bộ 5,chi_bo,,R,', // 8
      'C6,Chi bộ 6,chi_bo,,X,5', // 9
      'C7,Chi bộ 7,chi_bo,,R,5', // 10
      'C7,Chi bộ 7 lặp,chi_bo,,R,5', // 11
      'C 8,Chi bộ 8,chi_bo,,R,5', // 12
      'C9,Chi bộ 9,,,R,5', // 13
      'C10,Chi bộ 10,chi_bo,,R,-3', // 14
    );
    const errors = errorsOf(validateUnitsCsv(text));
    expect(errors.map((e) => [e.line, e.problem, e.code])).toEqual([
      [3, 'missing_code', undefined],
      [4, 'missing_name', 'C1'],
      [5, 'unknown_level', 'C2'],
      [6, 'unknown_kind', 'C3'],
      [7, 'members_not_number', 'C4'],
      [8, 'members_required', 'C5'],
      [9, 'unknown_parent', 'C6'],
      [11, 'duplicate_code', 'C7'],
      [12, 'invalid_code', 'C 8'],
      [13, 'missing_level', 'C9'],
      [14, 'members_not_number', 'C10'],
    ]);
    const reason = (line: number) => {
      const e = errors.find((x) => x.line === line);
      return e ? msg.units.csvError(e) : '';
    };
    expect(reason(3)).toBe('Dòng 3: thiếu mã đơn vị. Đồng chí điền cột «Mã».');
    expect(reason(5)).toContain('«Chi đoàn»');
    expect(reason(6)).toContain('«Hợp tác xã»');
    expect(reason(7)).toContain('«năm»');
    expect(reason(9)).toBe(
      'Dòng 9: mã cấp trên «X» của đơn vị «C6» không có trong tệp và chưa có trong hệ thống. Đồng chí kiểm tra lại cột «Mã cấp trên».',
    );
    expect(reason(11)).toContain('trùng với dòng 10');
    for (const e of errors) expect(msg.units.csvError(e)).toMatch(new RegExp(`^Dòng ${e.line}: `));
  });

  it('finds cycles inside the file', () => {
    const errors = errorsOf(
      validateUnitsCsv(csv(root, 'A,Đảng bộ A,dang_bo_bo_phan,,B,0', 'B,Đảng bộ B,dang_bo_bo_phan,,A,0')),
    );
    expect(errors.map((e) => [e.line, e.problem])).toEqual([
      [3, 'cycle'],
      [4, 'cycle'],
    ]);
    expect(reasonOf(errors[0])).toContain('A → B → A');
    expect(reasonOf(errors[1])).toContain('B → A → B');
  });

  it('treats a unit that is its own parent as a cycle', () => {
    const errors = errorsOf(validateUnitsCsv(csv(root, 'A,Đảng bộ A,dang_bo_bo_phan,,A,0')));
    expect(errors).toMatchObject([{ line: 3, problem: 'cycle', code: 'A' }]);
  });

  it('refuses a chi bộ with children', () => {
    const errors = errorsOf(
      validateUnitsCsv(csv(root, 'C1,Chi bộ 1,chi_bo,,R,5', 'C2,Chi bộ 2,chi_bo,,C1,5')),
    );
    expect(errors).toMatchObject([{ line: 4, problem: 'parent_is_branch', code: 'C2' }]);
    expect(reasonOf(errors[0])).toContain('«C1»');
    const cs = errorsOf(
      validateUnitsCsv(csv(root, 'C1,Chi bộ cơ sở 1,chi_bo_co_so,,R,5', 'C2,Chi bộ 2,chi_bo,,C1,5')),
    );
    expect(cs).toMatchObject([{ line: 4, problem: 'parent_is_branch' }]);
  });

  it('allows one root only', () => {
    const errors = errorsOf(
      validateUnitsCsv(csv(root, 'R2,Đảng bộ khác,dang_bo,,,0', 'R3,Đảng bộ nữa,dang_bo,,,0')),
    );
    expect(errors.map((e) => [e.line, e.problem])).toEqual([
      [3, 'many_roots'],
      [4, 'many_roots'],
    ]);
    expect(reasonOf(errors[0])).toContain('«R» (dòng 2)');
  });

  it('refuses a second root when the deployment already has one', () => {
    const existing = existingTree([u('R', 'dang_bo_co_so', null), u('C1', 'chi_bo', 'R')]);
    const errors = errorsOf(validateUnitsCsv(csv('X,Đảng bộ X,dang_bo,,,0'), existing));
    expect(errors).toMatchObject([{ line: 2, problem: 'second_root', code: 'X' }]);
    expect(reasonOf(errors[0])).toContain('«R»');
  });

  it('refuses a header without the needed columns, an empty file and a file without rows', () => {
    expect(errorsOf(validateUnitsCsv('code;name\nA;B\n'))).toMatchObject([
      { line: 1, problem: 'missing_columns' },
    ]);
    expect(reasonOf(errorsOf(validateUnitsCsv('code;name\nA;B\n'))[0])).toContain(
      '«Cấp», «Mã cấp trên», «Số đảng viên»',
    );
    expect(errorsOf(validateUnitsCsv('\uFEFF\r\n\r\n'))).toMatchObject([{ problem: 'empty_file' }]);
    expect(errorsOf(validateUnitsCsv(`${HEADER}\n`))).toMatchObject([{ line: 1, problem: 'no_rows' }]);
    expect(errorsOf(validateUnitsCsv('code,Mã,name,level,parent,members\n'))).toMatchObject([
      { line: 1, problem: 'duplicate_column' },
    ]);
  });

  it('points at unquoted separators in a name and at quotes left open', () => {
    const errors = errorsOf(validateUnitsCsv(csv(root, 'C1,Chi bộ 1, xã R,chi_bo,,R,5')));
    expect(errors).toMatchObject([{ line: 3, problem: 'too_many_fields', code: 'C1' }]);
    const open = errorsOf(validateUnitsCsv(csv(root, 'C1,"Chi bộ 1,chi_bo,,R,5', 'C2,Chi bộ 2,chi_bo,,R,5')));
    expect(open).toMatchObject([{ line: 3, problem: 'unterminated_quote' }]);
  });
});

describe('validateUnitsCsv: bounds', () => {
  /** A chain R → U1 → U2 … → U<n-1>: n units, the last one n levels deep. */
  const chain = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      i === 0 ? 'U0,Đảng bộ gốc,dang_bo,,,0' : `U${i},Đảng bộ ${i},dang_bo_bo_phan,,U${i - 1},0`,
    );

  it(`takes a tree ${UNIT_DEPTH_MAX} levels deep and refuses each row below that, by line`, () => {
    expect(unitsOf(validateUnitsCsv(csv(...chain(UNIT_DEPTH_MAX))))).toHaveLength(UNIT_DEPTH_MAX);
    const errors = errorsOf(validateUnitsCsv(csv(...chain(UNIT_DEPTH_MAX + 2))));
    expect(errors).toEqual([
      { line: 14, code: 'U12', problem: 'too_deep', depth: 13, max: 12 },
      { line: 15, code: 'U13', problem: 'too_deep', depth: 14, max: 12 },
    ]);
    expect(reasonOf(errors[0])).toBe(
      'Dòng 14: đơn vị «U12» nằm ở cấp thứ 13 tính từ đơn vị gốc, sâu quá 12 cấp cho phép. Đồng chí kiểm tra lại cột «Mã cấp trên»: có thể các đơn vị đang được ghi nối tiếp nhau thay vì cùng trực thuộc một cấp trên.',
    );
  });

  it('refuses a 4,000-deep chain row by row, in one linear pass', () => {
    // Listed deepest first, so no climb can lean on a parent placed before it.
    const rows = chain(4_000).reverse();
    const errors = errorsOf(validateUnitsCsv(csv(...rows)));
    expect(errors).toHaveLength(4_000 - UNIT_DEPTH_MAX);
    expect(errors.every((e) => e.problem === 'too_deep')).toBe(true);
    expect(errors.at(0)).toMatchObject({ code: 'U3999', depth: 4_000, line: 2 });
    expect(errors.at(-1)).toMatchObject({ code: 'U12', depth: 13 });
  });

  it('blames the row that would push existing units too deep, naming the deepest one', () => {
    // Existing: R → A1 → … → A10 (11 levels), and a second arm R → B.
    const existing = existingTree([
      u('R', 'dang_bo', null),
      ...Array.from({ length: 10 }, (_, i) => u(`A${i + 1}`, 'dang_bo_bo_phan', i === 0 ? 'R' : `A${i}`)),
      u('B', 'dang_bo_bo_phan', 'R'),
      u('B2', 'dang_bo_bo_phan', 'B'),
    ]);
    // Moving A1 under B2 puts A10 at level 13.
    const errors = errorsOf(validateUnitsCsv(csv('A1,Đảng bộ A1,dang_bo_bo_phan,,B2,0'), existing));
    expect(errors).toEqual([
      { line: 2, code: 'A1', problem: 'subtree_too_deep', deepest: 'A10', depth: 13, max: 12 },
    ]);
    expect(reasonOf(errors[0])).toContain('đơn vị «A10» trực thuộc «A1» sẽ nằm ở cấp thứ 13');
    // Under B (one level higher) it fits exactly.
    expect(validateUnitsCsv(csv('A1,Đảng bộ A1,dang_bo_bo_phan,,B,0'), existing).ok).toBe(true);
  });

  it(`refuses more than ${UNIT_IMPORT_ROWS_MAX.toLocaleString('en')} rows in one import before reading them`, () => {
    const rows = ['R,Xã R,dang_bo,,,0'];
    for (let i = 1; i <= UNIT_IMPORT_ROWS_MAX; i++) rows.push(`C${i},x,chi_bo,,R,1`);
    const errors = errorsOf(validateUnitsCsv(`${HEADER}\n${rows.join('\n')}\n`));
    expect(errors).toEqual([{ line: 0, problem: 'too_many_rows', rows: 400_001, max: 400_000 }]);
    expect(reasonOf(errors[0])).toBe(
      'Tệp có 400.001 đơn vị, nhiều hơn 400.000 đơn vị cho một lần nhập. Đồng chí chia thành nhiều tệp, mỗi tệp tối đa 400.000 đơn vị, và nhập tệp có các đơn vị cấp trên trước.',
    );
  });

  it('repeats at most a short piece of what a row holds', () => {
    const long = `${'Chi đoàn 😀 '.repeat(500)}<b>`;
    const errors = errorsOf(
      validateUnitsCsv(
        csv('R,Xã R,dang_bo,,,0', `C1,Chi bộ 1,"${long}",,R,5`, `C2,Chi bộ 2,chi_bo,,${'P'.repeat(5_000)},5`),
      ),
    );
    expect(errors.map((e) => e.problem)).toEqual(['unknown_level', 'unknown_parent']);
    for (const e of errors) {
      const text = reasonOf(e);
      expect(text.length).toBeLessThan(400);
      expect(wellFormed(text)).toBe(text);
    }
    expect(reasonOf(errors[1])).toContain(`«${'P'.repeat(59)}…»`);
  });
});

describe('validateUnitsCsv: re-import against existing units', () => {
  const existing = existingTree([
    u('R', 'dang_bo_co_so', null),
    u('A', 'dang_bo_bo_phan', 'R'),
    u('B', 'dang_bo_bo_phan', 'A'),
    u('C1', 'chi_bo', 'A'),
    u('C2', 'chi_bo', 'B'),
  ]);

  it('moves, renames and resizes units by code, referring to existing parents', () => {
    const units = unitsOf(
      validateUnitsCsv(
        csv(
          'B,Đảng bộ bộ phận B (mới),dang_bo_bo_phan,,R,0',
          'C1,Chi bộ 1 đổi tên,chi_bo,,B,40',
          'C3,Chi bộ 3,chi_bo,,A,9',
        ),
        existing,
      ),
    );
    expect(units.map((x) => [x.code, x.parent, x.members])).toEqual([
      ['B', 'R', 0],
      ['C1', 'B', 40],
      ['C3', 'A', 9],
    ]);
  });

  it('finds a cycle made through existing units', () => {
    // A is B's parent in the system; making B the parent of A closes a loop.
    const errors = errorsOf(validateUnitsCsv(csv('A,Đảng bộ bộ phận A,dang_bo_bo_phan,,B,0'), existing));
    expect(errors).toMatchObject([{ line: 2, problem: 'cycle', code: 'A' }]);
    expect(reasonOf(errors[0])).toContain('A → B → A');
  });

  it('refuses to make an existing committee with children a chi bộ, unless the file moves them away', () => {
    const errors = errorsOf(validateUnitsCsv(csv('B,B thành chi bộ,chi_bo,,A,5'), existing));
    expect(errors).toMatchObject([{ line: 2, problem: 'branch_has_children', code: 'B' }]);
    expect(reasonOf(errors[0])).toContain('«C2»');
    const moved = validateUnitsCsv(csv('B,B thành chi bộ,chi_bo,,A,5', 'C2,Chi bộ 2,chi_bo,,A,10'), existing);
    expect(moved.ok).toBe(true);
  });

  it('refuses a child under an existing chi bộ', () => {
    const errors = errorsOf(validateUnitsCsv(csv('X,Chi bộ X,chi_bo,,C1,5'), existing));
    expect(errors).toMatchObject([{ line: 2, problem: 'parent_is_branch', code: 'X' }]);
  });

  it('lets a file put a new root above the existing one', () => {
    const units = unitsOf(
      validateUnitsCsv(csv('T,Đảng bộ tỉnh,dang_bo,,,0', 'R,Đảng bộ xã R,dang_bo_co_so,,T,0'), existing),
    );
    expect(units.map((x) => x.code)).toEqual(['T', 'R']);
  });

  it('checks the tree alone, for rows that did not come from a file', () => {
    expect(checkUnitTree([{ line: 1, code: 'Z', parent: 'C2', level: 'chi_bo' }], existing)).toMatchObject([
      { problem: 'parent_is_branch' },
    ]);
    expect(checkUnitTree([{ line: 1, code: 'Z', parent: 'B', level: 'chi_bo' }], existing)).toEqual([]);
  });
});

describe('invitesCsv', () => {
  it('writes the header, quotes what needs quoting and builds deep links', () => {
    const text = invitesCsv(
      [
        { unitCode: 'CB01', unitName: 'Chi bộ Thôn 1, xã A', role: 'secretary', code: 'abcDEF123_-x' },
        { unitCode: 'CB02', unitName: 'Chi bộ "Khu 2"', role: 'deputy', code: 'Zz9' },
      ],
      '@chibo_bot',
    );
    expect(text.split('\r\n')).toEqual([
      'unit_code,unit_name,role,code,link',
      'CB01,"Chi bộ Thôn 1, xã A",Bí thư,abcDEF123_-x,https://t.me/chibo_bot?start=abcDEF123_-x',
      'CB02,"Chi bộ ""Khu 2""",Phó bí thư,Zz9,https://t.me/chibo_bot?start=Zz9',
      '',
    ]);
    // What we write, we read back.
    const { records } = parseCsv(text);
    expect(records[1]?.fields[1]).toBe('Chi bộ Thôn 1, xã A');
    expect(records[2]?.fields[1]).toBe('Chi bộ "Khu 2"');
    expect(invitesCsv([], 'b', { bom: true }).startsWith('\uFEFFunit_code,')).toBe(true);
  });

  it('writes a unit name that looks like a formula as text, never as a live formula', () => {
    const evil = '=HYPERLINK("http://lua-dao.example/xac-nhan","Bấm để xác nhận")';
    const text = invitesCsv(
      [
        { unitCode: 'CB01', unitName: evil, role: 'secretary', code: 'abc' },
        { unitCode: '-CB02', unitName: '@SUM(1+1)', role: 'deputy', code: 'def' },
        { unitCode: 'CB03', unitName: '\t+1', role: 'leader', code: 'ghi' },
      ],
      'chibo_bot',
    );
    const { records } = parseCsv(text);
    expect(records.slice(1).map((r) => r.fields.slice(0, 2))).toEqual([
      ['CB01', `'${evil}`],
      ["'-CB02", "'@SUM(1+1)"],
      ['CB03', "'\t+1"],
    ]);
    // No field of any row starts with a character a spreadsheet reads as a formula.
    for (const r of records) for (const f of r.fields) expect(f).not.toMatch(/^[=+\-@\t\r]/);
    expect(text.split('\r\n')[1]).toBe(
      `CB01,"'=HYPERLINK(""http://lua-dao.example/xac-nhan"",""Bấm để xác nhận"")",Bí thư,abc,https://t.me/chibo_bot?start=abc`,
    );
  });
});

describe('spreadsheet habits', () => {
  it('honours an Excel "sep=" line and skips a title row above the header, keeping line numbers', () => {
    const text =
      'sep=;\nDANH SÁCH ĐƠN VỊ;;\nMã;Tên;Cấp;Loại;Mã cấp trên;Số đảng viên\nR;Xã R;Đảng bộ cơ sở;;;\nC1;Chi bộ 1, thôn A;Chi bộ;;R;x\n';
    expect(errorsOf(validateUnitsCsv(text))).toMatchObject([
      { line: 5, problem: 'members_not_number', code: 'C1' },
    ]);
    const ok = validateUnitsCsv(text.replace(';x', ';7'));
    expect(unitsOf(ok).map((x) => x.name)).toEqual(['Xã R', 'Chi bộ 1, thôn A']);
    expect(ok.ok && ok.lines).toEqual([4, 5]);
  });

  it('lists a long refusal within one message', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `C${i},Chi bộ ${i},chi_bo,,NOPE,5`);
    const errors = errorsOf(validateUnitsCsv(csv('R,Xã R,dang_bo,,,0', ...rows)));
    const text = msg.units.importErrors(errors.map(msg.units.csvError));
    expect(text.startsWith('Tệp có 40 lỗi nên chưa nhập đơn vị nào.')).toBe(true);
    expect(text).toContain('Dòng 3: mã cấp trên «NOPE»');
    expect(text.endsWith('… và 25 lỗi khác.')).toBe(true);
    expect(text.length).toBeLessThan(4096);
  });
});

describe('validateUnitsCsv: optional official members and head-of-unit columns', () => {
  const header =
    'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên,Số đảng viên chính thức,Bí thư kiêm người đứng đầu';
  const file = (...rows: string[]) => [header, 'R,Xã R,Đảng bộ,,,0', ...rows].join('\n');

  it('reads both columns by their Vietnamese or English headers, leaving blanks unset', () => {
    const units = unitsOf(
      validateUnitsCsv(
        file(
          'C1,Chi bộ Thôn 1,Chi bộ,Thôn,R,30,27,không',
          'C2,Chi bộ Hưu trí,Chi bộ,Khác,R,12,,',
          'C3,Chi bộ Trường,Chi bộ,Trường học,R,9,9,có',
        ),
      ),
    );
    expect(units.find((x) => x.code === 'C1')).toMatchObject({ official: 27, headApplies: false });
    const c2 = units.find((x) => x.code === 'C2');
    expect(c2?.official).toBeUndefined();
    expect(c2?.headApplies).toBeUndefined();
    expect(units.find((x) => x.code === 'C3')).toMatchObject({ official: 9, headApplies: true });
    const english = unitsOf(
      validateUnitsCsv(
        `${HEADER},official,head_applies\nR,Xã R,dang_bo,,,0\nC1,Chi bộ 1,chi_bo,don vi su nghiep,R,20,18,co\n`,
      ),
    );
    expect(english[1]).toMatchObject({ kind: 'don_vi_su_nghiep', official: 18, headApplies: true });
  });

  it('refuses an unclear yes/no, a bad number and more official members than members, saying how to fix it', () => {
    const errors = errorsOf(
      validateUnitsCsv(
        file(
          'C1,Chi bộ 1,Chi bộ,Thôn,R,30,27,không áp dụng',
          'C2,Chi bộ 2,Chi bộ,Thôn,R,30,ba mươi,',
          'C3,Chi bộ 3,Chi bộ,Thôn,R,10,12,',
        ),
      ),
    );
    expect(errors.map((e) => e.problem)).toEqual([
      'head_applies_not_yes_no',
      'official_not_number',
      'official_over_members',
    ]);
    expect(reasonOf(errors[0])).toContain('Đồng chí ghi "có"');
    expect(reasonOf(errors[1])).toContain('«ba mươi»');
    expect(reasonOf(errors[2])).toContain('12 đảng viên chính thức, nhiều hơn tổng số đảng viên (10)');
  });
});
