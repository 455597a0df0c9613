/**
 * ExportService and the `export` CLI against a real Redis: the workbooks hold the rows and the
 * figures computed here from what was saved (the congress summary is /tiendo's), chat users get
 * their own scope only, user text that looks like a formula stays text, and the CLI writes the
 * files (the congress PDF beside the workbook).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { UsageError } from '../../src/cli/context.js';
import { exportCli } from '../../src/cli/export.js';
import type { Campaign } from '../../src/domain/congress/campaign.js';
import type { CongressReport } from '../../src/domain/congress/report.js';
import type { Directive, Recipient } from '../../src/domain/directives.js';
import type { MeetingReport } from '../../src/domain/meetings/report.js';
import { wellFormed } from '../../src/domain/text.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import { DeliveryStore } from '../../src/outbox/deliveries.js';
import type { OutboxQueue } from '../../src/outbox/outbox.js';
import type { ExportFile } from '../../src/services/exports/index.js';
import type { Services } from '../../src/services/index.js';
import type { Viewer } from '../../src/services/organisation.js';
import { CongressStore } from '../../src/store/congress.js';
import { DirectiveStore } from '../../src/store/directives.js';
import { MeetingStore } from '../../src/store/meetings.js';
import { seedCampaign } from '../support/campaign.js';
import { congressReport } from '../support/congressReports.js';
import { renderHtml } from '../support/render.js';
import { startServices } from '../support/services.js';

const m = msg.exports;
const at = (isoDate: string) => Date.parse(`${isoDate}T03:00:00Z`);

const EVIL_NAME = '=HYPERLINK("http://evil.example","Bấm")';
// T ─┬─ XA ─┬─ CB01 … CB04
//    │      └─ BP1 ─── CB05, CB06
//    └─ XB ─── CB11, CB12
const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'T,Đảng bộ huyện Hòa An,Đảng bộ,,,0',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,T,1600',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn,XA,25',
  `CB02,"${EVIL_NAME.replace(/"/g, '""')}",Chi bộ,Thôn,XA,8`,
  'CB03,+1+1,Chi bộ,Trường học,XA,12',
  'CB04,Chi bộ Thôn 4,Chi bộ,Thôn,XA,30',
  'BP1,@SUM(A1),Đảng bộ bộ phận,,XA,40',
  'CB05,-2,Chi bộ,,BP1,20',
  'CB06,Chi bộ Khu 1B,Chi bộ,,BP1,20',
  'XB,Đảng bộ xã Hòa Bình,Đảng bộ cơ sở,,T,60',
  'CB11,Chi bộ Thôn Hòa 1,Chi bộ,,XB,30',
  'CB12,Chi bộ Thôn Hòa 2,Chi bộ,,XB,30',
].join('\n');
const ANCESTORS: Record<string, string[]> = {
  CB01: ['T', 'XA'],
  CB02: ['T', 'XA'],
  CB03: ['T', 'XA'],
  CB04: ['T', 'XA'],
  CB05: ['T', 'XA', 'BP1'],
  CB06: ['T', 'XA', 'BP1'],
  CB11: ['T', 'XB'],
  CB12: ['T', 'XB'],
};
/** Tree order: by path, so the branches of BP1 come before XA's own. */
const ALL_BRANCHES = ['CB05', 'CB06', 'CB01', 'CB02', 'CB03', 'CB04', 'CB11', 'CB12'];
const XA_BRANCHES = ALL_BRANCHES.slice(0, 6);

const ADMIN: Viewer = { id: 900, roles: [{ kind: 'admin' }] };
const LEAD_XA: Viewer = { id: 8100, roles: [{ kind: 'leader', unit: 'XA' }] };
const LEAD_TWO: Viewer = {
  id: 8102,
  roles: [
    { kind: 'leader', unit: 'XA' },
    { kind: 'leader', unit: 'XB' },
  ],
};
const SEC1: Viewer = { id: 8001, roles: [{ kind: 'secretary', unit: 'CB01' }] };
const NOBODY: Viewer = { id: 8300, roles: [] };

function result(over: Partial<CongressReport> = {}): CongressReport {
  return congressReport(over);
}

