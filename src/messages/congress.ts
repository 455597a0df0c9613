/**
 * Wording for the branch congress round (đại hội chi bộ): the result form and its field-by-field
 * errors (worded from the domain's reason codes), date registration (/lich), the guided dialog,
 * the confirmation card, progress and the statistics paragraph leaders paste into their upward
 * report. Dates, numbers and percentages are formatted here (dd/mm/yyyy, 1.349, 73,24%) so every
 * line reads the way DOMAIN.md says. Texts that show user input take it as markup (escaped by
 * each channel's renderer), and echo typed input capped (`echo`).
 */
import { bold, italic, lines, type Rich } from '../chat/markup.js';
import { type Campaign, type CampaignProblem, formatTerm } from '../domain/congress/campaign.js';
import type { ProgressView } from '../domain/congress/progress.js';
import { OVERDUE_NAMES_MAX, UPCOMING_DAYS } from '../domain/congress/progress.js';
import type { PilotWarning, RegistrationProblem } from '../domain/congress/registration.js';
import type {
  CongressProblem,
  CongressReport,
  ReportFieldError,
  ReportHint,
} from '../domain/congress/report.js';
import type { Counters, ResultStatsOptions } from '../domain/congress/stats.js';
import {
  CONGRESS_LABELS,
  type CongressField,
  DIALOG_CHOICES,
  HINH_THUC_NAMES,
  YES_NO_NAMES,
} from '../domain/congress/vocabulary.js';
import { echo } from '../domain/text.js';
import {
  formatNumber,
  formatPercent,
  formatRatio,
  formatTimeOfDay,
  formatVnDate,
  type IsoDate,
} from '../domain/vn.js';

/** Labels exactly as the blank form prints them (without the colon). */
const labels = CONGRESS_LABELS;

/** The count fields as the subject of a sentence ("Số đảng viên có mặt (28) ..."). */
const counts = {
  summoned: 'Số đảng viên triệu tập',
  present: 'Số đảng viên có mặt',
  elected: 'Số cấp ủy viên được bầu',
  reElected: 'Số cấp ủy viên tái cử',
  women: 'Số cấp ủy viên nữ',
  young: 'Số cấp ủy viên trẻ',
  minority: 'Số cấp ủy viên người dân tộc thiểu số',
} as const;

/** A filled-in example per field, used in "add the line ..." hints. */
const examples = {
  date: '15/09/2025',
  format: 'bầu cử',
  summoned: '27',
  present: '25',
  elected: '5',
  reElected: '3',
  women: '1',
  young: '1',
  minority: '0',
  secretaryDirect: 'có',
  secretaryIsHead: 'có',
  deputy: 'có',
  note: 'Đại hội đã thông qua nghị quyết nhiệm kỳ.',
} as const satisfies Record<CongressField, string>;

const formatNames = HINH_THUC_NAMES;
const yesNoNames = YES_NO_NAMES;

/** A person's own input, quoted and capped at 40 characters. */
const q = (raw: string) => `"${echo(raw, 41)}"`;
const fmt = formatNumber;
/** Notes on a form shown before "… và N dòng khác": a message full of stray lines stays one message. */
const HINTS_SHOWN = 10;

