/**
 * The export files themselves, opened with real readers: each workbook with exceljs (sheet names,
 * headers, frozen header row, numbers as numbers, dates as dates, summary figures computed here
 * from the reports), user text that would start a formula kept as plain text, and the PDF with
 * pdftotext (one page, the committee's paragraph with its diacritics).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { CongressReport, ReportRecord } from '../../src/domain/congress/report.js';
import { contribution, sumCounters } from '../../src/domain/congress/stats.js';
import { computeCompliance } from '../../src/domain/meetings/compliance.js';
import type { MeetingReport } from '../../src/domain/meetings/report.js';
import { congressPdf, fitRows } from '../../src/exports/congressPdf.js';
import {
  type CongressBranchRow,
  type CongressChildRow,
  type CongressExportData,
  congressWorkbook,
} from '../../src/exports/congressWorkbook.js';
import { type DirectiveExportData, directiveWorkbook } from '../../src/exports/directiveWorkbook.js';
import { type MeetingsExportData, meetingsWorkbook } from '../../src/exports/meetingsWorkbook.js';
import { excelDateTime, safeText, shareValue, sheetName } from '../../src/exports/sheet.js';
import { msg } from '../../src/messages/index.js';
import { congressReport } from '../support/congressReports.js';

const m = msg.exports;
const TZ = 'Asia/Ho_Chi_Minh';
/** 2025-09-20 10:00 in Vietnam. */
const NOW = Date.parse('2025-09-20T03:00:00Z');

/** Text that spreadsheets would take for a formula. */
const MALICIOUS = ['=HYPERLINK("http://evil.example","Bấm vào")', '+1+1', '-2', '@SUM(A1)', '\t=1', '\r=1'];

// ---------- independent arithmetic: written here, not imported ----------

/** Half-up to hundredths of a percent, as a ratio (0.7324). */
const ratio = (part: number, whole: number) => Math.floor((part * 20000 + whole) / (2 * whole)) / 10000;
/** "73,24%": half-up, two decimals, trailing zeros dropped, decimal comma. */
function pct(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const hundredths = Math.floor((part * 20000 + whole) / (2 * whole));
  return `${(hundredths / 100)
    .toFixed(2)
    .replace(/\.?0+$/, '')
    .replace('.', ',')}%`;
}

