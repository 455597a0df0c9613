/**
 * What the bot measures, for Prometheus (`GET /metrics`). One registry per process; the edges
 * record through the small named functions below and never touch prom-client themselves.
 *
 * Values that live in Redis (outbox depth, unreachable people) are read when scraped, from
 * sources the app registers with `metrics.watch…`; a scrape never waits more than a second
 * for them.
 *
 * prom-client is loaded when first needed (a record, a scrape, or `load()`, which the app calls
 * once it is polling), not with the bot: it and the tracing API it brings are about a tenth of
 * what starting costs, and answering the first update needs neither.
 */
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';

/** How handling one update ended. */
export type UpdateOutcome =
  /** Answered as asked. */
  | 'ok'
  /** Refused: bad input, no access, a spent button (the user got a clear answer). */
  | 'refused'
  /** Our failure: the user got the apology. */
  | 'error'
  /** Already handled, or being handled elsewhere (a redelivery). */
  | 'duplicate'
  /** The answer could not reach the chat: the person blocked the bot or the chat is gone. */
  | 'unreachable';

/** Outbox job states counted as its depth. */
export type OutboxDepth = Partial<
  Record<'waiting' | 'delayed' | 'active' | 'prioritized' | 'failed', number>
>;

const PREFIX = 'chibo_';
/** Seconds: from a millisecond (a cached reply) to a minute (a queued reminder). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Seconds late: schedules and the outbox run from seconds to hours behind. */
const LAG_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600];
const SCRAPE_SOURCE_TIMEOUT_MS = 1_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref())]);
}

/** The prom-client objects, made with the module when first needed. */
class Instruments {
  readonly registry: PromClient.Registry;
  readonly handled: PromClient.Histogram<'outcome'>;
  readonly updates: PromClient.Counter<'outcome'>;
  readonly queued: PromClient.Histogram;
  readonly sendWait: PromClient.Histogram;
  readonly roundTrips: PromClient.Histogram;
  readonly sent: PromClient.Counter;
  readonly rateLimited: PromClient.Counter;
  readonly unreachableSends: PromClient.Counter;
  readonly delay: PromClient.Histogram;
  readonly scheduleLag: PromClient.Histogram<'schedule'>;

