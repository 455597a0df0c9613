/**
 * Sample export files for the LibreOffice render check (`bench/render-exports.sh`): a district
 * of 500 branches under 20 communes with congress results, a month of meetings and a directive,
 * with names and notes that look like formulas. Writes congress.xlsx, congress.pdf,
 * meetings.xlsx and directive.xlsx into `EXPORTS_DIR` (default: a new temporary directory) and
 * prints that directory.
 *
 * `npm run bench -- render-exports` runs it alone.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CongressReport, ReportRecord } from '../src/domain/congress/report.js';
import { contribution, sumCounters } from '../src/domain/congress/stats.js';
import { computeCompliance } from '../src/domain/meetings/compliance.js';
import type { MeetingReport } from '../src/domain/meetings/report.js';
import { congressPdf } from '../src/exports/congressPdf.js';
import {
  type CongressBranchRow,
  type CongressExportData,
  congressWorkbook,
} from '../src/exports/congressWorkbook.js';
import { type DirectiveRecipientRow, directiveWorkbook } from '../src/exports/directiveWorkbook.js';
import { type MeetingBranchRow, meetingsWorkbook } from '../src/exports/meetingsWorkbook.js';

const TZ = 'Asia/Ho_Chi_Minh';
const NOW = Date.parse('2025-09-20T03:00:00Z');
const COMMUNES = 20;
const PER_COMMUNE = 25;
/** Text a spreadsheet would take for a formula; must render as text. */
export const FORMULA_LOOKALIKES = ['=HYPERLINK("http://evil.example","Bấm")', '+1+1', '-2', '@SUM(A1)'];