const NO_ELECTION: Partial<CongressReport> = {
  format: 'khong_bau_cu',
  elected: 0,
  reElected: 0,
  women: 0,
  young: 0,
  minority: 0,
  secretaryDirect: false,
  secretaryIsHead: 'khong_ap_dung',
  deputy: 'khong_ap_dung',
};

/** What the branches report, as saved below. */
const RESULTS: Record<string, CongressReport> = {
  CB01: result({ note: '-Ghi chú bắt đầu bằng dấu trừ', elected: 7, reElected: 5, women: 3, minority: 1 }),
  CB02: result({ elected: 3, reElected: 1, women: 1, young: 0, deputy: 'khong', secretaryIsHead: 'khong' }),
  CB05: result({ ...NO_ELECTION, date: '2025-09-14' }),
  CB11: result({
    elected: 5,
    reElected: 2,
    women: 1,
    young: 2,
    secretaryDirect: false,
    secretaryIsHead: 'khong_ap_dung',
  }),
};

let redis: Redis;
let queue: OutboxQueue;
let services: Services;
let campaign: Campaign;
let xaCampaign: Campaign;
let directiveId: string;
const clock = new ManualClock(at('2025-09-10'));

beforeAll(async () => {
  const started = await startServices(clock, { ADMIN_IDS: String(ADMIN.id) });
  ({ services: services, redis, queue } = started);
  const imported = await services.org.importUnitsCsv('cli', TREE);
  if (!imported.ok) throw new Error(imported.text);
  await services.org.people.upsertProfile(SEC1.id, { first_name: EVIL_NAME });
  await services.org.people.grantRole(SEC1.id, { kind: 'secretary', unit: 'CB01' }, 'test', clock.now());

  campaign = await seedCampaign(services.congress, { scope: 'T' });
  const store = new CongressStore(redis);
  const ref = (branch: string) => ({ campaignId: campaign.id, branch, ancestors: ANCESTORS[branch]! });
  for (const [branch, date, time] of [
    ['CB01', '2025-09-12', 19 * 60 + 30],
    ['CB04', '2025-09-25', undefined],
    ['CB12', '2025-09-26', 8 * 60],
  ] as const) {
    const r = await store.registerDate({
      ...ref(branch),
      date,
      ...(time !== undefined ? { time } : {}),
      actor: 'test',
      now: clock.now(),
    });
    expect(r.ok).toBe(true);
  }
  clock.set(at('2025-09-15'));
  for (const [branch, report] of Object.entries(RESULTS)) {
    const actor = branch === 'CB01' ? String(SEC1.id) : 'test';
    expect((await store.saveReport({ ...ref(branch), report, actor, now: clock.now() })).ok).toBe(true);
  }
  expect((await store.approve({ ...ref('CB01'), actor: String(ADMIN.id), now: clock.now() })).ok).toBe(true);

  xaCampaign = await seedCampaign(services.congress, {
    scope: 'XA',
    deadline: '20/09/2025',
    name: 'Đại hội chi bộ điểm xã Tân Lập',
  });

  await seedMeetings();
  directiveId = await seedDirective();
  clock.set(at('2025-09-20'));
});
afterAll(async () => {
  await queue.close();
  await redis.quit();
});

// ---------- meetings ----------

function meeting(over: Partial<MeetingReport> = {}): MeetingReport {
  return {
    month: '2025-08',
    date: '2025-08-05',
    type: 'thuong_ky',
    durationMinutes: 100,
    members: 20,
    exempt: 1,
    present: 16,
    absentWithReason: { count: 2, people: [{ name: 'Trần Thị B', reason: 'ốm' }, { name: 'Lê Văn D' }] },
    absentWithoutReason: { count: 1, people: [{ name: '@Lê Văn C' }] },
    content: '=1+1 Học tập Nghị quyết',
    ...over,
  };
}

const MEETINGS: Record<string, MeetingReport> = {
  CB01: meeting({ upperAttendee: 'Nguyễn Văn Cấp' }),
  CB03: meeting({
    date: '2025-08-08',
    type: 'ket_hop',
    durationMinutes: 110,
    members: 12,
    exempt: 0,
    present: 12,
    absentWithReason: { count: 0, people: [] },
    absentWithoutReason: { count: 0, people: [] },
    content: 'Sinh hoạt chuyên đề',
  }),
  CB11: meeting({
    date: '2025-08-06',
    members: 30,
    exempt: 0,
    present: 20,
    absentWithReason: { count: 10, people: [] },
    absentWithoutReason: { count: 0, people: [] },
  }),
};

