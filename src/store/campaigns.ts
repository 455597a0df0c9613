/**
 * Congress rounds (đợt đại hội) in Redis.
 *
 * Key layout:
 *   cb:camps           zset    campaign ids, score = createdAt (UTC ms)
 *   cb:camp:{id}       string  the campaign as JSON (everything but closedAt)
 *   cb:camps:closed    hash    id -> closedAt (UTC ms), for rounds closed by hand
 *
 * A deployment runs a handful of rounds a year, so listing reads them all; nothing here is
 * per branch.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  type Campaign,
  type CampaignDraft,
  coversUnit,
  isCampaignOpen,
  makeCampaignId,
} from '../domain/congress/campaign.js';
import type { IsoDate } from '../domain/vn.js';
import { auditInto } from './audit.js';
import { confirmSaved, watchedTransaction } from './tx.js';

const CAMPAIGNS_KEY = 'cb:camps';
const CLOSED_KEY = 'cb:camps:closed';
/** The JSON of one campaign. */
export const campaignKey = (id: string) => `cb:camp:${id}`;

/** Audit subject of a campaign. */
export const campaignSubject = (id: string) => `campaign:${id}`;

/** The campaign id names no campaign (a stale button, a deleted round). */
export class CampaignNotFoundError extends Error {
  constructor(readonly campaignId: string) {
    super(`No congress campaign ${campaignId}`);
    this.name = 'CampaignNotFoundError';
  }
}

export class CampaignStore {
  constructor(private readonly redis: Redis) {}

  /** Stores a validated draft under a fresh id, with an audit entry `campaign.create`. */
  async createCampaign(draft: CampaignDraft, actor: string, now: number): Promise<Campaign> {
    for (;;) {
      const id = makeCampaignId(randomBytes(8));
      // 36^8 ids make a clash all but impossible; checking first keeps even that from
      // overwriting a round, and the writes then land together with their audit entry.
      if ((await this.redis.exists(campaignKey(id))) === 1) continue;
      const campaign: Campaign = { id, ...draft, createdBy: actor, createdAt: now };
      const tx = this.redis.multi();
      tx.set(campaignKey(id), JSON.stringify(campaign));
      tx.zadd(CAMPAIGNS_KEY, now, id);
      auditInto(tx, {
        actor,
        action: 'campaign.create',
        subject: campaignSubject(id),
        after: campaign,
        at: now,
      });
      await tx.exec();
      await confirmSaved(this.redis);
      return campaign;
    }
  }

  async getCampaign(id: string): Promise<Campaign | undefined> {
    const [[, json], [, closedAt]] = (await this.redis
      .pipeline()
      .get(campaignKey(id))
      .hget(CLOSED_KEY, id)
      .exec()) as [[null, string | null], [null, string | null]];
    return json ? withClosed(JSON.parse(json) as Campaign, closedAt) : undefined;
  }

  /** Like `getCampaign`, but a missing campaign is an error. */
  async requireCampaign(id: string): Promise<Campaign> {
    const campaign = await this.getCampaign(id);
    if (!campaign) throw new CampaignNotFoundError(id);
    return campaign;
  }

  /** Every campaign, oldest first. */
  async listCampaigns(): Promise<Campaign[]> {
    const ids = await this.redis.zrange(CAMPAIGNS_KEY, 0, -1);
    if (ids.length === 0) return [];
    const [jsons, closed] = await Promise.all([
      this.redis.mget(ids.map(campaignKey)),
      this.redis.hmget(CLOSED_KEY, ...ids),
    ]);
    const out: Campaign[] = [];
    jsons.forEach((json, i) => {
      if (json) out.push(withClosed(JSON.parse(json) as Campaign, closed[i] ?? null));
    });
    return out;
  }

  /**
   * Open campaigns whose scope is the unit or one of its ancestors (`unitAndAncestors`: the
   * unit's own code and its ancestors'), earliest deadline first. Several can be open at once
   * for different scopes.
   */
  async campaignsCovering(unitAndAncestors: readonly string[], today: IsoDate): Promise<Campaign[]> {
    const all = await this.listCampaigns();
    return all
      .filter((c) => coversUnit(c, unitAndAncestors) && isCampaignOpen(c, today))
      .sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0));
  }

  /** Closes a round by hand (no more registrations or reports). Idempotent; audited once. */
  async closeCampaign(
    id: string,
    actor: string,
    now: number,
  ): Promise<{ closedAt: number; alreadyClosed: boolean }> {
    await this.requireCampaign(id);
    return watchedTransaction<{ closedAt: number; alreadyClosed: boolean }>(
      this.redis,
      `campaign ${id}`,
      async (conn) => {
        await conn.watch(CLOSED_KEY);
        const existing = await conn.hget(CLOSED_KEY, id);
        if (existing !== null) return { result: { closedAt: Number(existing), alreadyClosed: true } };
        const tx = conn.multi().hset(CLOSED_KEY, id, String(now));
        auditInto(tx, {
          actor,
          action: 'campaign.close',
          subject: campaignSubject(id),
          after: { closedAt: now },
          at: now,
        });
        return { tx, result: { closedAt: now, alreadyClosed: false } };
      },
    );
  }
}

function withClosed(campaign: Campaign, closedAt: string | null): Campaign {
  return closedAt === null ? campaign : { ...campaign, closedAt: Number(closedAt) };
}
