/**
 * The organisation tree in Redis.
 *
 * Key layout:
 *   cb:unit:{code}             hash    code, name, level, kind ('' = none), parent ('' = root),
 *                                      members, path
 *   cb:unit:{code}:children    set     codes of the direct children
 *   cb:units:tree:branch       zset    the path of every branch (chi bộ, chi bộ cơ sở), score 0
 *   cb:units:tree:committee    zset    the path of every other unit, score 0
 *   cb:units:root              string  code of the one root unit
 *   cb:units:version           counter bumped by every import; imports WATCH it
 *
 * A unit's path is its ancestors' codes, root first, then its own code, joined by '/'
 * ("XA/DBBP1/CB07"). Codes never contain '/', so the units of a subtree are exactly the members
 * of the two sorted sets between "P/" and "P0" ('0' follows '/' in ASCII): `branchesUnder` is
 * one ZRANGEBYLEX and the branch count of any subtree (`branchCount`) is one ZLEXCOUNT, both
 * O(log n + answer), and both are right by construction after any move, so no per-unit counter
 * can drift. Every branch is stored once (its hash, one sorted-set entry, one entry in its
 * parent's children set), not once per ancestor. Measured with 300,000 branches under 361
 * committees: about 430 bytes per branch for the tree, plus about 250 for the audit entry of its
 * creation; branchesUnder a commune of 5,000 branches in a few ms, of the whole province in under
 * a second; branchCount of the root in a few ms. A move rewrites the path of each unit in the
 * moved subtree, which only an import does; an import reads the whole tree first (seconds at
 * that size).
 */
import type { ChainableCommander, Redis } from 'ioredis';
import {
  BRANCH_KINDS,
  isBranch,
  sameUnit,
  UNIT_IMPORT_ROWS_MAX,
  UNIT_LEVELS,
  type Unit,
  type UnitInput,
  unitSchema,
} from '../domain/units.js';
import { checkUnitTree, type ExistingUnits, type UnitsCsvError } from '../domain/unitsCsv.js';
import { auditInto } from './audit.js';
import { watchedTransaction } from './tx.js';

export const UNITS_VERSION_KEY = 'cb:units:version';
export const UNITS_ROOT_KEY = 'cb:units:root';
/** The path of every branch, score 0 (see the key layout above). */
export const BRANCH_TREE_KEY = 'cb:units:tree:branch';
const COMMITTEE_TREE_KEY = 'cb:units:tree:committee';

/** The hash of one unit. */
export const unitKey = (code: string) => `cb:unit:${code}`;
/** The set of a unit's direct children. */
export const childrenKey = (code: string) => `cb:unit:${code}:children`;

/** Units per pipeline when reading or writing many. */
const BATCH = 1000;
/** Units per `heads` script call. */
const HEADS_BATCH = 2000;
/**
 * "name<TAB>path" of each unit hash in KEYS, one line each (empty for a missing unit). Names
 * and paths hold no tabs or newlines: imports collapse whitespace in names.
 */
const HEADS_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local v = redis.call('HMGET', key, 'name', 'path')
  out[i] = v[2] and ((v[1] or '') .. '\\t' .. v[2]) or ''
