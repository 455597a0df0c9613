/**
 * A local Zalo Bot Platform API (see docs/architecture.md, "The Zalo channel"): the bot calls it
 * over HTTP exactly as it calls `https://bot-api.zaloplatforms.com`, while tests and the sandbox
 * page act as the people writing. It keeps the platform's rules that shape the bot's code:
 *
 * - every call is `POST {root}/bot{TOKEN}/{method}` with a JSON body; the answer is
 *   `{ ok, result?, error_code?, description? }`, and a refused call is often HTTP 200 with
 *   `ok: false`, so a client must read `ok`;
 * - text is 1–2,000 characters; `parse_mode` is `html` or `markdown`; photos are public URLs;
 * - no buttons, no documents, no edits: anything else is 404;
 * - `getUpdates` hands each event out once (no offset) and answers `ok: false, error_code: 408`
 *   when nothing came before its timeout; it refuses while a webhook is set;
 * - `setWebhook` takes `{ url, secret_token }` (8–256 characters) and each event is one POST with
 *   `X-Bot-Api-Secret-Token`;
 * - flood control (off by default) answers HTTP 429 with `error_code: 429`; a person who blocked
 *   the bot answers `ok: false` to every send.
 *
 * It lives at its own root, `/zalo` under the sandbox (or a test server): `{root}/bot{TOKEN}/…`.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from '../infra/httpServer.js';

/** The path the Zalo side lives under, on the sandbox server or a test server. */
export const ZALO_EMULATOR_PATH = '/zalo';
const TEXT_LIMIT = 2000;
const BODY_LIMIT = 1024 * 1024;

export interface ZaloEmuUser {
  /** Zalo ids are strings. */
  id: string;
  display_name: string;
}

export interface ZaloEmuMessage {
  /** Per emulator, increasing; the wire `message_id` is a string. */
  seq: number;
  message_id: string;
  chatId: string;
  fromBot: boolean;
  text?: string;
  parseMode?: 'html' | 'markdown';
  photo?: string;
  caption?: string;
  date: number;
}

/** One event as the platform sends it (the webhook's `result`, or what getUpdates returns). */
export interface ZaloEvent {
  event_name: string;
  message: {
    message_id: string;
    date: number;
    from: { id: string; display_name?: string; is_bot: boolean };
    chat: { id: string; chat_type: 'PRIVATE' | 'GROUP' };
    text?: string;
    photo?: string;
    caption?: string;
  };
}

export interface ZaloRateLimits {
  /** Sends a second overall before 429. */
  perSecond: number;
  /** Least gap between two sends to one chat (ms) before 429. */
  perChatGapMs: number;
  /** `retry_after`-like wait hinted in the description (seconds). @defaultValue 1 */
  retryAfter?: number;
}

export interface ZaloCall {
  method: string;
  body: Record<string, unknown>;
  at: number;
  status: number;
  ok: boolean;
  description?: string;
}

class ZaloApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly description: string,
  ) {
    super(description);
  }
}

/** Refusals the real platform answers with HTTP 200 and `ok: false`. */
const refused = (code: number, description: string) => new ZaloApiError(200, code, description);

export class ZaloEmulator {
  readonly botId: string;
  readonly botName: string;
  readonly stats = { calls: {} as Record<string, number>, sent: 0, throttled429: 0, refused: 0 };

  private readonly users = new Map<string, ZaloEmuUser>();
  private readonly history = new Map<string, ZaloEmuMessage[]>();
  private readonly blocked = new Set<string>();
  private readonly pending: ZaloEvent[] = [];
  private readonly waiters: ((e: ZaloEvent | undefined) => void)[] = [];
  private readonly feed = new EventEmitter();
  private webhook: { url: string; secret: string; updatedAt: number } | undefined;
  private rate: ZaloRateLimits | undefined;
  private sendTimes: number[] = [];
  private readonly lastByChat = new Map<string, number>();
  private calls: ZaloCall[] = [];
  private seq = 0;
  private server: http.Server | undefined;
  private closed = false;

