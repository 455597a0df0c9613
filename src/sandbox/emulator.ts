/**
 * A local Telegram Bot API: the real bot (telegraf with `telegram: { apiRoot }`) talks to it over
 * HTTP exactly as to api.telegram.org, while tests and the sandbox web chat act as the people
 * writing to the bot. It keeps Telegram's rules that shape the bot's code: who the bot may write
 * to, text and button limits, no lone surrogates, HTML parsing, no edit that changes nothing,
 * one answer per button press, 403 for a blocked user, flood control with `retry_after`,
 * unconfirmed updates delivered again, and a webhook retried until it answers (on loopback only:
 * the emulator runs inside the deployment).
 *
 * Parts: HTTP routing (`handle`), the Bot API methods (one private method each, listed in
 * `botMethods`), faults and flood control for sends, acting as people, and observing. State lives
 * in helpers: ChatStore (people, chats, history), UpdateQueue (polling and webhook), FileStore,
 * SendRateLimiter; the page's control API is SandboxPageApi.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BotCommand, CallbackQuery, Message, Update, User } from '@telegraf/types';
import { sendJson } from '../infra/httpServer.js';
import { sleep } from '../infra/sleep.js';
import { BotApiError, badRequest, forbidden, serverError, tooManyRequests } from './apiError.js';
import {
  ChatStore,
  type EmuGroup,
  type EmuMessage,
  type EmuUser,
  type MessageDraft,
  type Toast,
} from './chatStore.js';
import { downloadHeaders, FileStore, type StoredFile } from './fileStore.js';
import { type FormattedText, formatText, type TextEntity } from './formatting.js';
import { isInlineKeyboard, parseReplyMarkup, type ReplyMarkup } from './markup.js';
import { SandboxPageApi } from './pageApi.js';
import { type FloodDecision, type RateLimits, SendRateLimiter } from './rateLimiter.js';
import { RequestParams, readRequestParams } from './requestParams.js';
import { UpdateQueue } from './updateQueue.js';
import { encodesAsUtf8 } from './utf8.js';

export type { EmuGroup, EmuMessage, EmuUser, Toast } from './chatStore.js';
export type { FloodDecision, RateLimits } from './rateLimiter.js';

export interface EmulatorOptions {
  /** @defaultValue 7000000001 */
  botId?: number;
  /** @defaultValue 'chibo_sandbox_bot' */
  botUsername?: string;
  /** @defaultValue 'Chi bộ (sandbox)' */
  botFirstName?: string;
  /** Telegram-like limits for bot-initiated sends; off by default. */
  rateLimits?: RateLimits | false;
  /** Where uploaded and sent files are kept. @defaultValue a temporary directory, removed by close() */
  fileDir?: string;
  /** The clock flood control reads, in ms; tests freeze it to make bursts exact. @defaultValue Date.now */
  now?: () => number;
}

/** One Bot API call as the emulator answered it. */
export interface CallLogEntry {
  method: string;
  params: Record<string, unknown>;
  /** When the call arrived: ms since epoch, to a fraction of a ms (benchmarks time sub-ms answers). */
  at: number;
  /** HTTP status answered; 0 when the client gave up during an injected hang and the call was dropped. */
  status: number;
  /** Telegram's description of a refused call ("Bad Request: message is too long"). */
  description?: string;
}

export interface EmulatorStats {
  /** Bot API calls by method name. */
  calls: Record<string, number>;
  /** Messages the bot sent successfully (sendMessage, sendDocument, sendPhoto, copyMessage). */
  sent: number;
  /** Calls answered 429 by flood control. */
  throttled429: number;
  /** Calls answered with any other error (4xx, injected 5xx). */
  errors: number;
}

/** Faults to inject, for tests of retries, timeouts and flood control. */
export interface EmulatorFaults {
  /** The next `count` sends to `chatId` answer `status` (default 500) and deliver nothing. */
  failNext(chatId: number, count: number, status?: 500 | 502 | 503): void;
  /**
   * The next `count` sends to `chatId` stall `ms` before being handled. If the client gives up
   * meanwhile (its timeout), the send is dropped: nothing is delivered and nothing answered.
   */
  hangNext(chatId: number, count: number, ms: number): void;
  /** Switches flood control on (with these limits) or off, starting with empty windows. */
  setRateLimits(limits: RateLimits | false | undefined): void;
}

/** The whole-file upload or reference of a person's document. */
export interface UserFile {
  name: string;
  content: Buffer;
  mime?: string;
}

type BotMethod = (p: RequestParams, call: CallContext) => unknown;

interface CallContext {
  /** Aborted when the client closes the connection before the answer. */
  signal: AbortSignal;
}

/** A send abandoned because its client went away during an injected hang. */
class CallDropped extends Error {}

const MAX_TEXT_LENGTH = 4096;
const MAX_CAPTION_LENGTH = 1024;
const leadingCommand = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)/;

export class BotApiEmulator {
  readonly botUsername: string;
  readonly botFirstName: string;
  readonly stats: EmulatorStats = { calls: {}, sent: 0, throttled429: 0, errors: 0 };
  readonly faults: EmulatorFaults;

