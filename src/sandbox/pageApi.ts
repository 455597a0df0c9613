/**
 * The web chat's control API under `/sandbox/api/`: who can be acted as, acting as them (send,
 * press, upload), a long-polled feed of each chat's changes, the person's command menu, and
 * downloads of files the bot sent. JSON in and out; bodies are validated with zod.
 *
 * Posts act as a person, so they take `application/json` only (a cross-site form cannot send
 * it, and a cross-site fetch of it needs a preflight this API never grants) and, when a browser
 * says where it comes from, only from the page's own origin. A client that sends neither Origin
 * nor Sec-Fetch-Site is not a browser, so no web page can be behind it.
 */
import type http from 'node:http';
import type { BotCommand } from '@telegraf/types';
import { z } from 'zod';
import { readBody, sendJson } from '../infra/httpServer.js';
import type { ChatChange, ChatStore, EmuGroup, EmuMessage, EmuUser, Toast } from './chatStore.js';
import { downloadHeaders, type FileStore } from './fileStore.js';

/** What the page may do as a person; the emulator provides it. */
export interface SandboxActor {
  readonly botUsername: string;
  readonly botFirstName: string;
  users(): EmuUser[];
  groups(): EmuGroup[];
  sendText(userId: number, text: string, opts?: { chatId?: number }): unknown;
  pressButton(userId: number, chatId: number, messageId: number, data: string): unknown;
  sendDocument(
    userId: number,
    file: { name: string; content: Buffer; mime?: string },
    opts?: { caption?: string; chatId?: number },
  ): unknown;
  menuFor(userId: number): BotCommand[];
}

/** One answer of the message feed. */
export interface MessageFeed {
  /** Pass as `after` next time. */
  seq: number;
  /** True when the page's `after` was unknown (the sandbox restarted): drop what you have. */
  reset: boolean;
  /** Messages changed since `after`, in their current state, in id order. */
  messages: EmuMessage[];
  /** Ids of messages deleted since `after`. */
  deleted: number[];
  toasts: Toast[];
}

/** How long the feed holds a request open when nothing has changed. */
const FEED_WAIT_MS = 25_000;

const sendBody = z.object({
  userId: z.number().int(),
  text: z.string().min(1).max(4096),
  chatId: z.number().int().optional(),
});
const pressBody = z.object({
  userId: z.number().int(),
  chatId: z.number().int(),
  messageId: z.number().int(),
  data: z.string().min(1),
});
const uploadBody = z.object({
  userId: z.number().int(),
  chatId: z.number().int().optional(),
  caption: z.string().max(1024).optional(),
  file: z.object({
    name: z.string().min(1).max(255),
    mime: z.string().max(255).optional(),
    /** The bytes, base64-encoded. */
    base64: z.base64(),
  }),
});
const intParam = z.coerce.number().int();

/** Largest body a post may carry: a 20 MB file (Telegram's download limit for bots) in base64. */
const MAX_POST_BYTES = 28 * 1024 * 1024;

