/**
 * Monthly branch meeting reports, their aggregates, absence tracking and meeting settings.
 *
 * Keys (`<m>` = YYYY-MM, `<q>` = YYYY-Qn, `<y>` = YYYY):
 * - `cb:sh:r:<branch>:<m>`     string, JSON StoredMeetingReport: the current version
 * - `cb:sh:h:<branch>:<m>`     list, JSON StoredMeetingReport: every version, oldest first
 * - `cb:sh:agg:<unit>:<m>`     hash, MeetingAggregate fields: the branch and each ancestor
 * - `cb:sh:done:<m>`           set of branch codes that reported the month
 * - `cb:sh:st:<m>`             hash branch → JSON BranchMonthStatus, for named lists
 * - `cb:sh:q:<unit>:<q>`       hash branch → months of the quarter with a thematic meeting
 *                              (HLEN = branches that held one, each counted once)
 * - `cb:sh:abs:<branch>:<y>`   hash name key → JSON AbsenceEntry (unexcused absences)
 * - `cb:sh:cd:<branch>:<m>`    string, JSON StoredMeetingReport: a separate chuyên đề sitting
 *                              (type `chuyen_de`), its own report beside the thường kỳ one
 * - `cb:sh:cdh:<branch>:<m>`   list: every version of that chuyên đề report
 * - `cb:sh:cdone:<m>`          set of branch codes with a separate chuyên đề report that month
 * - `cb:shcfg:<unit>`          string, JSON MeetingSettings of a scope
 *
 * A report and everything derived from it are written in one MULTI, under WATCH of the keys
 * read to compute the change (the report, the branch's quarter field, its absence book), so
 * two saves of the same branch never interleave; the aggregates move by HINCRBY deltas.
 *
 * A thường kỳ (or combined) report and a separate chuyên đề report of the same month are two
 * reports: neither overwrites the other. The done set, statuses, aggregates and the absence book
 * follow the thường kỳ one (a month with only a chuyên đề has not had its regular meeting); the
 * quarter's thematic months count a month once whichever report held the thematic part.
 */
import type { Redis } from 'ioredis';
import {
  type AbsenceBook,
  type AbsenceEntry,
  type AbsenceWarning,
  type Absentee,
  recountAbsences,
} from '../domain/meetings/absence.js';
import { type Quarter, quarterOf, type YearMonth, yearOf } from '../domain/meetings/calendar.js';
import {
  AGGREGATE_FIELDS,
  aggregateDelta,
  type BranchMonthStatus,
  branchStatus,
  emptyAggregate,
  type MeetingAggregate,
  sumStatuses,
} from '../domain/meetings/compliance.js';
import { isThematic, type MeetingReport, meetingReportSchema } from '../domain/meetings/report.js';
import {
  DEFAULT_MEETING_SETTINGS,
  type MeetingSettings,
  type MeetingSettingsInput,
  meetingSettingsSchema,
  type ResolvedSettings,
  resolveSettings,
} from '../domain/meetings/settings.js';
import { calendarDate, type IsoDate } from '../domain/vn.js';
import { auditInto } from './audit.js';
import { cardReceiptKey, parseReceipt, recordReceipt } from './cards.js';
import { confirmSaved, type WatchedStep, watchedTransaction } from './tx.js';

/** One aggregate field of one unit and month whose stored value differs from a recount. */
export interface MeetingAggregateMismatch {
  unit: string;
  month: string;
  field: string;
  stored: number;
  expected: number;
}

/** One saved version of a branch's report for a month. */
export interface StoredMeetingReport {
  version: number;
  branch: string;
  /** The branch's ancestors when this version was saved (root first); amendments undo from these. */
  ancestors: string[];
  report: MeetingReport;
  deadline: IsoDate;
  /** Decided by the first version: amending later does not make a report late. */
  late: boolean;
  /** Attendance threshold (percent) used for the `below` aggregate. */
  threshold: number;
  actor: string;
  /** UTC ms of this version and of the first one. */
  reportedAt: number;
  firstReportedAt: number;
}

