/**
 * What the fuzz types and sends: hostile fragments (emoji whole and cut in half, right-to-left
 * marks, joiners, HTML, 5,000 characters, key-like unit codes, impossible months), plausible
 * values for each command and dialog question, forms built from the real labels (the meeting
 * vocabulary and the congress catalogue), and files.
 */
import { MEETING_LABEL_ALIASES, MEETING_LABELS } from '../../src/domain/meetings/vocabulary.js';
import { addDays, formatVnDate, type IsoDate } from '../../src/domain/vn.js';
import { msg } from '../../src/messages/index.js';
import type { UserFile } from '../../src/sandbox/emulator.js';
import type { Random } from './random.js';

/** What the inputs are built from: the day, the tree, what the bot handed out. */
export interface Context {
  today: IsoDate;
  units: readonly string[];
  inviteCodes: readonly string[];
  personIds: readonly number[];
}

const FAMILY = '👨‍👩‍👧‍👦';
/** Pieces that have broken bots: each alone, or glued together. */
export const HOSTILE_PIECES: readonly string[] = [
  '😀',
  FAMILY,
  '🇻🇳',
  'Đảng 🎉 bộ',
  '\uD83D', // the first half of an emoji
  'abc\uD83D',
  '\uDE00x', // the second half alone
  `${FAMILY.slice(0, 3)}`, // an emoji sequence cut inside
  '\u202Eabc', // right-to-left override
  '\u200F',
  '\u200D',
  '\u200B\u200C',
  'e\u0301\u0323', // stacked combining marks
  '<a href="https://evil.example/">bấm vào đây</a>',
  '<',
  '&',
  '<b>đậm',
  '</i>',
  '&amp;&lt;',
  '<script>alert(1)</script>',
  '=HYPERLINK("https://evil.example","bấm")',
  'BP1:children',
  'TDP01:*',
  'cb:unit:PHA',
  '../../etc/passwd',
  '2025-13',
  '13/2025',
  '00/0000',
  '31/02/2025',
  '9000000000000',
  '-1',
  '1e9',
  'NaN',
  '٣٤',
  '\t',
  '\n\n',
  '   ',
  '🏳️‍🌈'.repeat(3),
];

/** A hostile string: a few pieces, or one of them repeated to about `length` characters. */
export function hostile(r: Random, length?: number): string {
  if (length !== undefined || r.chance(0.12)) {
    const target = length ?? r.pick([4_097, 5_000, 4_100]);
    const unit = r.pick(['ạ', '😀', 'a ', FAMILY, '<', '&', 'Đ\u0301']);
    let out = '';
    while (out.length < target) out += unit;
    // A cut on a code unit, like the bugs this looks for: it may leave half an emoji.
    return r.chance(0.5) ? out.substring(0, target) : out;
  }
  const n = r.between(1, 3);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(r.pick(HOSTILE_PIECES));
  return parts.join(r.pick(['', ' ', '\n']));
}

function dateAround(r: Random, ctx: Context, spread = 40): string {
  return formatVnDate(addDays(ctx.today, r.between(-spread, spread)));
}

/** A day that has passed: this month's (up to today) or, less often, last month's. */
function pastDate(r: Random, ctx: Context): string {
  const day = Number(ctx.today.slice(8, 10));
  return formatVnDate(addDays(ctx.today, -r.int(r.chance(0.75) ? day : day + 28)));
}

function month(r: Random, ctx: Context): string {
  const [y, m] = ctx.today.split('-').map(Number) as [number, number];
  const back = r.between(0, 14);
  const mm = ((m - 1 - back + 120) % 12) + 1;
  const yy = y - Math.floor((back - (m - 1) + 11) / 12);
  return `${String(mm).padStart(2, '0')}/${yy}`;
}

function unit(r: Random, ctx: Context): string {
  return r.chance(0.85) && ctx.units.length > 0
    ? r.pick(ctx.units)
    : r.pick(['BP1:children', 'XYZ', 'pha', '*']);
}