async function open(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}; have ${wb.worksheets.map((w) => w.name).join(', ')}`);
  return ws;
}

/** Header texts of a row. */
function headers(ws: ExcelJS.Worksheet, row: number): string[] {
  const out: string[] = [];
  ws.getRow(row).eachCell({ includeEmpty: false }, (cell) => out.push(String(cell.value)));
  return out;
}

/** Column number of a header in row `row`. */
function col(ws: ExcelJS.Worksheet, header: string, row = 1): number {
  const i = headers(ws, row).indexOf(header);
  if (i < 0) throw new Error(`no column ${header}`);
  return i + 1;
}

/** The row of a summary sheet whose first cell is `label`: count, of, share. */
function figure(ws: ExcelJS.Worksheet, label: string): { count: unknown; of: unknown; share: unknown } {
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (row.getCell(1).value === label) {
      return { count: row.getCell(2).value, of: row.getCell(3).value, share: row.getCell(4).value };
    }
  }
  throw new Error(`no summary line ${label}`);
}

function frozenAt(ws: ExcelJS.Worksheet): number | undefined {
  const v = ws.views[0];
  return v && v.state === 'frozen' ? v.ySplit : undefined;
}

// ---------- fixtures ----------

function report(over: Partial<CongressReport> = {}): CongressReport {
  return congressReport(over);
}

function record(r: CongressReport, over: Partial<ReportRecord> = {}): ReportRecord {
  return { report: r, version: 1, savedAt: NOW - 86_400_000, savedBy: '8001', late: false, ...over };
}

const REPORTS: Record<string, CongressReport> = {
  CB01: report({ note: MALICIOUS[0] }),
  CB02: report({ elected: 7, reElected: 4, women: 3, young: 2, minority: 1, secretaryIsHead: 'khong' }),
  CB03: report({
    format: 'khong_bau_cu',
    elected: 0,
    reElected: 0,
    women: 0,
    young: 0,
    minority: 0,
    secretaryDirect: false,
    secretaryIsHead: 'khong_ap_dung',
    deputy: 'khong_ap_dung',
  }),
  CB04: report({
    elected: 3,
    reElected: 1,
    women: 1,
    young: 0,
    deputy: 'khong',
    secretaryIsHead: 'khong_ap_dung',
  }),
};

function congressData(): CongressExportData {
  const branches: CongressBranchRow[] = [
    {
      code: 'CB01',
      name: MALICIOUS[1]!,
      parentCode: 'XA',
      parentName: 'Đảng bộ xã Tân Lập',
      path: 'T/XA/CB01',
      members: 1400,
      registration: { date: '2025-09-12', time: 19 * 60 + 30 },
      record: record(REPORTS.CB01!, {
        version: 2,
        approved: { by: '8100', at: NOW - 3_600_000, number: '12-QĐ/ĐU', date: '2025-09-18', version: 2 },
      }),
      reporterName: MALICIOUS[3]!,
    },
    {
      code: 'CB02',
      name: MALICIOUS[2]!,
      parentCode: 'XA',
      parentName: 'Đảng bộ xã Tân Lập',
      path: 'T/XA/CB02',
      members: 30,
      record: record(REPORTS.CB02!, { late: true }),
      extendedUntil: '2025-10-15',
    },
    {
      code: 'CB03',
      name: MALICIOUS[4]!,
      parentCode: 'BP1',
      parentName: MALICIOUS[5]!,
      path: 'T/XA/BP1/CB03',
      members: 12,
      record: record(REPORTS.CB03!),
    },
    {
      code: 'CB04',
      name: 'Chi bộ Thôn 4',
      parentCode: 'BP1',
      parentName: 'Đảng bộ bộ phận Khu 1',
      path: 'T/XA/BP1/CB04',
      members: 25,
      record: record(REPORTS.CB04!),
    },
    {
      code: 'CB05',
      name: 'Chi bộ Khu 1A',
      parentCode: 'BP1',
      parentName: 'Đảng bộ bộ phận Khu 1',
      path: 'T/XA/BP1/CB05',
      members: 20,
      registration: { date: '2025-09-25' },
    },
    {
      code: 'CB06',
      name: 'Chi bộ Khu 1B',
      parentCode: 'BP1',
      parentName: 'Đảng bộ bộ phận Khu 1',
      path: 'T/XA/BP1/CB06',
      members: 20,
    },
  ];
  const counters = (codes: string[]) =>
    sumCounters(
      branches
        .filter((b) => codes.includes(b.code))
        .map((b) =>
          contribution(b.record, b.registration ? { branch: b.code, ...b.registration } : undefined),
        ),
    );
  const children: CongressChildRow[] = [
    { code: 'CB01', name: MALICIOUS[1]!, branches: 1, counters: counters(['CB01']) },
    { code: 'CB02', name: MALICIOUS[2]!, branches: 1, counters: counters(['CB02']) },
    {
      code: 'BP1',
      name: 'Đảng bộ bộ phận Khu 1',
      branches: 4,
      counters: counters(['CB03', 'CB04', 'CB05', 'CB06']),
    },
  ];
  return {
    unit: { code: 'XA', name: 'Đảng bộ xã Tân Lập' },
    parentName: 'Đảng bộ huyện Hòa An',
    campaign: {
      id: 'dhabcdefgh',
      name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
      term: '2025-2027',
      opens: '2025-09-01',
      deadline: '2025-09-30',
      youngAge: 35,
    },
    asOf: '2025-09-20',
    generatedAt: NOW,
    timezone: TZ,
    totals: counters(branches.map((b) => b.code)),
    totalBranches: branches.length,
    children,
    branches,
  };
}

// ---------- tests ----------

describe('safe text', () => {
  it('puts an apostrophe before text that would start a formula, and leaves other text alone', () => {
    for (const bad of MALICIOUS) expect(safeText(bad)).toBe(`'${bad}`);
    expect(safeText('Chi bộ Thôn 1')).toBe('Chi bộ Thôn 1');
    expect(safeText('1+1=2')).toBe('1+1=2');
    expect(safeText('')).toBe('');
  });

  it('drops characters XML cannot carry and keeps to the cell limit', () => {
    expect(safeText('A\u0000B\u0007C\uFFFF')).toBe('ABC');
    expect(safeText('\u0001=1')).toBe(`'=1`);
    expect(safeText('x'.repeat(40_000))).toHaveLength(32_767);
  });

  it('rounds shares half-up like the chat summaries and names sheets as Excel allows', () => {
    expect(shareValue(52, 71)).toBe(0.7324);
    expect(shareValue(1, 8)).toBe(0.125);
    expect(shareValue(2, 3)).toBe(0.6667);
    expect(shareValue(1, 0)).toBeUndefined();
    expect(sheetName('Tháng 09/2025: [tổng hợp]*?')).toBe('Tháng 09 2025   tổng hợp');
    expect(sheetName('x'.repeat(40))).toHaveLength(31);
  });
});

