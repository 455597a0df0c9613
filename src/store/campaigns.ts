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
import type { ChainableCommander, Redis } from 'ioredis';
import {
  type Campaign,
  type CampaignDraft,
  coversUnit,
  isCampaignOpen,
  makeCampaignId,
} from '../domain/congress/campaign.js';
import type { IsoDate } from '../domain/vn.js';
import { auditInto } from './audit.js';
import { batch, evalScript } from './batch.js';
import { recordReceipt, watchReceipt } from './cards.js';
import { watchedTransaction } from './tx.js';
import { unitKey } from './units.js';

const CAMPAIGNS_KEY = 'cb:camps';
const CLOSED_KEY = 'cb:camps:closed';
/** The JSON of one campaign. */
export const campaignKey = (id: string) => `cb:camp:${id}`;

// Every campaign and its closing time in one round trip: pairs of (JSON or '', closedAt or '').
const LIST = `
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
if #ids == 0 then return {} end
local keys = {}
for i, id in ipairs(ids) do keys[i] = ARGV[1] .. id end
local jsons = redis.call('MGET', unpack(keys))
local closed = redis.call('HMGET', KEYS[2], unpack(ids))
local out = {}
for i = 1, #ids do
  out[#out + 1] = jsons[i] or ''
  out[#out + 1] = closed[i] or ''
  -- With a unit key prefix: the path of the round's scope in the units tree ('' when unknown).
  if ARGV[2] then
    local path = false
    if jsons[i] then
      local ok, c = pcall(cjson.decode, jsons[i])
      if ok and type(c.scope) == 'string' then path = redis.call('HGET', ARGV[2] .. c.scope, 'path') end
    end
    out[#out + 1] = path or ''
  end
end
return out`;

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
    return (await this.create(draft, actor, now, undefined)).campaign;
  }

  /**
   * Opens the round a confirmation card shows: the campaign and the card's receipt are written in
   * one MULTI (`cards.ts`), so a second press of the same card, or the press redelivered after a
   * crash, finds the receipt and gets the round opened the first time (`duplicate`).
   */
  openFromCard(
    draft: CampaignDraft,
    actor: string,
    now: number,
    card: string,
  ): Promise<{ campaign: Campaign; duplicate: boolean }> {
    return this.create(draft, actor, now, card);
  }

  private async create(
    draft: CampaignDraft,
    actor: string,
    now: number,
    card: string | undefined,
  ): Promise<{ campaign: Campaign; duplicate: boolean }> {
    for (;;) {
      const id = makeCampaignId(randomBytes(8));
      const made = await watchedTransaction<{ campaign?: Campaign; duplicate: boolean }>(
        this.redis,
        `campaign ${id}`,
        async (conn) => {
          const used = card === undefined ? undefined : await watchReceipt(conn, card);
          if (used?.ref !== undefined) {
            const before = await this.getCampaign(used.ref);
            if (before) return { result: { campaign: before, duplicate: true } };
          }
          // 36^8 ids make a clash all but impossible; watching the key keeps even that from
          // overwriting a round.
          await conn.watch(campaignKey(id));
          if ((await conn.exists(campaignKey(id))) === 1) return { result: { duplicate: false } };
          const campaign: Campaign = { id, ...draft, createdBy: actor, createdAt: now };
          const tx = conn.multi();
          tx.set(campaignKey(id), JSON.stringify(campaign));
          tx.zadd(CAMPAIGNS_KEY, now, id);
          if (card !== undefined) recordReceipt(tx, card, { ref: id, at: now });
          auditInto(tx, {
            actor,
            action: 'campaign.create',
            subject: campaignSubject(id),
            after: campaign,
            at: now,
          });
          return { tx, result: { campaign, duplicate: false } };
        },
      );
      if (made.campaign) return { campaign: made.campaign, duplicate: made.duplicate };
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

  /** Every campaign, oldest first (one round trip). */
  async listCampaigns(): Promise<Campaign[]> {
    return parseCampaignList(
      await evalScript(this.redis, LIST, 2, CAMPAIGNS_KEY, CLOSED_KEY, campaignKey('')),
    );
  }

  /**
   * Every campaign, read in the same round trip as whatever `also` adds to the pipeline; the
   * replies of those reads come back in order (an error reply as the Error).
   */
  async listWith(
    also: (p: ChainableCommander) => void,
  ): Promise<{ campaigns: Campaign[]; replies: unknown[] }> {
    const [first, ...rest] = await batch(this.redis, (p) => {
      this.queueList(p);
      also(p);
    });
    if (!first) throw new Error('the campaign list got no reply');
    const [err, list] = first;
    if (err) throw err;
    return { campaigns: parseCampaignList(list), replies: rest.map(([e, v]) => e ?? v) };
  }

  /**
   * Like `listWith`, with each round's scope's ancestors (root first) from the units tree, for
   * choosing rounds below a unit without another read ([] for a scope not in the tree).
   */
  async listScopedWith(also: (p: ChainableCommander) => void): Promise<{
    campaigns: Campaign[];
    scopeAncestors: Map<string, string[]>;
    replies: unknown[];
  }> {
    const [first, ...rest] = await batch(this.redis, (p) => {
      p.eval(LIST, 2, CAMPAIGNS_KEY, CLOSED_KEY, campaignKey(''), unitKey(''));
      also(p);
    });
    if (!first) throw new Error('the campaign list got no reply');
    const [err, list] = first;
    if (err) throw err;
    const flat = (list ?? []) as string[];
    const campaigns: Campaign[] = [];
    const scopeAncestors = new Map<string, string[]>();
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const json = flat[i];
      if (!json) continue;
      const campaign = withClosed(JSON.parse(json) as Campaign, flat[i + 1] || null);
      campaigns.push(campaign);
      const path = flat[i + 2];
      scopeAncestors.set(campaign.id, path ? path.split('/').slice(0, -1) : []);
    }
    return { campaigns, scopeAncestors, replies: rest.map(([e, v]) => e ?? v) };
  }

  /** Adds the read of every campaign to a pipeline; `parseCampaignList` reads its reply. */
  queueList(p: ChainableCommander): void {
    p.eval(LIST, 2, CAMPAIGNS_KEY, CLOSED_KEY, campaignKey(''));
  }

  /**
   * Open campaigns whose scope is the unit or one of its ancestors (`unitAndAncestors`: the
   * unit's own code and its ancestors'), earliest deadline first. Several can be open at once
   * for different scopes.
   */
  async campaignsCovering(unitAndAncestors: readonly string[], today: IsoDate): Promise<Campaign[]> {
    return openCovering(await this.listCampaigns(), unitAndAncestors, today);
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

/** The campaigns from the reply of `listCampaigns`' script (also queued by `queueList`). */
export function parseCampaignList(reply: unknown): Campaign[] {
  const flat = (reply ?? []) as string[];
  const out: Campaign[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const json = flat[i];
    if (json) out.push(withClosed(JSON.parse(json) as Campaign, flat[i + 1] || null));
  }
  return out;
}

/** Open campaigns covering a unit (its code and its ancestors'), earliest deadline first. */
export function openCovering(
  all: readonly Campaign[],
  unitAndAncestors: readonly string[],
  today: IsoDate,
): Campaign[] {
  return all
    .filter((c) => coversUnit(c, unitAndAncestors) && isCampaignOpen(c, today))
    .sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0));
}
