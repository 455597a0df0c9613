/**
 * Wording of the member register in chat: /dangvien (a branch's list, the kết nạp form, the
 * cards of each change and what follows them), /huyhieu, /phattrien, the badge reminders and the
 * summary line about the next occasion. Names come from the register and are put in as plain
 * strings (the renderers escape them); anything a person typed is quoted through `echo`.
 */
import { bold, italic, lines, type Rich } from '../chat/markup.js';
import { ADMISSION_FORM_LABELS } from '../domain/members/admissionForm.js';
import type { BadgeList } from '../domain/members/badgeList.js';
import type { ClosingKind, Member, MemberInput } from '../domain/members/member.js';
import { PROBATION_DUE_DAYS } from '../domain/members/probation.js';
import type { UnitRef } from '../domain/members/refusal.js';
import { echo } from '../domain/text.js';
import { formatNumber, formatVnDate } from '../domain/vn.js';
import { members } from './members.js';

const n = formatNumber;
const d = formatVnDate;
const q = (s: string) => `«${echo(s)}»`;

/** "Nguyễn Văn An (mã số 12)": how a member is named in a sentence. */
const who = (m: Pick<Member, 'id' | 'fullName'>) => `đ/c ${m.fullName} (mã số ${m.id})`;

/** One line of a branch's list. */
function memberLine(i: number, m: Member): Rich {
  const status = m.officialSince ? '' : ' – dự bị';
  return `${i + 1}. ${m.fullName}, sinh ${d(m.birthDate)}, vào Đảng ${d(m.joined)}${status} · mã số ${m.id}`;
}

/** How a scope's branches read in the overview: "CB01 Chi bộ Thôn 1: 25 (chính thức 23, dự bị 2)". */
export interface BranchCountRow {
  unit: UnitRef;
  official: number;
  probationary: number;
}

const usage = {
  admit: 'Kết nạp: gõ /dangvien ketnap, bot gửi mẫu; đồng chí chép, điền và gửi lại.',
  official:
    'Chuyển chính thức: /dangvien chinhthuc MÃ_SỐ [DD/MM/YYYY] (bỏ trống ngày là ngày đủ 12 tháng dự bị), ví dụ /dangvien chinhthuc 12 05/10/2025.',
  transfer:
    'Chuyển sinh hoạt: /dangvien chuyen MÃ_SỐ MÃ_CHI_BỘ_ĐẾN, ví dụ /dangvien chuyen 12 CB02. Bí thư chi bộ nơi đến được báo tin.',
  close:
    'Ra khỏi danh sách: /dangvien ra MÃ_SỐ chuyendi|tutran|xoaten|khaitru [DD/MM/YYYY] LÝ_DO, ví dụ /dangvien ra 12 tutran 05/10/2025 Từ trần do bệnh nặng.',
  history: 'Lịch sử thay đổi: /dangvien lichsu MÃ_SỐ.',
};

