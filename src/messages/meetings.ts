/**
 * Wording for monthly branch meetings (sinh hoạt chi bộ): the report form and guided dialog,
 * the problems a report can have (worded from the domain's reason codes), the confirmation card,
 * absence warnings and the progress summary. Texts that show user input take it as markup
 * (escaped by each channel's renderer), and echo typed input capped (`echo`).
 */
import { bold, italic, lines, type Rich } from '../chat/markup.js';
import type { AbsenceWarning } from '../domain/meetings/absence.js';
import { formatQuarter, formatYearMonth, type YearMonth, yearOf } from '../domain/meetings/calendar.js';
import type { ComplianceData } from '../domain/meetings/compliance.js';
import type { DialogPrompt } from '../domain/meetings/dialog.js';
import type {
  Absence,
  FieldError,
  MeetingFlags,
  MeetingProblem,
  MeetingReport,
} from '../domain/meetings/report.js';
import { MEETING_LABELS, type MeetingFieldKey, type MeetingType } from '../domain/meetings/vocabulary.js';
import { echo } from '../domain/text.js';
import { formatNumber, formatPercent, formatRatio, formatRatioPercent, formatVnDate } from '../domain/vn.js';
import { common } from './common.js';

/** "«Có mặt»": how labels and values are quoted inside sentences. */
const q = (s: string) => `«${s}»`;
/** A person's own input, quoted and capped. */
const typed = (s: string) => q(echo(s));
const n = formatNumber;

/** Form labels, exactly as the blank form prints them (without the colon). */
const labels = MEETING_LABELS;
const errorFooter = 'Đồng chí sửa các mục trên rồi gửi lại cả mẫu.';

/** How a meeting type reads inside a sentence. */
const typeNames = {
  thuong_ky: 'thường kỳ',
  chuyen_de: 'chuyên đề',
  ket_hop: 'thường kỳ kết hợp chuyên đề',
} as const satisfies Record<MeetingType, string>;

/** Button captions for the type question. */
const typeChoices = {
  thuong_ky: 'Thường kỳ',
  chuyen_de: 'Chuyên đề',
  ket_hop: 'Thường kỳ + chuyên đề',
} as const satisfies Record<MeetingType, string>;

/** "tháng 3, 5 và 9 năm 2025" from month numbers of one year. */
function monthList(months: readonly number[], year: number): string {
  const parts = months.map(String);
  const last = parts.pop();
  const list = parts.length > 0 ? `${parts.join(', ')} và ${last}` : (last ?? '');
  return `tháng ${list} năm ${year}`;
}

/** How `/caidat_sinhhoat` is written. */
const SETTINGS_USAGE =
  'Cách dùng: /caidat_sinhhoat [MÃ] [ngay=3] [han=5] [tyle=80] [doi=co|khong] [nghi=01/10/2025,02/10/2025|khong] [chatluong=Tốt,Khá,Trung_bình,Kém]. Bỏ trống MÃ là đơn vị gốc; chỉ ghi MÃ để xem; /caidat_sinhhoat MÃ macdinh để bỏ thiết lập riêng.';

