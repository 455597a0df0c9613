/**
 * Wording for monthly branch meetings (sinh hoạt chi bộ): the report form and guided dialog,
 * field-by-field errors, the confirmation card, absence warnings and the progress summary.
 * Texts that carry user input get it already escaped for Telegram HTML by the caller.
 */
import type { MeetingFieldKey, MeetingType } from '../domain/meetings/report.js';
import { formatNumber, formatPercent, formatRatio } from '../domain/vn.js';

/** "«Có mặt»": how labels and values are quoted inside sentences. */
const q = (s: string) => `«${s}»`;
const n = formatNumber;

/** Form labels, exactly as the blank form prints them (without the colon). */
const labels = {
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
} as const satisfies Record<MeetingFieldKey, string>;

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
    privateOnly: 'Đồng chí nhắn riêng cho bot để báo cáo sinh hoạt chi bộ.',
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
    heading: (count: number) =>
      count === 1 ? 'Báo cáo chưa được lưu vì còn 1 lỗi:' : `Báo cáo chưa được lưu vì còn ${count} lỗi:`,
    footer: 'Đồng chí sửa các mục trên rồi gửi lại cả mẫu.',
    missing: (label: string) => `Chưa điền mục ${q(label)}.`,
    unknownLine: (line: number, text: string) =>
      `Dòng ${line} ${q(text)} không thuộc mẫu báo cáo. Đồng chí giữ nguyên các nhãn của mẫu, mỗi mục một dòng.`,
    repeated: (label: string) => `Mục ${q(label)} được ghi nhiều lần. Đồng chí chỉ ghi mỗi mục một lần.`,
    date: (text: string) => `Ngày ${q(text)} không đúng. Đồng chí ghi ngày/tháng/năm, ví dụ 03/09/2025.`,
    dateInFuture: (date: string, today: string) =>
      `Ngày sinh hoạt ${date} chưa đến (hôm nay là ${today}). Đồng chí chỉ báo cáo buổi đã họp.`,
    dateOutsideMonth: (date: string, monthLabel: string) =>
      `Ngày sinh hoạt ${date} không thuộc tháng ${monthLabel} đang báo cáo. Đồng chí kiểm tra lại ngày.`,
    type: (text: string) =>
      `Loại ${q(text)} không rõ. Đồng chí ghi: thường kỳ, chuyên đề, hoặc thường kỳ + chuyên đề.`,
    wholeNumber: (label: string, text: string) =>
      `Mục ${q(label)} cần một số nguyên, ví dụ 25; đồng chí đã ghi ${q(text)}.`,
    duration: (text: string) => `Thời lượng ${q(text)} không rõ. Đồng chí ghi số phút, ví dụ 120.`,
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
      `Mục ${q(label)} cần số người vắng, có thể kèm tên trong ngoặc, ví dụ: 1 (Lê Văn C). Đồng chí đã ghi ${q(text)}.`,
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
    confirm: 'Đồng chí kiểm tra lại; nếu đúng, bấm «Xác nhận» để lưu.',
    amends: (monthLabel: string) =>
      `Chi bộ đã có báo cáo tháng ${monthLabel}. Lưu báo cáo này sẽ thay bản trước; bản trước vẫn được lưu lại.`,
  },

  saved: (monthLabel: string) => `Đã lưu báo cáo sinh hoạt chi bộ tháng ${monthLabel}. Cảm ơn đồng chí.`,
  amended: (monthLabel: string, version: number) =>
    `Đã cập nhật báo cáo sinh hoạt chi bộ tháng ${monthLabel} (lần sửa thứ ${n(version - 1)}). Bản trước vẫn được lưu lại.`,
  late: (deadline: string) => `Báo cáo được ghi nhận sau hạn (hạn báo cáo: ${deadline}).`,

  absence: {
    /** To the secretary, when a member's second unexcused absence of the year is reported. */
    warn: (name: string, months: readonly number[], year: number) =>
      `Đảng viên ${name} đã vắng sinh hoạt không có lý do ${months.length} lần trong năm (${monthList(months, year)}). Vắng không lý do 3 tháng trong năm thì thuộc diện xóa tên. Đề nghị đồng chí gặp, nhắc nhở đảng viên này.`,
    /** To the secretary and the responsible leader, from the third. */
    strike: (name: string, branchName: string, months: readonly number[], year: number) =>
      `Đảng viên ${name} (${branchName}) đã vắng sinh hoạt không có lý do ${months.length} lần trong năm (${monthList(months, year)}), thuộc diện xóa tên. Đề nghị đồng chí xem xét, xử lý theo quy định.`,
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
    late: (count: number) => `Báo cáo sau hạn (${n(count)}):`,
    attendance: (ratioPercent: string) => `Đảng viên dự sinh hoạt: ${ratioPercent}.`,
    noAttendance: 'Chưa có số liệu dự sinh hoạt.',
    belowThreshold: (threshold: string, count: number) => `Tỷ lệ dự dưới ${threshold} (${n(count)}):`,
    branchAttendance: (name: string, ratioPercent: string) => `${name}: ${ratioPercent}`,
    thematic: (quarterLabel: string, part: number, whole: number) =>
      `Sinh hoạt chuyên đề ${quarterLabel}: ${formatRatio(part, whole)} chi bộ (${formatPercent(part, whole)}).`,
    short: (count: number) => `Thời lượng dưới mức tối thiểu (${n(count)}):`,
    upperAttended: (count: number) => `Có cấp ủy cấp trên dự: ${n(count)} chi bộ.`,
    more: (count: number) => `… và ${n(count)} chi bộ khác`,
    badMonth: (text: string) =>
      `Tháng ${q(text)} không đúng. Đồng chí ghi tháng/năm, ví dụ /sinhhoat_tiendo 09/2025.`,
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
    sourceOwn: 'Đây là thiết lập riêng của đơn vị này.',
    sourceInherited: (unitName: string) => `Đơn vị áp dụng thiết lập của ${unitName}.`,
    sourceDefault: 'Đơn vị áp dụng thiết lập mặc định.',
    month: (monthLabel: string, meetingDate: string, deadline: string) =>
      `Tháng ${monthLabel}: sinh hoạt ngày ${meetingDate}, hạn báo cáo ${deadline}.`,
    saved: 'Đã lưu lịch sinh hoạt chi bộ.',
    cleared: 'Đã bỏ thiết lập riêng; đơn vị áp dụng thiết lập của cấp trên hoặc mặc định.',
    usage:
      'Cách dùng: /caidat_sinhhoat [MÃ] [ngay=3] [han=5] [tyle=80] [doi=co|khong] [nghi=01/10/2025,02/10/2025|khong]. Bỏ trống MÃ là đơn vị gốc; chỉ ghi MÃ để xem; /caidat_sinhhoat MÃ macdinh để bỏ thiết lập riêng.',
    clearAlone: 'Mục «macdinh» (bỏ thiết lập riêng) ghi riêng, không kèm mục khác.',
    unknownKey: (key: string) => `Không có mục ${q(key)}. Các mục được đặt: ngay, han, tyle, doi, nghi.`,
    errors: {
      meetingDay: (text: string) => `Ngày sinh hoạt ${q(text)} không đúng: cần một ngày từ 1 đến 31.`,
      reportingDays: (text: string) => `Hạn báo cáo ${q(text)} không đúng: cần số ngày từ 0 đến 28.`,
      attendanceThreshold: (text: string) => `Tỷ lệ ${q(text)} không đúng: cần một số từ 0 đến 100.`,
      shiftToWorkingDay: (text: string) => `Mục dời ngày ${q(text)} không rõ: ghi «có» hoặc «không».`,
      extraDaysOff: (text: string) =>
        `Ngày nghỉ ${q(text)} không đúng: ghi ngày/tháng/năm, cách nhau bằng dấu phẩy, ví dụ 01/10/2025,02/10/2025.`,
    },
  },
} as const;