  constructor(opts: { botId?: string; botName?: string; rateLimits?: ZaloRateLimits } = {}) {
    this.botId = opts.botId ?? '5000000000000000001';
    this.botName = opts.botName ?? 'Bot Chi bộ (sandbox)';
    this.rate = opts.rateLimits;
    this.feed.setMaxListeners(0);
  }

  // ------------------------------------------------------------------ HTTP

  /**
   * Answers `{ZALO_EMULATOR_PATH}/bot<token>/<method>` (the bot's calls) and
   * `{ZALO_EMULATOR_PATH}/sandbox/…` (the web chat acting as a person); false for any other path.
   */
  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    if (!url.pathname.startsWith(`${ZALO_EMULATOR_PATH}/`)) return false;
    if (url.pathname.startsWith(`${ZALO_EMULATOR_PATH}/sandbox/`)) {
      await this.page(req, res, url);
      return true;
    }
    const api = /^\/bot([^/]*)\/([A-Za-z]+)\/?$/.exec(url.pathname.slice(ZALO_EMULATOR_PATH.length));
    if (!api) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return true;
    }
    if (req.headers.origin || req.headers['sec-fetch-site']) {
      sendJson(res, 403, { ok: false, error_code: 403, description: 'Forbidden: calls from web pages' });
      return true;
    }
    const token = decodeURIComponent(api[1]!);
    const method = api[2]!;
    const at = Date.now();
    let body: Record<string, unknown> = {};
    try {
      if (!/^[A-Za-z0-9:_-]{10,256}$/.test(token)) throw new ZaloApiError(401, 401, 'Unauthorized');
      if (req.method !== 'POST') throw new ZaloApiError(405, 405, 'Method Not Allowed: use POST');
      body = await readJson(req);
      this.stats.calls[method] = (this.stats.calls[method] ?? 0) + 1;
      const result = await this.run(method, body, res);
      this.calls.push({ method, body, at, status: 200, ok: true });
      if (!res.writableEnded) sendJson(res, 200, { ok: true, result });
    } catch (err) {
      const e =
        err instanceof ZaloApiError
          ? err
          : new ZaloApiError(500, 500, `Internal Server Error: ${(err as Error).message}`);
      if (e.code === 429) this.stats.throttled429++;
      else if (e.code !== 408) this.stats.refused++;
      this.calls.push({ method, body, at, status: e.status, ok: false, description: e.description });
      if (!res.writableEnded)
        sendJson(res, e.status, { ok: false, error_code: e.code, description: e.description });
    }
    return true;
  }

  /** A standalone server for tests; resolves with the API root (`http://127.0.0.1:<port>/zalo`). */
  async listen(port = 0): Promise<string> {
    const server = http.createServer((req, res) => {
      this.handle(req, res)
        .then((handled) => {
          if (!handled) sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
        })
        .catch(() => {
          if (!res.headersSent) sendJson(res, 500, { ok: false, error_code: 500, description: 'error' });
        });
    });
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}${ZALO_EMULATOR_PATH}`;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w(undefined);
    const server = this.server;
    this.server = undefined;
    if (server)
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
  }

  private async run(
    method: string,
    body: Record<string, unknown>,
    res: http.ServerResponse,
  ): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return { id: this.botId, account_name: this.botName, account_type: 'BASIC', can_join_groups: false };
      case 'sendMessage':
        return this.sendMessage(body);
      case 'sendPhoto':
        return this.sendPhoto(body);
      case 'sendChatAction': {
        this.chatParam(body);
        if (body.action !== 'typing') throw refused(400, 'Bad Request: action must be "typing"');
        return true;
      }
      case 'getUpdates':
        return this.getUpdates(body, res);
      case 'setWebhook':
        return this.setWebhook(body);
      case 'deleteWebhook':
        this.webhook = undefined;
        return true;
      case 'getWebhookInfo':
        return { url: this.webhook?.url ?? '', updated_at: this.webhook?.updatedAt ?? 0 };
      default:
        throw new ZaloApiError(404, 404, `Not Found: method ${method} is not part of the Zalo Bot API`);
    }
  }

  private chatParam(body: Record<string, unknown>): string {
    const chatId = body.chat_id;
    if (typeof chatId !== 'string' || chatId === '') throw refused(400, 'Bad Request: chat_id is required');
    if (!this.users.has(chatId)) throw refused(400, 'Bad Request: chat not found');
    return chatId;
  }

  private throttle(chatId: string): void {
    if (this.blocked.has(chatId)) throw refused(403, 'Forbidden: the user has blocked the bot');
    const limits = this.rate;
    if (!limits) return;
    const now = Date.now();
    this.sendTimes = this.sendTimes.filter((t) => t > now - 1000);
    const last = this.lastByChat.get(chatId);
    if (this.sendTimes.length >= limits.perSecond || (last !== undefined && now - last < limits.perChatGapMs))
      throw new ZaloApiError(429, 429, `Too Many Requests: retry after ${limits.retryAfter ?? 1}`);
    this.sendTimes.push(now);
    this.lastByChat.set(chatId, now);
  }

  private sendMessage(body: Record<string, unknown>): { message_id: string; date: number } {
    const chatId = this.chatParam(body);
    const text = body.text;
    if (typeof text !== 'string' || text.length === 0) throw refused(400, 'Bad Request: text is empty');
    if (text.length > TEXT_LIMIT)
      throw refused(400, 'Bad Request: text is too long (at most 2000 characters)');
    const mode = body.parse_mode;
    if (mode !== undefined && mode !== 'html' && mode !== 'markdown')
      throw refused(400, 'Bad Request: parse_mode must be html or markdown');
    if (mode === 'html' && !balancedHtml(text)) throw refused(400, 'Bad Request: can not parse html');
    this.throttle(chatId);
    const m = this.append(chatId, true, { text, ...(mode ? { parseMode: mode } : {}) });
    return { message_id: m.message_id, date: m.date };
  }

  private sendPhoto(body: Record<string, unknown>): { message_id: string; date: number } {
    const chatId = this.chatParam(body);
    const photo = body.photo;
    if (typeof photo !== 'string' || !/^https?:\/\//.test(photo))
      throw refused(400, 'Bad Request: photo must be a public URL');
    const caption = body.caption;
    if (caption !== undefined && (typeof caption !== 'string' || caption.length > TEXT_LIMIT))
      throw refused(400, 'Bad Request: caption is too long (at most 2000 characters)');
    this.throttle(chatId);
    const m = this.append(chatId, true, { photo, ...(typeof caption === 'string' ? { caption } : {}) });
    return { message_id: m.message_id, date: m.date };
  }

  private async getUpdates(body: Record<string, unknown>, res: http.ServerResponse): Promise<ZaloEvent> {
    if (this.webhook) throw refused(409, 'Conflict: getUpdates does not work while a webhook is set');
    const timeout = Math.min(Math.max(Number(body.timeout ?? 30) || 0, 0), 60);
    const next = this.pending.shift();
    if (next) return next;
    if (timeout === 0) throw refused(408, 'Request timeout');
    const event = await new Promise<ZaloEvent | undefined>((resolve) => {
      const timer = setTimeout(() => done(undefined), timeout * 1000);
      const done = (e: ZaloEvent | undefined) => {
        clearTimeout(timer);
        const i = this.waiters.indexOf(done);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(e);
      };
      res.once('close', () => {
        if (!res.writableFinished) done(undefined);
      });
      this.waiters.push(done);
    });
    if (!event) throw refused(408, 'Request timeout');
    if (res.destroyed) {
      // The poller went away: the event is lost, as on the real platform (at most once).
      return event;
    }
    return event;
  }

  private setWebhook(body: Record<string, unknown>): { url: string; updated_at: number } {
    const url = body.url;
    const secret = body.secret_token;
    if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url))
      throw refused(400, 'Bad Request: url is invalid');
    const loopback = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//.test(url);
    if (!url.startsWith('https://') && !loopback) throw refused(400, 'Bad Request: url must be https');
    if (typeof secret !== 'string' || secret.length < 8 || secret.length > 256)
      throw refused(400, 'Bad Request: secret_token must be 8-256 characters');
    this.webhook = { url, secret, updatedAt: Date.now() };
    // Events waiting for a poll go to the webhook now.
    for (const e of this.pending.splice(0)) void this.deliver(e);
    return { url, updated_at: this.webhook.updatedAt };
  }

  // ------------------------------------------------------------------ the web chat

  /**
   * The web chat's Zalo side, shaped like the Telegram page API so the page renders both: the
   * page's person N is the Zalo user `d<N>` (the sandbox links them to the same person).
   * Posts take JSON only and, from a browser, only from the page's own origin.
   */
  private async page(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const route = `${req.method} ${url.pathname.slice(`${ZALO_EMULATOR_PATH}/sandbox`.length)}`;
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    if (
      (typeof site === 'string' && site !== 'same-origin' && site !== 'none') ||
      (typeof origin === 'string' &&
        origin !== `http://${req.headers.host}` &&
        origin !== `https://${req.headers.host}`)
    ) {
      sendJson(res, 403, { ok: false, error: 'forbidden' });
      return;
    }
    const pageUser = (v: unknown) => {
      const n = Number(v);
      if (!Number.isSafeInteger(n)) throw new Error('userId must be a whole number');
      return `d${n}`;
    };
    try {
      if (route === 'POST /send') {
        if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
          throw new Error('JSON only');
        const body = await readJson(req);
        const text = body.text;
        if (typeof text !== 'string' || text.length === 0 || text.length > 4096)
          throw new Error('text must be 1-4,096 characters');
        const user = pageUser(body.userId);
        if (!this.users.has(user)) throw new Error('unknown person');
        this.sendText(user, text);
        sendJson(res, 200, { ok: true });
        return;
      }
      if (route === 'GET /messages') {
        const chat = pageUser(url.searchParams.get('chatId'));
        const after = Number(url.searchParams.get('after') ?? 0) || 0;
        const collect = () => this.messages(chat).filter((m) => m.seq > after);
        let news = collect();
        if (news.length === 0) {
          await new Promise<void>((resolve) => {
            const off = this.subscribe((m) => {
              if (m.chatId === chat) done();
            });
            const timer = setTimeout(() => done(), 25_000);
            const done = () => {
              off();
              clearTimeout(timer);
              resolve();
            };
            res.once('close', done);
          });
          news = collect();
        }
        const numeric = Number(chat.slice(1));
        sendJson(res, 200, {
          seq: Math.max(after, this.seq),
          reset: after > this.seq,
          messages: news.map((m) => pageMessage(m, numeric)),
          deleted: [],
          toasts: [],
        });
        return;
      }
      sendJson(res, 404, { ok: false, error: 'not found' });
    } catch (err) {
      if (!res.headersSent) sendJson(res, 400, { ok: false, error: (err as Error).message });
    }
  }

  // ------------------------------------------------------------------ people

  addUser(u: ZaloEmuUser): void {
    this.users.set(u.id, u);
  }

  people(): ZaloEmuUser[] {
    return [...this.users.values()];
  }

  /** The person blocks the bot: every send to them is refused (`ok: false`). */
  blockBot(userId: string): void {
    this.blocked.add(userId);
  }

  unblockBot(userId: string): void {
    this.blocked.delete(userId);
  }

  /** The person writes `text`; resolves with the event (delivered by webhook or left for a poll). */
  sendText(userId: string, text: string): ZaloEvent {
    const m = this.append(userId, false, { text });
    return this.push(this.event('message.text.received', userId, m, { text }));
  }

  /** A sticker, a voice message, an image or a message Zalo withholds for privacy. */
  sendOther(
    userId: string,
    kind: 'sticker' | 'voice' | 'image' | 'unsupported' | string,
    extra: { photo?: string; caption?: string } = {},
  ): ZaloEvent {
    const m = this.append(userId, false, { text: `[${kind}]` });
    return this.push(this.event(`message.${kind}.received`, userId, m, extra));
  }

  /** The event again, as a platform retry would deliver it (same `message_id`). */
  redeliver(event: ZaloEvent): ZaloEvent {
    return this.push(event);
  }

  private event(name: string, userId: string, m: ZaloEmuMessage, extra: object): ZaloEvent {
    const u = this.users.get(userId);
    return {
      event_name: name,
      message: {
        message_id: m.message_id,
        date: m.date,
        from: { id: userId, ...(u ? { display_name: u.display_name } : {}), is_bot: false },
        chat: { id: userId, chat_type: 'PRIVATE' },
        ...extra,
      },
    };
  }

  private push(event: ZaloEvent): ZaloEvent {
    if (this.webhook) void this.deliver(event);
    else {
      const waiter = this.waiters.shift();
      if (waiter) waiter(event);
      else this.pending.push(event);
    }
    return event;
  }

  /** One POST per event, retried a few times while the bot answers anything but 2xx. */
  private async deliver(event: ZaloEvent): Promise<void> {
    const hook = this.webhook;
    if (!hook) return;
    for (let attempt = 0; attempt < 5 && !this.closed; attempt++) {
      const status = await this.postWebhook(event, hook.secret, hook.url).catch(() => 0);
      if (status >= 200 && status < 300) return;
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }

  /** Posts one event to the webhook as the platform does (tests pass a wrong secret, or none). */
  async postWebhook(event: ZaloEvent, secret: string | undefined, url = this.webhook?.url): Promise<number> {
    if (!url) throw new Error('no webhook set');
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret !== undefined ? { 'x-bot-api-secret-token': secret } : {}),
      },
      body: JSON.stringify({ ok: true, result: event }),
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status;
  }

  webhookInfo(): { url: string; secret: string } | undefined {
    return this.webhook ? { url: this.webhook.url, secret: this.webhook.secret } : undefined;
  }

  // ------------------------------------------------------------------ observing

  private append(chatId: string, fromBot: boolean, content: Partial<ZaloEmuMessage>): ZaloEmuMessage {
    const m: ZaloEmuMessage = {
      seq: ++this.seq,
      message_id: randomBytes(12).toString('hex'),
      chatId,
      fromBot,
      date: Date.now(),
      ...content,
    };
    const list = this.history.get(chatId) ?? [];
    list.push(m);
    if (list.length > 2000) list.splice(0, list.length - 2000);
    this.history.set(chatId, list);
    if (fromBot) this.stats.sent++;
    this.feed.emit('message', m);
    return m;
  }

  messages(chatId: string): ZaloEmuMessage[] {
    return [...(this.history.get(chatId) ?? [])];
  }

  botMessages(chatId: string): ZaloEmuMessage[] {
    return this.messages(chatId).filter((m) => m.fromBot);
  }

  callLog(): ZaloCall[] {
    return [...this.calls];
  }

  setRateLimits(limits: ZaloRateLimits | undefined): void {
    this.rate = limits;
    this.sendTimes = [];
    this.lastByChat.clear();
  }

  /** Forgets history, calls and stats (people and the webhook stay). */
  reset(): void {
    this.history.clear();
    this.calls = [];
    this.stats.calls = {};
    this.stats.sent = 0;
    this.stats.throttled429 = 0;
    this.stats.refused = 0;
  }

  /** Each new message in the sandbox page's feed. */
  subscribe(listener: (m: ZaloEmuMessage) => void): () => void {
    this.feed.on('message', listener);
    return () => this.feed.off('message', listener);
  }

  /**
   * Resolves with the first bot message in the chat matching `pred` after `since` (a message
   * seq; default: the chat's last message now). Rejects after `timeoutMs` listing recent ones.
   */
  waitForBotMessage(
    chatId: string,
    pred: (m: ZaloEmuMessage) => boolean = () => true,
    opts: { timeoutMs?: number; since?: number } = {},
  ): Promise<ZaloEmuMessage> {
    const list = this.history.get(chatId) ?? [];
    const since = opts.since ?? list[list.length - 1]?.seq ?? 0;
    const found = list.find((m) => m.seq > since && m.fromBot && pred(m));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const listener = (m: ZaloEmuMessage) => {
        if (m.chatId !== chatId || !m.fromBot || m.seq <= since || !pred(m)) return;
        clearTimeout(timer);
        this.feed.off('message', listener);
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.feed.off('message', listener);
        const recent = this.messages(chatId)
          .slice(-6)
          .map((m) => `${m.fromBot ? 'bot' : 'user'}: ${(m.text ?? m.photo ?? '').slice(0, 300)}`)
          .join('\n');
        reject(
          new Error(
            `No matching Zalo bot message in chat ${chatId} within ${opts.timeoutMs ?? 10_000} ms.\n${recent}`,
          ),
        );
      }, opts.timeoutMs ?? 10_000);
      this.feed.on('message', listener);
    });
  }
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw refused(413, 'Request Entity Too Large');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw refused(400, 'Bad Request: the body must be a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    if (err instanceof ZaloApiError) throw err;
    throw refused(400, 'Bad Request: the body is not JSON');
  }
}

