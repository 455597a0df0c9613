/** The packed forms the register keeps in Redis read back to the same members. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOSING_KINDS, type Member } from '../../../src/domain/members/member.js';
import { addDays } from '../../../src/domain/vn.js';
import {
  packBadgeEntry,
  packMember,
  packRegister,
  unpackBadgeEntry,
  unpackMember,
  unpackRegister,
} from '../../../src/store/memberRecords.js';

const date = fc.integer({ min: 0, max: 40_000 }).map((n) => addDays('1920-01-01', n));
/** Text as names and reasons are stored: no tabs or newlines (whitespace is collapsed on entry). */
const text = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).map((s) => s.replace(/\s+/g, ' '));
const member: fc.Arbitrary<Member> = fc.record({
  id: fc.integer({ min: 1, max: 2 ** 31 }),
  branch: fc.stringMatching(/^[A-Za-z0-9._-]{1,32}$/),
  fullName: text,
  birthDate: date,
  gender: fc.constantFrom('male' as const, 'female' as const),
  ethnicity: text,
  joined: date,
  officialSince: fc.option(date, { nil: null }),
  cardNumber: fc.option(fc.stringMatching(/^[0-9A-Za-z][0-9A-Za-z./-]{0,19}$/), { nil: null }),
  interruptedMonths: fc.nat({ max: 1200 }),
  admittedBy: fc.option(fc.stringMatching(/^[A-Za-z0-9._-]{1,32}$/), { nil: null }),
  closing: fc.option(fc.record({ kind: fc.constantFrom(...CLOSING_KINDS), date, reason: text }), {
    nil: null,
  }),
});

describe('packed members', () => {
  it('read back the same, alone, in a branch register and as badge entries', () => {
    fc.assert(
      fc.property(fc.uniqueArray(member, { selector: (m) => m.id, maxLength: 5 }), (members) => {
        for (const m of members) {
          expect(unpackMember(m.id, m.branch, packMember(m))).toEqual(m);
          const { id, branch, fullName, birthDate, joined, interruptedMonths } = m;
          expect(unpackBadgeEntry(packBadgeEntry(m))).toEqual({
            id,
            branch,
            fullName,
            birthDate,
            joined,
            interruptedMonths,
          });
        }
        const inBranch = members.map((m) => ({ ...m, branch: 'CB01' }));
        expect(unpackRegister('CB01', packRegister(inBranch))).toEqual(
          [...inBranch].sort((a, b) => a.id - b.id),
        );
      }),
      { numRuns: 300 },
    );
    expect(unpackRegister('CB01', null)).toEqual([]);
  });
});
