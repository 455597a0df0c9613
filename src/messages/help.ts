/** /help and the per-person command menus, by role. */
import { bold, join, type Rich } from '../chat/markup.js';
import type { Role } from '../domain/units.js';

type MenuEntry = { command: string; description: string };

const secretaryMenu: MenuEntry[] = [
  { command: 'daihoi', description: 'Báo cáo kết quả đại hội chi bộ' },
  { command: 'lich', description: 'Đăng ký hoặc dời ngày đại hội' },
  { command: 'chuanbi', description: 'Việc chuẩn bị và sau đại hội' },
  { command: 'sinhhoat', description: 'Báo cáo sinh hoạt chi bộ tháng' },
  { command: 'dangvien', description: 'Danh sách đảng viên chi bộ' },
  { command: 'huyhieu', description: 'Đảng viên đến hạn Huy hiệu Đảng' },
  { command: 'phattrien', description: 'Dự bị đến hạn chuyển chính thức' },
  { command: 'vanban', description: 'Văn bản, thông báo gần đây' },
];
const leaderMenu: MenuEntry[] = [
  { command: 'tiendo', description: 'Tiến độ đại hội chi bộ' },
  { command: 'giahan', description: 'Gia hạn đại hội cho một chi bộ' },
  { command: 'chuany', description: 'Ghi quyết định chuẩn y, chỉ định' },
  { command: 'lichdaihoi', description: 'Lịch đại hội 14 ngày tới' },
  { command: 'phancong', description: 'Phân công cấp trên dự đại hội' },
  { command: 'sinhhoat_tiendo', description: 'Tình hình sinh hoạt chi bộ' },
  { command: 'tomtat', description: 'Bản tổng hợp hôm nay' },
  { command: 'dangvien', description: 'Số lượng, danh sách đảng viên' },
  { command: 'huyhieu', description: 'Đảng viên đến hạn Huy hiệu Đảng' },
  { command: 'phattrien', description: 'Phát triển đảng viên, chỉ tiêu' },
  { command: 'xuat', description: 'Xuất báo cáo Excel, PDF' },
  { command: 'vanban', description: 'Văn bản, thông báo gần đây' },
];
const adminMenu: MenuEntry[] = [
  { command: 'canbo', description: 'Cán bộ và đường dẫn mời' },
  { command: 'dangvien', description: 'Danh sách đảng viên' },
  { command: 'huyhieu', description: 'Đảng viên đến hạn Huy hiệu Đảng' },
  { command: 'phattrien', description: 'Phát triển đảng viên, chỉ tiêu' },
  { command: 'moi', description: 'Tạo đường dẫn mời' },
  { command: 'dotdaihoi', description: 'Mở đợt đại hội chi bộ' },
  { command: 'tiendo', description: 'Tiến độ đại hội chi bộ' },
  { command: 'giahan', description: 'Gia hạn đại hội cho một chi bộ' },
  { command: 'chuany', description: 'Ghi quyết định chuẩn y, chỉ định' },
  { command: 'lichdaihoi', description: 'Lịch đại hội 14 ngày tới' },
  { command: 'phancong', description: 'Phân công cấp trên dự đại hội' },
  { command: 'sinhhoat_tiendo', description: 'Tình hình sinh hoạt chi bộ' },
  { command: 'thongbao', description: 'Gửi thông báo, chỉ đạo' },
  { command: 'thongbao_tinhtrang', description: 'Tình trạng nhận thông báo' },
  { command: 'xuat', description: 'Xuất báo cáo Excel, PDF' },
  { command: 'caidat_sinhhoat', description: 'Lịch sinh hoạt chi bộ' },
  { command: 'lichgui', description: 'Lịch nhắc việc và hàng đợi' },
];
/** For anyone with a role: the same person on Telegram and Zalo. */
const channelsMenu: MenuEntry[] = [
  { command: 'lienket', description: 'Dùng cả Telegram và Zalo' },
  { command: 'kenh', description: 'Nhận tin của bot qua Telegram hay Zalo' },
];
const tail: MenuEntry[] = [
  { command: 'huy', description: 'Hủy thao tác đang làm' },
  { command: 'help', description: 'Hướng dẫn sử dụng' },
];

