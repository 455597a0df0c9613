/**
 * Branch congress data of a round in Redis: registered dates, results with every earlier
 * version, approvals, and the counters summaries read instead of reports.
 *
 * Key layout ({c} campaign id, {b} branch code, {u} any unit code):
 *   cb:dh:{c}:b:{b}     string  the branch's entry, compact JSON: registered date ("l") and the
 *                               current result with its bookkeeping ("r")
 *   cb:dh:{c}:h:{b}     list    earlier result versions, oldest first (only amended branches)
 *   cb:dh:{c}:lich      zset    branches with a registered date and no result yet;
 *                               score = yyyymmdd * 10000 + minutes (9999 when no time given),
 *                               so "the next 7 days" and "date passed" are range queries
 *   cb:dh:{c}:done      set     branches that reported
 *   cb:dh:{c}:agg:{u}   hash    counters (short field names, zeros omitted) for the unit: every
 *                               branch's own and every ancestor's
 *   cb:dh:{c}:gh        zset    branches with an extension (gia hạn); score = yyyymmdd of its
 *                               date, so "extensions still running" is a range query
 *   cb:dh:{c}:fu        zset    reported branches whose follow-up checklist is open and due within
 *                               7 days or overdue; score = congress date yyyymmdd (added by the
 *                               daily office run, taken off once done: `congressOffice.ts`)
 *   cb:dh:{c}:qd:{u}    zset    chuẩn y / chỉ định decisions under a committee (ancestors only):
 *                               member "yyyy-mm-dd|number", score = branches it covers now
 *   cb:dh:{c}:qdt:{u}   zset    the same members, score = yyyymmdd, for "the latest decisions"
 *                               (members whose count fell to 0 are filtered on read)
 *
 * Each write WATCHes the branch's entry and, in one MULTI, writes the entry and applies the
 * change of the branch's contribution (HINCRBY) to the branch and all its ancestors, with its
 * audit entry. A reported branch costs about 600 bytes (entry, own counters, set member).
 */
import type { ChainableCommander, Redis } from 'ioredis';
import type { Campaign } from '../domain/congress/campaign.js';
import { DECISIONS_READ, type Decision, decisionKey, latestDecisions } from '../domain/congress/decision.js';
import {
  branchWindow,
  type Extension,
  type ExtensionProblem,
  extensionDateError,
  isBranchOpen,
} from '../domain/congress/extension.js';
import {
  type PilotStatus,
  type PilotWarning,
  pilotWarning,
  type Registration,
  type RegistrationProblem,
  registrationDateError,
} from '../domain/congress/registration.js';
import type { CongressReport, HinhThuc, ReportRecord } from '../domain/congress/report.js';
import {
  COUNTER_NAMES,
  type CounterName,
  type Counters,
  contribution,
  delta,
  emptyCounters,
} from '../domain/congress/stats.js';
import type { YesNoNa } from '../domain/form.js';
import { calendarDate, type IsoDate } from '../domain/vn.js';
import { auditInto } from './audit.js';
import { CampaignStore, campaignKey } from './campaigns.js';
import { cardReceiptKey, parseReceipt, recordReceipt } from './cards.js';
import { CongressOfficeStore, followUpKey } from './congressOffice.js';
import { type ProgressReadInput, type ProgressSnapshot, readProgress } from './congressProgress.js';
import { type WatchedStep, watchedTransaction } from './tx.js';

const entryKey = (c: string, b: string) => `cb:dh:${c}:b:${b}`;
const historyKey = (c: string, b: string) => `cb:dh:${c}:h:${b}`;
const lichKey = (c: string) => `cb:dh:${c}:lich`;
/** The registered dates (not yet reported) under each unit: the pilot flags count them per committee. */
const lichUnitKey = (c: string, u: string) => `cb:dh:${c}:lichu:${u}`;
const doneKey = (c: string) => `cb:dh:${c}:done`;
const aggKey = (c: string, u: string) => `cb:dh:${c}:agg:${u}`;
const extensionsKey = (c: string) => `cb:dh:${c}:gh`;
const decisionsKey = (c: string, u: string) => `cb:dh:${c}:qd:${u}`;
const decisionDatesKey = (c: string, u: string) => `cb:dh:${c}:qdt:${u}`;

/**
 * The keys (and key prefixes, to append a unit or branch code to) of a round that /tiendo's one
 * read takes (`congressProgress.ts`), from the same functions every write uses.
 */
function progressKeys(c: string) {
  return {
    entry: entryKey(c, ''),
    lich: lichKey(c),
    lichUnit: lichUnitKey(c, ''),
    done: doneKey(c),
    agg: aggKey(c, ''),
    extensions: extensionsKey(c),
    decisions: decisionsKey(c, ''),
    decisionDates: decisionDatesKey(c, ''),
  };
}

/** Audit subject of one branch in one round. */
export const congressSubject = (campaignId: string, branch: string) =>
  `campaign:${campaignId}/unit:${branch}`;

/** Short hash field per counter: the hashes exist once per unit per round. */
const COUNTER_FIELDS: Record<CounterName, string> = {
  held: 'h',
  registered: 'rg',
  registeredOnly: 'ro',
  approved: 'ap',
  late: 'lt',
  summoned: 'tt',
  present: 'cm',
  elected: 'e',
  reElected: 'tc',
  women: 'nu',
  young: 'tr',
  minority: 'dt',
  secretaryDirect: 'bt',
  headApplicable: 'ha',
  headYes: 'hy',
  deputyElected: 'pb',
  noDeputy: 'np',
  noElection: 'kb',
  threeItems: 'n3',
  twoItems: 'n2',
  extended: 'gh',
};

