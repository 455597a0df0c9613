/**
 * Congress statistics: the counters kept per unit per campaign and each branch's contribution to
 * them. The paragraph committees paste into their upward report is worded from these counters by
 * the catalogue (`msg.congress.resultStats`).
 *
 * The store keeps one counter hash per unit and applies `delta(old, new)` of a branch's
 * contribution to the branch and every ancestor in the same transaction as the branch's write,
 * so summaries never read reports.
 */
import type { IsoDate } from '../vn.js';
import type { Extension } from './extension.js';
import type { Registration } from './registration.js';
import type { ReportRecord } from './report.js';

/** Maintained counts for one unit in one campaign; every field is a sum over its branches. */
export interface Counters {
  /** Branches that reported their congress result. */
  held: number;
  /** Branches with a registered date (reported or not). */
  registered: number;
  /** Branches with a registered date and no result yet. */
  registeredOnly: number;
  /** Results approved (chuẩn y). */
  approved: number;
  /** Results first reported after the campaign deadline. */
  late: number;
  summoned: number;
  present: number;
  elected: number;
  reElected: number;
  women: number;
  young: number;
  minority: number;
  /** Bí thư elected directly by the congress. */
  secretaryDirect: number;
  /** Branches where "bí thư là người đứng đầu" applies (có or không). */
  headApplicable: number;
  headYes: number;
  /** Branches that elected a phó bí thư. */
  deputyElected: number;
  /** Branches that held an election and elected no phó bí thư. */
  noDeputy: number;
  /** Congresses without election, of every kind. */
  noElection: number;
  /** Of those, "đại hội 3 nội dung". */
  threeItems: number;
  /** Of those, "đại hội 2 nội dung". */
  twoItems: number;
  /** Branches granted an extension (gia hạn) past the round's deadline. */
  extended: number;
}

export const COUNTER_NAMES = [
  'held',
  'registered',
  'registeredOnly',
  'approved',
  'late',
  'summoned',
  'present',
  'elected',
  'reElected',
  'women',
  'young',
  'minority',
  'secretaryDirect',
  'headApplicable',
  'headYes',
  'deputyElected',
  'noDeputy',
  'noElection',
  'threeItems',
  'twoItems',
  'extended',
] as const satisfies readonly (keyof Counters)[];
export type CounterName = (typeof COUNTER_NAMES)[number];

const ZERO = Object.freeze(Object.fromEntries(COUNTER_NAMES.map((k) => [k, 0])) as unknown as Counters);

export function emptyCounters(): Counters {
  return { ...ZERO };
}

const flag = (b: boolean) => (b ? 1 : 0);

/**
 * What one branch adds to its own and its ancestors' counters, given its result, registration
 * and extension. (A write that leaves the extension alone may leave it out on both sides of a
 * `delta`.)
 */
export function contribution(
  record: ReportRecord | undefined,
  registration: Registration | undefined,
  extension?: Extension,
): Counters {
  const c = emptyCounters();
  c.extended = flag(extension !== undefined);
  c.registered = flag(registration !== undefined);
  c.registeredOnly = flag(registration !== undefined && record === undefined);
  if (record === undefined) return c;
  const r = record.report;
  c.held = 1;
  c.approved = flag(record.approved !== undefined);
  c.late = flag(record.late);
  c.summoned = r.summoned;
  c.present = r.present;
  c.elected = r.elected;
  c.reElected = r.reElected;
  c.women = r.women;
  c.young = r.young;
  c.minority = r.minority;
  c.secretaryDirect = flag(r.secretaryDirect);
  c.headApplicable = flag(r.secretaryIsHead !== 'khong_ap_dung');
  c.headYes = flag(r.secretaryIsHead === 'co');
  c.deputyElected = flag(r.deputy === 'co');
  c.noDeputy = flag(r.format === 'bau_cu' && r.deputy === 'khong');
  c.noElection = flag(r.format !== 'bau_cu');
  c.threeItems = flag(r.format === 'ba_noi_dung');
  c.twoItems = flag(r.format === 'hai_noi_dung');
  return c;
}

/** `next - prev`, keeping only the counters that change (what HINCRBY needs). */
export function delta(prev: Counters, next: Counters): Partial<Counters> {
  const d: Partial<Counters> = {};
  for (const k of COUNTER_NAMES) {
    const diff = next[k] - prev[k];
    if (diff !== 0) d[k] = diff;
  }
  return d;
}

/** Field-wise sum. */
export function addCounters(a: Counters, b: Partial<Counters>): Counters {
  const out = { ...a };
  for (const k of COUNTER_NAMES) out[k] += b[k] ?? 0;
  return out;
}

/** The sum of many branches' contributions. */
export function sumCounters(list: Iterable<Counters>): Counters {
  let total = emptyCounters();
  for (const c of list) total = addCounters(total, c);
  return total;
}

export interface ResultStatsOptions {
  /** The "Đến ngày …" date. */
  asOf: IsoDate;
  /** Campaign term, "2025-2027". */
  term: string;
  /** Branches in the scope the counters cover (from the units tree). */
  totalBranches: number;
  /** The campaign's age limit for "trẻ (dưới N tuổi)". */
  youngAge: number;
}