  private readonly bot: User;
  private readonly chats = new ChatStore();
  private readonly files: FileStore;
  private readonly updates: UpdateQueue;
  private readonly limiter: SendRateLimiter;
  private readonly pageApi: SandboxPageApi;
  private readonly methods: ReadonlyMap<string, { name: string; run: BotMethod }>;
  /** Command menus by scope and language (see `scopeKey`). */
  private readonly commands = new Map<string, BotCommand[]>();
  private readonly menuButtons = new Map<string, unknown>();
  private readonly callbackQueries = new Map<string, { userId: number; chatId: number; answered: boolean }>();
  private readonly failures = new Map<number, { count: number; status: 500 | 502 | 503 }>();
  private readonly hangs = new Map<number, { count: number; ms: number }>();
  private log: CallLogEntry[] = [];
  private nextCallbackId = 1;
  private server: http.Server | undefined;
  private readonly lifetime = new AbortController();
  private readonly now: () => number;

  constructor(opts: EmulatorOptions = {}) {
    this.botUsername = opts.botUsername ?? 'chibo_sandbox_bot';
    this.botFirstName = opts.botFirstName ?? 'Chi bộ (sandbox)';
    this.bot = {
      id: opts.botId ?? 7000000001,
      is_bot: true,
      first_name: this.botFirstName,
      username: this.botUsername,
    };
    this.now = opts.now ?? Date.now;
    this.files = new FileStore(opts.fileDir);
    this.limiter = new SendRateLimiter(opts.rateLimits ?? false);
    this.updates = new UpdateQueue((call) => this.runWebhookReply(call));
    this.pageApi = new SandboxPageApi(this, this.chats, this.files);
    this.methods = new Map(
      Object.entries(this.botMethods()).map(([name, run]) => [name.toLowerCase(), { name, run }] as const),
    );
    this.faults = {
      failNext: (chatId, count, status = 500) => {
        this.failures.set(chatId, { count, status });
      },
      hangNext: (chatId, count, ms) => {
        this.hangs.set(chatId, { count, ms });
      },
      setRateLimits: (limits) => this.limiter.setLimits(limits ?? false),
    };
  }

  // ------------------------------------------------------------------ HTTP

  /**
   * Handles Bot API calls (`/bot<token>/<method>`), file downloads (`/file/bot<token>/<path>`)
   * and the page's control API (`/sandbox/api/...`). Resolves false for any other path, so a
   * host server can fall through to its own routes. Bot API calls from a browser are refused:
   * only the bot calls them.
   */
  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const api = /^\/bot([^/]*)\/(?:test\/)?([^/]+)\/?$/.exec(url.pathname);
    const file = /^\/file\/bot\d+:[^/]+\/(?:test\/)?(.+)$/.exec(url.pathname);
    if ((api || file) && fromWebPage(req)) {
      // Only the bot calls the Bot API. A web page could otherwise post a plain form here
      // (no preflight) and confirm, read or send updates as the bot.
      sendJson(res, 403, {
        ok: false,
        error_code: 403,
        description: 'Forbidden: the sandbox Bot API does not take calls from web pages',
      });
      return true;
    }
    if (api) {
      if (!/^\d+:.+$/.test(decodeURIComponent(api[1]!))) {
        sendJson(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      } else {
        await this.serveBotApi(api[2]!, req, res, url);
      }
      return true;
    }
    if (file) {
      this.serveFile(decodeURIComponent(file[1]!), res);
      return true;
    }
    if (url.pathname.startsWith('/sandbox/api/')) {
      await this.pageApi.handle(req, res, url);
      return true;
    }
    return false;
  }