export const congress = {
  labels,
  counts,
  examples,
  formatNames,
  yesNoNames,

  /** Errors in a result report. Each says what is wrong and how to fix it. */
  reportErrors: {
    missing: (label: string, example: string) =>
      `Chưa có dòng "${label}". Đề nghị đồng chí ghi thêm: ${label}: ${example}`,
    badDate: (raw: string) =>
      `Ngày đại hội ${q(raw)} không đúng dạng ngày/tháng/năm. Đề nghị đồng chí ghi như 15/09/2025.`,
    dateOutsideWindow: (date: string, opens: string, deadline: string) =>
      `Ngày đại hội (${date}) nằm ngoài thời gian đại hội của đợt (từ ${opens} đến ${deadline}). Đề nghị đồng chí kiểm tra lại ngày.`,
    dateInFuture: (date: string, today: string) =>
      `Ngày đại hội (${date}) chưa đến (hôm nay là ${today}). Đồng chí báo cáo kết quả sau khi chi bộ đã đại hội; muốn đăng ký lịch thì dùng lệnh /lich.`,
    badFormat: (raw: string) =>
      `Hình thức ${q(raw)} chưa rõ. Đề nghị đồng chí ghi "bầu cử" hoặc "không bầu cử".`,
    notANumber: (count: string, raw: string) =>
      `${count} ${q(raw)} không phải là số. Đề nghị đồng chí ghi số nguyên, ví dụ 27 hoặc 1.349.`,
    mustBePositive: (count: string) => `${count} phải lớn hơn 0. Đề nghị đồng chí kiểm tra lại.`,
    summonedOverBranch: (summoned: string, branchSize: string) =>
      `Số đảng viên triệu tập (${summoned}) lớn hơn tổng số đảng viên của chi bộ (${branchSize}). Đề nghị đồng chí kiểm tra lại; số triệu tập không tính đảng viên được miễn sinh hoạt.`,
    presentOverSummoned: (present: string, summoned: string) =>
      `Số đảng viên có mặt (${present}) lớn hơn số triệu tập (${summoned}). Đề nghị đồng chí kiểm tra lại hai số này.`,
    overElected: (count: string, value: string, elected: string) =>
      `${count} (${value}) lớn hơn số cấp ủy viên được bầu (${elected}). Đề nghị đồng chí kiểm tra lại.`,
    electedWithoutElection: (elected: string) =>
      `Đại hội không bầu cử thì số cấp ủy viên được bầu là 0 (đồng chí ghi ${elected}). Nếu đại hội có bầu cử, đề nghị sửa Hình thức thành "bầu cử".`,
    noneElected:
      'Đại hội có bầu cử thì phải bầu ít nhất 1 cấp ủy viên (bí thư). Nếu đại hội không bầu cử, đề nghị sửa Hình thức thành "không bầu cử".',
    tooManyForChiUy: (elected: string) =>
      `Chi bộ có từ 9 đảng viên chính thức trở lên bầu chi ủy không quá 7 đồng chí; đồng chí ghi ${elected}. Đề nghị kiểm tra lại số cấp ủy viên được bầu.`,
    tooManyForSmallBranch: (branchSize: string, elected: string) =>
      `Chi bộ có ${branchSize} đảng viên (dưới 9 đảng viên chính thức) không bầu chi ủy, chỉ bầu bí thư và phó bí thư nếu cần, nên số cấp ủy viên được bầu không quá 2; đồng chí ghi ${elected}. Đề nghị kiểm tra lại.`,
    yesNo: (label: string, raw: string) =>
      `"${label}" ghi ${q(raw)} chưa rõ. Đề nghị đồng chí ghi "có" hoặc "không".`,
    yesNoNa: (label: string, raw: string) =>
      `"${label}" ghi ${q(raw)} chưa rõ. Đề nghị đồng chí ghi "có", "không" hoặc "không áp dụng".`,
    directWithoutElection:
      'Đại hội không bầu cử thì bí thư không do đại hội bầu. Đề nghị đồng chí ghi "Bí thư bầu tại đại hội: không", hoặc sửa Hình thức thành "bầu cử".',
    deputyWithoutElection:
      'Đại hội không bầu cử thì không bầu phó bí thư. Đề nghị đồng chí ghi "Phó bí thư: không áp dụng", hoặc sửa Hình thức thành "bầu cử".',
    deputyNeedsTwo: (elected: string) =>
      `Có bầu phó bí thư thì số cấp ủy viên được bầu phải từ 2 trở lên (bí thư và phó bí thư); đồng chí ghi ${elected}. Đề nghị kiểm tra lại một trong hai dòng.`,
    smallBranchTwoMeansDeputy:
      'Chi bộ dưới 9 đảng viên chính thức bầu 2 đồng chí thì đó là bí thư và phó bí thư. Đề nghị đồng chí ghi "Phó bí thư: có", hoặc sửa số cấp ủy viên được bầu.',
    noteTooLong: (max: number) => `Ghi chú dài quá ${max} ký tự. Đề nghị đồng chí ghi ngắn lại.`,
  },

  /** Notes shown with a report that do not stop it being saved. */
  reportHints: {
    unknownLine: (line: number, text: string) =>
      `Dòng ${line} ${q(text)} không có trong mẫu báo cáo nên không được tính.`,
    repeated: (label: string) => `Dòng "${label}" được ghi nhiều lần; đã lấy dòng ghi sau cùng.`,
    quorum: (present: string, summoned: string) =>
      `Đảng viên có mặt (${present}) dưới 2/3 số triệu tập (${summoned}): đại hội chỉ hợp lệ khi có ít nhất 2/3 đảng viên chính thức được triệu tập có mặt. Đề nghị đồng chí kiểm tra lại; văn phòng cấp ủy sẽ xem xét.`,
    more: (n: number) => `… và ${fmt(n)} dòng khác không có trong mẫu.`,
  },

  errorsHeader: 'Báo cáo chưa được lưu. Đề nghị đồng chí sửa các điểm sau:',
  hintsHeader: 'Lưu ý:',

  /** Confirmation card and what follows it. */
  card: {
    title: (branchName: string) => `Kết quả đại hội — ${branchName}`,
    dateLine: (date: string, format: string) => `Ngày đại hội: ${date} (${format})`,
    members: (summoned: string, present: string) => `Đảng viên: triệu tập ${summoned}, có mặt ${present}`,
    elected: (elected: string, reElected: string, firstTime: string) =>
      `Cấp ủy viên được bầu: ${elected} (tái cử ${reElected}, lần đầu ${firstTime})`,
    electedProfile: (women: string, young: string, minority: string) =>
      `Trong đó: nữ ${women}, trẻ ${young}, dân tộc thiểu số ${minority}`,
    line: (label: string, value: string) => `${label}: ${value}`,
    confirm:
      'Đồng chí kiểm tra lại các số liệu trên. Đúng thì bấm «Xác nhận và lưu»; chưa bấm thì chưa có gì được lưu.',
  },
  buttonConfirm: 'Xác nhận và lưu',
  saved: 'Đã lưu kết quả đại hội của chi bộ. Cảm ơn đồng chí.',
  amended: (version: number) =>
    `Đã lưu bản sửa kết quả đại hội (lần sửa thứ ${version - 1}). Bản trước vẫn được lưu lại.`,
  unchanged: 'Kết quả này giống bản đã lưu, không có gì thay đổi.',
  approved: (branchName: string) => `Đã chuẩn y kết quả đại hội của ${branchName}.`,
  alreadyApproved: (branchName: string, date: string) =>
    `Kết quả đại hội của ${branchName} đã được chuẩn y ngày ${date}.`,
  approveWithoutReport: (branchName: string) =>
    `${branchName} chưa báo cáo kết quả đại hội nên chưa chuẩn y được.`,

  /** Creating a campaign (đợt đại hội). */
  campaignErrors: {
    name: 'Chưa có tên đợt đại hội. Đề nghị ghi tên, ví dụ "Đại hội chi bộ nhiệm kỳ 2025 – 2027".',
    nameTooLong: 'Tên đợt đại hội dài quá 200 ký tự. Đề nghị ghi ngắn lại.',
    term: 'Nhiệm kỳ phải ghi dạng năm bắt đầu-năm kết thúc, ví dụ 2025-2027.',
    termOrder: 'Năm kết thúc nhiệm kỳ phải sau năm bắt đầu, ví dụ 2025-2027.',
    scope: 'Chưa có mã đơn vị tổ chức đợt đại hội (chữ, số, dấu chấm, gạch nối; không dấu cách).',
    opens: 'Ngày bắt đầu đại hội chưa đúng. Đề nghị ghi ngày/tháng/năm, ví dụ 20/08/2025.',
    deadline: 'Hạn hoàn thành đại hội chưa đúng. Đề nghị ghi ngày/tháng/năm, ví dụ 30/09/2025.',
    window: (opens: string, deadline: string) =>
      `Ngày bắt đầu (${formatVnDate(opens)}) sau hạn hoàn thành (${formatVnDate(deadline)}). Đề nghị kiểm tra lại hai ngày này.`,
    pilots: 'Mã chi bộ đại hội điểm chưa đúng (chữ, số, dấu chấm, gạch nối; không dấu cách).',
    youngAge: 'Tuổi tính là cấp ủy viên trẻ phải là số nguyên từ 18 đến 60, thường là 35.',
    trackedSteps: 'Bước theo dõi không có trong danh sách các bước của đợt đại hội.',
    scopeUnknown: (code: string) =>
      `Không có đơn vị mã «${echo(code)}». Đề nghị ghi mã đơn vị tổ chức đợt đại hội đúng như trong danh sách đơn vị.`,
    scopeNoBranches: (name: string) =>
      `${name} không có chi bộ nào trực thuộc nên không mở đợt đại hội cho đơn vị này được. Đề nghị chọn đảng bộ có chi bộ.`,
    pilotUnknown: (code: string) =>
      `Không có chi bộ mã «${echo(code)}» để chọn làm đại hội điểm. Đề nghị kiểm tra lại mã.`,
    pilotNotBranch: (name: string) =>
      `${name} không phải chi bộ; đại hội điểm phải là một chi bộ. Đề nghị kiểm tra lại mã.`,
    more: (n: number) => `… và ${fmt(n)} mã khác chưa đúng.`,
    pilotOutsideScope: (name: string, scopeName: string) =>
      `${name} không thuộc ${scopeName} nên không làm đại hội điểm của đợt này được.`,
  },
  campaignClosed: 'Đợt đại hội này đã kết thúc, không nhận thêm đăng ký lịch hay báo cáo kết quả.',
  campaignNotFound: 'Không tìm thấy đợt đại hội này. Đề nghị đồng chí chọn lại đợt đại hội.',

  /** Registering a congress date: /lich DD/MM/YYYY [HH:MM]. */
  registration: {
    usage: 'Đề nghị đồng chí ghi ngày đại hội theo mẫu: /lich 15/09/2025 hoặc /lich 15/09/2025 19:30',
    badDate: (raw: string) =>
      `${q(raw)} không phải ngày hợp lệ. Đề nghị đồng chí ghi ngày/tháng/năm, ví dụ /lich 15/09/2025`,
    badTime: (raw: string) =>
      `${q(raw)} không phải giờ hợp lệ. Đề nghị đồng chí ghi giờ như 19:30 hoặc 19h30.`,
    outsideWindow: (date: string, opens: string, deadline: string) =>
      `Ngày ${date} nằm ngoài thời gian đại hội của đợt (từ ${opens} đến ${deadline}). Đề nghị đồng chí chọn ngày trong khoảng này.`,
    inPast: (date: string, today: string) =>
      `Ngày ${date} đã qua (hôm nay là ${today}). Đề nghị đồng chí đăng ký ngày từ hôm nay trở đi; nếu chi bộ đã đại hội thì đề nghị báo cáo kết quả.`,
    alreadyReported: (date: string) =>
      `Chi bộ đã báo cáo kết quả đại hội ngày ${date}, không cần đăng ký lịch nữa.`,
    registered: (when: string) => `Đã ghi nhận lịch đại hội của chi bộ: ${when}.`,
    moved: (from: string, to: string) => `Đã chuyển lịch đại hội của chi bộ từ ${from} sang ${to}.`,
    when: (date: string, time?: string) => (time ? `${time} ngày ${date}` : `ngày ${date}`),
    /** To the secretary of a non-pilot branch. */
    pilotNotScheduled: (pilotName: string) =>
      `Lưu ý: đại hội điểm của đảng bộ (${pilotName}) chưa đăng ký lịch. Theo kế hoạch, đại hội điểm tổ chức trước để rút kinh nghiệm, các chi bộ khác đại hội sau. Đề nghị đồng chí trao đổi với đồng chí cấp ủy viên phụ trách.`,
    beforePilot: (pilotName: string, pilotDate: string) =>
      `Lưu ý: đại hội điểm của đảng bộ (${pilotName}) ${pilotDate}; theo kế hoạch, các chi bộ khác đại hội sau đại hội điểm. Đề nghị đồng chí trao đổi với đồng chí cấp ủy viên phụ trách.`,
    pilotWhen: (date: string, held: boolean) =>
      held ? `đã tổ chức ngày ${date}` : `dự kiến tổ chức ngày ${date}`,
    /** To the leader responsible for the branch. */
    leaderPilotNotice: (branchName: string, date: string, pilotName: string, pilotWhen: string) =>
      `${branchName} đăng ký đại hội ngày ${date}; đại hội điểm của đảng bộ (${pilotName}) ${pilotWhen}. Theo kế hoạch, đại hội điểm tổ chức trước. Đề nghị đồng chí trao đổi với chi bộ.`,
    pilotUnscheduled: 'chưa đăng ký lịch',
  },

  /** The guided dialog, one question per field. */
  dialog: {
    date: (opens: string, deadline: string) =>
      `Chi bộ đại hội ngày nào? Đồng chí ghi ngày/tháng/năm, ví dụ 15/09/2025 (đợt này từ ${opens} đến ${deadline}).`,
    format:
      'Đại hội có bầu cử không? Đồng chí chọn "Bầu cử" hoặc "Không bầu cử" (đại hội 2 nội dung, 3 nội dung).',
    summoned: 'Số đảng viên được triệu tập? (không tính đảng viên được miễn sinh hoạt)',
    present: 'Số đảng viên có mặt tại đại hội?',
    elected: 'Số cấp ủy viên được bầu (kể cả bí thư, phó bí thư)?',
    reElected: 'Trong số cấp ủy viên được bầu, bao nhiêu đồng chí tái cử?',
    women: 'Số cấp ủy viên nữ?',
    young: (youngAge: number) => `Số cấp ủy viên trẻ (dưới ${youngAge} tuổi)?`,
    minority: 'Số cấp ủy viên người dân tộc thiểu số?',
    secretaryDirect: 'Bí thư chi bộ có được đại hội bầu trực tiếp không?',
    secretaryIsHead:
      'Bí thư chi bộ có đồng thời là người đứng đầu (thủ trưởng cơ quan, đơn vị, trưởng thôn, tổ trưởng dân phố) không?',
    deputy: 'Chi bộ có bầu phó bí thư không?',
    note: 'Đồng chí có ghi chú gì thêm không? Không có thì bấm "Bỏ qua" hoặc gửi dấu "-".',
    buttonElection: DIALOG_CHOICES.election,
    buttonNoElection: DIALOG_CHOICES.noElection,
    buttonYes: DIALOG_CHOICES.yes,
    buttonNo: DIALOG_CHOICES.no,
    buttonNotApplicable: DIALOG_CHOICES.notApplicable,
    buttonSkip: DIALOG_CHOICES.skip,
    finished: 'Đồng chí đã trả lời đủ các câu hỏi.',
  },

  /** The statistics paragraph, in the wording of committees' upward reports. */
  stats: {
    held: (asOf: string, ratio: string, percent: string, term: string) =>
      `Đến ngày ${asOf}, ${ratio} chi bộ (${percent}) đã tổ chức xong đại hội nhiệm kỳ ${term}.`,
    noneHeld: (asOf: string, total: string, term: string) =>
      `Đến ngày ${asOf}, chưa có chi bộ nào (trong tổng số ${total} chi bộ) tổ chức đại hội nhiệm kỳ ${term}.`,
    elected: (elected: string, parts: string) =>
      `Tổng số cấp ủy viên được bầu: ${elected} đồng chí, trong đó ${parts}.`,
    part: (what: string, count: string, percent: string) => `${what} ${count} đồng chí (${percent})`,
    partNames: {
      reElected: 'tái cử',
      firstTime: 'tham gia cấp ủy lần đầu',
      women: 'nữ',
      young: 'trẻ',
      minority: 'dân tộc thiểu số',
    },
    noneElectedAtAll: 'Các chi bộ đã đại hội đều không bầu cử.',
    direct: (ratio: string, percent: string) =>
      `Bí thư chi bộ do đại hội bầu trực tiếp: ${ratio} đồng chí (${percent}).`,
    head: (ratio: string, percent: string) =>
      `Bí thư chi bộ là người đứng đầu: ${ratio} đồng chí (${percent}).`,
    deputy: (ratio: string, details: string) =>
      `Phó bí thư được bầu: ${ratio}${details ? ` (${details})` : ''}.`,
    noDeputy: (n: string) => `${n} đơn vị không bầu phó bí thư`,
    noElection: (n: string) => `${n} đơn vị đại hội không bầu cử`,
    approved: (ratio: string, percent: string) => `Đã chuẩn y kết quả: ${ratio} chi bộ (${percent}).`,
  },

  /** /tiendo: progress of the round for a leader's subtree. Telegram HTML (<b> only). */
  progress: {
    title: (term: string) => `Tiến độ đại hội chi bộ nhiệm kỳ ${term}`,
    scope: (scopeName: string, today: string, deadline: string) =>
      `${scopeName}, đến ngày ${today} (hạn hoàn thành ${deadline})`,
    held: (ratio: string, percent: string) => `Đã đại hội: ${ratio} chi bộ (${percent})`,
    registeredOnly: (n: string) => `Đã đăng ký lịch, chưa đại hội: ${n} chi bộ`,
    notRegistered: (n: string) => `Chưa đăng ký lịch: ${n} chi bộ`,
    approved: (ratio: string) => `Đã chuẩn y: ${ratio} chi bộ đã đại hội`,
    late: (n: string) => `Báo cáo sau hạn: ${n} chi bộ`,
    upcomingHeader: (days: number) => `Đại hội trong ${days} ngày tới:`,
    upcomingNone: (days: number) => `Không có chi bộ nào đại hội trong ${days} ngày tới.`,
    upcomingItem: (when: string, branchName: string) => `- ${when}: ${branchName}`,
    overdueHeader: (n: string) => `Quá hạn chưa báo cáo: ${n} chi bộ`,
    overdueRegistered: (branchName: string, date: string) =>
      `- ${branchName} (đăng ký đại hội ngày ${date}, chưa báo cáo kết quả)`,
    overdueDeadline: (branchName: string) => `- ${branchName}`,
    overdueMore: (n: string) => `… và ${n} chi bộ khác`,
    childrenHeader: 'Theo đơn vị:',
    child: (name: string, ratio: string, percent: string) => `- ${name}: ${ratio} (${percent})`,
    upcomingMore: (n: string) => `… và ${n} chi bộ khác`,
    awaitingApproval: (n: string) => `Chờ chuẩn y: ${n} chi bộ (bấm nút bên dưới để chuẩn y).`,
    statsHeader: 'Số liệu báo cáo cấp trên:',
  },

  /** Chat answers around the commands: /lich, /daihoi, /tiendo, /dotdaihoi and their buttons. */
  chat: {
    secretaryOnly:
      'Chức năng này dành cho bí thư, phó bí thư chi bộ. Đồng chí chưa được giao chi bộ nào để báo cáo; nếu đây là nhầm lẫn, đồng chí liên hệ văn phòng cấp ủy.',
    leaderOnly:
      'Chức năng này dành cho lãnh đạo cấp ủy và quản trị. Nếu đây là nhầm lẫn, đồng chí liên hệ văn phòng cấp ủy.',
    noOpenCampaign: (branchName: string) =>
      `Hiện chưa có đợt đại hội nào đang mở cho ${branchName}. Khi cấp ủy mở đợt đại hội, đồng chí dùng lại lệnh này.`,
    noCampaignInScope: (unitName: string) => `Hiện chưa có đợt đại hội nào đang mở trong ${unitName}.`,
    notInCampaign: (unitName: string) => `${unitName} không thuộc phạm vi của đợt đại hội này.`,
    chooseBranch: 'Đồng chí báo cáo cho chi bộ nào?',
    chooseCampaign: 'Đang có nhiều đợt đại hội. Đồng chí chọn đợt đại hội:',
    chooseScope: 'Đồng chí xem tiến độ của đơn vị nào?',
    campaignButton: (name: string, term: string) => `${name} (${term})`,
    /** /daihoi alone: the blank form and what to do with it. */
    formIntro: (branchName: string, campaignName: string) =>
      `Báo cáo kết quả đại hội của ${branchName} (${campaignName}).\nĐồng chí chép mẫu dưới đây, ghi số liệu sau dấu hai chấm rồi gửi lại. Không cần giữ đúng thứ tự, có dấu hay không dấu đều được. Muốn trả lời từng câu thì bấm nút bên dưới.`,
    buttonDialog: 'Trả lời từng câu',
    dialogStart: (branchName: string) =>
      `Báo cáo kết quả đại hội của ${branchName}: đồng chí trả lời từng câu. Muốn dừng thì bấm «Hủy» hoặc gõ /huy; chưa xác nhận thì chưa có gì được lưu.`,
    dialogRetry: 'Đề nghị đồng chí trả lời lại câu này:',
    staleAnswer: 'Câu hỏi này đã được trả lời. Đồng chí trả lời câu hỏi mới nhất.',
    pendingConfirm:
      'Báo cáo kết quả đại hội đang chờ đồng chí xác nhận: bấm «Xác nhận và lưu» để lưu, hoặc «Hủy» (gõ /huy) để bỏ.',
    pendingChoice: 'Đồng chí chọn một nút ở tin nhắn trên, hoặc bấm «Hủy» (gõ /huy) để bỏ.',
    savedWithNotice: (saved: string) => `${saved} Kết quả đã được gửi tới cấp ủy cấp trên để chuẩn y.`,
    /** To the responsible leaders when a branch saves its result. */
    reportNotice: (branchName: string, version: number) =>
      version > 1
        ? `${branchName} đã sửa báo cáo kết quả đại hội (lần sửa thứ ${version - 1}).`
        : `${branchName} đã báo cáo kết quả đại hội.`,
    reportNoticeAsk: 'Đề nghị đồng chí xem xét, chuẩn y.',
    buttonApprove: 'Chuẩn y',
    buttonApproveBranch: (branchName: string) => `Chuẩn y: ${branchName}`,
    notApprover: 'Chỉ lãnh đạo cấp ủy cấp trên phụ trách chi bộ (hoặc quản trị) mới chuẩn y kết quả đại hội.',
    /** To the secretary and deputy once the result is approved. */
    approvedNotice: (branchName: string, term: string) =>
      `Kết quả đại hội nhiệm kỳ ${term} của ${branchName} đã được cấp ủy cấp trên chuẩn y.`,
    /** /tiendo buttons. */
    buttonUp: (name: string) => `↑ ${name}`,
    /** /lich without a date: show what is registered. */
    currentRegistration: (when: string) => `Lịch đại hội đã đăng ký: ${when}.`,
  },

  /** /dotdaihoi: opening a congress round step by step (admins). */
  campaignDialog: {
    intro:
      'Mở đợt đại hội chi bộ mới. Đồng chí trả lời từng bước; bấm «Hủy» hoặc gõ /huy để dừng, chưa xác nhận thì chưa có gì được lưu.',
    openList: (lines: readonly string[]) => `Các đợt đại hội đang mở:\n${lines.join('\n')}`,
    openLine: (name: string, term: string, scopeName: string, opens: string, deadline: string) =>
      `- ${name} (nhiệm kỳ ${term}), ${scopeName}, từ ${opens} đến ${deadline}`,
    name: 'Bước 1. Tên đợt đại hội? Ví dụ: Đại hội chi bộ nhiệm kỳ 2025 – 2027',
    term: 'Bước 2. Nhiệm kỳ? Chọn bên dưới hoặc ghi năm bắt đầu-năm kết thúc, ví dụ 2025-2027.',
    scope: 'Bước 3. Đơn vị tổ chức đợt đại hội? Chọn bên dưới hoặc ghi mã đơn vị.',
    opens: 'Bước 4. Ngày bắt đầu đại hội? Ghi ngày/tháng/năm, ví dụ 20/08/2025.',
    deadline: (opens: string) =>
      `Bước 5. Hạn hoàn thành đại hội? Ghi ngày/tháng/năm, từ ${opens} trở đi, ví dụ 30/09/2025.`,
    pilots:
      'Bước 6. Mã các chi bộ đại hội điểm, cách nhau bằng dấu phẩy (ví dụ CB01, CB07). Chưa có thì bấm «Không có».',
    youngAge: 'Bước 7. Cấp ủy viên dưới bao nhiêu tuổi được tính là trẻ? Thường là 35.',
    buttonToday: (date: string) => `Hôm nay (${date})`,
    buttonNoPilots: 'Không có',
    buttonCreate: 'Xác nhận và mở đợt',
    summary: (lines: readonly string[]) =>
      `Đồng chí kiểm tra lại đợt đại hội:\n${lines.join('\n')}\nĐúng thì bấm «Xác nhận và mở đợt».`,
    summaryLines: {
      name: (v: string) => `Tên: ${v}`,
      term: (v: string) => `Nhiệm kỳ: ${v}`,
      scope: (name: string, code: string) => `Đơn vị: ${name} (${code})`,
      window: (opens: string, deadline: string) => `Thời gian: từ ${opens} đến ${deadline}`,
      pilots: (names: string) => `Đại hội điểm: ${names}`,
      noPilots: 'Đại hội điểm: chưa có',
      youngAge: (age: number) => `Cấp ủy viên trẻ: dưới ${age} tuổi`,
    },
    created: (name: string, id: string) =>
      `Đã mở đợt đại hội «${name}» (mã ${id}). Bí thư, phó bí thư các chi bộ dùng /lich để đăng ký ngày và /daihoi để báo cáo kết quả.`,
    notCreated: (errors: readonly string[]) =>
      `Chưa mở được đợt đại hội:\n${errors.map((e) => `- ${e}`).join('\n')}`,
    /** «Xác nhận và mở đợt» pressed again (a double tap, or a press repeated after a restart). */
    alreadyCreated: (name: string, id: string) =>
      `Đợt đại hội «${name}» đã được mở (mã ${id}). Đồng chí không cần bấm lại.`,
  },

  /** «Xác nhận và lưu» pressed again (a double tap, or a press repeated after a restart). */
  alreadySaved: (version: number | undefined) =>
    `Kết quả đại hội của chi bộ đã được lưu${version ? ` (bản số ${fmt(version)})` : ''}. Đồng chí không cần bấm lại.`,

  /** A problem of a result report, worded. */
  problem: (p: CongressProblem): string => describeProblem(p),
  /** A note on a form that does not stop it being saved, worded. */
  hint: (h: ReportHint): string =>
    h.code === 'repeated'
      ? congress.reportHints.repeated(labels[h.field])
      : h.code === 'quorum'
        ? congress.reportHints.quorum(fmt(h.present), fmt(h.summoned))
        : congress.reportHints.unknownLine(h.line, h.text),
  /** The numbered list of problems, then the notes (plain text: the renderer escapes what was typed). */
  problemList: (errors: readonly ReportFieldError[], hints: readonly ReportHint[] = []): string =>
    problemList(errors, hints),
  /** The confirmation card: compact lines for a small screen; the election lines only with an election. */
  reportCard: (report: CongressReport, branchName: string): Rich => reportCard(report, branchName),
  /** The dialog's question for a step (the "all answered" line once there is none). */
  question: (field: CongressField | undefined, campaign: Pick<Campaign, 'opens' | 'deadline' | 'youngAge'>) =>
    question(field, campaign),
  /** A problem of a round's input, worded. */
  campaignProblem: (p: CampaignProblem): string => describeCampaignProblem(p),
  /** Why a date cannot be registered, worded. */
  registrationProblem: (p: RegistrationProblem): string => describeRegistrationProblem(p),
  /** "19:30 ngày 15/09/2025" or "ngày 15/09/2025". */
  registrationWhen: (date: IsoDate, time?: number): string =>
    congress.registration.when(formatVnDate(date), time === undefined ? undefined : formatTimeOfDay(time)),
  /** What the secretary reads when the pilot rule applies. */
  pilotWarning: (warning: PilotWarning, pilotName: string): string => pilotWarningText(warning, pilotName),
  /** What the responsible leader reads when the pilot rule applies. */
  pilotLeaderNotice: (
    warning: PilotWarning,
    branchName: string,
    date: IsoDate,
    pilotName: string,
  ): string => {
    const r = congress.registration;
    const when =
      warning.pilotDate === undefined
        ? r.pilotUnscheduled
        : r.pilotWhen(formatVnDate(warning.pilotDate), warning.pilotHeld);
    return r.leaderPilotNotice(branchName, formatVnDate(date), pilotName, when);
  },
  /** /tiendo's answer for one unit: counts, the coming week, overdue branches, one line per child. */
  progressText: (v: ProgressView): Rich => progressText(v),
  /**
   * The statistics paragraph, one sentence per line, in committees' own wording and order
   * (DOMAIN.md's example): re-elected, first-time, women, young (and minority, when any) as shares
   * of all elected; "người đứng đầu" of the branches where it applies; phó bí thư of all branches
   * that held their congress. A last line gives bí thư elected directly, of the congresses with
   * an election.
   */
  resultStats: (c: Counters, opts: ResultStatsOptions): string => resultStats(c, opts),
} as const;