/** Branches per pipeline when reading many. */
const BATCH = 1000;

/** Another writer kept changing the same branch; the caller may try again. */
export class CongressConflictError extends Error {
  constructor(readonly what: string) {
    super(`Too many concurrent changes to ${what}; gave up`);
    this.name = 'CongressConflictError';
  }
}

/** Identifies a branch in a round, with its ancestors (root first) from the units tree. */
export interface BranchRef {
  campaignId: string;
  branch: string;
  /** Codes of the branch's ancestors, root first (not the branch itself). */
  ancestors: readonly string[];
}

export type RegisterDateResult =
  | {
      ok: true;
      registration: Registration;
      /** The date it replaced, when the branch moved its date. */
      previous?: Registration;
      /** False when the same date and time were already registered (nothing written). */
      changed: boolean;
      /** Set when the pilot rule applies; the caller tells the responsible leader. */
      pilotWarning?: PilotWarning;
    }
  | { ok: false; problem: RegistrationProblem };

export type SaveReportResult =
  | {
      ok: true;
      version: number;
      amended: boolean;
      unchanged: boolean;
      /** The card had already been pressed: nothing was saved now; `version` is what it saved then. */
      duplicate?: true;
      /**
       * The amendment cleared a recorded chuẩn y: the decision and the version it was made on,
       * so the caller can tell the approver what changed.
       */
      clearedApproval?: { approved: NonNullable<ReportRecord['approved']>; previous: CongressReport };
    }
  | { ok: false; problem: { code: 'campaignClosed' } };

export type ExtendResult =
  | {
      ok: true;
      extension: Extension;
      /** The extension it replaced, when the branch had one. */
      previous?: Extension;
    }
  | { ok: false; problem: ExtensionProblem };

export type ApproveResult =
  | {
      ok: true;
      alreadyApproved: boolean;
      approved: NonNullable<ReportRecord['approved']>;
      record: ReportRecord;
    }
  | { ok: false; reason: 'no_report' }
  /** The result was amended after the version the approver saw. */
  | { ok: false; reason: 'stale'; current: number };

export class CongressStore {
  private readonly campaigns: CampaignStore;
  /** Checklists and attendees of the same rounds. */
  readonly office: CongressOfficeStore;

  constructor(private readonly redis: Redis) {
    this.campaigns = new CampaignStore(redis);
    this.office = new CongressOfficeStore(redis);
  }

  /**
   * Registers or moves a branch's congress date. The date must lie in the round's window and not
   * before today; a branch that already reported cannot register. `committeePilots` are the
   * round's pilot branches in the branch's grassroots committee (the caller filters
   * `campaign.pilots` with the units tree); a non-pilot branch whose date does not follow them
   * gets `pilotWarning`. Audited as `congress.date`.
   */
  async registerDate(
    input: BranchRef & {
      date: IsoDate;
      time?: number;
      committeePilots?: readonly string[];
      actor: string;
      now: number;
      /** The round as the caller just read it (saves reading it again). */
      campaign?: Campaign;
    },
  ): Promise<RegisterDateResult> {
    const campaign = input.campaign ?? (await this.campaigns.requireCampaign(input.campaignId));
    if (campaign.closedAt !== undefined) return { ok: false, problem: { code: 'campaignClosed' } };
    const today = calendarDate(input.now);

    const pilots = (input.committeePilots ?? []).filter((p) => p !== input.branch);
    const isPilot =
      (input.committeePilots ?? []).includes(input.branch) || campaign.pilots.includes(input.branch);
    const warning = isPilot
      ? undefined
      : pilotWarning(input.branch, input.date, await this.pilotStatus(input.campaignId, pilots));

    const { campaignId: c, branch } = input;
    const key = entryKey(c, branch);
    const registration: Registration = { branch, date: input.date };
    if (input.time !== undefined) registration.time = input.time;
    return this.watched<RegisterDateResult>(key, async (conn) => {
      const [raw] = await watchAndGet(conn, [key]);
      const entry = decodeEntry(branch, raw ?? null);
      if (entry.record) {
        return {
          result: { ok: false, problem: { code: 'alreadyReported', date: entry.record.report.date } },
        };
      }
      // An extended branch registers within its own window.
      if (!isBranchOpen(campaign, entry.extension, today))
        return { result: { ok: false, problem: { code: 'campaignClosed' } } };
      const dateError = registrationDateError(branchWindow(campaign, entry.extension), input.date, today);
      if (dateError) return { result: { ok: false, problem: dateError } };
      const previous = entry.registration;
      const withWarning = <T extends object>(r: T) => (warning ? { ...r, pilotWarning: warning } : r);
      if (previous && previous.date === registration.date && previous.time === registration.time) {
        return { result: withWarning({ ok: true as const, registration, changed: false }) };
      }
      const tx = conn.multi();
      tx.set(key, encodeEntry({ ...entry, registration }));
      tx.zadd(lichKey(c), lichScore(registration), branch);
      for (const unit of new Set(input.ancestors))
        tx.zadd(lichUnitKey(c, unit), lichScore(registration), branch);
      this.applyDelta(
        tx,
        input,
        delta(contribution(undefined, previous), contribution(undefined, registration)),
      );
      auditInto(tx, {
        actor: input.actor,
        action: 'congress.date',
        subject: congressSubject(c, branch),
        before: previous,
        after: registration,
        at: input.now,
      });
      const result = { ok: true as const, registration, changed: true, ...(previous ? { previous } : {}) };
      return { tx, result: withWarning(result) };
    });
  }

