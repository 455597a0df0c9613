/**
 * /tiendo's one read (`CongressStore.progress`): the follow-up deadline it works out on the server
 * (congress date + the round's days, before today) agrees with the calendar arithmetic of the
 * domain on every day across month ends, a leap day and year ends.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHECKLISTS } from '../../src/domain/congress/checklist.js';
import type { Unit } from '../../src/domain/units.js';
import { addDays, type IsoDate } from '../../src/domain/vn.js';
import { CongressStore } from '../../src/store/congress.js';
import { UnitStore } from '../../src/store/units.js';
import { testRedis } from '../support/redis.js';

const C = 'followup-days';
const TREE: Unit[] = [
  { code: 'T', name: 'Đảng bộ huyện', level: 'dang_bo', kind: null, parent: null, members: 0 },
  { code: 'CB1', name: 'Chi bộ 1', level: 'chi_bo', kind: 'thon', parent: 'T', members: 10 },
];
/** Congress dates of branches whose follow-up is open: around month ends, a leap day, year ends. */
const HELD: IsoDate[] = [
  '2023-12-31',
  '2024-01-30',
  '2024-02-28',
  '2024-02-29',
  '2024-03-01',
  '2024-12-01',
  '2024-12-31',
  '2025-02-28',
  '2025-03-01',
];

let redis: Redis;
let store: CongressStore;

beforeAll(async () => {
  redis = await testRedis();
  store = new CongressStore(redis);
  const imported = await new UnitStore(redis).importUnits(TREE, 'test', Date.now());
  expect(imported.ok).toBe(true);
  await store.office.markFollowUpOpen(
    C,
    HELD.map((date, i) => ({ branch: `B${i}`, date })),
  );
});
afterAll(() => redis.quit());

async function overdueFollowUps(today: IsoDate): Promise<number> {
  const snap = await store.progress({
    campaignId: C,
    unit: 'T',
    scope: 'T',
    admin: true,
    leaders: [],
    today,
    upTo: addDays(today, 6),
    pastDeadline: false,
    pilots: [],
    upcomingMax: 20,
    namesMax: 20,
    officeMax: 10,
    followUpRead: 100,
    decisionsRead: 20,
    followUpDays: DEFAULT_CHECKLISTS.followUpDays,
  });
  if (!snap.ok) throw new Error('the unit was not read');
  return snap.followUp.count;
}

describe('the follow-up deadline on the server', () => {
  it.each([DEFAULT_CHECKLISTS.followUpDays, 45])(
    'with %i days, agrees with addDays on every day',
    async (days) => {
      if (days !== DEFAULT_CHECKLISTS.followUpDays)
        await store.office.setConfig(C, { ...DEFAULT_CHECKLISTS, followUpDays: days }, 'test', Date.now());
      let today: IsoDate = '2023-12-15';
      const counts: number[] = [];
      const expected: number[] = [];
      while (today <= '2025-05-15') {
        counts.push(await overdueFollowUps(today));
        // Overdue: the due date (congress + days) is before today.
        const heldBy = addDays(today, -days - 1);
        expected.push(HELD.filter((d) => d <= heldBy).length);
        today = addDays(today, 1);
      }
      expect(counts).toEqual(expected);
      // The range covers every entry going from not due to overdue.
      expect(expected[0]).toBe(0);
      expect(expected[expected.length - 1]).toBe(HELD.length);
    },
  );
});