export interface SaveMeetingReportInput {
  branch: string;
  /** Root first, without the branch itself. */
  ancestors: readonly string[];
  month: YearMonth;
  report: MeetingReport;
  /** The last on-time day for the month (`reportingDeadline`). */
  deadline: IsoDate;
  /** Attendance threshold from the branch's settings; defaults to the deployment's. */
  threshold?: number;
  actor: string;
  now: number;
  /**
   * The confirmation card being pressed: the save writes its receipt and deletes the dialog that
   * held it, in the same MULTI (`cards.ts`).
   */
  card?: { nonce: string; dialogKey: string };
}

export interface SaveMeetingReportResult {
  version: number;
  amended: boolean;
  late: boolean;
  absenceWarnings: AbsenceWarning[];
  /** The card had already been pressed: nothing was saved now; `version` is what it saved then. */
  duplicate?: true;
}

/** Thrown when other writers kept changing the same report or settings; the caller may retry later. */
export class MeetingConflictError extends Error {
  constructor(readonly what: string) {
    super(`Too many concurrent changes to meeting data of ${what}; gave up`);
    this.name = 'MeetingConflictError';
  }
}

const MAX_ATTEMPTS = 10;
/** Keeps SMISMEMBER/HMGET replies small for scopes with thousands of branches. */
const CHUNK = 1000;

const key = {
  report: (branch: string, month: YearMonth) => `cb:sh:r:${branch}:${month}`,
  history: (branch: string, month: YearMonth) => `cb:sh:h:${branch}:${month}`,
  aggregate: (unit: string, month: YearMonth) => `cb:sh:agg:${unit}:${month}`,
  done: (month: YearMonth) => `cb:sh:done:${month}`,
  status: (month: YearMonth) => `cb:sh:st:${month}`,
  quarter: (unit: string, quarter: Quarter) => `cb:sh:q:${unit}:${quarter}`,
  absence: (branch: string, year: number) => `cb:sh:abs:${branch}:${year}`,
  thematic: (branch: string, month: YearMonth) => `cb:sh:cd:${branch}:${month}`,
  thematicHistory: (branch: string, month: YearMonth) => `cb:sh:cdh:${branch}:${month}`,
  thematicDone: (month: YearMonth) => `cb:sh:cdone:${month}`,
  settings: (unit: string) => `cb:shcfg:${unit}`,
};

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

function parseStored(raw: string): StoredMeetingReport {
  const stored = JSON.parse(raw) as StoredMeetingReport;
  return { ...stored, report: meetingReportSchema.parse(stored.report) };
}

function parseAggregate(hash: Record<string, string>): MeetingAggregate {
  const agg = emptyAggregate();
  for (const f of AGGREGATE_FIELDS) agg[f] = Number(hash[f] ?? 0);
  return agg;
}

function namesOf(report: MeetingReport | undefined): Absentee[] {
  return (
    report?.absentWithoutReason.people.map((p) =>
      p.memberId !== undefined ? { name: p.name, memberId: p.memberId } : { name: p.name },
    ) ?? []
  );
}

export class MeetingStore {
  constructor(private readonly redis: Redis) {}