export const meetings = {
  labels,
  typeNames,
  typeChoices,

  form: {
    intro: (monthLabel: string) =>
      `Báo cáo sinh hoạt chi bộ tháng ${monthLabel}. Đồng chí sao chép mẫu dưới đây, điền sau dấu hai chấm rồi gửi lại. Mục nào không có thì ghi 0.`,
    example:
      'Ví dụ ghi người vắng: «Vắng có lý do: 2 (Nguyễn Văn A - ốm; Trần Thị B - công tác)», «Vắng không lý do: 1 (Lê Văn C)».',
  },

  prompts: {
    date: 'Đồng chí nhập ngày sinh hoạt (ngày/tháng/năm), ví dụ 03/09/2025.',
    type: 'Buổi sinh hoạt thuộc loại nào? Đồng chí chọn một nút hoặc ghi: thường kỳ, chuyên đề, thường kỳ + chuyên đề.',
    duration: 'Buổi sinh hoạt kéo dài bao nhiêu phút? Ví dụ: 120.',
    members: (branchSize?: number) =>
      branchSize === undefined
        ? 'Tổng số đảng viên của chi bộ là bao nhiêu?'
        : `Tổng số đảng viên của chi bộ là bao nhiêu? (Theo danh sách: ${n(branchSize)}.)`,
    exempt: 'Bao nhiêu đảng viên được miễn sinh hoạt? Không có thì ghi 0.',
    present: 'Bao nhiêu đảng viên có mặt?',
    absentWithReason:
      'Bao nhiêu đảng viên vắng có lý do? Có thể ghi kèm tên và lý do, ví dụ: 2 (Nguyễn Văn A - ốm; Trần Thị B - công tác). Không có thì ghi 0.',
    absentWithoutReason:
      'Bao nhiêu đảng viên vắng không có lý do? Có thể ghi kèm tên, ví dụ: 1 (Lê Văn C). Không có thì ghi 0.',
    content: 'Nội dung chính của buổi sinh hoạt (ghi ngắn gọn)?',
    upperAttendee: 'Đồng chí cấp ủy cấp trên nào dự (họ tên)? Không có thì bấm «Bỏ qua» hoặc ghi «không».',
    quality: 'Chi bộ tự xếp loại chất lượng buổi sinh hoạt thế nào? Ví dụ: Tốt, Khá, Trung bình, Kém.',
    admitted: 'Trong tháng chi bộ kết nạp bao nhiêu đảng viên mới? Không có thì ghi 0.',
    madeOfficial: 'Trong tháng bao nhiêu đảng viên dự bị được chuyển chính thức? Không có thì ghi 0.',
  } satisfies Record<MeetingFieldKey, string | ((branchSize?: number) => string)>,
  buttonSkip: 'Bỏ qua',
  /** The only button that saves; its caption starts with «Xác nhận» as every report's does. */
  buttonSave: 'Xác nhận',
  buttonEdit: 'Sửa',
  buttonDialog: 'Trả lời từng câu',
  /** A revise button for one field at the dialog's review. */
  buttonEditField: (label: string) => `Sửa: ${label}`,

  /** Who may report, and where. */
  access: {
    reportersOnly:
      'Báo cáo sinh hoạt chi bộ do bí thư hoặc phó bí thư chi bộ gửi. Đồng chí xem tình hình sinh hoạt chi bộ bằng lệnh /sinhhoat_tiendo.',
    notYourBranch: (branchName: string) =>
      `Đồng chí không phải bí thư hoặc phó bí thư ${branchName} nên không gửi báo cáo cho chi bộ này được. Nếu đây là nhầm lẫn, đồng chí liên hệ văn phòng cấp ủy.`,
  },

  /** A secretary of several branches picks one. */
  pickBranch: 'Đồng chí báo cáo sinh hoạt cho chi bộ nào?',
  pickBranchFirst: 'Đồng chí chọn chi bộ ở tin nhắn trên, hoặc bấm «Hủy».',
  /** A plain message while a card waits for its button. */
  pendingConfirm:
    'Báo cáo chưa được lưu. Đồng chí bấm «Xác nhận» ở tin nhắn trên để lưu, hoặc «Hủy» để bỏ; cũng có thể gửi lại cả mẫu đã sửa.',

  dialog: {
    start: (branchName: string) =>
      `Báo cáo sinh hoạt ${branchName}: bot hỏi từng câu. Đồng chí bấm «Hủy» hoặc gõ /huy để dừng bất cứ lúc nào.`,
    question: (index: number, total: number, text: string) => `Câu ${index}/${total}. ${text}`,
    /** Shown under a question asked again from the review. */
    current: (value: string) => `(Đã ghi: ${value})`,
    resume: 'Đồng chí đang báo cáo dở. Tiếp tục từ câu đang hỏi:',
    fixFooter: 'Đồng chí bấm nút của mục cần sửa.',
    pickField: 'Đồng chí muốn sửa mục nào?',
  },

  errors: {
    heading: errorHeading,
    footer: errorFooter,
    missing: (label: string) => `Chưa điền mục ${q(label)}.`,
    unknownLine: (line: number, text: string) =>
      `Dòng ${line} ${typed(text)} không thuộc mẫu báo cáo. Đồng chí giữ nguyên các nhãn của mẫu, mỗi mục một dòng.`,
    repeated: (label: string) => `Mục ${q(label)} được ghi nhiều lần. Đồng chí chỉ ghi mỗi mục một lần.`,
    date: (text: string) => `Ngày ${typed(text)} không đúng. Đồng chí ghi ngày/tháng/năm, ví dụ 03/09/2025.`,
    dateInFuture: (date: string, today: string) =>
      `Ngày sinh hoạt ${date} chưa đến (hôm nay là ${today}). Đồng chí chỉ báo cáo buổi đã họp.`,
    dateOutsideMonth: (date: string, monthLabel: string) =>
      `Ngày sinh hoạt ${date} không thuộc tháng ${monthLabel} đang báo cáo. Đồng chí kiểm tra lại ngày.`,
    absentNotOnRegister: (label: string, name: string) =>
      `${q(label)}: ${typed(name)} không có trong danh sách đảng viên của chi bộ. Đồng chí ghi đúng họ tên như trong /dangvien, hoặc kèm mã số, ví dụ Lê Văn C #12.`,
    absentAmbiguous: (label: string, name: string, ids: readonly number[]) =>
      `${q(label)}: chi bộ có ${ids.length} đảng viên tên ${typed(name)} (mã số ${ids.join(', ')}). Đồng chí ghi kèm mã số, ví dụ ${echo(name)} #${ids[0]}.`,
    quality: (text: string, scale: readonly string[]) =>
      `Xếp loại chất lượng ${typed(text)} không có trong thang đánh giá. Đồng chí ghi một trong: ${scale.join(', ')}; hoặc bỏ trống dòng này.`,
    type: (text: string) =>
      `Loại ${typed(text)} không rõ. Đồng chí ghi: thường kỳ, chuyên đề, hoặc thường kỳ + chuyên đề.`,
    wholeNumber: (label: string, text: string) =>
      `Mục ${q(label)} cần một số nguyên, ví dụ 25; đồng chí đã ghi ${typed(text)}.`,
    countTooLarge: (label: string, value: number, max: number) =>
      `Mục ${q(label)} ghi ${n(value)}, quá lớn đối với một chi bộ (tối đa ${n(max)}). Đồng chí kiểm tra lại số này.`,
    membersOverRecord: (members: number, onRecord: number, tolerance: number) =>
      `Tổng số đảng viên báo cáo (${n(members)}) vượt số trong danh sách chi bộ (${n(onRecord)}) quá ${n(tolerance)} người. Đồng chí kiểm tra lại; nếu chi bộ đã kết nạp hoặc nhận thêm đảng viên, đề nghị báo văn phòng cấp ủy cập nhật danh sách.`,
    duration: (text: string) => `Thời lượng ${typed(text)} không rõ. Đồng chí ghi số phút, ví dụ 120.`,
    durationRange: (minutes: number, max: number) =>
      `Thời lượng ${n(minutes)} phút không hợp lý (từ 1 đến ${n(max)} phút). Đồng chí ghi số phút, ví dụ 120.`,
    membersZero: 'Tổng số đảng viên phải lớn hơn 0.',
    exemptOverMembers: (exempt: number, members: number) =>
      `Số miễn sinh hoạt (${n(exempt)}) lớn hơn tổng số đảng viên (${n(members)}).`,
    attendanceSum: (p: {
      present: number;
      withReason: number;
      withoutReason: number;
      members: number;
      exempt: number;
    }) =>
      `Có mặt ${n(p.present)} + vắng có lý do ${n(p.withReason)} + vắng không lý do ${n(p.withoutReason)} = ${n(p.present + p.withReason + p.withoutReason)}, nhưng tổng số đảng viên ${n(p.members)} − miễn sinh hoạt ${n(p.exempt)} = ${n(p.members - p.exempt)}. Đồng chí kiểm tra lại các số này.`,
    absence: (label: string, text: string) =>
      `Mục ${q(label)} cần số người vắng, có thể kèm tên trong ngoặc, ví dụ: 1 (Lê Văn C). Đồng chí đã ghi ${typed(text)}.`,
    absenceNameCount: (label: string, count: number, names: number) =>
      `Mục ${q(label)} ghi ${n(count)} người nhưng kể ${n(names)} tên. Đồng chí sửa số hoặc danh sách tên cho khớp.`,
    contentTooLong: (length: number, max: number) =>
      `Nội dung dài ${n(length)} ký tự; đồng chí ghi ngắn gọn, tối đa ${n(max)} ký tự.`,
    attendeeTooLong: (max: number) => `Tên đồng chí cấp ủy cấp trên dự quá dài (tối đa ${n(max)} ký tự).`,
  },

  flags: {
    heading: 'Lưu ý:',
    short: (minutes: number, minimum: number, combined: boolean) =>
      combined
        ? `Thời lượng ${n(minutes)} phút, dưới mức tối thiểu ${n(minimum)} phút khi sinh hoạt thường kỳ kết hợp chuyên đề.`
        : `Thời lượng ${n(minutes)} phút, dưới mức tối thiểu ${n(minimum)} phút.`,
    sizeMismatch: (reported: number, onRecord: number) =>
      `Tổng số đảng viên báo cáo (${n(reported)}) khác số trong danh sách chi bộ (${n(onRecord)}). Nếu số báo cáo đúng, đề nghị đồng chí báo văn phòng cấp ủy cập nhật danh sách.`,
  },

  card: {
    title: (monthLabel: string) => `Báo cáo sinh hoạt chi bộ tháng ${monthLabel}`,
    date: (date: string) => `Ngày: ${date}`,
    type: (type: MeetingType) => `Loại: ${typeNames[type]}`,
    duration: (minutes: number) => `Thời lượng: ${n(minutes)} phút`,
    members: (members: number, exempt: number) =>
      `Tổng số đảng viên: ${n(members)}; miễn sinh hoạt: ${n(exempt)}`,
    present: (ratio: string) => `Có mặt: ${ratio}`,
    absentWithReason: (count: number, people: string) =>
      people === '' ? `Vắng có lý do: ${n(count)}` : `Vắng có lý do: ${n(count)} (${people})`,
    absentWithoutReason: (count: number, people: string) =>
      people === '' ? `Vắng không lý do: ${n(count)}` : `Vắng không lý do: ${n(count)} (${people})`,
    content: (text: string) => `Nội dung: ${text}`,
    upperAttendee: (name: string | undefined) =>
      name === undefined ? 'Cấp ủy cấp trên dự: không' : `Cấp ủy cấp trên dự: đ/c ${name}`,
    quality: (label: string) => `Xếp loại chất lượng (chi bộ tự đánh giá): ${label}`,
    membership: (admitted: number, madeOfficial: number, fromRegister: boolean) =>
      `Kết nạp mới: ${n(admitted)}; chuyển chính thức: ${n(madeOfficial)}${fromRegister ? ' (theo danh sách đảng viên)' : ''}`,
    confirm: 'Đồng chí kiểm tra lại; nếu đúng, bấm «Xác nhận» để lưu.',
    amends: (monthLabel: string) =>
      `Chi bộ đã có báo cáo tháng ${monthLabel}. Lưu báo cáo này sẽ thay bản trước; bản trước vẫn được lưu lại.`,
    amendsThematic: (monthLabel: string) =>
      `Chi bộ đã có báo cáo sinh hoạt chuyên đề tháng ${monthLabel}. Lưu báo cáo này sẽ thay bản chuyên đề trước (báo cáo thường kỳ không đổi); bản trước vẫn được lưu lại.`,
    thematicSeparate:
      'Đây là báo cáo sinh hoạt chuyên đề, lưu riêng, không thay báo cáo sinh hoạt thường kỳ của tháng. Tháng chỉ có chuyên đề vẫn được tính là chưa sinh hoạt thường kỳ.',
  },

  /** A «Xác nhận» pressed again (a double tap, or a press repeated after a restart). */
  alreadySaved: (month: string | undefined, version: number | undefined) =>
    `Báo cáo sinh hoạt chi bộ${month ? ` tháng ${formatYearMonth(month)}` : ''} đã được lưu${version ? ` (bản số ${n(version)})` : ''}. Đồng chí không cần bấm lại.`,
  saved: (monthLabel: string) => `Đã lưu báo cáo sinh hoạt chi bộ tháng ${monthLabel}. Cảm ơn đồng chí.`,
  savedThematic: (monthLabel: string) =>
    `Đã lưu báo cáo sinh hoạt chuyên đề tháng ${monthLabel}, riêng với báo cáo sinh hoạt thường kỳ. Cảm ơn đồng chí.`,
  amendedThematic: (monthLabel: string, version: number) =>
    `Đã cập nhật báo cáo sinh hoạt chuyên đề tháng ${monthLabel} (lần sửa thứ ${n(version - 1)}). Bản trước vẫn được lưu lại.`,
  amended: (monthLabel: string, version: number) =>
    `Đã cập nhật báo cáo sinh hoạt chi bộ tháng ${monthLabel} (lần sửa thứ ${n(version - 1)}). Bản trước vẫn được lưu lại.`,
  late: (deadline: string) => `Báo cáo được ghi nhận sau hạn (hạn báo cáo: ${deadline}).`,

  absence: {
    /** To the secretary, when a member's second unexcused absence of the year is reported. */
    warn: (name: string, months: readonly number[], year: number) =>
      `Đảng viên ${name} đã vắng sinh hoạt không có lý do ${months.length} lần trong năm (${monthList(months, year)}). Theo Điều lệ Đảng, đảng viên bỏ sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng thì chi bộ xem xét, đề nghị cấp có thẩm quyền xóa tên. Đề nghị đồng chí gặp, nhắc nhở đảng viên này.`,
    /** To the secretary and the responsible leader, from the third. */
    strike: (name: string, branchName: string, months: readonly number[], year: number) =>
      `Đảng viên ${name} (${branchName}) đã vắng sinh hoạt không có lý do ${months.length} lần trong năm (${monthList(months, year)}). Theo Điều 8 Điều lệ Đảng, chi bộ xem xét, đề nghị cấp có thẩm quyền xóa tên đảng viên này khỏi danh sách đảng viên. Đề nghị đồng chí đưa ra chi bộ xem xét, báo cáo cấp ủy cấp trên.`,
    /** Heading of the notice the bot sends the responsible leaders and the branch's other reporters. */
    noticeTitle: (monthLabel: string) => `Cảnh báo từ báo cáo sinh hoạt chi bộ tháng ${monthLabel}`,
  },

  compliance: {
    title: (monthLabel: string) => `Tiến độ sinh hoạt chi bộ tháng ${monthLabel}`,
    noBranches: 'Đơn vị này chưa có chi bộ nào trong danh sách.',
    reported: (part: number, whole: number) =>
      `Đã báo cáo: ${formatRatio(part, whole)} chi bộ (${formatPercent(part, whole)}).`,
    deadline: (date: string) => `Hạn báo cáo: ${date}.`,
    allReported: 'Tất cả chi bộ đã báo cáo.',
    notReported: (count: number) => `Chưa báo cáo (${n(count)}):`,
    onlyThematic: (count: number) =>
      `Chưa sinh hoạt thường kỳ, mới báo cáo sinh hoạt chuyên đề (${n(count)}):`,
    late: (count: number) => `Báo cáo sau hạn (${n(count)}):`,
    attendance: (ratioPercent: string) => `Đảng viên dự sinh hoạt: ${ratioPercent}.`,
    noAttendance: 'Chưa có số liệu dự sinh hoạt.',
    belowThreshold: (threshold: string, count: number) => `Tỷ lệ dự dưới ${threshold} (${n(count)}):`,
    branchAttendance: (name: string, ratioPercent: string) => `${name}: ${ratioPercent}`,
    thematic: (quarterLabel: string, part: number, whole: number) =>
      `Sinh hoạt chuyên đề ${quarterLabel}: ${formatRatio(part, whole)} chi bộ (${formatPercent(part, whole)}).`,
    short: (count: number) => `Thời lượng dưới mức tối thiểu (${n(count)}):`,
    upperAttended: (count: number) => `Có cấp ủy cấp trên dự: ${n(count)} chi bộ.`,
    quality: (ratings: readonly { label: string; count: number }[], unrated: number) =>
      `Chất lượng sinh hoạt (chi bộ tự đánh giá): ${[
        ...ratings.map((r) => `${r.label} ${n(r.count)}`),
        ...(unrated > 0 ? [`chưa xếp loại ${n(unrated)}`] : []),
      ].join(', ')}.`,
    more: (count: number) => `… và ${n(count)} chi bộ khác`,
    badMonth: (text: string) =>
      `Tháng ${typed(text)} không đúng. Đồng chí ghi tháng/năm, ví dụ /sinhhoat_tiendo 09/2025.`,
    futureMonth: (monthLabel: string) =>
      `Tháng ${monthLabel} chưa đến. Đồng chí xem tháng này hoặc một tháng đã qua, ví dụ /sinhhoat_tiendo 09/2025.`,
    pickScope: 'Đồng chí xem tình hình sinh hoạt của đơn vị nào?',
  },

  /** The meeting calendar of a scope, as admins read and change it. */
  settings: {
    title: (unitName: string) => `Lịch sinh hoạt chi bộ: ${unitName}`,
    meetingDay: (day: number, shift: boolean) =>
      shift
        ? `Ngày sinh hoạt: ngày ${day} hằng tháng; trùng ngày nghỉ, ngày lễ, Tết thì dời sang ngày làm việc kế tiếp.`
        : `Ngày sinh hoạt: ngày ${day} hằng tháng, không dời khi trùng ngày nghỉ.`,
    deadline: (days: number) => `Hạn báo cáo: ${n(days)} ngày sau ngày sinh hoạt.`,
    threshold: (percent: number) =>
      `Chi bộ có tỷ lệ đảng viên dự dưới ${n(percent)}% được nêu trong tiến độ.`,
    extraDaysOff: (dates: readonly string[]) =>
      dates.length === 0
        ? 'Ngày nghỉ riêng của địa phương: không có.'
        : `Ngày nghỉ riêng của địa phương: ${dates.join(', ')}.`,
    qualityScale: (labels: readonly string[]) => `Thang xếp loại chất lượng sinh hoạt: ${labels.join(', ')}.`,
    sourceOwn: 'Đây là thiết lập riêng của đơn vị này.',
    sourceInherited: (unitName: string) => `Đơn vị áp dụng thiết lập của ${unitName}.`,
    sourceDefault: 'Đơn vị áp dụng thiết lập mặc định.',
    month: (monthLabel: string, meetingDate: string, deadline: string) =>
      `Tháng ${monthLabel}: sinh hoạt ngày ${meetingDate}, hạn báo cáo ${deadline}.`,
    saved: 'Đã lưu lịch sinh hoạt chi bộ.',
    cleared: 'Đã bỏ thiết lập riêng; đơn vị áp dụng thiết lập của cấp trên hoặc mặc định.',
    clearAlone: 'Mục «macdinh» (bỏ thiết lập riêng) ghi riêng, không kèm mục khác.',
    /** What was wrong in the words typed (the first few), then how to write them. */
    invalid: (errors: readonly string[]) => [...common.someProblems(errors, 5), SETTINGS_USAGE].join('\n'),
    unknownKey: (key: string) =>
      `Không có mục ${typed(key)}. Các mục được đặt: ngay, han, tyle, doi, nghi, chatluong.`,
    errors: {
      meetingDay: (text: string) => `Ngày sinh hoạt ${typed(text)} không đúng: cần một ngày từ 1 đến 31.`,
      reportingDays: (text: string) => `Hạn báo cáo ${typed(text)} không đúng: cần số ngày từ 0 đến 28.`,
      attendanceThreshold: (text: string) => `Tỷ lệ ${typed(text)} không đúng: cần một số từ 0 đến 100.`,
      shiftToWorkingDay: (text: string) => `Mục dời ngày ${typed(text)} không rõ: ghi «có» hoặc «không».`,
      extraDaysOff: (text: string) =>
        `Ngày nghỉ ${typed(text)} không đúng: ghi ngày/tháng/năm, cách nhau bằng dấu phẩy, ví dụ 01/10/2025,02/10/2025.`,
      qualityScale: (text: string) =>
        `Thang xếp loại ${typed(text)} không đúng: ghi từ 2 đến 8 mức, cách nhau bằng dấu phẩy, dấu _ thay dấu cách, ví dụ chatluong=Tốt,Khá,Trung_bình,Kém.`,
    },
  },

  problem: (p: MeetingProblem): string => describeProblem(p),
  /** A dialog step worded: the question, and the caption of each choice button. */
  wordPrompt: (p: DialogPrompt, branchSize?: number) => ({
    text: p.field === 'members' ? meetings.prompts.members(branchSize) : meetings.prompts[p.field],
    kind: p.kind,
    ...(p.choices ? { choices: p.choices.map((value) => ({ value, label: typeChoices[value] })) } : {}),
    skippable: p.skippable,
  }),
  /** The numbered list of problems, and how to send the report again. */
  errorList: (errors: readonly FieldError[]): Rich =>
    lines(
      errorHeading(errors.length),
      ...errors.map((err, i) => `${i + 1}. ${describeProblem(err.problem)}`),
      errorFooter,
    ),
  /** The flags as plain sentences, for the card and for the saved answer. */
  flagLines: (flags: MeetingFlags): string[] => flagLines(flags),
  /** The confirmation card (user text shown as typed; the renderer escapes it). */
  cardText: (report: MeetingReport, branchName: string, flags: MeetingFlags): Rich =>
    cardText(report, branchName, flags),
  /** The progress summary; long lists stop after `listLimit` names. */
  complianceText: (data: ComplianceData, listLimit = 20): Rich => complianceText(data, listLimit),
  /** The secretary's warnings: one paragraph per member. */
  absenceWarnings: (warnings: readonly AbsenceWarning[], branchName: string): string =>
    absenceWarnings(warnings, branchName),
  /** For the responsible leader: only the members liable to be struck off, or undefined. */
  strikeNotice: (warnings: readonly AbsenceWarning[], branchName: string): string | undefined => {
    const strikes = warnings.filter((w) => w.level === 'strike');
    return strikes.length > 0 ? absenceWarnings(strikes, branchName) : undefined;
  },
} as const;

