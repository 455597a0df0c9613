/**
 * The demo ward's member register: each branch gets as many đảng viên as its declared size
 * (7 to 41, about 20 on average), so the register, the congress form and the meeting form agree.
 * Standing is spread over sixty years; exactly seven members are due for Huy hiệu Đảng at the
 * next occasion after "today", spread over the branches; TDP01 has one probationary member
 * overdue for chuyển chính thức and one due within weeks, and a few others are still in their
 * probation; the ward has a target of new members for the year.
 *
 * The register goes in as a CSV file through the same validation and store as an admin's import.
 */
import type { Redis } from 'ioredis';
import { toCsv } from '../domain/csv.js';
import { MEMBER_COLUMNS, MEMBER_HEADERS, validateMemberCsv } from '../domain/members/memberCsv.js';
import {
  addMonths,
  milestoneDueAt,
  occasionOnOrAfter,
  previousOccasion,
} from '../domain/members/standing.js';
import { addDays, formatVnDate, type IsoDate } from '../domain/vn.js';
import { MemberStore } from '../store/members.js';

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Vũ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE = {
  male: ['Văn', 'Đức', 'Minh', 'Quốc', 'Hữu', 'Công'],
  female: ['Thị', 'Thu', 'Ngọc', 'Thanh', 'Kim'],
};
const GIVEN = {
  male: [
    'An',
    'Bình',
    'Cường',
    'Dũng',
    'Hải',
    'Hùng',
    'Khoa',
    'Long',
    'Nam',
    'Phong',
    'Quang',
    'Sơn',
    'Thắng',
    'Tuấn',
    'Việt',
  ],
  female: [
    'Anh',
    'Chi',
    'Dung',
    'Hà',
    'Hạnh',
    'Hoa',
    'Hương',
    'Lan',
    'Liên',
    'Mai',
    'Nga',
    'Oanh',
    'Thảo',
    'Trang',
    'Yến',
  ],
};
const ETHNICITIES = ['Kinh', 'Kinh', 'Kinh', 'Kinh', 'Kinh', 'Kinh', 'Tày', 'Mường', 'Hoa', 'Nùng'];
/** Branch index → the milestone one of its members reaches just before the next occasion. */
const DUE: ReadonlyMap<number, number> = new Map([
  [0, 30],
  [2, 40],
  [4, 45],
  [7, 50],
  [10, 30],
  [13, 60],
  [17, 70],
]);

/** A small deterministic generator, so every sandbox gets the same ward. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

interface DemoMember {
  branch: string;
  fullName: string;
  birthDate: IsoDate;
  gender: 'Nam' | 'Nữ';
  ethnicity: string;
  joined: IsoDate;
  officialSince: IsoDate | null;
  card: string;
  interrupted: number;
}

/** The register of one branch of `size` members. */
function branchMembers(code: string, i: number, size: number, today: IsoDate): DemoMember[] {
  const random = generator(1000 + i);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const next = occasionOnOrAfter(today);
  const windowStart = addDays(previousOccasion(next), 1);
  const out: DemoMember[] = [];
  const names = new Set<string>();
  for (let k = 0; k < size; k++) {
    const female = random() < 0.4;
    let fullName = '';
    while (fullName === '' || names.has(fullName)) {
      fullName = `${pick(FAMILY)} ${pick(female ? MIDDLE.female : MIDDLE.male)} ${pick(female ? GIVEN.female : GIVEN.male)}`;
    }
    names.add(fullName);
    const interrupted = random() < 0.06 ? 6 * (1 + Math.floor(random() * 3)) : 0;
    let joined: IsoDate;
    let probationary = false;
    const due = k === 0 ? DUE.get(i) : undefined;
    if (due !== undefined) {
      // Reaches the milestone within the days before the next occasion.
      const reached = addDays(windowStart, Math.floor(random() * 20));
      joined = addMonths(reached, -(12 * due + interrupted));
    } else if (i === 0 && k === 1) {
      joined = addMonths(today, -14); // probation ended two months ago
      probationary = true;
    } else if (i === 0 && k === 2) {
      joined = addDays(addMonths(today, -12), 25); // probation ends in 25 days
      probationary = true;
    } else if (k === size - 1 && i % 4 === 1) {
      joined = addDays(today, -30 - Math.floor(random() * 200)); // admitted this year or last
      probationary = true;
    } else {
      joined = addDays(today, -Math.floor(365 * (4 + random() * 56)));
      // Nobody else due at the next occasion, so the demo shows exactly the seven above.
      if (milestoneDueAt({ joined, interruptedMonths: interrupted }, next) !== undefined) {
        joined = addMonths(joined, 4);
      }
    }
    const ageAtJoining = 20 + Math.floor(random() * 18);
    out.push({
      branch: code,
      fullName,
      birthDate: addDays(addMonths(joined, -12 * ageAtJoining), -Math.floor(random() * 300)),
      gender: female ? 'Nữ' : 'Nam',
      ethnicity: pick(ETHNICITIES),
      joined,
      officialSince: probationary ? null : addMonths(joined, 12 + interrupted),
      card: String(52_000_000 + i * 1000 + k),
      interrupted: probationary ? 0 : interrupted,
    });
  }
  return out;
}

/** The demo register as a file an admin could have sent, Vietnamese headers. */
export function demoRegisterCsv(branches: readonly (readonly [string, number])[], today: IsoDate): string {
  const rows = branches.flatMap(([code, size], i) => branchMembers(code, i, size, today));
  return toCsv([
    MEMBER_COLUMNS.map((c) => MEMBER_HEADERS[c][1]),
    ...rows.map((m) => [
      m.branch,
      m.fullName,
      formatVnDate(m.birthDate),
      m.gender,
      m.ethnicity,
      formatVnDate(m.joined),
      m.officialSince ? formatVnDate(m.officialSince) : '',
      m.card,
      m.interrupted ? String(m.interrupted) : '',
    ]),
  ]);
}

/** Loads the register of the demo branches, and a target of new members for the ward this year. */
export async function loadDemoRegister(
  redis: Redis,
  opts: { root: string; branches: readonly (readonly [string, number])[]; today: IsoDate; now: number },
): Promise<number> {
  const codes = new Set(opts.branches.map(([code]) => code));
  const checked = validateMemberCsv(demoRegisterCsv(opts.branches, opts.today), {
    branches: (code) => (codes.has(code) ? 'branch' : 'unknown'),
    today: opts.today,
  });
  if (!checked.ok) throw new Error(`demo register invalid: ${JSON.stringify(checked.errors.slice(0, 3))}`);
  const store = new MemberStore(redis);
  const imported = await store.importMembers(checked.rows, { actor: 'demo', now: opts.now });
  if (!imported.ok) throw new Error('demo register could not be imported');
  await store.setTarget(opts.root, Number(opts.today.slice(0, 4)), 12, { actor: 'demo', now: opts.now });
  return imported.created.length;
}
