/** The badge list's CSV writes every cell as the general CSV writer with the formula guard would. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formulaSafe, parseCsv, toCsv } from '../../../src/domain/csv.js';
import { BADGE_CSV_HEADER, type BadgeList, badgeCsv } from '../../../src/domain/members/badgeList.js';
import { formatVnDate } from '../../../src/domain/vn.js';

const cell = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('=1+1', '+84', '-2', '@SUM(A1)', ' lề', 'cuối ', 'a,b', 'có "ngoặc"', 'dòng\nhai', '\tx'),
);

describe('badgeCsv', () => {
  it('matches the general writer with every text cell guarded, and reads back', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell), { maxLength: 6 }), (cells) => {
        const list: BadgeList = {
          occasion: '2026-09-02',
          scope: { code: 'T', name: 'Tỉnh' },
          rows: cells.map(([code, name, fullName], i) => ({
            unit: { code: `${code}${i % 2}`, name },
            milestone: 30,
            member: {
              id: i,
              branch: code,
              fullName,
              birthDate: '1970-01-02',
              joined: '1996-05-20',
              interruptedMonths: 0,
            },
          })),
        };
        const expected = toCsv([
          [...BADGE_CSV_HEADER],
          ...list.rows.map((r) => [
            formulaSafe(r.unit.code),
            formulaSafe(r.unit.name),
            formulaSafe(r.member.fullName),
            formatVnDate(r.member.birthDate),
            formatVnDate(r.member.joined),
            String(r.milestone),
          ]),
        ]);
        expect(badgeCsv(list)).toBe(expected);
        expect(parseCsv(badgeCsv(list)).records[0]?.fields).toEqual([...BADGE_CSV_HEADER]);
      }),
      { numRuns: 300 },
    );
  });
});
