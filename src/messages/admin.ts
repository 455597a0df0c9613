/**
 * Wording for the office's queue page (Bull Board behind ADMIN_UI_TOKEN): the sign-in page a
 * browser gets without the token, and the refusals.
 */
export const admin = {
  signInTitle: 'Trang quản lý hàng đợi',
  signInIntro: 'Đồng chí nhập mã quản trị (ADMIN_UI_TOKEN trong cấu hình của bot) để xem hàng đợi gửi tin.',
  tokenLabel: 'Mã quản trị',
  signInButton: 'Đăng nhập',
  wrongToken: 'Mã quản trị không đúng. Đồng chí kiểm tra lại ADMIN_UI_TOKEN và nhập lại.',
  /** For a request without a browser (curl, scripts). */
  needToken:
    'Cần mã quản trị: gửi trong tiêu đề Authorization: Bearer <mã> hoặc X-Admin-Token: <mã> (giá trị ADMIN_UI_TOKEN).',
} as const;
