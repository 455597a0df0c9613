/**
 * What the committee office tracks around a branch congress besides the report: the round's
 * preparation and follow-up checklists, which items each branch ticked, the branches whose
 * follow-up is still open, and the upper-level attendees assigned to congresses.
 *
 * Key layout ({c} campaign id, {b} branch code, {p} person id):
 *   cb:dh:{c}:cfg        hash  prep, follow (JSON lists of item texts), followDays
 *   cb:dh:{c}:ck:{b}     hash  "p|<item>" / "f|<item>" → when ticked (ms); only ticking branches
 *   cb:dh:{c}:fu         zset  reported branches with follow-up items open, due within 7 days or
 *                              overdue (added by the daily office run); score = congress date
 *                              yyyymmdd (due = date + followDays), removed once all are ticked
 *   cb:dh:{c}:pc:{b}     set   person ids assigned to attend the branch's congress
 *   cb:dh:{c}:pcp:{p}    set   branches the person is assigned to attend
 *
 * Ticks, and assignments with their reverse index, are written with their audit entry in one
 * MULTI.
 */
import type { Redis } from 'ioredis';
import {
  type ChecklistConfig,
  type ChecklistKind,
  DEFAULT_CHECKLISTS,
  openItems,
} from '../domain/congress/checklist.js';
import type { IsoDate } from '../domain/vn.js';
import { auditInto } from './audit.js';
import { watchedTransaction } from './tx.js';

/** Reported branches with follow-up open (written by `CongressStore.saveReport` too). */
export const followUpKey = (c: string) => `cb:dh:${c}:fu`;
/** Audit subject of one branch in one round (as `CongressStore` writes it). */
const congressSubject = (campaignId: string, branch: string) => `campaign:${campaignId}/unit:${branch}`;
const configKey = (c: string) => `cb:dh:${c}:cfg`;
const ticksKey = (c: string, b: string) => `cb:dh:${c}:ck:${b}`;
const attendeesKey = (c: string, b: string) => `cb:dh:${c}:pc:${b}`;
const assignedKey = (c: string, p: number) => `cb:dh:${c}:pcp:${p}`;

const BATCH = 500;

/** The keys of a round's office data that /tiendo's one read takes (`congressProgress.ts`). */
export function officeKeys(c: string) {
  return { config: configKey(c), ticks: ticksKey(c, ''), followUp: followUpKey(c) };
}

/** The round's checklists from its config hash: the office's own, or the defaults. */
export function parseChecklistConfig(h: Record<string, string>): ChecklistConfig {
  const list = (json: string | undefined, fallback: readonly string[]) => {
    if (!json) return [...fallback];
    try {
      const v = JSON.parse(json) as unknown;
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : [...fallback];
    } catch {
      return [...fallback];
    }
  };
  return {
    preparation: list(h.prep, DEFAULT_CHECKLISTS.preparation),
    followUp: list(h.follow, DEFAULT_CHECKLISTS.followUp),
    followUpDays: h.followDays ? Number(h.followDays) : DEFAULT_CHECKLISTS.followUpDays,
  };
}

/** A branch's ticks, per list, with when, from its ticks hash. */
export function parseTicks(h: Record<string, string>): Record<ChecklistKind, Map<string, number>> {
  const out = { preparation: new Map<string, number>(), followUp: new Map<string, number>() };
  for (const [k, v] of Object.entries(h)) {
    const item = k.slice(2);
    if (k.startsWith('p|')) out.preparation.set(item, Number(v));
    else if (k.startsWith('f|')) out.followUp.set(item, Number(v));
  }
  return out;
}
const field = (kind: ChecklistKind, item: string) => `${kind === 'preparation' ? 'p' : 'f'}|${item}`;

/** "2025-09-15" → 20250915. */
const dateScore = (date: IsoDate) => Number(date.replace(/-/g, ''));
const fromScore = (score: number): IsoDate => {
  const s = String(score);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
};

export class CongressOfficeStore {
  constructor(private readonly redis: Redis) {}

  /** The round's checklists: the office's own, or the defaults. */
  async config(campaignId: string): Promise<ChecklistConfig> {
    return parseChecklistConfig(await this.redis.hgetall(configKey(campaignId)));
  }

  /** Sets the round's checklists (audited as `campaign.checklist`). */
  async setConfig(campaignId: string, config: ChecklistConfig, actor: string, now: number): Promise<void> {
    const tx = this.redis.multi();
    tx.hset(configKey(campaignId), {
      prep: JSON.stringify(config.preparation),
      follow: JSON.stringify(config.followUp),
      followDays: String(config.followUpDays),
    });
    auditInto(tx, {
      actor,
      action: 'campaign.checklist',
      subject: `campaign:${campaignId}`,
      after: config,
      at: now,
    });
    await tx.exec();
  }

  /** The items a branch ticked, per list, with when. */
  async ticks(campaignId: string, branch: string): Promise<Record<ChecklistKind, Map<string, number>>> {
    return this.toTicks(await this.redis.hgetall(ticksKey(campaignId, branch)));
  }