function errorHeading(count: number): string {
  return count === 1 ? 'Báo cáo chưa được lưu vì còn 1 lỗi:' : `Báo cáo chưa được lưu vì còn ${count} lỗi:`;
}

function describeProblem(p: MeetingProblem): string {
  const e = meetings.errors;
  const label = (f: MeetingFieldKey) => labels[f];
  switch (p.code) {
    case 'missing':
      return e.missing(label(p.field));
    case 'unknownLine':
      return e.unknownLine(p.line, p.text);
    case 'repeated':
      return e.repeated(label(p.field));
    case 'date':
      return e.date(p.text);
    case 'dateInFuture':
      return e.dateInFuture(formatVnDate(p.date), formatVnDate(p.today));
    case 'dateOutsideMonth':
      return e.dateOutsideMonth(formatVnDate(p.date), formatYearMonth(p.month));
    case 'type':
      return e.type(p.text);
    case 'wholeNumber':
      return e.wholeNumber(label(p.field), p.text);
    case 'countTooLarge':
      return e.countTooLarge(label(p.field), p.value, p.max);
    case 'membersOverRecord':
      return e.membersOverRecord(p.members, p.onRecord, p.tolerance);
    case 'duration':
      return e.duration(p.text);
    case 'durationRange':
      return e.durationRange(p.minutes, p.max);
    case 'membersZero':
      return e.membersZero;
    case 'exemptOverMembers':
      return e.exemptOverMembers(p.exempt, p.members);
    case 'attendanceSum':
      return e.attendanceSum(p);
    case 'absence':
      return e.absence(label(p.field), p.text);
    case 'absenceNameCount':
      return e.absenceNameCount(label(p.field), p.count, p.names);
    case 'contentTooLong':
      return e.contentTooLong(p.length, p.max);
    case 'attendeeTooLong':
      return e.attendeeTooLong(p.max);
    case 'quality':
      return e.quality(p.text, p.scale);
    case 'absentNotOnRegister':
      return e.absentNotOnRegister(label(p.field), p.name);
    case 'absentAmbiguous':
      return e.absentAmbiguous(label(p.field), p.name, p.ids);
  }
}

