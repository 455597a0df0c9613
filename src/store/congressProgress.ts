/**
 * Everything /tiendo shows for one unit in one round, read in one round trip: a Lua script walks
 * the unit's keys on the server and answers with one JSON string, so the answer costs the same
 * single call at a branch, a commune or the root of 300,000 branches, and only what is shown (or
 * counted) crosses the wire.
 *
 * It reads (keys from the stores that write them: `units.ts`, `congress.ts`, `congressOffice.ts`):
 *   - the unit, its parent's name, and its own counters and branch count (ZLEXCOUNT of the tree
 *     index; a branch counts itself); its children sorted by code, read by one SORT_RO of the
 *     children set with GET patterns, each with only what is shown (name, level, held, approved
 *     and branch count);
 *   - the date index (`lich`): registered congresses in the next days (the first `upcomingMax`
 *     with their preparation ticks and names) and those overdue by their own date (the first
 *     `namesMax` with names), both kept to the unit's subtree below the round's scope;
 *   - the extension index (`gh`) kept to the subtree: how many, the first `namesMax` with their
 *     entries, and, past the deadline, how many are still running (neither overdue by a
 *     registered date nor reported);
 *   - past the deadline, branches with neither a date nor a result, found by walking down only
 *     into committees whose counters say such branches are below them (in tree order);
 *   - the decisions recorded under a committee (count and the latest), or a branch's own entry;
 *   - the office: the round's checklists, follow-ups overdue (congress date + the round's days
 *     before today), the first `officeMax` with ticks and names;
 *   - pilot congresses: the grassroots committees at or below the unit (never below them), each
 *     committee's pilot with its date, and how many other registered branches under it come first
 *     (counted in the committee's own index of registered dates, `cb:dh:<round>:lichu:<unit>`).
 *
 * A viewer who may not see the unit, or a unit outside the round, gets the unit alone
 * (`ok: false`) and nothing else is read.
 */
import type { Redis } from 'ioredis';
import type { Registration } from '../domain/congress/registration.js';
import type { Counters } from '../domain/congress/stats.js';
import { UNIT_LEVELS, type Unit } from '../domain/units.js';
import type { IsoDate } from '../domain/vn.js';
import { officeKeys, parseTicks } from './congressOffice.js';
import { BRANCH_TREE_KEY, childrenKey, fromHash, unitKey } from './units.js';

