/**
 * Wording for exports (/xuat and `npm run cli -- export …`): sheet names and column headers of
 * the Excel workbooks, the printable PDF summary, the buttons, captions and refusals. Sheet names
 * keep to Excel's 31 characters with none of `[]:*?/\`. Numbers and dates arrive formatted;
 * typed input is echoed capped (`echo`).
 */
import { citationDate } from '../domain/citation.js';
import { echo } from '../domain/text.js';

/** Sheet names (at most 31 characters, no `[]:*?/\`). */
const sheets = {
  summary: 'Tổng hợp',
  congressBranches: 'Kết quả theo chi bộ',
  congressChildren: 'Theo đơn vị',
  meetingBranches: 'Sinh hoạt theo chi bộ',
  directiveRecipients: 'Người nhận',
} as const;

/** Column headers of the congress result sheet, in order. */
const congressColumns = {
  index: 'STT',
  code: 'Mã chi bộ',
  name: 'Tên chi bộ',
  parentCode: 'Mã đơn vị cấp trên',
  parentName: 'Đơn vị cấp trên',
  path: 'Đường dẫn đơn vị',
  members: 'Số đảng viên',
  status: 'Tình trạng',
  registeredDate: 'Ngày đăng ký đại hội',
  registeredTime: 'Giờ đăng ký',
  extendedUntil: 'Gia hạn đến',
  date: 'Ngày đại hội',
  format: 'Hình thức',
  summoned: 'Đảng viên triệu tập',
  present: 'Đảng viên có mặt',
  elected: 'Cấp ủy viên được bầu',
  reElected: 'Tái cử',
  firstTime: 'Lần đầu tham gia cấp ủy',
  women: 'Nữ',
  young: 'Trẻ',
  minority: 'Dân tộc thiểu số',
  secretaryDirect: 'Bí thư bầu tại đại hội',
  secretaryIsHead: 'Bí thư là người đứng đầu',
  deputy: 'Phó bí thư được bầu',
  note: 'Ghi chú',
  version: 'Lần báo cáo',
  savedAt: 'Thời điểm lưu báo cáo',
  reporter: 'Người báo cáo',
  late: 'Báo cáo sau hạn',
  approved: 'Đã chuẩn y',
  approvedAt: 'Thời điểm chuẩn y',
  decision: 'Quyết định chuẩn y, chỉ định',
} as const;

/** Column headers of the per-unit congress sheet and the PDF table. */
const childColumns = {
  name: 'Đơn vị',
  branches: 'Số chi bộ',
  held: 'Đã đại hội',
  heldShare: 'Tỷ lệ',
  registeredOnly: 'Đã đăng ký lịch',
  elected: 'Cấp ủy viên được bầu',
  women: 'Nữ',
  young: 'Trẻ',
  approved: 'Đã chuẩn y',
} as const;

/** Column headers of the summary sheets. */
const summaryColumns = {
  item: 'Chỉ tiêu',
  count: 'Số lượng',
  of: 'Trên tổng số',
  share: 'Tỷ lệ',
} as const;

/** Lines of the congress summary (sheet and PDF), each a count, out of a total where it has one. */
const congressFigures = {
  branches: 'Tổng số chi bộ',
  held: 'Đã tổ chức đại hội',
  registeredOnly: 'Đã đăng ký lịch, chưa đại hội',
  notRegistered: 'Chưa đăng ký lịch',
  approved: 'Đã chuẩn y kết quả (trên số đã đại hội)',
  late: 'Báo cáo sau hạn',
  present: 'Đảng viên có mặt (trên số triệu tập)',
  elected: 'Tổng số cấp ủy viên được bầu',
  reElected: 'Tái cử',
  firstTime: 'Tham gia cấp ủy lần đầu',
  women: 'Nữ',
  young: 'Trẻ',
  minority: 'Dân tộc thiểu số',
  secretaryDirect: 'Bí thư do đại hội bầu trực tiếp (trên số đại hội có bầu cử)',
  head: 'Bí thư là người đứng đầu (trên số chi bộ áp dụng)',
  deputy: 'Phó bí thư được bầu (trên số đã đại hội)',
  noDeputy: 'Đơn vị không bầu phó bí thư',
  noElection: 'Đại hội không bầu cử (mọi hình thức)',
  threeItems: 'Trong đó: đại hội 3 nội dung',
  twoItems: 'Trong đó: đại hội 2 nội dung',
} as const;

/** Column headers of the meeting sheet, in order. */
const meetingColumns = {
  index: 'STT',
  code: 'Mã chi bộ',
  name: 'Tên chi bộ',
  parentCode: 'Mã đơn vị cấp trên',
  parentName: 'Đơn vị cấp trên',
  status: 'Tình trạng',
  date: 'Ngày sinh hoạt',
  type: 'Loại',
  duration: 'Thời lượng (phút)',
  members: 'Tổng số đảng viên',
  exempt: 'Miễn sinh hoạt',
  expected: 'Phải dự',
  present: 'Có mặt',
  absentWithReason: 'Vắng có lý do',
  absentWithoutReason: 'Vắng không lý do',
  rate: 'Tỷ lệ dự',
  late: 'Báo cáo sau hạn',
  short: 'Chưa đủ thời lượng',
  upperAttendee: 'Cấp ủy cấp trên dự',
  content: 'Nội dung',
  absentWithReasonNames: 'Người vắng có lý do',
  absentWithoutReasonNames: 'Người vắng không lý do',
  version: 'Lần báo cáo',
  reportedAt: 'Thời điểm báo cáo',
} as const;

