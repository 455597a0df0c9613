import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/domain/congress/campaign.js';
import type { RegistrationProblem } from '../../src/domain/congress/registration.js';
import type { CongressReport } from '../../src/domain/congress/report.js';
import { contribution, emptyCounters, sumCounters } from '../../src/domain/congress/stats.js';
import { msg } from '../../src/messages/index.js';
import { readAudit } from '../../src/store/audit.js';
import { CampaignStore } from '../../src/store/campaigns.js';
import { CongressStore, congressSubject } from '../../src/store/congress.js';
import { congressReport } from '../support/congressReports.js';
import { testRedis } from '../support/redis.js';

/** 10:00 in Hà Nội on `date`, as UTC ms. */
const at = (date: string, hour = 10) => Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00+07:00`);

const ANCESTORS: Record<string, string[]> = {
  CB01: ['XA', 'DB1'],
  CB02: ['XA', 'DB1'],
  CB03: ['XA', 'DB2'],
  CB04: ['XA', 'DB2'],
};
const ref = (campaignId: string, branch: string) => ({
  campaignId,
  branch,
  ancestors: ANCESTORS[branch] ?? ['XA'],
});

type AuditedRecord = { report: CongressReport; version: number };

/** A refusal as the person reads it: the store gives a reason code, the catalogue words it. */
function worded<R extends { ok: boolean }>(r: R): R | { ok: false; message: string } {
  return 'problem' in r
    ? { ok: false, message: msg.congress.registrationProblem(r.problem as RegistrationProblem) }
    : r;
}

function report(extra: Partial<CongressReport> = {}): CongressReport {
  return congressReport({ date: '2025-09-10', summoned: 27, present: 25, women: 1, ...extra });
}

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

async function newCampaign(
  extra: Partial<Parameters<CampaignStore['createCampaign']>[0]> = {},
): Promise<Campaign> {
  return campaigns.createCampaign(
    {
      name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
      term: '2025-2027',
      scope: 'XA',
      opens: '2025-08-20',
      deadline: '2025-09-30',
      pilots: ['CB01'],
      youngAge: 35,
      ...extra,
    },
    'admin',
    at('2025-08-01'),
  );
}

describe('campaigns', () => {
  it('stores, lists and finds the open campaigns covering a unit', async () => {
    const a = await newCampaign();
    const b = await newCampaign({ scope: 'XB' });
    const old = await newCampaign({ opens: '2025-01-01', deadline: '2025-03-31' });
    expect(a.id).toMatch(/^dh[0-9a-z]{8}$/);
    expect(await campaigns.getCampaign(a.id)).toEqual(a);
    expect((await campaigns.listCampaigns()).map((c) => c.id)).toEqual(
      expect.arrayContaining([a.id, b.id, old.id]),
    );

    const covering = await campaigns.campaignsCovering(['TINH', 'XA', 'CB01'], '2025-09-01');
    expect(covering.map((c) => c.id)).toContain(a.id);
    expect(covering.map((c) => c.id)).not.toContain(b.id);
    expect(covering.map((c) => c.id)).not.toContain(old.id);

    const audit = await readAudit(redis, { subject: `campaign:${a.id}` });
    expect(audit.map((e) => e.action)).toEqual(['campaign.create']);
  });

  it('closes a campaign once, after which it covers nothing and takes no reports', async () => {
    const c = await newCampaign();
    expect(await campaigns.closeCampaign(c.id, 'admin', at('2025-09-15'))).toEqual({
      closedAt: at('2025-09-15'),
      alreadyClosed: false,
    });
    expect((await campaigns.closeCampaign(c.id, 'admin', at('2025-09-16'))).alreadyClosed).toBe(true);
    expect((await campaigns.getCampaign(c.id))?.closedAt).toBe(at('2025-09-15'));
    expect((await campaigns.campaignsCovering(['XA'], '2025-09-16')).map((x) => x.id)).not.toContain(c.id);
    const saved = await store.saveReport({
      ...ref(c.id, 'CB02'),
      report: report(),
      actor: 'u',
      now: at('2025-09-16'),
    });
    expect(worded(saved)).toEqual({
      ok: false,
      message: 'Đợt đại hội này đã kết thúc, không nhận thêm đăng ký lịch hay báo cáo kết quả.',
    });
    const audit = await readAudit(redis, { subject: `campaign:${c.id}` });
    expect(audit.map((e) => e.action)).toEqual(['campaign.close', 'campaign.create']);
  });
});

describe('date registration', () => {
  it('refuses dates outside the window, naming it', async () => {
    const c = await newCampaign();
    const r = await store.registerDate({
      ...ref(c.id, 'CB02'),
      date: '2025-10-02',
      actor: 'u',
      now: at('2025-09-01'),
    });
    expect(worded(r)).toEqual({
      ok: false,
      message:
        'Ngày 02/10/2025 nằm ngoài thời gian đại hội của đợt (từ 20/08/2025 đến 30/09/2025). Đề nghị đồng chí chọn ngày trong khoảng này.',
    });
    const early = await store.registerDate({
      ...ref(c.id, 'CB02'),
      date: '2025-08-19',
      actor: 'u',
      now: at('2025-08-01'),
    });
    expect(early.ok).toBe(false);
    expect(await store.getRegistration(c.id, 'CB02')).toBeUndefined();
    expect(await store.aggregate(c.id, 'XA')).toEqual(emptyCounters());
  });

  it('registers, moves and counts a date for the branch and every ancestor, with audit entries', async () => {
    const c = await newCampaign();
    const first = await store.registerDate({
      ...ref(c.id, 'CB02'),
      date: '2025-09-12',
      time: 19 * 60 + 30,
      actor: 'sec2',
      now: at('2025-09-01'),
    });
    expect(first).toMatchObject({
      ok: true,
      changed: true,
      registration: { branch: 'CB02', date: '2025-09-12', time: 1170 },
    });
    const moved = await store.registerDate({
      ...ref(c.id, 'CB02'),
      date: '2025-09-15',
      actor: 'sec2',
      now: at('2025-09-02'),
    });
    expect(moved).toMatchObject({
      ok: true,
      changed: true,
      registration: { date: '2025-09-15' },
      previous: { date: '2025-09-12', time: 1170 },
    });
    const again = await store.registerDate({
      ...ref(c.id, 'CB02'),
      date: '2025-09-15',
      actor: 'sec2',
      now: at('2025-09-03'),
    });
    expect(again).toMatchObject({ ok: true, changed: false });

    for (const unit of ['XA', 'DB1', 'CB02']) {
      expect(await store.aggregate(c.id, unit)).toEqual({
        ...emptyCounters(),
        registered: 1,
        registeredOnly: 1,
      });
    }
    expect(await store.aggregate(c.id, 'DB2')).toEqual(emptyCounters());
    expect(await store.upcoming(c.id, '2025-09-01', '2025-09-30')).toEqual([
      { branch: 'CB02', date: '2025-09-15' },
    ]);
    const audit = await readAudit(redis, { subject: congressSubject(c.id, 'CB02') });
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['congress.date', 'sec2'],
      ['congress.date', 'sec2'],
    ]);
    expect(audit[0]?.before).toEqual({ branch: 'CB02', date: '2025-09-12', time: 1170 });
  });

  it('answers the "next 7 days" and "date passed" range queries from the date set', async () => {
    const c = await newCampaign();
    const reg = (branch: string, date: string, time?: number) =>
      store.registerDate({
        ...ref(c.id, branch),
        date,
        ...(time === undefined ? {} : { time }),
        actor: 'u',
        now: at('2025-09-01'),
      });
    await reg('CB01', '2025-09-05');
    await reg('CB02', '2025-09-12', 8 * 60);
    await reg('CB03', '2025-09-12', 7 * 60 + 30);
    await reg('CB04', '2025-09-19');
    await reg('CB05', '2025-09-11');
    expect(await store.upcoming(c.id, '2025-09-12', '2025-09-18')).toEqual([
      { branch: 'CB03', date: '2025-09-12', time: 450 },
      { branch: 'CB02', date: '2025-09-12', time: 480 },
    ]);
    expect((await store.upcoming(c.id, '2025-09-11', '2025-09-19')).map((r) => r.branch)).toEqual([
      'CB05',
      'CB03',
      'CB02',
      'CB04',
    ]);
    // A branch that reported is no longer waiting for its date.
    await store.saveReport({
      ...ref(c.id, 'CB05'),
      report: report({ date: '2025-09-11' }),
      actor: 'u',
      now: at('2025-09-11'),
    });
    expect((await store.upcoming(c.id, '2025-09-11', '2025-09-19')).map((r) => r.branch)).toEqual([
      'CB03',
      'CB02',
      'CB04',
    ]);
    expect(await store.overdueRegistrations(c.id, '2025-09-13')).toEqual([
      { branch: 'CB01', date: '2025-09-05' },
      { branch: 'CB03', date: '2025-09-12', time: 450 },
      { branch: 'CB02', date: '2025-09-12', time: 480 },
    ]);
    expect(await store.reportedBranches(c.id, ['CB01', 'CB05', 'CB09'])).toEqual([false, true, false]);
    expect((await store.registeredBranches(c.id, ['CB05', 'CB09'])).map((r) => r?.date)).toEqual([
      '2025-09-11',
      undefined,
    ]);
  });

  it('warns a non-pilot branch about its pilot congress, from the pilot status in the store', async () => {
    const c = await newCampaign({ pilots: ['CB01', 'CB03'] });
    const reg = (branch: string, date: string) =>
      store.registerDate({
        ...ref(c.id, branch),
        date,
        committeePilots: ['CB01'],
        actor: 'u',
        now: at('2025-08-25'),
      });
    expect((await reg('CB02', '2025-09-10')) as { pilotWarning?: unknown }).toMatchObject({
      ok: true,
      pilotWarning: { pilot: 'CB01', reason: 'not_scheduled' },
    });
    expect(await reg('CB01', '2025-09-05')).not.toHaveProperty('pilotWarning');
    expect(await reg('CB02', '2025-09-04')).toMatchObject({
      ok: true,
      pilotWarning: { pilot: 'CB01', reason: 'before_pilot', pilotDate: '2025-09-05', pilotHeld: false },
    });
    expect(await reg('CB02', '2025-09-06')).not.toHaveProperty('pilotWarning');
    expect(await store.pilotStatus(c.id, ['CB01', 'CB03'])).toEqual([
      { branch: 'CB01', held: false, date: '2025-09-05' },
      { branch: 'CB03', held: false },
    ]);
  });

  it('refuses a date once the branch has reported', async () => {
    const c = await newCampaign();
    await store.saveReport({ ...ref(c.id, 'CB02'), report: report(), actor: 'u', now: at('2025-09-10') });
    const r = await store.registerDate({
      ...ref(c.id, 'CB02'),
      date: '2025-09-20',
      actor: 'u',
      now: at('2025-09-11'),
    });
    expect(worded(r)).toEqual({
      ok: false,
      message: 'Chi bộ đã báo cáo kết quả đại hội ngày 10/09/2025, không cần đăng ký lịch nữa.',
    });
  });
});

describe('results', () => {
  it('keeps every earlier version of an amended result, with audit entries before and after', async () => {
    const c = await newCampaign();
    await store.registerDate({
      ...ref(c.id, 'CB01'),
      date: '2025-09-10',
      actor: 'sec1',
      now: at('2025-09-01'),
    });
    const v1 = report();
    const v2 = report({ women: 2 });
    const v3 = report({ women: 2, deputy: 'khong', note: 'Sửa số nữ' });
    expect(
      await store.saveReport({ ...ref(c.id, 'CB01'), report: v1, actor: 'sec1', now: at('2025-09-10', 20) }),
    ).toEqual({
      ok: true,
      version: 1,
      amended: false,
      unchanged: false,
    });
    expect(
      await store.saveReport({ ...ref(c.id, 'CB01'), report: v2, actor: 'sec1', now: at('2025-09-11') }),
    ).toMatchObject({
      version: 2,
      amended: true,
    });
    expect(
      await store.saveReport({ ...ref(c.id, 'CB01'), report: v3, actor: 'dep1', now: at('2025-09-12') }),
    ).toMatchObject({
      version: 3,
      amended: true,
    });
    // The same result sent again writes nothing.
    expect(
      await store.saveReport({ ...ref(c.id, 'CB01'), report: v3, actor: 'dep1', now: at('2025-09-13') }),
    ).toEqual({
      ok: true,
      version: 3,
      amended: false,
      unchanged: true,
    });

    const history = await store.reportHistory(c.id, 'CB01');
    expect(history.map((h) => [h.version, h.report, h.savedBy])).toEqual([
      [1, v1, 'sec1'],
      [2, v2, 'sec1'],
      [3, v3, 'dep1'],
    ]);
    expect((await store.getReport(c.id, 'CB01'))?.report).toEqual(v3);

    const audit = (await readAudit(redis, { subject: congressSubject(c.id, 'CB01') })).filter(
      (e) => e.action === 'congress.report',
    );
    expect(audit).toHaveLength(3);
    // Newest first.
    const [third, second, first] = audit.map((e) => e as { before?: AuditedRecord; after?: AuditedRecord });
    expect(first?.before).toBeUndefined();
    expect(first?.after?.report).toEqual(v1);
    expect(second?.before?.report).toEqual(v1);
    expect(second?.after?.report).toEqual(v2);
    expect(third?.before?.version).toBe(2);
    expect(third?.after?.report).toEqual(v3);

    const expected = contribution(history[2], { branch: 'CB01', date: '2025-09-10' });
    for (const unit of ['XA', 'DB1', 'CB01']) expect(await store.aggregate(c.id, unit)).toEqual(expected);
    expect(expected).toMatchObject({ held: 1, registeredOnly: 0, women: 2, deputyElected: 0, noDeputy: 1 });
  });

  it('leaves aggregates after amendments equal to a recomputation from scratch', async () => {
    const c = await newCampaign();
    const units = ['XA', 'DB1', 'DB2', 'CB01', 'CB02', 'CB03', 'CB04'];
    await store.registerDate({ ...ref(c.id, 'CB04'), date: '2025-09-25', actor: 'u', now: at('2025-09-01') });
    await store.saveReport({ ...ref(c.id, 'CB01'), report: report(), actor: 'u', now: at('2025-09-10') });
    await store.saveReport({
      ...ref(c.id, 'CB03'),
      report: report({ elected: 7, reElected: 5 }),
      actor: 'u',
      now: at('2025-09-10'),
    });
    await store.saveReport({
      ...ref(c.id, 'CB01'),
      report: report({
        format: 'khong_bau_cu',
        elected: 0,
        reElected: 0,
        women: 0,
        young: 0,
        secretaryDirect: false,
        deputy: 'khong_ap_dung',
      }),
      actor: 'u',
      now: at('2025-09-11'),
    });
    await store.approve({ ...ref(c.id, 'CB03'), actor: 'lead', now: at('2025-09-12') });
    await store.saveReport({
      ...ref(c.id, 'CB03'),
      report: report({ elected: 6, reElected: 5 }),
      actor: 'u',
      now: at('2025-09-13'),
    });

    const incremental = await store.aggregates(c.id, units);
    const result = await store.recomputeAggregates(
      c.id,
      Object.entries(ANCESTORS).map(([code, ancestors]) => ({ code, ancestors })),
    );
    expect(result).toEqual({ units: 6, branches: 4, orphans: [] });
    expect(await store.aggregates(c.id, units)).toEqual(incremental);
    expect(incremental[0]).toMatchObject({
      held: 2,
      registeredOnly: 1,
      elected: 6,
      noElection: 1,
      // The amendment after approval cleared it.
      approved: 0,
    });
  });

  it('approves once: a second approval changes nothing and is not audited', async () => {
    const c = await newCampaign();
    expect(await store.approve({ ...ref(c.id, 'CB02'), actor: 'lead', now: at('2025-09-12') })).toEqual({
      ok: false,
      reason: 'no_report',
    });
    await store.saveReport({ ...ref(c.id, 'CB02'), report: report(), actor: 'u', now: at('2025-09-10') });
    const decision = { number: '123-QĐ/ĐU', date: '2025-09-12' };
    const first = await store.approve({
      ...ref(c.id, 'CB02'),
      actor: 'lead',
      now: at('2025-09-12'),
      decision,
    });
    const second = await store.approve({ ...ref(c.id, 'CB02'), actor: 'lead2', now: at('2025-09-13') });
    const approved = { by: 'lead', at: at('2025-09-12'), version: 1, ...decision };
    expect(first).toMatchObject({ ok: true, alreadyApproved: false, approved });
    expect(second).toMatchObject({ ok: true, alreadyApproved: true, approved });
    expect((await store.getReport(c.id, 'CB02'))?.approved).toEqual(approved);
    expect((await store.aggregate(c.id, 'XA')).approved).toBe(1);
    expect(await store.decisions(c.id, 'XA')).toEqual({ count: 1, latest: [{ ...decision, branches: 1 }] });
    const audit = await readAudit(redis, { subject: congressSubject(c.id, 'CB02') });
    expect(audit.filter((e) => e.action === 'congress.approve')).toHaveLength(1);
  });

  it('binds a decision to the version shown, and an amendment clears it', async () => {
    const c = await newCampaign();
    await store.saveReport({ ...ref(c.id, 'CB02'), report: report(), actor: 'u', now: at('2025-09-10') });
    await store.saveReport({
      ...ref(c.id, 'CB02'),
      report: report({ women: 0 }),
      actor: 'u',
      now: at('2025-09-11'),
    });
    const decision = { number: '7-QĐ/ĐU', date: '2025-09-12' };
    const stale = await store.approve({
      ...ref(c.id, 'CB02'),
      actor: 'lead',
      now: at('2025-09-12'),
      version: 1,
      decision,
    });
    expect(stale).toEqual({ ok: false, reason: 'stale', current: 2 });
    expect((await store.aggregate(c.id, 'XA')).approved).toBe(0);
    const ok = await store.approve({
      ...ref(c.id, 'CB02'),
      actor: 'lead',
      now: at('2025-09-12'),
      version: 2,
      decision,
    });
    expect(ok.ok).toBe(true);
    expect((await store.aggregate(c.id, 'DB1')).approved).toBe(1);

    const amended = await store.saveReport({
      ...ref(c.id, 'CB02'),
      report: report({ women: 1 }),
      actor: 'u',
      now: at('2025-09-14'),
    });
    expect(amended).toMatchObject({
      ok: true,
      version: 3,
      clearedApproval: { approved: { number: '7-QĐ/ĐU', version: 2 }, previous: { women: 0 } },
    });
    expect((await store.getReport(c.id, 'CB02'))?.approved).toBeUndefined();
    expect((await store.aggregate(c.id, 'DB1')).approved).toBe(0);
    expect((await store.aggregate(c.id, 'XA')).approved).toBe(0);
    expect(await store.decisions(c.id, 'XA')).toEqual({ count: 0, latest: [] });
  });

  it('counts a result first sent after the deadline as late, and keeps that on amendment', async () => {
    const c = await newCampaign();
    await store.saveReport({ ...ref(c.id, 'CB01'), report: report(), actor: 'u', now: at('2025-09-30', 23) });
    await store.saveReport({ ...ref(c.id, 'CB02'), report: report(), actor: 'u', now: at('2025-10-01', 8) });
    await store.saveReport({
      ...ref(c.id, 'CB02'),
      report: report({ women: 0 }),
      actor: 'u',
      now: at('2025-10-02'),
    });
    expect((await store.getReport(c.id, 'CB01'))?.late).toBe(false);
    expect((await store.getReport(c.id, 'CB02'))?.late).toBe(true);
    expect((await store.aggregate(c.id, 'XA')).late).toBe(1);
  });

  it('keeps aggregates right when several processes save the same branch at once', async () => {
    const c = await newCampaign();
    const clients = Array.from({ length: 4 }, () => redis.duplicate());
    try {
      const stores = clients.map((cl) => new CongressStore(cl));
      await store.registerDate({
        ...ref(c.id, 'CB03'),
        date: '2025-09-10',
        actor: 'u',
        now: at('2025-09-01'),
      });
      const saves = Array.from({ length: 24 }, (_, i) =>
        stores[i % stores.length]!.saveReport({
          ...ref(c.id, 'CB03'),
          report: report({
            elected: 1 + (i % 7),
            reElected: i % 2,
            women: 1,
            young: 0,
            deputy: i % 7 === 0 ? 'khong' : 'co',
          }),
          actor: `u${i}`,
          now: at('2025-09-10', 12) + i,
        }),
      );
      const results = await Promise.all(saves);
      const versions = results.map((r) => (r.ok ? r.version : 0)).filter((v) => v > 0);
      const current = await store.getReport(c.id, 'CB03');
      const history = await store.reportHistory(c.id, 'CB03');
      expect(history.map((h) => h.version)).toEqual(history.map((_, i) => i + 1));
      expect(current?.version).toBe(history.length);
      expect(Math.max(...versions)).toBe(history.length);
      const expected = contribution(current, { branch: 'CB03', date: '2025-09-10' });
      for (const unit of ['XA', 'DB2', 'CB03']) expect(await store.aggregate(c.id, unit)).toEqual(expected);
    } finally {
      await Promise.all(clients.map((cl) => cl.quit()));
    }
  });

  it('rebuilds the counters after a re-import moved a branch, and names orphans', async () => {
    const c = await newCampaign();
    await store.saveReport({
      ...ref(c.id, 'CB01'),
      report: report({ elected: 3, reElected: 1 }),
      actor: 'u',
      now: at('2025-09-10'),
    });
    await store.saveReport({ ...ref(c.id, 'CB02'), report: report(), actor: 'u', now: at('2025-09-10') });
    await store.registerDate({ ...ref(c.id, 'CB04'), date: '2025-09-20', actor: 'u', now: at('2025-09-10') });
    const decision = { number: '45-QĐ/ĐU', date: '2025-09-12' };
    for (const b of ['CB01', 'CB02'])
      expect(
        (await store.approve({ ...ref(c.id, b), actor: 'lead', now: at('2025-09-12'), decision })).ok,
      ).toBe(true);
    // CB02 moves to DB2; CB04 was deleted by the import.
    const result = await store.recomputeAggregates(c.id, [
      { code: 'CB01', ancestors: ['XA', 'DB1'] },
      { code: 'CB02', ancestors: ['XA', 'DB2'] },
      { code: 'CB03', ancestors: ['XA', 'DB2'] },
    ]);
    expect(result.orphans).toEqual(['CB04']);
    const [cb1, cb2] = await Promise.all([store.getReport(c.id, 'CB01'), store.getReport(c.id, 'CB02')]);
    expect(await store.aggregate(c.id, 'DB1')).toEqual(contribution(cb1, undefined));
    expect(await store.aggregate(c.id, 'DB2')).toEqual(contribution(cb2, undefined));
    expect(await store.aggregate(c.id, 'XA')).toEqual(
      sumCounters([contribution(cb1, undefined), contribution(cb2, undefined)]),
    );
    // The decision index follows the move: one branch under each đảng bộ, both under XA.
    const under = async (unit: string) => (await store.decisions(c.id, unit)).latest;
    expect(await under('DB1')).toEqual([{ ...decision, branches: 1 }]);
    expect(await under('DB2')).toEqual([{ ...decision, branches: 1 }]);
    expect(await under('XA')).toEqual([{ ...decision, branches: 2 }]);
    // The date set is kept: CB04's registration is still there for when it comes back.
    expect((await store.upcoming(c.id, '2025-09-20', '2025-09-20')).map((r) => r.branch)).toEqual(['CB04']);
  });

  it('stays under 1 KB of Redis per reported branch', async () => {
    const c = await newCampaign();
    const n = 200;
    for (let i = 0; i < n; i++) {
      const branch = `CB${String(i).padStart(4, '0')}`;
      const r = { campaignId: c.id, branch, ancestors: ['TINH', 'XA', `DB${i % 10}`] };
      await store.registerDate({
        ...r,
        date: '2025-09-10',
        time: 19 * 60 + 30,
        actor: '1234567890',
        now: at('2025-09-01'),
      });
      await store.saveReport({
        ...r,
        report: report({ note: 'Đại hội đúng quy trình, đảm bảo thời gian' }),
        actor: '1234567890',
        now: at('2025-09-10', 21),
      });
    }
    let bytes = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `cb:dh:${c.id}:*`, 'COUNT', 1000);
      for (const key of keys) bytes += (await redis.memory('USAGE', key)) ?? 0;
      cursor = next;
    } while (cursor !== '0');
    expect(bytes / n).toBeLessThan(1024);
  });
});