const SCRIPT = `
local a = cjson.decode(ARGV[1])
local K = a.keys
local unit, scope = a.unit, a.scope
local today = a.today

local function map(flat)
  local m = {}
  for i = 1, #flat, 2 do m[flat[i]] = flat[i + 1] end
  return m
end
local function isBranch(level) return level == 'chi_bo' or level == 'chi_bo_co_so' end
-- A unit's children sorted by code, as a flat list: each code followed by the value (false when
-- absent) of each column, { key prefix, field }: a field of the hash at prefix .. code. One
-- SORT_RO with GET patterns reads them all (a read per child costs far more in a script); SORT
-- ALPHA orders them as table.sort does (both compare with strcoll). Without SORT_RO (Redis before
-- 7) or GET patterns (a Redis user kept to some keys), it reads each child's hashes instead.
local function children(code, columns)
  local key = K.childrenPrefix .. code .. K.childrenSuffix
  local args, patterns = { key, 'ALPHA', 'GET', '#' }, true
  for _, c in ipairs(columns) do
    args[#args + 1] = 'GET'
    args[#args + 1] = c[1] .. '*->' .. c[2]
    if string.find(c[1], '*', 1, true) then patterns = false end
  end
  if patterns then
    local r = redis.pcall('SORT_RO', unpack(args))
    if type(r) ~= 'table' or not r.err then return r end
  end
  local codes = redis.call('SMEMBERS', key)
  table.sort(codes)
  local r = {}
  for _, child in ipairs(codes) do
    r[#r + 1] = child
    local i = 1
    while i <= #columns do
      local prefix, fields = columns[i][1], {}
      while i <= #columns and columns[i][1] == prefix do
        fields[#fields + 1] = columns[i][2]
        i = i + 1
      end
      for _, v in ipairs(redis.call('HMGET', prefix .. child, unpack(fields))) do r[#r + 1] = v end
    end
  end
  return r
end
-- A chi bộ has no units below it (an import refuses children under one), so it counts itself
-- without reading the tree index.
local function branchCount(path, level)
  if not path then return 0 end
  if isBranch(level) then return 1 end
  return redis.call('ZLEXCOUNT', K.tree, '[' .. path .. '/', '(' .. path .. '0')
end
local function pathOf(code) return redis.call('HGET', K.unit .. code, 'path') end
local function nameOf(code) return redis.call('HGET', K.unit .. code, 'name') end
-- The codes of a path, as a set (the unit itself and its ancestors).
local function segments(path)
  local s = {}
  if path then for seg in string.gmatch(path, '[^/]+') do s[seg] = true end end
  return s
end
-- Days since 0000-03-01 of yyyymmdd, and back (H. Hinnant's civil calendar algorithms).
local function toDays(n)
  local y, m, d = math.floor(n / 10000), math.floor(n / 100) % 100, n % 100
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1
  return era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
end
local function fromDays(z)
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y * 10000 + m * 100 + d
end

local out = {}
local uflat = redis.call('HGETALL', K.unit .. unit)
out.unit = uflat
local u = map(uflat)
if not u.path then out.ok = false return cjson.encode(out) end
local own = segments(u.path)
local allowed = a.admin
if not allowed then for _, l in ipairs(a.leaders) do if own[l] then allowed = true end end end
if not allowed or not own[scope] then out.ok = false return cjson.encode(out) end
out.ok = true
if u.parent and u.parent ~= '' then out.parentName = nameOf(u.parent) end

-- The unit and its children.
local totalsFlat = redis.call('HGETALL', K.agg .. unit)
out.totals = totalsFlat
local totals = map(totalsFlat)
local total = branchCount(u.path, u.level)
out.count = total
-- Each child as CHILD entries of out.children (the SORT reply as it came, its path replaced by
-- the branch count): code, branches, level, name, held (h), approved (ap), and past the deadline
-- registered only (ro), which only the walk below reads. Nothing is built per child before the
-- deadline: the reply is encoded as it is.
local COLUMNS = { { K.unit, 'path' }, { K.unit, 'level' }, { K.unit, 'name' }, { K.agg, 'h' }, { K.agg, 'ap' } }
if a.pastDeadline then COLUMNS[#COLUMNS + 1] = { K.agg, 'ro' } end
local CHILD = #COLUMNS + 1
-- The walk's entry for the child at row i of rows, with its branch count.
local function entry(rows, i, count)
  return { code = rows[i], path = rows[i + 1], level = rows[i + 2], name = rows[i + 3],
    held = tonumber(rows[i + 4] or 0), ro = tonumber(rows[i + 6] or 0), count = count }
end
local first = {}
out.children = {}
out.childEntries = CHILD
if not isBranch(u.level) then
  local rows = children(unit, COLUMNS)
  for i = 1, #rows, CHILD do
    local count = branchCount(rows[i + 1], rows[i + 2])
    if a.pastDeadline then first[#first + 1] = entry(rows, i, count) end
    rows[i + 1] = count
  end
  out.children = rows
end

-- Whether a branch lies in the unit's subtree (every one does at the round's scope). Below it,
-- a subtree of up to SUBTREE_SET branches is read once from the tree index into a set; a bigger
-- one reads the path of each branch asked about.
local members = nil
local function inside(code)
  if unit == scope then return true end
  if members == nil then
    members = false
    if total <= a.subtreeSet then
      members = { [unit] = true }
      for _, p in ipairs(redis.call('ZRANGEBYLEX', K.tree, '[' .. u.path .. '/', '(' .. u.path .. '0')) do
        members[string.match(p, '[^/]+$')] = true
      end
    end
  end
  if members then return members[code] == true end
  local p = pathOf(code)
  return p ~= false and segments(p)[unit] == true
end

-- Registered congresses: the next days, and those whose date passed. At the round's scope every
-- entry counts, so only the first ones are read.
local function dated(min, max, keep)
  if unit == scope then
    local flat = redis.call('ZRANGEBYSCORE', K.lich, min, max, 'WITHSCORES', 'LIMIT', 0, keep)
    local list = {}
    for i = 1, #flat, 2 do list[#list + 1] = { flat[i], tonumber(flat[i + 1]) } end
    return redis.call('ZCOUNT', K.lich, min, max), list
  end
  local flat = redis.call('ZRANGEBYSCORE', K.lich, min, max, 'WITHSCORES')
  local n, list = 0, {}
  for i = 1, #flat, 2 do
    if inside(flat[i]) then
      n = n + 1
      if n <= keep then list[#list + 1] = { flat[i], tonumber(flat[i + 1]) } end
    end
  end
  return n, list
end
local upCount, upList = dated(today * 10000, a.upTo * 10000 + 9999, a.upcomingMax)
for _, r in ipairs(upList) do
  r[3] = nameOf(r[1])
  r[4] = redis.call('HGETALL', K.ticks .. r[1])
end
out.upcoming = { upCount, upList }
local odCount, odList = dated('-inf', '(' .. (today * 10000), a.namesMax)
for _, r in ipairs(odList) do r[3] = nameOf(r[1]) end
out.overdue = { odCount, odList }

-- Extensions in the subtree; past the deadline, those still running. At the round's scope only
-- the named ones are read before the deadline, and only those running after it.
local exCount, exList, still = 0, {}, {}
local stillCount = 0
local function running(b, untilDay)
  if a.pastDeadline and untilDay >= today then
    local s = redis.call('ZSCORE', K.lich, b)
    local overdue = s and tonumber(s) < today * 10000
    if not overdue and redis.call('SISMEMBER', K.done, b) == 0 then
      still[b] = true
      stillCount = stillCount + 1
    end
  end
end
local function named(b, untilDay)
  exList[#exList + 1] = { b, untilDay, nameOf(b), redis.call('GET', K.entry .. b) }
end
if unit == scope then
  exCount = redis.call('ZCARD', K.extensions)
  local first = redis.call('ZRANGE', K.extensions, 0, a.namesMax - 1, 'WITHSCORES')
  for i = 1, #first, 2 do named(first[i], tonumber(first[i + 1])) end
  if a.pastDeadline then
    local run = redis.call('ZRANGEBYSCORE', K.extensions, today, '+inf', 'WITHSCORES')
    for i = 1, #run, 2 do running(run[i], tonumber(run[i + 1])) end
  end
else
  local ext = redis.call('ZRANGE', K.extensions, 0, -1, 'WITHSCORES')
  for i = 1, #ext, 2 do
    local b, untilDay = ext[i], tonumber(ext[i + 1])
    if inside(b) then
      exCount = exCount + 1
      if exCount <= a.namesMax then named(b, untilDay) end
      running(b, untilDay)
    end
  end
end
out.extended = { exCount, exList, stillCount }

-- Past the deadline: branches with neither a date nor a result, in tree order.
local found = {}
if a.pastDeadline then
  local held = tonumber(totals.h or 0)
  local overdueCount = math.max(0, total - held - stillCount)
  local limit = a.namesMax - #odList
  if limit > 0 and overdueCount > #odList then
    if isBranch(u.level) then
      if held == 0 and tonumber(totals.ro or 0) == 0 and not still[unit] then
        found[1] = { unit, u.name }
      end
    else
      local function visit(level)
        for _, c in ipairs(level) do
          if #found >= limit then return end
          if c.path then
            if isBranch(c.level) then
              if c.held == 0 and c.ro == 0 and not still[c.code] then found[#found + 1] = { c.code, c.name } end
            elseif c.count - c.held - c.ro > 0 then
              local next, rows = {}, children(c.code, COLUMNS)
              for i = 1, #rows, CHILD do
                next[#next + 1] = entry(rows, i, branchCount(rows[i + 1], rows[i + 2]))
              end
              visit(next)
            end
          end
        end
      end
      visit(first)
    end
  end
end
out.withoutDate = found

-- Decisions: a committee's latest, or the branch's own entry.
if isBranch(u.level) then
  out.own = redis.call('GET', K.entry .. unit)
else
  local count = redis.call('ZCARD', K.decisions .. unit)
  local recent = redis.call('ZREVRANGE', K.decisionDates .. unit, 0, a.decisionsRead - 1)
  local scores = {}
  for i, m in ipairs(recent) do scores[i] = redis.call('ZSCORE', K.decisions .. unit, m) end
  out.decisions = { count, recent, scores }
end

-- The office: checklists, and follow-ups overdue.
local cfgFlat = redis.call('HGETALL', K.config)
out.config = cfgFlat
local cfg = map(cfgFlat)
local followDays = tonumber(cfg.followDays or a.followUpDays)
local heldBy = fromDays(toDays(today) - followDays - 1)
local due = redis.call('ZRANGEBYSCORE', K.followUp, '-inf', heldBy, 'WITHSCORES', 'LIMIT', 0, a.followUpRead)
local dueCount, dueList = 0, {}
for i = 1, #due, 2 do
  if inside(due[i]) then
    dueCount = dueCount + 1
    if dueCount <= a.officeMax then
      dueList[#dueList + 1] = { due[i], tonumber(due[i + 1]), nameOf(due[i]), redis.call('HGETALL', K.ticks .. due[i]) }
    end
  end
end
if unit == scope then dueCount = redis.call('ZCOUNT', K.followUp, '-inf', heldBy) end
out.followUp = { dueCount, dueList }

-- Pilot congresses of the grassroots committees at or below the unit.
local committees = {}
if not isBranch(u.level) and u.level ~= 'dang_bo_bo_phan' then
  local level = { { code = unit, level = u.level, name = u.name } }
  while #level > 0 do
    local next = {}
    for _, c in ipairs(level) do
      if c.level == 'dang_bo_co_so' then committees[#committees + 1] = c
      elseif c.level == 'dang_bo' then
        local rows = children(c.code, { { K.unit, 'level' }, { K.unit, 'name' } })
        for i = 1, #rows, 3 do
          if rows[i + 1] then next[#next + 1] = { code = rows[i], level = rows[i + 1], name = rows[i + 2] } end
        end
      end
    end
    level = next
  end
end
local pilotOf = {}
if #committees > 0 then
  for _, p in ipairs(a.pilots) do
    local path = pathOf(p)
    if path then
      local segs = {}
      for seg in string.gmatch(path, '[^/]+') do segs[#segs + 1] = seg end
      for i = 1, #segs - 1 do if not pilotOf[segs[i]] then pilotOf[segs[i]] = p end end
    end
  end
end
local none, noneCount, withPilot = {}, 0, {}
for _, c in ipairs(committees) do
  local p = pilotOf[c.code]
  if not p then
    noneCount = noneCount + 1
    if noneCount <= a.officeMax then none[#none + 1] = c.name end
  else
    local json = redis.call('GET', K.entry .. p)
    local day = false
    if json then
      local e = cjson.decode(json)
      if e.r then day = tonumber((string.gsub(e.r.d, '-', '')))
      elseif e.l then day = tonumber((string.gsub(string.sub(e.l, 1, 10), '-', ''))) end
    end
    withPilot[#withPilot + 1] = { c.name, nameOf(p) or p, day, 0, 0, p, c.code }
  end
end
-- Per committee, from the dates registered under it (not yet reported): how many others, and
-- how many of them before the pilot's day.
for _, w in ipairs(withPilot) do
  local key = K.lichUnit .. w[7]
  w[4] = redis.call('ZCARD', key) - (redis.call('ZSCORE', key, w[6]) and 1 or 0)
  if w[3] then w[5] = redis.call('ZCOUNT', key, 0, w[3] * 10000 - 1) end
end
out.pilots = { none, withPilot, noneCount }
return cjson.encode(out)`;

