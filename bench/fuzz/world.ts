/**
 * Who the fuzz acts as, and what they start with: the sandbox's demo ward (a committee with 20
 * branches, an open congress round, last month's meetings; `src/sandbox/demo.ts`) plus people
 * for the roles it lacks (a deputy, a secretary of two branches, a leader of two scopes, an
 * admin by configuration only, people with no role) and two groups. Several Telegram names are
 * hostile on purpose: HTML, emoji, right-to-left marks, a name that runs to the limit.
 */
import type { Redis } from 'ioredis';
import type { Role } from '../../src/domain/units.js';
import type { Logger } from '../../src/logger.js';
import { DEMO_PEOPLE, loadDemo } from '../../src/sandbox/demo.js';
import type { BotApiEmulator, EmuGroup, EmuUser } from '../../src/sandbox/emulator.js';
import { PeopleStore } from '../../src/store/people.js';
import { UnitStore } from '../../src/store/units.js';

export type RoleName = 'unbound' | 'secretary' | 'deputy' | 'leader' | 'admin';

export interface Person extends EmuUser {
  /** The role the person starts with (invites and revocations may change it during the run). */
  role: RoleName;
}

/** The admin named in ADMIN_IDS only (no role record). */
export const CONFIGURED_ADMIN = 1401;

/** Telegram names that have broken bots before. */
const HOSTILE_NAMES: Record<number, Pick<EmuUser, 'first_name' | 'last_name'>> = {
  1102: { first_name: 'Phạm <b>Thị', last_name: 'Hoa 😀' },
  1104: { first_name: 'Vũ & Thị', last_name: '<Lan>' },
};

const EXTRA: (Person & { grants: Role[] })[] = [
  {
    id: 1201,
    first_name: '<a href="https://evil.example/">Văn phòng: bấm để xác nhận</a>',
    role: 'deputy',
    grants: [{ kind: 'deputy', unit: 'TDP01' }],
  },
  {
    id: 1202,
    first_name: 'Lê 👨‍👩‍👧 Thị',
    last_name: 'Hạnh 🇻🇳',
    role: 'secretary',
    grants: [
      { kind: 'secretary', unit: 'TH' },
      { kind: 'secretary', unit: 'MN' },
    ],
  },
  {
    id: 1203,
    first_name: '\u202Eنور',
    last_name: 'Trần\u200F',
    role: 'leader',
    grants: [
      { kind: 'leader', unit: 'TDP05' },
      { kind: 'leader', unit: 'CA' },
    ],
  },
  {
    id: 1204,
    first_name: 'Đỗ Văn',
    last_name: 'Kiên',
    role: 'deputy',
    grants: [
      { kind: 'deputy', unit: 'TDP02' },
      { kind: 'secretary', unit: 'TDP03' },
    ],
  },
  { id: 1301, first_name: 'Người lạ <', role: 'unbound', grants: [] },
  { id: 1302, first_name: 'A&B 🇻🇳', last_name: '\u200D', role: 'unbound', grants: [] },
  {
    id: CONFIGURED_ADMIN,
    // An emoji across the 60th character: a cut with slice() would split it.
    first_name: 'Quản trị hệ thống, Văn phòng Đảng ủy phường Hòa An, tổ hợp 😀😀 thêm',
    role: 'admin',
    grants: [],
  },
];

export const GROUPS: EmuGroup[] = [
  { id: -1001, title: 'Nhóm lãnh đạo phường', memberIds: [1001, 1002, 1003, 1301, CONFIGURED_ADMIN] },
  {
    id: -1001000000002,
    title: 'Chi bộ TDP01 & bạn <i>',
    memberIds: [1101, 1201, 1302, 1202, 1203],
  },
];

function roleName(role: (typeof DEMO_PEOPLE)[number]['role']): RoleName {
  return role === 'admin' ? 'admin' : role.kind;
}

/** Everyone the fuzz acts as. */
export function cast(): Person[] {
  const demo: Person[] = DEMO_PEOPLE.map((p) => ({
    id: p.id,
    first_name: p.first_name,
    last_name: p.last_name,
    ...HOSTILE_NAMES[p.id],
    role: roleName(p.role),
  }));
  return [...demo, ...EXTRA.map(({ grants: _grants, ...p }) => p)];
}

/** Loads the ward and the extra roles into an empty database, and the people and groups into the emulator. */
export async function seedWorld(
  redis: Redis,
  emulator: BotApiEmulator,
  opts: { now: number; timezone: string; log: Logger },
): Promise<Person[]> {
  if (!(await loadDemo(redis, opts))) throw new Error('the fuzz needs an empty database');
  const people = new PeopleStore(redis, { adminIds: [CONFIGURED_ADMIN] });
  for (const p of EXTRA) for (const role of p.grants) await people.grantRole(p.id, role, 'fuzz', opts.now);
  const everyone = cast();
  for (const p of everyone) {
    const { role: _role, ...user } = p;
    emulator.addUser(user);
  }
  for (const g of GROUPS) emulator.addGroup(g);
  return everyone;
}

/** The unit codes in the tree now (imports during the run add some). */
export async function unitCodes(redis: Redis): Promise<string[]> {
  return (await new UnitStore(redis).all()).map((u) => u.code);
}
