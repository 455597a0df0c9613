/**
 * Wording for how the committee office runs a congress round around the report itself: chuẩn y
 * and chỉ định recorded by quyết định (/chuany), what an amendment after a decision changed, the
 * preparation and follow-up checklists (/chuanbi), upper-level attendees (/phancong,
 * /lichdaihoi) and the pilot congress flags in /tiendo. Kept apart from `congress.ts`, which
 * words the report and its statistics.
 */
import { bold, lines, type Rich } from '../chat/markup.js';
import { citationDate } from '../domain/citation.js';
import type { ChecklistKind, ChecklistProblem } from '../domain/congress/checklist.js';
import type { DecisionKind, DecisionProblem, ReportChange } from '../domain/congress/decision.js';
import { CONGRESS_LABELS, HINH_THUC_NAMES, YES_NO_NAMES } from '../domain/congress/vocabulary.js';
import { echo } from '../domain/text.js';
import { formatNumber, formatRatio, formatTimeOfDay, formatVnDate, type IsoDate } from '../domain/vn.js';

const fmt = formatNumber;
const KIND_WORDS: Record<DecisionKind, string> = { chuan_y: 'chuẩn y', chi_dinh: 'chỉ định' };

/** "Quyết định số 123-QĐ/ĐU ngày 15/9/2025". */
const decisionCite = (number: string, date: string) => `Quyết định số ${number} ngày ${citationDate(date)}`;

/** How one field's value reads in "what changed". */
function valueText(value: unknown): string {
  if (typeof value === 'number') return fmt(value);
  if (typeof value === 'boolean') return value ? 'có' : 'không';
  if (value === undefined || value === '') return '(trống)';
  const s = String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return formatVnDate(s);
  const named = (HINH_THUC_NAMES as Record<string, string>)[s] ?? (YES_NO_NAMES as Record<string, string>)[s];
  return named ?? `«${echo(s)}»`;
}