  /**
   * Saves a validated result, or an amendment of it. An amendment keeps the earlier version in
   * the history list; re-sending an identical result writes nothing. Counters of the branch and
   * its ancestors change in the same MULTI; audited as `congress.report` with before and after.
   * `card`, the nonce of the confirmation card pressed, is consumed in the same MULTI
   * (`cards.ts`): pressing it again saves nothing and answers `duplicate`.
   */
  async saveReport(
    input: BranchRef & {
      report: CongressReport;
      actor: string;
      now: number;
      card?: string;
      /** The dialog holding the card, ended in the same MULTI as the save. */
      dialogKey?: string;
      /** The round as the caller just read it (saves reading it again). */
      campaign?: Campaign;
    },
  ): Promise<SaveReportResult> {
    const campaign = input.campaign ?? (await this.campaigns.requireCampaign(input.campaignId));
    if (campaign.closedAt !== undefined) return { ok: false, problem: { code: 'campaignClosed' } };
    const { campaignId: c, branch, card, dialogKey } = input;
    const key = entryKey(c, branch);
    return this.watched<SaveReportResult>(key, async (conn) => {
      // The card's receipt and the entry, watched and read in one round trip.
      const [rawEntry, rawReceipt] = await watchAndGet(
        conn,
        card === undefined ? [key] : [key, cardReceiptKey(card)],
      );
      const used = parseReceipt(rawReceipt ?? null);
      if (used) {
        const version = used.version ?? 0;
        return { result: { ok: true, version, amended: false, unchanged: false, duplicate: true } };
      }
      const entry = decodeEntry(branch, rawEntry ?? null);
      const prev = entry.record;
      if (!isBranchOpen(campaign, entry.extension, calendarDate(input.now)))
        return { result: { ok: false, problem: { code: 'campaignClosed' } } };
      if (prev && encodeReport(prev.report) === encodeReport(input.report)) {
        const result = { ok: true as const, version: prev.version, amended: false, unchanged: true };
        if (card === undefined) return { result };
        // Nothing to save, but the card is used all the same.
        const tx = conn.multi();
        recordReceipt(tx, card, { version: prev.version, ref: c, at: input.now });
        if (dialogKey) tx.del(dialogKey);
        return { tx, result };
      }
      const record: ReportRecord = {
        report: input.report,
        version: (prev?.version ?? 0) + 1,
        savedAt: input.now,
        savedBy: input.actor,
        late: prev ? prev.late : isLate(campaign, input.now),
      };
      // An amendment needs approving again: the decision was made on the earlier version.
      const cleared = prev?.approved;
      const tx = conn.multi();
      if (cleared) this.moveDecision(tx, input, cleared, -1);
      tx.set(key, encodeEntry({ ...entry, record }));
      if (prev) tx.rpush(historyKey(c, branch), encodeRecord(prev));
      tx.sadd(doneKey(c), branch);
      tx.zrem(lichKey(c), branch);
      for (const unit of new Set(input.ancestors)) tx.zrem(lichUnitKey(c, unit), branch);
      // A follow-up already due and open moves with the congress date; the daily office run
      // adds the others when they come due (so a reported branch costs no index entry).
      tx.zadd(followUpKey(c), 'XX', dateNumber(input.report.date), branch);
      if (card !== undefined) recordReceipt(tx, card, { version: record.version, ref: c, at: input.now });
      if (dialogKey) tx.del(dialogKey);
      this.applyDelta(
        tx,
        input,
        delta(contribution(prev, entry.registration), contribution(record, entry.registration)),
      );
      auditInto(tx, {
        actor: input.actor,
        action: 'congress.report',
        subject: congressSubject(c, branch),
        before: prev,
        after: record,
        at: input.now,
      });
      return {
        tx,
        result: {
          ok: true,
          version: record.version,
          amended: prev !== undefined,
          unchanged: false,
          ...(cleared && prev ? { clearedApproval: { approved: cleared, previous: prev.report } } : {}),
        },
      };
    });
  }

  /**
   * Records chuẩn y (or chỉ định) of a branch's result by a quyết định, bound to `version`, the
   * version the approver saw: a newer one answers `stale`. Idempotent for the same version: a
   * second decision on it changes nothing. Indexes the decision under every ancestor in the same
   * MULTI. Audited as `congress.approve`.
   */
  async approve(
    input: BranchRef & { actor: string; now: number; version?: number; decision?: Decision },
  ): Promise<ApproveResult> {
    const { campaignId: c, branch } = input;
    const key = entryKey(c, branch);
    return this.watched<ApproveResult>(key, async (conn) => {
      await conn.watch(key);
      const entry = decodeEntry(branch, await conn.get(key));
      const prev = entry.record;
      if (!prev) return { result: { ok: false, reason: 'no_report' } };
      if (input.version !== undefined && input.version !== prev.version)
        return { result: { ok: false, reason: 'stale', current: prev.version } };
      if (prev.approved)
        return { result: { ok: true, alreadyApproved: true, approved: prev.approved, record: prev } };
      const approved: NonNullable<ReportRecord['approved']> = {
        by: input.actor,
        at: input.now,
        version: prev.version,
      };
      if (input.decision) {
        approved.number = input.decision.number;
        approved.date = input.decision.date;
      }
      const record: ReportRecord = { ...prev, approved };
      const tx = conn.multi();
      tx.set(key, encodeEntry({ ...entry, record }));
      this.moveDecision(tx, input, approved, 1);
      this.applyDelta(
        tx,
        input,
        delta(contribution(prev, entry.registration), contribution(record, entry.registration)),
      );
      auditInto(tx, {
        actor: input.actor,
        action: 'congress.approve',
        subject: congressSubject(c, branch),
        after: approved,
        at: input.now,
      });
      return { tx, result: { ok: true, alreadyApproved: false, approved, record } };
    });
  }

