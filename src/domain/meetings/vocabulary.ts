/**
 * The words of the meeting report that the form parser itself needs (docs/glossary.md,
 * "sinh hoạt chi bộ"): the fields in order, the meeting types, and the labels the blank form
 * prints. The message catalogue takes them from here, so the form a secretary fills and the
 * parser that reads it can never disagree.
 */

/** The report's fields, in form and dialog order. */
export const MEETING_FIELD_KEYS = [
  'date',
  'type',
  'duration',
  'members',
  'exempt',
  'present',
  'absentWithReason',
  'absentWithoutReason',
  'content',
  'upperAttendee',
  'quality',
  'admitted',
  'madeOfficial',
] as const;
export type MeetingFieldKey = (typeof MEETING_FIELD_KEYS)[number];

/**
 * The fields the guided dialog asks, in order: all but the month's new and newly official
 * members, which come from the register (a form may still give them when the register shows none).
 */
export const MEETING_DIALOG_FIELDS = MEETING_FIELD_KEYS.filter(
  (k): k is Exclude<MeetingFieldKey, 'admitted' | 'madeOfficial'> => k !== 'admitted' && k !== 'madeOfficial',
);

/** The branch's own rating of a meeting, unless an admin sets another scale. */
export const DEFAULT_QUALITY_SCALE = ['Tốt', 'Khá', 'Trung bình', 'Kém'] as const;

/** Regular (thường kỳ), thematic (chuyên đề), or both in one sitting. */
export const MEETING_TYPES = ['thuong_ky', 'chuyen_de', 'ket_hop'] as const;
export type MeetingType = (typeof MEETING_TYPES)[number];

/** Form labels, exactly as the blank form prints them (without the colon). */
export const MEETING_LABELS = {
  date: 'Ngày',
  type: 'Loại',
  duration: 'Thời lượng (phút)',
  members: 'Tổng số đảng viên',
  exempt: 'Miễn sinh hoạt',
  present: 'Có mặt',
  absentWithReason: 'Vắng có lý do',
  absentWithoutReason: 'Vắng không lý do',
  content: 'Nội dung',
  upperAttendee: 'Cấp ủy cấp trên dự',
  quality: 'Xếp loại chất lượng',
  admitted: 'Kết nạp mới',
  madeOfficial: 'Chuyển chính thức',
} as const satisfies Record<MeetingFieldKey, string>;

/** Other spellings secretaries use for the same line. */
export const MEETING_LABEL_ALIASES = {
  date: ['Ngày sinh hoạt', 'Ngày họp'],
  type: ['Loại sinh hoạt', 'Hình thức'],
  duration: ['Thời gian', 'Số phút'],
  members: ['Số đảng viên', 'Tổng số'],
  exempt: ['Được miễn sinh hoạt', 'Miễn'],
  present: ['Số có mặt', 'Dự'],
  absentWithReason: ['Vắng có lí do'],
  absentWithoutReason: ['Vắng không lí do', 'Vắng không có lý do', 'Vắng không có lí do'],
  content: ['Nội dung sinh hoạt'],
  upperAttendee: ['Cấp trên dự', 'Đại biểu cấp trên'],
  quality: ['Chất lượng', 'Xếp loại', 'Tự đánh giá', 'Chất lượng sinh hoạt'],
  admitted: ['Kết nạp', 'Đảng viên mới', 'Số kết nạp mới'],
  madeOfficial: ['Chuyển đảng chính thức', 'Công nhận chính thức'],
} as const satisfies Record<MeetingFieldKey, readonly string[]>;
