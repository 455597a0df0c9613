/**
 * People on two channels: who a Zalo user is, which channel the bot writes to first, the one-time
 * link codes that join a second channel to the same person, and refusals counted per Zalo chat.
 *
 * Ids. A person's id stays their Telegram user id, as before. A person who first writes on Zalo
 * gets an id above 2^52: Telegram user ids have at most 52 significant bits, so the two never
 * collide, and the id is still a safe integer wherever a person id travels (codecs, audit).
 *
 * Keys:
 *   cb:zalo:user:{zalo id}     string  the person id of that Zalo user
 *   cb:zalo:next               string  counter for Zalo-born ids (id = 2^52 + n)
 *   cb:person:{id}             hash    + zalo_id, zalo_chat, zalo_name, channel, last_channel
 *   cb:link:{code}             string  person id; a one-time link code, 24 hours
 *   cb:zalo:refusals:{chat}    string  `ok: false` answers in a row to that chat (7 days)
 *
 * Linking merges: a Zalo-born person who joins Telegram becomes the Telegram person (roles moved
 * in one MULTI, the Zalo-born record removed), because the Telegram edge knows a person only by
 * their Telegram id.
 */
import { randomBytes } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import type { Channel } from '../chat/reply.js';
import { roleKey } from '../domain/units.js';
import { auditInto } from './audit.js';
import { evalScript } from './batch.js';
import { PEOPLE_KEY, personKey, personRolesKey, queueRoleChange, readRoles } from './people.js';
import { watchedTransaction } from './tx.js';

/** Zalo-born person ids are above this (Telegram's are below). */
export const ZALO_BORN_BASE = 2 ** 52;
export const isZaloBorn = (personId: number) => personId > ZALO_BORN_BASE;

const zaloUserKey = (zaloId: string) => `cb:zalo:user:${zaloId}`;
const NEXT_KEY = 'cb:zalo:next';
const linkKey = (code: string) => `cb:link:${code}`;
const refusalsKey = (chat: string) => `cb:zalo:refusals:${chat}`;
const LINK_TTL_SECONDS = 24 * 3600;
/** Typeable on a phone: no look-alikes (0/O, 1/I/L). */
const LINK_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const LINK_CODE_PATTERN = /^[A-HJKMNP-Z2-9]{8}$/;

// KEYS: user mapping, counter. ARGV: base, chat, name. The person id, made on first sight.
const ZALO_PERSON = `
local id = redis.call('GET', KEYS[1])
if id then return id end
local n = redis.call('INCR', KEYS[2])
id = string.format('%.0f', tonumber(ARGV[1]) + n)
redis.call('SET', KEYS[1], id)
return id`;

/** Where bot-initiated messages to a person go. */
export type Route = { channel: 'telegram' } | { channel: 'zalo'; chat: string };

export type LinkResult =
  | { ok: true; personId: number; already: boolean }
  | { ok: false; reason: 'unknown_code' | 'other_telegram' };

export class ChannelStore {
  constructor(private readonly redis: Redis) {}

  /** Queues the look-up of a Zalo user's person id (null when new) on a pipeline. */
  queueZaloPerson(pipeline: ChainableCommander, zaloId: string): void {
    pipeline.get(zaloUserKey(zaloId));
  }

  /** The person id of a Zalo user, made (above 2^52) the first time they write. */
  async zaloPerson(zaloId: string): Promise<number> {
    const id = await evalScript(
      this.redis,
      ZALO_PERSON,
      2,
      zaloUserKey(zaloId),
      NEXT_KEY,
      String(ZALO_BORN_BASE),
    );
    return Number(id);
  }

  /** Every Zalo user who has written to the bot, with their person id (the CLI's `people zalo`). */
  async zaloUsers(): Promise<{ zaloId: string; personId: number }[]> {
    const keys: string[] = [];
    for await (const batch of this.redis.scanStream({ match: zaloUserKey('*'), count: 1000 }))
      keys.push(...(batch as string[]));
    if (keys.length === 0) return [];
    const ids = await this.redis.mget(...keys);
    const prefix = zaloUserKey('').length;
    return keys
      .map((k, i) => ({ zaloId: k.slice(prefix), personId: Number(ids[i]) }))
      .filter((u) => Number.isSafeInteger(u.personId))
      .sort((a, b) => a.personId - b.personId);
  }