function describeProblem(p: CongressProblem): string {
  const e = congress.reportErrors;
  const date = formatVnDate;
  switch (p.code) {
    case 'missing':
      return e.missing(labels[p.field], examples[p.field]);
    case 'badDate':
      return e.badDate(p.text);
    case 'dateOutsideWindow':
      return e.dateOutsideWindow(date(p.date), date(p.opens), date(p.deadline));
    case 'dateInFuture':
      return e.dateInFuture(date(p.date), date(p.today));
    case 'badFormat':
      return e.badFormat(p.text);
    case 'notANumber':
      return e.notANumber(counts[p.field], p.text);
    case 'mustBePositive':
      return e.mustBePositive(counts[p.field]);
    case 'summonedOverBranch':
      return e.summonedOverBranch(fmt(p.summoned), fmt(p.branchSize));
    case 'presentOverSummoned':
      return e.presentOverSummoned(fmt(p.present), fmt(p.summoned));
    case 'overElected':
      return e.overElected(counts[p.field], fmt(p.value), fmt(p.elected));
    case 'electedWithoutElection':
      return e.electedWithoutElection(fmt(p.elected));
    case 'noneElected':
      return e.noneElected;
    case 'tooManyForChiUy':
      return e.tooManyForChiUy(fmt(p.elected));
    case 'tooManyForSmallBranch':
      return e.tooManyForSmallBranch(fmt(p.branchSize), fmt(p.elected));
    case 'yesNo':
      return e.yesNo(labels[p.field], p.text);
    case 'yesNoNa':
      return e.yesNoNa(labels[p.field], p.text);
    case 'directWithoutElection':
      return e.directWithoutElection;
    case 'deputyWithoutElection':
      return e.deputyWithoutElection;
    case 'deputyNeedsTwo':
      return e.deputyNeedsTwo(fmt(p.elected));
    case 'smallBranchTwoMeansDeputy':
      return e.smallBranchTwoMeansDeputy;
    case 'noteTooLong':
      return e.noteTooLong(p.max);
  }
}

