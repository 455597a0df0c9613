/**
 * The organisation's words: unit levels, branch kinds and roles as codes with their Vietnamese
 * names, and the columns of the unit file. A leaf module: the unit CSV reader matches these
 * names, and the message catalogue prints them, so both always use the same words.
 */

/** Unit levels, top to bottom as they usually nest. */
export const UNIT_LEVELS = ['dang_bo', 'dang_bo_co_so', 'chi_bo_co_so', 'dang_bo_bo_phan', 'chi_bo'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/** Kinds of chi bộ. */
export const BRANCH_KINDS = [
  'thon',
  'to_dan_pho',
  'co_quan',
  'don_vi_su_nghiep',
  'truong_hoc',
  'doanh_nghiep',
  'cong_an',
  'quan_su',
  'khac',
] as const;
export type BranchKind = (typeof BRANCH_KINDS)[number];

export const LEVEL_NAMES = {
  dang_bo: 'Đảng bộ',
  dang_bo_co_so: 'Đảng bộ cơ sở',
  chi_bo_co_so: 'Chi bộ cơ sở',
  dang_bo_bo_phan: 'Đảng bộ bộ phận',
  chi_bo: 'Chi bộ',
} as const satisfies Record<UnitLevel, string>;

export const KIND_NAMES = {
  thon: 'Thôn/xóm/khu dân cư',
  to_dan_pho: 'Tổ dân phố',
  co_quan: 'Cơ quan',
  don_vi_su_nghiep: 'Đơn vị sự nghiệp',
  truong_hoc: 'Trường học',
  doanh_nghiep: 'Doanh nghiệp',
  cong_an: 'Công an',
  quan_su: 'Quân sự',
  khac: 'Khác',
} as const satisfies Record<BranchKind, string>;

/** Role names by role kind (the kinds themselves are defined with `Role` in `units.ts`). */
export const ROLE_NAMES = {
  admin: 'Quản trị',
  leader: 'Lãnh đạo',
  secretary: 'Bí thư',
  deputy: 'Phó bí thư',
} as const;

/** The columns of a unit file. */
export const UNIT_COLUMNS = [
  'code',
  'name',
  'level',
  'kind',
  'parent',
  'members',
  'headApplies',
  'official',
] as const;
export type UnitColumn = (typeof UNIT_COLUMNS)[number];

/** The Vietnamese header, as the template and the error messages name the columns. */
export const COLUMN_LABELS = {
  code: 'Mã',
  name: 'Tên',
  level: 'Cấp',
  kind: 'Loại',
  parent: 'Mã cấp trên',
  members: 'Số đảng viên',
  headApplies: 'Bí thư kiêm người đứng đầu',
  official: 'Số đảng viên chính thức',
} as const satisfies Record<UnitColumn, string>;

/** Header texts the reader accepts for each column (matched without accents or case). */
export const COLUMN_ALIASES: Record<UnitColumn, readonly string[]> = {
  code: ['code', 'mã', 'mã đơn vị', 'unit code'],
  name: ['name', 'tên', 'tên đơn vị', 'unit name'],
  level: ['level', 'cấp'],
  kind: ['kind', 'loại', 'loại chi bộ'],
  parent: ['parent', 'mã cấp trên', 'parent code', 'cấp trên'],
  members: ['members', 'số đảng viên', 'đảng viên'],
  headApplies: ['head_applies', 'bí thư kiêm người đứng đầu', 'kiêm người đứng đầu', 'người đứng đầu'],
  official: ['official', 'số đảng viên chính thức', 'đảng viên chính thức', 'chính thức'],
};

/**
 * Kinds of chi bộ where "bí thư là người đứng đầu" applies unless the unit list says otherwise:
 * the branch sits in a thôn, tổ dân phố, cơ quan, đơn vị sự nghiệp or doanh nghiệp, which has a
 * head (trưởng thôn, tổ trưởng, thủ trưởng, giám đốc).
 */
export const HEAD_APPLIES_KINDS: readonly BranchKind[] = [
  'thon',
  'to_dan_pho',
  'co_quan',
  'don_vi_su_nghiep',
  'doanh_nghiep',
];