  /**
   * Saves a branch's report for a month. A second report for the same month amends the first:
   * the earlier version stays in the history, the aggregates move by the difference, and the
   * absence book is recounted so an amended month is neither counted twice nor kept for a name
   * the amendment removed. Returns the absence warnings for the names in this report.
   */
  async saveReport(input: SaveMeetingReportInput): Promise<SaveMeetingReportResult> {
    const { branch, month, actor, now } = input;
    // The report comes from validateMeetingReport; the schema guards against a caller that
    // built one by hand, since a malformed report would corrupt every aggregate above it.
    const report = meetingReportSchema.parse(input.report);
    if (report.month !== month) throw new Error(`report is for ${report.month}, not ${month}`);
    const quarter = quarterOf(month);
    const rKey = key.report(branch, month);
    const qKey = key.quarter(branch, quarter);
    const absKey = key.absence(branch, yearOf(month));
    const threshold = input.threshold ?? DEFAULT_MEETING_SETTINGS.attendanceThreshold;

    const card = input.card;
    if (report.type === 'chuyen_de') return this.saveThematic(input, report);
    const cdKey = key.thematic(branch, month);
    return this.watched<SaveMeetingReportResult>(`${branch} ${month}`, async (conn) => {
      // Watch and read in one round trip.
      const receiptKey = card ? cardReceiptKey(card.nonce) : undefined;
      const read = conn
        .pipeline()
        .watch(rKey, qKey, absKey, cdKey, ...(receiptKey ? [receiptKey] : []))
        .get(rKey)
        .hget(qKey, branch)
        .hgetall(absKey)
        .exists(cdKey);
      if (receiptKey) read.get(receiptKey);
      const replies = (await read.exec()) ?? [];
      for (const [err] of replies) if (err) throw err;
      const [, [, previousRaw], [, quarterCount], [, bookRaw], [, separateThematic], receiptRaw] =
        replies as [
          unknown,
          [unknown, string | null],
          [unknown, string | null],
          [unknown, Record<string, string>],
          [unknown, number],
          [unknown, string | null] | undefined,
        ];
      const used = parseReceipt(receiptRaw?.[1]);
      if (used) return { result: alreadySaved(used.version) };
      const previous = previousRaw ? parseStored(previousRaw) : undefined;
      const stored = nextVersion(previous, { ...input, report, threshold });
      const before = previous ? branchStatus(previous.report, previous.late, previous.threshold) : undefined;
      const after = branchStatus(report, stored.late, threshold);

      const tx = conn.multi();
      tx.set(rKey, JSON.stringify(stored));
      tx.rpush(key.history(branch, month), JSON.stringify(stored));
      tx.sadd(key.done(month), branch);
      tx.hset(key.status(month), branch, JSON.stringify(after));

      // Undo the previous version where it was counted, then count the new one; units in both
      // chains get a single net delta.
      const deltas = new Map<string, Partial<MeetingAggregate>>();
      const oldUnits = previous ? [branch, ...previous.ancestors] : [];
      const newUnits = [branch, ...input.ancestors];
      for (const unit of new Set([...oldUnits, ...newUnits])) {
        const delta = aggregateDelta(
          oldUnits.includes(unit) ? before : undefined,
          newUnits.includes(unit) ? after : undefined,
        );
        if (Object.keys(delta).length > 0) deltas.set(unit, delta);
      }
      for (const [unit, delta] of deltas)
        for (const [field, by] of Object.entries(delta)) tx.hincrby(key.aggregate(unit, month), field, by);

      // Thematic months of this branch in the quarter; the field disappears at zero so HLEN
      // counts branches, each once however many thematic meetings it held.
      // A separate chuyên đề report of the month already counted it.
      const wasThematic = separateThematic === 1 || (previous ? isThematic(previous.report.type) : false);
      const nowThematic = separateThematic === 1 || isThematic(report.type);
      const thematicMonths = Number(quarterCount ?? 0) - (wasThematic ? 1 : 0) + (nowThematic ? 1 : 0);
      for (const unit of new Set([...oldUnits, ...newUnits])) {
        const qUnitKey = key.quarter(unit, quarter);
        if (thematicMonths > 0 && newUnits.includes(unit)) tx.hset(qUnitKey, branch, thematicMonths);
        else tx.hdel(qUnitKey, branch);
      }

      const book: AbsenceBook = new Map(
        Object.entries(bookRaw).map(([k, v]) => [k, JSON.parse(v) as AbsenceEntry] as const),
      );
      const { changes, warnings } = recountAbsences(book, month, namesOf(previous?.report), namesOf(report));
      for (const [nameKey, entry] of changes) {
        if (entry) tx.hset(absKey, nameKey, JSON.stringify(entry));
        else tx.hdel(absKey, nameKey);
      }

      if (card) {
        recordReceipt(tx, card.nonce, { version: stored.version, ref: month, at: now });
        // The card is used up in the same step that saves what it showed.
        tx.del(card.dialogKey);
      }
      auditInto(tx, {
        actor,
        action: 'meeting.report',
        subject: `unit:${branch}/month:${month}`,
        before: previous?.report,
        after: report,
        at: now,
      });
      return {
        tx,
        result: {
          version: stored.version,
          amended: previous !== undefined,
          late: stored.late,
          absenceWarnings: warnings,
        },
      };
    });
  }

