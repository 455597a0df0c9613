/** Wording shared by every area: errors, greetings, generic buttons. */
export const common = {
  apology: (ref: string) =>
    `Xin lỗi đồng chí, hệ thống gặp sự cố khi xử lý yêu cầu. Đồng chí vui lòng thử lại sau ít phút. Mã tham chiếu: ${ref}.`,
  cancelled: 'Đã hủy. Chưa có gì được lưu.',
  buttonCancel: 'Hủy',
} as const;
