/**
 * The register file: headers in English or Vietnamese in any order, spreadsheet habits (BOM,
 * semicolons, quotes, CRLF, a title row), and every bad row reported by its line as a code the
 * catalogue words.
 */
import { describe, expect, it } from 'vitest';
import {
  type MemberCsvError,
  type MemberCsvResult,
  type MemberRow,
  validateMemberCsv,
} from '../../../src/domain/members/memberCsv.js';
import { msg } from '../../../src/messages/index.js';

const TODAY = '2025-09-10';
const branches = (code: string) =>
  code.startsWith('CB') ? 'branch' : code === 'XA' ? 'not_branch' : 'unknown';
const check = (text: string | Uint8Array) => validateMemberCsv(text, { branches, today: TODAY });

const EN = 'unit_code,full_name,birth_date,gender,ethnicity,joined,official_since,card_no,interrupted_months';

function rowsOf(r: MemberCsvResult): MemberRow[] {
  if (!r.ok) throw new Error(r.errors.map((e) => msg.members.csvProblem(e)).join('\n'));
  return r.rows;
}
function errorsOf(r: MemberCsvResult): MemberCsvError[] {
  if (r.ok) throw new Error(`expected errors, got ${r.rows.length} rows`);
  return r.errors;
}

describe('reading the register file', () => {
  it('takes English headers and fills every field', () => {
    const rows = rowsOf(
      check(`${EN}\nCB01,Nguyễn Văn An,15/03/1960,Nam,Kinh,03/02/1985,03/02/1986,12.345678,6\n`),
    );
    expect(rows).toEqual([
      {
        line: 2,
        member: {
          branch: 'CB01',
          fullName: 'Nguyễn Văn An',
          birthDate: '1960-03-15',
          gender: 'male',
          ethnicity: 'Kinh',
          joined: '1985-02-03',
          officialSince: '1986-02-03',
          cardNumber: '12.345678',
          interruptedMonths: 6,
        },
      },
    ]);
  });

  it('takes Vietnamese headers in any order, with a BOM, semicolons, CRLF, quotes and a title row', () => {
    const text =
      '\uFEFFDANH SÁCH ĐẢNG VIÊN;;;;;;\r\n' +
      'Họ và tên;Mã chi bộ;Giới tính;Dân tộc;Ngày sinh;Ngày chính thức;Ngày vào Đảng\r\n' +
      '"Trần Thị Bình";CB02;nữ;"Ê Đê";1/2/1990;;19/05/2025\r\n' +
      '"H\'Hen  Niê";CB02;NU;Ê Đê;01/01/1995;19/05/2021;19/05/2020\r\n';
    const rows = rowsOf(check(text));
    expect(rows.map((r) => [r.line, r.member.fullName, r.member.gender, r.member.officialSince])).toEqual([
      [3, 'Trần Thị Bình', 'female', null],
      [4, "H'Hen Niê", 'female', '2021-05-19'],
    ]);
    // Card and interrupted months may be left out: none and 0.
    expect(rows[0]?.member).toMatchObject({ cardNumber: null, interruptedMonths: 0, ethnicity: 'Ê Đê' });
  });

  it('names the missing columns, and a file with only a header', () => {
    expect(errorsOf(check('unit_code,full_name,birth_date\nCB01,A,01/01/1990\n'))).toEqual([
      { line: 1, problem: 'missing_columns', columns: ['gender', 'ethnicity', 'joined', 'officialSince'] },
    ]);
    expect(errorsOf(check(`${EN}\n`))).toEqual([{ line: 1, problem: 'no_rows' }]);
    expect(errorsOf(check(''))).toEqual([{ line: 0, problem: 'empty_file' }]);
    expect(errorsOf(check(Uint8Array.from([0x4d, 0xe3, 0x0a])))).toEqual([{ line: 0, problem: 'not_utf8' }]);
  });

  it('lists every bad row by line, every problem of a row', () => {
    const text = [
      EN,
      'CB01,Nguyễn Văn An,15/03/1960,Nam,Kinh,03/02/1985,,,', // good
      ',<b>An</b>,31/02/1960,X,Kinh,03/02/1985,,,', // line 3: four problems
      'XA,Lê Văn C,01/01/1970,Nam,Kinh,01/01/1925,,ABC 12!,abc', // line 4
      'ZZ,Lê Văn D,01/01/1970,Nam,Kinh,01/01/2030,02/01/2030,,', // line 5
      'CB01,Lê Văn E,01/01/1970,Nam,Kinh,01/01/1969,01/01/1968,,', // line 6
      'CB01,Lê Văn G,01/01/1970,Nam,Kinh,01/01/2024,,,30', // line 7
      'CB01,Lê Văn H,01/01/1970,Nam,Kinh,01/01/2000,,,,extra', // line 8
      'CB01,Lê Văn K,01/01/1900,Nam,Kinh,01/01/1925,,,', // line 9
    ].join('\n');
    expect(errorsOf(check(text)).map((e) => [e.line, e.problem, e.column ?? e.value])).toEqual([
      [3, 'missing_value', 'unit'],
      [3, 'invalid_name', 'fullName'],
      [3, 'invalid_date', 'birthDate'],
      [3, 'invalid_gender', 'gender'],
      [4, 'not_branch', 'XA'],
      [4, 'invalid_card', 'cardNumber'],
      [4, 'invalid_months', 'interruptedMonths'],
      [5, 'unknown_unit', 'ZZ'],
      [5, 'future_date', 'joined'],
      [5, 'future_date', 'officialSince'],
      [6, 'joined_before_birth', undefined],
      [6, 'official_before_joined', undefined],
      [7, 'interrupted_too_long', undefined],
      [8, 'too_many_fields', '10'],
      [9, 'joined_before_party', undefined],
    ]);
  });

  it('refuses the same card twice, and the same person twice in a branch', () => {
    const text = [
      EN,
      'CB01,Nguyễn Văn An,15/03/1960,Nam,Kinh,03/02/1985,,12345678,',
      'CB02,Nguyễn Văn Bình,15/03/1961,Nam,Kinh,03/02/1985,,12.345.678,',
      'CB01,Phạm Thị Cúc,15/03/1962,Nữ,Kinh,03/02/1985,,,',
      'CB01,phạm  thị cúc,15/03/1962,Nữ,Kinh,03/02/1990,,,',
      // Two people of one name and birth date, told apart by their cards.
      'CB01,Lê Văn Dũng,01/01/1970,Nam,Kinh,03/02/1990,,111,',
      'CB01,Lê Văn Dũng,01/01/1970,Nam,Kinh,03/02/1991,,222,',
    ].join('\n');
    expect(errorsOf(check(text))).toEqual([
      { line: 3, problem: 'duplicate_card', value: '12.345.678', firstLine: 2 },
      { line: 5, problem: 'duplicate_person', value: 'phạm thị cúc', firstLine: 4 },
    ]);
  });

  it('quotes hostile cells short and on one line in its messages', () => {
    const long = `${'Ư'.repeat(5000)}😀`;
    const [e] = errorsOf(check(`${EN}\nCB01,Nguyễn Văn An,15/03/1960,"${long}\n=1+1",Kinh,03/02/1985,,,\n`));
    const text = msg.members.csvProblem(e!);
    expect(text.startsWith('Dòng 2: giới tính «')).toBe(true);
    expect(text.length).toBeLessThan(200);
    expect(text).not.toContain('\n');
  });
});
