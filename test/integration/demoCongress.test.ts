/**
 * The demo ward's congress round shows what a committee office runs: an extended branch, a
 * "3 nội dung" congress, and a head-of-unit ratio over the branches where it applies.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { msg } from '../../src/messages/index.js';
import { loadDemo } from '../../src/sandbox/demo.js';
import { CampaignStore } from '../../src/store/campaigns.js';
import { CongressStore } from '../../src/store/congress.js';
import { freshRedisUrl } from '../support/redis.js';

describe('the demo ward congress round', () => {
  it('has an extended branch, a 3 nội dung branch and a real head-of-unit ratio', async () => {
    const redis = new Redis(await freshRedisUrl(), { maxRetriesPerRequest: null });
    try {
      const now = Date.parse('2025-09-10T03:00:00Z');
      expect(await loadDemo(redis, { now, timezone: 'Asia/Ho_Chi_Minh', log: createLogger('silent') })).toBe(
        true,
      );
      const [campaign] = await new CampaignStore(redis).listCampaigns();
      if (!campaign) throw new Error('no demo round');
      const store = new CongressStore(redis);
      const totals = await store.aggregate(campaign.id, 'PHA');
      expect(totals.extended).toBe(1);
      expect(totals.threeItems).toBe(1);
      expect(totals.noElection).toBe(1);
      expect(await store.extensions(campaign.id)).toEqual([{ branch: 'MN', until: '2025-10-15' }]);
      expect((await store.getRegistration(campaign.id, 'MN'))?.date).toBe('2025-10-08');
      // Tổ dân phố, cơ quan and hợp tác xã branches answer the head-of-unit line; schools and police do not.
      expect(totals.headApplicable).toBeGreaterThan(1);
      expect(totals.headYes).toBeGreaterThan(0);
      expect(totals.headYes).toBeLessThan(totals.headApplicable);
      const text = msg.congress.resultStats(totals, {
        asOf: '2025-09-10',
        term: campaign.term,
        totalBranches: 20,
        youngAge: campaign.youngAge,
      });
      expect(text).toContain('1 đơn vị đại hội 3 nội dung');
      expect(text).toContain(
        `người đứng đầu cơ quan, đơn vị (trưởng thôn, tổ trưởng tổ dân phố): ${totals.headYes}/${totals.headApplicable} đồng chí`,
      );
    } finally {
      await redis.quit();
    }
  });
});