/** One upcoming or overdue registration, with the branch's name. */
export interface NamedRegistration extends Registration {
  name: string;
}

/** One child of the unit: what /tiendo shows of it (its line, and its drill or approve button). */
export interface ProgressChild {
  unit: Pick<Unit, 'code' | 'name' | 'level'>;
  counters: Pick<Counters, 'held' | 'approved'>;
  /** Branches in its subtree (1 for a branch). */
  branches: number;
}

/** What /tiendo needs of one unit in one round (see the module comment). */
export type ProgressSnapshot<E = unknown> =
  | { ok: false; unit?: Unit; ancestors: string[] }
  | {
      ok: true;
      unit: Unit;
      ancestors: string[];
      parentName?: string;
      totals: Counters;
      totalBranches: number;
      /** The children sorted by code, with what the view shows of each. */
      children: ProgressChild[];
      upcoming: {
        count: number;
        list: (NamedRegistration & { ticks: ReturnType<typeof parseTicks> })[];
      };
      overdue: { count: number; list: NamedRegistration[] };
      extended: {
        count: number;
        list: { branch: string; until: IsoDate; name: string; entry: E }[];
        /** Past the deadline: extensions still running (no passed date, no result). */
        running: number;
      };
      /** Past the deadline: branches with neither a date nor a result, in tree order. */
      withoutDate: { code: string; name: string }[];
      /** A committee's decisions: how many, and the latest with the branches each covers now. */
      decisions?: { count: number; recent: { member: string; branches: number }[] };
      /** A branch's own entry. */
      own?: E;
      configHash: Record<string, string>;
      followUp: {
        count: number;
        list: { branch: string; date: IsoDate; name: string; ticks: ReturnType<typeof parseTicks> }[];
      };
      pilots: {
        /** Committees without a pilot congress, by name: the first `officeMax` of `noneCount`. */
        none: string[];
        noneCount: number;
        withPilot: { committee: string; pilotName: string; date?: IsoDate; others: number; before: number }[];
      };
    };

