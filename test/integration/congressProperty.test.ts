/**
 * Property: whatever sequence of registrations, results, amendments, approvals and extensions
 * (gia hạn) arrives over a small random tree, with every kind of congress mixed in, every unit's
 * maintained counters equal a from-scratch recomputation over the branches' final state, and
 * the counts of held, late, extended and each congress kind equal a model kept by the test.
 */
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CongressReport } from '../../src/domain/congress/report.js';
import { contribution, sumCounters } from '../../src/domain/congress/stats.js';
import { HINH_THUC_NAMES } from '../../src/domain/congress/vocabulary.js';
import { addDays } from '../../src/domain/vn.js';
import { CampaignStore } from '../../src/store/campaigns.js';
import { CongressStore } from '../../src/store/congress.js';
import { testRedis } from '../support/redis.js';

const at = (date: string, hour = 10) => Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00+07:00`);

/** Where a branch may hang: under the root, a committee, or a committee's sub-committee. */
const PATHS = [['R'], ['R', 'C1'], ['R', 'C2'], ['R', 'C1', 'P1'], ['R', 'C2', 'P2']];

const reportArb: fc.Arbitrary<CongressReport> = fc
  .record({
    format: fc.constantFrom(...(Object.keys(HINH_THUC_NAMES) as (keyof typeof HINH_THUC_NAMES)[])),
    elected: fc.integer({ min: 1, max: 7 }),
    shares: fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()),
    day: fc.integer({ min: 0, max: 20 }),
    direct: fc.boolean(),
    head: fc.constantFrom('co', 'khong', 'khong_ap_dung') as fc.Arbitrary<'co' | 'khong' | 'khong_ap_dung'>,
    deputy: fc.boolean(),
    present: fc.integer({ min: 1, max: 30 }),
  })
  .map((r) => {
    const election = r.format === 'bau_cu';
    const elected = election ? r.elected : 0;
    const part = (n: number) => (elected === 0 ? 0 : n % (elected + 1));
    return {
      date: addDays('2025-08-20', r.day),
      format: r.format,
      summoned: 30,
      present: r.present,
      elected,
      reElected: part(r.shares[0]),
      women: part(r.shares[1]),
      young: part(r.shares[2]),
      minority: part(r.shares[3]),
      secretaryDirect: election && r.direct,
      secretaryIsHead: r.head,
      deputy: election ? (r.deputy && elected >= 2 ? 'co' : 'khong') : 'khong_ap_dung',
    } satisfies CongressReport;
  });

const actionArb = fc.oneof(
  fc.record({
    kind: fc.constant('report' as const),
    branch: fc.nat(),
    report: reportArb,
    day: fc.integer({ min: 0, max: 45 }),
  }),
  fc.record({
    kind: fc.constant('register' as const),
    branch: fc.nat(),
    // Up to 11 days past the deadline: refused unless the branch is extended that far.
    day: fc.integer({ min: 0, max: 40 }),
    time: fc.option(fc.integer({ min: 0, max: 1439 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('approve' as const), branch: fc.nat() }),
  fc.record({
    kind: fc.constant('extend' as const),
    branch: fc.nat(),
    days: fc.integer({ min: 1, max: 20 }),
  }),
);

let redis: Redis;
let campaigns: CampaignStore;
let store: CongressStore;

beforeAll(async () => {
  redis = await testRedis();
  campaigns = new CampaignStore(redis);
  store = new CongressStore(redis);
});
afterAll(async () => {
  await redis.quit();
});

describe('congress counters (property)', () => {
  it('equal a from-scratch recomputation after any sequence of reports and amendments', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: PATHS.length - 1 }), { minLength: 1, maxLength: 8 }),
        fc.array(actionArb, { minLength: 1, maxLength: 25 }),
        async (placement, actions) => {
          const campaign = await campaigns.createCampaign(
            {
              name: 'Đại hội chi bộ',
              term: '2025-2027',
              scope: 'R',
              opens: '2025-08-20',
              deadline: '2025-09-30',
              pilots: [],
              youngAge: 35,
            },
            'admin',
            at('2025-08-01'),
          );
          const branches = placement.map((p, i) => ({ code: `B${i}`, ancestors: PATHS[p]! }));
          // What the store should hold at the end, kept independently of it.
          const lastReport = new Map<string, CongressReport>();
          const approved = new Set<string>();
          const firstLate = new Map<string, boolean>();
          const extendedUntil = new Map<string, string>();
          const registered = new Set<string>();
          const deadline = '2025-09-30';

          for (const a of actions) {
            const b = branches[a.branch % branches.length]!;
            const ref = { campaignId: campaign.id, branch: b.code, ancestors: b.ancestors };
            if (a.kind === 'report') {
              const r = await store.saveReport({
                ...ref,
                report: a.report,
                actor: 'u',
                now: at(addDays('2025-09-10', a.day)),
              });
              expect(r.ok).toBe(true);
              if (!lastReport.has(b.code)) firstLate.set(b.code, addDays('2025-09-10', a.day) > deadline);
              // An amendment clears a recorded chuẩn y; re-sending the same result keeps it.
              if (r.ok && !r.unchanged) approved.delete(b.code);
              lastReport.set(b.code, a.report);
            } else if (a.kind === 'register') {
              const date = addDays('2025-09-01', a.day);
              const r = await store.registerDate({
                ...ref,
                date,
                ...(a.time === undefined ? {} : { time: a.time }),
                actor: 'u',
                now: at('2025-09-01'),
              });
              const own = extendedUntil.get(b.code) ?? deadline;
              const allowed = !lastReport.has(b.code) && date <= own;
              expect(r.ok).toBe(allowed);
              if (allowed) registered.add(b.code);
            } else if (a.kind === 'extend') {
              const until = addDays(deadline, a.days);
              const r = await store.extend({ ...ref, until, actor: 'lead', now: at('2025-09-20') });
              expect(r.ok).toBe(!lastReport.has(b.code));
              if (r.ok) extendedUntil.set(b.code, until);
            } else {
              const r = await store.approve({ ...ref, actor: 'lead', now: at('2025-10-01') });
              expect(r.ok).toBe(lastReport.has(b.code));
              if (r.ok) approved.add(b.code);
            }
          }

          const records = await Promise.all(branches.map((b) => store.getReport(campaign.id, b.code)));
          const registrations = await Promise.all(
            branches.map((b) => store.getRegistration(campaign.id, b.code)),
          );
          branches.forEach((b, i) => {
            expect(records[i]?.report).toEqual(lastReport.get(b.code));
            expect(records[i]?.approved !== undefined).toBe(approved.has(b.code));
          });
          const extensions = await Promise.all(branches.map((b) => store.getExtension(campaign.id, b.code)));
          const units = [...new Set(branches.flatMap((b) => [...b.ancestors, b.code]))];
          const inUnit = (u: string) => branches.filter((b) => b.code === u || b.ancestors.includes(u));
          const expected = units.map((u) =>
            sumCounters(
              branches
                .map((b, i) => ({ b, i }))
                .filter(({ b }) => b.code === u || b.ancestors.includes(u))
                .map(({ i }) => contribution(records[i], registrations[i], extensions[i])),
            ),
          );
          const stored = await store.aggregates(campaign.id, units);
          expect(stored).toEqual(expected);
          // The same counts from the test's own model, not from the code under test.
          units.forEach((u, k) => {
            const here = inUnit(u);
            const count = (f: (code: string) => boolean) => here.filter((b) => f(b.code)).length;
            const format = (code: string) => lastReport.get(code)?.format;
            expect({
              held: stored[k]!.held,
              late: stored[k]!.late,
              extended: stored[k]!.extended,
              registered: stored[k]!.registered,
              noElection: stored[k]!.noElection,
              threeItems: stored[k]!.threeItems,
              twoItems: stored[k]!.twoItems,
            }).toEqual({
              held: count((c) => lastReport.has(c)),
              late: count((c) => firstLate.get(c) === true),
              extended: count((c) => extendedUntil.has(c)),
              registered: count((c) => registered.has(c)),
              noElection: count((c) => format(c) !== undefined && format(c) !== 'bau_cu'),
              threeItems: count((c) => format(c) === 'ba_noi_dung'),
              twoItems: count((c) => format(c) === 'hai_noi_dung'),
            });
          });

          await store.recomputeAggregates(campaign.id, branches);
          expect(await store.aggregates(campaign.id, units)).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
  });
});