class PageApiError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export class SandboxPageApi {
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly actor: SandboxActor,
    private readonly chats: ChatStore,
    private readonly files: FileStore,
  ) {}

  /** Answers a request under `/sandbox/api/`. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const route = `${req.method ?? 'GET'} ${url.pathname.slice('/sandbox/api'.length)}`;
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') checkPost(req);
      if (route === 'GET /state') return sendJson(res, 200, this.state());
      if (route === 'GET /messages') return sendJson(res, 200, await this.feed(url, res));
      if (route === 'GET /menu') {
        return sendJson(res, 200, { commands: this.actor.menuFor(this.intQuery(url, 'userId')) });
      }
      if (route === 'POST /send') {
        const body = sendBody.parse(await this.jsonBody(req));
        this.actor.sendText(body.userId, body.text, body.chatId === undefined ? {} : { chatId: body.chatId });
        return sendJson(res, 200, { ok: true });
      }
      if (route === 'POST /press') {
        const body = pressBody.parse(await this.jsonBody(req));
        this.actor.pressButton(body.userId, body.chatId, body.messageId, body.data);
        return sendJson(res, 200, { ok: true });
      }
      if (route === 'POST /upload') return sendJson(res, 200, await this.upload(req));
      if (req.method === 'GET' && url.pathname.startsWith('/sandbox/api/file/')) {
        return this.download(decodeURIComponent(url.pathname.slice('/sandbox/api/file/'.length)), res);
      }
      sendJson(res, 404, { ok: false, error: 'not found' });
    } catch (err) {
      const message =
        err instanceof z.ZodError ? z.prettifyError(err) : err instanceof Error ? err.message : String(err);
      const status = err instanceof PageApiError ? err.status : 400;
      if (!res.headersSent) sendJson(res, status, { ok: false, error: message });
    }
  }

  /** Answers every waiting feed request at once (the sandbox is shutting down). */
  close(): void {
    for (const wake of [...this.waiting]) wake();
  }

  private state() {
    return {
      bot: { username: this.actor.botUsername, first_name: this.actor.botFirstName },
      users: this.actor.users(),
      groups: this.actor.groups(),
    };
  }

  /** Changes after `after`, waiting up to 25 s (or `wait` seconds) for the first one. */
  private async feed(url: URL, res: http.ServerResponse): Promise<MessageFeed> {
    const chatId = this.intQuery(url, 'chatId');
    const userId = url.searchParams.has('userId') ? this.intQuery(url, 'userId') : chatId;
    const after = url.searchParams.has('after') ? this.intQuery(url, 'after') : 0;
    const waitMs = url.searchParams.has('wait')
      ? Math.min(Math.max(this.intQuery(url, 'wait'), 0) * 1000, FEED_WAIT_MS)
      : FEED_WAIT_MS;
    const collect = (): MessageFeed => {
      // A page that missed a reset (or a restart) starts over from an empty chat.
      const reset = this.chats.isStale(after);
      const from = reset ? 0 : after;
      const { messages, deleted } = this.chats.changesSince(chatId, from);
      return {
        seq: this.chats.currentSeq,
        reset,
        messages,
        deleted,
        toasts: this.chats.toastsSince(userId, from),
      };
    };
    const now = collect();
    const hasNews = (f: MessageFeed) => f.reset || f.messages.length + f.deleted.length + f.toasts.length > 0;
    if (hasNews(now) || waitMs === 0) return now;
    await new Promise<void>((resolve) => {
      const finish = () => {
        this.waiting.delete(finish);
        unsubscribe();
        clearTimeout(timer);
        resolve();
      };
      const concerns = (c: ChatChange) =>
        c.kind === 'cleared' || (c.kind === 'toast' ? c.toast.userId === userId : c.chatId === chatId);
      const unsubscribe = this.chats.subscribe((c) => {
        if (concerns(c)) finish();
      });
      const timer = setTimeout(finish, waitMs);
      this.waiting.add(finish);
      res.once('close', finish);
    });
    return collect();
  }

  private async upload(req: http.IncomingMessage): Promise<{ ok: true }> {
    const body = uploadBody.parse(await this.jsonBody(req));
    const content = Buffer.from(body.file.base64, 'base64');
    if (content.length === 0) throw new PageApiError('Tệp trống, đồng chí chọn tệp khác.');
    this.actor.sendDocument(
      body.userId,
      { name: body.file.name, content, ...(body.file.mime ? { mime: body.file.mime } : {}) },
      {
        ...(body.caption ? { caption: body.caption } : {}),
        ...(body.chatId === undefined ? {} : { chatId: body.chatId }),
      },
    );
    return { ok: true };
  }

  private download(fileId: string, res: http.ServerResponse): void {
    const file = this.files.get(fileId);
    if (!file) {
      sendJson(res, 404, { ok: false, error: 'file not found' });
      return;
    }
    const content = this.files.read(file);
    res.writeHead(200, { ...downloadHeaders(file), 'content-length': content.length });
    res.end(content);
  }

  private async jsonBody(req: http.IncomingMessage): Promise<unknown> {
    let body: Buffer;
    try {
      body = await readBody(req, MAX_POST_BYTES);
    } catch {
      throw new PageApiError('Nội dung gửi lên quá lớn (tối đa 20 MB mỗi tệp).', 413);
    }
    try {
      return JSON.parse(body.toString('utf8'));
    } catch {
      throw new PageApiError('Nội dung gửi lên không phải JSON hợp lệ.');
    }
  }

  private intQuery(url: URL, name: string): number {
    const parsed = intParam.safeParse(url.searchParams.get(name));
    if (!parsed.success || url.searchParams.get(name) === null)
      throw new PageApiError(`Thiếu hoặc sai ${name}.`);
    return parsed.data;
  }
}

/**
 * A post must be JSON, and come from the page itself when a browser sent it (the Origin it
 * names has the Host the request was sent to, or Sec-Fetch-Site says same-origin).
 */
function checkPost(req: http.IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new PageApiError('Chỉ nhận nội dung application/json.', 415);
  }
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if (origin !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host === undefined || host !== req.headers.host) {
      throw new PageApiError('Yêu cầu không đến từ trang môi trường thử nên bị từ chối.', 403);
    }
  } else if (site !== undefined && site !== 'same-origin') {
    throw new PageApiError('Yêu cầu không đến từ trang môi trường thử nên bị từ chối.', 403);
  }
}