function problemList(errors: readonly ReportFieldError[], hints: readonly ReportHint[]): string {
  const out: string[] = [];
  if (errors.length > 0)
    out.push(congress.errorsHeader, ...errors.map((e, i) => `${i + 1}. ${describeProblem(e.problem)}`));
  if (hints.length > 0) {
    if (out.length > 0) out.push('');
    out.push(congress.hintsHeader, ...hints.slice(0, HINTS_SHOWN).map((h) => `- ${congress.hint(h)}`));
    if (hints.length > HINTS_SHOWN) out.push(congress.reportHints.more(hints.length - HINTS_SHOWN));
  }
  return out.join('\n');
}

function reportCard(report: CongressReport, branchName: string): Rich {
  const c = congress.card;
  const election = report.format === 'bau_cu';
  return lines(
    bold(c.title(branchName)),
    c.dateLine(formatVnDate(report.date), formatNames[report.format]),
    c.members(fmt(report.summoned), fmt(report.present)),
    election && c.elected(fmt(report.elected), fmt(report.reElected), fmt(report.elected - report.reElected)),
    election && c.electedProfile(fmt(report.women), fmt(report.young), fmt(report.minority)),
    election && c.line(labels.secretaryDirect, yesNoNames[report.secretaryDirect ? 'co' : 'khong']),
    c.line(labels.secretaryIsHead, yesNoNames[report.secretaryIsHead]),
    election && c.line(labels.deputy, yesNoNames[report.deputy]),
    report.note ? [labels.note, ': ', italic(report.note)] : undefined,
  );
}