const sections = {
  secretary:
    'Bí thư, phó bí thư chi bộ\n' +
    '/lich 15/09/2025 19:30 – đăng ký (hoặc dời) ngày đại hội chi bộ\n' +
    '/chuanbi – việc chuẩn bị trước đại hội và việc sau đại hội; bấm để đánh dấu đã xong\n' +
    '/daihoi – báo cáo kết quả đại hội: bot gửi mẫu, đồng chí chép, điền và gửi lại; hoặc bấm «Trả lời từng câu»\n' +
    '/sinhhoat – báo cáo sinh hoạt chi bộ tháng, cũng bằng mẫu hoặc từng câu\n' +
    '/vanban – xem văn bản, thông báo gần đây\n' +
    '/dangvien – danh sách đảng viên chi bộ: kết nạp, chuyển chính thức, chuyển sinh hoạt, ra khỏi danh sách\n' +
    '/huyhieu – đảng viên đến hạn Huy hiệu Đảng dịp tới; /phattrien – dự bị đến hạn chuyển chính thức\n' +
    'Báo cáo chỉ được lưu khi đồng chí bấm nút «Xác nhận…». Gửi lại báo cáo là sửa báo cáo cũ; bản cũ vẫn được lưu lại.',
  leader:
    'Lãnh đạo cấp ủy\n' +
    '/tiendo – tiến độ và kết quả đại hội chi bộ trong phạm vi đồng chí phụ trách\n' +
    '/giahan MÃ 15/10/2025 lý do – cho một chi bộ đại hội sau hạn (gia hạn đến ngày đó)\n' +
    '/chuany MÃ 123-QĐ/ĐU 15/09/2025 – ghi quyết định chuẩn y (chỉ định) kết quả đại hội, nếu đồng chí được giao\n' +
    '/lichdaihoi – lịch đại hội chi bộ 14 ngày tới, ai dự; /phancong MÃ – phân công cấp trên dự đại hội\n' +
    '/sinhhoat_tiendo 09/2025 – tình hình sinh hoạt chi bộ tháng (bỏ trống là tháng này)\n' +
    '/tomtat – bản tổng hợp ngay bây giờ; /tomtat gio 18:30 – đổi giờ nhận bản tổng hợp; /tomtat tat_bieudo hoặc bat_bieudo – tắt, bật biểu đồ\n' +
    '/xuat – xuất báo cáo ra tệp Excel và bản in PDF\n' +
    '/dangvien [MÃ] – số đảng viên chính thức, dự bị theo chi bộ; /huyhieu [DD/MM/YYYY] – Huy hiệu Đảng; /phattrien [YYYY] – kết nạp so với chỉ tiêu\n' +
    'Hằng ngày bot gửi bản tổng hợp; chi bộ chậm báo cáo quá hạn được báo về đồng chí.',
  admin:
    'Quản trị (văn phòng cấp ủy)\n' +
    'Gửi tệp CSV danh sách đơn vị (Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên; thêm nếu cần: Số đảng viên chính thức, Bí thư kiêm người đứng đầu) để nhập hoặc cập nhật cây tổ chức\n' +
    'Gửi tệp CSV danh sách đảng viên (Mã chi bộ,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Ngày vào Đảng,Ngày chính thức[,Số thẻ đảng viên,Số tháng gián đoạn]) để nhập hoặc cập nhật, tất cả hoặc không dòng nào\n' +
    '/dangvien [MÃ] – danh sách đảng viên; /huyhieu [DD/MM/YYYY] – Huy hiệu Đảng; /phattrien [YYYY] – phát triển đảng viên\n' +
    '/canbo – cán bộ sử dụng bot; /canbo MÃ – cán bộ của một đơn vị, thu hồi, mời\n' +
    '/moi MÃ bithu|phobithu|lanhdao – tạo đường dẫn mời; /moi tatca bithu – cho mọi chi bộ\n' +
    '/dotdaihoi – mở đợt đại hội chi bộ; /giahan MÃ 15/10/2025 lý do – gia hạn đại hội cho một chi bộ\n' +
    '/chuany MÃ 123-QĐ/ĐU 15/09/2025 – ghi quyết định chuẩn y (chỉ định) kết quả đại hội\n' +
    '/lichdaihoi – lịch đại hội 14 ngày tới; /phancong MÃ – phân công cấp trên dự đại hội\n' +
    '/thongbao – gửi thông báo, chỉ đạo có theo dõi xác nhận; /thongbao_tinhtrang – tình trạng nhận\n' +
    '/xuat – xuất báo cáo ra tệp Excel và bản in PDF\n' +
    '/caidat_sinhhoat [MÃ] ngay=3 han=5 – ngày sinh hoạt, hạn báo cáo của một đơn vị\n' +
    '/nhomlanhdao – (gõ trong nhóm) nhận bản tổng hợp hằng ngày vào nhóm lãnh đạo\n' +
    '/lichgui – lịch nhắc việc, tổng hợp và tình trạng hàng đợi',
};

/** A section: its first line (the role) in bold. */
function section(text: string): Rich {
  const [title = '', ...rest] = text.split('\n');
  return [bold(title), '\n', rest.join('\n')];
}

export const help = {
  /**
   * Commands that are handled but in no role's menu, and why: the test in
   * `test/unit/menus.test.ts` keeps this list honest.
   */
  hidden: {
    nhomlanhdao: 'typed by an admin inside a leaders’ group, where menus are not per person',
  } as Record<string, string>,
  /** /help for a person's roles; people without roles get how to get access. */
  forRoles: (roles: readonly Role[], noRole: string): Rich => {
    const kinds = new Set(roles.map((r) => r.kind));
    const parts: Rich[] = [];
    if (kinds.has('secretary') || kinds.has('deputy')) parts.push(section(sections.secretary));
    if (kinds.has('leader')) parts.push(section(sections.leader));
    if (kinds.has('admin')) parts.push(section(sections.admin));
    if (parts.length === 0) return noRole;
    parts.push(
      '/lienket – mã liên kết để dùng cùng tài khoản trên cả Telegram và Zalo; /kenh – chọn nơi nhận tin nhắc việc, văn bản\n/huy – hủy thao tác đang làm dở.',
    );
    return join(parts, '\n\n');
  },
  /** The command menu Telegram shows this person. */
  menuFor: (roles: readonly Role[]): MenuEntry[] => {
    const kinds = new Set(roles.map((r) => r.kind));
    const entries: MenuEntry[] = [];
    const add = (list: MenuEntry[]) => {
      for (const e of list) if (!entries.some((x) => x.command === e.command)) entries.push(e);
    };
    if (kinds.has('secretary') || kinds.has('deputy')) add(secretaryMenu);
    if (kinds.has('leader')) add(leaderMenu);
    if (kinds.has('admin')) add(adminMenu);
    if (entries.length === 0) add([{ command: 'start', description: 'Bắt đầu, nhập mã mời' }]);
    else add(channelsMenu);
    add(tail);
    return entries;
  },
} as const;