end
return table.concat(out, '\\n')`;

export { TransactionConflictError, type WatchedStep, watchedTransaction } from './tx.js';

export type ImportResult =
  | {
      ok: true;
      /** Codes of units that did not exist before, in input order. */
      created: string[];
      /** Codes of units whose name, level, kind, parent or members changed. */
      updated: string[];
      /** Codes given again with nothing changed. */
      unchanged: string[];
      /**
       * Existing units whose ancestor path changed (moved units and everything below them), so
       * aggregates kept per ancestor know what to rebuild. In the order of the tree before the import.
       */
      moved: string[];
    }
  | { ok: false; errors: UnitsCsvError[] };

function toHash(unit: Unit): Record<string, string> {
  return {
    code: unit.code,
    name: unit.name,
    level: unit.level,
    kind: unit.kind ?? '',
    parent: unit.parent ?? '',
    members: String(unit.members),
    ...(unit.headApplies !== undefined ? { headApplies: unit.headApplies ? '1' : '0' } : {}),
    ...(unit.official !== undefined ? { official: String(unit.official) } : {}),
  };
}

/** Optional hash fields: removed before a write that does not set them. */
const OPTIONAL_FIELDS = ['headApplies', 'official'] as const;

/** The unit a `cb:unit:{code}` hash holds, or undefined when it holds none. */
export function fromHash(h: Record<string, string>): Unit | undefined {
  if (!h.code) return undefined;
  const level = UNIT_LEVELS.find((l) => l === h.level);
  if (!level) return undefined;
  return {
    code: h.code,
    name: h.name ?? '',
    level,
    kind: BRANCH_KINDS.find((k) => k === h.kind) ?? null,
    parent: h.parent ? h.parent : null,
    members: Number(h.members ?? 0),
    ...(h.headApplies === '1' || h.headApplies === '0' ? { headApplies: h.headApplies === '1' } : {}),
    ...(h.official !== undefined && h.official !== '' ? { official: Number(h.official) } : {}),
  };
}

const lastSegment = (path: string) => path.slice(path.lastIndexOf('/') + 1);
/** ZRANGEBYLEX bounds for everything strictly below `path`. */
const below = (path: string): [string, string] => [`[${path}/`, `(${path}0`];
const treeKey = (unit: Pick<Unit, 'level'>) => (isBranch(unit) ? BRANCH_TREE_KEY : COMMITTEE_TREE_KEY);

/** Merges two lexicographically sorted lists. */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length)
    out.push((a[i] as string) < (b[j] as string) ? (a[i++] as string) : (b[j++] as string));
  while (i < a.length) out.push(a[i++] as string);
  while (j < b.length) out.push(b[j++] as string);
  return out;
}

/** The organisation tree: units by code, their children, ancestors and branch subtrees. */
export class UnitStore {
  constructor(private readonly redis: Redis) {}

  /** One unit, or undefined. */
  async get(code: string): Promise<Unit | undefined> {
    return fromHash(await this.redis.hgetall(unitKey(code)));
  }

  /** Adds the read of units and their ancestors to a pipeline; `parseLocated` reads the replies. */
  queueLocated(p: ChainableCommander, codes: readonly string[]): void {
    for (const c of codes) p.hgetall(unitKey(c));
  }

  /** Adds the read of the root unit's code to a pipeline (its reply: the code, or null). */
  queueRootCode(p: ChainableCommander): void {
    p.get(UNITS_ROOT_KEY);
  }

  /** One unit and its ancestors (root first, without the unit), in one read; undefined when unknown. */
  async located(code: string): Promise<{ unit: Unit; ancestors: string[] } | undefined> {
    const hash = await this.redis.hgetall(unitKey(code));
    const unit = fromHash(hash);
    return unit ? { unit, ancestors: hash.path ? hash.path.split('/').slice(0, -1) : [] } : undefined;
  }

  /** The units that exist among `codes`, by code. */
  async getMany(codes: readonly string[]): Promise<Map<string, Unit>> {
    return this.readUnits(this.redis, codes);
  }

  /** True when a unit with this code exists. */
  async exists(code: string): Promise<boolean> {
    return (await this.redis.exists(unitKey(code))) === 1;
  }

  /** Codes of the direct children, sorted. */
  async children(code: string): Promise<string[]> {
    return (await this.redis.smembers(childrenKey(code))).sort();
  }

  /** The unit's ancestors, root first, without the unit itself; [] for the root or an unknown code. */
  async ancestors(code: string): Promise<string[]> {
    const path = await this.redis.hget(unitKey(code), 'path');
    return path ? path.split('/').slice(0, -1) : [];
  }

  /** Ancestors (root first, without the unit) of each known unit among `codes`. */
  async ancestorsMany(codes: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (let i = 0; i < codes.length; i += BATCH) {
      const chunk = codes.slice(i, i + BATCH);
      const pipe = this.redis.pipeline();
      for (const c of chunk) pipe.hget(unitKey(c), 'path');
      const replies = (await pipe.exec()) ?? [];
      chunk.forEach((c, k) => {
        const path = replies[k]?.[1];
        if (typeof path === 'string' && path) out.set(c, path.split('/').slice(0, -1));
      });
    }
    return out;
  }

  /**
   * Name, parent and path (ancestors' codes and its own, joined by '/') of each known unit among
   * `codes`, for lists that name many branches. A script reads 2,000 units a call and answers
   * with one string, since a reply element per unit costs the client more than the server's work.
   */
  async heads(
    codes: readonly string[],
  ): Promise<Map<string, { name: string; parent: string | null; path: string }>> {
    const out = new Map<string, { name: string; parent: string | null; path: string }>();
    // All calls sent at once: Redis reads the next units while this side parses the last.
    const calls: { chunk: readonly string[]; reply: Promise<unknown> }[] = [];
    for (let i = 0; i < codes.length; i += HEADS_BATCH) {
      const chunk = codes.slice(i, i + HEADS_BATCH);
      calls.push({ chunk, reply: this.redis.eval(HEADS_SCRIPT, chunk.length, ...chunk.map(unitKey)) });
    }
    for (const { chunk, reply } of calls) {
      const lines = String(await reply).split('\n');
      chunk.forEach((c, k) => {
        const line = lines[k] ?? '';
        const tab = line.indexOf('\t');
        const path = line.slice(tab + 1);
        if (tab < 0 || path === '') return;
        const segments = path.split('/');
        out.set(c, { name: line.slice(0, tab), parent: segments[segments.length - 2] ?? null, path });
      });
    }
    return out;
  }

  /** The root unit, or undefined before the first import. */
  async root(): Promise<Unit | undefined> {
    const code = await this.redis.get(UNITS_ROOT_KEY);
    return code ? this.get(code) : undefined;
  }

  /**
   * Every branch in the subtree of `code` (the unit itself when it is a branch), in tree order
   * (grouped by committee). [] for an unknown code.
   */
  async branchesUnder(code: string): Promise<string[]> {
    const h = await this.redis.hmget(unitKey(code), 'path', 'level');
    const [path, level] = h;
    if (!path) return [];
    const [min, max] = below(path);
    const under = (await this.redis.zrangebylex(BRANCH_TREE_KEY, min, max)).map(lastSegment);
    return level === 'chi_bo' || level === 'chi_bo_co_so' ? [code, ...under] : under;
  }

  /** Every unit strictly below `code`, committees and branches, in tree order. */
  async unitsUnder(code: string): Promise<string[]> {
    const path = await this.redis.hget(unitKey(code), 'path');
    if (!path) return [];
    const [min, max] = below(path);
    const [branches, committees] = await Promise.all([
      this.redis.zrangebylex(BRANCH_TREE_KEY, min, max),
      this.redis.zrangebylex(COMMITTEE_TREE_KEY, min, max),
    ]);
    return mergeSorted(branches, committees).map(lastSegment);
  }

  /** How many branches the subtree of `code` holds (1 for a branch, 0 for an unknown code). */
  async branchCount(code: string): Promise<number> {
    return (await this.branchCounts([code])).get(code) ?? 0;
  }

  /** Branch counts of several subtrees (e.g. each committee under a leader), by code. */
  async branchCounts(codes: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let i = 0; i < codes.length; i += BATCH) {
      const chunk = codes.slice(i, i + BATCH);
      const heads = this.redis.pipeline();
      for (const c of chunk) heads.hmget(unitKey(c), 'path', 'level');
      const headReplies = (await heads.exec()) ?? [];
      const counts = this.redis.pipeline();
      const asked: { code: string; self: number }[] = [];
      chunk.forEach((c, k) => {
        const [path, level] = (headReplies[k]?.[1] as (string | null)[] | undefined) ?? [];
        if (!path) return;
        const [min, max] = below(path);
        counts.zlexcount(BRANCH_TREE_KEY, min, max);
        asked.push({ code: c, self: level === 'chi_bo' || level === 'chi_bo_co_so' ? 1 : 0 });
      });
      const countReplies = (await counts.exec()) ?? [];
      for (const [k, { code, self }] of asked.entries()) {
        out.set(code, self + Number(countReplies[k]?.[1] ?? 0));
      }
    }
    return out;
  }

  /** How many units there are. */
  async count(): Promise<number> {
    const [b, c] = await Promise.all([
      this.redis.zcard(BRANCH_TREE_KEY),
      this.redis.zcard(COMMITTEE_TREE_KEY),
    ]);
    return b + c;
  }

  /** Every unit, in tree order (each unit before its children, siblings by code). */
  async all(): Promise<Unit[]> {
    return (await this.readAll(this.redis)).map((s) => s.unit);
  }

  /** Every unit by code: what `validateUnitsCsv` takes as the existing units. */
  async byCode(): Promise<Map<string, Unit>> {
    return new Map((await this.all()).map((u) => [u.code, u]));
  }

  /**
   * Applies a validated import in one MULTI, watched on the version key so two imports cannot
   * interleave. The tree is checked again against what is stored at that moment (another admin
   * may have imported in between), depth and size caps included; `lines` gives the file lines
   * to name in such errors. Writes
   * one audit entry per created or changed unit. Units not in the input are left as they are.
   */
  async importUnits(
    units: readonly UnitInput[],
    actor: string | number,
    now: number,
    opts: { lines?: readonly number[] } = {},
  ): Promise<ImportResult> {
    if (units.length > UNIT_IMPORT_ROWS_MAX) {
      const refused: UnitsCsvError = {
        line: 0,
        problem: 'too_many_rows',
        rows: units.length,
        max: UNIT_IMPORT_ROWS_MAX,
      };
      return { ok: false, errors: [refused] };
    }
    const inputs = units.map((u) => unitSchema.parse(u));
    return watchedTransaction<ImportResult>(this.redis, 'the unit tree', async (conn) => {
      await conn.watch(UNITS_VERSION_KEY);
      const stored = await this.readAll(conn);
      const existing = new Map(stored.map((s) => [s.unit.code, s]));
      const existingUnits: ExistingUnits = new Map(stored.map((s) => [s.unit.code, s.unit]));
      const errors = checkUnitTree(
        inputs.map((u, i) => ({
          line: opts.lines?.[i] ?? i + 1,
          code: u.code,
          parent: u.parent,
          level: u.level,
        })),
        existingUnits,
      );
      if (errors.length > 0) return { result: { ok: false, errors } };

      const merged = new Map<string, Unit>(stored.map((s) => [s.unit.code, s.unit]));
      for (const u of inputs) merged.set(u.code, u);
      const paths = computePaths(merged);

      const tx = conn.multi();
      const created: string[] = [];
      const updated: string[] = [];
      const unchanged: string[] = [];
      const at = String(actor);
      for (const u of inputs) {
        const before = existing.get(u.code)?.unit;
        if (before && sameUnit(before, u)) {
          unchanged.push(u.code);
          continue;
        }
        (before ? updated : created).push(u.code);
        if (before) tx.hdel(unitKey(u.code), ...OPTIONAL_FIELDS);
        tx.hset(unitKey(u.code), toHash(u));
        if (before?.parent !== u.parent) {
          if (before?.parent) tx.srem(childrenKey(before.parent), u.code);
          if (u.parent) tx.sadd(childrenKey(u.parent), u.code);
        }
        auditInto(tx, {
          actor: at,
          action: before ? 'unit.update' : 'unit.create',
          subject: `unit:${u.code}`,
          ...(before ? { before } : {}),
          after: u,
          at: now,
        });
      }
      // Paths change for created units, moved units and everything below a moved unit; the
      // sorted set changes too when a unit becomes or stops being a branch.
      let root: string | undefined;
      const moved: string[] = [];
      for (const [code, unit] of merged) {
        if (unit.parent === null) root = code;
        const path = paths.get(code) as string;
        const old = existing.get(code);
        if (old && old.path === path && isBranch(old.unit) === isBranch(unit)) continue;
        if (old && old.path !== path) moved.push(code);
        if (old) tx.zrem(treeKey(old.unit), old.path);
        tx.zadd(treeKey(unit), 0, path);
        tx.hset(unitKey(code), 'path', path);
      }
      if (root !== undefined) tx.set(UNITS_ROOT_KEY, root);
      tx.incr(UNITS_VERSION_KEY);
      return { tx, result: { ok: true, created, updated, unchanged, moved } };
    });
  }

  private async readUnits(conn: Redis, codes: readonly string[]): Promise<Map<string, Unit>> {
    const out = new Map<string, Unit>();
    for (const s of await this.readStored(conn, codes)) out.set(s.unit.code, s.unit);
    return out;
  }

  private async readStored(conn: Redis, codes: readonly string[]): Promise<StoredUnit[]> {
    const out: StoredUnit[] = [];
    for (let i = 0; i < codes.length; i += BATCH) {
      const pipe = conn.pipeline();
      for (const c of codes.slice(i, i + BATCH)) pipe.hgetall(unitKey(c));
      for (const [err, h] of (await pipe.exec()) ?? []) {
        if (err) throw err;
        const hash = h as Record<string, string>;
        const unit = fromHash(hash);
        if (unit) out.push({ unit, path: hash.path ?? unit.code });
      }
    }
    return out;
  }

  /** Every stored unit with its path, in tree order. */
  private async readAll(conn: Redis): Promise<StoredUnit[]> {
    const [branches, committees] = await Promise.all([
      conn.zrange(BRANCH_TREE_KEY, 0, -1),
      conn.zrange(COMMITTEE_TREE_KEY, 0, -1),
    ]);
    return this.readStored(conn, mergeSorted(branches, committees).map(lastSegment));
  }
}

interface StoredUnit {
  unit: Unit;
  path: string;
}

/** The path of every unit of an acyclic tree whose parents all exist. */
function computePaths(units: ReadonlyMap<string, Unit>): Map<string, string> {
  const paths = new Map<string, string>();
  for (const code of units.keys()) {
    if (paths.has(code)) continue;
    // Climb to the nearest unit whose path is known, then come back down.
    const climb: string[] = [];
    let cur: string | null = code;
    while (cur !== null && !paths.has(cur)) {
      climb.push(cur);
      cur = units.get(cur)?.parent ?? null;
    }
    let prefix = cur === null ? '' : `${paths.get(cur)}/`;
    for (let i = climb.length - 1; i >= 0; i--) {
      const c = climb[i] as string;
      const path = prefix + c;
      paths.set(c, path);
      prefix = `${path}/`;
    }
  }
  return paths;
}

/** Units with their ancestors (root first, without the unit) from `queueLocated`'s replies, in order; unknown ones left out. */
export function parseLocated(replies: readonly unknown[]): { unit: Unit; ancestors: string[] }[] {
  const out: { unit: Unit; ancestors: string[] }[] = [];
  for (const h of replies) {
    const hash = (h ?? {}) as Record<string, string>;
    const unit = fromHash(hash);
    if (unit) out.push({ unit, ancestors: hash.path ? hash.path.split('/').slice(0, -1) : [] });
  }
  return out;
}
