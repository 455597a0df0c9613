/**
 * Wording for what the bot sends on its own schedule: congress and meeting reminders to
 * secretaries, the escalation to leaders, the daily summary (a markup builder) and its chart,
 * and the commands around them (/tomtat, /nhomlanhdao, /lichgui). Dates, numbers and ratios
 * arrive formatted; names are plain text (each channel's renderer escapes them), and typed
 * input is echoed capped (`echo`).
 */
import { bold, join, lines, type Rich } from '../chat/markup.js';
import { formatYearMonth } from '../domain/meetings/calendar.js';
import type { DailySummary, ScopeSummary } from '../domain/summary.js';
import { echo } from '../domain/text.js';
import { daysBetween, formatNumber, formatRatio, formatRatioPercent, formatVnDate } from '../domain/vn.js';
import type { ChartWords } from '../exports/chart.js';
import { memberChat } from './memberChat.js';

const n = formatNumber;

/** The daily summary's sentences; `dailySummary` below puts them together. */
const summary = {
  title: (date: string) => bold(`Tổng hợp ngày ${date}`),
  scope: (scopeName: string) => bold(scopeName),
  newReportsNone: 'Hôm nay chưa có báo cáo mới.',
  newReports: (count: number) => `Báo cáo mới hôm nay (${n(count)}):`,
  newCongress: (branch: string) => `- ${branch}: kết quả đại hội`,
  newMeeting: (branch: string, monthLabel: string) => `- ${branch}: sinh hoạt chi bộ tháng ${monthLabel}`,
  noCampaign: 'Không có đợt đại hội nào đang mở.',
  campaign: (campaignName: string, held: number, total: number) =>
    `${campaignName}: đã đại hội ${formatRatioPercent(held, total)} chi bộ.`,
  campaignDetail: (registered: number, deadline: string, daysLeft: number) =>
    daysLeft >= 0
      ? `Đã đăng ký lịch, chưa đại hội: ${n(registered)}. Hạn hoàn thành: ${deadline} (còn ${n(daysLeft)} ngày).`
      : `Đã đăng ký lịch, chưa đại hội: ${n(registered)}. Hạn hoàn thành: ${deadline} (đã quá ${n(-daysLeft)} ngày).`,
  overdueNone: 'Không có chi bộ quá hạn.',
  overdue: (count: number) => `Chi bộ quá hạn (${n(count)}):`,
  overdueNoDate: (branch: string, secretaries: string) =>
    `- ${branch}: chưa đại hội, đã quá hạn hoàn thành (bí thư: ${secretaries})`,
  overdueNoResult: (branch: string, date: string, secretaries: string) =>
    `- ${branch}: đại hội ngày ${date}, chưa báo cáo kết quả (bí thư: ${secretaries})`,
  noSecretaryName: 'chưa có',
  unreachableNone: 'Các bí thư đều nhận được tin của bot.',
  unreachable: (count: number) => `Bí thư chưa nhận được tin của bot (${n(count)}):`,
  unreachablePerson: (person: string, branch: string) =>
    `- đ/c ${person} (${branch}): đã chặn bot hoặc chưa bấm Bắt đầu`,
  noSecretary: (branch: string) => `- ${branch}: chưa có bí thư dùng bot`,
  meetings: (monthLabel: string, reported: number, total: number) =>
    `Sinh hoạt chi bộ tháng ${monthLabel}: đã báo cáo ${formatRatio(reported, total)} chi bộ.`,
  more: (count: number) => `… và ${n(count)} chi bộ khác`,
  chartOff: 'Biểu đồ đang tắt; gõ /tomtat bat_bieudo để bật lại.',
} as const;

/** The chart of progress per child unit (`ChartWords`: what the chart draws beside the data). */
const chart = {
  congressTitle: (campaignName: string) => `Tiến độ đại hội: ${campaignName}`,
  meetingsTitle: (monthLabel: string) => `Sinh hoạt chi bộ tháng ${monthLabel}: đã báo cáo`,
  subtitle: (scopeName: string, date: string) => `${scopeName}, đến ngày ${date}`,
  bar: (done: number, total: number, percent: string) => `${formatRatio(done, total)} (${percent})`,
  others: (count: number) => `Các đơn vị khác (${n(count)})`,
  caption: (scopeName: string, date: string) => `Biểu đồ tiến độ: ${scopeName}, ngày ${date}.`,
} as const satisfies ChartWords & Record<string, unknown>;

