/**
 * Wording for how the committee office runs a congress round around the report itself: chuẩn y
 * and chỉ định recorded by quyết định (/chuany), what an amendment after a decision changed, the
 * preparation and follow-up checklists (/chuanbi), upper-level attendees (/phancong,
 * /lichdaihoi) and the pilot congress flags in /tiendo. Kept apart from `congress.ts`, which
 * words the report and its statistics.
 */
import { bold, lines, type Rich } from '../chat/markup.js';
import { citationDate } from '../domain/citation.js';
import type { DecisionKind, DecisionProblem, ReportChange } from '../domain/congress/decision.js';
import { CONGRESS_LABELS, HINH_THUC_NAMES, YES_NO_NAMES } from '../domain/congress/vocabulary.js';
import { echo } from '../domain/text.js';
import { formatNumber, formatRatio, formatVnDate } from '../domain/vn.js';

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
} as const;
