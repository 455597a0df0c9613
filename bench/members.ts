/**
 * The member register at province scale: what a member costs in Redis, `badges list` for the
 * whole province, and one branch's list (/dangvien).
 *
 * For each size MEMBERS:BRANCHES (default 100000:6000 and 5000000:300000), on its own redis-server:
 *   1. imports the tree (province → communes of 500 branches) through `UnitStore.importUnits`;
 *   2. imports the members through `MemberStore.importMembers`, a commune's worth of rows per
 *      call (all or nothing each), with Vietnamese names, branches of 40% to 160% of the mean
 *      size, 70% with a card, 3% with interrupted months, 3% probationary, and standing spread
 *      as 60% under 30 years, 30% 30 to 50 years, 10% 50 to 75 years;
 *   3. reads INFO `used_memory` before and after step 2: the delta over the members is everything
 *      a member costs (record, id and card lookups, anchor index, probation set, counters, the
 *      import's audit entries), plus a MEMORY USAGE sample of the parts;
 *   4. times `MemberService.badges` for the whole province at the next occasion after "today",
 *      with the CSV `badges list` prints: 1 warm-up, then 9 timed runs (median, min, max), and the
 *      CPU time one run costs this process and the Redis server (on a shared machine the wall
 *      time says more about the neighbours than about the code);
 *   5. times the badge list of one commune (500 branches, read whole) and `MemberService.branch`
 *      for random branches (200 runs, median and p95);
 *   6. for sizes up to MEMBERS_VERIFY (default 200,000 members) checks that the province list
 *      from the index equals the list from reading every branch.
 *
 * One JSON line per size on stdout; progress on stderr. MEMBERS_SIZES="members:branches,…".
 * With MEMBERS_DATA_DIR the Redis data is kept there (compacted after the import); a later run
 * on the same directory and size skips steps 1 to 3 and measures again (`reused: true`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { badgeCsv } from '../src/domain/members/badgeList.js';
import type { MemberInput } from '../src/domain/members/member.js';
import type { MemberRow } from '../src/domain/members/memberCsv.js';
import { addMonths, occasionOnOrAfter } from '../src/domain/members/standing.js';
import type { Unit } from '../src/domain/units.js';
import { addDays, formatVnDate, type IsoDate } from '../src/domain/vn.js';
import { ManualClock } from '../src/infra/clock.js';
import { startEmbeddedRedis } from '../src/infra/embeddedRedis.js';
import { DeliveryStore } from '../src/outbox/deliveries.js';
import { MemberChat, MemberService } from '../src/services/members/index.js';
import { Organisation, type Viewer } from '../src/services/organisation.js';
import { InviteStore } from '../src/store/invites.js';
import { MemberStore } from '../src/store/members.js';
import { PeopleStore } from '../src/store/people.js';
import { UnitStore } from '../src/store/units.js';

const SIZES = (process.env.MEMBERS_SIZES ?? '100000:6000,5000000:300000').split(',').map((s) => {
  const [members, branches] = s.split(':').map(Number);
  return { members: members!, branches: branches! };
});
const VERIFY_UP_TO = Number(process.env.MEMBERS_VERIFY ?? 200_000);
const BRANCHES_PER_COMMUNE = 500;
const TIMEZONE = 'Asia/Ho_Chi_Minh';
const TODAY: IsoDate = '2026-07-15';
const ADMIN: Viewer = { id: 1, roles: [{ kind: 'admin' }] };

const compactDay = (d: IsoDate) => d.replace(/-/g, '');
const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Vũ',
  'Võ',
  'Phan',
  'Trương',
  'Bùi',
  'Đặng',
  'Đỗ',
  'Ngô',
  'Hồ',
  'Dương',
];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Thanh', 'Ngọc', 'Quốc', 'Thu', 'Xuân', 'Hồng', 'Công'];
const GIVEN = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Hương',
  'Hạnh',
  'Hùng',
  'Lan',
  'Linh',
  'Mai',
  'Nam',
  'Nga',
  'Phương',
  'Quang',
  'Thảo',
  'Thắng',
  'Trang',
  'Tuấn',
  'Việt',
  'Yến',
  'Khánh',
  'Nhung',
  'Đức',
  'Hải',
];
const ETHNICITIES = [
  'Kinh',
  'Kinh',
  'Kinh',
  'Kinh',
  'Kinh',
  'Kinh',
  'Kinh',
  'Tày',
  'Thái',
  'Mường',
  'Khmer',
  'Hoa',
  'Nùng',
  'Ê Đê',
];

/** Deterministic pseudo-random numbers in [0, 1). */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Tree {
  units: Unit[];
  /** Branch codes by commune, in order. */
  communes: { code: string; branches: string[] }[];
}

