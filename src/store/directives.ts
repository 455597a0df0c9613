/**
 * Directives in Redis: the directive, who it went to, who acknowledged it and when, whether it
 * was cancelled, and how far its fan-out and follow-ups have gone.
 *
 * Key layout:
 *   cb:dir:seq                 counter  the last directive id given
 *   cb:dir:{id}                hash     json (the directive), cancelledAt, cancelledBy,
 *                                       statusChat + statusMessage (the admin's status message),
 *                                       queued (recipients handed to the outbox so far),
 *                                       remindedAt, leadersToldAt, fileId (a CLI file once uploaded)
 *   cb:dir:{id}:rcpt           list     one JSON recipient per person, in tree order
 *   cb:dir:{id}:ack            hash     person id → when they acknowledged (first press wins)
 *   cb:dir:{id}:fu             hash     r:{person} → when reminded, l:{leader} → when told
 *   cb:dir:{id}:file           string   the bytes of a file given on the CLI
 *   cb:dirs                    zset     directive ids by creation time
 *   cb:dir:inbox:{person}      zset     the directives addressed to a person, by creation time
 *
 * Creation and cancellation are audited in the same MULTI as the change. Both may come from a
 * confirmation card (`cards.ts`): its receipt is written in that same MULTI, so a press repeated
 * after a crash finds it and neither sends nor stops twice. Timestamps are UTC ms.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { type Directive, directiveSchema, type Recipient, recipientSchema } from '../domain/directives.js';
import { auditInto } from './audit.js';
import { type CardReceipt, recordReceipt, watchReceipt } from './cards.js';
import { confirmSaved, watchedTransaction } from './tx.js';

const SEQ_KEY = 'cb:dir:seq';
const ALL_KEY = 'cb:dirs';
const dirKey = (id: string) => `cb:dir:${id}`;
const recipientsKey = (id: string) => `cb:dir:${id}:rcpt`;
const acksKey = (id: string) => `cb:dir:${id}:ack`;
const followUpKey = (id: string) => `cb:dir:${id}:fu`;
const fileKey = (id: string) => `cb:dir:${id}:file`;
const inboxKey = (personId: number) => `cb:dir:inbox:${personId}`;

/** Directives kept in one person's /vanban list. */
const INBOX_KEEP = 200;
/** Recipients per RPUSH, so one command never carries tens of thousands of arguments. */
const PUSH_CHUNK = 1000;

/** The follow-up steps, each done once per directive. */
export type DirectiveStage = 'remindedAt' | 'leadersToldAt';

/** A directive with what has happened to it since. */
export interface StoredDirective {
  directive: Directive;
  recipientCount: number;
  cancelledAt?: number;
  cancelledBy?: string;
  statusMessage?: { chatId: number; messageId: number };
  /** Recipients handed to the outbox so far (the fan-out's progress). */
  queued: number;
  remindedAt?: number;
  leadersToldAt?: number;
  /** Telegram's id of a CLI file once it was first uploaded. */
  fileId?: string;
}

const optionalNumber = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));

export class DirectiveStore {
  constructor(private readonly redis: Redis) {}

  /** The next directive id: "1", "2", … */
  async nextId(): Promise<string> {
    return String(await this.redis.incr(SEQ_KEY));
  }

  /**
   * Stores a new directive, its recipients and (from the CLI) its file; audited as
   * `directive.create`. With `card` (the nonce of the «Xác nhận và gửi» pressed), the card's
   * receipt is written in the same MULTI, and a card already used stores nothing: `already`
   * then holds its receipt, whose `ref` is the directive it sent.
   */
  async create(
    d: Directive,
    recipients: readonly Recipient[],
    file?: Buffer,
    card?: string,
  ): Promise<{ already?: CardReceipt }> {
    if (card === undefined) {
      const tx = this.redis.multi();
      this.createInto(tx, d, recipients, file);
      await tx.exec();
      await confirmSaved(this.redis);
      return {};
    }
    return watchedTransaction<{ already?: CardReceipt }>(
      this.redis,
      `directive card ${card}`,
      async (conn) => {
        const used = await watchReceipt(conn, card);
        if (used) return { result: { already: used } };
        const tx = conn.multi();
        this.createInto(tx, d, recipients, file);
        recordReceipt(tx, card, { ref: d.id, at: d.createdAt });
        return { tx, result: {} };
      },
    );
  }

