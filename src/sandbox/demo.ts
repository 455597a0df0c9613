/**
 * The sandbox's demo ward: a ward committee with 20 branches of mixed kinds, an admin, two
 * leaders and five secretaries to act as, a congress round in progress (some branches have
 * reported, one of them a "3 nội dung" congress, some have registered a date, one pilot, one
 * branch extended past the deadline), last month's meeting reports, and the
 * member register of every branch (see `demoRegister.ts`).
 *
 * Everything goes in through the same validators and stores the bot uses, so what the sandbox
 * shows is what a real deployment would. Loaded only into an empty database.
 */
import type { Redis } from 'ioredis';
import { validateCongressReport } from '../domain/congress/report.js';
import { meetingDay, previousMonth, reportingDeadline } from '../domain/meetings/calendar.js';
import { DEFAULT_HOLIDAYS } from '../domain/meetings/holidays.js';
import { checkMeetingForm } from '../domain/meetings/report.js';
import { DEFAULT_MEETING_SETTINGS } from '../domain/meetings/settings.js';
import { headApplies, parseBranchKind } from '../domain/units.js';
import { validateUnitsCsv } from '../domain/unitsCsv.js';
import { addDays, calendarDate, formatVnDate } from '../domain/vn.js';
import type { Logger } from '../logger.js';
import { units as unitMessages } from '../messages/units.js';
import { CampaignStore } from '../store/campaigns.js';
import { CongressStore } from '../store/congress.js';
import { MeetingStore } from '../store/meetings.js';
import { PeopleStore } from '../store/people.js';
import { UnitStore } from '../store/units.js';
import { loadOfficeDemo } from './demoOffice.js';
import { loadDemoRegister } from './demoRegister.js';
import type { BotApiEmulator } from './emulator.js';

const ROOT = 'PHA';

/** code, name, kind, members */
const BRANCHES: [string, string, string, number][] = [
  ['TDP01', 'Chi bộ Tổ dân phố 1', 'to_dan_pho', 34],
  ['TDP02', 'Chi bộ Tổ dân phố 2', 'to_dan_pho', 28],
  ['TDP03', 'Chi bộ Tổ dân phố 3', 'to_dan_pho', 41],
  ['TDP04', 'Chi bộ Tổ dân phố 4', 'to_dan_pho', 19],
  ['TDP05', 'Chi bộ Tổ dân phố 5', 'to_dan_pho', 25],
  ['TDP06', 'Chi bộ Tổ dân phố 6', 'to_dan_pho', 31],
  ['TDP07', 'Chi bộ Tổ dân phố 7', 'to_dan_pho', 22],
  ['TDP08', 'Chi bộ Tổ dân phố 8', 'to_dan_pho', 17],
  ['TDP09', 'Chi bộ Tổ dân phố 9', 'to_dan_pho', 29],
  ['TDP10', 'Chi bộ Tổ dân phố 10', 'to_dan_pho', 36],
  ['THCS', 'Chi bộ Trường THCS Hòa An', 'truong_hoc', 18],
  ['TH', 'Chi bộ Trường Tiểu học Hòa An', 'truong_hoc', 12],
  ['MN', 'Chi bộ Trường Mầm non Hòa An', 'truong_hoc', 8],
  ['UB', 'Chi bộ Cơ quan Ủy ban nhân dân phường', 'co_quan', 21],
  ['MT', 'Chi bộ Mặt trận và các đoàn thể', 'co_quan', 11],
  ['HTX', 'Chi bộ Hợp tác xã Dịch vụ Hòa An', 'doanh_nghiep', 9],
  ['CTY', 'Chi bộ Công ty Cổ phần May Hòa An', 'doanh_nghiep', 14],
  ['CA', 'Chi bộ Công an phường', 'cong_an', 16],
  ['QS', 'Chi bộ Quân sự phường', 'quan_su', 10],
  ['YT', 'Chi bộ Trạm Y tế phường', 'khac', 7],
];

export interface DemoPerson {
  id: number;
  first_name: string;
  last_name: string;
  label: string;
}

/** The people the page lets you act as. */
export const DEMO_PEOPLE: (DemoPerson & {
  role: 'admin' | { kind: 'leader' | 'secretary'; unit: string };
})[] = [
  { id: 1001, first_name: 'Văn phòng', last_name: 'Đảng ủy', label: 'Quản trị', role: 'admin' },
  {
    id: 1002,
    first_name: 'Nguyễn Văn',
    last_name: 'Hùng',
    label: 'Lãnh đạo – Bí thư Đảng ủy phường',
    role: { kind: 'leader', unit: ROOT },
  },
  {
    id: 1003,
    first_name: 'Trần Thị',
    last_name: 'Mai',
    label: 'Lãnh đạo – Phó Bí thư Thường trực',
    role: { kind: 'leader', unit: ROOT },
  },
  {
    id: 1101,
    first_name: 'Lê Văn',
    last_name: 'Bình',
    label: 'Bí thư Chi bộ Tổ dân phố 1',
    role: { kind: 'secretary', unit: 'TDP01' },
  },
  {
    id: 1102,
    first_name: 'Phạm Thị',
    last_name: 'Hoa',
    label: 'Bí thư Chi bộ Tổ dân phố 2',
    role: { kind: 'secretary', unit: 'TDP02' },
  },
  {
    id: 1103,
    first_name: 'Hoàng Văn',
    last_name: 'Nam',
    label: 'Bí thư Chi bộ Tổ dân phố 4',
    role: { kind: 'secretary', unit: 'TDP04' },
  },
  {
    id: 1104,
    first_name: 'Vũ Thị',
    last_name: 'Lan',
    label: 'Bí thư Chi bộ Trường THCS Hòa An',
    role: { kind: 'secretary', unit: 'THCS' },
  },
  {
    id: 1105,
    first_name: 'Đặng Văn',
    last_name: 'Tú',
    label: 'Bí thư Chi bộ Công an phường',
    role: { kind: 'secretary', unit: 'CA' },
  },
];