export const congressOffice = {
  decision: {
    kindWord: (kind: DecisionKind) => KIND_WORDS[kind],
    cite: decisionCite,
    usage:
      'Cách dùng: /chuany MÃ_CHI_BỘ SỐ_QUYẾT_ĐỊNH DD/MM/YYYY, ví dụ: /chuany CB01 123-QĐ/ĐU 15/09/2025. Đồng chí xem mã chi bộ chờ chuẩn y trong /tiendo.',
    notApprover:
      'Chỉ văn phòng cấp ủy (quản trị) và đồng chí lãnh đạo được giao ghi quyết định chuẩn y mới ghi được. Nếu đồng chí được giao việc này, đề nghị văn phòng cấp ủy cấp quyền.',
    notInScope: (branch: string) => `${branch} không thuộc đơn vị đồng chí phụ trách.`,
    noReport: (branch: string) => `${branch} chưa báo cáo kết quả đại hội nên chưa ghi quyết định được.`,
    noCampaign: (branch: string) => `${branch} chưa có đợt đại hội nào có kết quả để chuẩn y.`,
    ask: (kind: DecisionKind, branch: string, version: number) =>
      `Ghi quyết định ${KIND_WORDS[kind]} kết quả đại hội ${branch} (báo cáo phiên bản ${fmt(version)}, nội dung ở trên). Đồng chí gửi số và ngày quyết định, ví dụ: 123-QĐ/ĐU 15/09/2025. Gõ /huy để dừng.`,
    stale: (branch: string, current: number) =>
      `Báo cáo của ${branch} đã có phiên bản mới hơn (phiên bản ${fmt(current)}). Nút này gắn với bản cũ nên không ghi được. Đồng chí xem bản mới trong /tiendo rồi ghi quyết định cho bản đó.`,
    recorded: (kind: DecisionKind, branch: string, number: string, date: string, version: number) =>
      `Đã ghi: ${KIND_WORDS[kind]} kết quả đại hội ${branch} (báo cáo phiên bản ${fmt(version)}) theo ${decisionCite(number, date)}.`,
    already: (kind: DecisionKind, branch: string, number: string | undefined, date: string | undefined) =>
      number && date
        ? `Kết quả đại hội ${branch} đã được ${KIND_WORDS[kind]} theo ${decisionCite(number, date)}.`
        : `Kết quả đại hội ${branch} đã được ${KIND_WORDS[kind]}.`,
    /** To the branch's secretary and deputy. */
    notice: (kind: DecisionKind, branch: string, term: string, number: string, date: string) =>
      `Kết quả đại hội nhiệm kỳ ${term} của ${branch} đã được cấp ủy cấp trên ${KIND_WORDS[kind]} theo ${decisionCite(number, date)}.`,
    expired: 'Phiên ghi quyết định đã hết. Đồng chí gõ /chuany MÃ_CHI_BỘ SỐ DD/MM/YYYY.',
    buttonRecord: (kind: DecisionKind) =>
      kind === 'chuan_y' ? 'Ghi quyết định chuẩn y' : 'Ghi quyết định chỉ định',
    problem: (p: DecisionProblem): string => {
      switch (p.code) {
        case 'decisionMissing':
          return 'Đồng chí gửi số và ngày quyết định, ví dụ: 123-QĐ/ĐU 15/09/2025.';
        case 'decisionNumberInvalid':
          return `Số quyết định «${echo(p.value)}» không hợp lệ: chỉ gồm chữ, chữ số, gạch ngang, gạch chéo (tối đa ${fmt(p.max)} ký tự), rồi đến ngày. Ví dụ: 123-QĐ/ĐU 15/09/2025.`;
        case 'decisionDateMissing':
          return 'Thiếu ngày quyết định. Đồng chí ghi sau số quyết định, ví dụ: 123-QĐ/ĐU 15/09/2025.';
        case 'decisionDateInvalid':
          return `Ngày quyết định «${echo(p.value)}» không đúng dạng dd/mm/yyyy, ví dụ 15/09/2025.`;
        case 'decisionDateFuture':
          return `Ngày quyết định ${formatVnDate(p.date)} sau hôm nay (${formatVnDate(p.today)}). Đồng chí ghi ngày quyết định đã ký.`;
        case 'decisionBeforeCongress':
          return `Ngày quyết định ${formatVnDate(p.date)} trước ngày đại hội (${formatVnDate(p.congress)}). Đồng chí kiểm tra lại ngày quyết định.`;
      }
    },
    /** To the approver when the result they decided on is amended. */
    amended: (
      kind: DecisionKind,
      branch: string,
      number: string | undefined,
      date: string | undefined,
      version: number,
      changes: readonly ReportChange[],
    ): Rich =>
      lines(
        bold(`${branch} đã sửa báo cáo kết quả đại hội (phiên bản ${fmt(version)}).`),
        number && date
          ? `Việc ${KIND_WORDS[kind]} theo ${decisionCite(number, date)} đã được gỡ vì quyết định gắn với bản trước.`
          : `Việc ${KIND_WORDS[kind]} đã được gỡ vì gắn với bản trước.`,
        'Những nội dung thay đổi:',
        ...(changes.length === 0
          ? ['• (không có nội dung nào khác)']
          : changes.map(
              (c) => `• ${CONGRESS_LABELS[c.field]}: ${valueText(c.before)} → ${valueText(c.after)}`,
            )),
        `Đề nghị đồng chí xem lại và ghi quyết định cho bản mới: /chuany MÃ_CHI_BỘ SỐ DD/MM/YYYY.`,
      ),
    /** /tiendo and the daily summary: "Đã chuẩn y 12/20" and the latest decision numbers. */
    progressLine: (approved: number, held: number) =>
      `Đã chuẩn y ${formatRatio(approved, held)} chi bộ đã đại hội.`,
    latest: (items: readonly { number: string; date: string; branches: number }[], count: number) =>
      items.length === 0
        ? undefined
        : `Quyết định đã ghi${count > items.length ? ` (${fmt(items.length)} gần nhất trong ${fmt(count)})` : ''}: ${items
            .map(
              (d) =>
                `số ${d.number} ngày ${citationDate(d.date)}${d.branches > 1 ? ` (${fmt(d.branches)} chi bộ)` : ''}`,
            )
            .join('; ')}.`,
    own: (number: string, date: string) => `Quyết định: ${decisionCite(number, date)}.`,
  },

  checklist: {
    title: (kind: ChecklistKind, branch: string) =>
      kind === 'preparation' ? `Chuẩn bị đại hội ${branch}` : `Việc sau đại hội ${branch}`,
    dateLine: (kind: ChecklistKind, date: string) =>
      kind === 'preparation' ? `Ngày đại hội: ${date}.` : `Hạn hoàn thành: ${date}.`,
    noDate: 'Chi bộ chưa đăng ký ngày đại hội (/lich).',
    item: (index: number, text: string, ticked: boolean) => `${ticked ? '☑' : '☐'} ${index}. ${text}`,
    howTo: 'Đồng chí bấm vào từng việc khi đã làm xong (bấm lại để bỏ đánh dấu), hoặc gõ /chuanbi 1 2.',
    allDone: 'Đã hoàn thành tất cả các việc.',
    button: (index: number, text: string, ticked: boolean) => `${ticked ? '☑' : '☐'} ${index}. ${text}`,
    badIndex: (value: string, max: number) =>
      `«${echo(value)}» không phải số thứ tự của việc nào. Đồng chí gõ số từ 1 đến ${fmt(max)}, ví dụ: /chuanbi 1 2.`,
    usageBranch: 'Đồng chí là bí thư nhiều chi bộ: gõ /chuanbi MÃ_CHI_BỘ, ví dụ /chuanbi CB01.',
    secretaryOnly: 'Chỉ bí thư, phó bí thư chi bộ đánh dấu việc chuẩn bị và việc sau đại hội.',
    noRound: (branch: string) => `${branch} không có đợt đại hội nào đang mở.`,
    stale: 'Danh sách việc đã thay đổi. Đồng chí gõ /chuanbi để xem danh sách mới.',
    alreadySet: 'Việc này đã được đánh dấu như vậy rồi. Gõ /chuanbi để xem danh sách mới nhất.',
    problem: (p: ChecklistProblem): string => {
      switch (p.code) {
        case 'checklistEmpty':
          return 'Danh sách việc đang trống. Đồng chí ghi các việc, cách nhau bằng dấu chấm phẩy (;).';
        case 'checklistTooMany':
          return `Danh sách có ${fmt(p.count)} việc, quá ${fmt(p.max)} việc. Đồng chí gộp bớt.`;
        case 'checklistItemTooLong':
          return `Việc «${echo(p.item)}» dài quá ${fmt(p.max)} ký tự hoặc có dấu «|». Đồng chí rút gọn.`;
        case 'followUpDaysInvalid':
          return `Số ngày «${echo(p.value)}» không hợp lệ. Đồng chí ghi số ngày từ 1 đến ${fmt(p.max)}, ví dụ 30.`;
      }
    },
    /** /tiendo and the daily summary. */
    preparationOpen: (count: number) =>
      `Đại hội trong 7 ngày tới còn việc chuẩn bị chưa xong: ${fmt(count)} chi bộ`,
    preparationItem: (branch: string, date: string, open: readonly string[]) =>
      `• ${branch} (${date}): còn ${open.map((o) => `«${o}»`).join(', ')}`,
    followUpOverdue: (count: number) =>
      `Quá hạn việc sau đại hội (chương trình hành động, quy chế…): ${fmt(count)} chi bộ`,
    followUpItem: (branch: string, due: string, open: number) =>
      `• ${branch}: hạn ${due}, còn ${fmt(open)} việc`,
    more: (n: number) => `… và ${fmt(n)} chi bộ khác.`,
    /** Reminders to the secretary. */
    remindPreparation: (branch: string, days: number, date: string, open: readonly string[]) =>
      `Còn ${fmt(days)} ngày nữa ${branch} đại hội (${date}). Những việc chuẩn bị chưa đánh dấu xong: ${open
        .map((o) => `«${o}»`)
        .join(', ')}. Đề nghị đồng chí hoàn thành và đánh dấu bằng /chuanbi.`,
    remindFollowUp: (branch: string, due: string, days: number, open: readonly string[]) =>
      `${days > 0 ? `Còn ${fmt(days)} ngày đến hạn` : 'Hôm nay là hạn'} (${due}) hoàn thành việc sau đại hội của ${branch}: ${open
        .map((o) => `«${o}»`)
        .join(', ')}. Đề nghị đồng chí hoàn thành và đánh dấu bằng /chuanbi.`,
    setUsage:
      'campaign checklist --campaign ID [--preparation "việc 1; việc 2"] [--follow-up "việc 1; việc 2"] [--follow-up-days 30]',
    saved: (prep: number, follow: number, days: number) =>
      `Đã lưu: ${fmt(prep)} việc chuẩn bị, ${fmt(follow)} việc sau đại hội (hạn ${fmt(days)} ngày sau đại hội).`,
  },

  attendance: {
    usage: 'Cách dùng: /phancong MÃ_CHI_BỘ – chọn đồng chí cấp trên dự đại hội chi bộ đó.',
    choose: (branch: string) => `Chọn đồng chí cấp trên dự đại hội ${branch}:`,
    noCandidates: (branch: string) =>
      `Chưa có đồng chí lãnh đạo cấp trên nào của ${branch} dùng bot. Văn phòng cấp ủy mời bằng /moi MÃ lanhdao, hoặc phân công từ máy chủ: campaign assign --unit MÃ --person ID.`,
    notAllowed: 'Chỉ văn phòng cấp ủy và lãnh đạo cấp ủy cấp trên của chi bộ mới phân công dự đại hội.',
    notCandidate: (id: number) =>
      `Cán bộ id ${fmt(id)} không phải lãnh đạo cấp ủy cấp trên của chi bộ này. Đồng chí chọn người khác.`,
    assigned: (who: string, branch: string) => `Đã phân công đồng chí ${who} dự đại hội ${branch}.`,
    already: (who: string, branch: string) =>
      `Đồng chí ${who} đã được phân công dự đại hội ${branch} từ trước.`,
    noRound: (branch: string) => `${branch} không có đợt đại hội nào đang mở.`,
    /** To the attendee, the day before. */
    remind: (branch: string, when: string, term: string) =>
      `Ngày mai đồng chí dự đại hội ${branch} nhiệm kỳ ${term}: ${when}. Đề nghị đồng chí bố trí thời gian dự.`,
    calendarTitle: (from: string, to: string) => `Lịch đại hội chi bộ từ ${from} đến ${to}`,
    calendarNone: 'Không có đại hội chi bộ nào trong 14 ngày tới.',
    calendarItem: (when: string, branch: string, attendees: readonly string[]) =>
      `• ${when} – ${branch}${attendees.length > 0 ? ` – dự: ${attendees.join('; ')}` : ' – chưa phân công cấp trên dự'}`,
    mine: 'Đồng chí được phân công dự:',
    mineItem: (when: string, branch: string) => `• ${when} – ${branch}`,
    mineNone: 'Đồng chí chưa được phân công dự đại hội nào trong 14 ngày tới.',
    more: (n: number) => `… và ${fmt(n)} đại hội khác.`,
    noAccess: 'Lịch đại hội dành cho lãnh đạo cấp ủy và văn phòng cấp ủy.',
  },

  pilot: {
    header: 'Đại hội điểm',
    none: (committee: string) => `• ${committee}: chưa chọn chi bộ đại hội điểm.`,
    before: (committee: string, pilot: string, pilotDate: string, count: number) =>
      `• ${committee}: ${fmt(count)} chi bộ đăng ký đại hội trước đại hội điểm (${pilot}, ${pilotDate}).`,
    notScheduled: (committee: string, pilot: string, count: number) =>
      `• ${committee}: đại hội điểm (${pilot}) chưa đăng ký ngày, ${fmt(count)} chi bộ khác đã đăng ký.`,
    more: (n: number) => `… và ${fmt(n)} đảng bộ cơ sở khác.`,
  },

  /** "15/09/2025 19:30" or "15/09/2025". */
  when: (date: IsoDate, time?: number) =>
    time === undefined ? formatVnDate(date) : `${formatTimeOfDay(time)} ${formatVnDate(date)}`,
} as const;
