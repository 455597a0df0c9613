import { formatNumber } from '../domain/vn.js';

/** Wording shared by every area: errors, greetings, generic buttons. */
export const common = {
  apology: (ref: string) =>
    `Xin lỗi đồng chí, hệ thống gặp sự cố khi xử lý yêu cầu. Đồng chí vui lòng thử lại sau ít phút. Mã tham chiếu: ${ref}.`,
  cancelled: 'Đã hủy. Chưa có gì được lưu.',
  buttonCancel: 'Hủy',
  notUnderstood: 'Tôi chưa hiểu yêu cầu của đồng chí. Gõ /help để xem các lệnh đồng chí có thể dùng.',
  privateOnly: 'Đồng chí vui lòng dùng lệnh này trong cuộc trò chuyện riêng với bot, không dùng trong nhóm.',
  buttonExpired: 'Nút này đã hết hiệu lực. Đồng chí gõ lại lệnh để bắt đầu lại.',
  /**
   * The first `max` problems, one a line (after `bullet`), then how many more: however much was
   * typed or sent, the answer stays one short message.
   */
  someProblems: (problems: readonly string[], max: number, bullet = ''): string[] => {
    const lines = problems.slice(0, max).map((p) => `${bullet}${p}`);
    if (problems.length > max) lines.push(`… và ${formatNumber(problems.length - max)} lỗi khác.`);
    return lines;
  },
  /** The menu everyone sees before their roles give them their own. */
  defaultMenu: [
    { command: 'start', description: 'Bắt đầu, nhập mã mời' },
    { command: 'help', description: 'Hướng dẫn sử dụng' },
  ],
} as const;