function question(
  field: CongressField | undefined,
  campaign: Pick<Campaign, 'opens' | 'deadline' | 'youngAge'>,
): string {
  const d = congress.dialog;
  switch (field) {
    case undefined:
      return d.finished;
    case 'date':
      return d.date(formatVnDate(campaign.opens), formatVnDate(campaign.deadline));
    case 'young':
      return d.young(campaign.youngAge);
    default:
      return d[field];
  }
}

function describeCampaignProblem(p: CampaignProblem): string {
  const e = congress.campaignErrors;
  switch (p.code) {
    case 'window':
      return e.window(p.opens, p.deadline);
    case 'scopeUnknown':
      return e.scopeUnknown(p.scope);
    case 'scopeNoBranches':
      return e.scopeNoBranches(p.name);
    case 'pilotUnknown':
      return e.pilotUnknown(p.pilot);
    case 'pilotNotBranch':
      return e.pilotNotBranch(p.name);
    case 'pilotOutsideScope':
      return e.pilotOutsideScope(p.name, p.scopeName);
    default:
      return e[p.code];
  }
}

function describeRegistrationProblem(p: RegistrationProblem): string {
  const r = congress.registration;
  switch (p.code) {
    case 'usage':
      return r.usage;
    case 'badDate':
      return r.badDate(p.text);
    case 'badTime':
      return r.badTime(p.text);
    case 'outsideWindow':
      return r.outsideWindow(formatVnDate(p.date), formatVnDate(p.opens), formatVnDate(p.deadline));
    case 'inPast':
      return r.inPast(formatVnDate(p.date), formatVnDate(p.today));
    case 'alreadyReported':
      return r.alreadyReported(formatVnDate(p.date));
    case 'campaignClosed':
      return congress.campaignClosed;
  }
}