async function seedMeetings(): Promise<void> {
  const store = new MeetingStore(redis);
  for (const [branch, report] of Object.entries(MEETINGS)) {
    await store.saveReport({
      branch,
      ancestors: ANCESTORS[branch]!,
      month: '2025-08',
      report,
      deadline: '2025-08-10',
      actor: 'test',
      now: at(branch === 'CB11' ? '2025-08-20' : '2025-08-06'),
    });
  }
}

// ---------- directive ----------

const RECIPIENTS: Recipient[] = [
  { personId: 8001, role: 'secretary', units: [{ code: 'CB01', name: 'Chi bộ Thôn 1' }], name: EVIL_NAME },
  {
    personId: 8004,
    role: 'secretary',
    units: [{ code: 'CB04', name: 'Chi bộ Thôn 4' }],
    name: 'Bí thư Thôn 4',
  },
  { personId: 8005, role: 'deputy', units: [{ code: 'CB05', name: '-2' }], name: 'Phó bí thư Khu 1A' },
  {
    personId: 8011,
    role: 'secretary',
    units: [{ code: 'CB11', name: 'Chi bộ Thôn Hòa 1' }],
    name: 'Bí thư Hòa 1',
  },
];

async function seedDirective(): Promise<string> {
  const store = new DirectiveStore(redis);
  const deliveries = new DeliveryStore(redis);
  const d: Directive = {
    id: await store.nextId(),
    title: 'Đôn đốc báo cáo kết quả đại hội',
    number: '15-CV/ĐU',
    text: 'Đề nghị đồng chí báo cáo.',
    audience: { kind: 'all-secretaries' },
    ackHours: 24,
    createdBy: String(ADMIN.id),
    createdAt: at('2025-09-15'),
    audienceText: 'bí thư tất cả các chi bộ',
  };
  await store.create(d, RECIPIENTS);
  const job = (personId: number) => ({
    id: `vb-${d.id}-${personId}`,
    message: {
      chatId: personId,
      personId,
      text: 'x',
      purpose: 'directive',
      track: { kind: 'directive', id: d.id },
    },
  });
  for (const r of RECIPIENTS)
    await deliveries.recordQueued(job(r.personId).id, job(r.personId).message, d.createdAt);
  await deliveries.delivered(job(8001), 11, d.createdAt + 60_000);
  await deliveries.delivered(job(8011), 12, d.createdAt + 120_000);
  await deliveries.failed(job(8005), 'Forbidden: bot was blocked by the user', true, d.createdAt + 60_000);
  await deliveries.unreachable(8005, 8005, 'Forbidden: bot was blocked by the user', d.createdAt + 60_000);
  await store.acknowledge(d.id, 8001, d.createdAt + 3_600_000);
  return d.id;
}

// ---------- readers ----------

async function open(file: ExportFile | Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((Buffer.isBuffer(file) ? file : file.content) as unknown as ArrayBuffer);
  return wb;
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

/** Every data row of a table sheet (header in row 1) as header → value. */
function table(ws: ExcelJS.Worksheet): Record<string, ExcelJS.CellValue>[] {
  const headers: string[] = [];
  ws.getRow(1).eachCell((cell, c) => {
    headers[c - 1] = String(cell.value);
  });
  const rows: Record<string, ExcelJS.CellValue>[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row: Record<string, ExcelJS.CellValue> = {};
    headers.forEach((h, i) => {
      row[h] = ws.getRow(r).getCell(i + 1).value;
    });
    rows.push(row);
  }
  return rows;
}

function figure(ws: ExcelJS.Worksheet, label: string): { count: unknown; of: unknown; share: unknown } {
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (row.getCell(1).value === label)
      return { count: row.getCell(2).value, of: row.getCell(3).value, share: row.getCell(4).value };
  }
  throw new Error(`no summary line ${label}`);
}

const ratio = (part: number, whole: number) => Math.floor((part * 20000 + whole) / (2 * whole)) / 10000;
const sum = (reports: CongressReport[], pick: (r: CongressReport) => number) =>
  reports.reduce((s, r) => s + pick(r), 0);