/** The tags Zalo's html mode reads, each closed in order. */
function balancedHtml(text: string): boolean {
  const stack: string[] = [];
  for (const m of text.matchAll(/<(\/?)([a-z]+)[^>]*>/gi)) {
    const [, closing, tag = ''] = m;
    if (!['b', 'i', 'u', 's'].includes(tag.toLowerCase())) return false;
    if (closing) {
      if (stack.pop() !== tag.toLowerCase()) return false;
    } else stack.push(tag.toLowerCase());
  }
  return stack.length === 0 && !/<(?![/a-z])/i.test(text.replace(/&lt;/g, ''));
}

/** A Zalo message as the web chat renders messages: text with bold and italic entities. */
function pageMessage(m: ZaloEmuMessage, chatId: number) {
  const raw = m.text ?? [m.caption, m.photo].filter(Boolean).join('\n');
  const { text, entities } = m.parseMode === 'html' ? fromHtml(raw) : { text: raw, entities: [] };
  return {
    message_id: m.seq,
    from_bot: m.fromBot,
    chat: { id: chatId, type: 'private' },
    date: Math.floor(m.date / 1000),
    text,
    entities,
  };
}

/** Zalo html (b, i, u, s) as plain text and entities; everything else stays text. */
function fromHtml(html: string): {
  text: string;
  entities: { type: string; offset: number; length: number }[];
} {
  const names: Record<string, string> = { b: 'bold', i: 'italic', u: 'underline', s: 'strikethrough' };
  const entities: { type: string; offset: number; length: number }[] = [];
  const open: { tag: string; offset: number }[] = [];
  let text = '';
  for (const part of html.split(/(<\/?[bius]>)/)) {
    const tag = /^<(\/?)([bius])>$/.exec(part);
    if (tag) {
      if (!tag[1]) open.push({ tag: tag[2]!, offset: text.length });
      else {
        const start = open.pop();
        if (start)
          entities.push({
            type: names[start.tag]!,
            offset: start.offset,
            length: text.length - start.offset,
          });
      }
      continue;
    }
    text += part
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  }
  return { text, entities };
}
