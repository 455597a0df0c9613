/**
 * ReminderService against a real Redis and a real outbox queue (no sender): what a run queues,
 * under which ids, that repeats and a second service instance queue nothing more, the
 * escalation to the responsible leader, summary times and bookkeeping, leaders' groups, today's
 * reports read back from the audit stream, and the scheduled jobs wired to the service.
 */

import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScheduledJobs } from '../../jobs/schedules.js';
import { remindersCli } from '../../src/cli/reminders.js';
import { type Config, parseConfig } from '../../src/config.js';
import type { Campaign } from '../../src/domain/congress/campaign.js';
import { type Clock, ManualClock, systemClock } from '../../src/infra/clock.js';
import { createLogger } from '../../src/logger.js';
import { DeliveryStore } from '../../src/outbox/deliveries.js';
import {
  createOutboxQueue,
  Outbox,
  type OutboxQueue,
  outboxId,
  QUEUE_PREFIX,
} from '../../src/outbox/outbox.js';
import { buildServices, type Services } from '../../src/services/index.js';
import { Notifier } from '../../src/services/notifier.js';
import { ReminderService, SCHEDULED_QUEUE } from '../../src/services/reminders/index.js';
import { CampaignStore } from '../../src/store/campaigns.js';
import { CongressStore } from '../../src/store/congress.js';
import { MeetingStore } from '../../src/store/meetings.js';
import { ReminderStore } from '../../src/store/reminders.js';
import { freshRedisUrl } from '../support/redis.js';
import { renderHtml } from '../support/render.js';

const log = createLogger('silent');
const TZ = 'Asia/Ho_Chi_Minh';
/** A local time in Vietnam (UTC+7) as UTC ms. */
const vn = (date: string, time = '08:00') => Date.parse(`${date}T${time}:00+07:00`);

const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,100',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn,XA,20',
  'CB02,Chi bộ Thôn 2,Chi bộ,Thôn,XA,20',
  'BP,Đảng bộ bộ phận Khu 1,Đảng bộ bộ phận,,XA,40',
  'CB03,Chi bộ Khu 1A,Chi bộ,,BP,20',
  'CB04,Chi bộ Khu 1B,Chi bộ,,BP,20',
].join('\n');
const SEC1 = 9001;
const SEC2 = 9002;
const DEP2 = 9012;
const SEC3 = 9003;
const LEAD_XA = 9100;
const LEAD_BP = 9101;
const ADMIN = 9200;

interface Instance {
  services: Services;
  queue: OutboxQueue;
  redis: Redis;
  close(): Promise<void>;
}

function config(url: string): Config {
  return parseConfig({ REDIS_URL: url, ADMIN_IDS: String(ADMIN), QUIET_HOURS: 'off', LOG_LEVEL: 'silent' });
}

/** The services as the app builds them, on their own connections: one "process". */
function instance(url: string, clock: Clock): Instance {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const queue = createOutboxQueue(url);
  const cfg = config(url);
  const outbox = new Outbox(queue, { clock, timezone: TZ, deliveries: new DeliveryStore(redis) });
  const services = buildServices({ config: cfg, log, clock, botUsername: 'test_bot', redis, outbox });
  return {
    services,
    queue,
    redis,
    close: async () => {
      await queue.close();
      await redis.quit();
    },
  };
}

async function seed(s: Services): Promise<Campaign> {
  expect((await s.org.importUnitsCsv('cli', TREE)).ok).toBe(true);
  const now = s.clock.now();
  const grant = (id: number, kind: 'secretary' | 'deputy' | 'leader', unit: string) =>
    s.org.people.grantRole(id, { kind, unit }, 'test', now);
  await grant(SEC1, 'secretary', 'CB01');
  await grant(SEC2, 'secretary', 'CB02');
  await grant(DEP2, 'deputy', 'CB02');
  await grant(SEC3, 'secretary', 'CB03');
  await grant(LEAD_XA, 'leader', 'XA');
  await grant(LEAD_BP, 'leader', 'BP');
  await s.org.people.upsertProfile(SEC1, { first_name: 'Nguyễn Văn Một' });
  const r = await s.congress.createCampaign('cli', {
    name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
    term: '2025-2027',
    scope: 'XA',
    opens: '01/09/2025',
    deadline: '23/09/2025',
  });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.campaign;
}