/** Lines of the meeting summary sheet. */
const meetingFigures = {
  branches: 'Tổng số chi bộ',
  reported: 'Đã báo cáo',
  notReported: 'Chưa báo cáo',
  late: 'Báo cáo sau hạn (trên số đã báo cáo)',
  members: 'Tổng số đảng viên (các chi bộ đã báo cáo)',
  exempt: 'Miễn sinh hoạt',
  attendance: 'Đảng viên có mặt (trên số phải dự)',
  absentWithReason: 'Vắng có lý do (trên số phải dự)',
  absentWithoutReason: 'Vắng không lý do (trên số phải dự)',
  below: (threshold: string) => `Chi bộ có tỷ lệ dự dưới ${threshold} (trên số đã báo cáo)`,
  short: 'Buổi sinh hoạt chưa đủ thời lượng (trên số đã báo cáo)',
  thematic: (quarter: string) => `Chi bộ đã sinh hoạt chuyên đề trong ${quarter}`,
  upper: 'Buổi có cấp ủy cấp trên dự (trên số đã báo cáo)',
} as const;

/** Column headers of the directive sheet, in order. */
const directiveColumns = {
  index: 'STT',
  name: 'Họ và tên',
  unitCode: 'Mã đơn vị',
  unit: 'Đơn vị',
  role: 'Chức vụ',
  status: 'Tình trạng gửi',
  deliveredAt: 'Thời điểm nhận',
  failedReason: 'Lý do không gửi được',
  acknowledgedAt: 'Thời điểm xác nhận đã đọc',
} as const;

/** Lines of the directive summary sheet. */
const directiveFigures = {
  recipients: 'Tổng số người nhận',
  delivered: 'Đã nhận',
  pending: 'Đang gửi',
  failed: 'Không gửi được',
  unreachable: 'Không liên lạc được (chưa bấm Bắt đầu hoặc đã chặn bot)',
  acknowledged: 'Đã xác nhận đã đọc (trên số người nhận)',
} as const;