export interface ProgressReadInput {
  campaignId: string;
  unit: string;
  scope: string;
  /** True for an admin; otherwise the units the viewer leads. */
  admin: boolean;
  leaders: readonly string[];
  today: IsoDate;
  /** The last day of "the next days". */
  upTo: IsoDate;
  pastDeadline: boolean;
  pilots: readonly string[];
  /** Upcoming registrations read in full (names and ticks). */
  upcomingMax: number;
  /** Overdue, extended and walked branches named. */
  namesMax: number;
  /** Follow-ups named. */
  officeMax: number;
  /** Follow-ups read to keep a subtree's. */
  followUpRead: number;
  /** Latest decisions read (some may have no branch left). */
  decisionsRead: number;
  /** The follow-up days when the round set none. */
  followUpDays: number;
}

/** Subtrees of up to this many branches are read into a set to keep the round's lists to them. */
const SUBTREE_SET = 50_000;

const day = (date: IsoDate) => Number(date.replace(/-/g, ''));
const isoOf = (n: number): IsoDate => {
  const s = String(n);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
};
const NO_TIME = 9999;
function registrationOf(branch: string, score: number): Registration {
  const minutes = score % 10_000;
  const r: Registration = { branch, date: isoOf(Math.floor(score / 10_000)) };
  if (minutes !== NO_TIME) r.time = minutes;
  return r;
}
/** cjson writes an empty Lua table as {}: read it as an empty list. */
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
function hash(flat: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const items = list<string>(flat);
  for (let i = 0; i + 1 < items.length; i += 2) out[items[i]!] = items[i + 1]!;
  return out;
}
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const ancestorsOf = (h: Record<string, string>) => (h.path ? h.path.split('/').slice(0, -1) : []);

