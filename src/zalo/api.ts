/**
 * A small client for the Zalo Bot Platform API: `POST {root}/bot{TOKEN}/{method}` with a JSON
 * body, answered `{ ok, result?, error_code?, description? }`. HTTP 200 alone is not success:
 * `ok` is read on every answer. The token is in the URL, so no error or log line here ever
 * carries the URL.
 *
 * `classifyZaloError` maps a failure onto the outbox's error classes (`src/outbox/types.ts`), so
 * `jobs/outbox.ts` decides retries the same way for both channels.
 */
import {
  RecipientUnreachableError,
  RejectedMessageError,
  RetryAfterError,
  TransientSendError,
} from '../outbox/types.js';

/** Zalo answered `ok: false` (whatever the HTTP status). */
export class ZaloApiError extends Error {
  constructor(
    readonly method: string,
    /** `error_code` from the body, else the HTTP status. */
    readonly code: number,
    readonly description: string,
    readonly httpStatus: number,
  ) {
    super(`Zalo ${method}: ${code} ${description}`);
    this.name = 'ZaloApiError';
  }
}

/** No answer: the network failed, the call timed out, or the body was not Zalo's JSON. */
export class ZaloNetworkError extends Error {
  constructor(
    readonly method: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`Zalo ${method}: ${message}`, options);
    this.name = 'ZaloNetworkError';
  }
}

export interface ZaloBotInfo {
  id: string;
  account_name: string;
  account_type?: string;
  can_join_groups?: boolean;
}

export interface ZaloSent {
  message_id: string;
  date?: number;
}

export interface ZaloApiOptions {
  /** Gives up on one call after this long. @defaultValue 15000 */
  timeoutMs?: number;
}

export class ZaloApi {
  private readonly timeoutMs: number;

  constructor(
    private readonly token: string,
    private readonly root: string,
    opts: ZaloApiOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 15_000;
  }

  /** One call; resolves with `result`, throws `ZaloApiError` or `ZaloNetworkError`. */
  async call<T>(
    method: string,
    body: Record<string, unknown> = {},
    opts: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<T> {
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(`${this.root}/bot${this.token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
      });
    } catch (err) {
      // Never the URL: it holds the token.
      const why = timeout.aborted ? 'no answer in time' : err instanceof Error ? err.name : 'network error';
      throw new ZaloNetworkError(method, why);
    }
    let parsed: { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown };
    try {
      parsed = (await res.json()) as typeof parsed;
    } catch {
      if (res.status >= 400) throw new ZaloApiError(method, res.status, `HTTP ${res.status}`, res.status);
      throw new ZaloNetworkError(method, `HTTP ${res.status} without a JSON answer`);
    }
    if (parsed?.ok === true) return parsed.result as T;
    const code = typeof parsed?.error_code === 'number' ? parsed.error_code : res.status;
    const description =
      typeof parsed?.description === 'string' ? parsed.description.slice(0, 300) : `HTTP ${res.status}`;
    throw new ZaloApiError(method, code, description, res.status);
  }

  getMe(): Promise<ZaloBotInfo> {
    return this.call('getMe');
  }

  sendMessage(chatId: string, text: string, html: boolean, signal?: AbortSignal): Promise<ZaloSent> {
    return this.call(
      'sendMessage',
      { chat_id: chatId, text, ...(html ? { parse_mode: 'html' } : {}) },
      signal ? { signal } : {},
    );
  }

  sendPhoto(
    chatId: string,
    photo: string,
    caption: string | undefined,
    signal?: AbortSignal,
  ): Promise<ZaloSent> {
    return this.call(
      'sendPhoto',
      { chat_id: chatId, photo, ...(caption ? { caption } : {}) },
      signal ? { signal } : {},
    );
  }

  sendChatAction(chatId: string): Promise<unknown> {
    return this.call('sendChatAction', { chat_id: chatId, action: 'typing' });
  }

  /** One event, or undefined when nothing came before `timeout` seconds (or Zalo said so). */
  async getUpdates(timeout: number, signal?: AbortSignal): Promise<unknown> {
    try {
      const result = await this.call<unknown>(
        'getUpdates',
        { timeout },
        { timeoutMs: (timeout + 15) * 1000, ...(signal ? { signal } : {}) },
      );
      return result ?? undefined;
    } catch (err) {
      // Any ok:false that is not about the token or the setup means "nothing yet".
      if (err instanceof ZaloApiError && !isSetupError(err)) return undefined;
      throw err;
    }
  }

  setWebhook(url: string, secret: string): Promise<unknown> {
    return this.call('setWebhook', { url, secret_token: secret });
  }

  deleteWebhook(): Promise<unknown> {
    return this.call('deleteWebhook');
  }

  getWebhookInfo(): Promise<{ url: string; updated_at?: number }> {
    return this.call('getWebhookInfo');
  }
}

/** A wrong token, a wrong API root, or a webhook in the way: polling again cannot help. */
export function isSetupError(err: ZaloApiError): boolean {
  return [401, 403, 404, 405, 409].includes(err.code) || [401, 404].includes(err.httpStatus);
}

/** How many refusals (`ok: false`) in a row to one person mark them unreachable. */
export const UNREACHABLE_AFTER = 3;

/**
 * Maps a failed send onto the outbox's error classes:
 * - 429 (HTTP or `error_code`): wait and retry, never drop;
 * - no answer, 5xx, 408: transient, retried with backoff;
 * - 401 or an HTTP 404 (wrong token or API root): an outage to ride out, not the message's fault;
 * - any other `ok: false`: refused for this person, recorded with its description; the
 *   `failuresInRow`-th in a row (counting this one) marks them unreachable.
 */
export function classifyZaloError(err: unknown, failuresInRow = 1): Error {
  if (err instanceof ZaloApiError) {
    if (err.code === 429 || err.httpStatus === 429) return new RetryAfterError(retryAfter(err.description));
    if (err.code >= 500 || err.httpStatus >= 500 || err.code === 408)
      return new TransientSendError(`${err.code} ${err.description}`, { cause: err });
    if (err.code === 401 || err.httpStatus === 401 || err.httpStatus === 404)
      return new TransientSendError(`${err.code} ${err.description}`, { cause: err });
    if (failuresInRow >= UNREACHABLE_AFTER) return new RecipientUnreachableError(err.description);
    return new RejectedMessageError(err.description);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TransientSendError(message, { cause: err });
}

/** True for a failure that counts towards "repeated ok: false to one person". */
export function isRefusal(err: unknown): boolean {
  return classifyZaloError(err) instanceof RejectedMessageError;
}

function retryAfter(description: string): number {
  const m = /retry after (\d{1,4})/i.exec(description);
  return m ? Math.max(1, Number(m[1])) : 1;
}
