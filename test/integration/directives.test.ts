import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Directive, Recipient } from '../../src/domain/directives.js';
import { readAudit } from '../../src/store/audit.js';
import { DirectiveStore } from '../../src/store/directives.js';
import { testRedis } from '../support/redis.js';

let redis: Redis;
let store: DirectiveStore;
const NOW = Date.UTC(2025, 8, 15, 12, 30);

const recipient = (personId: number): Recipient => ({
  personId,
  role: 'secretary',
  units: [{ code: `CB${personId}`, name: `Chi bộ Thôn ${personId}` }],
  name: `Đồng chí ${personId}`,
});

async function newDirective(over: Partial<Directive> = {}): Promise<Directive> {
  return {
    id: await store.nextId(),
    title: 'Kế hoạch tổ chức đại hội',
    text: 'Nội dung',
    audience: { kind: 'all-secretaries' },
    ackHours: 24,
    createdBy: '900',
    createdAt: NOW,
    audienceText: 'bí thư tất cả các chi bộ',
    ...over,
  };
}

beforeAll(async () => {
  redis = await testRedis();
  store = new DirectiveStore(redis);
});
afterAll(() => redis.quit());
beforeEach(async () => {
  await redis.flushdb();
});

describe('directive store', () => {
  it('stores a directive with its recipients in order, and audits the creation', async () => {
    const d = await newDirective({ number: '74-KH/ĐU' });
    const recipients = Array.from({ length: 2500 }, (_, i) => recipient(i + 1));
    await store.create(d, recipients);
    const stored = await store.get(d.id);
    expect(stored?.directive).toEqual(d);
    expect(stored?.recipientCount).toBe(2500);
    expect(stored?.queued).toBe(0);
    expect((await store.recipients(d.id, 1000, 1001)).map((r) => r.personId)).toEqual([1001, 1002]);
    expect(await store.isRecipient(d.id, 2500)).toBe(true);
    expect(await store.isRecipient(d.id, 2501)).toBe(false);
    const audit = await readAudit(redis, { subject: `directive:${d.id}` });
    expect(audit.map((a) => a.action)).toEqual(['directive.create']);
    expect(audit[0]?.actor).toBe('900');
  });

  it('consumes a confirmation card with the directive it sends: the same card stores nothing again', async () => {
    const d = await newDirective();
    expect(await store.create(d, [recipient(1)], undefined, 'c0ffee01')).toEqual({});
    // The same press again (a double tap, or redelivered after a crash), already given a new id.
    const again = await newDirective();
    const r = await store.create(again, [recipient(1)], undefined, 'c0ffee01');
    expect(r.already?.ref).toBe(d.id);
    expect(await store.latest(5)).toEqual([d.id]);
    expect(await store.get(again.id)).toBeUndefined();
    expect(await store.inbox(1, 5)).toEqual([d.id]);
    const audit = await readAudit(redis, { subject: `directive:${again.id}` });
    expect(audit).toEqual([]);
    // Another card is another directive.
    const other = await newDirective();
    expect(await store.create(other, [recipient(1)], undefined, 'c0ffee02')).toEqual({});
    expect((await store.latest(5)).sort()).toEqual([d.id, other.id].sort());
  });

  it('tells a stop card pressed again that it was this card that stopped the directive', async () => {
    const d = await newDirective();
    await store.create(d, [recipient(1)]);
    expect(await store.cancel(d.id, '900', NOW + 5, 'ab12cd34')).toEqual({
      cancelledAt: NOW + 5,
      already: false,
    });
    expect(await store.cancel(d.id, '900', NOW + 9, 'ab12cd34')).toEqual({
      cancelledAt: NOW + 5,
      already: true,
      repeated: true,
    });
    expect(await store.cancel(d.id, '901', NOW + 9, 'ffff0000')).toEqual({
      cancelledAt: NOW + 5,
      already: true,
    });
    const audit = await readAudit(redis, { subject: `directive:${d.id}` });
    expect(audit.map((a) => a.action)).toEqual(['directive.cancel', 'directive.create']);
  });

  it('keeps the first acknowledgement time when a person presses twice', async () => {
    const d = await newDirective();
    await store.create(d, [recipient(1), recipient(2)]);
    expect(await store.acknowledge(d.id, 1, NOW + 1000)).toEqual({ at: NOW + 1000, first: true });
    expect(await store.acknowledge(d.id, 1, NOW + 9000)).toEqual({ at: NOW + 1000, first: false });
    expect(await store.acks(d.id)).toEqual(new Map([[1, NOW + 1000]]));
    expect(await store.acksOf(1, [d.id, '999'])).toEqual([NOW + 1000, undefined]);
  });

  it('cancels once: the first time stays and one audit entry is written', async () => {
    const d = await newDirective();
    await store.create(d, [recipient(1)]);
    expect(await store.isCancelled(d.id)).toBe(false);
    expect(await store.cancel(d.id, '900', NOW + 5)).toEqual({ cancelledAt: NOW + 5, already: false });
    expect(await store.cancel(d.id, 'cli', NOW + 9)).toEqual({ cancelledAt: NOW + 5, already: true });
    expect(await store.isCancelled(d.id)).toBe(true);
    expect((await store.get(d.id))?.cancelledBy).toBe('900');
    const audit = await readAudit(redis, { subject: `directive:${d.id}` });
    expect(audit.map((a) => a.action)).toEqual(['directive.cancel', 'directive.create']);
  });

  it('records follow-ups and stages once each', async () => {
    const d = await newDirective();
    await store.create(d, [recipient(1)]);
    expect(await store.markStage(d.id, 'remindedAt', NOW + 1)).toBe(true);
    expect(await store.markStage(d.id, 'remindedAt', NOW + 2)).toBe(false);
    expect(await store.markFollowUp(d.id, 'r', 1, NOW + 1)).toBe(true);
    expect(await store.markFollowUp(d.id, 'r', 1, NOW + 2)).toBe(false);
    expect(await store.markFollowUp(d.id, 'l', 7, NOW + 3)).toBe(true);
    await store.setQueued(d.id, 1);
    await store.setStatusMessage(d.id, 900, 42);
    const stored = await store.get(d.id);
    expect(stored?.remindedAt).toBe(NOW + 1);
    expect(stored?.queued).toBe(1);
    expect(stored?.statusMessage).toEqual({ chatId: 900, messageId: 42 });
    const fu = await store.followUps(d.id);
    expect(fu.reminded).toEqual(new Map([[1, NOW + 1]]));
    expect(fu.leaders).toEqual(new Map([[7, NOW + 3]]));
  });

  it("lists the latest directives and each person's inbox, newest first", async () => {
    const a = await newDirective({ createdAt: NOW });
    const b = await newDirective({ createdAt: NOW + 1000 });
    await store.create(a, [recipient(1), recipient(2)]);
    await store.create(b, [recipient(2)]);
    expect(await store.latest(5)).toEqual([b.id, a.id]);
    expect(await store.inbox(2, 5)).toEqual([b.id, a.id]);
    expect(await store.inbox(1, 5)).toEqual([a.id]);
  });

  it('keeps a CLI file byte for byte, and its Telegram id once uploaded', async () => {
    const d = await newDirective({ attachment: { kind: 'document', filename: 'kh.pdf', stored: true } });
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10]);
    await store.create(d, [recipient(1)], bytes);
    expect(await store.file(d.id)).toEqual(bytes);
    await store.setFileId(d.id, 'FILE-1');
    expect((await store.get(d.id))?.fileId).toBe('FILE-1');
  });
});