/**
 * How `CongressStore` lays out and encodes a round (passed in, so that this module and the store
 * that calls it do not import each other).
 */
export interface RoundCodec<E> {
  keys: Record<string, string>;
  decodeEntry(branch: string, json: string | null): E;
  decodeCounters(h: Record<string, string>): Counters;
}

/**
 * The script as a command of the client (ioredis `defineCommand`): sent whole (13 KB) the first
 * time on a connection and after a Redis that lost its script cache answers NOSCRIPT, by its
 * SHA1 otherwise. Sent whole every time, it was the largest write an update made.
 */
function runProgressScript(redis: Redis, argsJson: string): Promise<unknown> {
  const client = redis as Redis & { chiboProgress?: (argsJson: string) => Promise<unknown> };
  if (!client.chiboProgress) client.defineCommand('chiboProgress', { numberOfKeys: 0, lua: SCRIPT });
  return client.chiboProgress!(argsJson);
}

/** Reads what /tiendo shows for one unit in one round: one script call. */
export async function readProgress<E>(
  redis: Redis,
  input: ProgressReadInput,
  codec: RoundCodec<E>,
): Promise<ProgressSnapshot<E>> {
  const { decodeEntry, decodeCounters } = codec;
  const [childrenPrefix, childrenSuffix] = childrenKey('\u0000').split('\u0000');
  const args = {
    keys: {
      ...codec.keys,
      ...officeKeys(input.campaignId),
      unit: unitKey(''),
      childrenPrefix,
      childrenSuffix,
      tree: BRANCH_TREE_KEY,
    },
    unit: input.unit,
    scope: input.scope,
    admin: input.admin,
    leaders: input.leaders.length > 0 ? input.leaders : [''],
    today: day(input.today),
    upTo: day(input.upTo),
    pastDeadline: input.pastDeadline,
    pilots: input.pilots.length > 0 ? input.pilots : [''],
    upcomingMax: input.upcomingMax,
    namesMax: input.namesMax,
    officeMax: input.officeMax,
    followUpRead: input.followUpRead,
    decisionsRead: input.decisionsRead,
    followUpDays: input.followUpDays,
    subtreeSet: SUBTREE_SET,
  };
  const r = JSON.parse(String(await runProgressScript(redis, JSON.stringify(args)))) as Record<
    string,
    unknown
  >;
  const unitHash = hash(r.unit);
  const unit = fromHash(unitHash);
  const ancestors = ancestorsOf(unitHash);
  if (r.ok !== true || !unit) return { ok: false, ...(unit ? { unit } : {}), ancestors };

  const [upCount, upList] = list<unknown>(r.upcoming) as [number, [string, number, unknown, unknown][]];
  const [odCount, odList] = list<unknown>(r.overdue) as [number, [string, number, unknown][]];
  const [exCount, exList, running] = list<unknown>(r.extended) as [
    number,
    [string, number, unknown, unknown][],
    number,
  ];
  const [dueCount, dueList] = list<unknown>(r.followUp) as [number, [string, number, unknown, unknown][]];
  const [none, withPilot, noneCount] = list<unknown>(r.pilots) as [
    unknown,
    [string, unknown, unknown, number, number][],
    number,
  ];
  // The children: `childEntries` entries each (code, branches, level, name, h, ap, ...); a child
  // without a unit hash (no known level) is left out, as `fromHash` would.
  const children: ProgressChild[] = [];
  const rows = list<unknown>(r.children);
  const stride = Number(r.childEntries ?? 0);
  for (let i = 0; stride >= 6 && i + stride <= rows.length; i += stride) {
    const [code, branches, level, name, held, approved] = rows.slice(i, i + 6);
    const known = UNIT_LEVELS.find((l) => l === level);
    if (typeof code !== 'string' || code === '' || !known) continue;
    const counters = decodeCounters({
      ...(typeof held === 'string' ? { h: held } : {}),
      ...(typeof approved === 'string' ? { ap: approved } : {}),
    });
    children.push({
      unit: { code, name: text(name) ?? '', level: known },
      counters: { held: counters.held, approved: counters.approved },
      branches: Number(branches ?? 0),
    });
  }
  const snapshot: ProgressSnapshot<E> = {
    ok: true,
    unit,
    ancestors,
    totals: decodeCounters(hash(r.totals)),
    totalBranches: Number(r.count ?? 0),
    children,
    upcoming: {
      count: upCount ?? 0,
      list: list<[string, number, unknown, unknown]>(upList).map(([b, score, name, ticks]) => ({
        ...registrationOf(b, score),
        name: text(name) ?? b,
        ticks: parseTicks(hash(ticks)),
      })),
    },
    overdue: {
      count: odCount ?? 0,
      list: list<[string, number, unknown]>(odList).map(([b, score, name]) => ({
        ...registrationOf(b, score),
        name: text(name) ?? b,
      })),
    },
    extended: {
      count: exCount ?? 0,
      list: list<[string, number, unknown, unknown]>(exList).map(([b, until, name, json]) => ({
        branch: b,
        until: isoOf(until),
        name: text(name) ?? b,
        entry: decodeEntry(b, text(json) ?? null),
      })),
      running: running ?? 0,
    },
    withoutDate: list<[string, unknown]>(r.withoutDate).map(([code, name]) => ({
      code,
      name: text(name) ?? code,
    })),
    configHash: hash(r.config),
    followUp: {
      count: dueCount ?? 0,
      list: list<[string, number, unknown, unknown]>(dueList).map(([b, date, name, ticks]) => ({
        branch: b,
        date: isoOf(date),
        name: text(name) ?? b,
        ticks: parseTicks(hash(ticks)),
      })),
    },
    pilots: {
      none: list<string>(none),
      noneCount: noneCount ?? 0,
      withPilot: list<[string, unknown, unknown, number, number]>(withPilot).map(
        ([committee, pilotName, date, others, before]) => ({
          committee,
          pilotName: text(pilotName) ?? '',
          ...(typeof date === 'number' ? { date: isoOf(date) } : {}),
          others,
          before,
        }),
      ),
    },
  };
  const parentName = text(r.parentName);
  if (parentName !== undefined) snapshot.parentName = parentName;
  if (r.own !== undefined) snapshot.own = decodeEntry(unit.code, text(r.own) ?? null);
  if (r.decisions !== undefined) {
    const [count, recent, scores] = list<unknown>(r.decisions) as [number, unknown, unknown];
    const s = list<unknown>(scores);
    snapshot.decisions = {
      count: count ?? 0,
      recent: list<string>(recent).map((member, i) => ({ member, branches: Number(s[i] || 0) })),
    };
  }
  return snapshot;
}
