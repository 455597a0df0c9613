/**
 * What reminders and daily summaries keep in Redis: leaders' own summary settings, the groups
 * registered as leaders' groups, which summaries went out today, and when each run last ran.
 * It also reads today's first-time reports back from the audit stream.
 *
 * Keys:
 *   cb:sum:pref:{personId}   hash    chart ("0" | "1"), time (minutes since local midnight);
 *                                    a missing field means the deployment's default
 *   cb:sum:groups            hash    chatId -> JSON LeadersGroup
 *   cb:sum:sent:{date}       set     "p{personId}" / "g{chatId}" whose summary was queued that
 *                                    local day; expires after 3 days
 *   cb:rem:runs              hash    run name -> JSON RunRecord (the last run of each)
 */
import type { Redis } from 'ioredis';
import type { IsoDate } from '../domain/vn.js';
import { AUDIT_KEY, type AuditEntry, auditInto } from './audit.js';
import { confirmSaved } from './tx.js';

const prefKey = (personId: number) => `cb:sum:pref:${personId}`;
const GROUPS_KEY = 'cb:sum:groups';
const sentKey = (date: IsoDate) => `cb:sum:sent:${date}`;
const RUNS_KEY = 'cb:rem:runs';
const SENT_TTL_SECONDS = 3 * 24 * 3600;
/** Audit entries read per round trip when looking for today's reports. */
const AUDIT_BATCH = 500;

/** A leader's own summary settings; absent fields follow the deployment. */
export interface SummaryPreferences {
  /** False when the leader turned the chart off. */
  chart?: boolean;
  /** Minutes since local midnight. */
  time?: number;
}

/** A group chat registered to receive a scope's daily summary. */
export interface LeadersGroup {
  chatId: number;
  scope: string;
  title?: string;
  /** Who registered it, and when (UTC ms). */
  by: number;
  at: number;
}

/** The last run of a reminder or summary job. */
export interface RunRecord {
  /** The clock time of the run (UTC ms). */
  at: number;
  /** Messages newly queued. */
  queued: number;
}

/** A report saved for the first time, as the audit stream recorded it. */
export interface ReportEvent {
  kind: 'congress' | 'meeting';
  branch: string;
  /** `meeting`: the month reported. */
  month?: string;
  at: number;
}

/** Who a summary went to: a person or a group chat. */
export type SummaryRecipient = { person: number } | { group: number };

const recipientMember = (r: SummaryRecipient) => ('person' in r ? `p${r.person}` : `g${r.group}`);

export class ReminderStore {
  constructor(private readonly redis: Redis) {}

  async preferences(personId: number): Promise<SummaryPreferences> {
    const h = await this.redis.hgetall(prefKey(personId));
    const prefs: SummaryPreferences = {};
    if (h.chart !== undefined) prefs.chart = h.chart === '1';
    if (h.time !== undefined) prefs.time = Number(h.time);
    return prefs;
  }

  /** Preferences of many people in one round trip, by id. */
  async preferencesOf(personIds: readonly number[]): Promise<Map<number, SummaryPreferences>> {
    const out = new Map<number, SummaryPreferences>();
    if (personIds.length === 0) return out;
    const pipe = this.redis.pipeline();
    for (const id of personIds) pipe.hmget(prefKey(id), 'chart', 'time');
    const replies = (await pipe.exec()) ?? [];
    personIds.forEach((id, i) => {
      const [chart, time] = (replies[i]?.[1] ?? [null, null]) as (string | null)[];
      const prefs: SummaryPreferences = {};
      if (chart !== null && chart !== undefined) prefs.chart = chart === '1';
      if (time !== null && time !== undefined) prefs.time = Number(time);
      out.set(id, prefs);
    });
    return out;
  }

  async setChart(personId: number, on: boolean): Promise<void> {
    await this.redis.hset(prefKey(personId), 'chart', on ? '1' : '0');
  }

  async setTime(personId: number, minutes: number): Promise<void> {
    await this.redis.hset(prefKey(personId), 'time', String(minutes));
  }

