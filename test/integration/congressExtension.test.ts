import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/domain/congress/campaign.js';
import { isCampaignOpen } from '../../src/domain/congress/campaign.js';
import { readAudit } from '../../src/store/audit.js';
import { CampaignStore } from '../../src/store/campaigns.js';
import { CongressStore, congressSubject } from '../../src/store/congress.js';
import { congressReport } from '../support/congressReports.js';
import { testRedis } from '../support/redis.js';

/** 10:00 in Hà Nội on `date`, as UTC ms. */
const at = (date: string) => Date.parse(`${date}T10:00:00+07:00`);
const ref = (campaignId: string, branch: string) => ({ campaignId, branch, ancestors: ['XA', 'DB1'] });

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

function newCampaign(): Promise<Campaign> {
  return campaigns.createCampaign(
    {
      name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
      term: '2025-2027',
      scope: 'XA',
      opens: '2025-08-20',
      deadline: '2025-09-30',
      pilots: [],
      youngAge: 35,
    },
    'admin',
    at('2025-08-01'),
  );
}

describe('extensions (gia hạn) in the store', () => {
  it('lets an extended branch register and report after the deadline, counted as held and late', async () => {
    const c = await newCampaign();
    const now = at('2025-10-02');
    // Before the extension the date after the deadline is refused.
    const refused = await store.registerDate({ ...ref(c.id, 'CB01'), date: '2025-10-10', actor: 's1', now });
    expect(refused).toEqual({
      ok: false,
      problem: { code: 'outsideWindow', date: '2025-10-10', opens: '2025-08-20', deadline: '2025-09-30' },
    });

    const ext = await store.extend({
      ...ref(c.id, 'CB01'),
      until: '2025-10-15',
      reason: 'Chi bộ sáp nhập',
      actor: 'l1',
      now,
    });
    expect(ext).toEqual({
      ok: true,
      extension: { until: '2025-10-15', reason: 'Chi bộ sáp nhập', by: 'l1', at: now },
    });
    expect((await campaigns.getCampaign(c.id))?.extendedUntil).toBe('2025-10-15');
    expect((await store.aggregate(c.id, 'XA')).extended).toBe(1);
    expect(await store.extensions(c.id)).toEqual([{ branch: 'CB01', until: '2025-10-15' }]);

    // Within the extension: yes. After it: no. Another branch: still no.
    expect(
      (await store.registerDate({ ...ref(c.id, 'CB01'), date: '2025-10-16', actor: 's1', now })).ok,
    ).toBe(false);
    expect(
      (await store.registerDate({ ...ref(c.id, 'CB02'), date: '2025-10-10', actor: 's2', now })).ok,
    ).toBe(false);
    const reg = await store.registerDate({ ...ref(c.id, 'CB01'), date: '2025-10-10', actor: 's1', now });
    expect(reg.ok).toBe(true);
    // The extension survives the registration.
    expect((await store.getExtension(c.id, 'CB01'))?.until).toBe('2025-10-15');

    const saved = await store.saveReport({
      ...ref(c.id, 'CB01'),
      report: congressReport({ date: '2025-10-10' }),
      actor: 's1',
      now: at('2025-10-10'),
    });
    expect(saved.ok).toBe(true);
    const record = await store.getReport(c.id, 'CB01');
    expect(record?.late).toBe(true);
    const xa = await store.aggregate(c.id, 'XA');
    expect({
      held: xa.held,
      late: xa.late,
      extended: xa.extended,
      registeredOnly: xa.registeredOnly,
    }).toEqual({
      held: 1,
      late: 1,
      extended: 1,
      registeredOnly: 0,
    });
    expect((await store.getExtension(c.id, 'CB01'))?.reason).toBe('Chi bộ sáp nhập');
    // Recounting from the entries gives the same counters.
    expect(await store.checkAggregates(c.id, [{ code: 'CB01', ancestors: ['XA', 'DB1'] }])).toEqual([]);
  });

  it('audits each extension with before and after, and moving it keeps one count', async () => {
    const c = await newCampaign();
    const now = at('2025-10-01');
    await store.extend({ ...ref(c.id, 'CB02'), until: '2025-10-20', actor: 'l1', now });
    const moved = await store.extend({ ...ref(c.id, 'CB02'), until: '2025-10-25', actor: 'admin', now });
    expect(moved.ok && moved.previous?.until).toBe('2025-10-20');
    expect((await store.aggregate(c.id, 'DB1')).extended).toBe(1);
    const audit = await readAudit(redis, { subject: congressSubject(c.id, 'CB02') });
    const extends_ = audit.filter((e) => e.action === 'congress.extend');
    expect(extends_).toHaveLength(2);
    expect(extends_.map((e) => (e.after as { until: string }).until).sort()).toEqual([
      '2025-10-20',
      '2025-10-25',
    ]);
    expect(extends_.some((e) => (e.before as { until?: string } | undefined)?.until === '2025-10-20')).toBe(
      true,
    );
  });

  it('refuses a date not after the deadline, a past date, a reported branch and a closed round; saves nothing', async () => {
    const c = await newCampaign();
    const now = at('2025-10-05');
    expect(await store.extend({ ...ref(c.id, 'CB03'), until: '2025-09-30', actor: 'l', now })).toEqual({
      ok: false,
      problem: { code: 'notAfterDeadline', until: '2025-09-30', deadline: '2025-09-30' },
    });
    expect(await store.extend({ ...ref(c.id, 'CB03'), until: '2025-10-04', actor: 'l', now })).toEqual({
      ok: false,
      problem: { code: 'inPast', until: '2025-10-04', today: '2025-10-05' },
    });
    await store.saveReport({
      ...ref(c.id, 'CB04'),
      report: congressReport({ date: '2025-09-10' }),
      actor: 's',
      now: at('2025-09-11'),
    });
    expect(await store.extend({ ...ref(c.id, 'CB04'), until: '2025-10-20', actor: 'l', now })).toEqual({
      ok: false,
      problem: { code: 'alreadyReported', date: '2025-09-10' },
    });
    await campaigns.closeCampaign(c.id, 'admin', now);
    expect(await store.extend({ ...ref(c.id, 'CB03'), until: '2025-10-20', actor: 'l', now })).toEqual({
      ok: false,
      problem: { code: 'campaignClosed' },
    });
    expect(await store.extensions(c.id)).toEqual([]);
    expect((await store.aggregate(c.id, 'XA')).extended).toBe(0);
    expect((await campaigns.getCampaign(c.id))?.extendedUntil).toBeUndefined();
  });

  it('keeps the round open past the usual grace for an extension, but only for the extended branch', async () => {
    const c = await newCampaign();
    await store.extend({ ...ref(c.id, 'CB01'), until: '2025-12-31', actor: 'l', now: at('2025-10-01') });
    const round = (await campaigns.getCampaign(c.id))!;
    // 30 days' grace after 30/09 ends on 30/10; the extension keeps the round open after it.
    expect(isCampaignOpen(round, '2025-11-15')).toBe(true);
    const late = at('2025-11-15');
    const other = await store.saveReport({
      ...ref(c.id, 'CB02'),
      report: congressReport({ date: '2025-09-20' }),
      actor: 's2',
      now: late,
    });
    expect(other).toEqual({ ok: false, problem: { code: 'campaignClosed' } });
    const extended = await store.saveReport({
      ...ref(c.id, 'CB01'),
      report: congressReport({ date: '2025-11-14' }),
      actor: 's1',
      now: late,
    });
    expect(extended.ok).toBe(true);
  });
});