async function jobIds(queue: OutboxQueue): Promise<string[]> {
  const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
  return jobs.map((j) => j.id ?? '').sort();
}

describe('reminder runs', () => {
  const clock = new ManualClock(vn('2025-09-01'));
  let url: string;
  let a: Instance;
  let b: Instance;
  let campaign: Campaign;

  beforeAll(async () => {
    url = await freshRedisUrl();
    a = instance(url, clock);
    b = instance(url, clock);
    campaign = await seed(a.services);
    // CB02 registers 20/09; CB03 reports on its date.
    const target = await a.services.congress.branchTarget(await a.services.org.viewer(SEC2));
    if (target.kind !== 'ok') throw new Error(target.kind);
    expect(
      (await a.services.congress.registerDate(await a.services.org.viewer(SEC2), target.target, '20/09/2025'))
        .ok,
    ).toBe(true);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('queues the stage reminder to the secretaries and deputies of branches with no date, once', async () => {
    clock.set(vn('2025-09-09'));
    const first = await a.services.reminders.runReminders(clock.now());
    // CB01, CB03 and CB04 have no date; CB04 has no one bound; CB02 registered.
    expect(first.congress).toEqual({ queued: 2, repeated: 0, deferred: 0 });
    const ids = await jobIds(a.queue);
    expect(ids).toContain(outboxId('rem-dh', 'register', campaign.id, 'CB01', 'd14', SEC1));
    expect(ids).toContain(outboxId('rem-dh', 'register', campaign.id, 'CB03', 'd14', SEC3));
    const job = await a.queue.getJob(outboxId('rem-dh', 'register', campaign.id, 'CB01', 'd14', SEC1));
    expect(job?.data.message.text).toContain(
      'Chi bộ Thôn 1 chưa đăng ký ngày đại hội. Hạn hoàn thành: 23/09/2025 (còn 14 ngày). Đồng chí gõ /lich NGÀY GIỜ để đăng ký',
    );
    expect(job?.data.message).toMatchObject({ chatId: SEC1, personId: SEC1, purpose: 'reminder' });

    // The schedule fires again, and a second process runs at the same time: nothing new.
    const [again, other] = await Promise.all([
      a.services.reminders.runReminders(clock.now()),
      b.services.reminders.runReminders(clock.now()),
    ]);
    expect(again.congress.queued + other.congress.queued).toBe(0);
    expect(again.congress.repeated).toBe(2);
    expect(await jobIds(a.queue)).toEqual(ids);
  });

  it('reminds the day before a registered congress, to the secretary and the deputy', async () => {
    clock.set(vn('2025-09-19'));
    const r = await a.services.reminders.runCongressReminders(clock.now());
    expect(r.congress.queued).toBe(2);
    for (const person of [SEC2, DEP2]) {
      const job = await a.queue.getJob(
        outboxId('rem-dh', 'dayBefore', campaign.id, 'CB02', 'truoc-2025-09-20', person),
      );
      expect(job?.data.message.text).toContain(
        'Chi bộ Thôn 2 tổ chức đại hội vào ngày 20/09/2025 (ngày mai).',
      );
    }
  });

  it('escalates overdue branches to their responsible leader, one message per leader', async () => {
    clock.set(vn('2025-09-25'));
    const r = await a.services.reminders.runCongressReminders(clock.now());
    // CB01 and CB03 overdue by 2 days; CB02's date passed 5 days ago; CB04 has nobody to remind.
    expect(r.congress.queued).toBe(4);
    // XA's leader for CB01, CB02 and CB04; BP's own leader for CB03 and CB04.
    expect(r.escalations.queued).toBe(2);
    const xa = await a.queue.getJob(outboxId('rem-dh-lanhdao', LEAD_XA, '2025-09-25'));
    const text = xa?.data.message.text ?? '';
    expect(text).toContain('Đại hội chi bộ nhiệm kỳ 2025 – 2027 (hạn 23/09/2025):');
    expect(text).toContain(
      '- Chi bộ Thôn 1: chưa đăng ký ngày đại hội, quá hạn 2 ngày.\n  Bí thư: Nguyễn Văn Một.',
    );
    expect(text).toContain('- Chi bộ Thôn 2: đại hội ngày 20/09/2025, chưa báo cáo kết quả (quá 5 ngày).');
    expect(text).not.toContain('Chi bộ Khu 1A');
    const bp = (await a.queue.getJob(outboxId('rem-dh-lanhdao', LEAD_BP, '2025-09-25')))?.data.message.text;
    expect(bp).toContain('- Chi bộ Khu 1A: chưa đăng ký ngày đại hội, quá hạn 2 ngày.');
    expect(bp).toContain(
      '- Chi bộ Khu 1B: chưa đăng ký ngày đại hội, quá hạn 2 ngày.\n  Chưa có bí thư dùng bot.',
    );
  });

  it('`reminders run` from the CLI takes the same path: the same day queues nothing again', async () => {
    const out: string[] = [];
    const code = await remindersCli.run(['run', '--only', 'congress'], {
      services: b.services,
      out: (line) => out.push(line),
      err: (line) => out.push(line),
    });
    expect(code).toBe(0);
    expect(out).toEqual([
      'reminders for 25/09/2025',
      'congress: queued 0, already queued 4, held for quiet hours 0',
      'escalations: queued 0, already queued 2, held for quiet hours 0',
      'meetings: queued 0, already queued 0, held for quiet hours 0',
    ]);
  });

  it('reminds secretaries before the meeting day and after the report deadline, unless reported', async () => {
    clock.set(vn('2025-10-02'));
    const soon = await a.services.reminders.runMeetingReminders(clock.now());
    expect(soon.meetings.queued).toBe(3);
    const job = await a.queue.getJob(outboxId('rem-sh', 'soon', 'CB02', '2025-10', 'truoc', SEC2));
    expect(job?.data.message.text).toBe(
      'Ngày mai (03/10/2025) là ngày sinh hoạt chi bộ tháng 10/2025 của Chi bộ Thôn 2. Sau buổi sinh hoạt, đồng chí gõ /sinhhoat để báo cáo.',
    );
    // The deputy is reminded only where no secretary is bound.
    expect(
      await a.queue.getJob(outboxId('rem-sh', 'soon', 'CB02', '2025-10', 'truoc', DEP2)),
    ).toBeUndefined();

    const viewer = await a.services.org.viewer(SEC1);
    const form = [
      'Ngày: 03/10/2025',
      'Loại: thường kỳ',
      'Thời lượng (phút): 120',
      'Tổng số đảng viên: 20',
      'Miễn sinh hoạt: 0',
      'Có mặt: 20',
      'Vắng có lý do: 0',
      'Vắng không lý do: 0',
      'Nội dung: Sinh hoạt thường kỳ',
    ].join('\n');
    clock.set(vn('2025-10-03', '20:00'));
    const { checkMeetingForm } = await import('../../src/domain/meetings/report.js');
    const checked = checkMeetingForm(form, { today: '2025-10-03', branchSize: 20 });
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    expect((await a.services.meetings.saveReport(viewer, 'CB01', checked.report)).ok).toBe(true);

    clock.set(vn('2025-10-09'));
    const late = await a.services.reminders.runMeetingReminders(clock.now());
    expect(late.meetings.queued).toBe(2);
    const overdue = await a.queue.getJob(outboxId('rem-sh', 'overdue', 'CB03', '2025-10', 'qh1', SEC3));
    expect(overdue?.data.message.text).toContain(
      'Chi bộ Khu 1A chưa báo cáo sinh hoạt chi bộ tháng 10/2025. Hạn báo cáo: 08/10/2025 (đã quá 1 ngày). Đồng chí gõ /sinhhoat để báo cáo.',
    );
    expect(
      await a.queue.getJob(outboxId('rem-sh', 'overdue', 'CB01', '2025-10', 'qh1', SEC1)),
    ).toBeUndefined();
  });

  it('reads today’s first reports back from the audit stream', async () => {
    const store = new ReminderStore(a.redis);
    const events = await store.reportsBetween(vn('2025-10-03', '00:00'), vn('2025-10-03', '23:59'));
    expect(events).toEqual([
      { kind: 'meeting', branch: 'CB01', month: '2025-10', at: vn('2025-10-03', '20:00') },
    ]);
    expect(await store.reportsBetween(vn('2025-10-04', '00:00'), vn('2025-10-04', '23:59'))).toEqual([]);
  });
});

describe('summary runs', () => {
  const clock = new ManualClock(vn('2025-09-25', '16:50'));
  let a: Instance;
  let b: Instance;
  let url: string;

  beforeAll(async () => {
    url = await freshRedisUrl();
    a = instance(url, clock);
    b = instance(url, clock);
    await seed(a.services);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('sends each leader’s summary once their time has come, once a day, with the chart', async () => {
    const r = a.services.reminders;
    expect(await r.sendSummaries(clock.now())).toMatchObject({ queued: 0, notYet: 2 });
    const leaderBp = await a.services.org.viewer(LEAD_BP);
    expect((await r.setSummaryTime(leaderBp, '18h30')).text).toContain('18:30');
    expect((await r.setChart(leaderBp, false)).ok).toBe(true);

    clock.set(vn('2025-09-25', '17:00'));
    const [one, two] = await Promise.all([
      r.sendSummaries(clock.now()),
      b.services.reminders.sendSummaries(clock.now()),
    ]);
    expect(one.queued + two.queued).toBe(1);
    const job = await a.queue.getJob(`sum-${LEAD_XA}-20250925`);
    expect(job?.data.message).toMatchObject({ chatId: LEAD_XA, purpose: 'summary' });
    expect(renderHtml(job?.data.message.text ?? '')).toContain('<b>Đảng bộ xã Tân Lập</b>');
    expect(renderHtml(job?.data.message.text ?? '')).toContain('đã đại hội 0/4 (0%) chi bộ');
    expect(job?.data.message.photo?.filename).toBe('tien-do.png');
    expect(
      Buffer.from(job?.data.message.photo?.contentBase64 ?? '', 'base64')
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');

    clock.set(vn('2025-09-25', '18:30'));
    expect(await r.sendSummaries(clock.now())).toMatchObject({ queued: 1, alreadySent: 1 });
    const bp = await a.queue.getJob(`sum-${LEAD_BP}-20250925`);
    expect(renderHtml(bp?.data.message.text ?? '')).toContain('<b>Đảng bộ bộ phận Khu 1</b>');
    expect(renderHtml(bp?.data.message.text ?? '')).not.toContain('Chi bộ Thôn 1');
    expect(bp?.data.message.photo).toBeUndefined();
    expect(await r.sendSummaries(clock.now())).toMatchObject({ queued: 0, alreadySent: 2 });

    // The next day starts afresh.
    clock.set(vn('2025-09-26', '17:15'));
    expect(await r.sendSummaries(clock.now())).toMatchObject({ queued: 1, notYet: 1 });
  });

  it('sends a registered leaders’ group the summary of its scope', async () => {
    const r = a.services.reminders;
    const admin = await a.services.org.viewer(ADMIN);
    const leader = await a.services.org.viewer(LEAD_XA);
    expect((await r.registerGroup(leader, { id: -500, isGroup: true }, 'BP')).ok).toBe(false);
    expect((await r.registerGroup(admin, { id: ADMIN, isGroup: false }, 'BP')).ok).toBe(false);
    expect((await r.registerGroup(admin, { id: -500, isGroup: true }, 'NOPE')).ok).toBe(false);
    expect(
      (await r.registerGroup(admin, { id: -500, title: 'Thường trực', isGroup: true }, 'BP')).text,
    ).toContain('Đảng bộ bộ phận Khu 1 lúc 17:00');
    clock.set(vn('2025-09-27', '17:00'));
    await r.sendSummaries(clock.now());
    const job = await a.queue.getJob(`sum-nhom-500-20250927`);
    expect(job?.data.message.chatId).toBe(-500);
    expect(renderHtml(job?.data.message.text ?? '')).toContain('<b>Đảng bộ bộ phận Khu 1</b>');
    expect((await r.unregisterGroup(admin, { id: -500, isGroup: true })).ok).toBe(true);
    expect((await r.unregisterGroup(admin, { id: -500, isGroup: true })).ok).toBe(false);
  });
});

describe('a failing part of a run', () => {
  const clock = new ManualClock(vn('2025-09-25', '18:45'));
  let a: Instance;

  beforeAll(async () => {
    a = instance(await freshRedisUrl(), clock);
    await seed(a.services);
  });
  afterAll(() => a.close());

  it('does not hold back the other leaders, fails the run, and is made up at the next check', async () => {
    const s = a.services;
    const outbox = new Outbox(a.queue, { clock, timezone: TZ });
    let failing = true;
    class FlakyNotifier extends Notifier {
      override toPerson(...args: Parameters<Notifier['toPerson']>) {
        if (failing && args[0] === LEAD_XA) return Promise.reject(new Error('Redis blinked'));
        return super.toPerson(...args);
      }
    }
    const reminders = new ReminderService({
      org: s.org,
      campaigns: new CampaignStore(a.redis),
      congress: new CongressStore(a.redis),
      meetingStore: new MeetingStore(a.redis),
      meetings: s.meetings,
      store: new ReminderStore(a.redis),
      deliveries: new DeliveryStore(a.redis),
      notifier: new FlakyNotifier(outbox),
      redis: a.redis,
      clock,
      config: s.config,
      log,
    });
    await expect(reminders.sendSummaries(clock.now())).rejects.toThrow('daily summaries: 1 part(s) failed');
    expect(await a.queue.getJob(`sum-${LEAD_BP}-20250925`)).toBeDefined();
    expect(await a.queue.getJob(`sum-${LEAD_XA}-20250925`)).toBeUndefined();
    failing = false;
    clock.set(vn('2025-09-25', '19:00'));
    expect(await reminders.sendSummaries(clock.now())).toMatchObject({ queued: 1, alreadySent: 1 });
    expect(await a.queue.getJob(`sum-${LEAD_XA}-20250925`)).toBeDefined();
  });
});

describe('scheduled jobs', () => {
  let url: string;
  let a: Instance;
  let running: { close(): Promise<void> } | undefined;
  let scheduled: Queue;

  beforeAll(async () => {
    url = await freshRedisUrl();
    a = instance(url, systemClock);
    scheduled = new Queue(SCHEDULED_QUEUE, { connection: a.redis, prefix: QUEUE_PREFIX });
  });
  afterAll(async () => {
    await running?.close();
    await a.close();
  });

  it('registers the schedules on the wall clock and runs the reminder service from them', async () => {
    const cfg = config(url);
    running = await startScheduledJobs({
      redisTarget: url,
      config: cfg,
      services: a.services,
      log,
      clock: systemClock,
    });
    const schedulers = await scheduled.getJobSchedulers(0, -1);
    expect(Object.fromEntries(schedulers.map((s) => [s.key, s.pattern]))).toEqual({
      reminders: '0 8 * * *',
      'daily-summary': '0,15,30,45 * * * *',
      'meeting-reminders': '0 8 * * *',
      'congress-office': '0 8 * * *',
    });
    const admin = await a.services.org.viewer(ADMIN);
    const overview = await a.services.reminders.adminOverview(admin);
    expect(overview.text).toMatch(/Nhắc việc đại hội: lần tới \d{2}\/\d{2}\/\d{4} 08:00/);
    expect(overview.text).toMatch(
      /Kiểm tra gửi bản tổng hợp: lần tới \d{2}\/\d{2}\/\d{4} \d{2}:(00|15|30|45)/,
    );
    expect(overview.text).toContain('Hàng đợi gửi tin: đang chờ 0, hẹn giờ 0, lỗi 0.');
    expect(overview.text).toContain('Người không nhận được tin (chặn bot hoặc chưa bấm Bắt đầu): 0.');
    expect((await a.services.reminders.adminOverview(await a.services.org.viewer(SEC1))).ok).toBe(false);

    await scheduled.add('reminders', {}, { jobId: 'manual-reminders' });
    await scheduled.add('daily-summary', {}, { jobId: 'manual-summary' });
    const runs = new ReminderStore(a.redis);
    const deadline = Date.now() + 10_000;
    while ((await runs.lastRuns()).size < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    expect([...(await runs.lastRuns()).keys()].sort()).toEqual(['daily-summary', 'reminders']);
    const after = await a.services.reminders.adminOverview(admin);
    expect(after.text).toMatch(
      /- Nhắc việc đại hội: chạy lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}, xếp hàng 0 tin/,
    );
  });

  it('does not register wall-clock schedules when the app runs on a clock of its own', async () => {
    const other = await freshRedisUrl();
    const b = instance(other, new ManualClock(vn('2025-09-01')));
    const started = await startScheduledJobs({
      redisTarget: other,
      config: config(other),
      services: b.services,
      log,
      clock: b.services.clock,
    });
    try {
      const q = new Queue(SCHEDULED_QUEUE, { connection: b.redis, prefix: QUEUE_PREFIX });
      expect(await q.getJobSchedulersCount()).toBe(0);
    } finally {
      await started.close();
      await b.close();
    }
  });
});
