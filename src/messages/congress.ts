/**
 * Wording for the branch congress round (đại hội chi bộ): the result form and its field-by-field
 * errors (worded from the domain's reason codes), date registration (/lich), the guided dialog,
 * the confirmation card, progress and the statistics paragraph leaders paste into their upward
 * report. Dates, numbers and percentages are formatted here (dd/mm/yyyy, 1.349, 73,24%) so every
 * line reads the way docs/rules.md («How the bot writes») says. Texts that show user input take it as markup (escaped by
 * each channel's renderer), and echo typed input capped (`echo`).
 */
import { bold, italic, lines, type Rich } from '../chat/markup.js';
import { type Campaign, type CampaignProblem, formatTerm } from '../domain/congress/campaign.js';
import { EXTENSION_REASON_MAX, type ExtensionProblem } from '../domain/congress/extension.js';
import type { ProgressView } from '../domain/congress/progress.js';
import { OVERDUE_NAMES_MAX, UPCOMING_DAYS } from '../domain/congress/progress.js';
import type { PilotWarning, RegistrationProblem } from '../domain/congress/registration.js';
import type {
  CongressProblem,
  CongressReport,
  ReportFieldError,
  ReportHint,
  ReportWarning,
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
      `Hình thức ${q(raw)} chưa rõ. Đề nghị đồng chí ghi "bầu cử", "3 nội dung", "2 nội dung" hoặc "không bầu cử".`,
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
    tooManyForChiUy: (elected: string, basis: string) =>
      `Chi bộ có từ 9 đảng viên chính thức trở lên bầu chi ủy không quá 7 đồng chí; đồng chí ghi ${elected}. Đề nghị kiểm tra lại số cấp ủy viên được bầu. (${basis})`,
    tooManyForSmallBranch: (elected: string, basis: string) =>
      `Chi bộ dưới 9 đảng viên chính thức không bầu chi ủy, chỉ bầu bí thư và phó bí thư nếu cần, nên số cấp ủy viên được bầu không quá 2; đồng chí ghi ${elected}. Đề nghị kiểm tra lại. (${basis})`,
    /** Which number the 9-member rule used, so a wrong list can be spotted and fixed. */
    basis: {
      unitList: (n: string) => `Tính theo ${n} đảng viên chính thức ghi trong danh sách đơn vị.`,
      register: (n: string) => `Tính theo ${n} đảng viên chính thức trong danh sách đảng viên của chi bộ.`,
      allMembers: (n: string) =>
        `Tính theo tổng số ${n} đảng viên của chi bộ, vì danh sách đơn vị chưa ghi số đảng viên chính thức; nếu chưa đúng, đề nghị báo văn phòng cấp ủy bổ sung.`,
    },
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
    smallBranchTwoMeansDeputy: (basis: string) =>
      `Chi bộ dưới 9 đảng viên chính thức bầu 2 đồng chí thì đó là bí thư và phó bí thư. Đề nghị đồng chí ghi "Phó bí thư: có", hoặc sửa số cấp ủy viên được bầu. (${basis})`,
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

  /** Warnings on a valid report's card: it may still be confirmed, the office decides. */
  reportWarnings: {
    header: 'Cần lưu ý (báo cáo vẫn xác nhận được, cấp ủy cấp trên xem xét):',
    quorum: (present: string, summoned: string, needed: string) =>
      `Số đảng viên có mặt (${present}) chưa đạt 2/3 số đảng viên triệu tập (${summoned}); cần ít nhất ${needed} đồng chí. Đại hội chỉ hợp lệ khi có ít nhất 2/3 đảng viên chính thức được triệu tập có mặt. Đề nghị đồng chí kiểm tra lại hai số này.`,
    headNotApplicable:
      'Đồng chí trả lời «Không áp dụng» cho "Bí thư là người đứng đầu", nhưng theo danh sách đơn vị, chi bộ gắn với cơ quan, đơn vị, doanh nghiệp, thôn hoặc tổ dân phố nên câu này có áp dụng (trả lời "có" hoặc "không"). Nếu danh sách đơn vị chưa đúng, đề nghị báo văn phòng cấp ủy.',
    headApplies:
      'Theo danh sách đơn vị, "Bí thư là người đứng đầu" không áp dụng cho chi bộ này (chi bộ không gắn với cơ quan, đơn vị, doanh nghiệp, thôn hay tổ dân phố), nhưng đồng chí trả lời "có" hoặc "không". Nếu đúng như vậy, đề nghị báo văn phòng cấp ủy sửa danh sách đơn vị.',
  },
  /** When «Không áp dụng» is the right answer (the form's intro and the dialog question). */
  headGuide:
    '«Không áp dụng» chỉ dùng khi chi bộ không gắn với cơ quan, đơn vị, doanh nghiệp, thôn hay tổ dân phố nào có người đứng đầu (ví dụ chi bộ hưu trí, chi bộ ghép); chi bộ thôn, tổ dân phố, cơ quan, đơn vị sự nghiệp, doanh nghiệp trả lời "có" hoặc "không".',

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

  /** Gia hạn: /giahan MÃ DD/MM/YYYY [lý do], and `campaign extend` from the server. */
  extension: {
    usage:
      'Đề nghị đồng chí ghi theo mẫu: /giahan MÃ_CHI_BỘ NGÀY [lý do], ví dụ /giahan CB07 15/10/2025 Chi bộ sáp nhập, chờ kiện toàn',
    badDate: (raw: string) =>
      `${q(raw)} không phải ngày hợp lệ. Đề nghị đồng chí ghi ngày/tháng/năm, ví dụ /giahan CB07 15/10/2025`,
    notAfterDeadline: (until: string, deadline: string) =>
      `Ngày ${until} không sau hạn hoàn thành của đợt (${deadline}) nên không cần gia hạn; chi bộ đăng ký lịch bằng /lich trong thời gian của đợt.`,
    tooFar: (until: string, latest: string) =>
      `Ngày ${until} quá xa; chỉ gia hạn được đến ${latest}. Đề nghị đồng chí kiểm tra lại ngày.`,
    inPast: (until: string, today: string) =>
      `Ngày ${until} đã qua (hôm nay là ${today}). Đề nghị đồng chí ghi hạn mới từ hôm nay trở đi.`,
    reasonTooLong: (max: number) => `Lý do gia hạn dài quá ${max} ký tự. Đề nghị đồng chí ghi ngắn lại.`,
    notBranch: (name: string) => `${name} không phải chi bộ; chỉ gia hạn đại hội cho từng chi bộ.`,
    notInCampaign: (name: string) => `${name} không thuộc phạm vi của đợt đại hội này.`,
    alreadyReported: (date: string) =>
      `Chi bộ đã báo cáo kết quả đại hội ngày ${date}, không cần gia hạn nữa.`,
    noCampaign: (name: string) => `Hiện không có đợt đại hội nào đang mở cho ${name} để gia hạn.`,
    severalCampaigns: (ids: string) =>
      `Chi bộ thuộc nhiều đợt đại hội đang mở (mã ${ids}). Đề nghị đồng chí ghi mã đợt ngay sau ngày, ví dụ /giahan CB07 15/10/2025 dh12345678 lý do.`,
    granted: (branchName: string, until: string, deadline: string) =>
      `Đã gia hạn đại hội cho ${branchName} đến ngày ${until} (hạn chung của đợt: ${deadline}). Chi bộ đăng ký lịch và báo cáo kết quả đến hết ngày ${until}; kết quả báo cáo sau hạn chung được tính là đã đại hội, ghi "sau hạn".`,
    moved: (branchName: string, from: string, to: string) =>
      `Đã chuyển hạn gia hạn đại hội của ${branchName} từ ngày ${from} sang ngày ${to}.`,
    reason: (reason: string) => `Lý do: ${echo(reason, EXTENSION_REASON_MAX + 1)}`,
    told: (n: number) => `Đã báo cho ${fmt(n)} đồng chí bí thư, phó bí thư của chi bộ.`,
    nobodyTold: 'Chi bộ chưa có bí thư, phó bí thư dùng bot; đề nghị đồng chí báo cho chi bộ.',
    /** To the branch's secretaries and deputies. */
    notice: (branchName: string, campaignName: string, until: string, reason?: string) =>
      `Cấp ủy cấp trên đã gia hạn đại hội (${campaignName}) cho ${branchName} đến ngày ${until}.${reason ? ` Lý do: ${echo(reason, EXTENSION_REASON_MAX + 1)}.` : ''} Đồng chí gõ /lich NGÀY GIỜ để đăng ký ngày đại hội (chậm nhất ngày ${until}); sau đại hội gõ /daihoi để báo cáo kết quả.`,
  },
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
      'Hình thức đại hội? Đồng chí chọn "Bầu cử", hoặc đại hội không bầu cử theo đúng tên: "3 nội dung", "2 nội dung", "Không bầu cử".',
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
    /** What the unit list says for this branch, under the question and the blank form. */
    headSetting: (applies: boolean) =>
      applies
        ? 'Theo danh sách đơn vị, câu này áp dụng cho chi bộ của đồng chí: trả lời "có" hoặc "không".'
        : 'Theo danh sách đơn vị, câu này không áp dụng cho chi bộ của đồng chí: trả lời «Không áp dụng».',
    deputy: 'Chi bộ có bầu phó bí thư không?',
    note: 'Đồng chí có ghi chú gì thêm không? Không có thì bấm "Bỏ qua" hoặc gửi dấu "-".',
    buttonElection: DIALOG_CHOICES.election,
    buttonNoElection: DIALOG_CHOICES.noElection,
    buttonThreeItems: DIALOG_CHOICES.threeItems,
    buttonTwoItems: DIALOG_CHOICES.twoItems,
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
      `Bí thư chi bộ đồng thời là người đứng đầu cơ quan, đơn vị (trưởng thôn, tổ trưởng tổ dân phố): ${ratio} đồng chí (${percent}).`,
    deputy: (ratio: string, details: string) =>
      `Tổng số phó bí thư chi bộ được bầu: ${ratio} đồng chí${details ? ` (${details})` : ''}.`,
    noDeputy: (n: string) => `${n} đơn vị không bầu phó bí thư`,
    /** A congress without election, named as the committee names it ("3 nội dung"). */
    noElectionKind: (n: string, kind: string) => `${n} đơn vị đại hội ${kind}`,
    youngWithAge: (age: number) => `trẻ (dưới ${age} tuổi)`,
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
    extendedHeader: (n: string) => `Chi bộ được gia hạn: ${n} chi bộ`,
    extendedItem: (branchName: string, until: string, state: string) =>
      `- ${branchName}: gia hạn đến ${until}, ${state}`,
    extendedStates: {
      reported: 'đã đại hội',
      reportedLate: 'đã đại hội, báo cáo sau hạn',
      registered: (date: string) => `đăng ký đại hội ngày ${date}`,
      waiting: 'chưa đăng ký lịch',
      expired: 'quá hạn gia hạn, chưa báo cáo',
    },
    extendedMore: (n: string) => `… và ${n} chi bộ khác`,
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
  /** The warnings a valid report carries, as lines under the card (empty when none). */
  warningList: (warnings: readonly ReportWarning[]): string => warningList(warnings),
  /** The confirmation card: compact lines for a small screen; the election lines only with an election. */
  reportCard: (report: CongressReport, branchName: string): Rich => reportCard(report, branchName),
  /** The dialog's question for a step (the "all answered" line once there is none). */
  question: (
    field: CongressField | undefined,
    campaign: Pick<Campaign, 'opens' | 'deadline' | 'youngAge'>,
    headApplies?: boolean,
  ) => question(field, campaign, headApplies),
  /** Under the blank form: when «Không áp dụng» is right, and what the unit list says for the branch. */
  headNote: (applies: boolean): string => `${congress.headGuide} ${congress.dialog.headSetting(applies)}`,
  /** A problem of a round's input, worded. */
  campaignProblem: (p: CampaignProblem): string => describeCampaignProblem(p),
  /** Why an extension cannot be granted, worded. */
  extensionProblem: (p: ExtensionProblem): string => describeExtensionProblem(p),
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
   * (docs/rules.md, «The statistics paragraph»): re-elected, first-time, women, young (and minority, when any) as shares
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
      return e.tooManyForChiUy(fmt(p.elected), e.basis[p.basis.source](fmt(p.basis.count)));
    case 'tooManyForSmallBranch':
      return e.tooManyForSmallBranch(fmt(p.elected), e.basis[p.basis.source](fmt(p.basis.count)));
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
      return e.smallBranchTwoMeansDeputy(e.basis[p.basis.source](fmt(p.basis.count)));
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

function warningList(warnings: readonly ReportWarning[]): string {
  if (warnings.length === 0) return '';
  const w = congress.reportWarnings;
  const line = (x: ReportWarning) => {
    switch (x.code) {
      case 'quorum':
        return w.quorum(fmt(x.present), fmt(x.summoned), fmt(x.needed));
      case 'headContradicts':
        return x.applies ? w.headNotApplicable : w.headApplies;
    }
  };
  return [w.header, ...warnings.map((x) => `⚠️ ${line(x)}`)].join('\n');
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
  headApplies?: boolean,
): string {
  const d = congress.dialog;
  switch (field) {
    case undefined:
      return d.finished;
    case 'date':
      return d.date(formatVnDate(campaign.opens), formatVnDate(campaign.deadline));
    case 'young':
      return d.young(campaign.youngAge);
    case 'secretaryIsHead':
      return [
        d.secretaryIsHead,
        congress.headGuide,
        ...(headApplies === undefined ? [] : [d.headSetting(headApplies)]),
      ].join('\n');
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

function describeExtensionProblem(p: ExtensionProblem): string {
  const e = congress.extension;
  const date = formatVnDate;
  switch (p.code) {
    case 'usage':
      return e.usage;
    case 'badDate':
      return e.badDate(p.text);
    case 'notAfterDeadline':
      return e.notAfterDeadline(date(p.until), date(p.deadline));
    case 'tooFar':
      return e.tooFar(date(p.until), date(p.latest));
    case 'inPast':
      return e.inPast(date(p.until), date(p.today));
    case 'reasonTooLong':
      return e.reasonTooLong(p.max);
    case 'notBranch':
      return e.notBranch(p.name);
    case 'notInCampaign':
      return e.notInCampaign(p.name);
    case 'alreadyReported':
      return e.alreadyReported(date(p.date));
    case 'campaignClosed':
      return congress.campaignClosed;
    case 'noCampaign':
      return e.noCampaign(p.name);
    case 'severalCampaigns':
      return e.severalCampaigns(p.ids.join(', '));
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

  const extendedCount = Math.max(v.extendedCount ?? 0, v.extended?.length ?? 0);
  if (extendedCount > 0) {
    const st = p.extendedStates;
    out.push('', bold(p.extendedHeader(fmt(extendedCount))));
    for (const x of v.extended ?? []) {
      const state =
        x.state === 'registered' ? st.registered(formatVnDate(x.registeredDate ?? x.until)) : st[x.state];
      out.push(p.extendedItem(x.name, formatVnDate(x.until), state));
    }
    const named = v.extended?.length ?? 0;
    if (extendedCount > named) out.push(p.extendedMore(fmt(extendedCount - named)));
  }

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
      share(s.youngWithAge(opts.youngAge), c.young),
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
  // Each kind of congress without election by its own name, as committees write them.
  const plain = c.noElection - c.threeItems - c.twoItems;
  if (c.threeItems > 0) details.push(s.noElectionKind(fmt(c.threeItems), formatNames.ba_noi_dung));
  if (c.twoItems > 0) details.push(s.noElectionKind(fmt(c.twoItems), formatNames.hai_noi_dung));
  if (plain > 0) details.push(s.noElectionKind(fmt(plain), formatNames.khong_bau_cu));
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