function unitsCsv(): string {
  const rows = [
    'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
    `${ROOT},Đảng bộ phường Hòa An,dang_bo_co_so,,,${BRANCHES.reduce((n, b) => n + b[3], 0)}`,
  ];
  for (const [code, name, kind, members] of BRANCHES)
    rows.push(`${code},${name},chi_bo,${kind},${ROOT},${members}`);
  return rows.join('\n');
}

/** Branches that held a congress without election, by the committee's own name for it. */
const NO_ELECTION: Record<string, string> = { HTX: '3 nội dung' };

function congressForm(date: string, code: string, kind: string, members: number, i: number): string {
  // The head-of-unit line as a careful secretary answers it: by the branch's kind.
  const head = headApplies({ kind: parseBranchKind(kind) ?? null })
    ? i % 4 === 0
      ? 'không'
      : 'có'
    : 'không áp dụng';
  const noElection = NO_ELECTION[code];
  if (noElection !== undefined) {
    return [
      `Ngày đại hội: ${formatVnDate(date)}`,
      `Hình thức: ${noElection}`,
      `Đảng viên triệu tập: ${members - 1}`,
      `Đảng viên có mặt: ${members - 1}`,
      `Bí thư là người đứng đầu: ${head}`,
      'Ghi chú: Hợp nhất hai chi bộ; cấp ủy cấp trên chỉ định chi ủy.',
    ].join('\n');
  }
  const big = members >= 9;
  const elected = big ? 3 + (i % 3) : 2;
  return [
    `Ngày đại hội: ${formatVnDate(date)}`,
    'Hình thức: bầu cử',
    `Đảng viên triệu tập: ${members - 1}`,
    `Đảng viên có mặt: ${members - 1 - (i % 3)}`,
    `Cấp ủy viên được bầu: ${elected}`,
    `Tái cử: ${Math.max(0, elected - 1 - (i % 2))}`,
    `Nữ: ${1 + (i % 2)}`,
    `Trẻ: ${i % 2}`,
    'Dân tộc thiểu số: 0',
    'Bí thư bầu tại đại hội: có',
    `Bí thư là người đứng đầu: ${head}`,
    'Phó bí thư: có',
  ].join('\n');
}

function meetingForm(date: string, members: number, i: number): string {
  const exempt = i % 3 === 0 ? 1 : 0;
  const withReason = 1 + (i % 2);
  const withoutReason = i % 5 === 0 ? 1 : 0;
  const present = members - exempt - withReason - withoutReason;
  return [
    `Ngày: ${formatVnDate(date)}`,
    `Loại: ${i % 4 === 0 ? 'thường kỳ + chuyên đề' : 'thường kỳ'}`,
    `Thời lượng (phút): ${i % 6 === 0 ? 75 : 125}`,
    `Tổng số đảng viên: ${members}`,
    `Miễn sinh hoạt: ${exempt}`,
    `Có mặt: ${present}`,
    `Vắng có lý do: ${withReason}`,
    `Vắng không lý do: ${withoutReason}${withoutReason ? ' (Ngô Văn Khải)' : ''}`,
    'Nội dung: Quán triệt nghị quyết, đánh giá công tác tháng, phân công nhiệm vụ tháng tới',
    `Cấp ủy cấp trên dự: ${i % 4 === 1 ? 'Đ/c Trần Thị Mai' : ''}`,
  ].join('\n');
}

/**
 * Loads the demo ward into an empty database and lets the emulator's people open their chats.
 * Returns false when there was already data (the sandbox keeps what people did last time).
 */
