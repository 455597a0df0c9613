/**
 * Congress statistics: the counters kept per unit per campaign, each branch's contribution to
 * them, and the paragraph committees paste into their upward report (DOMAIN.md's example, with
 * each ratio on its own denominator).
 *
 * The store keeps one counter hash per unit and applies `delta(old, new)` of a branch's
 * contribution to the branch and every ancestor in the same transaction as the branch's write,
 * so summaries never read reports.
 */
import { congress as m } from '../../messages/congress.js';
import { formatNumber, formatPercent, formatRatio, formatVnDate, type IsoDate } from '../vn.js';
import { formatTerm } from './campaign.js';
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
  /** Congresses without election. */
  noElection: number;
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
] as const satisfies readonly (keyof Counters)[];
export type CounterName = (typeof COUNTER_NAMES)[number];

export function emptyCounters(): Counters {
  return Object.fromEntries(COUNTER_NAMES.map((k) => [k, 0])) as unknown as Counters;
}

const flag = (b: boolean) => (b ? 1 : 0);

/** What one branch adds to its own and its ancestors' counters, given its result and registration. */
export function contribution(
  record: ReportRecord | undefined,
  registration: Registration | undefined,
): Counters {
  const c = emptyCounters();
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
  c.noElection = flag(r.format === 'khong_bau_cu');
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
}

/**
 * The statistics paragraph, one sentence per line, in committees' own wording and order
 * (DOMAIN.md's example): re-elected, first-time, women, young (and minority, when any) as shares
 * of all elected; "người đứng đầu" of the branches where it applies; phó bí thư of all branches
 * that held their congress. A last line gives bí thư elected directly, of the congresses with
 * an election. Plain text with no user text in it, so it is also safe to send as HTML.
 */
export function renderResultStats(c: Counters, opts: ResultStatsOptions): string {
  const s = m.stats;
  const fmt = formatNumber;
  const asOf = formatVnDate(opts.asOf);
  const term = formatTerm(opts.term);
  if (c.held === 0) return s.noneHeld(asOf, fmt(opts.totalBranches), term);

  const lines = [
    s.held(asOf, formatRatio(c.held, opts.totalBranches), formatPercent(c.held, opts.totalBranches), term),
  ];
  if (c.elected > 0) {
    const share = (what: string, n: number) => s.part(what, fmt(n), formatPercent(n, c.elected));
    const parts = [
      `${share(s.partNames.reElected, c.reElected)}, ${share(s.partNames.firstTime, c.elected - c.reElected)}`,
      share(s.partNames.women, c.women),
      share(s.partNames.young, c.young),
    ];
    if (c.minority > 0) parts.push(share(s.partNames.minority, c.minority));
    lines.push(s.elected(fmt(c.elected), parts.join('; ')));
  } else {
    lines.push(s.noneElectedAtAll);
  }
  if (c.headApplicable > 0) {
    lines.push(s.head(formatRatio(c.headYes, c.headApplicable), formatPercent(c.headYes, c.headApplicable)));
  }
  const details: string[] = [];
  if (c.noDeputy > 0) details.push(s.noDeputy(fmt(c.noDeputy)));
  if (c.noElection > 0) details.push(s.noElection(fmt(c.noElection)));
  lines.push(s.deputy(formatRatio(c.deputyElected, c.held), details.join(', ')));
  // Not in the usual paragraph, so it comes last where it does not break the pasted sequence.
  const withElection = c.held - c.noElection;
  if (withElection > 0) {
    lines.push(
      s.direct(formatRatio(c.secretaryDirect, withElection), formatPercent(c.secretaryDirect, withElection)),
    );
  }
  return lines.join('\n');
}
