/** Reading below a unit for /tiendo without listing every branch of its scope. */
import type { Registration } from '../../domain/congress/registration.js';
import type { Counters } from '../../domain/congress/stats.js';
import { isBranch, type Unit } from '../../domain/units.js';
import type { CongressServiceDeps } from './deps.js';

/** One level of the tree as /tiendo reads it. */
export interface Level {
  codes: readonly string[];
  units: ReadonlyMap<string, Unit>;
  aggs: readonly Counters[];
  counts: ReadonlyMap<string, number>;
}

/** Keeps the registrations of branches inside `unitCode`'s subtree. */
export async function inSubtree<L extends Pick<Registration, 'branch'>[][]>(
  deps: Pick<CongressServiceDeps, 'org'>,
  unitCode: string,
  lists: [...L],
): Promise<[...L]> {
  const codes = [...new Set(lists.flat().map((r) => r.branch))];
  const ancestors = await deps.org.units.ancestorsMany(codes);
  const inside = (r: Pick<Registration, 'branch'>) =>
    r.branch === unitCode || (ancestors.get(r.branch) ?? []).includes(unitCode);
  return lists.map((l) => l.filter(inside)) as [...L];
}

/**
 * Up to `limit` branches with neither a registered date nor a result, found by walking down
 * from one level of the tree, in tree order, descending only into committees whose counters
 * say such branches are below them.
 */
export async function withoutDate(
  deps: Pick<CongressServiceDeps, 'org' | 'store'>,
  campaignId: string,
  level: Level,
  limit: number,
  /** Branches not to name (still within an extension). */
  skip: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const found: string[] = [];
  const visit = async (l: Level): Promise<void> => {
    for (const [i, code] of l.codes.entries()) {
      if (found.length >= limit) return;
      const unit = l.units.get(code);
      const agg = l.aggs[i];
      if (!unit || !agg) continue;
      if (isBranch(unit)) {
        if (agg.held === 0 && agg.registeredOnly === 0 && !skip.has(code)) found.push(code);
        continue;
      }
      if ((l.counts.get(code) ?? 0) - agg.held - agg.registeredOnly <= 0) continue;
      const codes = await deps.org.units.children(code);
      const [units, aggs, counts] = await Promise.all([
        deps.org.units.getMany(codes),
        deps.store.aggregates(campaignId, codes),
        deps.org.units.branchCounts(codes),
      ]);
      await visit({ codes, units, aggs, counts });
    }
  };
  await visit(level);
  return found;
}