  /** Starts a standalone server for tests; resolves with the base URL to use as TELEGRAM_API_ROOT. */
  async listen(port = 0): Promise<string> {
    const server = http.createServer((req, res) => {
      this.handle(req, res)
        .then((handled) => {
          if (!handled) sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
        })
        .catch((err: unknown) => {
          if (!res.headersSent) sendJson(res, 500, { ok: false, error_code: 500, description: String(err) });
        });
    });
    // getUpdates and the page's feed are long polls.
    server.requestTimeout = 0;
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Answers waiting long polls, stops webhook delivery, closes the server and removes temporary files. */
  async close(): Promise<void> {
    this.lifetime.abort();
    this.updates.close();
    this.pageApi.close();
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    this.files.close();
  }

  private async serveBotApi(method: string, req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const at = performance.timeOrigin + performance.now();
    const entry = this.methods.get(method.toLowerCase());
    const name = entry?.name ?? method;
    const client = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) client.abort();
    });
    let params: RequestParams | undefined;
    let status: number;
    let body: unknown;
    let description: string | undefined;
    try {
      params = await readRequestParams(req, url);
      this.stats.calls[name] = (this.stats.calls[name] ?? 0) + 1;
      if (!entry) throw new BotApiError(404, 'Not Found');
      const result = await entry.run(params, { signal: client.signal });
      status = 200;
      body = { ok: true, result };
    } catch (err) {
      if (err instanceof CallDropped) {
        this.log.push({ method: name, params: params?.toLog() ?? {}, at, status: 0 });
        res.destroy();
        return;
      }
      const apiError =
        err instanceof BotApiError
          ? err
          : new BotApiError(
              500,
              `Internal Server Error: ${err instanceof Error ? err.message : String(err)}`,
            );
      status = apiError.errorCode;
      body = apiError.toBody();
      description = apiError.description;
      if (status === 429) this.stats.throttled429++;
      else this.stats.errors++;
    }
    this.log.push({
      method: name,
      params: params?.toLog() ?? {},
      at,
      status,
      ...optional('description', description),
    });
    if (!res.writableEnded && !res.destroyed) sendJson(res, status, body);
  }

  private serveFile(filePath: string, res: http.ServerResponse): void {
    const file = this.files.getByPath(filePath);
    if (!file) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const content = this.files.read(file);
    res.writeHead(200, { ...downloadHeaders(file), 'content-length': content.length });
    res.end(content);
  }

  // ------------------------------------------------------------------ Bot API methods

  /** Every method the emulator answers; anything else is 404 Not Found (names are case-insensitive). */
  private botMethods(): Record<string, BotMethod> {
    return {
      getMe: () => ({
        ...this.bot,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
      }),
      getUpdates: (p, c) => this.getUpdates(p, c),
      setWebhook: (p) => this.setWebhook(p),
      deleteWebhook: (p) => {
        this.updates.deleteWebhook(p.bool('drop_pending_updates'));
        return true;
      },
      getWebhookInfo: () => this.updates.webhookInfo(),
      sendMessage: (p, c) => this.sendMessage(p, c),
      sendDocument: (p, c) => this.sendMedia('document', p, c),
      sendPhoto: (p, c) => this.sendMedia('photo', p, c),
      copyMessage: (p, c) => this.copyMessage(p, c),
      editMessageText: (p) => this.editMessageText(p),
      editMessageCaption: (p) => this.editMessageCaption(p),
      editMessageReplyMarkup: (p) => this.editMessageReplyMarkup(p),
      deleteMessage: (p) => this.deleteMessage(p),
      answerCallbackQuery: (p) => this.answerCallbackQuery(p),
      sendChatAction: (p) => {
        this.recipient(this.chatIdParam(p));
        return true;
      },
      getChat: (p) => this.recipient(this.chatIdParam(p)).chat,
      getFile: (p) => this.getFile(p),
      setMyCommands: (p) => this.setMyCommands(p),
      getMyCommands: (p) => this.commands.get(this.scopeKey(p)) ?? [],
      deleteMyCommands: (p) => {
        this.commands.delete(this.scopeKey(p));
        return true;
      },
      setChatMenuButton: (p) => {
        this.menuButtons.set(p.string('chat_id') ?? 'default', p.json('menu_button') ?? { type: 'default' });
        return true;
      },
      getChatMenuButton: (p) =>
        this.menuButtons.get(p.string('chat_id') ?? 'default') ?? { type: 'commands' },
    };
  }

  private getUpdates(p: RequestParams, c: CallContext): Promise<Update[]> {
    const allowed = p.json('allowed_updates');
    return this.updates.getUpdates(
      {
        ...optional('offset', p.int('offset')),
        ...optional('limit', p.int('limit')),
        ...optional('timeout', p.int('timeout')),
        ...optional('allowedUpdates', Array.isArray(allowed) ? allowed.map(String) : undefined),
      },
      c.signal,
    );
  }

  private setWebhook(p: RequestParams): true {
    const url = p.string('url') ?? '';
    const drop = p.bool('drop_pending_updates');
    if (url === '') {
      this.updates.deleteWebhook(drop);
      return true;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
    }
    // Telegram insists on HTTPS; the sandbox also takes plain HTTP so local servers can be used.
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    }
    // The emulator posts to the webhook from inside the deployment: a target elsewhere would
    // let whoever reaches the sandbox make it call internal addresses.
    if (!isLoopbackUrlHost(parsed.hostname)) {
      throw badRequest(
        'bad webhook: Webhook can be set up only on loopback addresses (127.0.0.0/8, ::1, localhost) in the sandbox',
      );
    }
    const secret = p.string('secret_token');
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw badRequest('secret token contains unallowed characters');
    }
    const allowed = p.json('allowed_updates');
    this.updates.setWebhook(
      {
        url,
        ...optional('secretToken', secret),
        ...optional('allowedUpdates', Array.isArray(allowed) ? allowed.map(String) : undefined),
        ...optional('maxConnections', p.int('max_connections')),
      },
      drop,
    );
    return true;
  }

  private async sendMessage(p: RequestParams, c: CallContext): Promise<Message> {
    const chatId = this.chatIdParam(p);
    await this.applyFaults(chatId, c.signal);
    this.recipient(chatId);
    const raw = p.string('text') ?? '';
    const parseMode = p.string('parse_mode');
    const formatted = this.messageText(raw, parseMode, p.json('entities'));
    const markup = parseReplyMarkup(p.json('reply_markup'));
    const replyTo = this.replyTarget(chatId, p);
    this.throttle(chatId);
    const message = this.chats.append(chatId, {
      ...this.fromBot(),
      text: formatted.text,
      ...formattingFields(formatted, 'entities', parseMode, raw),
      ...optional('reply_markup', markup),
      ...optional('reply_to_message', replyTo),
    });
    this.stats.sent++;
    return this.wire(message);
  }

  private async sendMedia(kind: 'document' | 'photo', p: RequestParams, c: CallContext): Promise<Message> {
    const chatId = this.chatIdParam(p);
    await this.applyFaults(chatId, c.signal);
    this.recipient(chatId);
    const file = this.fileParam(p, kind);
    const rawCaption = p.string('caption');
    const parseMode = p.string('parse_mode');
    const caption = rawCaption
      ? this.captionText(rawCaption, parseMode, p.json('caption_entities'))
      : undefined;
    const markup = parseReplyMarkup(p.json('reply_markup'));
    const replyTo = this.replyTarget(chatId, p);
    this.throttle(chatId);
    const message = this.chats.append(chatId, {
      ...this.fromBot(),
      ...mediaFields(file),
      ...(caption && rawCaption
        ? { caption: caption.text, ...formattingFields(caption, 'caption_entities', parseMode, rawCaption) }
        : {}),
      ...optional('reply_markup', markup),
      ...optional('reply_to_message', replyTo),
    });
    this.stats.sent++;
    return this.wire(message);
  }

  private async copyMessage(p: RequestParams, c: CallContext): Promise<{ message_id: number }> {
    const chatId = this.chatIdParam(p);
    const fromChatId = p.requireInt('from_chat_id');
    const source = this.chats.message(fromChatId, p.requireInt('message_id'));
    if (!source) throw badRequest('message to copy not found');
    await this.applyFaults(chatId, c.signal);
    this.recipient(chatId);
    const markup = parseReplyMarkup(p.json('reply_markup'));
    const caption = p.string('caption');
    if (caption !== undefined) checkUtf8(caption, p.string('parse_mode'));
    this.throttle(chatId);
    const message = this.chats.append(chatId, {
      ...this.fromBot(),
      ...optional('text', source.text),
      ...optional('entities', source.entities),
      ...optional('document', source.document),
      ...optional('photo', source.photo),
      ...optional('caption', caption ?? source.caption),
      ...optional('reply_markup', markup),
    });
    this.stats.sent++;
    return { message_id: message.message_id };
  }

  private editMessageText(p: RequestParams): Message {
    const { chatId, message } = this.editTarget(p);
    if (message.text === undefined) throw badRequest('there is no text in the message to edit');
    const raw = p.string('text') ?? '';
    const parseMode = p.string('parse_mode');
    const formatted = this.messageText(raw, parseMode, p.json('entities'));
    // As in Telegram, an edit without reply_markup removes the inline keyboard.
    const markup = this.inlineMarkupParam(p);
    const unchanged =
      formatted.text === message.text &&
      sameJson(formatted.entities, message.entities ?? []) &&
      sameJson(markup, message.reply_markup);
    if (unchanged) throw notModified();
    const edited = this.chats.edit(chatId, message.message_id, {
      text: formatted.text,
      entities: formatted.entities.length > 0 ? formatted.entities : undefined,
      parse_mode: parseMode,
      raw_text: parseMode ? raw : undefined,
      reply_markup: markup,
    });
    return this.wire(edited);
  }

  private editMessageCaption(p: RequestParams): Message {
    const { chatId, message } = this.editTarget(p);
    if (!message.document && !message.photo) throw badRequest('there is no caption in the message to edit');
    const raw = p.string('caption') ?? '';
    const parseMode = p.string('parse_mode');
    const caption =
      raw === '' ? { text: '', entities: [] } : this.captionText(raw, parseMode, p.json('caption_entities'));
    const markup = this.inlineMarkupParam(p);
    const unchanged =
      caption.text === (message.caption ?? '') &&
      sameJson(caption.entities, message.caption_entities ?? []) &&
      sameJson(markup, message.reply_markup);
    if (unchanged) throw notModified();
    const edited = this.chats.edit(chatId, message.message_id, {
      caption: caption.text === '' ? undefined : caption.text,
      caption_entities: caption.entities.length > 0 ? caption.entities : undefined,
      parse_mode: parseMode,
      raw_text: parseMode ? raw : undefined,
      reply_markup: markup,
    });
    return this.wire(edited);
  }

  private editMessageReplyMarkup(p: RequestParams): Message {
    const { chatId, message } = this.editTarget(p);
    const markup = this.inlineMarkupParam(p);
    if (sameJson(markup, message.reply_markup)) throw notModified();
    return this.wire(this.chats.edit(chatId, message.message_id, { reply_markup: markup }));
  }

  private deleteMessage(p: RequestParams): true {
    const chatId = this.chatIdParam(p);
    if (!this.chats.delete(chatId, p.requireInt('message_id')))
      throw badRequest('message to delete not found');
    return true;
  }

  private answerCallbackQuery(p: RequestParams): true {
    const query = this.callbackQueries.get(p.string('callback_query_id') ?? '');
    if (!query || query.answered) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    const text = p.string('text');
    if (text !== undefined) checkUtf8(text, undefined);
    query.answered = true;
    const url = p.string('url');
    if (text || url) this.chats.addToast(query.userId, query.chatId, text ?? '', p.bool('show_alert'), url);
    return true;
  }

  private getFile(p: RequestParams) {
    const file = this.files.get(p.string('file_id') ?? '');
    if (!file) throw badRequest('invalid file_id');
    return {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.file_size,
      file_path: file.file_path,
    };
  }

  private setMyCommands(p: RequestParams): true {
    const commands = p.json('commands');
    if (!Array.isArray(commands)) throw badRequest("can't parse commands JSON object");
    if (commands.length > 100) throw badRequest('too many commands');
    const checked = commands.map((raw): BotCommand => {
      const c = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) {
        throw badRequest('BOT_COMMAND_INVALID');
      }
      if (typeof c.description === 'string' && !encodesAsUtf8(c.description)) {
        throw badRequest('command description must be encoded in UTF-8');
      }
      if (typeof c.description !== 'string' || c.description.trim() === '' || c.description.length > 256) {
        throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
      }
      return { command: c.command, description: c.description };
    });
    const key = this.scopeKey(p);
    if (checked.length === 0) this.commands.delete(key);
    else this.commands.set(key, checked);
    return true;
  }

  /** A webhook answered with a method call: run it as if the bot had called it. */
  private async runWebhookReply(call: Record<string, unknown>): Promise<void> {
    const entry = this.methods.get(String(call.method).toLowerCase());
    if (!entry) return;
    const { method: _method, ...params } = call;
    const at = performance.timeOrigin + performance.now();
    let status = 200;
    let description: string | undefined;
    try {
      await entry.run(new RequestParams(params), { signal: this.lifetime.signal });
    } catch (err) {
      status = err instanceof BotApiError ? err.errorCode : 500;
      description = err instanceof BotApiError ? err.description : String(err);
    }
    this.stats.calls[entry.name] = (this.stats.calls[entry.name] ?? 0) + 1;
    this.log.push({ method: entry.name, params, at, status, ...optional('description', description) });
  }

  // ------------------------------------------------------------------ method helpers

  private chatIdParam(p: RequestParams): number {
    const raw = p.string('chat_id');
    if (raw === undefined || raw === '') throw badRequest('chat_id is empty');
    const id = Number(raw);
    // "@channelusername" targets are not modelled: only chats the sandbox knows exist.
    if (!Number.isSafeInteger(id)) throw badRequest('chat not found');
    return id;
  }

  /** The chat the bot wants to write to, if Telegram would let it. */
  private recipient(chatId: number) {
    if (chatId > 0) {
      const record = this.chats.get(chatId);
      if (!record?.started) throw badRequest('chat not found');
      if (record.blocked) throw forbidden('bot was blocked by the user');
      return record;
    }
    const record = this.chats.open(chatId);
    if (!record) throw badRequest('chat not found');
    return record;
  }

  private messageText(raw: string, parseMode: string | undefined, entities: unknown): FormattedText {
    if (raw.trim() === '') throw badRequest('message text is empty');
    checkUtf8(raw, parseMode);
    const formatted = formatText(raw, parseMode, entities);
    if (formatted.text.trim() === '') throw badRequest('message text is empty');
    if (formatted.text.length > MAX_TEXT_LENGTH) throw badRequest('message is too long');
    return formatted;
  }

  private captionText(raw: string, parseMode: string | undefined, entities: unknown): FormattedText {
    checkUtf8(raw, parseMode);
    const formatted = formatText(raw, parseMode, entities);
    if (formatted.text.length > MAX_CAPTION_LENGTH) throw badRequest('message caption is too long');
    return formatted;
  }

  private replyTarget(chatId: number, p: RequestParams): Message | undefined {
    const params = p.json('reply_parameters') as
      | { message_id?: unknown; allow_sending_without_reply?: unknown }
      | undefined;
    const id = typeof params?.message_id === 'number' ? params.message_id : p.int('reply_to_message_id');
    if (id === undefined) return undefined;
    const target = this.chats.message(chatId, id);
    if (target) return this.wire(target, { withReply: false });
    if (params?.allow_sending_without_reply === true || p.bool('allow_sending_without_reply'))
      return undefined;
    throw badRequest('message to be replied not found');
  }

  private editTarget(p: RequestParams): { chatId: number; message: EmuMessage } {
    if (p.has('inline_message_id')) throw badRequest('MESSAGE_ID_INVALID');
    const chatId = this.chatIdParam(p);
    const message = this.chats.message(chatId, p.requireInt('message_id'));
    if (!message) throw badRequest('message to edit not found');
    if (!message.from_bot) throw badRequest("message can't be edited");
    return { chatId, message };
  }

  /** Edits take only inline keyboards; none given means none kept. */
  private inlineMarkupParam(p: RequestParams): ReplyMarkup | undefined {
    const markup = parseReplyMarkup(p.json('reply_markup'));
    if (markup !== undefined && !isInlineKeyboard(markup)) throw badRequest('inline keyboard expected');
    return markup;
  }

  private fileParam(p: RequestParams, field: 'document' | 'photo'): StoredFile {
    const upload = p.upload(field);
    if (upload) {
      if (upload.content.length === 0) throw badRequest('file must be non-empty');
      return this.files.save(upload.content, field, upload.fileName, upload.mimeType);
    }
    const ref = p.string(field);
    if (!ref) throw badRequest(`there is no ${field} in the request`);
    const existing = this.files.get(ref);
    if (existing) return existing;
    if (/^https?:\/\//i.test(ref)) throw badRequest('failed to get HTTP URL content');
    throw badRequest('wrong file identifier/HTTP URL specified');
  }

  private scopeKey(p: RequestParams): string {
    const scope = (p.json('scope') ?? { type: 'default' }) as {
      type?: unknown;
      chat_id?: unknown;
      user_id?: unknown;
    };
    const type = String(scope.type ?? 'default');
    const known = [
      'default',
      'all_private_chats',
      'all_group_chats',
      'all_chat_administrators',
      'chat',
      'chat_administrators',
      'chat_member',
    ];
    if (!known.includes(type)) throw badRequest("can't parse BotCommandScope JSON object");
    let chatId = '';
    if (type.startsWith('chat')) {
      const id = Number(scope.chat_id);
      if (!Number.isSafeInteger(id)) throw badRequest('chat not found');
      if (id > 0 && !this.chats.get(id)?.started) throw badRequest('chat not found');
      if (id < 0 && !this.chats.group(id)) throw badRequest('chat not found');
      chatId = String(id);
    }
    const userId = type === 'chat_member' ? String(scope.user_id ?? '') : '';
    return `${type}:${chatId}:${userId}|${p.string('language_code') ?? ''}`;
  }

  // ------------------------------------------------------------------ faults and flood control

  /** Injected hangs and 5xx for sends to `chatId`, in that order. */
  private async applyFaults(chatId: number, signal: AbortSignal): Promise<void> {
    const hang = this.hangs.get(chatId);
    if (hang && hang.count > 0) {
      hang.count--;
      await sleep(hang.ms, AbortSignal.any([signal, this.lifetime.signal]));
      if (signal.aborted || this.lifetime.signal.aborted) throw new CallDropped();
    }
    const failure = this.failures.get(chatId);
    if (failure && failure.count > 0) {
      failure.count--;
      throw serverError(failure.status);
    }
  }

  private throttle(chatId: number): void {
    const retryAfter = this.limiter.tryAcquire(chatId, this.now());
    if (retryAfter > 0) throw tooManyRequests(retryAfter);
  }

  // ------------------------------------------------------------------ people and chats

  addUser(u: EmuUser): void {
    this.chats.addUser(u);
  }

  users(): EmuUser[] {
    return this.chats.users();
  }

  addGroup(g: EmuGroup): void {
    this.chats.addGroup(g);
  }

  groups(): EmuGroup[] {
    return this.chats.groups();
  }

  // ------------------------------------------------------------------ acting as a person

  /**
   * The person writes `text` (to the bot, or in group `chatId`). A leading /command gets its
   * bot_command entity. Writing to the bot opens the private chat, so the bot may answer; it
   * also lifts a block, as pressing "Restart" does.
   */
  sendText(
    userId: number,
    text: string,
    opts: { chatId?: number } = {},
  ): Update.MessageUpdate<Message.TextMessage> {
    const chatId = this.personChat(userId, opts.chatId);
    const command = leadingCommand.exec(text);
    const message = this.chats.append(chatId, {
      from: this.chats.telegramUser(userId),
      from_bot: false,
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
    });
    return this.updates.push((update_id) => ({
      update_id,
      message: this.wire(message) as Update.MessageUpdate<Message.TextMessage>['message'],
    }));
  }

  /** The person presses an inline button carrying `data` on message `messageId`. */
  pressButton(userId: number, chatId: number, messageId: number, data: string): Update.CallbackQueryUpdate {
    const message = this.chats.message(chatId, messageId);
    if (!message) throw new Error(`No message ${messageId} in chat ${chatId} to press a button on`);
    const id = `${this.bot.id}${String(this.nextCallbackId++).padStart(8, '0')}`;
    this.callbackQueries.set(id, { userId, chatId, answered: false });
    const query: CallbackQuery.DataQuery = {
      id,
      from: this.chats.telegramUser(userId),
      message: this.wire(message),
      chat_instance: String(-chatId * 7 + 1_000_000_007),
      data,
    };
    return this.updates.push((update_id) => ({ update_id, callback_query: query }));
  }

  /** The person sends a file (e.g. a CSV); the bot can fetch it with getFile. */
  sendDocument(
    userId: number,
    file: UserFile,
    opts: { caption?: string; chatId?: number } = {},
  ): Update.MessageUpdate<Message.DocumentMessage> {
    const chatId = this.personChat(userId, opts.chatId);
    const stored = this.files.save(file.content, 'document', file.name, file.mime);
    const message = this.chats.append(chatId, {
      from: this.chats.telegramUser(userId),
      from_bot: false,
      ...mediaFields(stored),
      ...optional('caption', opts.caption),
    });
    return this.updates.push((update_id) => ({
      update_id,
      message: this.wire(message) as Update.MessageUpdate<Message.DocumentMessage>['message'],
    }));
  }

  /**
   * The person edits their own message `messageId` in `chatId` to `text`. Telegram sends an
   * `edited_message` update, which reaches only a bot that asked for that update type.
   */
  editText(userId: number, chatId: number, messageId: number, text: string): Update.EditedMessageUpdate {
    const old = this.chats.message(chatId, messageId);
    if (!old || old.from_bot || old.from.id !== userId || old.text === undefined)
      throw new Error(`User ${userId} has no text message ${messageId} in chat ${chatId} to edit`);
    const command = leadingCommand.exec(text);
    const edited = this.chats.edit(chatId, messageId, {
      text,
      entities: command ? [{ type: 'bot_command', offset: 0, length: command[0].length }] : undefined,
    });
    return this.updates.push((update_id) => ({
      update_id,
      edited_message: this.wire(edited) as Update.EditedMessageUpdate['edited_message'],
    }));
  }

  /** The person sends a sticker (something the bot cannot read). */
  sendSticker(
    userId: number,
    opts: { emoji?: string; chatId?: number } = {},
  ): Update.MessageUpdate<Message.StickerMessage> {
    const chatId = this.personChat(userId, opts.chatId);
    const n = this.chats.currentSeq + 1;
    const message = this.chats.append(chatId, {
      from: this.chats.telegramUser(userId),
      from_bot: false,
      sticker: {
        file_id: `sticker-${n}`,
        file_unique_id: `st${n}`,
        type: 'regular',
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        ...optional('emoji', opts.emoji),
      },
    });
    return this.updates.push((update_id) => ({
      update_id,
      message: this.wire(message) as Update.MessageUpdate<Message.StickerMessage>['message'],
    }));
  }

  /**
   * The person blocks the bot: sends to them answer 403, and the bot gets a my_chat_member update
   * (returned; undefined when the bot was blocked already).
   */
  blockBot(userId: number): Update.MyChatMemberUpdate | undefined {
    const record = this.chats.open(userId);
    if (!record || record.blocked) return undefined;
    record.blocked = true;
    return this.pushMembership(userId, 'member', 'kicked');
  }

  unblockBot(userId: number): Update.MyChatMemberUpdate | undefined {
    const record = this.chats.get(userId);
    if (!record?.blocked) return undefined;
    record.blocked = false;
    return this.pushMembership(userId, 'kicked', 'member');
  }

  // ------------------------------------------------------------------ observing

  /** The chat's whole history in order, both sides, with edits applied and deletions removed. */
  messages(chatId: number): EmuMessage[] {
    return this.chats.history(chatId);
  }

  botMessages(chatId: number): EmuMessage[] {
    return this.chats.history(chatId).filter((m) => m.from_bot);
  }

  /** Notes the bot showed this person with answerCallbackQuery, oldest first. */
  toasts(userId: number): Toast[] {
    return this.chats.toastsSince(userId, 0);
  }

  /** The person's command menu: the chat scope first, then all private chats, then the default. */
  menuFor(userId: number): BotCommand[] {
    for (const type of [`chat:${userId}`, 'all_private_chats:', 'default:']) {
      for (const lang of ['vi', '']) {
        const found = this.commands.get(`${type}:|${lang}`);
        if (found) return found;
      }
    }
    return [];
  }

  /**
   * Resolves with the first bot message in `chatId` that matches `pred` and is newer than
   * message `since` (default: the chat's last message at call time) or edited after this call.
   * Rejects after `timeoutMs` (default 10 s) listing the chat's recent messages.
   */
  waitForBotMessage(
    chatId: number,
    pred: (m: EmuMessage) => boolean = () => true,
    opts: { timeoutMs?: number; since?: number } = {},
  ): Promise<EmuMessage> {
    const history = this.chats.history(chatId);
    const since = opts.since ?? history[history.length - 1]?.message_id ?? 0;
    const timeoutMs = opts.timeoutMs ?? 10_000;
    return new Promise<EmuMessage>((resolve, reject) => {
      const check = (m: EmuMessage): boolean => {
        try {
          return m.from_bot && pred(m);
        } catch (err) {
          finish();
          reject(err);
          return false;
        }
      };
      const existing = history.find((m) => m.message_id > since && check(m));
      if (existing) return resolve(existing);
      const unsubscribe = this.chats.subscribe((change) => {
        if (change.chatId !== chatId || (change.kind !== 'sent' && change.kind !== 'edited')) return;
        if (change.kind === 'sent' && change.message.message_id <= since) return;
        if (!check(change.message)) return;
        finish();
        resolve(change.message);
      }, chatId);
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `No matching bot message in chat ${chatId} within ${timeoutMs} ms (after message ${since}). ` +
              `Recent messages:\n${this.describeRecent(chatId)}`,
          ),
        );
      }, timeoutMs);
      function finish() {
        unsubscribe();
        clearTimeout(timer);
      }
    });
  }

  /** Updates the bot has not confirmed yet (a later getUpdates offset confirms them). */
  unconfirmedUpdates(): number {
    return this.updates.pendingCount;
  }

  /** Every Bot API call so far, oldest first. */
  callLog(): CallLogEntry[] {
    return [...this.log];
  }

  /** Flood control's decisions on sends (the latest 20,000), on its own clock: what it counted, what it refused and why. */
  floodDecisions(): FloodDecision[] {
    return this.limiter.decisions();
  }

  /** Clears chats, messages, pending updates, faults, flood windows and stats. People, groups, command menus and the webhook stay. */
  reset(): void {
    this.chats.clear();
    this.updates.clear();
    this.callbackQueries.clear();
    this.failures.clear();
    this.hangs.clear();
    this.limiter.clear();
    this.log = [];
    this.stats.calls = {};
    this.stats.sent = 0;
    this.stats.throttled429 = 0;
    this.stats.errors = 0;
  }

  // ------------------------------------------------------------------ internals

  private fromBot(): Pick<MessageDraft, 'from' | 'from_bot'> {
    return { from: this.bot, from_bot: true };
  }

  /** The chat a person writes in; a private chat's id is the person's id. */
  private personChat(userId: number, chatId = userId): number {
    this.chats.telegramUser(userId);
    if (chatId > 0 && chatId !== userId)
      throw new Error(`A private chat's id is the user's id (${userId}), not ${chatId}`);
    if (chatId < 0) {
      const group = this.chats.group(chatId);
      if (!group) throw new Error(`Unknown group ${chatId}; add it with addGroup first`);
      if (!group.memberIds.includes(userId))
        throw new Error(`User ${userId} is not a member of group ${chatId}`);
    }
    const record = this.chats.open(chatId)!;
    if (chatId > 0) {
      if (record.blocked) this.unblockBot(userId);
      record.started = true;
    }
    return chatId;
  }

  private pushMembership(
    userId: number,
    from: 'member' | 'kicked',
    to: 'member' | 'kicked',
  ): Update.MyChatMemberUpdate {
    const record = this.chats.open(userId)!;
    const member = (status: 'member' | 'kicked') =>
      status === 'member' ? { status, user: this.bot } : { status, user: this.bot, until_date: 0 };
    return this.updates.push((update_id) => ({
      update_id,
      my_chat_member: {
        chat: record.chat,
        from: this.chats.telegramUser(userId),
        date: Math.floor(Date.now() / 1000),
        old_chat_member: member(from),
        new_chat_member: member(to),
      },
    }));
  }

  /** The message as Telegram sends it: without the emulator's own fields, and only inline keyboards. */
  private wire(m: EmuMessage, opts: { withReply: boolean } = { withReply: true }): Message {
    const { from_bot, edited, parse_mode, raw_text, seq, reply_markup, reply_to_message, ...rest } = m;
    const out = {
      ...rest,
      ...(opts.withReply && reply_to_message ? { reply_to_message } : {}),
      ...(isInlineKeyboard(reply_markup) ? { reply_markup } : {}),
    };
    // Our entities carry `type: string`; Telegram's union type would reject newer entity types.
    return out as unknown as Message;
  }

  private describeRecent(chatId: number): string {
    const recent = this.chats.history(chatId).slice(-10);
    if (recent.length === 0) return '  (no messages)';
    return recent
      .map((m) => {
        const who = m.from_bot ? 'bot' : `user ${m.from.id}`;
        const body =
          m.text ??
          (m.document
            ? `[document ${m.document.file_name}] ${m.caption ?? ''}`
            : `[photo] ${m.caption ?? ''}`);
        const buttons =
          m.reply_markup && isInlineKeyboard(m.reply_markup)
            ? ` [buttons: ${m.reply_markup.inline_keyboard
                .flat()
                .map((b) => b.text)
                .join(' | ')}]`
            : '';
        return `  #${m.message_id} ${who}${m.edited ? ' (edited)' : ''}: ${body}${buttons}`;
      })
      .join('\n');
  }
}