  /**
   * Grants (or moves) a branch's extension (gia hạn) past the round's deadline: the branch may
   * then register and report up to `until`. Refused in a closed round, for a branch that already
   * reported, or for a date that is not after the round's deadline or already past. The round's
   * `extendedUntil` follows the latest extension, so the round stays open for it. Audited as
   * `congress.extend`.
   */
  async extend(
    input: BranchRef & { until: IsoDate; reason?: string; actor: string; now: number },
  ): Promise<ExtendResult> {
    const { campaignId: c, branch } = input;
    const key = entryKey(c, branch);
    const today = calendarDate(input.now);
    return this.watched<ExtendResult>(key, async (conn) => {
      await conn.watch(key, campaignKey(c));
      const [json, campaignJson] = await conn.mget(key, campaignKey(c));
      const campaign = await this.campaigns.requireCampaign(c);
      if (campaign.closedAt !== undefined || !campaignJson)
        return { result: { ok: false, problem: { code: 'campaignClosed' } } };
      const dateError = extensionDateError(campaign, input.until, today);
      if (dateError) return { result: { ok: false, problem: dateError } };
      const entry = decodeEntry(branch, json ?? null);
      if (entry.record)
        return {
          result: { ok: false, problem: { code: 'alreadyReported', date: entry.record.report.date } },
        };
      const previous = entry.extension;
      const extension: Extension = { until: input.until, by: input.actor, at: input.now };
      if (input.reason !== undefined) extension.reason = input.reason;
      const tx = conn.multi();
      tx.set(key, encodeEntry({ ...entry, extension }));
      tx.zadd(extensionsKey(c), dateNumber(input.until), branch);
      const stored = JSON.parse(campaignJson) as Campaign;
      if (stored.extendedUntil === undefined || stored.extendedUntil < input.until) {
        tx.set(campaignKey(c), JSON.stringify({ ...stored, extendedUntil: input.until }));
      }
      this.applyDelta(
        tx,
        input,
        delta(
          contribution(entry.record, entry.registration, previous),
          contribution(entry.record, entry.registration, extension),
        ),
      );
      auditInto(tx, {
        actor: input.actor,
        action: 'congress.extend',
        subject: congressSubject(c, branch),
        before: previous,
        after: extension,
        at: input.now,
      });
      return { tx, result: { ok: true, extension, ...(previous ? { previous } : {}) } };
    });
  }

  /**
   * Everything /tiendo shows for one unit in one round, in one round trip (`congressProgress.ts`).
   */
  progress(input: ProgressReadInput): Promise<ProgressSnapshot<BranchEntry>> {
    return readProgress(this.redis, input, {
      keys: progressKeys(input.campaignId),
      decodeEntry,
      decodeCounters,
    });
  }

  /** The branch's extension in the round, if it has one. */
  async getExtension(campaignId: string, branch: string): Promise<Extension | undefined> {
    return decodeEntry(branch, await this.redis.get(entryKey(campaignId, branch))).extension;
  }

  /**
   * Extended branches of the round with their dates, earliest first; `from` keeps only the
   * extensions running on or after that day. Reads only the extension index.
   */
  async extensions(campaignId: string, from?: IsoDate): Promise<{ branch: string; until: IsoDate }[]> {
    const flat = await this.redis.zrangebyscore(
      extensionsKey(campaignId),
      from === undefined ? '-inf' : dateNumber(from),
      '+inf',
      'WITHSCORES',
    );
    return pairs(flat).map(([branch, score]) => ({ branch, until: isoOfNumber(Number(score)) }));
  }

  /**
   * For each extended branch, in order: its extension, whether and when it reported (and whether
   * late), and its registered date. One MGET.
   */
  async extendedStatus(
    campaignId: string,
    branches: readonly string[],
  ): Promise<{ extension?: Extension; record?: ReportRecord; registration?: Registration }[]> {
    if (branches.length === 0) return [];
    const jsons = await this.redis.mget(branches.map((b) => entryKey(campaignId, b)));
    return branches.map((b, i) => decodeEntry(b, jsons[i] ?? null));
  }

  /**
   * The decisions recorded under a committee: how many distinct ones, and the latest `max` by
   * date (each with the branches it covers). Reads two sorted sets; never the reports.
   */
  async decisions(
    campaignId: string,
    unit: string,
    max = 5,
  ): Promise<{ count: number; latest: (Decision & { branches: number })[] }> {
    const [[, count], [, recent]] = (await this.redis
      .pipeline()
      .zcard(decisionsKey(campaignId, unit))
      .zrevrange(decisionDatesKey(campaignId, unit), 0, DECISIONS_READ - 1)
      .exec()) as [[null, number], [null, string[]]];
    if (recent.length === 0) return { count, latest: [] };
    const scores = await this.redis.zmscore(decisionsKey(campaignId, unit), ...recent);
    const counted = recent.map((member, i) => ({ member, branches: Number(scores[i] ?? 0) }));
    return { count, latest: latestDecisions(counted, max) };
  }

  /** Moves a decision's count under every ancestor by `by` (+1 recorded, -1 cleared). */
  private moveDecision(
    tx: ChainableCommander,
    ref: BranchRef,
    approved: NonNullable<ReportRecord['approved']>,
    by: 1 | -1,
  ): void {
    if (!approved.number || !approved.date) return;
    const member = decisionKey({ number: approved.number, date: approved.date });
    for (const unit of new Set(ref.ancestors)) {
      tx.zincrby(decisionsKey(ref.campaignId, unit), by, member);
      if (by > 0) tx.zadd(decisionDatesKey(ref.campaignId, unit), dateNumber(approved.date), member);
      else tx.zremrangebyscore(decisionsKey(ref.campaignId, unit), '-inf', 0);
    }
  }