/** Plausible arguments for a command (valid or nearly), or hostile ones. */
export function commandArgs(r: Random, command: string, ctx: Context): string {
  if (r.chance(0.3)) return hostile(r);
  if (r.chance(0.25)) return '';
  switch (command) {
    case 'start':
      return r.chance(0.7) && ctx.inviteCodes.length > 0
        ? r.pick(ctx.inviteCodes)
        : r.pick(['abc', 'A'.repeat(64), 'inv_0000', '-']);
    case 'lich':
      return `${dateAround(r, ctx)} ${r.pick(['19:30', '8:00', '19h30', '25:61', ''])}`.trim();
    case 'sinhhoat':
    case 'sinhhoat_tiendo':
    case 'xuat':
      return r.pick([month(r, ctx), month(r, ctx), '2025-13', '13/2025', '0/2025', 'thang nay']);
    case 'caidat_sinhhoat':
      return [
        r.chance(0.6) ? unit(r, ctx) : '',
        `ngay=${r.pick(['1', '3', '15', '31', '0', '40', 'x'])}`,
        r.chance(0.6) ? `han=${r.pick(['5', '10', '0', '99'])}` : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'canbo':
    case 'tiendo':
      return unit(r, ctx);
    case 'moi':
      return `${r.chance(0.2) ? 'tatca' : unit(r, ctx)} ${r.pick(['bithu', 'phobithu', 'lanhdao', 'admin', ''])}`.trim();
    case 'tomtat':
      return r.pick(['gio 18:30', 'gio 6:00', 'gio 25:99', 'tat_bieudo', 'bat_bieudo', 'gio']);
    case 'nhomlanhdao':
      return r.pick(['', 'xoa', unit(r, ctx)]);
    case 'thongbao_tinhtrang':
      return r.pick(['1', '2', '0', 'abc', '99999999999999999999']);
    default:
      return r.chance(0.5) ? unit(r, ctx) : String(r.int(100));
  }
}

/** An answer to whatever the bot asked: a date, a number, a choice, a name, or something hostile. */
export function answer(r: Random, ctx: Context): string {
  return r.weighted<() => string>([
    [() => dateAround(r, ctx), 3],
    [() => String(r.between(0, 40)), 4],
    [() => r.pick(['có', 'không', 'không áp dụng', 'co', 'KHONG']), 2],
    [
      () =>
        r.pick(['thường kỳ', 'chuyên đề', 'thường kỳ + chuyên đề', 'bầu cử', '3 nội dung', 'không bầu cử']),
      2,
    ],
    [() => r.pick(['19:30', '18:30', month(r, ctx)]), 1],
    [
      () =>
        r.pick(['Quán triệt nghị quyết', 'Đ/c Trần Thị Mai', 'Thông báo họp chi bộ', 'Kế hoạch số 74-KH/ĐU']),
      2,
    ],
    [() => r.pick(['Hủy', 'huy', '/huy', 'bỏ qua', '-']), 1],
    [() => hostile(r), 3],
  ])();
}

const meetingLabel = (r: Random, key: keyof typeof MEETING_LABELS): string =>
  r.chance(0.85) ? MEETING_LABELS[key] : r.pick(MEETING_LABEL_ALIASES[key]);

/** A meeting report form from the real labels: often consistent, sometimes broken. */
export function meetingForm(r: Random, ctx: Context): string {
  // The smallest demo branch has 7 members: up to 8 fits every branch's record.
  const members = r.between(5, 8);
  const exempt = r.between(0, 1);
  const withReason = r.between(0, 2);
  const without = r.between(0, 1);
  const consistent = r.chance(0.6);
  const present = consistent ? members - exempt - withReason - without : r.between(0, 50);
  const value = (normal: string) => (r.chance(consistent ? 0.03 : 0.25) ? hostile(r) : normal);
  // A consistent form picks only values the rules accept; the others pick from anything.
  const either = (good: readonly string[], any: readonly string[]) => r.pick(consistent ? good : any);
  const types = ['thường kỳ', 'chuyên đề', 'thường kỳ + chuyên đề'];
  const fields: [keyof typeof MEETING_LABELS, string][] = [
    ['date', value(consistent ? pastDate(r, ctx) : dateAround(r, ctx, 25))],
    ['type', value(either(types, [...types, 'họp']))],
    ['duration', value(either(['90', '120', '75', '180'], ['0', '9000000000000', '90 phút', '2 giờ']))],
    ['members', value(String(members))],
    ['exempt', value(String(exempt))],
    ['present', value(String(present))],
    [
      'absentWithReason',
      value(`${withReason}${withReason === 1 && r.chance(0.5) ? ' (Nguyễn Văn A - ốm)' : ''}`),
    ],
    ['absentWithoutReason', value(String(without))],
    [
      'content',
      value(r.chance(consistent ? 0 : 0.1) ? hostile(r, 5_000) : 'Quán triệt nghị quyết của Đảng ủy phường'),
    ],
    ['upperAttendee', value(r.pick(['', 'không', 'Đ/c Trần Thị Mai', '<a href="x">Đ/c A</a>']))],
  ];
  const lines = fields
    .filter(() => consistent || r.chance(0.9))
    .map(([key, v]) => `${meetingLabel(r, key)}${r.pick([': ', ':', ' : '])}${v}`);
  if (r.chance(0.1)) lines.push(`${MEETING_LABELS.present}: ${r.between(0, 9)}`);
  if (r.chance(0.1)) lines.push(hostile(r));
  return (r.chance(0.2) ? shuffle(r, lines) : lines).join('\n');
}

/** A congress result form from the catalogue's labels. */
export function congressForm(r: Random, ctx: Context): string {
  const l = msg.congress.labels;
  const summoned = r.between(5, 7);
  const elected = r.between(1, 3);
  const consistent = r.chance(0.6);
  const value = (normal: string) => (r.chance(consistent ? 0.03 : 0.25) ? hostile(r) : normal);
  const election = !consistent || r.chance(0.8);
  const either = (good: readonly string[], any: readonly string[]) => r.pick(consistent ? good : any);
  const fields: [string, string][] = [
    [l.date, value(consistent ? pastDate(r, ctx) : dateAround(r, ctx, 25))],
    [
      l.format,
      value(
        either(election ? ['bầu cử'] : ['3 nội dung', 'không bầu cử'], [
          'bầu cử',
          '3 nội dung',
          '2 nội dung',
          'bầu',
        ]),
      ),
    ],
    [l.summoned, value(String(summoned))],
    [l.present, value(String(consistent ? summoned - r.between(0, 1) : r.between(0, 60)))],
    [l.elected, value(String(election ? elected : 0))],
    [l.reElected, value(String(consistent ? (election ? elected - 1 : 0) : r.between(0, 9)))],
    [l.women, value(String(consistent ? (election ? 1 : 0) : r.between(0, 9)))],
    [l.young, value(String(consistent ? 0 : r.between(0, 9)))],
    [l.minority, value('0')],
    [l.secretaryDirect, value(either(election ? ['có', 'không'] : ['không'], ['có', 'không', 'x']))],
    [
      l.secretaryIsHead,
      value(either(['có', 'không', 'không áp dụng'], ['có', 'không', 'không áp dụng', '?'])),
    ],
    [
      l.deputy,
      value(
        either(election ? (elected >= 2 ? ['có', 'không'] : ['không']) : ['không áp dụng'], [
          'có',
          'không',
          'không áp dụng',
        ]),
      ),
    ],
  ];
  if (r.chance(0.2)) fields.push([l.note, value(r.chance(0.2) ? hostile(r, 5_000) : 'Đại hội thành công')]);
  const lines = fields.filter(() => consistent || r.chance(0.9)).map(([k, v]) => `${k}: ${v}`);
  return (r.chance(0.2) ? shuffle(r, lines) : lines).join('\n');
}

function shuffle<T>(r: Random, items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const CSV_HEADER = 'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên';
let hugeFile: Buffer | undefined;
let bigCsv: Buffer | undefined;

/** A file a person sends: a unit CSV (valid, broken or hostile), something else, or a huge one. */
export function file(r: Random, ctx: Context, serial: number): UserFile {
  return r.weighted<() => UserFile>([
    [() => unitsCsv(r, ctx, serial), 6],
    [
      () => ({
        name: r.pick(['anh.png', 'bao-cao.xlsx', 'danh sach.csv', 'x']),
        content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0xfe]),
        mime: r.pick(['image/png', 'application/octet-stream', 'text/csv']),
      }),
      2,
    ],
    [
      () => ({
        name: 'rong.csv',
        content: Buffer.from(r.pick(['', '\uFEFF', CSV_HEADER, '"', 'a,b\n"c'])),
        mime: 'text/csv',
      }),
      1,
    ],
    [
      () => {
        bigCsv ??= Buffer.from(
          `${CSV_HEADER}\n${Array.from({ length: 20_000 }, (_, i) => `Z${i},Chi bộ ${i},chi_bo,khac,Z${i + 1},9`).join('\n')}`,
        );
        return { name: 'lon.csv', content: bigCsv, mime: 'text/csv' };
      },
      0.3,
    ],
    [
      () => {
        hugeFile ??= Buffer.alloc(11 * 1024 * 1024, 0x41);
        return { name: 'qua-lon.csv', content: hugeFile, mime: 'text/csv' };
      },
      0.1,
    ],
  ])();
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function unitsCsv(r: Random, ctx: Context, serial: number): UserFile {
  const rows = [CSV_HEADER];
  const n = r.between(1, 4);
  for (let i = 0; i < n; i++) {
    const code = r.chance(0.8) ? `FZ${serial}${i}` : r.pick(['BP1:children', 'TDP01', '', 'a b', '=1+1']);
    const name = r.chance(0.6)
      ? r.pick([
          `Chi bộ ${code}`,
          '=HYPERLINK("https://evil.example","Bấm")',
          '<a href="https://evil.example/">Chi bộ</a>',
          `Chi bộ 😀${FAMILY} <b>`,
          '\u202EChi bộ',
          'Chi bộ & Đoàn',
        ])
      : hostile(r);
    const parent = r.chance(0.85) ? r.pick(['PHA', ...ctx.units.slice(0, 5)]) : r.pick(['', 'NOPE', code]);
    const level = r.pick(['chi_bo', 'Chi bộ', 'dang_bo_bo_phan', 'xyz']);
    const kind = r.pick(['khac', 'to_dan_pho', 'Trường học', '']);
    const members = r.pick(['9', '0', '25', '-3', '9000000000000', 'x']);
    rows.push([code, name, level, kind, parent, members].map(csvCell).join(','));
  }
  return {
    name: r.pick(['don-vi.csv', 'units.CSV', 'Danh sách.csv']),
    content: Buffer.from(rows.join(r.pick(['\n', '\r\n']))),
    mime: r.pick(['text/csv', 'text/plain', 'application/vnd.ms-excel']),
  };
}