function pilotWarningText(warning: PilotWarning, pilotName: string): string {
  const r = congress.registration;
  if (warning.reason === 'not_scheduled' || warning.pilotDate === undefined)
    return r.pilotNotScheduled(pilotName);
  return r.beforePilot(pilotName, r.pilotWhen(formatVnDate(warning.pilotDate), warning.pilotHeld));
}

function progressText(v: ProgressView): Rich {
  const p = congress.progress;
  const t = v.totals;
  const out: Rich[] = [
    bold(p.title(formatTerm(v.term))),
    p.scope(v.scopeName, formatVnDate(v.today), formatVnDate(v.deadline)),
    p.held(formatRatio(t.held, v.totalBranches), formatPercent(t.held, v.totalBranches)),
    p.registeredOnly(fmt(t.registeredOnly)),
    p.notRegistered(fmt(Math.max(0, v.totalBranches - t.held - t.registeredOnly))),
  ];
  if (t.held > 0) out.push(p.approved(formatRatio(t.approved, t.held)));
  if (t.late > 0) out.push(p.late(fmt(t.late)));

  out.push('');
  if (v.upcoming.length === 0) out.push(p.upcomingNone(UPCOMING_DAYS));
  else {
    out.push(p.upcomingHeader(UPCOMING_DAYS));
    for (const u of v.upcoming)
      out.push(p.upcomingItem(congress.registrationWhen(u.date, u.time), u.branchName));
    const upcomingCount = v.upcomingCount ?? v.upcoming.length;
    if (upcomingCount > v.upcoming.length) out.push(p.upcomingMore(fmt(upcomingCount - v.upcoming.length)));
  }

  // The count always shows; names only for the first few, so a big scope stays readable.
  const max = v.overdueNamesMax ?? OVERDUE_NAMES_MAX;
  const overdueCount = Math.max(v.overdueCount ?? v.overdue.length, v.overdue.length);
  out.push('', bold(p.overdueHeader(fmt(overdueCount))));
  for (const o of v.overdue.slice(0, max)) {
    out.push(
      o.registeredDate === undefined
        ? p.overdueDeadline(o.name)
        : p.overdueRegistered(o.name, formatVnDate(o.registeredDate)),
    );
  }
  const named = Math.min(v.overdue.length, max);
  if (overdueCount > named) out.push(p.overdueMore(fmt(overdueCount - named)));

  if (v.children.length > 0) {
    out.push('', p.childrenHeader);
    for (const c of v.children)
      out.push(p.child(c.name, formatRatio(c.held, c.total), formatPercent(c.held, c.total)));
  }
  return lines(...out);
}

