/**
 * Checks after a restore that the data is whole: the key count, and every maintained aggregate
 * (congress counters per round, meeting totals per month) against a recount from the reports.
 * A torn snapshot or a half-loaded file shows up here as counters that do not add up.
 */
import type { Redis } from 'ioredis';
import { formatNumber } from '../../domain/vn.js';
import { backup as m } from '../../messages/backup.js';
import { CampaignStore } from '../../store/campaigns.js';
import { CongressStore } from '../../store/congress.js';
import { MeetingStore } from '../../store/meetings.js';
import { countApplicationKeys } from '../../store/snapshot.js';
import { UnitStore } from '../../store/units.js';

/** Mismatches listed one by one before the rest are only counted. */
const SHOWN = 20;

export async function checkRestored(redis: Redis, loaded: number): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  const found = await countApplicationKeys(redis);
  const countOk = found === loaded;
  lines.push(
    countOk ? m.countOk(formatNumber(found)) : m.countDiffers(formatNumber(loaded), formatNumber(found)),
  );

  const units = new UnitStore(redis);
  const codes = (await units.all()).map((u) => u.code);
  const ancestors = await units.ancestorsMany(codes);
  const tree = codes.map((code) => ({ code, ancestors: ancestors.get(code) ?? [] }));
  const congress = new CongressStore(redis);
  const campaigns = await new CampaignStore(redis).listCampaigns();
  const problems: string[] = [];
  for (const c of campaigns) {
    for (const x of await congress.checkAggregates(c.id, tree))
      problems.push(
        m.congressMismatch(c.id, x.unit, x.counter, formatNumber(x.stored), formatNumber(x.expected)),
      );
  }
  for (const x of await new MeetingStore(redis).checkAggregates())
    problems.push(
      m.meetingMismatch(x.month, x.unit, x.field, formatNumber(x.stored), formatNumber(x.expected)),
    );

  if (problems.length === 0) lines.push(m.aggregatesOk(formatNumber(campaigns.length)));
  else {
    lines.push(m.aggregatesDiffer(formatNumber(problems.length)), ...problems.slice(0, SHOWN));
    if (problems.length > SHOWN) lines.push(m.moreMismatches(formatNumber(problems.length - SHOWN)));
  }
  return { ok: countOk && problems.length === 0, lines };
}