  /** The branch's current result, if it reported. */
  async getReport(campaignId: string, branch: string): Promise<ReportRecord | undefined> {
    return decodeEntry(branch, await this.redis.get(entryKey(campaignId, branch))).record;
  }

  /** The congress date each branch reported (undefined when it has not), in the order given. */
  async reportDates(campaignId: string, branches: readonly string[]): Promise<(IsoDate | undefined)[]> {
    const out: (IsoDate | undefined)[] = [];
    for (let i = 0; i < branches.length; i += BATCH) {
      const codes = branches.slice(i, i + BATCH);
      const jsons = await this.redis.mget(codes.map((b) => entryKey(campaignId, b)));
      jsons.forEach((json, j) => {
        out.push(decodeEntry(codes[j]!, json).record?.report.date);
      });
    }
    return out;
  }

  /** The branch's registered date, if any (kept after it reports). */
  async getRegistration(campaignId: string, branch: string): Promise<Registration | undefined> {
    return decodeEntry(branch, await this.redis.get(entryKey(campaignId, branch))).registration;
  }

  /** Every version of the branch's result, oldest first; the last one is the current result. */
  async reportHistory(campaignId: string, branch: string): Promise<ReportRecord[]> {
    const [[, earlier], [, current]] = (await this.redis
      .pipeline()
      .lrange(historyKey(campaignId, branch), 0, -1)
      .get(entryKey(campaignId, branch))
      .exec()) as [[null, string[]], [null, string | null]];
    const out = earlier.map((json) => decodeRecord(JSON.parse(json) as CompactRecord));
    const record = decodeEntry(branch, current).record;
    if (record) out.push(record);
    return out;
  }

  /** The unit's counters in the round (all zero when nothing under it has happened yet). */
  async aggregate(campaignId: string, unit: string): Promise<Counters> {
    return decodeCounters(await this.redis.hgetall(aggKey(campaignId, unit)));
  }

  /** Counters of many units in one round trip, in the order given (for per-child lines). */
  async aggregates(campaignId: string, units: readonly string[]): Promise<Counters[]> {
    const out: Counters[] = [];
    for (let i = 0; i < units.length; i += BATCH) {
      const p = this.redis.pipeline();
      for (const u of units.slice(i, i + BATCH)) p.hgetall(aggKey(campaignId, u));
      for (const [err, h] of (await p.exec()) ?? []) {
        if (err) throw err;
        out.push(decodeCounters(h as Record<string, string>));
      }
    }
    return out;
  }

  /**
   * Registered congresses with a date in [from, to] whose branch has not reported yet, by date
   * and time. Reads only the date sorted set.
   */
  async upcoming(campaignId: string, from: IsoDate, to: IsoDate): Promise<Registration[]> {
    const flat = await this.redis.zrangebyscore(
      lichKey(campaignId),
      dateNumber(from) * 10_000,
      dateNumber(to) * 10_000 + NO_TIME,
      'WITHSCORES',
    );
    return pairs(flat).map(([branch, score]) => registrationFromScore(branch, Number(score)));
  }

  /** Registered dates before `today` with no result yet: overdue by their own date, oldest first. */
  async overdueRegistrations(campaignId: string, today: IsoDate): Promise<Registration[]> {
    const flat = await this.redis.zrangebyscore(
      lichKey(campaignId),
      '-inf',
      `(${dateNumber(today) * 10_000}`,
      'WITHSCORES',
    );
    return pairs(flat).map(([branch, score]) => registrationFromScore(branch, Number(score)));
  }

  /** For each code, whether the branch reported (SMISMEMBER, in order). */
  async reportedBranches(campaignId: string, branches: readonly string[]): Promise<boolean[]> {
    const out: boolean[] = [];
    for (let i = 0; i < branches.length; i += BATCH) {
      const flags = await this.redis.smismember(doneKey(campaignId), ...branches.slice(i, i + BATCH));
      for (const f of flags) out.push(f === 1);
    }
    return out;
  }

  /** Codes of every branch that reported in the round. */
  async reportedSet(campaignId: string): Promise<Set<string>> {
    return new Set(await this.redis.smembers(doneKey(campaignId)));
  }

  /** For each code, the branch's registered date (reported or not), in order. */
  async registeredBranches(
    campaignId: string,
    branches: readonly string[],
  ): Promise<(Registration | undefined)[]> {
    const out: (Registration | undefined)[] = [];
    for (let i = 0; i < branches.length; i += BATCH) {
      const codes = branches.slice(i, i + BATCH);
      const jsons = await this.redis.mget(codes.map((b) => entryKey(campaignId, b)));
      jsons.forEach((json, j) => {
        out.push(decodeEntry(codes[j]!, json).registration);
      });
    }
    return out;
  }

  /**
   * For each committee and its pilot: how many other branches under it registered a date (not
   * yet reported), and how many of those before `before` (the pilot's date), from the committee's
   * own index of registered dates. One round trip however many committees.
   */
  async registeredUnder(
    campaignId: string,
    committees: readonly { unit: string; pilot: string; before?: IsoDate }[],
  ): Promise<{ others: number; before: number }[]> {
    if (committees.length === 0) return [];
    const p = this.redis.pipeline();
    for (const c of committees) {
      const key = lichUnitKey(campaignId, c.unit);
      p.zcard(key).zscore(key, c.pilot);
      p.zcount(key, 0, c.before ? dateNumber(c.before) * 10_000 - 1 : -1);
    }
    const replies = ((await p.exec()) ?? []).map(([, v]) => v);
    return committees.map((_, i) => {
      const [card, pilotScore, before] = replies.slice(3 * i, 3 * i + 3);
      return { others: Number(card) - (pilotScore === null ? 0 : 1), before: Number(before) };
    });
  }