function resultStats(c: Counters, opts: ResultStatsOptions): string {
  const s = congress.stats;
  const asOf = formatVnDate(opts.asOf);
  const term = formatTerm(opts.term);
  if (c.held === 0) return s.noneHeld(asOf, fmt(opts.totalBranches), term);

  const out = [
    s.held(asOf, formatRatio(c.held, opts.totalBranches), formatPercent(c.held, opts.totalBranches), term),
  ];
  if (c.elected > 0) {
    const share = (what: string, n: number) => s.part(what, fmt(n), formatPercent(n, c.elected));
    const parts = [
      `${share(s.partNames.reElected, c.reElected)}, ${share(s.partNames.firstTime, c.elected - c.reElected)}`,
      share(s.partNames.women, c.women),
      share(s.partNames.young, c.young),
    ];
    if (c.minority > 0) parts.push(share(s.partNames.minority, c.minority));
    out.push(s.elected(fmt(c.elected), parts.join('; ')));
  } else {
    out.push(s.noneElectedAtAll);
  }
  if (c.headApplicable > 0) {
    out.push(s.head(formatRatio(c.headYes, c.headApplicable), formatPercent(c.headYes, c.headApplicable)));
  }
  const details: string[] = [];
  if (c.noDeputy > 0) details.push(s.noDeputy(fmt(c.noDeputy)));
  if (c.noElection > 0) details.push(s.noElection(fmt(c.noElection)));
  out.push(s.deputy(formatRatio(c.deputyElected, c.held), details.join(', ')));
  // Not in the usual paragraph, so it comes last where it does not break the pasted sequence.
  const withElection = c.held - c.noElection;
  if (withElection > 0) {
    out.push(
      s.direct(formatRatio(c.secretaryDirect, withElection), formatPercent(c.secretaryDirect, withElection)),
    );
  }
  return out.join('\n');
}