  /** Registers (or moves to another scope) a leaders' group; audited as `summary.group`. */
  async setGroup(group: LeadersGroup): Promise<void> {
    const before = await this.redis.hget(GROUPS_KEY, String(group.chatId));
    const tx = this.redis.multi().hset(GROUPS_KEY, String(group.chatId), JSON.stringify(group));
    auditInto(tx, {
      actor: String(group.by),
      action: 'summary.group',
      subject: `chat:${group.chatId}`,
      before: before ? JSON.parse(before) : undefined,
      after: group,
      at: group.at,
    });
    await tx.exec();
    await confirmSaved(this.redis);
  }

  /** Unregisters a group; false when it was not registered. Audited as `summary.group.remove`. */
  async removeGroup(chatId: number, actor: number, at: number): Promise<boolean> {
    const before = await this.redis.hget(GROUPS_KEY, String(chatId));
    if (before === null) return false;
    const tx = this.redis.multi().hdel(GROUPS_KEY, String(chatId));
    auditInto(tx, {
      actor: String(actor),
      action: 'summary.group.remove',
      subject: `chat:${chatId}`,
      before: JSON.parse(before),
      at,
    });
    await tx.exec();
    await confirmSaved(this.redis);
    return true;
  }

  async group(chatId: number): Promise<LeadersGroup | undefined> {
    const raw = await this.redis.hget(GROUPS_KEY, String(chatId));
    return raw ? (JSON.parse(raw) as LeadersGroup) : undefined;
  }

  /** Every registered leaders' group. */
  async groups(): Promise<LeadersGroup[]> {
    const all = await this.redis.hvals(GROUPS_KEY);
    return all.map((raw) => JSON.parse(raw) as LeadersGroup).sort((a, b) => a.chatId - b.chatId);
  }

  /** Which of `recipients` already had their summary queued on `date`. */
  async summariesSent(date: IsoDate, recipients: readonly SummaryRecipient[]): Promise<boolean[]> {
    if (recipients.length === 0) return [];
    const flags = await this.redis.smismember(sentKey(date), ...recipients.map(recipientMember));
    return flags.map((f) => f === 1);
  }

  /** Notes that the recipient's summary for `date` is queued. */
  async markSummarySent(date: IsoDate, recipient: SummaryRecipient): Promise<void> {
    await this.redis
      .multi()
      .sadd(sentKey(date), recipientMember(recipient))
      .expire(sentKey(date), SENT_TTL_SECONDS)
      .exec();
  }

  async recordRun(name: string, run: RunRecord): Promise<void> {
    await this.redis.hset(RUNS_KEY, name, JSON.stringify(run));
  }

  /** The last run of each job, by name. */
  async lastRuns(): Promise<Map<string, RunRecord>> {
    const all = await this.redis.hgetall(RUNS_KEY);
    return new Map(Object.entries(all).map(([name, raw]) => [name, JSON.parse(raw) as RunRecord]));
  }

  /**
   * Congress results and meeting reports saved for the first time in [from, to] (UTC ms), from
   * the audit stream: read newest first, stopping at the first entry older than `from`, so only
   * today's tail of the stream is read. Amendments are left out.
   */
  async reportsBetween(from: number, to: number): Promise<ReportEvent[]> {
    const out: ReportEvent[] = [];
    let end = '+';
    for (;;) {
      const batch = await this.redis.xrevrange(AUDIT_KEY, end, '-', 'COUNT', AUDIT_BATCH);
      for (const [, fields] of batch) {
        const entry = JSON.parse(fields[1] ?? '{}') as AuditEntry;
        if (entry.at < from) return out;
        if (entry.at > to || entry.before !== undefined) continue;
        const event = reportEvent(entry);
        if (event) out.push(event);
      }
      const lastId = batch[batch.length - 1]?.[0];
      if (!lastId || batch.length < AUDIT_BATCH) return out;
      end = `(${lastId}`;
    }
  }
}

/** `campaign:{c}/unit:{b}` (congress) and `unit:{b}/month:{m}` (meeting) subjects. */
function reportEvent(entry: AuditEntry): ReportEvent | undefined {
  if (entry.action === 'congress.report') {
    const match = /^campaign:[^/]+\/unit:(.+)$/.exec(entry.subject);
    return match?.[1] ? { kind: 'congress', branch: match[1], at: entry.at } : undefined;
  }
  if (entry.action === 'meeting.report') {
    const match = /^unit:(.+)\/month:(.+)$/.exec(entry.subject);
    return match?.[1] && match[2]
      ? { kind: 'meeting', branch: match[1], month: match[2], at: entry.at }
      : undefined;
  }
  return undefined;
}