  private createInto(
    tx: ChainableCommander,
    d: Directive,
    recipients: readonly Recipient[],
    file: Buffer | undefined,
  ): void {
    tx.hset(dirKey(d.id), 'json', JSON.stringify(d), 'queued', '0');
    for (let i = 0; i < recipients.length; i += PUSH_CHUNK) {
      tx.rpush(recipientsKey(d.id), ...recipients.slice(i, i + PUSH_CHUNK).map((r) => JSON.stringify(r)));
    }
    tx.zadd(ALL_KEY, d.createdAt, d.id);
    for (const r of recipients) {
      tx.zadd(inboxKey(r.personId), d.createdAt, d.id);
      tx.zremrangebyrank(inboxKey(r.personId), 0, -INBOX_KEEP - 1);
    }
    if (file) tx.set(fileKey(d.id), file);
    auditInto(tx, {
      actor: d.createdBy,
      action: 'directive.create',
      subject: `directive:${d.id}`,
      after: { ...d, recipients: recipients.length },
      at: d.createdAt,
    });
  }

  async get(id: string): Promise<StoredDirective | undefined> {
    const [[, h], [, count]] = (await this.redis
      .multi()
      .hgetall(dirKey(id))
      .llen(recipientsKey(id))
      .exec()) as [[Error | null, Record<string, string>], [Error | null, number]];
    if (!h.json) return undefined;
    const out: StoredDirective = {
      directive: directiveSchema.parse(JSON.parse(h.json)),
      recipientCount: Number(count),
      queued: Number(h.queued ?? 0),
    };
    const cancelledAt = optionalNumber(h.cancelledAt);
    if (cancelledAt !== undefined) out.cancelledAt = cancelledAt;
    if (h.cancelledBy) out.cancelledBy = h.cancelledBy;
    if (h.statusChat && h.statusMessage)
      out.statusMessage = { chatId: Number(h.statusChat), messageId: Number(h.statusMessage) };
    const remindedAt = optionalNumber(h.remindedAt);
    if (remindedAt !== undefined) out.remindedAt = remindedAt;
    const leadersToldAt = optionalNumber(h.leadersToldAt);
    if (leadersToldAt !== undefined) out.leadersToldAt = leadersToldAt;
    if (h.fileId) out.fileId = h.fileId;
    return out;
  }

  /** True when the directive was cancelled (read before each fan-out batch). */
  async isCancelled(id: string): Promise<boolean> {
    return (await this.redis.hexists(dirKey(id), 'cancelledAt')) === 1;
  }

  /** Recipients `start`..`stop` (inclusive, as LRANGE), in the order they were planned. */
  async recipients(id: string, start = 0, stop = -1): Promise<Recipient[]> {
    const rows = await this.redis.lrange(recipientsKey(id), start, stop);
    return rows.map((row) => recipientSchema.parse(JSON.parse(row)));
  }

  /** True when the directive was addressed to this person. */
  async isRecipient(id: string, personId: number): Promise<boolean> {
    return (await this.redis.zscore(inboxKey(personId), id)) !== null;
  }

  /** Records an acknowledgement; a second press keeps the first time. */
  async acknowledge(id: string, personId: number, at: number): Promise<{ at: number; first: boolean }> {
    const [[, created], [, stored]] = (await this.redis
      .multi()
      .hsetnx(acksKey(id), String(personId), String(at))
      .hget(acksKey(id), String(personId))
      .exec()) as [[Error | null, number], [Error | null, string | null]];
    await confirmSaved(this.redis);
    return { at: Number(stored ?? at), first: created === 1 };
  }

  /** Acknowledgement times by person id. */
  async acks(id: string): Promise<Map<number, number>> {
    const h = await this.redis.hgetall(acksKey(id));
    return new Map(Object.entries(h).map(([k, v]) => [Number(k), Number(v)]));
  }

