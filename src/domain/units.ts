/**
 * The organisation tree: units of any depth, each with a level, a kind, a parent and a member
 * count; and the roles people hold in it. Pure: schemas, predicates and name matching, no I/O.
 */
import { z } from 'zod';
import {
  BRANCH_KINDS,
  type BranchKind,
  HEAD_APPLIES_KINDS,
  KIND_NAMES,
  LEVEL_NAMES,
  UNIT_LEVELS,
  type UnitLevel,
} from './unitVocabulary.js';
import { foldVietnamese } from './vn.js';

export { BRANCH_KINDS, type BranchKind, UNIT_LEVELS, type UnitLevel } from './unitVocabulary.js';

/** Levels whose units report (hold meetings and congresses): a "branch". */
export const BRANCH_LEVELS: readonly UnitLevel[] = ['chi_bo', 'chi_bo_co_so'];

/** A branch with no kind given is counted as "Khác". */
export const DEFAULT_BRANCH_KIND: BranchKind = 'khac';

/** Longest unit code; codes travel in Redis keys and 64-byte callback data. */
export const UNIT_CODE_MAX = 32;
/** Longest unit name. */
export const UNIT_NAME_MAX = 200;

/**
 * Deepest a unit may sit, the root being level 1. Real trees have five or six levels (tỉnh,
 * xã, đảng bộ cơ sở, đảng bộ bộ phận, chi bộ); the cap stops a runaway chain, whose stored
 * paths grow with the square of its depth.
 */
export const UNIT_DEPTH_MAX = 12;
/** Most units one import may carry: a province has tens of thousands, so this leaves ample room. */
export const UNIT_IMPORT_ROWS_MAX = 400_000;

/**
 * Unit codes: ASCII letters, digits, `.`, `_`, `-`. No `/` or `:` (the store uses them as
 * separators) and no spaces, so a code is safe in keys, paths and callback data.
 */
export const UNIT_CODE_PATTERN = /^[A-Za-z0-9._-]+$/;

export const unitCodeSchema = z.string().min(1).max(UNIT_CODE_MAX).regex(UNIT_CODE_PATTERN);

export const unitSchema = z.object({
  code: unitCodeSchema,
  name: z.string().trim().min(1).max(UNIT_NAME_MAX),
  level: z.enum(UNIT_LEVELS),
  /** Null for committees whose kind nobody gave; always set for branches. */
  kind: z.enum(BRANCH_KINDS).nullable(),
  /** Null only for the one root unit of the deployment. */
  parent: unitCodeSchema.nullable(),
  members: z.number().int().nonnegative(),
  /**
   * Whether "bí thư là người đứng đầu" applies to the branch, when the unit list says so; else
   * it follows the kind (`headApplies`).
   */
  headApplies: z.boolean().optional(),
  /** Đảng viên chính thức, when the unit list gives them (the 9-member rule counts these). */
  official: z.number().int().nonnegative().optional(),
});

/** One unit of the organisation tree. */
export type Unit = z.infer<typeof unitSchema>;
/** A unit as an import supplies it (same shape as a stored unit). */
export type UnitInput = Unit;

/** True for the levels that report: chi_bo and chi_bo_co_so. */
export function isBranchLevel(level: UnitLevel): boolean {
  return level === 'chi_bo' || level === 'chi_bo_co_so';
}

/** True when the unit is a branch (chi bộ or chi bộ cơ sở), the unit that reports. */
export function isBranch(unit: Pick<Unit, 'level'>): boolean {
  return isBranchLevel(unit.level);
}

/** True when two units carry the same data (what an import compares to decide "unchanged"). */
export function sameUnit(a: Unit, b: Unit): boolean {
  return (
    a.code === b.code &&
    a.name === b.name &&
    a.level === b.level &&
    a.kind === b.kind &&
    a.parent === b.parent &&
    a.members === b.members &&
    a.headApplies === b.headApplies &&
    a.official === b.official
  );
}

/** Whether "bí thư là người đứng đầu" applies to the branch: as the unit list says, else by its kind. */
export function headApplies(unit: Pick<Unit, 'kind' | 'headApplies'>): boolean {
  return unit.headApplies ?? (unit.kind !== null && HEAD_APPLIES_KINDS.includes(unit.kind));
}

function matchKey(text: string): string {
  return foldVietnamese(text.replace(/_/g, ' ')).replace(/[()]/g, ' ').replace(/\s+/g, ' ').trim();
}

