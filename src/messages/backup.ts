/**
 * Wording for `npm run cli -- backup` and `restore`: what was written or loaded, and why a
 * backup or a restore stopped, with what to do about it. Numbers arrive formatted.
 */
export const backup = {
  written: (file: string, keys: string, pausedMs: string) =>
    `Đã sao lưu ${keys} khóa dữ liệu vào ${file} (tạm dừng ghi ${pausedMs} ms).`,
  redisTooOld: (version: string) =>
    `Redis ${version} chưa hỗ trợ đọc trong lúc tạm dừng ghi (CLIENT PAUSE … WRITE, EVAL_RO). Đồng chí cần Redis 7.0 trở lên để sao lưu nhất quán.`,
  pauseRefused: (detail: string) =>
    `Redis không cho tạm dừng ghi (${detail}). Đồng chí bật lệnh CLIENT cho tài khoản này, hoặc sao lưu từ một Redis tự quản lý.`,
  pauseTooShort: (tookMs: string, maxMs: string) =>
    `Đọc dữ liệu mất ${tookMs} ms, quá thời gian tạm dừng ghi ${maxMs} ms, nên bản sao không nhất quán và đã bị bỏ. Đồng chí chạy lại với --max-pause-ms lớn hơn.`,
  notEmpty: (keys: string) =>
    `Redis đích đang có ${keys} khóa, nên không khôi phục để tránh ghi đè. Đồng chí dừng bot và khôi phục vào một Redis trống (hoặc một cơ sở dữ liệu trống khác trong REDIS_URL).`,
  unreadable: (file: string, detail: string) => `Không đọc được tệp ${file}: ${detail}.`,
  corrupt: (file: string, line: string, detail: string) =>
    `Tệp sao lưu ${file} bị hỏng ở dòng ${line}: ${detail}. Chưa có dữ liệu nào được nạp.`,
  notBackup: (file: string) =>
    `Tệp ${file} không phải bản sao lưu của bot (thiếu dòng đầu "chibo-backup"). Chưa có dữ liệu nào được nạp.`,
  newerVersion: (file: string, version: string, supported: string) =>
    `Tệp ${file} có định dạng phiên bản ${version}, bản bot này chỉ đọc được đến phiên bản ${supported}. Đồng chí dùng bản bot mới hơn để khôi phục.`,
  truncated: (file: string, expected: string, found: string) =>
    `Tệp ${file} ghi ${expected} khóa nhưng chỉ có ${found}: tệp bị cắt ngắn hoặc hỏng. Chưa có dữ liệu nào được nạp.`,
  typesDiffer: (file: string) =>
    `Số khóa theo từng kiểu trong tệp ${file} không khớp dòng đầu: tệp bị hỏng. Chưa có dữ liệu nào được nạp.`,
  loadFailed: (detail: string) =>
    `Nạp dữ liệu thất bại (${detail}); các khóa đã nạp dở đã được xóa. Đồng chí kiểm tra Redis rồi chạy lại.`,
  restored: (keys: string, expired: string, takenAt: string) =>
    `Đã khôi phục ${keys} khóa từ bản sao lưu lúc ${takenAt}` +
    (expired === '0' ? '.' : `; ${expired} khóa sắp hết hạn (dưới một phút) không được nạp.`),
  countOk: (keys: string) => `Kiểm tra số khóa: khớp (${keys}).`,
  countDiffers: (expected: string, found: string) =>
    `Kiểm tra số khóa: KHÔNG khớp — cần ${expected}, Redis có ${found}.`,
  aggregatesOk: (rounds: string) =>
    `Kiểm tra số liệu tổng hợp: khớp (${rounds} đợt đại hội và sinh hoạt chi bộ các tháng).`,
  aggregatesDiffer: (count: string) =>
    `Kiểm tra số liệu tổng hợp: KHÔNG khớp ở ${count} chỉ tiêu; số liệu tính lại từ các báo cáo khác số đã lưu:`,
  congressMismatch: (campaign: string, unit: string, counter: string, stored: string, expected: string) =>
    `  Đại hội ${campaign}, đơn vị ${unit}, ${counter}: lưu ${stored}, tính lại ${expected}`,
  meetingMismatch: (month: string, unit: string, field: string, stored: string, expected: string) =>
    `  Sinh hoạt ${month}, đơn vị ${unit}, ${field}: lưu ${stored}, tính lại ${expected}`,
  moreMismatches: (count: string) => `  … và ${count} chỉ tiêu khác.`,
} as const;