function buildTree(branches: number): Tree {
  const units: Unit[] = [
    { code: 'P', name: 'Đảng bộ tỉnh', level: 'dang_bo', kind: null, parent: null, members: 0 },
  ];
  const communes: Tree['communes'] = [];
  const count = Math.max(1, Math.round(branches / BRANCHES_PER_COMMUNE));
  for (let c = 0; c < count; c++) {
    const code = `X${String(c + 1).padStart(4, '0')}`;
    units.push({
      code,
      name: `Đảng bộ xã ${c + 1}`,
      level: 'dang_bo_co_so',
      kind: null,
      parent: 'P',
      members: 0,
    });
    const own: string[] = [];
    for (let i = Math.floor((c * branches) / count); i < Math.floor(((c + 1) * branches) / count); i++) {
      const b = `CB${String(i + 1).padStart(6, '0')}`;
      units.push({
        code: b,
        name: `Chi bộ thôn ${i + 1}`,
        level: 'chi_bo',
        kind: 'thon',
        parent: code,
        members: 0,
      });
      own.push(b);
    }
    communes.push({ code, branches: own });
  }
  return { units, communes };
}

/** Members of each branch: 40% to 160% of the mean, adding up to `total`. */
function branchSizes(total: number, branches: number): number[] {
  const random = generator(7);
  const mean = total / branches;
  const sizes = Array.from({ length: branches }, () =>
    Math.max(1, Math.round(mean * (0.4 + 1.2 * random()))),
  );
  let diff = total - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % branches) {
    if (diff > 0) {
      sizes[i]!++;
      diff--;
    } else if (sizes[i]! > 1) {
      sizes[i]!--;
      diff++;
    }
  }
  return sizes;
}