  /** Ticks of many branches in one round trip, in the order given. */
  async ticksMany(
    campaignId: string,
    branches: readonly string[],
  ): Promise<Record<ChecklistKind, Map<string, number>>[]> {
    const out: Record<ChecklistKind, Map<string, number>>[] = [];
    for (let i = 0; i < branches.length; i += BATCH) {
      const p = this.redis.pipeline();
      for (const b of branches.slice(i, i + BATCH)) p.hgetall(ticksKey(campaignId, b));
      for (const [err, h] of (await p.exec()) ?? []) {
        if (err) throw err;
        out.push(this.toTicks(h as Record<string, string>));
      }
    }
    return out;
  }

  /**
   * Ticks (or unticks) an item of a branch's list (audited as `congress.checklist`). Ticking the
   * last open follow-up item takes the branch off the open follow-up index in the same MULTI;
   * unticking one puts it back when `congressDate` is given.
   */
  async setTick(input: {
    campaignId: string;
    branch: string;
    kind: ChecklistKind;
    item: string;
    ticked: boolean;
    items: readonly string[];
    congressDate?: IsoDate;
    actor: string;
    now: number;
  }): Promise<{ changed: boolean; open: string[] }> {
    const key = ticksKey(input.campaignId, input.branch);
    const f = field(input.kind, input.item);
    return watchedTransaction<{ changed: boolean; open: string[] }>(
      this.redis,
      `checklist ${input.branch}`,
      async (conn) => {
        await conn.watch(key);
        const ticks = this.toTicks(await conn.hgetall(key));
        const list = ticks[input.kind];
        const was = list.has(input.item);
        if (input.ticked) list.set(input.item, input.now);
        else list.delete(input.item);
        const open = openItems(input.items, list);
        if (was === input.ticked) return { result: { changed: false, open } };
        const tx = conn.multi();
        if (input.ticked) tx.hset(key, f, String(input.now));
        else tx.hdel(key, f);
        if (input.kind === 'followUp' && input.congressDate) {
          if (open.length === 0) tx.zrem(followUpKey(input.campaignId), input.branch);
          else tx.zadd(followUpKey(input.campaignId), dateScore(input.congressDate), input.branch);
        }
        auditInto(tx, {
          actor: input.actor,
          action: 'congress.checklist',
          subject: congressSubject(input.campaignId, input.branch),
          after: { list: input.kind, item: input.item, ticked: input.ticked },
          at: input.now,
        });
        return { tx, result: { changed: true, open } };
      },
    );
  }

  /**
   * Reported branches with follow-up open whose congress was on or before `heldBy`, oldest
   * first, at most `limit`; and how many there are in the whole round.
   */
  async followUpOpen(
    campaignId: string,
    heldBy: IsoDate,
    limit: number,
  ): Promise<{ count: number; branches: { branch: string; date: IsoDate }[] }> {
    const [[, count], [, flat]] = (await this.redis
      .pipeline()
      .zcount(followUpKey(campaignId), '-inf', dateScore(heldBy))
      .zrangebyscore(followUpKey(campaignId), '-inf', dateScore(heldBy), 'WITHSCORES', 'LIMIT', 0, limit)
      .exec()) as [[null, number], [null, string[]]];
    const branches: { branch: string; date: IsoDate }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      branches.push({ branch: flat[i]!, date: fromScore(Number(flat[i + 1])) });
    return { count, branches };
  }

  /** Puts branches (with their congress dates) on the open follow-up index; existing ones stay. */
  async markFollowUpOpen(
    campaignId: string,
    entries: readonly { branch: string; date: IsoDate }[],
  ): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      const args = entries.slice(i, i + BATCH).flatMap((e) => [dateScore(e.date), e.branch]);
      if (args.length > 0) await this.redis.zadd(followUpKey(campaignId), 'NX', ...args);
    }
  }

  /** Branches whose follow-up is open and whose congress was exactly on `date`. */
  async followUpHeldOn(campaignId: string, date: IsoDate): Promise<string[]> {
    return this.redis.zrangebyscore(followUpKey(campaignId), dateScore(date), dateScore(date));
  }

  /** Assigns a person to attend a branch's congress (audited as `congress.assign`); false when already. */
  async assign(
    campaignId: string,
    branch: string,
    personId: number,
    actor: string,
    now: number,
  ): Promise<boolean> {
    const already = await this.redis.sismember(attendeesKey(campaignId, branch), String(personId));
    if (already === 1) return false;
    const tx = this.redis.multi();
    tx.sadd(attendeesKey(campaignId, branch), String(personId));
    tx.sadd(assignedKey(campaignId, personId), branch);
    auditInto(tx, {
      actor,
      action: 'congress.assign',
      subject: congressSubject(campaignId, branch),
      after: { person: personId },
      at: now,
    });
    await tx.exec();
    return true;
  }

  /** The people assigned to each branch's congress, in the order given. */
  async attendees(campaignId: string, branches: readonly string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < branches.length; i += BATCH) {
      const p = this.redis.pipeline();
      for (const b of branches.slice(i, i + BATCH)) p.smembers(attendeesKey(campaignId, b));
      for (const [err, ids] of (await p.exec()) ?? []) {
        if (err) throw err;
        out.push((ids as string[]).map(Number).sort((a, b) => a - b));
      }
    }
    return out;
  }

  /** The branches a person is assigned to attend in a round. */
  async assignmentsOf(campaignId: string, personId: number): Promise<string[]> {
    return (await this.redis.smembers(assignedKey(campaignId, personId))).sort();
  }

  private toTicks(h: Record<string, string>): Record<ChecklistKind, Map<string, number>> {
    return parseTicks(h);
  }
}