/** Items then "… và N chi bộ khác" past `limit`. */
function capped(items: readonly string[], limit: number, total = items.length): string[] {
  const shown = items.slice(0, limit);
  const more = total - shown.length;
  return more > 0 ? [...shown, summary.more(more)] : shown;
}

function secretaryNames(names: readonly string[]): string {
  return names.length > 0 ? names.join(', ') : summary.noSecretaryName;
}

function scopeLines(s: ScopeSummary, today: string, limit: number): Rich[] {
  const m = summary;
  const out: Rich[] = [m.scope(s.scopeName)];
  if (s.newReports.length === 0) out.push(m.newReportsNone);
  else {
    out.push(
      m.newReports(s.newReports.length),
      ...capped(
        s.newReports.map((r) =>
          r.kind === 'congress'
            ? m.newCongress(r.branch)
            : m.newMeeting(r.branch, formatYearMonth(r.month ?? '')),
        ),
        limit,
      ),
    );
  }
  if (s.campaigns.length === 0) out.push(m.noCampaign);
  for (const c of s.campaigns) {
    out.push(
      m.campaign(c.name, c.held, c.total),
      m.campaignDetail(c.registeredOnly, formatVnDate(c.deadline), daysBetween(today, c.deadline)),
      ...(c.notes ?? []),
    );
    const count = c.overdueCount ?? c.overdue.length;
    if (count === 0) out.push(m.overdueNone);
    else {
      const named = c.overdue.map((o) =>
        o.registeredDate
          ? m.overdueNoResult(o.branch, formatVnDate(o.registeredDate), secretaryNames(o.secretaries))
          : m.overdueNoDate(o.branch, secretaryNames(o.secretaries)),
      );
      out.push(m.overdue(count), ...capped(named, limit, count));
    }
  }
  out.push(m.meetings(formatYearMonth(s.meetings.month), s.meetings.reported, s.meetings.total));
  const unreachable = [
    ...s.unreachable.map((u) => m.unreachablePerson(u.person, u.branch)),
    ...s.noSecretary.map((b) => m.noSecretary(b)),
  ];
  if (unreachable.length === 0) out.push(m.unreachableNone);
  else out.push(m.unreachable(unreachable.length), ...capped(unreachable, limit));
  return out;
}

/** The daily summary: a block per scope under the day's title; lists stop after `listLimit` names. */
function dailySummary(s: DailySummary, listLimit = 20): Rich {
  const blocks: Rich[] = [summary.title(formatVnDate(s.today))];
  for (const scope of s.scopes) blocks.push(lines(...scopeLines(scope, s.today, listLimit)));
  if (s.badges) blocks.push(memberChat.summaryLine(s.badges.occasion, s.badges.days, s.badges.due));
  if (s.chartOff) blocks.push(summary.chartOff);
  return join(blocks, '\n\n');
}