function flagLines(flags: MeetingFlags): string[] {
  const out: string[] = [];
  if (flags.short)
    out.push(meetings.flags.short(flags.short.minutes, flags.short.minimum, flags.short.combined));
  if (flags.sizeMismatch)
    out.push(meetings.flags.sizeMismatch(flags.sizeMismatch.reported, flags.sizeMismatch.onRecord));
  return out;
}

function peopleList(absence: Absence): string {
  return absence.people
    .map((p) => {
      const who = p.memberId !== undefined ? `${p.name} (mã số ${p.memberId})` : p.name;
      return p.reason ? `${who} - ${p.reason}` : who;
    })
    .join('; ');
}

function cardText(report: MeetingReport, branchName: string, flags: MeetingFlags): Rich {
  const c = meetings.card;
  const notes = flagLines(flags);
  return lines(
    bold(c.title(formatYearMonth(report.month))),
    bold(branchName),
    c.date(formatVnDate(report.date)),
    c.type(report.type),
    c.duration(report.durationMinutes),
    c.members(report.members, report.exempt),
    c.present(formatRatioPercent(report.present, report.members - report.exempt)),
    c.absentWithReason(report.absentWithReason.count, peopleList(report.absentWithReason)),
    c.absentWithoutReason(report.absentWithoutReason.count, peopleList(report.absentWithoutReason)),
    c.content(report.content),
    c.upperAttendee(report.upperAttendee),
    report.quality ? c.quality(report.quality) : undefined,
    report.admitted !== undefined || report.madeOfficial !== undefined
      ? c.membership(report.admitted ?? 0, report.madeOfficial ?? 0, report.membershipFromRegister === true)
      : undefined,
    ...(notes.length > 0 ? ['', bold(meetings.flags.heading), ...notes.map((note) => italic(note))] : []),
  );
}

