/**
 * Every refusal and every register-file problem has its sentence: no placeholder leaks, each
 * row problem names its line, and what a person typed is quoted short.
 */
import { describe, expect, it } from 'vitest';
import type { MemberCsvError, MemberCsvProblem } from '../../../src/domain/members/memberCsv.js';
import type { MemberRefusal } from '../../../src/domain/members/refusal.js';
import { msg } from '../../../src/messages/index.js';

const member = { id: 7, fullName: 'Nguyễn Văn An', branch: 'CB01' };
const unit = { code: 'CB01', name: 'Chi bộ Thôn 1' };
const REFUSALS: MemberRefusal[] = [
  { reason: 'no_access' },
  { reason: 'admin_only' },
  { reason: 'no_units' },
  { reason: 'choose_scope', units: [unit, { code: 'XA', name: 'Đảng bộ xã A' }] },
  { reason: 'unknown_unit', code: 'ZZ' },
  { reason: 'not_branch', unit },
  { reason: 'not_allowed', unit },
  { reason: 'unknown_member', id: 7 },
  { reason: 'member_closed', member, kind: 'struck_off', date: '2025-01-02' },
  { reason: 'already_official', member, since: '2024-05-19' },
  { reason: 'same_branch', member, unit },
  { reason: 'card_taken', card: '123', other: member },
  { reason: 'duplicate_person', other: member },
  { reason: 'invalid_member', problems: [{ field: 'gender', problem: 'invalid' }] },
  { reason: 'bad_date', member, problem: 'invalid_date', text: 'mai' },
  { reason: 'bad_date', member, problem: 'future_date', date: '2030-01-01' },
  { reason: 'bad_date', member, problem: 'before_joined', date: '1990-01-01', joined: '2000-01-01' },
  { reason: 'bad_date', member, problem: 'probation_not_over', ends: '2026-05-19' },
  { reason: 'bad_reason', problem: 'missing' },
  { reason: 'bad_reason', problem: 'too_long' },
  { reason: 'unknown_closing_kind', text: 'x' },
  { reason: 'not_occasion', text: '01/01/2026', next: '2026-02-03' },
  { reason: 'not_occasion', text: 'mai' },
  { reason: 'invalid_year', text: '20' },
  { reason: 'invalid_target', text: '-1' },
  { reason: 'import_errors', errors: [{ line: 3, problem: 'no_rows' }] },
];

const PROBLEMS: MemberCsvProblem[] = [
  'too_many_fields',
  'missing_value',
  'invalid_date',
  'invalid_gender',
  'invalid_name',
  'name_too_long',
  'invalid_ethnicity',
  'invalid_card',
  'invalid_months',
  'unknown_unit',
  'not_branch',
  'future_date',
  'joined_before_birth',
  'joined_before_party',
  'official_before_joined',
  'interrupted_too_long',
  'duplicate_card',
  'duplicate_person',
  'closed_member',
  'card_conflict',
  'same_member',
  'no_rows',
  'missing_columns',
  'duplicate_column',
  'unterminated_quote',
];

const clean = (text: string) => !/undefined|NaN|\[object|null/.test(text) && text.trim() !== '';

describe('member wording', () => {
  it('words every refusal', () => {
    for (const r of REFUSALS) expect(clean(msg.members.refusal(r)), r.reason).toBe(true);
    expect(msg.members.refusal(REFUSALS[8]!)).toBe(
      'Đảng viên Nguyễn Văn An đã ra khỏi danh sách (xóa tên ngày 02/01/2025), không cập nhật được nữa.',
    );
  });

  it('words every problem of a register file, by line, quoting what was typed', () => {
    for (const problem of PROBLEMS) {
      const e: MemberCsvError = {
        line: 12,
        problem,
        column: 'birthDate',
        columns: ['gender'],
        value: `${'x'.repeat(500)}\n=cmd`,
        firstLine: 4,
        months: 5,
        closing: { kind: 'deceased', date: '2025-09-05' },
        card: '999',
      };
      const text = msg.members.csvProblem(e);
      expect(text.startsWith('Dòng 12: '), problem).toBe(true);
      expect(clean(text), problem).toBe(true);
      expect(text.length, problem).toBeLessThan(400);
    }
    for (const problem of ['not_utf8', 'empty_file'] as const) {
      expect(clean(msg.members.csvProblem({ line: 0, problem }))).toBe(true);
    }
  });

  it('shows at most fifteen problems in chat and says how many more', () => {
    const errors = Array.from(
      { length: 20 },
      (_, i): MemberCsvError => ({ line: i + 2, problem: 'missing_value', column: 'gender' }),
    );
    const lines = msg.members.importErrors(errors).split('\n');
    expect(lines).toHaveLength(17);
    expect(lines[16]).toBe('… và 5 lỗi khác.');
  });
});