  constructor(prom: typeof PromClient, sources: Metrics) {
    const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = prom;
    const registry = new Registry();
    this.registry = registry;
    this.handled = new Histogram({
      name: `${PREFIX}update_handling_seconds`,
      help: 'Time spent handling one Telegram update, from the start of its handler to its end, less its waits for a send slot (chibo_update_send_wait_seconds)',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.updates = new Counter({
      name: `${PREFIX}updates_total`,
      help: 'Telegram updates handled, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.queued = new Histogram({
      name: `${PREFIX}update_queueing_seconds`,
      help: 'Time an update waited between its arrival (poll or webhook) and the start of its handler',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.sendWait = new Histogram({
      name: `${PREFIX}update_send_wait_seconds`,
      help: "Time one update's answers waited for the send budget (Telegram's flood limit) to free a slot; only updates that waited",
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.roundTrips = new Histogram({
      name: `${PREFIX}update_redis_round_trips`,
      help: 'Redis round trips made while handling one update (one update in 16 is counted)',
      buckets: [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64],
      registers: [registry],
    });
    this.sent = new Counter({
      name: `${PREFIX}outbox_sent_total`,
      help: 'Messages the outbox delivered to Telegram (each part of a long message counts)',
      registers: [registry],
    });
    this.rateLimited = new Counter({
      name: `${PREFIX}outbox_rate_limited_total`,
      help: 'Telegram 429 answers met by the outbox',
      registers: [registry],
    });
    this.unreachableSends = new Counter({
      name: `${PREFIX}outbox_unreachable_total`,
      help: 'Sends refused for good because the recipient blocked the bot or the chat is gone (403, chat not found)',
      registers: [registry],
    });
    this.delay = new Histogram({
      name: `${PREFIX}outbox_delay_seconds`,
      help: 'How late an outbox message went out: from when it was due (queued, or the end of quiet hours) to its delivery',
      buckets: LAG_BUCKETS,
      registers: [registry],
    });
    this.scheduleLag = new Histogram({
      name: `${PREFIX}schedule_lag_seconds`,
      help: 'How late a scheduled job started after the time it was due, by schedule',
      labelNames: ['schedule'],
      buckets: LAG_BUCKETS,
      registers: [registry],
    });
    new Gauge({
      name: `${PREFIX}outbox_depth`,
      help: 'Outbox messages not yet delivered, by job state (read from Redis when scraped)',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        this.reset();
        const depth = await sources.readOutboxDepth();
        for (const [state, n] of Object.entries(depth ?? {})) this.set({ state }, n ?? 0);
      },
    });
    new Gauge({
      name: `${PREFIX}unreachable_people`,
      help: 'Chats marked unreachable (blocked the bot, or gone): they get no reminders until they write again',
      registers: [registry],
      async collect() {
        this.reset();
        const n = await sources.readUnreachable();
        if (n !== undefined) this.set(n);
      },
    });
    collectDefaultMetrics({ register: registry, prefix: PREFIX });
  }
}

export class Metrics {
  private made: Instruments | undefined;
  private outboxDepthSource: (() => Promise<OutboxDepth>) | undefined;
  private unreachableSource: (() => Promise<number>) | undefined;

  private get i(): Instruments {
    this.made ??= new Instruments(createRequire(import.meta.url)('prom-client') as typeof PromClient, this);
    return this.made;
  }

  /** Loads prom-client and starts the default (process) metrics now rather than at the first record. */
  load(): void {
    void this.i;
  }

  /** The outbox depth for a scrape: undefined when no source is set or it did not answer within a second. */
  readOutboxDepth(): Promise<OutboxDepth | undefined> {
    const source = this.outboxDepthSource;
    return source
      ? withTimeout(
          source().catch(() => undefined),
          SCRAPE_SOURCE_TIMEOUT_MS,
        )
      : Promise.resolve(undefined);
  }

  /** The number of unreachable people for a scrape, as `readOutboxDepth`. */
  readUnreachable(): Promise<number | undefined> {
    const source = this.unreachableSource;
    return source
      ? withTimeout(
          source().catch(() => undefined),
          SCRAPE_SOURCE_TIMEOUT_MS,
        )
      : Promise.resolve(undefined);
  }

  /**
   * One update handled: its handler took `ms`, of which its answers waited `sendWaitMs` for a
   * slot of the send budget, and ended as `outcome`.
   */
  updateHandled(outcome: UpdateOutcome, ms: number, sendWaitMs = 0): void {
    this.i.handled.observe({ outcome }, Math.max(0, ms - sendWaitMs) / 1000);
    if (sendWaitMs > 0) this.i.sendWait.observe(sendWaitMs / 1000);
    this.i.updates.inc({ outcome });
  }

  /** One update waited `ms` between arriving and its handler starting. */
  updateQueued(ms: number): void {
    this.i.queued.observe(Math.max(0, ms) / 1000);
  }

  /** One update took `count` Redis round trips. */
  redisRoundTrips(count: number): void {
    this.i.roundTrips.observe(count);
  }

  /** The outbox delivered a message `lateMs` after it was due. */
  outboxSent(lateMs: number): void {
    this.i.sent.inc();
    this.i.delay.observe(Math.max(0, lateMs) / 1000);
  }

  /** Telegram answered the outbox with 429. */
  outboxRateLimited(): void {
    this.i.rateLimited.inc();
  }

  /** Telegram refused a recipient for good (403, chat not found). */
  outboxUnreachable(): void {
    this.i.unreachableSends.inc();
  }

  /** A run of `schedule` started `lagMs` after it was due. */
  scheduleStarted(schedule: string, lagMs: number): void {
    this.i.scheduleLag.observe({ schedule }, Math.max(0, lagMs) / 1000);
  }

  /** Where scrapes read the outbox depth; returns a function that stops it. */
  watchOutboxDepth(source: () => Promise<OutboxDepth>): () => void {
    this.outboxDepthSource = source;
    return () => {
      if (this.outboxDepthSource === source) this.outboxDepthSource = undefined;
    };
  }

  /** Where scrapes read the number of unreachable people; returns a function that stops it. */
  watchUnreachable(source: () => Promise<number>): () => void {
    this.unreachableSource = source;
    return () => {
      if (this.unreachableSource === source) this.unreachableSource = undefined;
    };
  }

  /** The Prometheus text exposition of everything above. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    const { registry } = this.i;
    return { contentType: registry.contentType, body: await registry.metrics() };
  }
}

/** The process's metrics: every edge records here, `/metrics` reads here. */
export const metrics = new Metrics();