  /** Keeps the person's Zalo chat and name on file, and that they last wrote from Zalo. */
  async noteZalo(personId: number, zalo: { id: string; chat: string; name?: string }): Promise<void> {
    const key = personKey(personId);
    await this.redis.hset(key, {
      id: String(personId),
      zalo_id: zalo.id,
      zalo_chat: zalo.chat,
      last_channel: 'zalo',
      ...(zalo.name ? { zalo_name: zalo.name } : {}),
    });
  }

  /**
   * Gives a person a Zalo account without their writing from it (the sandbox's demo people); a
   * Zalo account already someone's is left alone. Their last channel stays as it was.
   */
  async attachZalo(personId: number, zalo: { id: string; chat: string; name?: string }): Promise<boolean> {
    const set = await this.redis.set(zaloUserKey(zalo.id), String(personId), 'NX');
    if (set !== 'OK') return false;
    await this.redis.hset(personKey(personId), {
      id: String(personId),
      zalo_id: zalo.id,
      zalo_chat: zalo.chat,
      ...(zalo.name ? { zalo_name: zalo.name } : {}),
    });
    return true;
  }

  /** The person last wrote from this channel. */
  async noteChannel(personId: number, channel: Channel): Promise<void> {
    await this.redis.hset(personKey(personId), 'last_channel', channel);
  }

  /** `/kenh`: the channel bot-initiated messages go to; undefined follows the last one written from. */
  async choose(personId: number, channel: Channel | undefined): Promise<void> {
    if (channel) await this.redis.hset(personKey(personId), 'channel', channel);
    else await this.redis.hdel(personKey(personId), 'channel');
  }

  /** Where to reach each person, in one round trip; people without Zalo go to Telegram. */
  async routes(personIds: readonly number[]): Promise<Map<number, Route>> {
    const out = new Map<number, Route>();
    if (personIds.length === 0) return out;
    const pipe = this.redis.pipeline();
    for (const id of personIds) pipe.hmget(personKey(id), 'zalo_chat', 'channel', 'last_channel');
    const replies = (await pipe.exec()) ?? [];
    personIds.forEach((id, i) => {
      const [chat, chosen, last] = (replies[i]?.[1] ?? []) as (string | null)[];
      out.set(id, routeOf(id, chat ?? undefined, chosen ?? undefined, last ?? undefined));
    });
    return out;
  }

  /** A fresh one-time link code for the person, valid 24 hours. */
  async createLinkCode(personId: number): Promise<{ code: string; ttlSeconds: number }> {
    for (;;) {
      const code = [...randomBytes(8)].map((b) => LINK_ALPHABET[b % LINK_ALPHABET.length]).join('');
      const set = await this.redis.set(linkKey(code), String(personId), 'EX', LINK_TTL_SECONDS, 'NX');
      if (set === 'OK') return { code, ttlSeconds: LINK_TTL_SECONDS };
    }
  }

  /**
   * A Zalo user types a link code: their Zalo identity joins the code's person. A Zalo-born
   * person they were until now is merged into it (roles moved). The code is spent.
   */
  async linkZalo(
    code: string,
    zalo: { id: string; chat: string; name?: string },
    now: number,
  ): Promise<LinkResult> {
    const owner = await this.takeLinkCode(code);
    if (owner === undefined) return { ok: false, reason: 'unknown_code' };
    const current = await this.redis.get(zaloUserKey(zalo.id));
    const was = current === null ? undefined : Number(current);
    if (was === owner) return { ok: true, personId: owner, already: true };
    if (was !== undefined && isZaloBorn(was)) await this.merge(was, owner, now);
    else if (was !== undefined)
      await this.redis.hdel(personKey(was), 'zalo_id', 'zalo_chat', 'zalo_name', 'channel');
    await this.redis.set(zaloUserKey(zalo.id), String(owner));
    await this.noteZalo(owner, zalo);
    return { ok: true, personId: owner, already: false };
  }

