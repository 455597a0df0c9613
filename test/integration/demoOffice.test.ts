/** The demo ward shows the office's work: recorded decisions, titles and attendees. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPlainText } from '../../src/chat/markup.js';
import { ManualClock } from '../../src/infra/clock.js';
import { createLogger } from '../../src/logger.js';
import type { OutboxQueue } from '../../src/outbox/outbox.js';
import { loadDemo } from '../../src/sandbox/demo.js';
import type { Services } from '../../src/services/index.js';
import { startServices } from '../support/services.js';

let redis: Redis;
let queue: OutboxQueue;
let s: Services;
const clock = new ManualClock(Date.parse('2025-09-10T03:00:00Z'));
const LEADER = { id: 1002, roles: [{ kind: 'leader' as const, unit: 'PHA' }] };

beforeAll(async () => {
  const started = await startServices(clock, {}, 'demo_bot');
  ({ services: s, redis, queue } = started);
  expect(
    await loadDemo(redis, {
      now: clock.now(),
      timezone: started.config.timezone,
      log: createLogger('silent'),
    }),
  ).toBe(true);
});
afterAll(async () => {
  await queue.close();
  await redis.quit();
});

describe('the demo ward’s office work', () => {
  it('has recorded decisions in /tiendo and attendees in /lichdaihoi', async () => {
    const progress = (await s.congress.tiendo(LEADER, '')).map((r) => toPlainText(r.text)).join('\n');
    expect(progress).toContain('Đã chuẩn y: 3/8');
    expect(progress).toContain('số 109-QĐ/ĐU');
    expect(progress).toContain('số 101-QĐ/ĐU');
    const calendar = (await s.congress.lichdaihoi(LEADER)).map((r) => toPlainText(r.text)).join('\n');
    expect(calendar).toContain('Chi bộ Tổ dân phố 2 – dự: Trần Thị Mai');
    expect(calendar).toContain('Chi bộ Trường Tiểu học Hòa An');
    expect((await s.org.person(1002))?.title).toBe('Bí thư Đảng ủy phường');
  });
});