function pdfText(buf: Buffer): string | undefined {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'xuat-')), 'bao-cao.pdf');
  writeFileSync(file, buf);
  try {
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      console.warn('pdftotext is not installed (poppler-utils): the PDF text is not checked');
      return undefined;
    }
    throw err;
  }
}

function ok<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(`expected ok: ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
}

// ---------- tests ----------

describe('congress export', () => {
  it('covers the whole round from the root: one row per branch, summary equal to the saved results', async () => {
    const r = ok(await services.exports.congress('cli'));
    expect(r.files.map((f) => f.filename)).toEqual([
      'dai-hoi-T-2025-09-20.xlsx',
      'bao-cao-dai-hoi-T-2025-09-20.pdf',
    ]);
    const wb = await open(r.files[0]!);
    const rows = table(sheet(wb, 'Kết quả theo chi bộ'));
    expect(rows.map((x) => x['Mã chi bộ'])).toEqual(ALL_BRANCHES);
    const row = (code: string) => rows.find((x) => x['Mã chi bộ'] === code)!;
    const cb01 = row('CB01');
    expect(cb01['Tên chi bộ']).toBe('Chi bộ Thôn 1');
    expect(cb01['Đơn vị cấp trên']).toBe('Đảng bộ xã Tân Lập');
    expect(cb01['Đường dẫn đơn vị']).toBe('T/XA/CB01');
    expect(cb01['Số đảng viên']).toBe(25);
    expect(cb01['Cấp ủy viên được bầu']).toBe(7);
    expect((cb01['Ngày đại hội'] as Date).toISOString().slice(0, 10)).toBe('2025-09-12');
    expect((cb01['Ngày đăng ký đại hội'] as Date).toISOString().slice(0, 10)).toBe('2025-09-12');
    expect((cb01['Thời điểm lưu báo cáo'] as Date).toISOString()).toBe('2025-09-15T10:00:00.000Z');
    expect(cb01['Ghi chú']).toBe("'-Ghi chú bắt đầu bằng dấu trừ");
    expect(cb01['Người báo cáo']).toBe(`'${EVIL_NAME}`);
    expect(cb01['Đã chuẩn y']).toBe('Có');
    expect(cb01['Lần báo cáo']).toBe(1);
    expect(row('CB02')['Tên chi bộ']).toBe(`'${EVIL_NAME}`);
    expect(row('CB03')['Tên chi bộ']).toBe("'+1+1");
    expect(row('CB05')['Tên chi bộ']).toBe("'-2");
    expect(row('CB05')['Đơn vị cấp trên']).toBe("'@SUM(A1)");
    expect(row('CB05')['Đường dẫn đơn vị']).toBe('T/XA/BP1/CB05');
    expect(row('CB04')['Tình trạng']).toBe('Đã đăng ký lịch');
    expect((row('CB04')['Ngày đăng ký đại hội'] as Date).toISOString().slice(0, 10)).toBe('2025-09-25');
    expect(row('CB06')['Tình trạng']).toBe('Chưa đăng ký lịch');
    expect(row('CB12')['Giờ đăng ký']).toEqual(new Date('1899-12-30T08:00:00.000Z'));

    const ws = sheet(wb, 'Tổng hợp');
    const reports = Object.values(RESULTS);
    const elected = sum(reports, (x) => x.elected);
    const reElected = sum(reports, (x) => x.reElected);
    const f = m.congressFigures;
    expect(figure(ws, f.branches).count).toBe(ALL_BRANCHES.length);
    expect(figure(ws, f.held)).toEqual({ count: 4, of: 8, share: ratio(4, 8) });
    expect(figure(ws, f.registeredOnly).count).toBe(2);
    expect(figure(ws, f.notRegistered).count).toBe(2);
    expect(figure(ws, f.approved)).toEqual({ count: 1, of: 4, share: ratio(1, 4) });
    expect(figure(ws, f.present)).toEqual({
      count: sum(reports, (x) => x.present),
      of: sum(reports, (x) => x.summoned),
      share: ratio(
        sum(reports, (x) => x.present),
        sum(reports, (x) => x.summoned),
      ),
    });
    expect(figure(ws, f.elected).count).toBe(elected);
    expect(figure(ws, f.reElected)).toEqual({
      count: reElected,
      of: elected,
      share: ratio(reElected, elected),
    });
    expect(figure(ws, f.women).count).toBe(sum(reports, (x) => x.women));
    expect(figure(ws, f.young).count).toBe(sum(reports, (x) => x.young));
    expect(figure(ws, f.minority).count).toBe(1);
    expect(figure(ws, f.head)).toEqual({ count: 1, of: 2, share: 0.5 });
    expect(figure(ws, f.secretaryDirect)).toEqual({ count: 2, of: 3, share: ratio(2, 3) });
    expect(figure(ws, f.deputy)).toEqual({ count: 2, of: 4, share: 0.5 });
    expect(figure(ws, f.noDeputy).count).toBe(1);
    expect(figure(ws, f.noElection).count).toBe(1);

    const units = table(sheet(wb, 'Theo đơn vị'));
    expect(units.map((u) => [u['Đơn vị'], u['Số chi bộ'], u['Đã đại hội']])).toEqual([
      ['Đảng bộ xã Tân Lập', 6, 3],
      ['Đảng bộ xã Hòa Bình', 2, 1],
    ]);
  });

  it('holds the same statistics paragraph as /tiendo, in the sheet and in the PDF', async () => {
    const r = ok(await services.exports.congress(ADMIN));
    const progress = await services.congress.progress(ADMIN, campaign.id, 'T');
    if (!progress.ok) throw new Error(progress.text);
    const tiendo = renderHtml(progress.text);
    const ws = sheet(await open(r.files[0]!), 'Tổng hợp');
    const notes: string[] = [];
    ws.eachRow((row) => notes.push(String(row.getCell(1).value ?? '')));
    const paragraph = notes.slice(notes.indexOf(m.title.paragraph) + 1).filter(Boolean);
    expect(paragraph.length).toBeGreaterThanOrEqual(4);
    for (const line of paragraph) expect(tiendo).toContain(line);

    const text = pdfText(r.files[1]!.content);
    if (text === undefined) return;
    expect(text).toContain('ĐẢNG BỘ HUYỆN HÒA AN');
    expect(text).toContain('BÁO CÁO TIẾN ĐỘ ĐẠI HỘI CHI BỘ');
    for (const line of paragraph) expect(text).toContain(line);
    expect(text).toContain(
      'Đến ngày 20/09/2025, 4/8 chi bộ (50%) đã tổ chức xong đại hội nhiệm kỳ 2025 – 2027.',
    );
  });

  it('gives a leader their own subtree, and a round below the unit its own scope', async () => {
    // Two open rounds cover XA: the one with the earlier deadline by default.
    const first = ok(await services.exports.congressData(LEAD_XA));
    expect(first.value.campaign.id).toBe(xaCampaign.id);
    const own = ok(await services.exports.congressData(LEAD_XA, { campaignId: campaign.id }));
    expect(own.value.unit.code).toBe('XA');
    expect(own.value.branches.map((b) => b.code)).toEqual(XA_BRANCHES);
    expect(own.value.totals.held).toBe(3);
    expect(own.value.totalBranches).toBe(6);
    expect(own.value.parentName).toBe('Đảng bộ huyện Hòa An');
    const sub = ok(await services.exports.congressData(LEAD_XA, { unit: 'BP1', campaignId: campaign.id }));
    expect(sub.value.branches.map((b) => b.code)).toEqual(['CB05', 'CB06']);
    // The XA round, asked for from the root, covers XA.
    const xa = ok(await services.exports.congressData('cli', { campaignId: xaCampaign.id }));
    expect(xa.value.unit.code).toBe('XA');
    expect(xa.value.totals.held).toBe(0);
    expect(await services.exports.congress('cli', { campaignId: xaCampaign.id, unit: 'XB' })).toEqual({
      ok: false,
      text: m.errors.notInCampaign('Đảng bộ xã Hòa Bình'),
    });
    expect(await services.exports.congress('cli', { campaignId: 'dhzzzzzzzz' })).toEqual({
      ok: false,
      text: m.errors.unknownCampaign('dhzzzzzzzz'),
    });
  });

  it('refuses other units, secretaries and people without a role', async () => {
    expect(await services.exports.congress(LEAD_XA, { unit: 'XB' })).toEqual({
      ok: false,
      text: msg.units.noAccessToUnit('Đảng bộ xã Hòa Bình'),
    });
    expect(await services.exports.congress(SEC1)).toEqual({ ok: false, text: m.chat.leaderOnly });
    expect(await services.exports.congress(SEC1, { unit: 'CB01' })).toEqual({
      ok: false,
      text: m.chat.leaderOnly,
    });
    expect(await services.exports.congress(NOBODY)).toEqual({ ok: false, text: msg.units.noAccess });
    expect(await services.exports.meetings(SEC1, { month: '2025-08' })).toEqual({
      ok: false,
      text: m.chat.leaderOnly,
    });
    expect(await services.exports.directive(NOBODY, directiveId)).toEqual({
      ok: false,
      text: msg.units.noAccess,
    });
  });
});

