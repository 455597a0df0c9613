/**
 * How Bot API calls travel: JSON calls over our own kept-alive connections
 * (`src/infra/keepAliveHttp.ts`), media uploads over telegraf's own client.
 *
 * telegraf sends every call through node-fetch on node's `http`; per update (a `getUpdates` and
 * an answer) that cost more CPU than all of our own handling (`npm run bench -- updates`,
 * profiled). Client CPU a call (`npm run bench -- transport`): ours is about 0.4× node-fetch's
 * and 0.5× a plain `http.request`'s. (undici's `request` is no cheaper than `http.request` here
 * and its WebAssembly parser adds some 8 MB to the idle process.)
 *
 * Everything else about a call stays telegraf's: the URL it builds, `TelegramError` for a
 * refusal or a 5xx, no token in a network error (errors name the host and port, never the path,
 * so there is nothing to redact as telegraf must from node-fetch's). A payload with a file to
 * upload (multipart) and a webhook reply keep telegraf's path unchanged.
 *
 * `installTransport` replaces the HTTP step of telegraf's `ApiClient.callApi`, once per process;
 * wrappers set on `Telegram.prototype` (the reply budget) still run in front of it.
 */
import http from 'node:http';
import { Telegram, TelegramError } from 'telegraf';
import { type HttpTarget, KeepAliveHttp } from '../infra/keepAliveHttp.js';

/** Longest a call may wait for Telegram: above the poller's 25 s long poll, with room to spare. */
const CALL_TIMEOUT_MS = 60_000;

interface ClientOptions {
  apiRoot: string;
  apiMode: string;
  testEnv: boolean;
  webhookReply: boolean;
}
interface ApiClientLike {
  token: string;
  options: ClientOptions;
  response?: unknown;
}
type CallApi = (
  this: ApiClientLike,
  method: string,
  payload: Record<string, unknown>,
  opts?: { signal?: AbortSignal },
) => Promise<unknown>;

/**
 * How long an idle connection to Telegram is kept for the next call. A bot's replies often come
 * tens of seconds apart, and a new TLS connection to api.telegram.org costs a handshake across
 * the border; 30 s is below the idle timeouts of common servers and load balancers (nginx 75 s,
 * most cloud balancers 60 s). A server that announces a shorter `Keep-Alive: timeout` is
 * believed (with a second to spare).
 */
const IDLE_MS = 30_000;

const connections = new KeepAliveHttp({ timeoutMs: CALL_TIMEOUT_MS, idleMs: IDLE_MS });

const targets = new Map<string, HttpTarget>();

/** The URL telegraf would call (it resolves `./bot<token>/<method>` against the API root). */
function targetFor(client: ApiClientLike, method: string): HttpTarget {
  const { apiRoot, apiMode, testEnv } = client.options;
  const key = `${apiRoot}\n${apiMode}\n${client.token}\n${testEnv}\n${method}`;
  let target = targets.get(key);
  if (target === undefined) {
    const url = new URL(`./${apiMode}${client.token}${testEnv ? '/test' : ''}/${method}`, apiRoot);
    target = {
      secure: url.protocol === 'https:',
      // An IPv6 host comes in brackets, which `http.request` does not take.
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port,
      path: `${url.pathname}${url.search}`,
    };
    if (targets.size > 1_000) targets.clear();
    targets.set(key, target);
  }
  return target;
}

/** An object that telegraf would send as multipart: an upload (`source` or `url`) somewhere in it. */
function hasUpload(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasUpload((v as { media?: unknown })?.media));
  const v = value as { source?: unknown; url?: unknown; media?: unknown };
  return Boolean(v.source) || Boolean(v.url) || hasUpload(v.media);
}

function includesUpload(payload: Record<string, unknown>): boolean {
  for (const key in payload) {
    // telegraf's own exception: a link preview's `url` is text, not a file.
    if (key !== 'link_preview_options' && hasUpload(payload[key])) return true;
  }
  return false;
}

/** Drops null and undefined fields, as telegraf does. */
const replacer = (_: string, value: unknown) => (value == null ? undefined : value);

/**
 * The payload as JSON without its null fields. A replacer slows every call down several times,
 * so it is used only when the plain text shows a null somewhere (rare: our payloads leave
 * fields out rather than null them).
 */
function toJson(payload: object): string {
  const plain = JSON.stringify(payload);
  return plain.includes('null') ? JSON.stringify(payload, replacer) : plain;
}

async function post(
  client: ApiClientLike,
  method: string,
  payload: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<unknown> {
  if (!client.token) throw new TelegramError({ error_code: 401, description: 'Bot Token is required' });
  const res = await connections.post(targetFor(client, method), toJson(payload), 'application/json', signal);
  if (res.status >= 500) {
    throw new TelegramError(
      { error_code: res.status, description: http.STATUS_CODES[res.status] ?? 'Server Error' },
      { method, payload },
    );
  }
  const data = JSON.parse(res.text) as {
    ok: boolean;
    result?: unknown;
    error_code: number;
    description: string;
  };
  if (!data.ok) throw new TelegramError(data, { method, payload });
  return data.result;
}

let installed = false;

/** Sends telegraf's JSON Bot API calls over node's `http` from now on, in this process. */
export function installTransport(): void {
  if (installed) return;
  installed = true;
  const base = Object.getPrototypeOf(Telegram.prototype) as { callApi: CallApi };
  const telegrafCall = base.callApi;
  base.callApi = function (this: ApiClientLike, method, payload = {}, opts = {}) {
    if ((this.options.webhookReply && this.response) || includesUpload(payload))
      return telegrafCall.call(this, method, payload, opts);
    return post(this, method, payload, opts.signal);
  };
}

/** Closes the connections kept open (a clean stop). */
export async function closeTransport(): Promise<void> {
  connections.close();
}