export const memberChat = {
  usage,
  /** The whole command, for a malformed /dangvien. */
  help: [
    'Danh sách đảng viên (/dangvien)',
    '/dangvien – danh sách chi bộ của đồng chí; /dangvien MÃ – của một chi bộ trong phạm vi đồng chí phụ trách',
    usage.admit,
    usage.official,
    usage.transfer,
    usage.close,
    usage.history,
  ].join('\n'),
  secretaryOnly:
    'Kết nạp và cập nhật danh sách đảng viên do bí thư, phó bí thư chi bộ (hoặc văn phòng cấp ủy) thực hiện. Đồng chí xem danh sách bằng /dangvien.',
  admitWhere: 'Đồng chí ghi mã chi bộ kết nạp, ví dụ /dangvien ketnap CB01.',
  noMemberId: (text: string) =>
    `${q(text)} không phải mã số đảng viên. Mã số là số đứng sau «mã số» trong danh sách /dangvien, ví dụ 12.`,
  noTarget: 'Đồng chí ghi mã chi bộ nơi đảng viên chuyển đến, ví dụ /dangvien chuyen 12 CB02.',
  noKind: (text: string) =>
    `${text ? q(text) : 'Chưa ghi hình thức'}: đồng chí ghi một trong chuyendi, tutran, xoaten, khaitru, ví dụ /dangvien ra 12 chuyendi 05/10/2025 Chuyển về Đảng bộ phường B.`,

  buttons: {
    admit: 'Kết nạp đảng viên',
    official: 'Chuyển chính thức',
    transfer: 'Chuyển sinh hoạt',
    close: 'Ra khỏi danh sách',
    history: 'Lịch sử thay đổi',
    confirm: 'Xác nhận',
    badgesWorkbook: 'Tải danh sách đề nghị (Excel)',
    officialOf: (m: Pick<Member, 'fullName' | 'id'>) => `${m.fullName} (${m.id})`,
  },

  /** A branch's list with its counts. */
  branchList: (unit: UnitRef, list: readonly Member[], counts: { official: number; probationary: number }) =>
    lines(
      bold(`Danh sách đảng viên ${unit.name} (${unit.code})`),
      `Tổng số: ${n(counts.official + counts.probationary)} đảng viên – chính thức ${n(counts.official)}, dự bị ${n(counts.probationary)}.`,
      list.length === 0
        ? 'Chi bộ chưa có đảng viên nào trong danh sách. Văn phòng cấp ủy gửi tệp danh sách đảng viên để nhập, hoặc bí thư kết nạp từng đồng chí.'
        : '',
      ...list.map((m, i) => memberLine(i, m)),
    ),
  /** The branches of a committee's scope, with counts and totals. */
  scopeOverview: (
    scope: UnitRef,
    rows: readonly BranchCountRow[],
    totals: { branches: number; official: number; probationary: number },
  ) =>
    lines(
      bold(`Đảng viên trong ${scope.name} (${scope.code})`),
      `${n(totals.branches)} chi bộ, ${n(totals.official + totals.probationary)} đảng viên – chính thức ${n(totals.official)}, dự bị ${n(totals.probationary)}.`,
      ...rows.map(
        (r) =>
          `• ${r.unit.name} (${r.unit.code}): ${n(r.official + r.probationary)} – chính thức ${n(r.official)}, dự bị ${n(r.probationary)}`,
      ),
      rows.length < totals.branches ? `… và ${n(totals.branches - rows.length)} chi bộ khác.` : '',
      italic('Gõ /dangvien MÃ để xem danh sách một chi bộ.'),
    ),

  /** The blank kết nạp form. */
  admitForm: (unitName: string) =>
    lines(
      `Kết nạp đảng viên vào ${unitName}. Đồng chí chép mẫu dưới đây, điền sau dấu hai chấm rồi gửi lại (ngày theo dạng DD/MM/YYYY; số thẻ và số tháng gián đoạn có thể bỏ trống):`,
      '',
      ...ADMISSION_FORM_LABELS.map(([, label]) => `${label}: `),
    ),
  notAForm:
    'Tin nhắn chưa có dòng nào của mẫu kết nạp. Đồng chí chép mẫu, điền sau dấu hai chấm rồi gửi lại; gõ /huy để thôi.',

  cards: {
    admit: (unitName: string, m: MemberInput) =>
      lines(
        bold('Kết nạp đảng viên – đề nghị đồng chí kiểm tra'),
        `Chi bộ: ${unitName}`,
        `Họ và tên: ${m.fullName}`,
        `Ngày sinh: ${d(m.birthDate)}; giới tính: ${members.genderNames[m.gender]}; dân tộc: ${m.ethnicity}`,
        `Ngày vào Đảng: ${d(m.joined)} (đảng viên dự bị)`,
        m.cardNumber ? `Số thẻ đảng viên: ${m.cardNumber}` : '',
        m.interruptedMonths > 0 ? `Số tháng gián đoạn: ${n(m.interruptedMonths)}` : '',
        italic('Bấm «Xác nhận» để ghi vào danh sách.'),
      ),
    official: (m: Member, date: string) =>
      lines(
        bold('Chuyển đảng viên chính thức'),
        `${who(m)}, vào Đảng ${d(m.joined)}, là đảng viên chính thức từ ngày ${d(date)}.`,
        italic('Bấm «Xác nhận» để ghi.'),
      ),
    transfer: (m: Member, from: UnitRef, to: UnitRef) =>
      lines(
        bold('Chuyển sinh hoạt đảng'),
        `${who(m)} chuyển sinh hoạt từ ${from.name} đến ${to.name} (${to.code}).`,
        italic('Bấm «Xác nhận» để ghi; bí thư chi bộ nơi đến sẽ được báo tin.'),
      ),
    close: (m: Member, kind: ClosingKind, date: string, reason: string) =>
      lines(
        bold(`${members.closingKindNames[kind]} – ra khỏi danh sách đảng viên`),
        `${who(m)}, ngày ${d(date)}.`,
        `Lý do: ${reason}`,
        italic('Bấm «Xác nhận» để ghi. Hồ sơ của đảng viên vẫn được lưu trong lịch sử.'),
      ),
  },
  /** A card pressed when its dialog is gone: it was used, cancelled or replaced. */
  cardGone: 'Thẻ này đã được dùng hoặc đã hủy. Đồng chí gõ /dangvien để xem danh sách hiện tại.',
  alreadyDone:
    'Thay đổi trên thẻ này đã được ghi. Đồng chí không cần bấm lại; gõ /dangvien để xem danh sách hiện tại.',

  done: {
    admitted: (m: Member, unitName: string) =>
      `Đã kết nạp ${who(m)} vào ${unitName}, đảng viên dự bị từ ngày ${d(m.joined)}.`,
    official: (m: Member) => `Đã ghi ${who(m)} là đảng viên chính thức từ ngày ${d(m.officialSince ?? '')}.`,
    transferred: (m: Member, to: UnitRef, told: number) =>
      `Đã chuyển sinh hoạt ${who(m)} đến ${to.name}.` +
      (told > 0
        ? ' Bí thư chi bộ nơi đến đã được báo tin.'
        : ' Chi bộ nơi đến chưa có bí thư dùng bot; đồng chí báo tin trực tiếp.'),
    closed: (m: Member) =>
      `Đã ghi ${who(m)}: ${members.closingKindNames[m.closing?.kind ?? 'transferred_out'].toLowerCase()} ngày ${d(m.closing?.date ?? '')}.`,
  },
  /** To the receiving branch's secretary and deputies. */
  transferNotice: (m: Member, from: UnitRef, to: UnitRef) =>
    lines(
      `Kính gửi: Đồng chí Bí thư ${to.name}`,
      `${who(m)}, sinh ${d(m.birthDate)}, vào Đảng ${d(m.joined)}${m.officialSince ? '' : ' (dự bị)'}, đã chuyển sinh hoạt từ ${from.name} về chi bộ.`,
      'Đề nghị đồng chí tiếp nhận, bố trí sinh hoạt và kiểm tra danh sách bằng /dangvien.',
    ),

  history: (m: Member, entries: readonly { at: string; action: string; detail: string }[]) =>
    lines(
      bold(`Lịch sử thay đổi: ${who(m)}`),
      ...entries.map((e) => `• ${e.at}: ${e.action}${e.detail ? ` – ${e.detail}` : ''}`),
    ),
  actionNames: {
    admit: 'kết nạp',
    import: 'nhập từ tệp',
    official: 'chuyển chính thức',
    transfer: 'chuyển sinh hoạt',
    close: 'ra khỏi danh sách',
  } as Record<string, string>,

  /** A member file sent in chat: what was imported. */
  fileTooBig:
    'Tệp danh sách đảng viên lớn quá 20 MB. Đồng chí chia thành nhiều tệp, hoặc nhập trên máy chủ bằng npm run cli -- members import.',

  // ------------------------------------------------------------------ /huyhieu

  badges: (list: BadgeList, today: string) => {
    const byUnit = new Map<string, { unit: UnitRef; rows: BadgeList['rows'] }>();
    for (const r of list.rows) {
      const group = byUnit.get(r.unit.code) ?? { unit: r.unit, rows: [] };
      group.rows.push(r);
      byUnit.set(r.unit.code, group);
    }
    const daysLeft = Math.round((Date.parse(list.occasion) - Date.parse(today)) / 86_400_000);
    return lines(
      bold(`Huy hiệu Đảng dịp ${d(list.occasion)} – ${list.scope.name}`),
      list.rows.length === 0
        ? 'Không có đảng viên nào đến hạn nhận Huy hiệu Đảng dịp này.'
        : `${n(list.rows.length)} đảng viên đến hạn${daysLeft > 0 ? ` (còn ${n(daysLeft)} ngày)` : ''}:`,
      ...[...byUnit.values()].flatMap((g, gi) =>
        gi < 30
          ? [
              bold(`${g.unit.name} (${g.rows.length})`),
              ...g.rows.map(
                (r) =>
                  `• ${r.member.fullName}, sinh ${d(r.member.birthDate)}, vào Đảng ${d(r.member.joined)} – ${members.milestone(r.milestone)}`,
              ),
            ]
          : [],
      ),
      byUnit.size > 30 ? `… và ${n(byUnit.size - 30)} chi bộ khác; đồng chí xuất tệp Excel bằng /xuat.` : '',
      italic('Dịp khác: /huyhieu DD/MM/YYYY (03/02, 19/05, 02/09, 07/11).'),
    );
  },

  /** To a secretary whose branch has members due: prepare the hồ sơ. */
  badgeReminder: (unitName: string, occasion: string, days: number, names: readonly string[]) =>
    lines(
      `Kính gửi: Đồng chí Bí thư ${unitName}`,
      `Còn ${n(days)} ngày đến dịp trao Huy hiệu Đảng ${d(occasion)}. Chi bộ có ${n(names.length)} đảng viên đến hạn: ${names.join('; ')}.`,
      'Đề nghị đồng chí chuẩn bị hồ sơ đề nghị tặng Huy hiệu Đảng gửi cấp ủy cấp trên; xem danh sách bằng /huyhieu.',
    ),
  /** To a leader: how many are due, unit by unit. */
  badgeLeaderReminder: (
    scopeName: string,
    occasion: string,
    days: number,
    perUnit: readonly { name: string; count: number }[],
    total: number,
  ) =>
    lines(
      `Còn ${n(days)} ngày đến dịp trao Huy hiệu Đảng ${d(occasion)}. ${scopeName} có ${n(total)} đảng viên đến hạn:`,
      ...perUnit.slice(0, 30).map((u) => `• ${u.name}: ${n(u.count)}`),
      perUnit.length > 30 ? `… và ${n(perUnit.length - 30)} đơn vị khác.` : '',
      'Danh sách chi tiết: /huyhieu; tệp Excel: /xuat.',
    ),
  /** The daily summary's line when an occasion is near. */
  summaryLine: (occasion: string, days: number, due: number) =>
    `Huy hiệu Đảng: dịp ${d(occasion)} còn ${n(days)} ngày, ${n(due)} đảng viên đến hạn (/huyhieu).`,

  // ------------------------------------------------------------------ /phattrien

  development: (r: {
    year: number;
    asOf: string;
    scope: UnitRef;
    target?: number;
    admitted: number;
    children: readonly { unit: UnitRef; target?: number; admitted: number }[];
    due: readonly { member: Member; unit: UnitRef; ends: string }[];
    overdue: readonly { member: Member; unit: UnitRef; ends: string }[];
  }) => {
    const ratio = (admitted: number, target?: number) =>
      target === undefined ? `${n(admitted)} (chưa giao chỉ tiêu)` : `${n(admitted)}/${n(target)}`;
    const probationLine = (p: { member: Member; unit: UnitRef; ends: string }) =>
      `• ${p.member.fullName} (mã số ${p.member.id}), ${p.unit.name}: đủ 12 tháng dự bị ngày ${d(p.ends)}`;
    return lines(
      bold(`Phát triển đảng viên năm ${r.year} – ${r.scope.name}`),
      `Kết nạp: ${ratio(r.admitted, r.target)} đảng viên mới (đến ngày ${d(r.asOf)}).`,
      ...r.children.map((c) => `• ${c.unit.name}: ${ratio(c.admitted, c.target)}`),
      '',
      bold(`${members.probation.due} (${n(r.due.length)})`),
      ...(r.due.length === 0 ? ['Không có.'] : r.due.slice(0, 40).map(probationLine)),
      '',
      bold(`${members.probation.overdue} (${n(r.overdue.length)})`),
      ...(r.overdue.length === 0 ? ['Không có.'] : r.overdue.slice(0, 40).map(probationLine)),
      r.overdue.length > 0 || r.due.length > 0
        ? italic('Ghi chuyển chính thức: /dangvien chinhthuc MÃ_SỐ.')
        : '',
    );
  },
  dueWithin: PROBATION_DUE_DAYS,
};

/** The history entry's detail: what the change recorded. */
export function historyDetail(
  action: string,
  after: Omit<Member, 'id'>,
  before?: Omit<Member, 'id'>,
): string {
  switch (action) {
    case 'official':
      return `từ ngày ${d(after.officialSince ?? '')}`;
    case 'transfer':
      return `từ ${before?.branch ?? ''} đến ${after.branch}`;
    case 'close':
      return after.closing
        ? `${members.closingKindNames[after.closing.kind].toLowerCase()} ngày ${d(after.closing.date)}; lý do: ${after.closing.reason}`
        : '';
    default:
      return after.branch;
  }
}