describe('meetings export', () => {
  it('lists every branch of the scope for the month, with the sums computed from the reports', async () => {
    const r = ok(await services.exports.meetings(LEAD_XA, { month: '2025-08' }));
    expect(r.files.map((f) => f.filename)).toEqual(['sinh-hoat-XA-2025-08.xlsx']);
    const wb = await open(r.files[0]!);
    const rows = table(sheet(wb, 'Sinh hoạt theo chi bộ'));
    expect(rows.map((x) => x['Mã chi bộ'])).toEqual(XA_BRANCHES);
    const row = (code: string) => rows.find((x) => x['Mã chi bộ'] === code)!;
    const cb01 = row('CB01');
    expect((cb01['Ngày sinh hoạt'] as Date).toISOString().slice(0, 10)).toBe('2025-08-05');
    expect(cb01['Loại']).toBe('Thường kỳ');
    expect(cb01['Có mặt']).toBe(16);
    expect(cb01['Phải dự']).toBe(19);
    expect(cb01['Tỷ lệ dự']).toBe(ratio(16, 19));
    expect(cb01['Vắng không lý do']).toBe(1);
    expect(cb01['Người vắng không lý do']).toBe("'@Lê Văn C");
    expect(cb01['Nội dung']).toBe("'=1+1 Học tập Nghị quyết");
    expect(cb01['Cấp ủy cấp trên dự']).toBe('Nguyễn Văn Cấp');
    expect(cb01['Báo cáo sau hạn']).toBe('Không');
    expect(row('CB02')['Tình trạng']).toBe('Chưa báo cáo');
    expect(row('CB02')['Tên chi bộ']).toBe(`'${EVIL_NAME}`);
    expect(row('CB03')['Loại']).toBe('Thường kỳ + chuyên đề');

    const ws = sheet(wb, 'Tổng hợp');
    const reports = [MEETINGS.CB01!, MEETINGS.CB03!];
    const present = reports.reduce((s, x) => s + x.present, 0);
    const expected = reports.reduce((s, x) => s + x.members - x.exempt, 0);
    const f = m.meetingFigures;
    expect(figure(ws, f.reported)).toEqual({ count: 2, of: 6, share: ratio(2, 6) });
    expect(figure(ws, f.notReported).count).toBe(4);
    expect(figure(ws, f.attendance)).toEqual({
      count: present,
      of: expected,
      share: ratio(present, expected),
    });
    expect(figure(ws, f.members).count).toBe(32);
    expect(figure(ws, f.absentWithReason).count).toBe(2);
    expect(figure(ws, f.thematic('quý III/2025')).count).toBe(1);
    expect(figure(ws, f.upper).count).toBe(1);
  });

  it('counts a late report as late, and refuses a month still to come', async () => {
    const all = ok(await services.exports.meetingsData('cli', { month: '2025-08' }));
    expect(all.value.branches).toHaveLength(8);
    expect(all.value.branches.find((b) => b.code === 'CB11')?.report?.late).toBe(true);
    expect(all.value.compliance.reported).toBe(3);
    expect(await services.exports.meetings('cli', { month: '2025-10' })).toEqual({
      ok: false,
      text: m.errors.futureMonth('10/2025'),
    });
  });
});