  /**
   * Where each pilot congress stands: held (reported, with the reported date) or not (with its
   * registered date, if any). In the order given.
   */
  async pilotStatus(campaignId: string, pilots: readonly string[]): Promise<PilotStatus[]> {
    if (pilots.length === 0) return [];
    const jsons = await this.redis.mget(pilots.map((p) => entryKey(campaignId, p)));
    return pilots.map((branch, i) => {
      const entry = decodeEntry(branch, jsons[i] ?? null);
      if (entry.record) return { branch, held: true, date: entry.record.report.date };
      const status: PilotStatus = { branch, held: false };
      if (entry.registration) {
        status.date = entry.registration.date;
        if (entry.registration.time !== undefined) status.time = entry.registration.time;
      }
      return status;
    });
  }

  /**
   * Rebuilds the round's counters, reported set and date set from the branch entries, with
   * `branches` giving each branch's ancestors now (after a re-import moved units). Entries of
   * branches not in the list (removed units) count nowhere and come back as `orphans`. Scans;
   * meant for the office after an import, not for every request.
   */
  async recomputeAggregates(
    campaignId: string,
    branches: readonly { code: string; ancestors: readonly string[] }[],
  ): Promise<{ units: number; branches: number; orphans: string[] }> {
    const entryPrefix = entryKey(campaignId, '');
    const known = new Map(branches.map((b) => [b.code, b.ancestors]));
    return this.watched(`campaign ${campaignId}`, async (conn) => {
      // A first registration or report of any branch touches one of these two keys, so watching
      // them (with every existing entry) catches each write that could slip past the rebuild.
      await conn.watch(doneKey(campaignId), lichKey(campaignId));
      const entryKeys = await this.scanKeys(`${entryPrefix}*`);
      const oldKeys = [
        ...(await this.scanKeys(`${aggKey(campaignId, '')}*`)),
        ...(await this.scanKeys(`${decisionsKey(campaignId, '')}*`)),
        ...(await this.scanKeys(`${decisionDatesKey(campaignId, '')}*`)),
        ...(await this.scanKeys(`${lichUnitKey(campaignId, '')}*`)),
      ];
      for (let i = 0; i < entryKeys.length; i += BATCH) await conn.watch(...entryKeys.slice(i, i + BATCH));
      const jsons: (string | null)[] = [];
      for (let i = 0; i < entryKeys.length; i += BATCH)
        jsons.push(...(await conn.mget(entryKeys.slice(i, i + BATCH))));
      const { totals, done, lich, orphans, decisions } = tally(
        entryKeys.map((key, j) => [key.slice(entryPrefix.length), jsons[j] ?? null]),
        known,
      );
      const tx = conn.multi();
      for (let i = 0; i < oldKeys.length; i += BATCH) tx.del(...oldKeys.slice(i, i + BATCH));
      tx.del(doneKey(campaignId), lichKey(campaignId));
      for (let i = 0; i < done.length; i += BATCH) tx.sadd(doneKey(campaignId), ...done.slice(i, i + BATCH));
      for (let i = 0; i < lich.length; i += 2 * BATCH)
        tx.zadd(lichKey(campaignId), ...lich.slice(i, i + 2 * BATCH));
      for (let i = 0; i < lich.length; i += 2) {
        const [score, branch] = [lich[i] as number, lich[i + 1] as string];
        for (const unit of new Set(known.get(branch) ?? []))
          tx.zadd(lichUnitKey(campaignId, unit), score, branch);
      }
      let units = 0;
      for (const [unit, counters] of totals) {
        const fields = encodeCounters(counters);
        if (Object.keys(fields).length === 0) continue;
        tx.hset(aggKey(campaignId, unit), fields);
        units++;
      }
      for (const [unit, byDecision] of decisions) {
        for (const [member, d] of byDecision) {
          tx.zadd(decisionsKey(campaignId, unit), d.branches, member);
          tx.zadd(decisionDatesKey(campaignId, unit), dateNumber(d.date), member);
        }
      }
      return { tx, result: { units, branches: branches.length, orphans: orphans.sort() } };
    });
  }

  /**
   * Compares the stored counters of the round with a recount from the branch entries (over
   * `branches` and their ancestors now), writing nothing: the check after a restore. Returns
   * each counter that differs. Scans; not for requests.
   */
  async checkAggregates(
    campaignId: string,
    branches: readonly { code: string; ancestors: readonly string[] }[],
  ): Promise<AggregateMismatch[]> {
    const entryPrefix = entryKey(campaignId, '');
    const aggPrefix = aggKey(campaignId, '');
    const entryKeys = await this.scanKeys(`${entryPrefix}*`);
    const aggKeys = await this.scanKeys(`${aggPrefix}*`);
    const jsons: (string | null)[] = [];
    for (let i = 0; i < entryKeys.length; i += BATCH)
      jsons.push(...(await this.redis.mget(entryKeys.slice(i, i + BATCH))));
    const { totals } = tally(
      entryKeys.map((key, j) => [key.slice(entryPrefix.length), jsons[j] ?? null]),
      new Map(branches.map((b) => [b.code, b.ancestors])),
    );
    const units = [...new Set([...totals.keys(), ...aggKeys.map((k) => k.slice(aggPrefix.length))])].sort();
    const stored = await this.aggregates(campaignId, units);
    const mismatches: AggregateMismatch[] = [];
    units.forEach((unit, i) => {
      const expected = totals.get(unit) ?? emptyCounters();
      for (const name of COUNTER_NAMES) {
        const have = stored[i]?.[name] ?? 0;
        if (have !== expected[name])
          mismatches.push({ unit, counter: name, stored: have, expected: expected[name] });
      }
    });
    return mismatches;
  }

