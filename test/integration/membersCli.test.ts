/**
 * The register from the server: `members import`, `badges list` (CSV with formula-safe cells),
 * `export badges` (the workbook read back) and `targets set`, against a real Redis.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgesCli } from '../../src/cli/badges.js';
import { type CliContext, UsageError } from '../../src/cli/context.js';
import { exportCli } from '../../src/cli/export.js';
import { membersCli } from '../../src/cli/members.js';
import { targetsCli } from '../../src/cli/targets.js';
import { parseCsv } from '../../src/domain/csv.js';
import { ManualClock } from '../../src/infra/clock.js';
import type { OutboxQueue } from '../../src/outbox/outbox.js';
import type { Services } from '../../src/services/index.js';
import { startServices } from '../support/services.js';

const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'T,Đảng bộ huyện Hòa An,Đảng bộ,,,0',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,T,0',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn,XA,0',
  `CB02,"=HYPERLINK(""http://evil.example"",""Bấm"")",Chi bộ,Thôn,XA,0`,
  'XB,Đảng bộ xã Hòa Bình,Đảng bộ cơ sở,,T,0',
  'CB11,"Chi bộ Thôn Hòa 1, xã B",Chi bộ,,XB,0',
].join('\n');

/** Due at 02/09/2026: 30, 40, 55 and 90 years. */
const REGISTER = [
  'unit_code;full_name;birth_date;gender;ethnicity;joined;official_since;card_no;interrupted_months',
  'CB01;Nguyễn Văn An;01/01/1975;Nam;Kinh;20/05/1996;20/05/1997;A1;',
  'CB02;Trần Thị Bình;01/01/1960;Nữ;Kinh;02/09/1986;02/09/1987;A2;',
  'CB02;Lê Văn Cường;01/01/1950;Nam;Tày;01/04/1971;01/04/1972;A3;2',
  'CB11;Phạm Văn Dũng;01/01/1918;Nam;Kinh;01/08/1936;01/08/1937;A4;',
  'CB11;Hoàng Thị Én;01/01/1980;Nữ;Kinh;01/01/2005;01/01/2006;A5;',
].join('\r\n');

let redis: Redis;
let queue: OutboxQueue;
let services: Services;
const clock = new ManualClock(Date.parse('2026-06-01T03:00:00Z'));
const dir = mkdtempSync(path.join(tmpdir(), 'members-cli-'));
const lines = { out: [] as string[], err: [] as string[] };
const ctx = (): CliContext => ({ services, out: (l) => lines.out.push(l), err: (l) => lines.err.push(l) });
const clear = () => {
  lines.out.length = 0;
  lines.err.length = 0;
};

beforeAll(async () => {
  const started = await startServices(clock);
  ({ services: services, redis, queue } = started);
  const imported = await services.org.importUnitsCsv('cli', TREE);
  if (!imported.ok) throw new Error(imported.text);
});

afterAll(async () => {
  await queue.close();
  await redis.quit();
});

describe('members import', () => {
  it('imports a file and says what it did; a bad file gets every problem and exit 1', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(
      bad,
      REGISTER.replace('01/01/1975', '31/02/1975').replace(';Nam;Kinh;01/08/1936', ';Nam;;01/08/1936'),
    );
    expect(await membersCli.run(['import', bad], ctx())).toBe(1);
    expect(lines.err[0]?.split('\n')).toEqual([
      'Tệp có 2 lỗi nên chưa nhập đảng viên nào. Đồng chí sửa các dòng dưới đây rồi gửi lại cả tệp:',
      '• Dòng 2: «Ngày sinh» «31/02/1975» không phải ngày hợp lệ. Đồng chí ghi ngày theo dạng DD/MM/YYYY, ví dụ 03/02/1990.',
      '• Dòng 5: chưa ghi «Dân tộc». Đồng chí điền ô này.',
    ]);
    clear();
    const good = path.join(dir, 'dang-vien.csv');
    writeFileSync(good, `\uFEFF${REGISTER}`);
    expect(await membersCli.run(['import', good], ctx())).toBe(0);
    expect(lines.out).toEqual(['Đã nhập 5 đảng viên: 5 mới, 0 cập nhật, 0 không thay đổi.']);
    clear();
    expect(await membersCli.run(['import', path.join(dir, 'none.csv')], ctx())).toBe(1);
    await expect(membersCli.run(['import'], ctx())).rejects.toBeInstanceOf(UsageError);
  });
});