describe('directive export', () => {
  it('lists every recipient with delivery, failure and acknowledgement for the office', async () => {
    const r = ok(await services.exports.directive('cli', directiveId));
    expect(r.files[0]!.filename).toBe(`van-ban-${directiveId}.xlsx`);
    const wb = await open(r.files[0]!);
    const rows = table(sheet(wb, 'Người nhận'));
    expect(rows.map((x) => x['Tình trạng gửi'])).toEqual([
      'Đã nhận',
      'Đang gửi',
      'Không liên lạc được',
      'Đã nhận',
    ]);
    expect(rows[0]!['Họ và tên']).toBe(`'${EVIL_NAME}`);
    expect((rows[0]!['Thời điểm nhận'] as Date).toISOString()).toBe('2025-09-15T10:01:00.000Z');
    expect((rows[0]!['Thời điểm xác nhận đã đọc'] as Date).toISOString()).toBe('2025-09-15T11:00:00.000Z');
    expect(rows[1]!['Thời điểm xác nhận đã đọc']).toBeNull();
    expect(rows[2]!['Đơn vị']).toBe("'-2");
    expect(rows[2]!['Chức vụ']).toBe('Phó bí thư');
    expect(rows[2]!['Lý do không gửi được']).toBe('Forbidden: bot was blocked by the user');
    const ws = sheet(wb, 'Tổng hợp');
    expect(figure(ws, m.directiveFigures.delivered)).toEqual({ count: 2, of: 4, share: 0.5 });
    expect(figure(ws, m.directiveFigures.acknowledged)).toEqual({ count: 1, of: 4, share: 0.25 });
  });

  it('gives a leader the recipients under their units only', async () => {
    const r = ok(await services.exports.directiveData(LEAD_XA, directiveId));
    expect(r.value.rows.map((x) => x.units[0]?.code)).toEqual(['CB01', 'CB04', 'CB05']);
    const other: Viewer = { id: 8200, roles: [{ kind: 'leader', unit: 'BP1' }] };
    expect(ok(await services.exports.directiveData(other, directiveId)).value.rows).toHaveLength(1);
    expect(await services.exports.directive(LEAD_XA, '999')).toEqual({
      ok: false,
      text: m.errors.unknownDirective('999'),
    });
  });
});