/** At most `limit` lines, then "… và N chi bộ khác". */
function cappedList(items: readonly string[], limit: number): string[] {
  const shown = items.slice(0, limit).map((s) => `- ${s}`);
  if (items.length > limit) shown.push(meetings.compliance.more(items.length - limit));
  return shown;
}

function complianceText(data: ComplianceData, listLimit: number): Rich {
  const c = meetings.compliance;
  const out: Rich[] = [bold(c.title(formatYearMonth(data.month))), bold(data.scopeName)];
  if (data.total === 0) return lines(...out, c.noBranches);
  out.push(c.reported(data.reported, data.total));
  if (data.deadline !== undefined) out.push(c.deadline(formatVnDate(data.deadline)));
  if (data.notReported.length === 0 && data.onlyThematic.length === 0) out.push(c.allReported);
  if (data.notReported.length > 0)
    out.push(c.notReported(data.notReported.length), ...cappedList(data.notReported, listLimit));
  if (data.onlyThematic.length > 0)
    out.push(c.onlyThematic(data.onlyThematic.length), ...cappedList(data.onlyThematic, listLimit));
  if (data.late.length > 0) out.push(c.late(data.late.length), ...cappedList(data.late, listLimit));
  if (data.expected > 0) out.push(c.attendance(formatRatioPercent(data.present, data.expected)));
  else out.push(c.noAttendance);
  if (data.belowThreshold.length > 0) {
    const items = data.belowThreshold.map((b) =>
      c.branchAttendance(b.name, formatRatioPercent(b.present, b.expected)),
    );
    out.push(
      c.belowThreshold(`${formatNumber(data.threshold)}%`, items.length),
      ...cappedList(items, listLimit),
    );
  }
  out.push(c.thematic(formatQuarter(data.quarter), data.thematicInQuarter, data.total));
  if (data.short.length > 0) out.push(c.short(data.short.length), ...cappedList(data.short, listLimit));
  out.push(c.upperAttended(data.upperAttended));
  if (data.reported > 0 && data.quality.ratings.some((r) => r.count > 0))
    out.push(c.quality(data.quality.ratings, data.quality.unrated));
  return lines(...out);
}

function monthNumbers(months: readonly YearMonth[]): number[] {
  return months.map((m) => Number(m.slice(5, 7)));
}

function absenceWarnings(warnings: readonly AbsenceWarning[], branchName: string): string {
  return warnings
    .map((w) => {
      const year = yearOf(w.months[0] ?? '0000-01');
      return w.level === 'strike'
        ? meetings.absence.strike(w.name, branchName, monthNumbers(w.months), year)
        : meetings.absence.warn(w.name, monthNumbers(w.months), year);
    })
    .join('\n\n');
}
