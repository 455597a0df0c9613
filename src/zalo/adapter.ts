/**
 * Zalo's side of the conversation core: an event becomes a `Turn` and an `Incoming` event for the
 * router (`commands/router.ts`), and the `Outcome` it returns becomes Zalo messages.
 *
 * - Each event is claimed once by its `message_id` in the same claim store as Telegram updates
 *   (`src/store/updates.ts`), so a webhook retry or a poll that repeats one is handled once.
 * - Zalo has no buttons: typed text is first matched against the options the chat has open
 *   (`src/store/zaloOptions.ts`): "1" is the first option's action, "0" cancels. A toast becomes a
 *   short message, a message that would be edited is answered anew.
 * - A bare invite or link code is `/start CODE`: on Zalo there is no start link to tap.
 * - Stickers, voice and images get a short "please type"; content Zalo withholds for privacy
 *   (`message.unsupported.received`) a polite answer; unknown events are ignored.
 * - An error in a handler gets the apology with a reference id, never a crash.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { type Incoming, parseCommand, type Router, type Turn } from '../../commands/router.js';
import { type Action, type Outcome, type Reply, reply } from '../chat/reply.js';
import { errorReference } from '../infra/errorReference.js';
import { type Route, readBody, sendJson } from '../infra/httpServer.js';
import { metrics } from '../infra/metrics.js';
import type { Logger } from '../logger.js';
import { msg } from '../messages/index.js';
import type { Services } from '../services/index.js';
import { type ChannelStore, LINK_CODE_PATTERN } from '../store/channels.js';
import type { UpdateClaims } from '../store/updates.js';
import type { StoredOption, ZaloOptionStore } from '../store/zaloOptions.js';
import { isSetupError, type ZaloApi, ZaloApiError } from './api.js';
import type { FileLinks } from './links.js';
import { chooseOption, looksLikeOptionNumber } from './render.js';
import { sendZalo, toZaloSends } from './sender.js';

/** The chat id services see for a Zalo chat: never equal to a Telegram chat id. */
export const zaloChatKey = (chatId: string) => `zalo-${chatId}`;

/** A webhook body larger than this is refused (one text event is a few kilobytes). */
export const WEBHOOK_BODY_LIMIT = 64 * 1024;

const id = z.union([z.string().min(1).max(64), z.number().int().nonnegative()]).transform(String);
export const zaloEventSchema = z.object({
  event_name: z.string().min(1).max(100),
  message: z.object({
    message_id: id,
    date: z.number().optional(),
    from: z.object({
      id,
      display_name: z.string().max(1000).optional(),
      name: z.string().max(1000).optional(),
      is_bot: z.boolean().optional(),
    }),
    chat: z.object({ id, chat_type: z.string().max(20).optional() }),
    text: z.string().max(100_000).optional(),
    photo: z.string().max(5000).optional(),
    caption: z.string().max(100_000).optional(),
  }),
});
export type ZaloEventIn = z.infer<typeof zaloEventSchema>;

/** What the webhook posts: `{ ok, result: event }` (a bare event is accepted too). */
const webhookBody = z.union([
  z.object({ ok: z.boolean().optional(), result: zaloEventSchema }),
  zaloEventSchema,
]);

const KNOWN = new Set([
  'message.text.received',
  'message.image.received',
  'message.sticker.received',
  'message.voice.received',
  'message.unsupported.received',
]);
/** An invite code as `/moi` makes them (24 base64url characters, first a letter or digit). */
const INVITE_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{23}$/;
/** `https://t.me/<bot>?start=<code>`, as `/moi` and the invite CSV give them. */
const INVITE_LINK = /^(?:https?:\/\/)?t\.me\/[A-Za-z0-9_]{1,64}\?start=([A-Za-z0-9][A-Za-z0-9_-]{23})$/;
/** The value of the "0" option when the message had no cancel action of its own. */
const CANCEL = '\u0000huy';

export interface ZaloAdapterDeps {
  api: ZaloApi;
  services: Services;
  router: Router;
  claims: UpdateClaims;
  options: ZaloOptionStore;
  channels: ChannelStore;
  links: FileLinks;
  log: Logger;
}