describe('/xuat menu', () => {
  it('offers the rounds, the latest two months and the directives of the scope', async () => {
    const menu = await services.exports.menu(LEAD_XA);
    if (menu.kind !== 'menu') throw new Error(JSON.stringify(menu));
    expect(menu.unit.code).toBe('XA');
    expect(menu.options.map((o) => o.action)).toEqual([
      { kind: 'congress', campaignId: xaCampaign.id, unit: 'XA' },
      { kind: 'congress', campaignId: campaign.id, unit: 'XA' },
      { kind: 'meetings', month: '2025-09', unit: 'XA' },
      { kind: 'meetings', month: '2025-08', unit: 'XA' },
      { kind: 'directive', id: directiveId },
    ]);
    expect(menu.options[0]!.label).toBe('Đại hội: Đại hội chi bộ điểm xã Tân Lập (2025 – 2027)');
    const byMonth = await services.exports.menu(ADMIN, { monthText: '07/2025' });
    if (byMonth.kind !== 'menu') throw new Error(JSON.stringify(byMonth));
    expect(byMonth.unit.code).toBe('T');
    expect(byMonth.options.filter((o) => o.action.kind === 'meetings').map((o) => o.label)).toEqual([
      'Sinh hoạt chi bộ tháng 07/2025',
    ]);
  });

  it('asks a leader of two units which one, and refuses the others', async () => {
    const two = await services.exports.menu(LEAD_TWO, { monthText: '08/2025' });
    expect(two).toEqual({
      kind: 'chooseScope',
      text: m.chat.chooseScope,
      units: [
        { code: 'XA', name: 'Đảng bộ xã Tân Lập' },
        { code: 'XB', name: 'Đảng bộ xã Hòa Bình' },
      ],
      month: '2025-08',
    });
    expect(await services.exports.menu(SEC1)).toEqual({ kind: 'refused', text: m.chat.leaderOnly });
    expect(await services.exports.menu(NOBODY)).toEqual({ kind: 'refused', text: msg.units.noAccess });
    expect(await services.exports.menu(LEAD_XA, { unitCode: 'XB' })).toEqual({
      kind: 'refused',
      text: msg.units.noAccessToUnit('Đảng bộ xã Hòa Bình'),
    });
    expect(await services.exports.menu(LEAD_XA, { monthText: '12/2025' })).toEqual({
      kind: 'refused',
      text: m.errors.futureMonth('12/2025'),
    });
    expect(await services.exports.menu(LEAD_XA, { monthText: 'tháng chín' })).toEqual({
      kind: 'refused',
      text: m.chat.badMonth('tháng chín'),
    });
  });
});