/** A small deterministic generator, so every run renders the same files. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

export default async function run(): Promise<void> {
  const dir = process.env.EXPORTS_DIR ?? mkdtempSync(path.join(tmpdir(), 'render-exports-'));
  mkdirSync(dir, { recursive: true });
  const rnd = random(42);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

  const branches: CongressBranchRow[] = [];
  const meetingRows: MeetingBranchRow[] = [];
  for (let x = 1; x <= COMMUNES; x++) {
    for (let i = 1; i <= PER_COMMUNE; i++) {
      const code = `X${x}-CB${String(i).padStart(2, '0')}`;
      const n = (x - 1) * PER_COMMUNE + i;
      const name =
        n <= FORMULA_LOOKALIKES.length ? FORMULA_LOOKALIKES[n - 1]! : `Chi bộ Thôn ${i} xã Số ${x}`;
      const members = int(8, 60);
      const row: CongressBranchRow = {
        code,
        name,
        parentCode: `X${x}`,
        parentName: `Đảng bộ xã Số ${x}`,
        path: `H/X${x}/${code}`,
        members,
      };
      if (rnd() < 0.8) {
        const elected = members >= 9 ? int(3, 7) : 1;
        const reElected = int(0, elected);
        const report: CongressReport = {
          date: `2025-09-${String(int(5, 19)).padStart(2, '0')}`,
          format: 'bau_cu',
          summoned: members,
          present: members - int(0, 3),
          elected,
          reElected,
          women: int(0, elected),
          young: int(0, elected),
          minority: int(0, 1),
          secretaryDirect: rnd() < 0.7,
          secretaryIsHead: rnd() < 0.5 ? 'co' : 'khong_ap_dung',
          deputy: members >= 9 ? 'co' : 'khong',
          ...(n === 6 ? { note: `=cmd|'/c calc'!A0 ${'Ghi chú rất dài. '.repeat(30)}` } : {}),
        };
        const record: ReportRecord = {
          report,
          version: int(1, 2),
          savedAt: NOW - int(1, 10) * 86_400_000,
          savedBy: String(n),
          late: rnd() < 0.1,
          ...(rnd() < 0.5 ? { approved: { by: '1', at: NOW - 3_600_000 } } : {}),
        };
        row.record = record;
        row.reporterName = n === 7 ? '@Bí thư' : `Bí thư ${n}`;
        row.registration = { date: report.date, time: 19 * 60 + 30 };
      } else if (rnd() < 0.5) row.registration = { date: '2025-09-27' };
      branches.push(row);

      const meeting: MeetingReport = {
        month: '2025-08',
        date: `2025-08-${String(int(1, 9)).padStart(2, '0')}`,
        type: rnd() < 0.3 ? 'ket_hop' : 'thuong_ky',
        durationMinutes: int(80, 130),
        members,
        exempt: 1,
        present: members - 3,
        absentWithReason: { count: 1, people: [{ name: 'Trần Thị B', reason: 'ốm' }] },
        absentWithoutReason: { count: 1, people: [{ name: n === 3 ? '-Lê Văn C' : 'Lê Văn C' }] },
        content: n === 4 ? '@Học tập Nghị quyết' : 'Học tập Nghị quyết, triển khai nhiệm vụ tháng',
      };
      meetingRows.push({
        code,
        name,
        parentCode: `X${x}`,
        parentName: `Đảng bộ xã Số ${x}`,
        ...(rnd() < 0.9 ? { report: { report: meeting, version: 1, late: false, reportedAt: NOW } } : {}),
      });
    }
  }

  const counters = (rows: CongressBranchRow[]) =>
    sumCounters(
      rows.map((b) =>
        contribution(b.record, b.registration ? { branch: b.code, ...b.registration } : undefined),
      ),
    );
  const congress: CongressExportData = {
    unit: { code: 'H', name: 'Đảng bộ huyện Hòa An' },
    parentName: 'Đảng bộ tỉnh Cao Bằng',
    campaign: {
      id: 'dhsample01',
      name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
      term: '2025-2027',
      opens: '2025-09-01',
      deadline: '2025-09-30',
      youngAge: 35,
    },
    asOf: '2025-09-20',
    generatedAt: NOW,
    timezone: TZ,
    totals: counters(branches),
    totalBranches: branches.length,
    children: Array.from({ length: COMMUNES }, (_, k) => {
      const rows = branches.filter((b) => b.parentCode === `X${k + 1}`);
      return {
        code: `X${k + 1}`,
        name: `Đảng bộ xã Số ${k + 1}`,
        branches: rows.length,
        counters: counters(rows),
      };
    }),
    branches,
  };

  const statuses = new Map(
    meetingRows.flatMap((b) => {
      const r = b.report?.report;
      if (!r) return [];
      const expected = r.members - r.exempt;
      const status = {
        date: r.date,
        type: r.type,
        present: r.present,
        expected,
        late: false,
        short: r.durationMinutes < (r.type === 'ket_hop' ? 120 : 90),
        upper: false,
        below: r.present * 100 < 80 * expected,
      };
      return [[b.code, status] as const];
    }),
  );
  const reported = [...statuses.values()];
  const compliance = computeCompliance({
    scopeName: 'Đảng bộ huyện Hòa An',
    month: '2025-08',
    threshold: 80,
    branches: meetingRows.map((b) => ({ code: b.code, name: b.name })),
    aggregate: {
      reported: reported.length,
      late: 0,
      present: reported.reduce((s, x) => s + x.present, 0),
      expected: reported.reduce((s, x) => s + x.expected, 0),
      short: reported.filter((x) => x.short).length,
      upper: 0,
      thematic: reported.filter((x) => x.type !== 'thuong_ky').length,
      below: reported.filter((x) => x.below).length,
    },
    statuses,
    thematicInQuarter: reported.filter((x) => x.type !== 'thuong_ky').length,
  });

  const recipients: DirectiveRecipientRow[] = branches.slice(0, 60).map((b, i) => ({
    name: i === 0 ? FORMULA_LOOKALIKES[0]! : `Bí thư ${b.name}`,
    role: 'secretary',
    units: [{ code: b.code, name: b.name }],
    status: i % 10 === 9 ? 'unreachable' : 'sent',
    ...(i % 10 === 9
      ? { failedReason: 'Forbidden: bot was blocked by the user' }
      : { deliveredAt: NOW - 7_000_000 }),
    ...(i % 3 === 0 ? { acknowledgedAt: NOW - 3_600_000 } : {}),
  }));

  writeFileSync(path.join(dir, 'congress.xlsx'), await congressWorkbook(congress));
  writeFileSync(path.join(dir, 'congress.pdf'), await congressPdf(congress));
  writeFileSync(
    path.join(dir, 'meetings.xlsx'),
    await meetingsWorkbook({
      unit: { code: 'H', name: 'Đảng bộ huyện Hòa An' },
      month: '2025-08',
      compliance,
      branches: meetingRows,
      asOf: '2025-09-20',
      generatedAt: NOW,
      timezone: TZ,
    }),
  );
  writeFileSync(
    path.join(dir, 'directive.xlsx'),
    await directiveWorkbook({
      directive: {
        id: '7',
        title: 'Đôn đốc báo cáo kết quả đại hội',
        number: '15-CV/ĐU',
        createdAt: NOW - 7_200_000,
        audienceText: 'bí thư tất cả các chi bộ',
      },
      rows: recipients,
      asOf: '2025-09-20',
      generatedAt: NOW,
      timezone: TZ,
    }),
  );
  console.log(dir);
}
