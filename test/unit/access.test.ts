import { describe, expect, it } from 'vitest';
import { canReportFor, canView, isAdmin, reportingBranches, viewScopes } from '../../src/domain/access.js';
import type { Role } from '../../src/domain/units.js';

// R ─┬─ DB1 ─┬─ CB1
//    │       └─ CB2
//    └─ DB2 ─── CB3
const PARENT: Record<string, string | null> = {
  R: null,
  DB1: 'R',
  DB2: 'R',
  CB1: 'DB1',
  CB2: 'DB1',
  CB3: 'DB2',
};
function ancestorsOf(code: string): string[] {
  const out: string[] = [];
  for (let p = PARENT[code] ?? null; p !== null; p = PARENT[p] ?? null) out.unshift(p);
  return out;
}

const ROLES: Record<string, Role[]> = {
  admin: [{ kind: 'admin' }],
  leaderDB1: [{ kind: 'leader', unit: 'DB1' }],
  secretaryCB1: [{ kind: 'secretary', unit: 'CB1' }],
  deputyCB1: [{ kind: 'deputy', unit: 'CB1' }],
  nobody: [],
};

// Targets seen from each role: CB1 is the secretary's own branch; CB2 another branch inside
// DB1's subtree; DB1 the leader's own unit; CB3 and DB2 outside DB1's subtree; R above it.
const TARGETS = ['CB1', 'CB2', 'DB1', 'CB3', 'DB2', 'R'] as const;

const CAN_VIEW: Record<string, Record<(typeof TARGETS)[number], boolean>> = {
  admin: { CB1: true, CB2: true, DB1: true, CB3: true, DB2: true, R: true },
  leaderDB1: { CB1: true, CB2: true, DB1: true, CB3: false, DB2: false, R: false },
  secretaryCB1: { CB1: true, CB2: false, DB1: false, CB3: false, DB2: false, R: false },
  deputyCB1: { CB1: true, CB2: false, DB1: false, CB3: false, DB2: false, R: false },
  nobody: { CB1: false, CB2: false, DB1: false, CB3: false, DB2: false, R: false },
};

const CAN_REPORT: Record<string, readonly string[]> = {
  admin: [],
  leaderDB1: [],
  secretaryCB1: ['CB1'],
  deputyCB1: ['CB1'],
  nobody: [],
};

describe('access matrix', () => {
  for (const [who, roles] of Object.entries(ROLES)) {
    for (const target of TARGETS) {
      const view = CAN_VIEW[who]?.[target];
      const report = CAN_REPORT[who]?.includes(target) ?? false;
      it(`${who} ${view ? 'sees' : 'does not see'} ${target} and ${report ? 'reports' : 'does not report'} for it`, () => {
        expect(canView(roles, target, ancestorsOf)).toBe(view);
        expect(canView(roles, target, ancestorsOf(target))).toBe(view);
        expect(canReportFor(roles, target)).toBe(report);
      });
    }
  }

  it('combines several roles', () => {
    const roles: Role[] = [
      { kind: 'leader', unit: 'DB2' },
      { kind: 'secretary', unit: 'CB1' },
    ];
    expect(TARGETS.filter((t) => canView(roles, t, ancestorsOf))).toEqual(['CB1', 'CB3', 'DB2']);
    expect(TARGETS.filter((t) => canReportFor(roles, t))).toEqual(['CB1']);
    expect(
      reportingBranches([...roles, { kind: 'deputy', unit: 'CB2' }, { kind: 'deputy', unit: 'CB1' }]),
    ).toEqual(['CB1', 'CB2']);
  });

  it('does not ask for ancestors when a role decides alone', () => {
    let asked = 0;
    const counting = (code: string) => {
      asked++;
      return ancestorsOf(code);
    };
    expect(canView(ROLES.admin ?? [], 'CB3', counting)).toBe(true);
    expect(canView(ROLES.secretaryCB1 ?? [], 'CB1', counting)).toBe(true);
    expect(asked).toBe(0);
  });
});

describe('isAdmin and viewScopes', () => {
  it('knows an admin', () => {
    expect(isAdmin(ROLES.admin ?? [])).toBe(true);
    expect(isAdmin([{ kind: 'leader', unit: 'R' }])).toBe(false);
  });

  it('roots an admin at the root and others at their units', () => {
    expect(viewScopes([{ kind: 'admin' }, { kind: 'secretary', unit: 'CB1' }], 'R')).toEqual(['R']);
    expect(viewScopes([{ kind: 'admin' }], null)).toEqual([]);
    expect(viewScopes([], 'R')).toEqual([]);
    const roles: Role[] = [
      { kind: 'leader', unit: 'DB1' },
      { kind: 'secretary', unit: 'CB1' },
      { kind: 'deputy', unit: 'CB3' },
      { kind: 'deputy', unit: 'CB1' },
    ];
    expect(viewScopes(roles, 'R')).toEqual(['DB1', 'CB1', 'CB3']);
    // CB1 lies inside DB1, so the leader sees one tree.
    expect(viewScopes(roles, 'R', ancestorsOf)).toEqual(['DB1', 'CB3']);
  });
});