// ------------------------------------------------------------------ small helpers

/** `{ [key]: value }` when value is defined, else `{}`: keeps absent fields absent. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function formattingFields(
  f: FormattedText,
  entitiesKey: 'entities' | 'caption_entities',
  parseMode: string | undefined,
  raw: string,
): Partial<MessageDraft> {
  return {
    ...(f.entities.length > 0 ? { [entitiesKey]: f.entities } : {}),
    ...(parseMode ? { parse_mode: parseMode, raw_text: raw } : {}),
  };
}

function mediaFields(file: StoredFile): Pick<MessageDraft, 'document' | 'photo'> {
  const ids = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size };
  if (file.kind === 'photo') return { photo: [{ ...ids, width: 0, height: 0 }] };
  return { document: { ...ids, file_name: file.file_name, mime_type: file.mime_type } };
}

/**
 * Refuses a text or caption with a lone surrogate, in Telegram's words: the entity parser says
 * "text", the plain path says "strings".
 */
function checkUtf8(raw: string, parseMode: string | undefined): void {
  if (encodesAsUtf8(raw)) return;
  const parsed = (parseMode ?? '').trim() !== '' && parseMode?.trim().toLowerCase() !== 'none';
  throw badRequest(parsed ? 'text must be encoded in UTF-8' : 'strings must be encoded in UTF-8');
}

/**
 * True when a browser sent the request: browsers add Origin to every cross-site post and
 * Sec-Fetch-Site to every request to a loopback address. (Node's fetch sends neither.)
 */
function fromWebPage(req: http.IncomingMessage): boolean {
  return req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined;
}

/** `URL.hostname` of a loopback target: localhost, 127.0.0.0/8 (any spelling the URL parser normalises), [::1]. */
function isLoopbackUrlHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function notModified(): BotApiError {
  return badRequest(
    'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
  );
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export type { TextEntity };