const LEVEL_ALIASES: Record<UnitLevel, readonly string[]> = {
  dang_bo: ['dang uy'],
  dang_bo_co_so: ['dang uy co so'],
  chi_bo_co_so: [],
  dang_bo_bo_phan: [],
  chi_bo: ['chi bo truc thuoc'],
};

const KIND_ALIASES: Record<BranchKind, readonly string[]> = {
  thon: ['thon', 'xom', 'khu dan cu', 'thon xom', 'ap', 'ban', 'to dan cu'],
  to_dan_pho: ['tdp'],
  co_quan: [],
  don_vi_su_nghiep: ['dvsn', 'su nghiep', 'don vi su nghiep cong lap'],
  truong_hoc: ['truong'],
  doanh_nghiep: ['cong ty'],
  cong_an: [],
  quan_su: ['quan doi'],
  khac: [],
};

function buildLookup<K extends string>(
  codes: readonly K[],
  names: Record<K, string>,
  aliases: Record<K, readonly string[]>,
): Map<string, K> {
  const map = new Map<string, K>();
  for (const code of codes) {
    map.set(matchKey(code), code);
    map.set(matchKey(names[code]), code);
    // "Thôn/xóm/khu dân cư" is also matched as "thon xom khu dan cu".
    map.set(matchKey(names[code].replace(/[/,]/g, ' ')), code);
    for (const alias of aliases[code]) map.set(matchKey(alias), code);
  }
  return map;
}

const levelLookup = buildLookup(UNIT_LEVELS, LEVEL_NAMES, LEVEL_ALIASES);
const kindLookup = buildLookup(BRANCH_KINDS, KIND_NAMES, KIND_ALIASES);

/** "Chi bộ", "chi bo", "CHI_BO", "chi_bo" -> 'chi_bo'; undefined when not a level. */
export function parseUnitLevel(text: string): UnitLevel | undefined {
  return levelLookup.get(matchKey(text));
}

/** "Tổ dân phố", "to_dan_pho", "thôn" -> a kind code; undefined when not a kind. */
export function parseBranchKind(text: string): BranchKind | undefined {
  return kindLookup.get(matchKey(text));
}

/** What a person may be: office staff, a committee leader, or a branch secretary or deputy. */
export type Role =
  | { kind: 'admin' }
  | { kind: 'leader'; unit: string }
  | { kind: 'secretary'; unit: string }
  | { kind: 'deputy'; unit: string };
export type RoleKind = Role['kind'];
/** Roles tied to a unit. */
export type UnitRoleKind = Exclude<RoleKind, 'admin'>;

export const ROLE_KINDS = ['admin', 'leader', 'secretary', 'deputy'] as const satisfies readonly RoleKind[];
export const UNIT_ROLE_KINDS = ['leader', 'secretary', 'deputy'] as const satisfies readonly UnitRoleKind[];

export const roleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('admin') }),
  z.object({ kind: z.literal('leader'), unit: unitCodeSchema }),
  z.object({ kind: z.literal('secretary'), unit: unitCodeSchema }),
  z.object({ kind: z.literal('deputy'), unit: unitCodeSchema }),
]);

/** Builds a unit role. */
export function unitRole(kind: UnitRoleKind, unit: string): Role {
  return { kind, unit };
}

/** The unit a role is tied to; undefined for admin. */
export function roleUnit(role: Role): string | undefined {
  return role.kind === 'admin' ? undefined : role.unit;
}

/** A stable string for a role: "admin", "leader:DB01", "secretary:CB07". */
export function roleKey(role: Role): string {
  return role.kind === 'admin' ? 'admin' : `${role.kind}:${role.unit}`;
}

/** The inverse of roleKey; undefined for anything else. */
export function parseRoleKey(key: string): Role | undefined {
  if (key === 'admin') return { kind: 'admin' };
  const i = key.indexOf(':');
  if (i < 0) return undefined;
  const parsed = roleSchema.safeParse({ kind: key.slice(0, i), unit: key.slice(i + 1) });
  return parsed.success ? parsed.data : undefined;
}

/** Why a role cannot be held at a unit: secretaries and deputies belong to branches only. */
export function roleMismatch(
  role: Role,
  unit: Pick<Unit, 'level'> | undefined,
): 'unknown_unit' | 'not_branch' | undefined {
  if (role.kind === 'admin') return undefined;
  if (!unit) return 'unknown_unit';
  if ((role.kind === 'secretary' || role.kind === 'deputy') && !isBranch(unit)) return 'not_branch';
  return undefined;
}