  /**
   * Saves a separate chuyên đề report: its own key and history beside the thường kỳ report of
   * the month, the quarter's thematic months (a month counted once), the receipt and audit.
   */
  private saveThematic(
    input: SaveMeetingReportInput,
    report: MeetingReport,
  ): Promise<SaveMeetingReportResult> {
    const { branch, month, actor, now, card } = input;
    const cdKey = key.thematic(branch, month);
    const rKey = key.report(branch, month);
    const quarter = quarterOf(month);
    const qKey = key.quarter(branch, quarter);
    const threshold = input.threshold ?? DEFAULT_MEETING_SETTINGS.attendanceThreshold;
    return this.watched<SaveMeetingReportResult>(`${branch} ${month} chuyên đề`, async (conn) => {
      const receiptKey = card ? cardReceiptKey(card.nonce) : undefined;
      const read = conn
        .pipeline()
        .watch(cdKey, rKey, qKey, ...(receiptKey ? [receiptKey] : []))
        .get(cdKey)
        .get(rKey)
        .hget(qKey, branch);
      if (receiptKey) read.get(receiptKey);
      const replies = (await read.exec()) ?? [];
      for (const [err] of replies) if (err) throw err;
      const [, [, previousRaw], [, regularRaw], [, quarterCount], receiptRaw] = replies as [
        unknown,
        [unknown, string | null],
        [unknown, string | null],
        [unknown, string | null],
        [unknown, string | null] | undefined,
      ];
      const used = parseReceipt(receiptRaw?.[1]);
      if (used) return { result: alreadySaved(used.version) };
      const previous = previousRaw ? parseStored(previousRaw) : undefined;
      const regular = regularRaw ? parseStored(regularRaw) : undefined;
      const stored = nextVersion(previous, { ...input, report, threshold });
      const tx = conn.multi();
      tx.set(cdKey, JSON.stringify(stored));
      tx.rpush(key.thematicHistory(branch, month), JSON.stringify(stored));
      tx.sadd(key.thematicDone(month), branch);
      // The month counts once among the quarter's thematic months, whichever report held it.
      const counted = previous !== undefined || (regular ? isThematic(regular.report.type) : false);
      if (!counted) {
        const months = Number(quarterCount ?? 0) + 1;
        for (const unit of [branch, ...input.ancestors]) tx.hset(key.quarter(unit, quarter), branch, months);
      }
      if (card) {
        recordReceipt(tx, card.nonce, { version: stored.version, ref: month, at: now });
        tx.del(card.dialogKey);
      }
      auditInto(tx, {
        actor,
        action: 'meeting.thematic',
        subject: `unit:${branch}/month:${month}`,
        before: previous?.report,
        after: report,
        at: now,
      });
      return {
        tx,
        result: {
          version: stored.version,
          amended: previous !== undefined,
          late: stored.late,
          absenceWarnings: [],
        },
      };
    });
  }

  /**
   * Runs an optimistic transaction on a connection of its own: WATCH belongs to a connection,
   * and on the shared one another caller's EXEC would silently drop our watches. `step` watches,
   * reads and returns the MULTI to execute; it runs again when a watched key changed.
   */
  private watched<T>(what: string, step: (conn: Redis) => Promise<WatchedStep<T>>): Promise<T> {
    return watchedTransaction(this.redis, what, step, {
      maxAttempts: MAX_ATTEMPTS,
      conflict: (w) => new MeetingConflictError(w),
    });
  }

  /**
   * The current version of a branch's report for a month: the thường kỳ (or combined) one, or
   * with `thematic` the separate chuyên đề one.
   */
  async getReport(
    branch: string,
    month: YearMonth,
    opts: { thematic?: boolean } = {},
  ): Promise<StoredMeetingReport | undefined> {
    const raw = await this.redis.get(opts.thematic ? key.thematic(branch, month) : key.report(branch, month));
    return raw ? parseStored(raw) : undefined;
  }