export class ZaloAdapter {
  /**
   * Events this process is handling now. The claim store lets an owner take its own claim again
   * (a restarted poller), so a webhook retry racing the first delivery is stopped here.
   */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly d: ZaloAdapterDeps) {}

  /** Handles one event once (by `message_id`); resolves when it is handled and answered. */
  async handle(raw: unknown): Promise<'handled' | 'duplicate' | 'ignored'> {
    const parsed = zaloEventSchema.safeParse(raw);
    if (!parsed.success) return 'ignored';
    const event = parsed.data;
    if (!KNOWN.has(event.event_name) || event.message.from.is_bot) return 'ignored';
    const id = event.message.message_id;
    const running = this.inFlight.get(id);
    if (running) {
      await running.catch(() => {});
      return 'duplicate';
    }
    const handling = this.handleOnce(event);
    this.inFlight.set(id, handling);
    try {
      return await handling;
    } finally {
      this.inFlight.delete(id);
    }
  }

  private async handleOnce(event: ZaloEventIn): Promise<'handled' | 'duplicate'> {
    const m = event.message;
    const log = this.d.log.child({ zalo_message_id: m.message_id });
    const started = performance.now();
    let people: unknown;
    let optionsRaw: unknown;
    for (;;) {
      const claim = await this.d.claims.claimWith(m.message_id, (p) => {
        this.d.channels.queueZaloPerson(p, m.from.id);
        this.d.options.queueGet(p, m.chat.id);
      });
      if (claim.state === 'done') {
        metrics.updateHandled('duplicate', performance.now() - started);
        return 'duplicate';
      }
      if (claim.state === 'claimed') {
        [people, optionsRaw] = claim.replies;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const renew = setInterval(
      () => this.d.claims.renew(m.message_id).catch(() => {}),
      this.d.claims.leaseMs / 3,
    );
    let outcome: 'ok' | 'error' = 'ok';
    try {
      const personId =
        typeof people === 'string' ? Number(people) : await this.d.channels.zaloPerson(m.from.id);
      await this.turn(event, personId, this.d.options.parse(optionsRaw), log);
    } catch (err) {
      outcome = 'error';
      const ref = errorReference();
      log.error({ err, ref }, 'Zalo handler failed');
      await this.d.api.sendMessage(m.chat.id, msg.common.apology(ref), false).catch((e: unknown) => {
        log.warn({ err: (e as Error).message, ref }, 'could not send the apology');
      });
    } finally {
      clearInterval(renew);
    }
    await this.d.claims.finish(m.message_id);
    metrics.updateHandled(outcome, performance.now() - started);
    return 'handled';
  }

  private async turn(
    event: ZaloEventIn,
    personId: number,
    options: StoredOption[],
    log: Logger,
  ): Promise<void> {
    const { services: app } = this.d;
    const m = event.message;
    const chat = zaloChatKey(m.chat.id);
    const name = (m.from.display_name ?? m.from.name ?? '').trim().slice(0, 200);
    const pipe = app.redis.pipeline();
    app.org.people.queueGet(pipe, personId);
    app.conversations.queueGet(pipe, chat, personId);
    const replies = (await pipe.exec()) ?? [];
    const failed = replies.find(([err]) => err)?.[0];
    if (failed) throw failed;
    const person = app.org.people.fromReplies(personId, replies[0]?.[1], replies[1]?.[1]);
    const conversation = app.conversations.parse(replies[2]?.[1]);
    // What the person's record says of Zalo, kept true; written only when something changed.
    if (
      person.zalo?.id !== m.from.id ||
      person.zalo.chat !== m.chat.id ||
      (name && person.zalo.name !== name) ||
      person.lastChannel !== 'zalo'
    )
      await this.d.channels.noteZalo(personId, { id: m.from.id, chat: m.chat.id, ...(name ? { name } : {}) });
    if (person.unreachable && person.roles.length > 0)
      await app.org.touch(
        personId,
        { first_name: person.firstName ?? name },
        { renamed: false, unreachable: true },
      );
    const viewer = { id: personId, roles: person.roles };
    const dialog = await app.dialogs.check(chat, personId, conversation);
    const turn: Turn = {
      channel: 'zalo',
      chat: { id: chat, private: m.chat.chat_type !== 'GROUP' },
      viewer,
      dialog,
      profile: { first_name: name || person.firstName || '' },
      zalo: { id: m.from.id, chat: m.chat.id, ...(name ? { name } : {}) },
      app,
      log,
    };
    const incoming = this.incoming(event, options, !!dialog);
    let outcome: Outcome;
    if ('say' in incoming) outcome = { replies: [reply(incoming.say)] };
    else if (incoming.type === 'action' && incoming.value === CANCEL)
      outcome = await this.d.router.handle(turn, { type: 'command', name: 'huy', args: '', body: '' });
    else outcome = await this.d.router.handle(turn, incoming);
    // Telegram takes the unit file in chat; Zalo cannot carry it, so the admin's /help says where.
    if (
      'type' in incoming &&
      incoming.type === 'command' &&
      incoming.name === 'help' &&
      app.org.isAdmin(viewer)
    )
      outcome = { ...outcome, replies: [...outcome.replies, reply(msg.zalo.importElsewhere)] };
    await this.deliver(m.chat.id, personId, outcome);
  }

  /** The router's event for what the person sent, or a short answer the router need not see. */
  private incoming(
    event: ZaloEventIn,
    options: StoredOption[],
    dialogOpen: boolean,
  ): Incoming | { say: string } {
    const m = event.message;
    switch (event.event_name) {
      case 'message.unsupported.received':
        return { say: msg.zalo.unsupported };
      case 'message.image.received':
        return { say: msg.zalo.imageNotRead };
      case 'message.text.received':
        break;
      default:
        return { say: msg.zalo.pleaseType };
    }
    const text = m.text ?? '';
    const chosen = chooseOption(options, text);
    if (chosen) return { type: 'action', value: chosen.value };
    if (text.trim() === '0' && options.length > 0) return { type: 'action', value: CANCEL };
    if (looksLikeOptionNumber(text) && options.some((o) => o.n > 0) && !dialogOpen) {
      const max = Math.max(...options.map((o) => o.n));
      return { say: msg.zalo.noSuchOption(text.trim(), max) };
    }
    const command = parseCommand(text, undefined);
    if (command) return { type: 'command', ...command };
    if (text.startsWith('/')) return { type: 'command', name: '', args: '', body: '' };
    const bare = text.trim();
    if (!dialogOpen && (INVITE_CODE.test(bare) || LINK_CODE_PATTERN.test(bare)))
      return { type: 'command', name: 'start', args: bare, body: bare };
    // A Telegram invite link pasted whole: its code works here too.
    const link = INVITE_LINK.exec(bare);
    if (!dialogOpen && link?.[1]) return { type: 'command', name: 'start', args: link[1], body: link[1] };
    return { type: 'text', text };
  }

  /**
   * Sends an outcome: the toast as a short message, the reply that would replace the pressed
   * message, then the replies, their options numbered on from each other. The options they
   * open replace the chat's (none: the chat's options are closed).
   */
  async deliver(chat: string, personId: number, outcome: Outcome): Promise<void> {
    const replies: Reply[] = [];
    if (outcome.toast && !(outcome.toast === msg.common.buttonExpired && outcome.replies.length > 0))
      replies.push(reply(outcome.toast));
    const pressed = outcome.pressed;
    // The pressed message's actions swapped in place (Telegram edits them): on Zalo the new
    // options are shown anew, or, after a note that already says what happened (an
    // acknowledgement), kept open without repeating them.
    let kept: readonly (readonly Action[])[] | undefined;
    if (pressed && pressed !== 'close' && 'replace' in pressed) replies.push(pressed.replace);
    else if (pressed && pressed !== 'close') {
      if (replies.length > 0 || outcome.replies.length > 0) kept = pressed.actions;
      else replies.push({ text: '', actions: pressed.actions });
    }
    // Telegram's "open the invite link" becomes "send the code" here.
    replies.push(
      ...outcome.replies.map((r) => (r.text === msg.units.noAccess ? { ...r, text: msg.zalo.noAccess } : r)),
    );
    if (replies.length === 0) return;
    let next = 1;
    const open: StoredOption[] = [];
    const delivery = { api: this.d.api, links: this.d.links, timezone: this.d.services.config.timezone };
    for (const r of replies) {
      const rendered = toZaloSends(r, next);
      next = rendered.next;
      open.push(...rendered.options);
      for (const s of rendered.sends) await sendZalo(delivery, chat, personId, s);
    }
    if (kept) open.push(...toZaloSends({ text: '', actions: kept }, next).options);
    await this.d.options.set(chat, open);
  }
}

/** Same length digests, so the comparison takes the same time whatever was sent. */
function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The webhook at `path`: the secret header first (401, nothing read), then the body (capped),
 * validated, claimed and handled; 200 only once it is handled, so a failure is delivered again.
 */
export function zaloWebhookRoute(path: string, secret: string, adapter: Pick<ZaloAdapter, 'handle'>): Route {
  return async (req, res) => {
    if ((req.url ?? '').split('?')[0] !== path) return false;
    if (!sameSecret(req.headers['x-bot-api-secret-token'], secret)) {
      sendJson(res, 401, { ok: false, error: 'bad secret token' });
      req.resume();
      return true;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, { ok: false, error: 'POST only' });
      return true;
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, WEBHOOK_BODY_LIMIT)).toString('utf8'));
    } catch (err) {
      const tooLarge = err instanceof Error && /too large/.test(err.message);
      sendJson(res, tooLarge ? 413 : 400, {
        ok: false,
        error: tooLarge ? 'body too large' : 'body is not JSON',
      });
      if (tooLarge) req.destroy();
      return true;
    }
    const parsed = webhookBody.safeParse(body);
    if (!parsed.success) {
      sendJson(res, 400, { ok: false, error: 'body is not a Zalo event' });
      return true;
    }
    const event = 'result' in parsed.data ? parsed.data.result : parsed.data;
    await adapter.handle(event);
    sendJson(res, 200, { ok: true });
    return true;
  };
}

/**
 * Long polling, for development: one event per `getUpdates`, handled in order. Zalo hands each
 * event out once, so this is at most once; the claim by `message_id` drops repeats.
 */
export class ZaloPoller {
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    private readonly api: ZaloApi,
    private readonly adapter: Pick<ZaloAdapter, 'handle'>,
    private readonly log: Logger,
    private readonly timeoutSeconds = 30,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const signal = this.stopping.signal;
    let backoff = 500;
    while (!signal.aborted) {
      try {
        const event = await this.api.getUpdates(this.timeoutSeconds, signal);
        backoff = 500;
        if (event !== undefined && !signal.aborted) await this.adapter.handle(event);
      } catch (err) {
        if (signal.aborted) break;
        const setup = err instanceof ZaloApiError && isSetupError(err);
        this.log[setup ? 'error' : 'warn']({ err: (err as Error).message }, 'Zalo polling failed; retrying');
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }
}
