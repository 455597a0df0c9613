import { describe, expect, it } from 'vitest';
import { documentKind } from '../../../src/domain/citation.js';
import {
  decisionKind,
  parseDecision,
  reportChanges,
  tallyDecisions,
} from '../../../src/domain/congress/decision.js';
import { congressReport } from '../../support/congressReports.js';

const TODAY = '2025-09-20';

describe('recording a quyết định', () => {
  it('reads the number and the date, with or without "số" and "ngày"', () => {
    expect(parseDecision('123-QĐ/ĐU 15/09/2025', TODAY)).toEqual({
      ok: true,
      decision: { number: '123-QĐ/ĐU', date: '2025-09-15' },
    });
    expect(parseDecision('số 45/QĐ-ĐU ngày 1/9/2025', TODAY)).toEqual({
      ok: true,
      decision: { number: '45/QĐ-ĐU', date: '2025-09-01' },
    });
  });

  it('says what is missing or wrong', () => {
    expect(parseDecision('  ', TODAY)).toEqual({ ok: false, problem: { code: 'decisionMissing' } });
    expect(parseDecision('123-QĐ/ĐU', TODAY)).toEqual({
      ok: false,
      problem: { code: 'decisionDateMissing' },
    });
    expect(parseDecision('15/09/2025', TODAY)).toMatchObject({
      ok: false,
      problem: { code: 'decisionNumberInvalid' },
    });
    expect(parseDecision('123-QĐ/ĐU 31/02/2025', TODAY)).toMatchObject({
      ok: false,
      problem: { code: 'decisionDateInvalid' },
    });
    expect(parseDecision('123-QĐ/ĐU 21/09/2025', TODAY)).toMatchObject({
      ok: false,
      problem: { code: 'decisionDateFuture', date: '2025-09-21' },
    });
    expect(parseDecision('123-QĐ/ĐU 10/09/2025', TODAY, '2025-09-12')).toMatchObject({
      ok: false,
      problem: { code: 'decisionBeforeCongress', congress: '2025-09-12' },
    });
    expect(parseDecision(`${'9'.repeat(5000)} 15/09/2025`, TODAY)).toMatchObject({
      ok: false,
      problem: { code: 'decisionNumberInvalid' },
    });
    expect(parseDecision('123 🙂 15/09/2025', TODAY)).toMatchObject({
      ok: false,
      problem: { code: 'decisionNumberInvalid' },
    });
  });

  it('is chuẩn y after an election and chỉ định without one', () => {
    expect(decisionKind(congressReport())).toBe('chuan_y');
    expect(decisionKind(congressReport({ format: 'khong_bau_cu' }))).toBe('chi_dinh');
  });

  it('lists what an amendment changed, in form order', () => {
    const before = congressReport();
    const after = congressReport({ present: 18, deputy: 'khong' });
    expect(reportChanges(before, after)).toEqual([
      { field: 'present', before: 19, after: 18 },
      { field: 'deputy', before: 'co', after: 'khong' },
    ]);
    expect(reportChanges(before, before)).toEqual([]);
  });

  it('reads the document kind from the number', () => {
    expect(documentKind('74-KH/ĐU')).toBe('KH');
    expect(documentKind('123-qđ/đu')).toBe('QĐ');
    expect(documentKind('99/UBND')).toBeUndefined();
    expect(documentKind(undefined)).toBeUndefined();
  });
});

describe('the daily summary’s chuẩn y lines', () => {
  it('say "Đã chuẩn y X/Y" and the latest decision numbers', async () => {
    const { roundNotes } = await import('../../../src/services/reminders/roundNotes.js');
    const store = {
      decisions: async () => ({
        count: 3,
        latest: [
          { number: '124-QĐ/ĐU', date: '2025-09-16', branches: 2 },
          { number: '123-QĐ/ĐU', date: '2025-09-15', branches: 1 },
        ],
      }),
      getReport: async () => undefined,
    };
    const notes = await roundNotes(
      store as never,
      { id: 'C1' },
      { code: 'VH', level: 'dang_bo_co_so' },
      { held: 5, approved: 3 },
      TODAY,
    );
    expect(notes).toEqual([
      'Đã chuẩn y 3/5 chi bộ đã đại hội.',
      'Quyết định đã ghi (2 gần nhất trong 3): số 124-QĐ/ĐU ngày 16/9/2025 (2 chi bộ); số 123-QĐ/ĐU ngày 15/9/2025.',
    ]);
    expect(
      await roundNotes(
        store as never,
        { id: 'C1' },
        { code: 'VH', level: 'dang_bo_co_so' },
        { held: 0, approved: 0 },
        TODAY,
      ),
    ).toEqual([]);
  });
});

describe('tallying the decisions behind approvals', () => {
  it('counts the branches of each decision, latest first, and skips approvals without a number', () => {
    const one = { number: '12-QĐ/ĐU', date: '2025-09-18' };
    const later = { number: '15-QĐ/ĐU', date: '2025-09-20' };
    const sameDayOther = { number: '13-QĐ/ĐU', date: '2025-09-18' };
    expect(tallyDecisions([one, undefined, later, one, { number: '14-QĐ/ĐU' }, sameDayOther, {}])).toEqual([
      { ...later, branches: 1 },
      { ...sameDayOther, branches: 1 },
      { ...one, branches: 2 },
    ]);
    expect(tallyDecisions([])).toEqual([]);
  });
});
