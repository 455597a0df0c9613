/**
 * The fuzz run: the real app (`startApp`, in this process, as `test/support/app.ts` runs it)
 * against the Bot API emulator, a seeded world (`world.ts`), and N random updates (`moves.ts`)
 * sent one at a time. Each update is waited for until the bot has handled it
 * (`app.handled(update_id)` once the handler returns), with a per-update timeout; the
 * calls it caused are then judged (`judge.ts`).
 *
 * - The bot's clock moves five minutes per update, and the scheduled jobs' runs (reminders,
 *   summaries) are started about once a simulated day, so the outbox is judged too.
 * - A person's label in a finding is the role they started with; invites redeemed and roles
 *   revoked during the run change it.
 * - Edits (`edited_message`) are sent but not waited for: the bot does not ask for them
 *   (`ALLOWED_UPDATES`), as on Telegram.
 * - crashes: an unhandled rejection or exception, the run failing, three updates in a row not
 *   handled in time, or no answer to a /help at the end.
 */
import { Writable } from 'node:stream';
import { type RunningApp, startApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { calendarDate } from '../../src/domain/vn.js';
import { ManualClock } from '../../src/infra/clock.js';
import { createLogger } from '../../src/logger.js';
import { BotApiEmulator, type CallLogEntry } from '../../src/sandbox/emulator.js';
import { type Finding, Judge } from './judge.js';
import { Memory, Moves, type Sent } from './moves.js';
import { Random } from './random.js';
import { CONFIGURED_ADMIN, seedWorld, unitCodes } from './world.js';

export interface FuzzOptions {
  updates: number;
  seed: number;
  /** An empty Redis database of the run's own. */
  redisUrl: string;
  /** How long one update may take to be handled. @defaultValue 20000 */
  timeoutMs?: number;
  /** Progress lines (every 500 updates). */
  progress?: (line: string) => void;
  /** Each update and the first line of what the bot answered. */
  trace?: (line: string) => void;
}

export interface FuzzResult {
  updates: number;
  unanswered: number;
  apologies: number;
  invalid_replies: number;
  crashes: number;
  findings: Finding[];
}

const TOKEN = '123456789:FUZZ-token-for-the-emulator-only';
/** 10:00 in Vietnam on a Monday inside the demo round's window. */
const START = Date.parse('2025-10-20T03:00:00Z');
/** The bot's clock moves this much per update: a 10,000-update run crosses days and a month. */
const TICK_MS = 5 * 60_000;

/** Updates between two runs of the scheduled jobs: with TICK_MS, about one a day. */
const SCHEDULED_EVERY = 250;

/** The scheduled jobs' runs, as `jobs/schedules.ts` calls them; a failing run is a finding. */
async function scheduledRuns(app: RunningApp, now: number, judge: Judge): Promise<void> {
  const reminders = app.services.reminders;
  const runs: [string, () => Promise<unknown>][] = [
    ['congress reminders', () => reminders.runCongressReminders(now)],
    ['meeting reminders', () => reminders.runMeetingReminders(now)],
    ['daily summaries', () => reminders.sendSummaries(now)],
  ];
  for (const [name, run] of runs) {
    try {
      await run();
    } catch (err) {
      judge.errorLogged(
        `${name} failed: ${err instanceof Error ? err.message : String(err)}`,
        '(scheduled run)',
      );
    }
  }
}

/** Errors the bot logs, by update id (and those of no update). */
class LogSink extends Writable {
  readonly byUpdate = new Map<number, string>();
  readonly background: string[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString().split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as {
          level: number;
          msg?: string;
          update_id?: number;
          err?: { message?: string; stack?: string };
        };
        if (entry.level < 50) continue;
        const where = entry.err?.stack
          ?.split('\n')
          .find((l) => l.includes('/src/') || l.includes('/commands/'));
        const text = `${entry.msg ?? ''}: ${entry.err?.message ?? ''}${where ? ` ${where.trim()}` : ''}`;
        if (entry.update_id !== undefined) this.byUpdate.set(entry.update_id, text);
        else this.background.push(text);
      } catch {
        // not a log line
      }
    }
    done();
  }
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzResult> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const r = new Random(opts.seed);
  const memory = new Memory();
  const judge = new Judge(memory);
  const sink = new LogSink();
  let current: Sent | undefined;

  const onRejection = (reason: unknown) =>
    judge.crash('unhandled rejection', current?.label ?? '-', String(reason));
  const onException = (err: Error) =>
    judge.crash('uncaught exception', current?.label ?? '-', err.stack ?? String(err));
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);

  const emulator = new BotApiEmulator();
  const apiRoot = await emulator.listen(0);
  const config = parseConfig({
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: apiRoot,
    REDIS_URL: opts.redisUrl,
    PORT: '0',
    QUIET_HOURS: 'off',
    LOG_LEVEL: 'error',
    ADMIN_IDS: String(CONFIGURED_ADMIN),
  });
  const clock = new ManualClock(START);
  let app: RunningApp | undefined;
  let sent = 0;
  let cursor = 0;
  const newCalls = (): CallLogEntry[] => {
    const log = emulator.callLog();
    const out = log.slice(cursor);
    cursor = log.length;
    return out;
  };
  try {
    app = await startApp(config, { log: createLogger(config.logLevel, sink), emulator, clock });
    const redis = app.services.redis;
    const people = await seedWorld(redis, emulator, {
      now: clock.now(),
      timezone: config.timezone,
      log: app.services.log,
    });
    let units = await unitCodes(redis);
    const moves = new Moves(
      r,
      emulator,
      people,
      memory,
      () => ({
        today: calendarDate(clock.now(), config.timezone),
        units,
        inviteCodes: memory.inviteCodes,
        personIds: people.map((p) => p.id),
      }),
      app.services.botUsername,
    );
    judge.consume(newCalls(), undefined, () => undefined);

    // Everyone opens their chat first, as a person must before the bot may write to them.
    const opening = people.map((p) => emulator.sendText(p.id, '/start'));
    for (const u of opening) await handled(app, u.update_id, timeoutMs);
    judge.consume(newCalls(), undefined, () => undefined);

    let stuck = 0;
    while (sent < opts.updates) {
      clock.advance(TICK_MS);
      const step = moves.next();
      current = step;
      sent++;
      const ok = step.delivered ? await handled(app, step.update.update_id, timeoutMs) : true;
      const calls = newCalls();
      judge.consume(calls, step, () => sink.byUpdate.get(step.update.update_id));
      if (!ok) {
        judge.timedOut(`not handled within ${timeoutMs} ms`, step.label);
        if (++stuck >= 3) {
          judge.crash('the bot stopped handling updates', step.label);
          break;
        }
      } else stuck = 0;
      if (step.delivered) judge.checkAnswered(step, calls);
      opts.trace?.(`${sent} ${step.label} → ${calls.map(describeCall).join(' | ') || '(nothing)'}`);
      if ('message' in step.update && 'document' in step.update.message) units = await unitCodes(redis);
      current = undefined;
      // What the schedulers would start on their own (reminders, summaries), about once a
      // simulated day, so the outbox carries the run's names and units too.
      if (sent % SCHEDULED_EVERY === 0) await scheduledRuns(app, clock.now(), judge);
      if (sent % 500 === 0) opts.progress?.(`${sent} updates, ${judge.report().length} kinds of finding`);
    }

    // Messages the bot starts itself (directives, reminders) are judged too: let the outbox drain.
    await quiet(emulator, 1_500, 15_000);
    judge.consume(newCalls(), undefined, () => undefined);
    for (const e of sink.background) judge.errorLogged(e, '(background)');

    // Still alive: a newcomer's /help is answered.
    const probe = emulator.sendText(1302, '/help');
    if (!(await handled(app, probe.update_id, timeoutMs)) || !(await healthy(app.url)))
      judge.crash('the bot did not answer after the run', 'final /help');
  } catch (err) {
    judge.crash(
      'the run failed',
      current?.label ?? 'setup',
      err instanceof Error ? (err.stack ?? err.message) : String(err),
    );
  } finally {
    await app?.stop().catch((err: unknown) => judge.crash('stopping failed', '-', String(err)));
    await emulator.close();
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  }
  return {
    updates: sent,
    unanswered: judge.unanswered,
    apologies: judge.apologies,
    invalid_replies: judge.invalidReplies,
    crashes: judge.crashes,
    findings: judge.report(),
  };
}

function describeCall(e: CallLogEntry): string {
  const text = e.params.text ?? e.params.caption;
  const first = typeof text === 'string' ? ` ${JSON.stringify(text.split('\n')[0]?.substring(0, 70))}` : '';
  return `${e.method}${e.status === 200 ? '' : ` ${e.status}`}${first}`;
}

/** Resolves true once the bot has handled the update, false after `timeoutMs`. */
async function handled(app: RunningApp, updateId: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!app.handled(updateId)) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return true;
}

/** Waits until the emulator has had no call for `idleMs` (at most `maxMs`). */
async function quiet(emulator: BotApiEmulator, idleMs: number, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  let count = emulator.callLog().length;
  let since = Date.now();
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = emulator.callLog().length;
    if (now !== count) {
      count = now;
      since = Date.now();
    } else if (Date.now() - since >= idleMs) return;
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
    return res.ok;
  } catch {
    return false;
  }
}
