/**
 * DirectiveService against a real Redis, without a bot: who an audience reaches, what `send`
 * stores and queues, the fan-out's batches and backlog wait, acknowledgements, cancelling and
 * the leaders' step. The outbox jobs are read from the queue, nothing is sent to Telegram.
 */

import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toPlainText } from '../../src/chat/markup.js';
import { CANCELLED_REASON } from '../../src/domain/directives.js';
import { ManualClock } from '../../src/infra/clock.js';
import { createLogger } from '../../src/logger.js';
import { DeliveryStore } from '../../src/outbox/deliveries.js';
import {
  createOutboxQueue,
  Outbox,
  type OutboxQueue,
  outboxId,
  QUEUE_PREFIX,
} from '../../src/outbox/outbox.js';
import { Dialogs } from '../../src/services/dialogs.js';
import {
  DIRECTIVE_QUEUE,
  DirectiveJobs,
  DirectiveService,
  directiveJobId,
  FANOUT_BATCH,
} from '../../src/services/directives/index.js';
import { Notifier } from '../../src/services/notifier.js';
import { Organisation, type Viewer } from '../../src/services/organisation.js';
import { ConversationStore } from '../../src/store/conversations.js';
import { DirectiveStore } from '../../src/store/directives.js';
import { InviteStore } from '../../src/store/invites.js';
import { PeopleStore } from '../../src/store/people.js';
import { UnitStore } from '../../src/store/units.js';
import { toKeyboard } from '../../src/telegram/render.js';
import { freshRedisUrl } from '../support/redis.js';
import { renderHtml } from '../support/render.js';

const NOW = Date.UTC(2025, 8, 15, 3, 0);
const ADMIN: Viewer = { id: 900, roles: [{ kind: 'admin' }] };
const TZ = 'Asia/Ho_Chi_Minh';

let url: string;
let redis: Redis;
let outboxQueue: OutboxQueue;
let directiveQueue: Queue;
let deliveries: DeliveryStore;
let org: Organisation;
let svc: DirectiveService;
const clock = new ManualClock(NOW);

const CSV = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,,80',
  'DB1,Đảng bộ bộ phận Khu 1,Đảng bộ bộ phận,,XA,40',
  'CB1,Chi bộ Thôn 1,Chi bộ,Thôn,DB1,10',
  'CB2,Chi bộ Thôn 2,Chi bộ,Thôn,DB1,10',
  'CB3,Chi bộ Trường học,Chi bộ,Trường học,DB1,10',
  'CB4,Chi bộ Công an xã,Chi bộ,Công an,XA,10',
].join('\n');

beforeAll(async () => {
  url = await freshRedisUrl();
  const { Redis } = await import('ioredis');
  redis = new Redis(url, { maxRetriesPerRequest: null });
  outboxQueue = createOutboxQueue(url);
  directiveQueue = new Queue(DIRECTIVE_QUEUE, { connection: redis, prefix: QUEUE_PREFIX });
});
afterAll(async () => {
  await outboxQueue.close();
  await directiveQueue.close();
  await redis.quit();
});

beforeEach(async () => {
  await redis.flushdb();
  clock.set(NOW);
  deliveries = new DeliveryStore(redis);
  const people = new PeopleStore(redis, { adminIds: [ADMIN.id] });
  org = new Organisation(new UnitStore(redis), people, new InviteStore(redis), deliveries, clock, 'bot');
  const outbox = new Outbox(outboxQueue, { clock, timezone: TZ, deliveries });
  svc = new DirectiveService({
    store: new DirectiveStore(redis),
    org,
    dialogs: new Dialogs(new ConversationStore(redis), clock, createLogger('silent')),
    notifier: new Notifier(outbox),
    deliveries,
    jobs: new DirectiveJobs(redis),
    clock,
    timezone: TZ,
    log: createLogger('silent'),
  });
  expect((await org.importUnitsCsv('cli', CSV)).ok).toBe(true);
  const grant = (id: number, kind: 'secretary' | 'deputy' | 'leader', unit: string) =>
    people.grantRole(id, { kind, unit }, 'test', NOW);
  await grant(701, 'secretary', 'CB1');
  await grant(701, 'secretary', 'CB2');
  await grant(703, 'deputy', 'CB3');
  await grant(704, 'secretary', 'CB4');
  await grant(704, 'deputy', 'CB4');
  await grant(700, 'leader', 'DB1');
  await grant(710, 'leader', 'XA');
  for (const [id, first] of [
    [701, 'An'],
    [703, 'Ba'],
    [704, 'Tư'],
    [700, 'Bình'],
    [710, 'Hùng'],
  ] as const)
    await people.upsertProfile(id, { first_name: first });
});

