/**
 * The sandbox's demo ward carries a register: every branch as many members as its declared
 * size, seven due for Huy hiệu Đảng at the next occasion, one probationary member overdue for
 * chuyển chính thức. Checked on several "todays", occasion days among them.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/infra/clock.js';
import { createLogger } from '../../src/logger.js';
import { DeliveryStore } from '../../src/outbox/deliveries.js';
import { loadDemo } from '../../src/sandbox/demo.js';
import { MemberService } from '../../src/services/members/index.js';
import { Organisation } from '../../src/services/organisation.js';
import { InviteStore } from '../../src/store/invites.js';
import { MemberStore } from '../../src/store/members.js';
import { PeopleStore } from '../../src/store/people.js';
import { UnitStore } from '../../src/store/units.js';
import { freshRedisUrl } from '../support/redis.js';

const TIMEZONE = 'Asia/Ho_Chi_Minh';

describe.each(['2025-09-10', '2026-02-03', '2026-11-08', '2027-05-18'])(
  'the demo register on %s',
  (today) => {
    it('has each branch’s members, seven due for a badge, and one overdue probation', async () => {
      const redis = new Redis(await freshRedisUrl(), { maxRetriesPerRequest: null });
      try {
        const clock = new ManualClock(Date.parse(`${today}T03:00:00Z`));
        expect(
          await loadDemo(redis, { now: clock.now(), timezone: TIMEZONE, log: createLogger('silent') }),
        ).toBe(true);
        const units = new UnitStore(redis);
        const org = new Organisation(
          units,
          new PeopleStore(redis, { adminIds: [] }),
          new InviteStore(redis),
          new DeliveryStore(redis),
          clock,
          'demo_bot',
        );
        const members = new MemberService({ org, store: new MemberStore(redis), clock, timezone: TIMEZONE });

        const branches = await units.branchesUnder('PHA');
        const declared = await units.getMany(branches);
        const counts = await members.branchCounts(branches);
        for (const code of branches) expect(counts.get(code)?.total).toBe(declared.get(code)?.members);

        const badges = await members.badges('cli');
        expect(badges.ok && badges.value.rows.map((r) => r.milestone).sort()).toEqual([
          30, 30, 40, 45, 50, 60, 70,
        ]);

        const dev = await members.development('cli');
        if (!dev.ok) throw new Error(dev.refusal.reason);
        expect(dev.value.overdue.map((r) => r.unit.code)).toEqual(['TDP01']);
        expect(dev.value.due.map((r) => r.unit.code)).toContain('TDP01');
        expect(dev.value.target).toBe(12);
      } finally {
        await redis.quit();
      }
    });
  },
);
