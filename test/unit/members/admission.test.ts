/** A member entered by hand (kết nạp), the dates of chuyển chính thức and closing, and probation. */
import { describe, expect, it } from 'vitest';
import {
  checkAdmission,
  closingDate,
  closingReason,
  officialDate,
} from '../../../src/domain/members/admission.js';
import { compareNames } from '../../../src/domain/members/member.js';
import { probationEnds, probationStatus } from '../../../src/domain/members/probation.js';
import { msg } from '../../../src/messages/index.js';

const TODAY = '2025-09-10';
const draft = {
  fullName: '  Nguyễn   Văn An ',
  birthDate: '15/03/2000',
  gender: 'Nam',
  ethnicity: 'Kinh',
  joined: '19/05/2025',
};

describe('kết nạp', () => {
  it('makes a probationary member of the branch', () => {
    expect(checkAdmission(draft, 'CB01', TODAY)).toEqual({
      ok: true,
      input: {
        branch: 'CB01',
        fullName: 'Nguyễn Văn An',
        birthDate: '2000-03-15',
        gender: 'male',
        ethnicity: 'Kinh',
        joined: '2025-05-19',
        officialSince: null,
        cardNumber: null,
        interruptedMonths: 0,
      },
    });
  });

  it('says what is wrong with every field at once', () => {
    const r = checkAdmission(
      {
        fullName: '',
        birthDate: '15/03/2010',
        gender: 'khác',
        ethnicity: '😀',
        joined: '19/05/2026',
        cardNumber: '#1',
      },
      'CB01',
      TODAY,
    );
    expect(r.ok ? [] : r.problems).toEqual([
      { field: 'fullName', problem: 'missing' },
      { field: 'gender', problem: 'invalid' },
      { field: 'ethnicity', problem: 'invalid' },
      { field: 'cardNumber', problem: 'invalid' },
      { field: 'joined', problem: 'future_date' },
      { field: 'joined', problem: 'too_young', age: 16 },
    ]);
    const text = msg.members.refusal({ reason: 'invalid_member', problems: r.ok ? [] : r.problems });
    expect(text).toContain('«Ngày vào Đảng»: khi đó người được kết nạp mới 16 tuổi');
  });

  it('takes a card and interrupted months when given', () => {
    const r = checkAdmission({ ...draft, cardNumber: ' 12 345 678 ', interruptedMonths: '2' }, 'CB01', TODAY);
    expect(r.ok && r.input).toMatchObject({ cardNumber: '12345678', interruptedMonths: 2 });
    const bad = checkAdmission({ ...draft, interruptedMonths: '7' }, 'CB01', TODAY);
    expect(bad.ok ? [] : bad.problems).toEqual([
      { field: 'interruptedMonths', problem: 'interrupted_too_long', months: 3 },
    ]);
  });
});

describe('dates of a change', () => {
  it('makes a member official when the twelve months end, not before, not in the future', () => {
    expect(officialDate(undefined, '2024-05-19', TODAY)).toEqual({ ok: true, date: '2025-05-19' });
    expect(officialDate('20/06/2025', '2024-05-19', TODAY)).toEqual({ ok: true, date: '2025-06-20' });
    expect(officialDate('18/05/2025', '2024-05-19', TODAY)).toEqual({
      ok: false,
      problem: 'probation_not_over',
      ends: '2025-05-19',
    });
    expect(officialDate(undefined, '2025-01-10', TODAY)).toMatchObject({ problem: 'probation_not_over' });
    expect(officialDate('11/09/2025', '2024-05-19', TODAY)).toMatchObject({ problem: 'future_date' });
    expect(officialDate('hôm qua', '2024-05-19', TODAY)).toMatchObject({ problem: 'invalid_date' });
  });

  it('closes a membership today by default, never before admission', () => {
    expect(closingDate(undefined, '2000-01-01', TODAY)).toEqual({ ok: true, date: TODAY });
    expect(closingDate('01/01/1999', '2000-01-01', TODAY)).toMatchObject({ problem: 'before_joined' });
    expect(closingReason('  Chuyển đến\nĐảng bộ xã B ')).toEqual({
      ok: true,
      reason: 'Chuyển đến Đảng bộ xã B',
    });
    expect(closingReason(' ')).toEqual({ ok: false, problem: 'missing' });
    expect(closingReason('x'.repeat(301))).toEqual({ ok: false, problem: 'too_long' });
  });
});

describe('probation', () => {
  it('ends twelve months after admission; due within 60 days, overdue after', () => {
    expect(probationEnds('2024-02-29')).toBe('2025-02-28');
    expect(probationStatus('2024-09-10', TODAY)).toBe('due'); // ends today
    expect(probationStatus('2024-11-09', TODAY)).toBe('due'); // ends in 60 days
    expect(probationStatus('2024-11-10', TODAY)).toBe('running');
    expect(probationStatus('2024-09-09', TODAY)).toBe('overdue');
  });
});

describe('name order', () => {
  it('sorts by given name, then the whole name, as Vietnamese lists do', () => {
    const names = ['Trần Văn Bình', 'Nguyễn Thị Ánh', 'Lê Văn An', 'Đỗ Văn Đức', 'Phạm Văn Dũng'];
    expect([...names].sort(compareNames)).toEqual([
      'Lê Văn An',
      'Nguyễn Thị Ánh',
      'Trần Văn Bình',
      'Phạm Văn Dũng',
      'Đỗ Văn Đức',
    ]);
  });
});