  /** Queues HINCRBY of a contribution change for the branch and every ancestor. */
  private applyDelta(tx: ChainableCommander, ref: BranchRef, change: Partial<Counters>): void {
    const fields = Object.entries(change) as [CounterName, number][];
    if (fields.length === 0) return;
    for (const unit of unitsOf(ref.branch, ref.ancestors)) {
      const key = aggKey(ref.campaignId, unit);
      for (const [name, by] of fields) tx.hincrby(key, COUNTER_FIELDS[name], by);
    }
  }

  private async scanKeys(pattern: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return [...new Set(keys)];
  }

  /**
   * An optimistic read-check-write on a connection of its own: WATCH belongs to a connection,
   * and on a shared one another caller's EXEC would silently drop our watches. `step` WATCHes
   * and reads through `conn`, then returns a MULTI built on it (run here; the step runs again
   * when a watched key changed) or just a result when there is nothing to write.
   */
  private watched<T>(
    what: string,
    step: (conn: Redis) => Promise<{ tx?: ChainableCommander; result: T }>,
  ): Promise<T> {
    return watchedTransaction(this.redis, what, step as (conn: Redis) => Promise<WatchedStep<T>>, {
      conflict: (w) => new CongressConflictError(w),
    });
  }
}

/** One counter of one unit whose stored value differs from a recount. */
export interface AggregateMismatch {
  unit: string;
  counter: string;
  stored: number;
  expected: number;
}

/**
 * Counts a round's branch entries: counters per unit (each branch towards itself and the
 * ancestors `known` gives it), reported branches, registered dates, and entries of branches no
 * longer in the tree.
 */
function tally(
  entries: readonly [branch: string, json: string | null][],
  known: ReadonlyMap<string, readonly string[]>,
): {
  totals: Map<string, Counters>;
  done: string[];
  lich: (string | number)[];
  orphans: string[];
  /** Per unit, each decision recorded under it (`decisionKey`) and the branches it covers. */
  decisions: Map<string, Map<string, { branches: number; date: IsoDate }>>;
} {
  const totals = new Map<string, Counters>();
  const done: string[] = [];
  const lich: (string | number)[] = [];
  const orphans: string[] = [];
  const decisions = new Map<string, Map<string, { branches: number; date: IsoDate }>>();
  for (const [branch, json] of entries) {
    const entry = decodeEntry(branch, json);
    if (entry.record) done.push(branch);
    else if (entry.registration) lich.push(lichScore(entry.registration), branch);
    const ancestors = known.get(branch);
    if (ancestors === undefined) {
      if (entry.record || entry.registration || entry.extension) orphans.push(branch);
      continue;
    }
    const c = contribution(entry.record, entry.registration, entry.extension);
    for (const unit of unitsOf(branch, ancestors)) {
      const t = totals.get(unit) ?? emptyCounters();
      for (const k of COUNTER_NAMES) t[k] += c[k];
      totals.set(unit, t);
    }
    // As `moveDecision` keeps them: under each ancestor.
    const approved = entry.record?.approved;
    if (approved?.number && approved.date) {
      const member = decisionKey({ number: approved.number, date: approved.date });
      for (const unit of new Set(ancestors)) {
        const byUnit = decisions.get(unit) ?? new Map<string, { branches: number; date: IsoDate }>();
        const d = byUnit.get(member) ?? { branches: 0, date: approved.date };
        d.branches++;
        byUnit.set(member, d);
        decisions.set(unit, byUnit);
      }
    }
  }
  return { totals, done, lich, orphans, decisions };
}

/** The branch itself and its ancestors, each once. */
function unitsOf(branch: string, ancestors: readonly string[]): string[] {
  return [...new Set([...ancestors, branch])];
}

function isLate(campaign: Campaign, now: number): boolean {
  return calendarDate(now) > campaign.deadline;
}

// ---- compact encodings (a reported branch should stay well under 1 KB) ----

const NO_TIME = 9999;

/** "2025-09-15" -> 20250915. */
function dateNumber(date: IsoDate): number {
  return Number(date.replace(/-/g, ''));
}

function lichScore(r: Registration): number {
  return dateNumber(r.date) * 10_000 + (r.time ?? NO_TIME);
}