describe('who an audience reaches', () => {
  it('sends one message per person, and a deputy stands in for a branch without secretary', async () => {
    const all = await svc.recipientsFor({ kind: 'all-secretaries' });
    expect(all.map((r) => [r.personId, r.role, r.units.map((u) => u.code)])).toEqual([
      [704, 'secretary', ['CB4']],
      [701, 'secretary', ['CB1', 'CB2']],
      [703, 'deputy', ['CB3']],
    ]);
  });

  it('narrows to a subtree, a single branch, or branch kinds', async () => {
    const codes = async (a: Parameters<DirectiveService['recipientsFor']>[0]) =>
      (await svc.recipientsFor(a)).flatMap((r) => r.units.map((u) => u.code));
    expect(await codes({ kind: 'unit', unit: 'DB1' })).toEqual(['CB1', 'CB2', 'CB3']);
    expect(await codes({ kind: 'unit', unit: 'CB4' })).toEqual(['CB4']);
    expect(await codes({ kind: 'kind', kinds: ['truong_hoc', 'cong_an'] })).toEqual(['CB4', 'CB3']);
    expect(await svc.describeAudience({ kind: 'unit', unit: 'DB1' })).toBe(
      'bí thư các chi bộ thuộc Đảng bộ bộ phận Khu 1',
    );
  });

  it('reaches leaders top down, addressed by name', async () => {
    const leaders = await svc.recipientsFor({ kind: 'leaders' });
    expect(leaders.map((r) => [r.personId, r.name, r.units[0]?.name])).toEqual([
      [710, 'Hùng', 'Đảng bộ xã Tân Lập'],
      [700, 'Bình', 'Đảng bộ bộ phận Khu 1'],
    ]);
  });
});

describe('sending', () => {
  it('refuses non-admins, unknown units and audiences nobody is in', async () => {
    const secretary: Viewer = { id: 701, roles: [{ kind: 'secretary', unit: 'CB1' }] };
    const input = { title: 'T', text: 'N', audience: 'all-secretaries' };
    expect(await svc.send(secretary, input)).toEqual({
      ok: false,
      errors: ['Chức năng này chỉ dành cho Quản trị (văn phòng cấp ủy).'],
    });
    const unknown = await svc.send(ADMIN, { ...input, audience: 'unit:KHONG' });
    expect(unknown.ok).toBe(false);
    const nobody = await svc.send(ADMIN, { ...input, audience: 'kind:doanh_nghiep' });
    expect(nobody).toEqual({
      ok: false,
      errors: [expect.stringContaining('Không có đồng chí nào để gửi: bí thư các chi bộ loại Doanh nghiệp')],
    });
    expect(await svc.latest()).toEqual([]);
  });

  it('stores the directive and queues its fan-out and reminder once, under fixed ids', async () => {
    const r = await svc.send(ADMIN, {
      title: 'Kế hoạch',
      text: 'Nội dung',
      audience: 'all-secretaries',
      ackHours: 2,
    });
    if (!r.ok) throw new Error(r.errors.join());
    expect(r.recipients).toBe(3);
    const fanout = await directiveQueue.getJob(directiveJobId('fanout', r.directive.id));
    const reminder = await directiveQueue.getJob(directiveJobId('reminder', r.directive.id));
    expect(fanout?.name).toBe('fanout');
    expect(reminder?.opts.delay).toBe(2 * 3_600_000);
    const status = await svc.statusLines(r.directive.id);
    expect(status).toContain('delivered 0/3 (đã gửi đến)');
    expect(status).toContain('pending 3 (chưa gửi)');
  });
});

describe('the fan-out', () => {
  it('hands batches to the outbox, waiting while the previous batch is still queued', async () => {
    const people = org.people;
    const csv = [
      'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
      ...Array.from({ length: 120 }, (_, i) => `T${i},Chi bộ Tổ ${i},Chi bộ,Tổ dân phố,XA,5`),
    ].join('\n');
    expect((await org.importUnitsCsv('cli', csv)).ok).toBe(true);
    for (let i = 0; i < 120; i++)
      await people.grantRole(5000 + i, { kind: 'secretary', unit: `T${i}` }, 't', NOW);
    const r = await svc.send(ADMIN, { title: 'T', text: 'N', audience: 'kind:to_dan_pho' });
    if (!r.ok) throw new Error(r.errors.join());
    const id = r.directive.id;

    expect(await svc.fanOutStep(id)).toEqual({ kind: 'wait', delayMs: 500 });
    expect((await deliveries.trackCounts('directive', id)).pending).toBe(FANOUT_BATCH);
    const job = await outboxQueue.getJob(outboxId('directive', id, 5000));
    expect(toPlainText(job?.data.message.text ?? '').split('\n')[0]).toBe(
      'Kính gửi: Đồng chí Bí thư Chi bộ Tổ 0',
    );
    expect(toKeyboard(job?.data.message.actions)?.inline_keyboard[0]?.[0]).toEqual({
      text: 'Đã nhận',
      callback_data: `dr:ack:${id}`,
    });

    // The outbox sent the first batch; the next one goes, then the last.
    for (const d of await deliveries.listTrack('directive', id)) {
      const message = (await outboxQueue.getJob(d.id))!.data.message;
      await deliveries.delivered({ id: d.id, message }, 1, NOW);
    }
    expect(await svc.fanOutStep(id)).toEqual({ kind: 'wait', delayMs: 500 });
    expect((await deliveries.trackCounts('directive', id)).total).toBe(2 * FANOUT_BATCH);

    // A repeated step (a restart) queues nothing twice.
    expect(await svc.fanOutStep(id)).toEqual({ kind: 'wait', delayMs: 500 });
    expect((await deliveries.trackCounts('directive', id)).total).toBe(2 * FANOUT_BATCH);

    // Cancelling takes what is still queued out of the outbox and counts it as stopped.
    const queued = (await deliveries.listTrack('directive', id)).find((d) => d.state === 'pending')!;
    const c = await svc.cancel(ADMIN, id);
    expect(c).toMatchObject({ ok: true, already: false, stopped: 120 - FANOUT_BATCH });
    expect(await outboxQueue.getJob(queued.id)).toBeUndefined();
    expect((await deliveries.get(queued.id))?.reason).toBe(CANCELLED_REASON);
    expect(await svc.fanOutStep(id)).toEqual({ kind: 'done' });
    expect(await directiveQueue.getJob(directiveJobId('reminder', id))).toBeUndefined();
    const report = await svc.report(id);
    expect(report?.progress).toMatchObject({
      delivered: FANOUT_BATCH,
      pending: 0,
      stopped: 120 - FANOUT_BATCH,
    });
  });
});