  /**
   * A Telegram user sends a link code made on Zalo: the Zalo-born person becomes this Telegram
   * person (roles and Zalo identity moved). A code made by another Telegram account is refused.
   */
  async linkTelegram(code: string, telegramId: number, now: number): Promise<LinkResult> {
    const owner = await this.takeLinkCode(code);
    if (owner === undefined) return { ok: false, reason: 'unknown_code' };
    if (owner === telegramId) return { ok: true, personId: owner, already: true };
    if (!isZaloBorn(owner)) return { ok: false, reason: 'other_telegram' };
    await this.merge(owner, telegramId, now);
    return { ok: true, personId: telegramId, already: false };
  }

  /** Spends a link code; the person it was made for, or undefined. */
  private async takeLinkCode(code: string): Promise<number | undefined> {
    if (!LINK_CODE_PATTERN.test(code)) return undefined;
    const id = await this.redis.getdel(linkKey(code));
    return id === null ? undefined : Number(id);
  }

  /** Moves `from`'s roles and Zalo identity onto `to` in one MULTI, and removes `from`. */
  private async merge(from: number, to: number, now: number): Promise<void> {
    await watchedTransaction(this.redis, `person ${from}`, async (conn) => {
      await conn.watch(personRolesKey(from), personRolesKey(to), personKey(from));
      const [fromRoles, toRoles, zalo] = await Promise.all([
        readRoles(conn, from),
        readRoles(conn, to),
        conn.hmget(personKey(from), 'zalo_id', 'zalo_chat', 'zalo_name'),
      ]);
      const have = new Set(toRoles.map(roleKey));
      const after = [...toRoles, ...fromRoles.filter((r) => !have.has(roleKey(r)))];
      const tx = conn.multi();
      queueRoleChange(tx, from, fromRoles, [], now);
      if (after.length !== toRoles.length) queueRoleChange(tx, to, toRoles, after, now);
      const [zaloId, zaloChat, zaloName] = zalo;
      if (zaloId && zaloChat) {
        tx.set(zaloUserKey(zaloId), String(to));
        tx.hset(personKey(to), {
          id: String(to),
          zalo_id: zaloId,
          zalo_chat: zaloChat,
          ...(zaloName ? { zalo_name: zaloName } : {}),
        });
      }
      tx.del(personKey(from), personRolesKey(from));
      tx.srem(PEOPLE_KEY, String(from));
      auditInto(tx, {
        actor: String(to),
        action: 'person.link',
        subject: `person:${to}`,
        before: { person: from, roles: fromRoles },
        after: { person: to, roles: after },
        at: now,
      });
      return { tx, result: undefined };
    });
  }

  /** One more `ok: false` to a Zalo chat; how many in a row now. */
  async refused(chat: string): Promise<number> {
    const [[, n]] = ((await this.redis
      .multi()
      .incr(refusalsKey(chat))
      .expire(refusalsKey(chat), 7 * 24 * 3600)
      .exec()) ?? []) as [[unknown, number]];
    return Number(n);
  }

  /** A send to the chat went through: the count starts again. */
  async accepted(chat: string): Promise<void> {
    await this.redis.del(refusalsKey(chat));
  }
}

/** Where a person's messages go: the channel chosen, else the one last written from, else Telegram. */
export function routeOf(
  personId: number,
  zaloChat: string | undefined,
  chosen: string | undefined,
  last: string | undefined,
): Route {
  if (!zaloChat) return { channel: 'telegram' };
  if (isZaloBorn(personId)) return { channel: 'zalo', chat: zaloChat };
  const pick = chosen === 'telegram' || chosen === 'zalo' ? chosen : last;
  return pick === 'zalo' ? { channel: 'zalo', chat: zaloChat } : { channel: 'telegram' };
}