describe('badges list', () => {
  it('prints the CSV header and one row per member due, branch by branch, formula-safe', async () => {
    clear();
    expect(await badgesCli.run(['list', '--occasion', '02/09/2026'], ctx())).toBe(0);
    const { records } = parseCsv(`${lines.out.join('\n')}\n`);
    expect(records.map((r) => r.fields)).toEqual([
      ['unit_code', 'unit_name', 'full_name', 'birth_date', 'joined', 'milestone'],
      ['CB01', 'Chi bộ Thôn 1', 'Nguyễn Văn An', '01/01/1975', '20/05/1996', '30'],
      ['CB02', `'=HYPERLINK("http://evil.example","Bấm")`, 'Trần Thị Bình', '01/01/1960', '02/09/1986', '40'],
      ['CB02', `'=HYPERLINK("http://evil.example","Bấm")`, 'Lê Văn Cường', '01/01/1950', '01/04/1971', '55'],
      ['CB11', 'Chi bộ Thôn Hòa 1, xã B', 'Phạm Văn Dũng', '01/01/1918', '01/08/1936', '90'],
    ]);
    expect(lines.err).toEqual([
      '4 đảng viên đến hạn nhận Huy hiệu Đảng dịp 02/09/2026 (Đảng bộ huyện Hòa An).',
    ]);
  });

  it('keeps to a unit, and says what is wrong', async () => {
    clear();
    expect(await badgesCli.run(['list', '--occasion', '02/09/2026', '--unit', 'XB'], ctx())).toBe(0);
    expect(lines.out.join('\n').split('\r\n').slice(1)).toEqual([
      'CB11,"Chi bộ Thôn Hòa 1, xã B",Phạm Văn Dũng,01/01/1918,01/08/1936,90',
    ]);
    clear();
    expect(await badgesCli.run(['list', '--occasion', '01/09/2026'], ctx())).toBe(1);
    expect(lines.err).toEqual([
      'Ngày «01/09/2026» không phải dịp trao Huy hiệu Đảng (03/02, 19/05, 02/09, 07/11). Dịp gần nhất từ ngày đó: 02/09/2026.',
    ]);
    await expect(badgesCli.run(['list'], ctx())).rejects.toBeInstanceOf(UsageError);
    await expect(badgesCli.run(['show'], ctx())).rejects.toBeInstanceOf(UsageError);
  });
});

describe('export badges', () => {
  it('writes the workbook the committee sends up: a summary per milestone and the list', async () => {
    clear();
    const file = path.join(dir, 'huy-hieu.xlsx');
    expect(await exportCli.run(['badges', '--occasion', '02/09/2026', '--out', file], ctx())).toBe(0);
    expect(lines.out).toEqual([file]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Danh sách đề nghị']);

    const summary = wb.getWorksheet('Tổng hợp')!;
    expect(summary.getCell('A1').value).toBe('DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG');
    expect(summary.getCell('A2').value).toBe('Đợt trao tặng ngày 02/09/2026');
    const figures = new Map<string, unknown>();
    summary.eachRow((row) => figures.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(figures.get('Huy hiệu 90 năm tuổi Đảng')).toBe(1);
    expect(figures.get('Huy hiệu 45 năm tuổi Đảng')).toBe(0);
    expect(figures.get('Tổng số đảng viên đề nghị')).toBe(4);

    const list = wb.getWorksheet('Danh sách đề nghị')!;
    const header = list.getRow(5).values as unknown[];
    expect(header.slice(1, 4)).toEqual(['STT', 'Họ và tên', 'Ngày sinh']);
    const rows: unknown[][] = [];
    for (let r = 6; r <= 9; r++) rows.push((list.getRow(r).values as unknown[]).slice(1));
    // The longest standing first; numbers and dates typed; the hostile unit name stays text.
    expect(rows.map((r) => [r[0], r[1], r[9], r[12]])).toEqual([
      [1, 'Phạm Văn Dũng', 90, 'Chi bộ Thôn Hòa 1, xã B'],
      [2, 'Lê Văn Cường', 55, `'=HYPERLINK("http://evil.example","Bấm")`],
      [3, 'Trần Thị Bình', 40, `'=HYPERLINK("http://evil.example","Bấm")`],
      [4, 'Nguyễn Văn An', 30, 'Chi bộ Thôn 1'],
    ]);
    expect(rows[1]?.[2]).toEqual(new Date('1950-01-01T00:00:00Z'));
    expect(rows[1]?.[8]).toBe(2); // interrupted months
    expect(rows[1]?.[10]).toEqual(new Date('2026-06-01T00:00:00Z')); // 55 years, 2 months out
    expect(rows[1]?.[13]).toBe('Đảng bộ xã Tân Lập');
  });

  it('says what is wrong', async () => {
    clear();
    const file = path.join(dir, 'x.xlsx');
    expect(
      await exportCli.run(['badges', '--occasion', '02/09/2026', '--unit', 'ZZ', '--out', file], ctx()),
    ).toBe(1);
    expect(lines.err).toEqual(['Không có đơn vị mã «ZZ». Đồng chí kiểm tra lại mã đơn vị.']);
    await expect(exportCli.run(['badges', '--out', file], ctx())).rejects.toBeInstanceOf(UsageError);
  });
});

describe('targets set', () => {
  it('sets a target and refuses bad numbers', async () => {
    clear();
    expect(
      await targetsCli.run(['set', '--unit', 'XA', '--year', '2026', '--new-members', '15'], ctx()),
    ).toBe(0);
    expect(lines.out).toEqual(['Đã đặt chỉ tiêu kết nạp năm 2026 của Đảng bộ xã Tân Lập: 15 đảng viên mới.']);
    const dev = await services.members.development('cli', { unit: 'XA', year: '2026' });
    expect(dev.ok && dev.value.target).toBe(15);
    clear();
    expect(
      await targetsCli.run(['set', '--unit', 'XA', '--year', '2026', '--new-members', 'mười'], ctx()),
    ).toBe(1);
    expect(lines.err[0]).toContain('Chỉ tiêu «mười» không phải số nguyên không âm.');
    await expect(targetsCli.run(['set', '--unit', 'XA'], ctx())).rejects.toBeInstanceOf(UsageError);
  });
});