  /** Which of `branchCodes` sent a separate chuyên đề report for the month. */
  async thematicAmong(month: YearMonth, branchCodes: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const part of chunks(branchCodes)) {
      const flags = await this.redis.smismember(key.thematicDone(month), ...part);
      part.forEach((code, i) => {
        if (flags[i] === 1) found.add(code);
      });
    }
    return found;
  }

  /** Every version, oldest first (the last is the current one). */
  async history(branch: string, month: YearMonth): Promise<StoredMeetingReport[]> {
    const raws = await this.redis.lrange(key.history(branch, month), 0, -1);
    return raws.map(parseStored);
  }

  /** A unit's totals for the month (zeros when nothing was reported). */
  async aggregate(unit: string, month: YearMonth): Promise<MeetingAggregate> {
    return parseAggregate(await this.redis.hgetall(key.aggregate(unit, month)));
  }

  /** Totals for several units, in one round trip. */
  async aggregates(units: readonly string[], month: YearMonth): Promise<Map<string, MeetingAggregate>> {
    const out = new Map<string, MeetingAggregate>();
    if (units.length === 0) return out;
    const pipe = this.redis.pipeline();
    for (const unit of units) pipe.hgetall(key.aggregate(unit, month));
    const replies = (await pipe.exec()) ?? [];
    units.forEach((unit, i) => {
      const [err, hash] = replies[i] ?? [null, {}];
      if (err) throw err;
      out.set(unit, parseAggregate((hash ?? {}) as Record<string, string>));
    });
    return out;
  }

  /**
   * Compares every stored monthly aggregate with a recount from the current report versions
   * (each towards its branch and the ancestors it was saved with), writing nothing: the check
   * after a restore. Returns each field that differs. Scans; not for requests.
   */
  async checkAggregates(): Promise<MeetingAggregateMismatch[]> {
    const reportKeys = await this.scanKeys('cb:sh:r:*');
    const aggKeys = await this.scanKeys('cb:sh:agg:*');
    const statuses = new Map<string, BranchMonthStatus[]>();
    for (const part of chunks(reportKeys)) {
      const raws = await this.redis.mget(part);
      for (const raw of raws) {
        if (raw === null) continue;
        const stored = parseStored(raw);
        const status = branchStatus(stored.report, stored.late, stored.threshold);
        for (const unit of new Set([stored.branch, ...stored.ancestors])) {
          const k = key.aggregate(unit, stored.report.month);
          statuses.set(k, [...(statuses.get(k) ?? []), status]);
        }
      }
    }
    const keys = [...new Set([...statuses.keys(), ...aggKeys])].sort();
    const mismatches: MeetingAggregateMismatch[] = [];
    for (const part of chunks(keys)) {
      const pipe = this.redis.pipeline();
      for (const k of part) pipe.hgetall(k);
      const replies = (await pipe.exec()) ?? [];
      part.forEach((k, i) => {
        const [err, hash] = replies[i] ?? [null, {}];
        if (err) throw err;
        const have = parseAggregate((hash ?? {}) as Record<string, string>);
        const expected = sumStatuses(statuses.get(k) ?? []);
        const cut = k.lastIndexOf(':');
        const unit = k.slice('cb:sh:agg:'.length, cut);
        const month = k.slice(cut + 1);
        for (const f of AGGREGATE_FIELDS)
          if (have[f] !== expected[f])
            mismatches.push({ unit, month, field: f, stored: have[f], expected: expected[f] });
      });
    }
    return mismatches;
  }

  private async scanKeys(pattern: string): Promise<string[]> {
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      for (const k of batch) keys.add(k);
      cursor = next;
    } while (cursor !== '0');
    return [...keys];
  }

  /** Which of `branchCodes` reported the month (one SMISMEMBER per thousand codes). */
  async reportedAmong(month: YearMonth, branchCodes: readonly string[]): Promise<Set<string>> {
    const reported = new Set<string>();
    for (const part of chunks(branchCodes)) {
      const flags = await this.redis.smismember(key.done(month), ...part);
      part.forEach((code, i) => {
        if (flags[i] === 1) reported.add(code);
      });
    }
    return reported;
  }

  /** Statuses of those of `branchCodes` that reported the month. */
  async statusesAmong(
    month: YearMonth,
    branchCodes: readonly string[],
  ): Promise<Map<string, BranchMonthStatus>> {
    const out = new Map<string, BranchMonthStatus>();
    for (const part of chunks(branchCodes)) {
      const raws = await this.redis.hmget(key.status(month), ...part);
      part.forEach((code, i) => {
        const raw = raws[i];
        if (raw) out.set(code, JSON.parse(raw) as BranchMonthStatus);
      });
    }
    return out;
  }

  /** Branches under `unit` (or the unit itself) that held a thematic meeting in the quarter. */
  async thematicInQuarter(unit: string, quarter: Quarter): Promise<number> {
    return this.redis.hlen(key.quarter(unit, quarter));
  }

  /** What `computeCompliance` needs for a scope and month, besides names and settings. */
  async complianceSnapshot(
    scope: string,
    month: YearMonth,
    branchCodes: readonly string[],
  ): Promise<{
    aggregate: MeetingAggregate;
    statuses: Map<string, BranchMonthStatus>;
    thematicInQuarter: number;
    thematicOnly: Set<string>;
  }> {
    const [aggregate, statuses, thematicInQuarter, thematic] = await Promise.all([
      this.aggregate(scope, month),
      this.statusesAmong(month, branchCodes),
      this.thematicInQuarter(scope, quarterOf(month)),
      this.thematicAmong(month, branchCodes),
    ]);
    const thematicOnly = new Set([...thematic].filter((b) => !statuses.has(b)));
    return { aggregate, statuses, thematicInQuarter, thematicOnly };
  }

  /** A branch's unexcused absences for a year, by name key. */
  async absences(branch: string, year: number): Promise<Map<string, AbsenceEntry>> {
    const raw = await this.redis.hgetall(key.absence(branch, year));
    return new Map(Object.entries(raw).map(([k, v]) => [k, JSON.parse(v) as AbsenceEntry]));
  }

  /** The unit's own settings, if it has any. */
  async ownSettings(unit: string): Promise<MeetingSettings | undefined> {
    const raw = await this.redis.get(key.settings(unit));
    return raw ? meetingSettingsSchema.parse(JSON.parse(raw)) : undefined;
  }

  /** Settings in force for the last unit of `chain` (root first, the unit last). */
  async settingsFor(chain: readonly string[], defaults?: MeetingSettings): Promise<ResolvedSettings> {
    const own = new Map<string, MeetingSettings>();
    if (chain.length > 0) {
      const raws = await this.redis.mget(...chain.map(key.settings));
      chain.forEach((unit, i) => {
        const raw = raws[i];
        if (raw) own.set(unit, meetingSettingsSchema.parse(JSON.parse(raw)));
      });
    }
    return resolveSettings(chain, own, defaults);
  }

  /** Sets a scope's settings (missing fields take the defaults), audited as `meeting.settings`. */
  async setSettings(
    unit: string,
    input: MeetingSettingsInput,
    actor: string,
    now: number,
  ): Promise<MeetingSettings> {
    const settings = meetingSettingsSchema.parse(input);
    const sKey = key.settings(unit);
    return this.watched(`settings ${unit}`, async (conn) => {
      await conn.watch(sKey);
      const beforeRaw = await conn.get(sKey);
      const tx = conn.multi();
      tx.set(sKey, JSON.stringify(settings));
      auditInto(tx, {
        actor,
        action: 'meeting.settings',
        subject: `unit:${unit}`,
        before: beforeRaw ? JSON.parse(beforeRaw) : undefined,
        after: settings,
        at: now,
      });
      return { tx, result: settings };
    });
  }

  /** Removes a scope's own settings, so it inherits again; audited. */
  async clearSettings(unit: string, actor: string, now: number): Promise<void> {
    const sKey = key.settings(unit);
    const beforeRaw = await this.redis.get(sKey);
    if (beforeRaw === null) return;
    const tx = this.redis.multi();
    tx.del(sKey);
    auditInto(tx, {
      actor,
      action: 'meeting.settings',
      subject: `unit:${unit}`,
      before: JSON.parse(beforeRaw),
      at: now,
    });
    await tx.exec();
    await confirmSaved(this.redis);
  }
}

/** What a press that was already saved gets: the saved version, nothing new. */
function alreadySaved(version: number | undefined): SaveMeetingReportResult {
  return { version: version ?? 0, amended: false, late: false, absenceWarnings: [], duplicate: true };
}

/**
 * The next version of a month's report: lateness and the deadline stay as first reported, so an
 * amendment after the deadline does not make an on-time report late.
 */
function nextVersion(
  previous: StoredMeetingReport | undefined,
  input: Pick<SaveMeetingReportInput, 'branch' | 'ancestors' | 'deadline' | 'actor' | 'now'> & {
    report: StoredMeetingReport['report'];
    threshold: number;
  },
): StoredMeetingReport {
  const { now } = input;
  return {
    version: (previous?.version ?? 0) + 1,
    branch: input.branch,
    ancestors: [...input.ancestors],
    report: input.report,
    deadline: previous?.deadline ?? input.deadline,
    late: previous ? previous.late : calendarDate(now) > input.deadline,
    threshold: input.threshold,
    actor: input.actor,
    reportedAt: now,
    firstReportedAt: previous?.firstReportedAt ?? now,
  };
}