describe('congress workbook', () => {
  const data = congressData();
  let wb: ExcelJS.Workbook;

  it('has Vietnamese sheet names and headers, and a frozen header row on every sheet', async () => {
    wb = await open(await congressWorkbook(data));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Kết quả theo chi bộ', 'Theo đơn vị']);
    const branches = sheet(wb, 'Kết quả theo chi bộ');
    expect(headers(branches, 1)).toEqual(Object.values(m.congressColumns));
    expect(headers(branches, 1)).toContain('Bí thư là người đứng đầu');
    expect(frozenAt(branches)).toBe(1);
    expect(frozenAt(sheet(wb, 'Theo đơn vị'))).toBe(1);
    const summary = sheet(wb, 'Tổng hợp');
    const headerRow = frozenAt(summary)!;
    expect(headers(summary, headerRow)).toEqual(['Chỉ tiêu', 'Số lượng', 'Trên tổng số', 'Tỷ lệ']);
    expect(summary.getRow(1).getCell(1).value).toBe('BÁO CÁO TIẾN ĐỘ ĐẠI HỘI CHI BỘ');
    // Widths follow the content, within bounds.
    expect(branches.getColumn(col(branches, 'Tên chi bộ')).width).toBeGreaterThanOrEqual(14);
    expect(branches.getColumn(col(branches, 'Ghi chú')).width).toBeLessThanOrEqual(40);
    expect(branches.getColumn(col(branches, 'Đường dẫn đơn vị')).width).toBeGreaterThanOrEqual(
      'T/XA/BP1/CB03'.length,
    );
  });

  it('writes one row per branch with numbers as numbers and dates as dates', () => {
    const ws = sheet(wb, 'Kết quả theo chi bộ');
    expect(ws.rowCount).toBe(1 + data.branches.length);
    const row = (code: string) => {
      for (let r = 2; r <= ws.rowCount; r++)
        if (ws.getRow(r).getCell(col(ws, 'Mã chi bộ')).value === code) return ws.getRow(r);
      throw new Error(code);
    };
    const cb01 = row('CB01');
    const cell = (header: string) => cb01.getCell(col(ws, header));
    expect(cell('Số đảng viên').value).toBe(1400);
    expect(cell('Số đảng viên').numFmt).toBe('#,##0');
    expect(cell('Cấp ủy viên được bầu').value).toBe(5);
    expect(cell('Lần đầu tham gia cấp ủy').value).toBe(2);
    expect(cell('Ngày đại hội').value).toBeInstanceOf(Date);
    expect((cell('Ngày đại hội').value as Date).toISOString()).toBe('2025-09-12T00:00:00.000Z');
    expect(cell('Ngày đại hội').numFmt).toBe('dd/mm/yyyy');
    expect((cell('Ngày đăng ký đại hội').value as Date).toISOString().slice(0, 10)).toBe('2025-09-12');
    // A time of day is Excel's fraction of a day, which exceljs reads back as a time on 30/12/1899.
    expect(cell('Giờ đăng ký').value).toEqual(new Date('1899-12-30T19:30:00.000Z'));
    expect(cell('Giờ đăng ký').numFmt).toBe('hh:mm');
    expect(cell(m.congressColumns.decision).value).toBe('Quyết định số 12-QĐ/ĐU ngày 18/9/2025');
    // Saved the day before at 10:00 in Vietnam: the cell shows that wall-clock time.
    expect((cell('Thời điểm lưu báo cáo').value as Date).toISOString()).toBe('2025-09-19T10:00:00.000Z');
    expect(cell('Lần báo cáo').value).toBe(2);
    expect(cell('Đã chuẩn y').value).toBe('Có');
    expect((cell('Thời điểm chuẩn y').value as Date).toISOString()).toBe('2025-09-20T09:00:00.000Z');
    expect(cell('Đường dẫn đơn vị').value).toBe('T/XA/CB01');
    expect(cell('Hình thức').value).toBe('bầu cử');
    expect(row('CB02').getCell(col(ws, 'Báo cáo sau hạn')).value).toBe('Có');
    // An extended branch that reported late: its extension date, and "sau hạn" in its status.
    expect(row('CB02').getCell(col(ws, 'Tình trạng')).value).toBe('Đã đại hội (sau hạn)');
    expect((row('CB02').getCell(col(ws, 'Gia hạn đến')).value as Date).toISOString().slice(0, 10)).toBe(
      '2025-10-15',
    );
    expect(cell('Gia hạn đến').value).toBeNull();
    expect(cell('Tình trạng').value).toBe('Đã đại hội');
    expect(row('CB03').getCell(col(ws, 'Phó bí thư được bầu')).value).toBe('Không áp dụng');
    expect(row('CB05').getCell(col(ws, 'Tình trạng')).value).toBe('Đã đăng ký lịch');
    expect(row('CB05').getCell(col(ws, 'Ngày đại hội')).value).toBeNull();
    expect(row('CB06').getCell(col(ws, 'Tình trạng')).value).toBe('Chưa đăng ký lịch');
  });

  it('keeps names and notes that look like formulas as plain text', () => {
    const ws = sheet(wb, 'Kết quả theo chi bộ');
    const seen: string[] = [];
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        expect(cell.formula).toBeUndefined();
        if (typeof cell.value === 'string' && cell.value.startsWith("'")) seen.push(cell.value);
      }),
    );
    // Names, the parent's name, the reporter's name and the note; CR reads back as LF in XML.
    const expected = [MALICIOUS[0], MALICIOUS[1], MALICIOUS[2], MALICIOUS[3], MALICIOUS[4], MALICIOUS[5]].map(
      (s) => `'${s}`.replace('\r', '\n'),
    );
    for (const e of expected) expect(seen.map((s) => s.replace('\r', '\n'))).toContain(e);
    for (const s of seen) {
      const cell = findCell(ws, s);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
    }
    const units = sheet(wb, 'Theo đơn vị');
    expect(units.getRow(2).getCell(1).value).toBe(`'${MALICIOUS[1]}`);
  });

  it('sums up as /tiendo, with each share over its own denominator', () => {
    const ws = sheet(wb, 'Tổng hợp');
    const reports = Object.values(REPORTS);
    const sum = (pick: (r: CongressReport) => number) => reports.reduce((s, r) => s + pick(r), 0);
    const elected = sum((r) => r.elected);
    const reElected = sum((r) => r.reElected);
    const held = reports.length;
    const withElection = reports.filter((r) => r.format === 'bau_cu').length;
    const headApplicable = reports.filter((r) => r.secretaryIsHead !== 'khong_ap_dung').length;
    const headYes = reports.filter((r) => r.secretaryIsHead === 'co').length;
    const f = m.congressFigures;
    expect(figure(ws, f.branches).count).toBe(6);
    expect(figure(ws, f.held)).toEqual({ count: held, of: 6, share: ratio(held, 6) });
    expect(figure(ws, f.registeredOnly).count).toBe(1);
    expect(figure(ws, f.notRegistered).count).toBe(1);
    expect(figure(ws, f.approved)).toEqual({ count: 1, of: held, share: ratio(1, held) });
    expect(figure(ws, f.late).count).toBe(1);
    expect(figure(ws, f.elected).count).toBe(elected);
    expect(figure(ws, f.reElected)).toEqual({
      count: reElected,
      of: elected,
      share: ratio(reElected, elected),
    });
    expect(figure(ws, f.firstTime).count).toBe(elected - reElected);
    expect(figure(ws, f.women).share).toBe(
      ratio(
        sum((r) => r.women),
        elected,
      ),
    );
    expect(figure(ws, f.young).share).toBe(
      ratio(
        sum((r) => r.young),
        elected,
      ),
    );
    expect(figure(ws, f.minority).count).toBe(1);
    expect(figure(ws, f.secretaryDirect)).toEqual({
      count: reports.filter((r) => r.secretaryDirect).length,
      of: withElection,
      share: ratio(reports.filter((r) => r.secretaryDirect).length, withElection),
    });
    expect(figure(ws, f.head)).toEqual({
      count: headYes,
      of: headApplicable,
      share: ratio(headYes, headApplicable),
    });
    expect(figure(ws, f.deputy)).toEqual({ count: 2, of: held, share: ratio(2, held) });
    expect(figure(ws, f.noDeputy).count).toBe(1);
    expect(figure(ws, f.noElection).count).toBe(1);
    const shareCell = findCell(ws, f.reElected);
    expect(ws.getRow(Number(shareCell.row)).getCell(4).numFmt).toBe('0.00%');
    // The paragraph leaders paste, below the figures.
    const texts: string[] = [];
    ws.eachRow((row) => texts.push(String(row.getCell(1).value ?? '')));
    expect(texts).toContain(
      `Đến ngày 20/09/2025, 4/6 chi bộ (${pct(4, 6)}) đã tổ chức xong đại hội nhiệm kỳ 2025 – 2027.`,
    );
  });
});