describe('acknowledging and following up', () => {
  it('acknowledges recipients only, once; reminds and tells leaders about the others', async () => {
    const r = await svc.send(ADMIN, { title: 'Kế hoạch', text: 'Nội dung', audience: 'all-secretaries' });
    if (!r.ok) throw new Error(r.errors.join());
    const id = r.directive.id;
    expect(await svc.fanOutStep(id)).toEqual({ kind: 'done' });
    for (const person of [701, 703, 704]) {
      const oid = outboxId('directive', id, person);
      await deliveries.delivered({ id: oid, message: (await outboxQueue.getJob(oid))!.data.message }, 1, NOW);
    }

    expect(await svc.acknowledge(710, id)).toEqual({
      ok: false,
      text: 'Văn bản này không gửi cho đồng chí.',
    });
    clock.set(NOW + 60_000);
    const ack = await svc.acknowledge(701, id);
    expect(ack).toMatchObject({ ok: true, first: true, when: '10:01 15/09/2025' });
    clock.set(NOW + 120_000);
    expect(await svc.acknowledge(701, id)).toMatchObject({
      ok: true,
      first: false,
      when: '10:01 15/09/2025',
    });

    await svc.remind(id);
    expect(await outboxQueue.getJob(outboxId('directive-reminder', id, 701))).toBeUndefined();
    const reminder = await outboxQueue.getJob(outboxId('directive-reminder', id, 703));
    expect(renderHtml(reminder?.data.message.text ?? '')).toContain('<b>Nhắc lại:</b>');
    expect(await directiveQueue.getJob(directiveJobId('leaders', id))).toBeDefined();

    await svc.tellLeaders(id);
    const toDb = await outboxQueue.getJob(outboxId('directive-leader', id, 700));
    expect(toPlainText(toDb?.data.message.text ?? '').split('\n')[0]).toBe(
      'Kính gửi: Đồng chí Bình, Đảng bộ bộ phận Khu 1',
    );
    expect(toPlainText(toDb?.data.message.text ?? '')).toContain('– Chi bộ Trường học (đ/c Ba)');
    expect(toPlainText(toDb?.data.message.text ?? '')).not.toContain('Công an');
    const toXa = await outboxQueue.getJob(outboxId('directive-leader', id, 710));
    expect(toPlainText(toXa?.data.message.text ?? '')).toContain('– Chi bộ Công an xã (đ/c Tư)');
    expect(toPlainText(toXa?.data.message.text ?? '')).not.toContain('Trường học');
    const stored = await svc.report(id);
    expect(stored?.stored.remindedAt).toBe(NOW + 120_000);
    expect(stored?.stored.leadersToldAt).toBe(NOW + 120_000);
    expect(toPlainText((await svc.statusText(id, true)) ?? '')).toContain(
      'Đã báo lãnh đạo phụ trách lúc 10:02 15/09/2025.',
    );
  });

  it("tells a leader recipient's own superiors, never the leader about themselves", async () => {
    const r = await svc.send(ADMIN, { title: 'Chỉ đạo', text: 'Nội dung', audience: 'leaders' });
    if (!r.ok) throw new Error(r.errors.join());
    await svc.tellLeaders(r.directive.id);
    const toXa = await outboxQueue.getJob(outboxId('directive-leader', r.directive.id, 710));
    expect(toPlainText(toXa?.data.message.text ?? '')).toContain('– đ/c Bình, Đảng bộ bộ phận Khu 1');
    expect(await outboxQueue.getJob(outboxId('directive-leader', r.directive.id, 700))).toBeUndefined();
  });
});