export const reminders = {
  /** Congress reminders to a branch's secretaries and deputies (plain text). */
  congress: {
    /** First line of every congress reminder: which round. */
    title: (campaignName: string) => `Nhắc việc: ${campaignName}`,
    register: (branch: string, deadline: string, daysLeft: number) =>
      `${branch} chưa đăng ký ngày đại hội. Hạn hoàn thành: ${deadline} (còn ${n(daysLeft)} ngày). Đồng chí gõ /lich NGÀY GIỜ để đăng ký, ví dụ /lich 15/09/2025 19:30.`,
    /** `when`: "ngày 20/09/2025" or "19:30 ngày 20/09/2025". */
    dayBefore: (branch: string, when: string) =>
      `${branch} tổ chức đại hội vào ${when} (ngày mai). Sau đại hội, đồng chí gõ /daihoi để báo cáo kết quả ngay trong ngày.`,
    /** A branch with an extension (gia hạn) and no date yet; `deadline` is its own. */
    registerExtended: (branch: string, until: string, daysLeft: number) =>
      `${branch} được gia hạn đại hội đến ngày ${until} (còn ${n(daysLeft)} ngày) nhưng chưa đăng ký ngày đại hội. Đồng chí gõ /lich NGÀY GIỜ để đăng ký ngày đại hội trong thời gian gia hạn.`,
    resultMissing: (branch: string, date: string, daysOverdue: number, deadline: string, moved: string) =>
      `${branch} đã đăng ký đại hội ngày ${date} nhưng chưa báo cáo kết quả (quá ${n(daysOverdue)} ngày). Hạn hoàn thành: ${deadline}. Đồng chí gõ /daihoi để báo cáo kết quả; ${moved}`,
    movedRegister: 'nếu đại hội dời lịch, gõ /lich NGÀY GIỜ để đăng ký ngày mới.',
    movedWithinExtension: (until: string) =>
      `nếu đại hội dời lịch, gõ /lich NGÀY GIỜ để đăng ký ngày mới, chậm nhất ngày ${until} (hạn gia hạn).`,
    movedAskExtension: (extended: boolean) =>
      `nếu đại hội dời lịch, đã quá hạn nên không đăng ký ngày mới được: đề nghị đồng chí báo cáo cấp ủy cấp trên xin ${extended ? 'gia hạn thêm' : 'gia hạn'}.`,
    /** Past the round's deadline with no extension: registering is no longer possible. */
    overdue: (branch: string, deadline: string, daysOverdue: number) =>
      `${branch} chưa báo cáo kết quả đại hội, đã quá hạn ${n(daysOverdue)} ngày (hạn hoàn thành: ${deadline}). Nếu chi bộ đã đại hội, đồng chí gõ /daihoi để báo cáo kết quả. Nếu chưa, đề nghị đồng chí báo cáo cấp ủy cấp trên xin gia hạn; khi được gia hạn, đồng chí đăng ký ngày đại hội bằng /lich trong thời gian gia hạn.`,
    /** Past the branch's own extended deadline. */
    overdueExtended: (branch: string, until: string, daysOverdue: number) =>
      `${branch} chưa báo cáo kết quả đại hội, đã quá hạn gia hạn (${until}) ${n(daysOverdue)} ngày. Nếu chi bộ đã đại hội, đồng chí gõ /daihoi để báo cáo kết quả. Nếu chưa, đề nghị đồng chí báo cáo cấp ủy cấp trên xin gia hạn thêm.`,
  },

  /** One message a day to a responsible leader, listing the branches overdue long enough. */
  escalation: {
    title: 'Các chi bộ quá hạn đại hội cần đồng chí đôn đốc',
    campaign: (campaignName: string, deadline: string) => `${campaignName} (hạn ${deadline}):`,
    noDate: (branch: string, daysOverdue: number) =>
      `- ${branch}: chưa đăng ký ngày đại hội, quá hạn ${n(daysOverdue)} ngày.`,
    noResult: (branch: string, date: string, daysOverdue: number) =>
      `- ${branch}: đại hội ngày ${date}, chưa báo cáo kết quả (quá ${n(daysOverdue)} ngày).`,
    secretaries: (names: string) => `  Bí thư: ${names}.`,
    noSecretary: '  Chưa có bí thư dùng bot.',
    more: (count: number) => `… và ${n(count)} chi bộ khác.`,
    footer: 'Đề nghị đồng chí đôn đốc các chi bộ hoàn thành. Gõ /tiendo để xem tiến độ.',
  },

  /** Monthly meeting reminders to a branch's secretaries (plain text). */
  meetings: {
    soon: (branch: string, monthLabel: string, date: string) =>
      `Ngày mai (${date}) là ngày sinh hoạt chi bộ tháng ${monthLabel} của ${branch}. Sau buổi sinh hoạt, đồng chí gõ /sinhhoat để báo cáo.`,
    overdue: (branch: string, monthLabel: string, deadline: string, daysLate: number) =>
      `${branch} chưa báo cáo sinh hoạt chi bộ tháng ${monthLabel}. Hạn báo cáo: ${deadline} (đã quá ${n(daysLate)} ngày). Đồng chí gõ /sinhhoat để báo cáo.`,
  },

  /** The daily summary: its sentences, and the whole text as markup. */
  summary,
  dailySummary,

  /** The chart of progress per child unit. */
  chart,

  /** /tomtat: the summary now, and a leader's own settings. */
  tomtat: {
    leaderOnly:
      'Bản tổng hợp hằng ngày dành cho lãnh đạo cấp ủy. Nếu đây là nhầm lẫn, đồng chí liên hệ văn phòng cấp ủy.',
    chartOff: 'Đã tắt biểu đồ trong bản tổng hợp hằng ngày. Gõ /tomtat bat_bieudo để bật lại.',
    chartOn: 'Đã bật biểu đồ trong bản tổng hợp hằng ngày.',
    timeSet: (time: string) => `Từ nay đồng chí nhận bản tổng hợp hằng ngày lúc ${time}.`,
    badTime: (raw: string) =>
      `«${echo(raw)}» không phải giờ hợp lệ. Đồng chí ghi giờ như 18:30 hoặc 18h30, ví dụ /tomtat gio 18:30.`,
    usage:
      'Đồng chí gõ /tomtat để nhận bản tổng hợp ngay; /tomtat tat_bieudo hoặc /tomtat bat_bieudo để tắt, bật biểu đồ; /tomtat gio 18:30 để đổi giờ nhận bản tổng hợp hằng ngày.',
    settings: (time: string, chart: boolean) =>
      `Đồng chí nhận bản tổng hợp hằng ngày lúc ${time}, ${chart ? 'có' : 'không có'} biểu đồ.`,
  },

  /** /nhomlanhdao in a group. */
  group: {
    groupOnly:
      'Lệnh này gõ trong nhóm lãnh đạo: đồng chí thêm bot vào nhóm rồi gõ /nhomlanhdao (hoặc /nhomlanhdao MÃ_ĐƠN_VỊ) trong nhóm.',
    registered: (scopeName: string, time: string) =>
      `Đã đăng ký nhóm này nhận bản tổng hợp hằng ngày của ${scopeName} lúc ${time}. Gõ /nhomlanhdao xoa để thôi nhận.`,
    removed: 'Nhóm này sẽ không nhận bản tổng hợp hằng ngày nữa.',
    notRegistered: 'Nhóm này chưa đăng ký nhận bản tổng hợp.',
  },

  /** /lichgui for admins: schedules and queue health. */
  schedules: {
    title: 'Lịch gửi tự động (giờ Việt Nam):',
    names: {
      reminders: 'Nhắc việc đại hội',
      'daily-summary': 'Kiểm tra gửi bản tổng hợp',
      'meeting-reminders': 'Nhắc sinh hoạt chi bộ',
      'badge-reminders': 'Nhắc chuẩn bị Huy hiệu Đảng',
      'congress-office': 'Nhắc chuẩn bị, việc sau đại hội, dự đại hội',
    } as Record<string, string>,
    next: (name: string, when: string) => `- ${name}: lần tới ${when}`,
    none: '- Chưa có lịch nào được đăng ký (bot chưa chạy hoặc đang chạy với đồng hồ thử nghiệm).',
    summaryTimes: (time: string) =>
      `Bản tổng hợp gửi lúc ${time} (mỗi lãnh đạo có thể đổi giờ của mình bằng /tomtat gio).`,
    quietHours: (from: string, to: string) =>
      `Giờ yên lặng: ${from}–${to}; tin nhắn trong giờ này được hoãn đến sáng, không bị bỏ.`,
    quietOff: 'Không đặt giờ yên lặng.',
    lastRun: (name: string, when: string, queued: number) =>
      `- ${name}: chạy lúc ${when}, xếp hàng ${n(queued)} tin`,
    lastRunsTitle: 'Lần chạy gần nhất:',
    neverRun: '- Chưa chạy lần nào.',
    queue: (name: string, waiting: number, delayed: number, failed: number) =>
      `${name}: đang chờ ${n(waiting)}, hẹn giờ ${n(delayed)}, lỗi ${n(failed)}.`,
    outboxQueue: 'Hàng đợi gửi tin',
    scheduledQueue: 'Hàng đợi lịch',
    unreachable: (count: number) =>
      `Người không nhận được tin (chặn bot hoặc chưa bấm Bắt đầu): ${n(count)}.`,
  },
} as const;