/** 20250915 -> "2025-09-15". */
function isoOfNumber(n: number): IsoDate {
  const day = String(n);
  return `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
}

function registrationFromScore(branch: string, score: number): Registration {
  const day = String(Math.floor(score / 10_000));
  const minutes = score % 10_000;
  const r: Registration = { branch, date: `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}` };
  if (minutes !== NO_TIME) r.time = minutes;
  return r;
}

function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

export interface BranchEntry {
  registration?: Registration;
  record?: ReportRecord;
  extension?: Extension;
}

/** The stored shape: short keys, yes/no as c/k/n, booleans as 0/1. */
interface CompactReport {
  d: string;
  /** Hình thức: bầu cử, không bầu cử, 3 nội dung, 2 nội dung. */
  f: 'b' | 'k' | '3' | '2';
  s: number;
  p: number;
  e: number;
  tc: number;
  nu: number;
  tr: number;
  dt: number;
  bt: 0 | 1;
  nd: 'c' | 'k' | 'n';
  pb: 'c' | 'k' | 'n';
  n?: string;
}
interface CompactRecord extends CompactReport {
  v: number;
  at: number;
  by: string;
  lt?: 1;
  /** Approval: [by, at], then the decision's number, date and the version it was made on. */
  ap?: [string, number] | [string, number, string, string, number];
}
interface CompactEntry {
  /** "2025-09-15" or "2025-09-15 1170" (minutes). */
  l?: string;
  r?: CompactRecord;
  /** Extension (gia hạn): until, by, at, and the reason when given. */
  x?: { u: string; by: string; at: number; n?: string };
}

const YN_CODE = { co: 'c', khong: 'k', khong_ap_dung: 'n' } as const satisfies Record<YesNoNa, string>;
const YN_FROM: Record<'c' | 'k' | 'n', YesNoNa> = { c: 'co', k: 'khong', n: 'khong_ap_dung' };
const FORMAT_CODE = {
  bau_cu: 'b',
  khong_bau_cu: 'k',
  ba_noi_dung: '3',
  hai_noi_dung: '2',
} as const satisfies Record<HinhThuc, string>;
const FORMAT_FROM: Record<CompactReport['f'], HinhThuc> = {
  b: 'bau_cu',
  k: 'khong_bau_cu',
  '3': 'ba_noi_dung',
  '2': 'hai_noi_dung',
};

function compactReport(r: CongressReport): CompactReport {
  const c: CompactReport = {
    d: r.date,
    f: FORMAT_CODE[r.format],
    s: r.summoned,
    p: r.present,
    e: r.elected,
    tc: r.reElected,
    nu: r.women,
    tr: r.young,
    dt: r.minority,
    bt: r.secretaryDirect ? 1 : 0,
    nd: YN_CODE[r.secretaryIsHead],
    pb: YN_CODE[r.deputy],
  };
  if (r.note !== undefined) c.n = r.note;
  return c;
}

function encodeReport(r: CongressReport): string {
  return JSON.stringify(compactReport(r));
}

function compactRecord(rec: ReportRecord): CompactRecord {
  const c: CompactRecord = { ...compactReport(rec.report), v: rec.version, at: rec.savedAt, by: rec.savedBy };
  if (rec.late) c.lt = 1;
  if (rec.approved) {
    const a = rec.approved;
    c.ap = a.number && a.date ? [a.by, a.at, a.number, a.date, a.version ?? rec.version] : [a.by, a.at];
  }
  return c;
}

function encodeRecord(rec: ReportRecord): string {
  return JSON.stringify(compactRecord(rec));
}

function decodeRecord(c: CompactRecord): ReportRecord {
  const report: CongressReport = {
    date: c.d,
    format: FORMAT_FROM[c.f] ?? 'khong_bau_cu',
    summoned: c.s,
    present: c.p,
    elected: c.e,
    reElected: c.tc,
    women: c.nu,
    young: c.tr,
    minority: c.dt,
    secretaryDirect: c.bt === 1,
    secretaryIsHead: YN_FROM[c.nd],
    deputy: YN_FROM[c.pb],
  };
  if (c.n !== undefined) report.note = c.n;
  const rec: ReportRecord = { report, version: c.v, savedAt: c.at, savedBy: c.by, late: c.lt === 1 };
  if (c.ap) {
    rec.approved = { by: c.ap[0], at: c.ap[1] };
    if (c.ap.length === 5) {
      rec.approved.number = c.ap[2];
      rec.approved.date = c.ap[3];
      rec.approved.version = c.ap[4];
    }
  }
  return rec;
}

function encodeEntry(entry: BranchEntry): string {
  const c: CompactEntry = {};
  if (entry.registration) {
    const { date, time } = entry.registration;
    c.l = time === undefined ? date : `${date} ${time}`;
  }
  if (entry.record) c.r = compactRecord(entry.record);
  if (entry.extension) {
    const { until, by, at, reason } = entry.extension;
    c.x = { u: until, by, at, ...(reason !== undefined ? { n: reason } : {}) };
  }
  return JSON.stringify(c);
}

/** A branch's stored entry (`cb:dh:{c}:b:{b}`), decoded; {} for none. */
export function decodeEntry(branch: string, json: string | null): BranchEntry {
  if (json === null) return {};
  const c = JSON.parse(json) as CompactEntry;
  const entry: BranchEntry = {};
  if (c.l) {
    const [date = '', time] = c.l.split(' ');
    entry.registration = { branch, date };
    if (time !== undefined) entry.registration.time = Number(time);
  }
  if (c.r) entry.record = decodeRecord(c.r);
  if (c.x) {
    entry.extension = { until: c.x.u, by: c.x.by, at: c.x.at };
    if (c.x.n !== undefined) entry.extension.reason = c.x.n;
  }
  return entry;
}

function encodeCounters(c: Counters): Record<string, string> {
  const h: Record<string, string> = {};
  for (const k of COUNTER_NAMES) if (c[k] !== 0) h[COUNTER_FIELDS[k]] = String(c[k]);
  return h;
}

/** A unit's counters from its `cb:dh:{c}:agg:{u}` hash. */
export function decodeCounters(h: Record<string, string>): Counters {
  const c = emptyCounters();
  for (const k of COUNTER_NAMES) {
    const v = h[COUNTER_FIELDS[k]];
    if (v !== undefined) c[k] = Number(v);
  }
  return c;
}

/** WATCHes `keys` and reads them, in one round trip (inside an optimistic transaction). */
async function watchAndGet(conn: Redis, keys: readonly string[]): Promise<(string | null)[]> {
  const p = conn.pipeline().watch(...keys);
  for (const k of keys) p.get(k);
  const replies = (await p.exec()) ?? [];
  for (const [err] of replies) if (err) throw err;
  return replies.slice(1).map(([, v]) => (v as string | null) ?? null);
}
