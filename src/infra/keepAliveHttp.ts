/**
 * A small HTTP/1.1 client for one job: POST a JSON body over a kept-alive connection and read
 * the answer whole. It is what the Bot API calls travel on (`src/telegram/transport.ts`).
 *
 * Why not node's `http`: an update costs our bot two Bot API calls (the `getUpdates` that
 * brought it and the answer), and `http.request` with its Agent, its event-emitting request and
 * response objects and its per-call timer took as much CPU as all our own handling. Writing the
 * request as one string and reading a Content-Length or chunked answer from the socket costs
 * about half as much per call (`npm run bench -- transport`).
 *
 * What it does and does not do:
 * - one request at a time per connection (no pipelining); idle connections are reused, the most
 *   recently used first, and closed after `idleMs` (or sooner if the server's Keep-Alive says so);
 * - an answer with a Content-Length, chunked, or (HTTP/1.0 style) ending with the connection;
 *   1xx interim answers are skipped; no redirects, no compression, no proxy;
 * - a call that takes longer than `timeoutMs` fails and its connection is closed; an aborted
 *   signal fails the call the same way;
 * - errors name the host and port (node's own network errors), never the path, which for the
 *   Bot API holds the token.
 */
import net from 'node:net';
import tls from 'node:tls';

export interface HttpTarget {
  secure: boolean;
  hostname: string;
  /** Empty for the scheme's default port. */
  port: string;
  path: string;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

/** The largest answer read (a `getUpdates` of 100 updates is well under a megabyte). */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

const HEAD_END = Buffer.from('\r\n\r\n');

interface Call {
  resolve: (answer: HttpAnswer) => void;
  reject: (err: Error) => void;
  startedAt: number;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** What is known of the answer once its head has come. */
interface Head {
  status: number;
  bodyStart: number;
  /** Content-Length; 'chunked'; or 'close' (the body ends with the connection). */
  length: number | 'chunked' | 'close';
  keepAlive: boolean;
  /** The server's Keep-Alive timeout, in ms, if it gave one. */
  serverIdleMs?: number;
}

class HttpError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Parses the head at the start of `buf` (ending at `end`, the index of the blank line). */
function parseHead(buf: Buffer, end: number): Head | HttpError {
  // Header names are case-insensitive; lower-casing the whole head once lets each one we read
  // be found with one search (this runs twice an update, so it avoids splitting into lines).
  const head = buf.toString('latin1', 0, end).toLowerCase();
  const status = /^http\/1\.([01]) (\d{3})/.exec(head);
  if (!status) return new HttpError('malformed HTTP answer', 'HPE_INVALID_STATUS');
  const code = Number(status[2]);
  const field = (name: string): string | undefined => {
    const at = head.indexOf(`\r\n${name}:`);
    if (at < 0) return undefined;
    const lineEnd = head.indexOf('\r\n', at + 2);
    return head.slice(at + name.length + 3, lineEnd < 0 ? head.length : lineEnd).trim();
  };
  let length: Head['length'] = 'close';
  const contentLength = field('content-length');
  if (/(^|,)\s*chunked\s*$/.test(field('transfer-encoding') ?? '')) length = 'chunked';
  else if (contentLength !== undefined) {
    if (!/^\d+$/.test(contentLength))
      return new HttpError('malformed Content-Length', 'HPE_INVALID_CONTENT_LENGTH');
    length = Number(contentLength);
  }
  if (code === 204 || code === 304) length = 0;
  const connection = field('connection') ?? '';
  const timeout = /timeout=(\d+)/.exec(field('keep-alive') ?? '');
  const keepAlive =
    length !== 'close' &&
    (status[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive'));
  return {
    status: code,
    bodyStart: end + HEAD_END.length,
    length,
    keepAlive,
    serverIdleMs: timeout ? Number(timeout[1]) * 1000 : undefined,
  };
}

/**
 * A chunked body starting at `from`: the body and where the message ends, undefined while
 * incomplete.
 */
function parseChunked(buf: Buffer, from: number): { body: Buffer; end: number } | undefined | HttpError {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', at, 'latin1');
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(buf.toString('latin1', at, lineEnd).split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0)
      return new HttpError('malformed chunk size', 'HPE_INVALID_CHUNK_SIZE');
    at = lineEnd + 2;
    if (size === 0) {
      // Trailers, if any, end with a blank line; with none, the blank line follows at once.
      if (buf.length < at + 2) return undefined;
      if (buf[at] === 13 && buf[at + 1] === 10) return { body: Buffer.concat(parts), end: at + 2 };
      const trailersEnd = buf.indexOf(HEAD_END, at - 2);
      return trailersEnd < 0 ? undefined : { body: Buffer.concat(parts), end: trailersEnd + 4 };
    }
    if (buf.length < at + size + 2) return undefined;
    parts.push(buf.subarray(at, at + size));
    at += size + 2;
  }
}

class Connection {
  readonly socket: net.Socket;
  call: Call | undefined;
  /** What has come of the current answer, and how many bytes. */
  private chunks: Buffer[] = [];
  private received = 0;
  private head: Head | undefined;
  private failure: Error | undefined;
  idleUntil = 0;

  constructor(
    private readonly pool: KeepAliveHttp,
    readonly key: string,
    target: HttpTarget,
  ) {
    const port = Number(target.port) || (target.secure ? 443 : 80);
    this.socket = target.secure
      ? tls.connect({
          host: target.hostname,
          port,
          servername: net.isIP(target.hostname) ? undefined : target.hostname,
          ALPNProtocols: ['http/1.1'],
        })
      : net.connect({ host: target.hostname, port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => {
      this.failure = err;
    });
    this.socket.on('close', () => this.onClose());
  }

  send(call: Call, request: string): void {
    this.call = call;
    this.socket.write(request);
  }

  /** Closes the connection; a call on it fails with `err`. */
  destroy(err?: Error): void {
    if (err) this.failure = err;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (!this.call) {
      // Bytes nobody asked for: the connection is out of step, do not reuse it.
      this.destroy();
      return;
    }
    this.chunks.push(chunk);
    this.received += chunk.length;
    if (this.received > MAX_ANSWER_BYTES) {
      this.destroy(new HttpError('HTTP answer too large', 'ERR_ANSWER_TOO_LARGE'));
      return;
    }
    const head = this.head;
    // Waiting for a body of known length, or for the connection to end it: nothing to parse yet.
    if (
      head?.length === 'close' ||
      (typeof head?.length === 'number' && this.received < head.bodyStart + head.length)
    )
      return;
    this.parse();
  }

  /** All that has come of the answer, in one buffer. */
  private joined(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.received)];
    return this.chunks[0]!;
  }

  private parse(): void {
    let buf = this.joined();
    while (this.head === undefined) {
      const end = buf.indexOf(HEAD_END);
      if (end < 0) return;
      const head = parseHead(buf, end);
      if (head instanceof HttpError) {
        this.destroy(head);
        return;
      }
      if (head.status >= 200) {
        this.head = head;
        break;
      }
      // An interim answer (100 Continue): the real one follows.
      buf = buf.subarray(head.bodyStart);
      this.chunks = [buf];
      this.received = buf.length;
    }
    const head = this.head;
    if (head.length === 'close') return; // the body ends with the connection
    let body: Buffer;
    let end: number;
    if (head.length === 'chunked') {
      const chunked = parseChunked(buf, head.bodyStart);
      if (chunked === undefined) return;
      if (chunked instanceof HttpError) {
        this.destroy(chunked);
        return;
      }
      ({ body, end } = chunked);
    } else {
      end = head.bodyStart + head.length;
      if (buf.length < end) return;
      body = buf.subarray(head.bodyStart, end);
    }
    const reusable = head.keepAlive && end === buf.length;
    this.finish({ status: head.status, text: body.toString('utf8') });
    if (!reusable) this.destroy();
    else this.pool.release(this, head.serverIdleMs);
  }

  private finish(answer: HttpAnswer | Error): void {
    const call = this.call;
    if (!call) return;
    this.call = undefined;
    this.chunks = [];
    this.received = 0;
    this.head = undefined;
    if (call.onAbort) call.signal?.removeEventListener('abort', call.onAbort);
    if (answer instanceof Error) call.reject(answer);
    else call.resolve(answer);
  }

  private onClose(): void {
    this.pool.forget(this);
    if (!this.call) return;
    const head = this.head;
    if (head?.length === 'close' && !this.failure)
      this.finish({ status: head.status, text: this.joined().toString('utf8', head.bodyStart) });
    else this.finish(this.failure ?? new HttpError('socket hang up', 'ECONNRESET'));
  }
}

/** Kept-alive connections to any number of servers, and the calls made over them. */
export class KeepAliveHttp {
  private readonly idle = new Map<string, Connection[]>();
  private readonly all = new Set<Connection>();
  private sweeper: NodeJS.Timeout | undefined;
  private readonly timeoutMs: number;
  private readonly idleMs: number;