export async function loadDemo(
  redis: Redis,
  opts: { now: number; timezone: string; log: Logger },
): Promise<boolean> {
  const units = new UnitStore(redis);
  if (await units.root()) return false;
  const { now, timezone, log } = opts;
  const today = calendarDate(now, timezone);

  const checked = validateUnitsCsv(unitsCsv(), new Map());
  if (!checked.ok)
    throw new Error(`demo units invalid: ${checked.errors.map(unitMessages.csvError).join('; ')}`);
  const imported = await units.importUnits(checked.units, 'demo', now);
  if (!imported.ok) throw new Error('demo units could not be imported');

  const people = new PeopleStore(redis, { adminIds: [] });
  for (const p of DEMO_PEOPLE) {
    await people.grantRole(p.id, p.role === 'admin' ? { kind: 'admin' } : p.role, 'demo', now);
    await people.upsertProfile(p.id, { first_name: p.first_name, last_name: p.last_name });
  }

  // A round that opened three weeks ago and ends in three weeks; the first branch is the pilot.
  const campaigns = new CampaignStore(redis);
  const campaign = await campaigns.createCampaign(
    {
      name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
      term: '2025-2027',
      scope: ROOT,
      opens: addDays(today, -21),
      deadline: addDays(today, 21),
      pilots: ['TDP03'],
      youngAge: 35,
    },
    'demo',
    now,
  );
  const congress = new CongressStore(redis);
  const ancestors = [ROOT];
  for (const [i, [code, , kind, members]] of BRANCHES.entries()) {
    // The pilot and seven others have held theirs; five more have registered a date.
    const held = code === 'TDP03' || [5, 6, 8, 10, 13, 15, 17].includes(i);
    if (held) {
      const date = addDays(today, code === 'TDP03' ? -18 : -12 + (i % 10));
      const v = validateCongressReport(congressForm(date, code, kind, members, i), {
        campaign,
        branchSize: members,
        today,
      });
      if (!v.ok)
        throw new Error(`demo report for ${code} invalid: ${v.errors.map((e) => e.problem.code).join('; ')}`);
      await congress.registerDate({
        campaignId: campaign.id,
        branch: code,
        ancestors,
        date,
        time: 19 * 60 + 30,
        actor: 'demo',
        now,
      });
      await congress.saveReport({
        campaignId: campaign.id,
        branch: code,
        ancestors,
        report: v.report,
        actor: 'demo',
        now,
      });
    } else if ([1, 3, 11, 14, 19].includes(i)) {
      // TDP04 registered for yesterday and has not reported: overdue on /tiendo.
      const date = addDays(today, code === 'TDP04' ? -1 : 2 + i);
      await congress.registerDate({
        campaignId: campaign.id,
        branch: code,
        ancestors,
        date,
        time: 8 * 60,
        actor: 'demo',
        now: now - 86_400_000 * 3,
      });
    }
  }

  // The kindergarten's branch is allowed to hold its congress two weeks after the round's
  // deadline (gia hạn), and has registered a date inside its extension.
  const extendedUntil = addDays(campaign.deadline, 14);
  const extended = await congress.extend({
    campaignId: campaign.id,
    branch: 'MN',
    ancestors,
    until: extendedUntil,
    reason: 'Bí thư chi bộ nghỉ thai sản, chờ kiện toàn',
    actor: 'demo',
    now,
  });
  if (!extended.ok) throw new Error(`demo extension refused: ${extended.problem.code}`);
  await congress.registerDate({
    campaignId: campaign.id,
    branch: 'MN',
    ancestors,
    date: addDays(campaign.deadline, 7),
    time: 14 * 60,
    actor: 'demo',
    now,
  });
  await loadOfficeDemo(redis, { campaignId: campaign.id, root: ROOT, today, now });

  // Last month's meetings: fourteen branches reported, two of them after the deadline.
  const meetingStore = new MeetingStore(redis);
  const month = previousMonth(today.slice(0, 7));
  const day = meetingDay(month, DEFAULT_MEETING_SETTINGS, DEFAULT_HOLIDAYS);
  const deadline = reportingDeadline(month, DEFAULT_MEETING_SETTINGS, DEFAULT_HOLIDAYS);
  for (const [i, [code, , , members]] of BRANCHES.entries()) {
    if (i % 7 === 2 || i % 7 === 5) continue;
    const v = checkMeetingForm(meetingForm(day, members, i), { month, branchSize: members, today });
    if (!v.ok)
      throw new Error(`demo meeting for ${code} invalid: ${v.errors.map((e) => e.problem.code).join('; ')}`);
    const savedAt =
      i % 9 === 4
        ? Date.parse(`${addDays(deadline, 2)}T03:00:00Z`)
        : Date.parse(`${addDays(day, 1)}T03:00:00Z`);
    await meetingStore.saveReport({
      branch: code,
      ancestors,
      month,
      report: v.report,
      deadline,
      actor: 'demo',
      now: savedAt,
    });
  }
  const registered = await loadDemoRegister(redis, {
    root: ROOT,
    branches: BRANCHES.map(([code, , , members]) => [code, members] as const),
    today,
    now,
  });
  log.info(
    { units: BRANCHES.length + 1, people: DEMO_PEOPLE.length, campaign: campaign.id, members: registered },
    'demo ward loaded',
  );
  return true;
}

/** Puts the demo people on the page; each opens their chat with /start, as a real person would. */
export function addDemoPeople(emulator: BotApiEmulator, greet: boolean): void {
  for (const p of DEMO_PEOPLE) {
    if (!emulator.users().some((u) => u.id === p.id)) {
      emulator.addUser({ id: p.id, first_name: p.first_name, last_name: p.last_name, label: p.label });
    }
    if (greet) emulator.sendText(p.id, '/start');
  }
}