  /** When this person acknowledged each of `ids` (undefined where they have not). */
  async acksOf(personId: number, ids: readonly string[]): Promise<(number | undefined)[]> {
    if (ids.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const id of ids) pipe.hget(acksKey(id), String(personId));
    const rows = (await pipe.exec()) ?? [];
    return rows.map(([, v]) => optionalNumber((v as string | null) ?? undefined));
  }

  /**
   * Marks the directive cancelled (audited as `directive.cancel`). `already` when it was
   * cancelled before; the first cancel's time is kept. With `card` (the nonce of the
   * «Xác nhận dừng gửi» pressed), its receipt is written with the cancel; `repeated` when that
   * card had been pressed before.
   */
  async cancel(
    id: string,
    actor: string,
    at: number,
    card?: string,
  ): Promise<{ cancelledAt: number; already: boolean; repeated?: true }> {
    return watchedTransaction<{ cancelledAt: number; already: boolean; repeated?: true }>(
      this.redis,
      `directive ${id}`,
      async (conn) => {
        const used = card === undefined ? undefined : await watchReceipt(conn, card);
        await conn.watch(dirKey(id));
        const before = await conn.hget(dirKey(id), 'cancelledAt');
        if (before)
          return {
            result: { cancelledAt: Number(before), already: true, ...(used ? { repeated: true } : {}) },
          };
        const tx = conn.multi();
        tx.hset(dirKey(id), 'cancelledAt', String(at), 'cancelledBy', actor);
        if (card !== undefined) recordReceipt(tx, card, { ref: id, at });
        auditInto(tx, { actor, action: 'directive.cancel', subject: `directive:${id}`, at });
        return { tx, result: { cancelledAt: at, already: false } };
      },
    );
  }

  /** The admin's message that shows the status, edited in place as things change. */
  async setStatusMessage(id: string, chatId: number, messageId: number): Promise<void> {
    await this.redis.hset(dirKey(id), 'statusChat', String(chatId), 'statusMessage', String(messageId));
  }

  /** The fan-out has handed the first `count` recipients to the outbox. */
  async setQueued(id: string, count: number): Promise<void> {
    await this.redis.hset(dirKey(id), 'queued', String(count));
  }

  /** Marks a follow-up step done; false when it was already marked (the first time is kept). */
  async markStage(id: string, stage: DirectiveStage, at: number): Promise<boolean> {
    return (await this.redis.hsetnx(dirKey(id), stage, String(at))) === 1;
  }

  /** Records one person's follow-up (`r:` reminded, `l:` leader told) unless already recorded. */
  async markFollowUp(id: string, kind: 'r' | 'l', personId: number, at: number): Promise<boolean> {
    return (await this.redis.hsetnx(followUpKey(id), `${kind}:${personId}`, String(at))) === 1;
  }

  /** The follow-ups recorded for a directive: who was reminded, which leaders were told. */
  async followUps(id: string): Promise<{ reminded: Map<number, number>; leaders: Map<number, number> }> {
    const h = await this.redis.hgetall(followUpKey(id));
    const reminded = new Map<number, number>();
    const leaders = new Map<number, number>();
    for (const [k, v] of Object.entries(h)) {
      const [kind, person] = k.split(':');
      (kind === 'r' ? reminded : leaders).set(Number(person), Number(v));
    }
    return { reminded, leaders };
  }

  /** The newest directive ids first. */
  async latest(limit: number): Promise<string[]> {
    return this.redis.zrevrange(ALL_KEY, 0, limit - 1);
  }

  /** The newest directives addressed to a person first. */
  async inbox(personId: number, limit: number): Promise<string[]> {
    return this.redis.zrevrange(inboxKey(personId), 0, limit - 1);
  }

  /** The bytes of a file given on the CLI. */
  async file(id: string): Promise<Buffer | undefined> {
    return (await this.redis.getBuffer(fileKey(id))) ?? undefined;
  }

  /** Remembers Telegram's id for a CLI file after its first upload, so later sends reuse it. */
  async setFileId(id: string, fileId: string): Promise<void> {
    await this.redis.hset(dirKey(id), 'fileId', fileId);
  }
}
