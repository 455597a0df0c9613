import { describe, expect, it } from 'vitest';
import { recountAbsences } from '../../../src/domain/meetings/absence.js';
import { matchAbsentees } from '../../../src/domain/meetings/absentees.js';
import type { MeetingReport } from '../../../src/domain/meetings/report.js';
import { msg } from '../../../src/messages/index.js';

const register = [
  { id: 11, fullName: 'Lê Văn Cường' },
  { id: 12, fullName: 'Nguyễn Thị Hoa' },
  { id: 13, fullName: 'Nguyễn Thị Hoa' },
  { id: 14, fullName: 'Trần Văn Bình' },
];

function report(withReason: string[], withoutReason: string[]): MeetingReport {
  const absence = (names: string[]) => ({ count: names.length, people: names.map((name) => ({ name })) });
  return {
    month: '2025-09',
    date: '2025-09-03',
    type: 'thuong_ky',
    durationMinutes: 95,
    members: 10,
    exempt: 0,
    present: 10 - withReason.length - withoutReason.length,
    absentWithReason: absence(withReason),
    absentWithoutReason: absence(withoutReason),
    content: 'Sinh hoạt',
  };
}

describe('absent members matched to the register', () => {
  it('takes the register’s name and id, whatever the accents and case typed', () => {
    const r = matchAbsentees(report(['tran van binh'], ['LÊ VĂN CƯỜNG']), register);
    expect(r.ok && r.report.absentWithoutReason.people).toEqual([{ name: 'Lê Văn Cường', memberId: 11 }]);
    expect(r.ok && r.report.absentWithReason.people).toEqual([{ name: 'Trần Văn Bình', memberId: 14 }]);
  });

  it('asks for the id when two members share the name, and takes it', () => {
    const ambiguous = matchAbsentees(report([], ['Nguyễn Thị Hoa']), register);
    expect(ambiguous.ok).toBe(false);
    expect(!ambiguous.ok && msg.meetings.problem(ambiguous.errors[0]!.problem)).toBe(
      '«Vắng không lý do»: chi bộ có 2 đảng viên tên «Nguyễn Thị Hoa» (mã số 12, 13). Đồng chí ghi kèm mã số, ví dụ Nguyễn Thị Hoa #12.',
    );
    const named = matchAbsentees(report([], ['Nguyễn Thị Hoa #13']), register);
    expect(named.ok && named.report.absentWithoutReason.people).toEqual([
      { name: 'Nguyễn Thị Hoa', memberId: 13 },
    ]);
  });

  it('refuses a name not on the register, and leaves a branch without a register alone', () => {
    const r = matchAbsentees(report([], ['Phạm Văn Không Có']), register);
    expect(!r.ok && r.errors.map((e) => e.problem.code)).toEqual(['absentNotOnRegister']);
    const none = report([], ['Phạm Văn Không Có']);
    expect(matchAbsentees(none, [])).toEqual({ ok: true, report: none });
  });
});

describe('the 3-month rule follows real people', () => {
  it('counts a matched member’s months whatever spelling each month used', () => {
    let book = new Map();
    const months = ['2025-03', '2025-05', '2025-09'];
    const spellings = ['Lê Văn Cường', 'Le Van Cuong', 'Lê V. Cường'];
    let last: ReturnType<typeof recountAbsences> | undefined;
    for (const [i, month] of months.entries()) {
      last = recountAbsences(book, month, [], [{ name: spellings[i]!, memberId: 11 }]);
      book = new Map([...book, ...last.changes]);
    }
    expect(last?.warnings).toEqual([{ name: 'Lê V. Cường', months, level: 'strike' }]);
  });
});