  constructor(opts: { timeoutMs: number; idleMs?: number }) {
    this.timeoutMs = opts.timeoutMs;
    // Below node's own server default (5 s), so we close an idle connection before the server does.
    this.idleMs = opts.idleMs ?? 4_000;
  }

  /** POSTs `body` (sent as `contentType`) and returns the answer's status and text. */
  post(target: HttpTarget, body: string, contentType: string, signal?: AbortSignal): Promise<HttpAnswer> {
    if (signal?.aborted) return Promise.reject(abortError());
    // An IPv6 address goes in brackets in the Host header.
    const name = target.hostname.includes(':') ? `[${target.hostname}]` : target.hostname;
    const host = target.port ? `${name}:${target.port}` : name;
    const request =
      `POST ${target.path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${contentType}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`;
    return new Promise<HttpAnswer>((resolve, reject) => {
      const connection = this.take(target);
      const call: Call = { resolve, reject, startedAt: Date.now() };
      if (signal) {
        call.signal = signal;
        call.onAbort = () => connection.destroy(abortError());
        signal.addEventListener('abort', call.onAbort, { once: true });
      }
      connection.send(call, request);
    });
  }

  /** Closes every connection; calls in flight fail. */
  close(): void {
    for (const c of this.all) c.destroy();
    this.all.clear();
    this.idle.clear();
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** A finished connection goes back to be reused. */
  release(connection: Connection, serverIdleMs?: number): void {
    const idleMs = serverIdleMs === undefined ? this.idleMs : Math.min(this.idleMs, serverIdleMs - 1_000);
    if (idleMs <= 0) {
      connection.destroy();
      return;
    }
    connection.idleUntil = Date.now() + idleMs;
    let list = this.idle.get(connection.key);
    if (list === undefined) {
      list = [];
      this.idle.set(connection.key, list);
    }
    list.push(connection);
  }

  /** A closed connection leaves the pool. */
  forget(connection: Connection): void {
    this.all.delete(connection);
    const list = this.idle.get(connection.key);
    const at = list?.indexOf(connection) ?? -1;
    if (at >= 0) list!.splice(at, 1);
  }

  private take(target: HttpTarget): Connection {
    const key = `${target.secure ? 's' : ''}${target.hostname}:${target.port}`;
    const list = this.idle.get(key);
    const now = Date.now();
    while (list && list.length > 0) {
      const c = list.pop()!;
      if (c.idleUntil > now && !c.socket.destroyed) return c;
      c.destroy();
    }
    const c = new Connection(this, key, target);
    this.all.add(c);
    this.sweeper ??= setInterval(() => this.sweep(), 1_000).unref();
    return c;
  }

  /** Fails calls past their time and closes connections idle too long. */
  private sweep(): void {
    const now = Date.now();
    for (const c of this.all) {
      if (c.call && now - c.call.startedAt > this.timeoutMs)
        c.destroy(new HttpError(`HTTP call timed out after ${this.timeoutMs} ms`, 'ETIMEDOUT'));
      else if (!c.call && c.idleUntil <= now) c.destroy();
    }
  }
}

function abortError(): Error {
  const err = new HttpError('This operation was aborted', 'ABORT_ERR');
  err.name = 'AbortError';
  return err;
}
