/** Wording for managing people: /canbo, /moi, and importing units by sending a file. */
import { bold, lines, type Rich } from '../chat/markup.js';
import { shorten } from '../domain/text.js';
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
} as const;
