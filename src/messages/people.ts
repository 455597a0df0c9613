/** Wording for managing people: /canbo, /moi, and importing units by sending a file. */
import { bold, lines, type Rich } from '../chat/markup.js';
import type { IdentityProblem } from '../domain/personIdentity.js';
import { echo, shorten } from '../domain/text.js';
import type { Role, UnitRoleKind } from '../domain/units.js';
import { formatNumber, formatVnDate } from '../domain/vn.js';

const roleNames: Record<Role['kind'], string> = {
  admin: 'Quản trị',
  leader: 'Lãnh đạo',
  secretary: 'Bí thư',
  deputy: 'Phó bí thư',
};

/** Words an admin may type for a role: Vietnamese without accents, or English. */
export const ROLE_WORDS: Record<string, UnitRoleKind> = {
  bithu: 'secretary',
  'bi-thu': 'secretary',
  secretary: 'secretary',
  phobithu: 'deputy',
  'pho-bi-thu': 'deputy',
  deputy: 'deputy',
  lanhdao: 'leader',
  'lanh-dao': 'leader',
  leader: 'leader',
};

export const people = {
  overview: (
    counts: Record<Role['kind'], number>,
    branches: number,
    vacant: { code: string; name: string }[],
    max = 20,
  ): Rich =>
    lines(
      bold('Cán bộ sử dụng bot'),
      `Bí thư: ${formatNumber(counts.secretary)} · Phó bí thư: ${formatNumber(counts.deputy)} · Lãnh đạo: ${formatNumber(counts.leader)} · Quản trị: ${formatNumber(counts.admin)}`,
      `Chi bộ chưa có bí thư dùng bot: ${formatNumber(vacant.length)}/${formatNumber(branches)}`,
      ...vacant.slice(0, max).map((u) => `• ${u.name} (${u.code})`),
      vacant.length > max && `… và ${formatNumber(vacant.length - max)} chi bộ khác.`,
      '',
      '/canbo MÃ – xem, thu hồi, mời cán bộ của một đơn vị',
      '/moi MÃ bithu|phobithu|lanhdao – tạo đường dẫn mời cho một đơn vị',
      '/moi tatca bithu – tạo đường dẫn mời cho mọi chi bộ chưa có bí thư (gửi về tệp CSV)',
    ),
  unitHolders: (
    unitName: string,
    unitCode: string,
    holders: { role: string; name: string; note?: string }[],
  ): Rich =>
    lines(
      [bold(unitName), ` (${unitCode})`],
      ...(holders.length === 0
        ? ['Chưa có ai được cấp quyền ở đơn vị này.']
        : holders.map((h) => `• ${h.role}: ${h.name}${h.note ? ` – ${h.note}` : ''}`)),
    ),
  unreachableNote: 'chưa nhận được tin nhắn của bot (đã chặn bot hoặc chưa bấm Bắt đầu)',
  buttonRevoke: (role: string, name: string) => shorten(`Thu hồi ${role}: ${name}`, 60),
  buttonInvite: (kind: UnitRoleKind) => `Mời ${roleNames[kind].toLowerCase()}`,
  confirmRevoke: (role: string, name: string, unitName: string) =>
    `Đồng chí xác nhận thu hồi quyền ${role} ${unitName} của ${name}? Lịch sử báo cáo của đơn vị vẫn được giữ nguyên.`,
  buttonConfirmRevoke: 'Xác nhận thu hồi',
  revoked: (name: string) => `Đã thu hồi quyền của ${name}.`,
  nothingToRevoke: 'Người này không còn quyền nào để thu hồi.',
  unknownPerson: (id: number) => `Không có cán bộ nào có id ${id}. Đồng chí xem id trong /canbo MÃ_ĐƠN_VỊ.`,
  notHolder: (id: number) =>
    `Cán bộ id ${id} không giữ vai trò này ở đơn vị đó. Đồng chí kiểm tra lại bằng /canbo MÃ_ĐƠN_VỊ.`,
  reassigned: (unit: string, kind: UnitRoleKind, to: number) =>
    `Đã giao vai trò ${roleNames[kind]} đơn vị ${unit} cho cán bộ id ${to}. Lịch sử báo cáo của đơn vị vẫn được giữ nguyên.`,
  leaderNotForAllBranches: 'Đường dẫn mời lãnh đạo tạo cho từng đơn vị: /moi MÃ_ĐƠN_VỊ lanhdao.',
  inviteUsage:
    'Cách dùng: /moi MÃ_ĐƠN_VỊ bithu|phobithu|lanhdao, hoặc /moi tatca bithu|phobithu để tạo đường dẫn mời cho mọi chi bộ chưa có người giữ vai trò đó.',
  inviteOne: (roleName: string, unitName: string, link: string, expiresAt: string) =>
    `Đường dẫn mời ${roleName} ${unitName} (dùng một lần, hết hạn ngày ${expiresAt}):\n${link}\n\nĐồng chí gửi đường dẫn này cho đúng người; khi mở đường dẫn và bấm «Bắt đầu», người đó được cấp quyền.`,
  /** A deployment without Telegram: the code itself, sent to the bot on Zalo. */
  inviteCode: (roleName: string, unitName: string, code: string, expiresAt: string) =>
    `Mã mời ${roleName} ${unitName} (dùng một lần, hết hạn ngày ${expiresAt}):\n${code}\n\nĐồng chí gửi mã này cho đúng người; người đó nhắn mã này cho bot trên Zalo để được cấp quyền.`,
  inviteFileCaption: (count: number, expiresAt: string) =>
    `${formatNumber(count)} đường dẫn mời (mỗi đường dẫn dùng một lần, hết hạn ngày ${expiresAt}). Tệp mở được bằng Excel.`,
  expiryDate: (ms: number, toDate: (ms: number) => string) => formatVnDate(toDate(ms)),
  csvOnly:
    'Bot chỉ nhận tệp danh sách đơn vị dạng CSV (.csv). Trong Excel, đồng chí chọn «Lưu thành» → «CSV UTF-8».',
  fileTooBig: 'Tệp lớn quá 10 MB. Đồng chí tách thành nhiều tệp nhỏ hơn hoặc dùng lệnh nhập trên máy chủ.',
  fileNotForYou:
    'Chỉ Quản trị mới gửi tệp danh sách đơn vị. Nếu đồng chí cần báo cáo, gõ /help để xem cách báo cáo.',
  importing: 'Đã nhận tệp, đang kiểm tra…',
  canboUsage: 'Cách dùng: /canbo để xem tổng quan, /canbo MÃ_ĐƠN_VỊ để xem cán bộ một đơn vị.',
  /** After a name taken from Telegram in /canbo: the office has not recorded it. */
  unverifiedNote: 'tên Telegram, chưa xác minh',
  approverNote: 'ghi quyết định chuẩn y',
  approverOnlyLeader:
    'Quyền ghi quyết định chuẩn y (--approver) chỉ dành cho lãnh đạo (vai trò lanhdao). Đồng chí bỏ --approver hoặc chọn vai trò lanhdao.',
  identityOnlyOne:
    'Họ tên và chức vụ ghi cho từng người: đồng chí tạo đường dẫn mời cho từng đơn vị (--unit MÃ) khi ghi họ tên, chức vụ.',
  identityNothing:
    'Không có gì để ghi. Đồng chí ghi --name "Họ và tên", --title "Chức vụ" hoặc --approver yes|no.',
  identitySaved: (who: string, approver: boolean) =>
    `Đã ghi: đồng chí ${who}${approver ? ' (được ghi quyết định chuẩn y)' : ''}.`,
  identityProblem: (p: IdentityProblem): string => {
    switch (p.code) {
      case 'nameEmpty':
        return 'Họ và tên đang trống. Đồng chí ghi đủ họ và tên, ví dụ: Nguyễn Văn Hùng.';
      case 'nameTooLong':
        return `Họ và tên dài ${formatNumber(p.length)} ký tự, quá ${formatNumber(p.max)} ký tự. Đồng chí ghi họ và tên, không ghi chức vụ vào đây.`;
      case 'nameInvalid':
        return `Họ và tên «${echo(p.value)}» chỉ được gồm chữ cái và dấu cách, ví dụ: Nguyễn Văn Hùng.`;
      case 'titleTooLong':
        return `Chức vụ dài ${formatNumber(p.length)} ký tự, quá ${formatNumber(p.max)} ký tự. Đồng chí rút gọn, ví dụ: Bí thư Đảng ủy phường.`;
      case 'titleInvalid':
        return `Chức vụ «${echo(p.value)}» có ký tự không dùng được. Đồng chí ghi bằng chữ, ví dụ: Bí thư Đảng ủy phường.`;
      case 'titleIsRole':
        return `«${echo(p.value)}» là vai trò trong bot, không phải chức vụ. Đồng chí ghi chức vụ thật, ví dụ: Bí thư Đảng ủy phường, Ủy viên Ban Thường vụ.`;
    }
  },
  /** The /moi dialog: name, title, and for leaders whether they record decisions. */
  inviteDialog: {
    name: (role: string, unit: string) =>
      `Mời ${role} ${unit}. Đồng chí gửi họ và tên của người được mời (ví dụ: Nguyễn Văn Hùng). Gõ /huy để dừng.`,
    title: 'Chức vụ của đồng chí này (ví dụ: Bí thư Đảng ủy phường), hoặc bấm «Không ghi chức vụ».',
    approver: 'Đồng chí này có được ghi quyết định chuẩn y, chỉ định kết quả đại hội chi bộ không?',
    buttonNoTitle: 'Không ghi chức vụ',
    buttonApprover: 'Có, được ghi quyết định',
    buttonNotApprover: 'Không',
    expired: 'Phiên tạo đường dẫn mời đã hết. Đồng chí gõ lại /moi MÃ_ĐƠN_VỊ VAI_TRÒ.',
  },
} as const;