describe('export CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xuat-cli-'));
  const lines: { out: string[]; err: string[] } = { out: [], err: [] };
  const ctx = (): CliContext => ({
    services,
    out: (l) => lines.out.push(l),
    err: (l) => lines.err.push(l),
  });

  it('writes the congress workbook and its PDF beside it, or where --pdf says', async () => {
    const xlsx = path.join(dir, 'dai-hoi.xlsx');
    expect(await exportCli.run(['congress', '--campaign', campaign.id, '--out', xlsx], ctx())).toBe(0);
    expect(lines.out).toEqual([xlsx, path.join(dir, 'dai-hoi.pdf')]);
    const wb = await open(readFileSync(xlsx));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Kết quả theo chi bộ', 'Theo đơn vị']);
    expect(readFileSync(path.join(dir, 'dai-hoi.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    const pdf = path.join(dir, 'in', 'ban-in.pdf');
    expect(await exportCli.run(['congress', '--unit', 'XA', '--out', xlsx, '--pdf', pdf], ctx())).toBe(0);
    expect(existsSync(pdf)).toBe(true);
  });

  it('writes the meetings and directive workbooks, and says what is wrong', async () => {
    lines.out.length = 0;
    const meetings = path.join(dir, 'sinh-hoat.xlsx');
    expect(await exportCli.run(['meetings', '--month', '08/2025', '--out', meetings], ctx())).toBe(0);
    expect(table(sheet(await open(readFileSync(meetings)), 'Sinh hoạt theo chi bộ'))).toHaveLength(8);
    const directive = path.join(dir, 'van-ban.xlsx');
    expect(await exportCli.run(['directive', directiveId, '--out', directive], ctx())).toBe(0);
    expect(table(sheet(await open(readFileSync(directive)), 'Người nhận'))).toHaveLength(4);
    expect(lines.out).toEqual([meetings, directive]);

    expect(await exportCli.run(['directive', '404', '--out', directive], ctx())).toBe(1);
    expect(lines.err).toContain(m.errors.unknownDirective('404'));
    await expect(exportCli.run(['meetings', '--out', meetings], ctx())).rejects.toBeInstanceOf(UsageError);
    await expect(exportCli.run(['congress'], ctx())).rejects.toBeInstanceOf(UsageError);
    await expect(exportCli.run(['nothing', '--out', meetings], ctx())).rejects.toBeInstanceOf(UsageError);
  });
});

describe('/xuat menu labels', () => {
  it('cuts a long directive title between graphemes, never inside an emoji', async () => {
    const store = new DirectiveStore(redis);
    const title = `Thông báo ${'x'.repeat(36)}👍🏽 về lịch đại hội`;
    const d: Directive = {
      id: await store.nextId(),
      title,
      text: 'Đề nghị đồng chí báo cáo.',
      audience: { kind: 'all-secretaries' },
      ackHours: 24,
      createdBy: String(ADMIN.id),
      createdAt: clock.now(),
      audienceText: 'bí thư tất cả các chi bộ',
    };
    await store.create(d, RECIPIENTS);
    const menu = await services.exports.menu(ADMIN);
    if (menu.kind !== 'menu') throw new Error(JSON.stringify(menu));
    const option = menu.options.find((o) => o.action.kind === 'directive' && o.action.id === d.id);
    // The old cut (47 code units) split 👍 into a lone surrogate, which Telegram refuses.
    expect(option?.label).toBe(m.chat.buttonDirective(`Thông báo ${'x'.repeat(36)}…`));
    expect(option?.label).toBe(wellFormed(option?.label ?? ''));
  });
});