/** One member, from a generator: names, standing and the rest as described above. */
function member(branch: string, random: () => number, serial: number): MemberInput {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const r = random();
  const years = r < 0.6 ? 1 + random() * 29 : r < 0.9 ? 30 + random() * 20 : 50 + random() * 25;
  const probationary = random() < 0.03;
  const joined = probationary
    ? addDays(TODAY, -Math.floor(random() * 420))
    : addDays(TODAY, -Math.floor(years * 365.25));
  const interruptedMonths = !probationary && years > 3 && random() < 0.03 ? 6 + Math.floor(random() * 19) : 0;
  return {
    branch,
    fullName: `${pick(FAMILY)} ${pick(MIDDLE)} ${random() < 0.4 ? `${pick(MIDDLE)} ` : ''}${pick(GIVEN)}`,
    birthDate: addDays(
      addMonths(joined, -12 * (18 + Math.floor(random() * 22))),
      -Math.floor(random() * 365),
    ),
    gender: random() < 0.35 ? 'female' : 'male',
    ethnicity: pick(ETHNICITIES),
    joined,
    officialSince: probationary ? null : addMonths(joined, 12),
    cardNumber: random() < 0.7 ? String(10_000_000 + serial) : null,
    interruptedMonths,
  };
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

/** CPU time the Redis server has used so far (user and system), in ms. */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** Steps 1 to 3: the tree, the members, and what they cost in memory. */
async function importAll(
  redis: Redis,
  store: MemberStore,
  units: UnitStore,
  tree: Tree,
  size: { members: number; branches: number },
  clock: ManualClock,
  label: string,
): Promise<Record<string, unknown>> {
  let t = Date.now();
  const imported = await units.importUnits(tree.units, 'bench', clock.now());
  if (!imported.ok) throw new Error(`tree import failed: ${imported.errors[0]?.problem}`);
  log(`${label} imported ${tree.units.length} units in ${round((Date.now() - t) / 1000)} s`);

  // 2. Members, a commune at a time.
  const sizes = branchSizes(size.members, size.branches);
  const random = generator(42);
  const before = await usedMemory(redis);
  t = Date.now();
  let serial = 0;
  let branchIndex = 0;
  for (const [c, commune] of tree.communes.entries()) {
    const rows: MemberRow[] = [];
    for (const b of commune.branches) {
      const n = sizes[branchIndex++]!;
      for (let k = 0; k < n; k++) rows.push({ line: rows.length + 2, member: member(b, random, serial++) });
    }
    const r = await store.importMembers(rows, { actor: 'bench', now: clock.now() });
    if (!r.ok) throw new Error(`member import failed: ${JSON.stringify(r.errors.slice(0, 2))}`);
    if ((c + 1) % 50 === 0) log(`${label}   ${serial} members…`);
  }
  const importS = (Date.now() - t) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = await usedMemory(redis);
  log(`${label} imported ${serial} members in ${round(importS)} s (${Math.round(serial / importS)}/s)`);

  // 3. A sample of the parts.
  const sample = Array.from(
    { length: 200 },
    (_, i) => `CB${String(1 + Math.floor((i * size.branches) / 200)).padStart(6, '0')}`,
  );
  const usage = async (key: string) =>
    Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
  let branchBytes = 0;
  let branchMembers = 0;
  let countsBytes = 0;
  for (const b of sample) {
    branchBytes += await usage(`cb:reg:b:${b}`);
    branchMembers += (await store.branch(b)).length;
    countsBytes += await usage(`cb:reg:n:${b}`);
  }
  const days = Array.from(
    { length: 200 },
    (_, i) => `cb:reg:anchor:${compactDay(addDays(TODAY, -37 * (i + 1)))}`,
  );
  let anchorBytes = 0;
  let anchorEntries = 0;
  for (const key of days) {
    anchorBytes += await usage(key);
    anchorEntries += await redis.llen(key);
  }
  const cardKeys = Array.from({ length: 200 }, (_, i) => `cb:reg:card:${i * 601}`);
  let cardBytes = 0;
  let cards = 0;
  for (const key of cardKeys) {
    cardBytes += await usage(key);
    cards += await redis.hlen(key);
  }
  const locBytes = await usage('cb:reg:loc:100');
  const probationBytes = await usage('cb:reg:probation');
  const probationers = await redis.zcard('cb:reg:probation');
  const keys = await redis.dbsize();

  return {
    redis_bytes_per_member: Math.round((after - before) / serial),
    memory_method: 'INFO used_memory delta over importing the members / members',
    sampled_bytes_per_member: {
      branch_register: round(branchBytes / branchMembers),
      branch_counters: round(countsBytes / branchMembers),
      badge_entry: round(anchorBytes / Math.max(1, anchorEntries)),
      card_lookup_per_card: round(cardBytes / Math.max(1, cards)),
      id_lookup: round(locBytes / 128),
      probation_set_per_probationer: round(probationBytes / Math.max(1, probationers)),
    },
    redis_keys: keys,
    import_s: round(importS),
    import_members_per_s: Math.round(serial / importS),
  };
}

/** Compacts the AOF so a later run loads the kept data quickly. */
async function compact(redis: Redis): Promise<void> {
  await redis.bgrewriteaof();
  while (/aof_rewrite_in_progress:1|aof_rewrite_scheduled:1/.test(await redis.info('persistence'))) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function measure(
  redis: Redis,
  size: { members: number; branches: number },
  keep: boolean,
): Promise<Record<string, unknown>> {
  const reused = keep && (await redis.get('cb:reg:seq')) === String(size.members);
  if (!reused) await redis.flushall();
  const clock = new ManualClock(Date.parse(`${TODAY}T03:00:00Z`));
  const units = new UnitStore(redis);
  const store = new MemberStore(redis);
  const org = new Organisation(
    units,
    new PeopleStore(redis, { adminIds: [ADMIN.id] }),
    new InviteStore(redis),
    new DeliveryStore(redis),
    clock,
    'bench_bot',
  );
  const service = new MemberService({ org, store, clock, timezone: TIMEZONE });
  const label = `[${size.members}/${size.branches}]`;

  const tree = buildTree(size.branches);
  const imported = reused ? undefined : await importAll(redis, store, units, tree, size, clock, label);
  if (imported && keep) await compact(redis);

  // 4. The province's badge list, as `badges list` prints it.
  const occasion = occasionOnOrAfter(TODAY);
  const provinceList = async () => {
    const r = await service.badges(ADMIN, { occasion: formatVnDate(occasion) });
    if (!r.ok) throw new Error(r.refusal.reason);
    return { list: r.value, csv: badgeCsv(r.value) };
  };
  await provinceList();
  const provinceTimes: number[] = [];
  let due = 0;
  let csvBytes = 0;
  const cpuBefore = { node: process.cpuUsage(), redis: await redisCpuMs(redis) };
  for (let i = 0; i < 9; i++) {
    const { ms, value } = await timed(provinceList);
    provinceTimes.push(ms);
    due = value.list.rows.length;
    csvBytes = Buffer.byteLength(value.csv);
  }
  const nodeCpu = process.cpuUsage(cpuBefore.node);
  const cpu = {
    node_ms: round((nodeCpu.user + nodeCpu.system) / 1000 / 9),
    redis_ms: round(((await redisCpuMs(redis)) - cpuBefore.redis) / 9),
  };
  provinceTimes.sort((a, b) => a - b);
  log(
    `${label} badges list (province, ${formatVnDate(occasion)}): ${due} members, median ${round(percentile(provinceTimes, 50))} ms`,
  );

  // 5. One commune's badge list; one branch's register.
  const commune = tree.communes[Math.floor(tree.communes.length / 2)]!.code;
  const communeTimes: number[] = [];
  for (let i = 0; i < 6; i++) {
    const { ms, value } = await timed(() => service.badges(ADMIN, { unit: commune }));
    if (!value.ok) throw new Error(value.refusal.reason);
    if (i > 0) communeTimes.push(ms);
  }
  communeTimes.sort((a, b) => a - b);
  const branchRandom = generator(99);
  const branchTimes: number[] = [];
  let listed = 0;
  for (let i = 0; i < 220; i++) {
    const code = `CB${String(1 + Math.floor(branchRandom() * size.branches)).padStart(6, '0')}`;
    const secretary: Viewer = { id: 2, roles: [{ kind: 'secretary', unit: code }] };
    const { ms, value } = await timed(() => service.branch(secretary));
    if (!value.ok) throw new Error(value.refusal.reason);
    if (i >= 20) {
      branchTimes.push(ms);
      listed += value.value.members.length;
    }
  }
  branchTimes.sort((a, b) => a - b);
  log(`${label} one branch (register read): median ${round(percentile(branchTimes, 50), 2)} ms`);
  // The whole /dangvien answer as the chat gets it: permission checks, counts, the list as
  // markup with its buttons. Listing sends nothing and opens no dialog, so neither is given.
  const chat = new MemberChat({
    members: service,
    org,
    dialogs: undefined as never,
    notifier: undefined as never,
    clock,
    timezone: TIMEZONE,
  });
  const chatTimes: number[] = [];
  for (let i = 0; i < 220; i++) {
    const code = `CB${String(1 + Math.floor(branchRandom() * size.branches)).padStart(6, '0')}`;
    const secretary: Viewer = { id: 2, roles: [{ kind: 'secretary', unit: code }] };
    const { ms, value } = await timed(() => chat.list(secretary));
    if (value.length !== 1 || !value[0]?.actions) throw new Error('no /dangvien answer');
    if (i >= 20) chatTimes.push(ms);
  }
  chatTimes.sort((a, b) => a - b);
  log(`${label} /dangvien (chat answer): median ${round(percentile(chatTimes, 50), 2)} ms`);

  // 6. The index agrees with reading every branch.
  let verified: boolean | undefined;
  if (size.members <= VERIFY_UP_TO) {
    const scanning = new MemberService({
      org,
      store,
      clock,
      timezone: TIMEZONE,
      badgeScanLimit: Number.MAX_SAFE_INTEGER,
    });
    const a = await service.badges(ADMIN, { occasion: formatVnDate(occasion) });
    const b = await scanning.badges(ADMIN, { occasion: formatVnDate(occasion) });
    verified =
      a.ok &&
      b.ok &&
      JSON.stringify(a.value.rows.map((r) => r.member.id)) ===
        JSON.stringify(b.value.rows.map((r) => r.member.id));
    if (!verified) throw new Error('the index and the scan disagree');
  }

  return {
    members: size.members,
    branches: size.branches,
    reused,
    ...imported,
    occasion,
    badges_due: due,
    badges_csv_bytes: csvBytes,
    badges_list_province_ms_p50: round(percentile(provinceTimes, 50)),
    badges_list_province_ms_min: round(provinceTimes[0]!),
    badges_list_province_cpu_ms: cpu,
    badges_list_province_ms_max: round(provinceTimes[provinceTimes.length - 1]!),
    badges_list_commune_ms_p50: round(percentile(communeTimes, 50), 2),
    branch_list_ms_p50: round(percentile(branchTimes, 50), 2),
    branch_list_ms_p95: round(percentile(branchTimes, 95), 2),
    branch_list_mean_members: round(listed / branchTimes.length),
    dangvien_chat_ms_p50: round(percentile(chatTimes, 50), 2),
    dangvien_chat_ms_p95: round(percentile(chatTimes, 95), 2),
    index_equals_scan: verified,
    load_average: os.loadavg().map((l) => round(l, 2)),
  };
}

export default async function run(): Promise<void> {
  const kept = process.env.MEMBERS_DATA_DIR;
  const dir = kept ?? mkdtempSync(path.join(os.tmpdir(), 'chibo-bench-members-'));
  const server = await startEmbeddedRedis({ dir, appendfsync: 'everysec' });
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  try {
    for (const size of SIZES) {
      process.stdout.write(`${JSON.stringify(await measure(redis, size, kept !== undefined))}\n`);
    }
  } finally {
    await redis.quit();
    await server.stop();
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}
