/**
 * The words of the congress result that the form parser and the guided dialog themselves need
 * (docs/glossary.md, "đại hội chi bộ"): the fields in order, the labels the blank form prints and
 * the other spellings secretaries use, the names of the answers the form writes back, and the
 * dialog's button captions (each is also a valid typed answer). The message catalogue takes them
 * from here, so the form a secretary fills and the parser that reads it can never disagree.
 */

/** Form fields in the order the blank form prints them and the dialog asks them. */
export const CONGRESS_FIELDS = [
  'date',
  'format',
  'summoned',
  'present',
  'elected',
  'reElected',
  'women',
  'young',
  'minority',
  'secretaryDirect',
  'secretaryIsHead',
  'deputy',
  'note',
] as const;
export type CongressField = (typeof CONGRESS_FIELDS)[number];

/**
 * Hình thức, in the committees' own words: with election, or one of the congresses without
 * election ("3 nội dung", "2 nội dung", plain "không bầu cử"). Stored as given, so the statistics
 * can name each kind ("1 đơn vị đại hội 3 nội dung").
 */
export const HINH_THUC = ['bau_cu', 'ba_noi_dung', 'hai_noi_dung', 'khong_bau_cu'] as const;
export type HinhThuc = (typeof HINH_THUC)[number];

/** Whether a congress of this kind elects its committee (the others get it by chỉ định). */
export function withElection(format: HinhThuc): boolean {
  return format === 'bau_cu';
}

/** Labels exactly as the blank form prints them (without the colon). */
export const CONGRESS_LABELS = {
  date: 'Ngày đại hội',
  format: 'Hình thức',
  summoned: 'Đảng viên triệu tập',
  present: 'Đảng viên có mặt',
  elected: 'Cấp ủy viên được bầu',
  reElected: 'Tái cử',
  women: 'Nữ',
  young: 'Trẻ',
  minority: 'Dân tộc thiểu số',
  secretaryDirect: 'Bí thư bầu tại đại hội',
  secretaryIsHead: 'Bí thư là người đứng đầu',
  deputy: 'Phó bí thư',
  note: 'Ghi chú',
} as const satisfies Record<CongressField, string>;

/** Other spellings secretaries use for the same line. */
export const CONGRESS_LABEL_ALIASES = {
  date: ['Ngày', 'Ngày tổ chức', 'Ngày tổ chức đại hội'],
  format: ['Hình thức đại hội', 'Hình thức tổ chức'],
  summoned: ['Số đảng viên triệu tập', 'Triệu tập', 'Đảng viên được triệu tập'],
  present: ['Số đảng viên có mặt', 'Có mặt', 'Đảng viên dự đại hội'],
  elected: ['Số cấp ủy viên được bầu', 'Cấp ủy viên', 'Số cấp ủy viên', 'Được bầu'],
  reElected: ['Số tái cử', 'Cấp ủy viên tái cử'],
  women: ['Số nữ', 'Cấp ủy viên nữ'],
  young: ['Số trẻ', 'Cấp ủy viên trẻ'],
  minority: ['Dân tộc', 'DTTS', 'Người dân tộc thiểu số', 'Cấp ủy viên dân tộc thiểu số'],
  secretaryDirect: [
    'Bí thư được bầu tại đại hội',
    'Bầu bí thư tại đại hội',
    'Bí thư bầu trực tiếp',
    'Đại hội bầu trực tiếp bí thư',
  ],
  secretaryIsHead: ['Người đứng đầu', 'Bí thư đồng thời là người đứng đầu', 'Bí thư kiêm người đứng đầu'],
  deputy: ['Phó bí thư được bầu', 'Bầu phó bí thư', 'Có phó bí thư'],
  note: [],
} as const satisfies Record<CongressField, readonly string[]>;

/** How the form writes a Hình thức (and the parser reads it back). */
export const HINH_THUC_NAMES = {
  bau_cu: 'bầu cử',
  ba_noi_dung: '3 nội dung',
  hai_noi_dung: '2 nội dung',
  khong_bau_cu: 'không bầu cử',
} as const satisfies Record<HinhThuc, string>;

/** How the form writes a yes/no/not-applicable answer (and the parser reads it back). */
export const YES_NO_NAMES = { co: 'có', khong: 'không', khong_ap_dung: 'không áp dụng' } as const;

/** The dialog's button captions; each is also read as a typed answer. */
export const DIALOG_CHOICES = {
  election: 'Bầu cử',
  noElection: 'Không bầu cử',
  threeItems: '3 nội dung',
  twoItems: '2 nội dung',
  yes: 'Có',
  no: 'Không',
  notApplicable: 'Không áp dụng',
  skip: 'Bỏ qua',
} as const;