function findCell(ws: ExcelJS.Worksheet, value: string): ExcelJS.Cell {
  let found: ExcelJS.Cell | undefined;
  ws.eachRow((row) =>
    row.eachCell((cell) => {
      if (!found && cell.value === value) found = cell;
    }),
  );
  if (!found) throw new Error(`no cell ${JSON.stringify(value)}`);
  return found;
}

/** pdftotext's text of a PDF, or undefined when poppler-utils is missing. */
function pdfText(buf: Buffer): string | undefined {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'xuat-')), 'bao-cao.pdf');
  writeFileSync(file, buf);
  try {
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      console.warn('pdftotext is not installed (poppler-utils): the PDF text is not checked');
      return undefined;
    }
    throw err;
  }
}

const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('congress PDF', () => {
  it('is one page in the committee wording, with the Vietnamese intact', async () => {
    const data = congressData();
    const buf = await congressPdf(data);
    expect(buf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(buf);
    if (text === undefined) return;
    expect(text.split('\f').filter((p) => p.trim() !== '')).toHaveLength(1);
    const t = flat(text);
    expect(t).toContain('BÁO CÁO TIẾN ĐỘ ĐẠI HỘI CHI BỘ');
    expect(t).toContain('ĐẢNG BỘ XÃ TÂN LẬP');
    expect(t).toContain('ĐẢNG CỘNG SẢN VIỆT NAM');
    expect(t).toContain('Ngày 20 tháng 9 năm 2025');
    expect(t).toContain(
      `Đến ngày 20/09/2025, 4/6 chi bộ (${pct(4, 6)}) đã tổ chức xong đại hội nhiệm kỳ 2025 – 2027.`,
    );
    const reports = Object.values(REPORTS);
    const elected = reports.reduce((s, r) => s + r.elected, 0);
    const reElected = reports.reduce((s, r) => s + r.reElected, 0);
    expect(t).toContain(
      `Tổng số cấp ủy viên được bầu: ${elected} đồng chí, trong đó tái cử ${reElected} đồng chí (${pct(reElected, elected)}), tham gia cấp ủy lần đầu ${elected - reElected} đồng chí (${pct(elected - reElected, elected)})`,
    );
    expect(t).toContain(
      `Bí thư chi bộ đồng thời là người đứng đầu cơ quan, đơn vị (trưởng thôn, tổ trưởng tổ dân phố): 1/2 đồng chí (${pct(1, 2)}).`,
    );
    expect(t).toContain(
      'Tổng số phó bí thư chi bộ được bầu: 2/4 đồng chí (1 đơn vị không bầu phó bí thư, 1 đơn vị đại hội không bầu cử).',
    );
    // The decision behind the approval, as /tiendo names it.
    expect(t).toContain('Quyết định đã ghi: số 12-QĐ/ĐU ngày 18/9/2025.');
    expect(t).toContain('Đảng bộ bộ phận Khu 1');
    expect(t).toContain('Cộng');
  });

  it('stays on one page with hundreds of units, summing the ones that do not fit', async () => {
    const base = congressData();
    const one = base.children[2]!;
    const children = Array.from({ length: 300 }, (_, i) => ({
      ...one,
      code: `U${i}`,
      name: `Đảng bộ cơ sở số ${i + 1} có tên khá dài để phải xuống dòng trong bảng`,
    }));
    const buf = await congressPdf({ ...base, children });
    const text = pdfText(buf);
    if (text === undefined) return;
    expect(text.split('\f').filter((p) => p.trim() !== '')).toHaveLength(1);
    expect(flat(text)).toMatch(/Các đơn vị khác \(\d+\)/);
  });

  it('sums the units left out into one row', () => {
    const base = congressData();
    const rows = fitRows(base.children, 2);
    expect(rows).toHaveLength(2);
    expect(rows[1]!.name).toBe('Các đơn vị khác (2)');
    expect(rows[1]!.branches).toBe(5);
    expect(rows[1]!.counters.held).toBe(base.children[1]!.counters.held + base.children[2]!.counters.held);
    expect(fitRows(base.children, 3)).toEqual(base.children);
  });
});

// ---------- meetings ----------

function meeting(over: Partial<MeetingReport> = {}): MeetingReport {
  return {
    month: '2025-08',
    date: '2025-08-05',
    type: 'thuong_ky',
    durationMinutes: 95,
    members: 20,
    exempt: 2,
    present: 15,
    absentWithReason: { count: 2, people: [{ name: 'Trần Thị B', reason: 'ốm' }, { name: 'Lê Văn D' }] },
    absentWithoutReason: { count: 1, people: [{ name: MALICIOUS[0]! }] },
    content: MALICIOUS[3]!,
    ...over,
  };
}

function meetingsData(): MeetingsExportData {
  const r1 = meeting({ upperAttendee: '-Nguyễn Văn Cấp' });
  const r2 = meeting({
    date: '2025-08-07',
    type: 'ket_hop',
    durationMinutes: 100,
    members: 30,
    exempt: 0,
    present: 30,
    absentWithReason: { count: 0, people: [] },
    absentWithoutReason: { count: 0, people: [] },
    content: 'Học tập Nghị quyết',
  });
  const branches = [
    {
      code: 'CB01',
      name: 'Chi bộ Thôn 1',
      parentCode: 'XA',
      parentName: 'Đảng bộ xã Tân Lập',
      report: { report: r1, version: 1, late: false, reportedAt: NOW },
    },
    {
      code: 'CB02',
      name: MALICIOUS[1]!,
      parentCode: 'XA',
      parentName: 'Đảng bộ xã Tân Lập',
      report: { report: r2, version: 2, late: true, reportedAt: NOW },
    },
    { code: 'CB03', name: 'Chi bộ Trường học', parentCode: 'XA', parentName: 'Đảng bộ xã Tân Lập' },
  ];
  const compliance = computeCompliance({
    scopeName: 'Đảng bộ xã Tân Lập',
    month: '2025-08',
    threshold: 85,
    branches: branches.map((b) => ({ code: b.code, name: b.name })),
    aggregate: { reported: 2, late: 1, present: 45, expected: 48, short: 1, upper: 1, thematic: 1, below: 1 },
    statuses: new Map([
      [
        'CB01',
        {
          date: r1.date,
          type: r1.type,
          present: 15,
          expected: 18,
          late: false,
          short: false,
          upper: true,
          below: true,
        },
      ],
      [
        'CB02',
        {
          date: r2.date,
          type: r2.type,
          present: 30,
          expected: 30,
          late: true,
          short: true,
          upper: false,
          below: false,
        },
      ],
    ]),
    thematicInQuarter: 1,
  });
  return {
    unit: { code: 'XA', name: 'Đảng bộ xã Tân Lập' },
    month: '2025-08',
    compliance,
    branches,
    asOf: '2025-09-20',
    generatedAt: NOW,
    timezone: TZ,
  };
}

describe('meetings workbook', () => {
  it('lists attendance per branch with numbers, dates and safe text, and a summary sheet', async () => {
    const wb = await open(await meetingsWorkbook(meetingsData()));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Sinh hoạt theo chi bộ']);
    const ws = sheet(wb, 'Sinh hoạt theo chi bộ');
    expect(headers(ws, 1)).toEqual(Object.values(m.meetingColumns));
    expect(frozenAt(ws)).toBe(1);
    const row2 = ws.getRow(2);
    const cell = (h: string, row = row2) => row.getCell(col(ws, h));
    expect((cell('Ngày sinh hoạt').value as Date).toISOString()).toBe('2025-08-05T00:00:00.000Z');
    expect(cell('Thời lượng (phút)').value).toBe(95);
    expect(cell('Có mặt').value).toBe(15);
    expect(cell('Phải dự').value).toBe(18);
    expect(cell('Vắng có lý do').value).toBe(2);
    expect(cell('Tỷ lệ dự').value).toBe(ratio(15, 18));
    expect(cell('Tỷ lệ dự').numFmt).toBe('0.00%');
    expect(cell('Loại').value).toBe('Thường kỳ');
    expect(cell('Người vắng có lý do').value).toBe('Trần Thị B – ốm\nLê Văn D');
    expect(cell('Người vắng không lý do').value).toBe(`'${MALICIOUS[0]}`);
    expect(cell('Nội dung').value).toBe(`'${MALICIOUS[3]}`);
    expect(cell('Cấp ủy cấp trên dự').value).toBe(`'-Nguyễn Văn Cấp`);
    expect(cell('Nội dung').type).toBe(ExcelJS.ValueType.String);
    expect(cell('Tên chi bộ', ws.getRow(3)).value).toBe(`'${MALICIOUS[1]}`);
    expect(cell('Chưa đủ thời lượng', ws.getRow(3)).value).toBe('Có');
    expect(cell('Tình trạng', ws.getRow(4)).value).toBe('Chưa báo cáo');
    expect(cell('Có mặt', ws.getRow(4)).value).toBeNull();

    const summary = sheet(wb, 'Tổng hợp');
    const f = m.meetingFigures;
    expect(figure(summary, f.reported)).toEqual({ count: 2, of: 3, share: ratio(2, 3) });
    expect(figure(summary, f.notReported).count).toBe(1);
    expect(figure(summary, f.attendance)).toEqual({ count: 45, of: 48, share: ratio(45, 48) });
    expect(figure(summary, f.members).count).toBe(50);
    expect(figure(summary, f.absentWithReason).count).toBe(2);
    expect(figure(summary, f.absentWithoutReason).count).toBe(1);
    expect(figure(summary, f.below('85%')).count).toBe(1);
    expect(figure(summary, f.thematic('quý III/2025'))).toEqual({ count: 1, of: 3, share: ratio(1, 3) });
  });
});

// ---------- directive ----------

describe('directive workbook', () => {
  it('lists each recipient with delivery and acknowledgement times, names kept as text', async () => {
    const data: DirectiveExportData = {
      directive: {
        id: '7',
        title: 'Triển khai đại hội chi bộ',
        number: '15-CV/ĐU',
        createdAt: NOW - 7_200_000,
        audienceText: 'bí thư các chi bộ',
      },
      rows: [
        {
          name: MALICIOUS[0]!,
          role: 'secretary',
          units: [{ code: 'CB01', name: 'Chi bộ Thôn 1' }],
          status: 'sent',
          deliveredAt: NOW - 7_100_000,
          acknowledgedAt: NOW - 3_600_000,
        },
        {
          name: 'Bí thư Thôn 2',
          role: 'secretary',
          units: [{ code: 'CB02', name: MALICIOUS[2]! }],
          status: 'unreachable',
          failedReason: 'Forbidden: bot was blocked by the user',
        },
        {
          name: 'Phó bí thư',
          role: 'deputy',
          units: [{ code: 'CB03', name: 'Chi bộ Trường học' }],
          status: 'sent',
          deliveredAt: NOW,
        },
      ],
      asOf: '2025-09-20',
      generatedAt: NOW,
      timezone: TZ,
    };
    const wb = await open(await directiveWorkbook(data));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Người nhận']);
    const ws = sheet(wb, 'Người nhận');
    expect(headers(ws, 1)).toEqual(Object.values(m.directiveColumns));
    expect(frozenAt(ws)).toBe(1);
    const cell = (r: number, h: string) => ws.getRow(r).getCell(col(ws, h));
    expect(cell(2, 'Họ và tên').value).toBe(`'${MALICIOUS[0]}`);
    expect(cell(2, 'Họ và tên').type).toBe(ExcelJS.ValueType.String);
    expect(cell(2, 'Chức vụ').value).toBe('Bí thư');
    expect(cell(2, 'Tình trạng gửi').value).toBe('Đã nhận');
    expect(cell(2, 'Thời điểm nhận').value).toEqual(excelDateTime(NOW - 7_100_000, TZ));
    expect(cell(2, 'Thời điểm xác nhận đã đọc').value).toEqual(excelDateTime(NOW - 3_600_000, TZ));
    expect(cell(3, 'Đơn vị').value).toBe(`'${MALICIOUS[2]}`);
    expect(cell(3, 'Tình trạng gửi').value).toBe('Không liên lạc được');
    expect(cell(3, 'Lý do không gửi được').value).toBe('Forbidden: bot was blocked by the user');
    expect(cell(3, 'Thời điểm nhận').value).toBeNull();
    const summary = sheet(wb, 'Tổng hợp');
    expect(figure(summary, m.directiveFigures.delivered)).toEqual({ count: 2, of: 3, share: ratio(2, 3) });
    expect(figure(summary, m.directiveFigures.unreachable).count).toBe(1);
    expect(figure(summary, m.directiveFigures.acknowledged)).toEqual({ count: 1, of: 3, share: ratio(1, 3) });
    expect(summary.getRow(2).getCell(1).value).toBe('Văn bản số 15-CV/ĐU: Triển khai đại hội chi bộ');
  });
});