export const exports = {
  sheets,
  congressColumns,
  childColumns,
  summaryColumns,
  congressFigures,
  meetingColumns,
  meetingFigures,
  directiveColumns,
  directiveFigures,
  /** "Quyết định số 123-QĐ/ĐU ngày 15/9/2025". */
  decisionCell: (number: string, date: string) => `Quyết định số ${number} ngày ${citationDate(date)}`,

  yes: 'Có',
  no: 'Không',
  notApplicable: 'Không áp dụng',

  /** Where a branch stands in the round. */
  congressStatus: {
    held: 'Đã đại hội',
    heldLate: 'Đã đại hội (sau hạn)',
    registered: 'Đã đăng ký lịch',
    none: 'Chưa đăng ký lịch',
  },
  meetingStatus: { reported: 'Đã báo cáo', notReported: 'Chưa báo cáo' },
  deliveryStatus: {
    sent: 'Đã nhận',
    pending: 'Đang gửi',
    failed: 'Không gửi được',
    unreachable: 'Không liên lạc được',
    notQueued: 'Chưa gửi',
    stopped: 'Đã dừng gửi',
  },
  roleNames: { secretary: 'Bí thư', deputy: 'Phó bí thư', leader: 'Lãnh đạo' },
  /** «Lê Văn C – ốm» inside the absence list of a cell. */
  absentPerson: (name: string, reason?: string) => (reason ? `${name} – ${reason}` : name),

  /** The title block over the summary sheets. */
  title: {
    congress: 'BÁO CÁO TIẾN ĐỘ ĐẠI HỘI CHI BỘ',
    meetings: (month: string) => `TÌNH HÌNH SINH HOẠT CHI BỘ THÁNG ${month}`,
    directive: 'TÌNH HÌNH NHẬN VÀ XÁC NHẬN VĂN BẢN',
    unit: (name: string) => `Đơn vị: ${name}`,
    campaign: (name: string, term: string) =>
      `Đợt đại hội: ${name.includes(term) ? name : `${name}, nhiệm kỳ ${term}`}`,
    window: (opens: string, deadline: string) => `Thời gian: từ ${opens} đến ${deadline}`,
    asOf: (date: string) => `Số liệu đến ngày ${date}`,
    directiveName: (number: string, title: string) => (number ? `Văn bản số ${number}: ${title}` : title),
    sentTo: (when: string, audience: string) => `Gửi lúc ${when} tới ${audience}`,
    deadline: (date: string) => `Hạn thực hiện: ${date}`,
    cancelled: (when: string) => `Đã dừng gửi lúc ${when}`,
    paragraph: 'Số liệu báo cáo cấp trên:',
    thresholdNote: (threshold: string) => `Ngưỡng tỷ lệ dự: ${threshold}`,
  },

  /** The printable one-page PDF. */
  pdf: {
    party: 'ĐẢNG CỘNG SẢN VIỆT NAM',
    /** "Ngày 11 tháng 9 năm 2025" under the national header. */
    dateLine: (day: number, month: number, year: number) => `ngày ${day} tháng ${month} năm ${year}`,
    /** The round under the title: its name, with the term when the name does not say it. */
    round: (name: string, term: string) => (name.includes(term) ? name : `${name}, nhiệm kỳ ${term}`),
    statsHeader: 'I. KẾT QUẢ ĐẠI HỘI',
    progressHeader: 'II. TIẾN ĐỘ',
    tableHeader: 'III. THEO ĐƠN VỊ TRỰC THUỘC',
    progressLine: {
      registeredOnly: (n: string) => `Đã đăng ký lịch, chưa đại hội: ${n} chi bộ.`,
      notRegistered: (n: string) => `Chưa đăng ký lịch: ${n} chi bộ.`,
      approved: (ratio: string, percent: string) =>
        `Đã chuẩn y kết quả: ${ratio} chi bộ đã đại hội (${percent}).`,
      late: (n: string) => `Báo cáo kết quả sau hạn: ${n} chi bộ.`,
      deadline: (date: string) => `Hạn hoàn thành: ${date}.`,
    },
    totalRow: 'Cộng',
    otherUnits: (n: string) => `Các đơn vị khác (${n})`,
    generated: (when: string) =>
      `Tệp được lập tự động lúc ${when} từ số liệu các chi bộ báo cáo qua Telegram.`,
  },

  /** File names (ASCII, no spaces) and captions of the documents sent. */
  files: {
    congressXlsx: (unit: string, date: string) => `dai-hoi-${unit}-${date}.xlsx`,
    congressPdf: (unit: string, date: string) => `bao-cao-dai-hoi-${unit}-${date}.pdf`,
    meetingsXlsx: (unit: string, month: string) => `sinh-hoat-${unit}-${month}.xlsx`,
    directiveXlsx: (id: string) => `van-ban-${id}.xlsx`,
  },
  captions: {
    congressXlsx: (unitName: string, term: string) =>
      `Kết quả đại hội chi bộ nhiệm kỳ ${term} – ${unitName} (Excel).`,
    congressPdf: (unitName: string, term: string) =>
      `Báo cáo tiến độ đại hội chi bộ nhiệm kỳ ${term} – ${unitName} (bản in).`,
    meetings: (unitName: string, month: string) => `Sinh hoạt chi bộ tháng ${month} – ${unitName} (Excel).`,
    directive: (title: string) => `Tình hình nhận và xác nhận văn bản: ${title} (Excel).`,
  },

  /** /xuat in chat. */
  chat: {
    leaderOnly:
      'Chức năng xuất báo cáo dành cho lãnh đạo cấp ủy và quản trị. Nếu đây là nhầm lẫn, đồng chí liên hệ văn phòng cấp ủy.',
    chooseScope: 'Đồng chí xuất báo cáo của đơn vị nào?',
    menu: (unitName: string) => `Xuất báo cáo của ${unitName}. Đồng chí chọn báo cáo cần xuất:`,
    nothing: (unitName: string) =>
      `Chưa có số liệu để xuất cho ${unitName}: chưa có đợt đại hội, tháng sinh hoạt hay văn bản nào.`,
    buttonCongress: (name: string, term: string) => `Đại hội: ${name} (${term})`,
    buttonMeetings: (month: string) => `Sinh hoạt chi bộ tháng ${month}`,
    buttonDirective: (label: string) => `Văn bản: ${label}`,
    preparing: 'Đang lập tệp, đồng chí chờ trong giây lát…',
    badMonth: (raw: string) =>
      `"${echo(raw)}" không phải tháng. Đồng chí ghi tháng theo dạng MM/YYYY, ví dụ: /xuat 09/2025`,
  },

  /** Refusals and problems, for chat and CLI alike. */
  errors: {
    noUnits: 'Chưa có cây tổ chức. Văn phòng cấp ủy cần nhập danh sách đơn vị trước.',
    noCampaign: (unitName: string) => `Chưa có đợt đại hội nào trong phạm vi ${unitName}.`,
    unknownCampaign: (id: string) => `Không có đợt đại hội mã «${echo(id)}». Đồng chí kiểm tra lại mã đợt.`,
    notInCampaign: (unitName: string) => `${unitName} không thuộc phạm vi của đợt đại hội này.`,
    futureMonth: (month: string) => `Tháng ${month} chưa đến, chưa có số liệu sinh hoạt để xuất.`,
    unknownDirective: (id: string) => `Không có văn bản số «${echo(id)}». Đồng chí kiểm tra lại số văn bản.`,
    directiveNotYours: 'Văn bản này không gửi tới đơn vị nào trong phạm vi đồng chí phụ trách.',
  },
} as const;
