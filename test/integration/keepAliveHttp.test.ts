import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type HttpTarget, KeepAliveHttp } from '../../src/infra/keepAliveHttp.js';

/**
 * Against a raw TCP server that writes exactly the bytes each test gives it, so the answers
 * can come in any shape a real server (or a proxy in front of Telegram) might send.
 */
describe('the kept-alive HTTP client', () => {
  let server: net.Server;
  let target: HttpTarget;
  const requests: string[] = [];
  let connections = 0;
  /** What the server does with each complete request it reads. */
  let answer: (socket: net.Socket, request: string) => void = () => {};
  let http: KeepAliveHttp;

  beforeAll(async () => {
    server = net.createServer((socket) => {
      connections++;
      let pending = '';
      socket.on('data', (d) => {
        pending += d.toString('utf8');
        for (;;) {
          const headEnd = pending.indexOf('\r\n\r\n');
          if (headEnd < 0) return;
          const length = Number(/content-length: (\d+)/i.exec(pending.slice(0, headEnd))?.[1] ?? 0);
          const bytes = Buffer.from(pending, 'utf8');
          const total = Buffer.byteLength(pending.slice(0, headEnd + 4)) + length;
          if (bytes.length < total) return;
          const request = bytes.subarray(0, total).toString('utf8');
          pending = bytes.subarray(total).toString('utf8');
          requests.push(request);
          answer(socket, request);
        }
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    target = {
      secure: false,
      hostname: '127.0.0.1',
      port: String((server.address() as net.AddressInfo).port),
      path: '/bot1:SECRET/sendMessage',
    };
  });
  afterEach(() => http?.close());
  afterAll(() => new Promise((r) => server.close(r)));

  const fresh = (opts: { timeoutMs?: number; idleMs?: number } = {}) => {
    http = new KeepAliveHttp({ timeoutMs: opts.timeoutMs ?? 5_000, idleMs: opts.idleMs });
    requests.length = 0;
    connections = 0;
    return http;
  };
  /** A POST on the client `fresh` made last. */
  const call = (body = '{}', signal?: AbortSignal) => http.post(target, body, 'application/json', signal);
  const failure = async (p: Promise<unknown>) =>
    (await p.catch((e: Error) => e)) as Error & { code?: string };
  /** The server answers every request with these bytes (and closes the connection with `end`). */
  const serve = (wire: string, how: 'write' | 'end' = 'write') => {
    answer = (s) => s[how](wire);
  };
  const lengthAnswer = (body: string, extra = '') =>
    `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

  it('posts the body with its length and host, and reads a Content-Length answer', async () => {
    fresh();
    serve(lengthAnswer('{"ok":true,"result":"Chào đồng chí 👋"}'));
    const got = await call('{"text":"Bí thư ‏chi bộ 🇻🇳"}');
    expect(got).toEqual({ status: 200, text: '{"ok":true,"result":"Chào đồng chí 👋"}' });
    const [request] = requests;
    expect(request).toMatch(/^POST \/bot1:SECRET\/sendMessage HTTP\/1\.1\r\n/);
    expect(request).toContain(`Host: 127.0.0.1:${target.port}\r\n`);
    expect(request).toContain(`Content-Length: ${Buffer.byteLength('{"text":"Bí thư ‏chi bộ 🇻🇳"}')}\r\n`);
    expect(request!.endsWith('\r\n\r\n{"text":"Bí thư ‏chi bộ 🇻🇳"}')).toBe(true);
  });

  it('reuses one connection for calls one after another', async () => {
    fresh();
    answer = (s, r) => s.write(lengthAnswer(JSON.stringify({ n: /"n":(\d+)/.exec(r)?.[1] })));
    for (let n = 0; n < 20; n++) {
      expect((await call(JSON.stringify({ n }))).text).toBe(`{"n":"${n}"}`);
    }
    expect(connections).toBe(1);
  });

  it('opens a connection for each call in flight at once, and answers each its own', async () => {
    fresh();
    const waiting: [net.Socket, string][] = [];
    answer = (s, r) => {
      waiting.push([s, r]);
      // Answer in the reverse order of arrival, once all three are in.
      if (waiting.length === 3)
        for (const [socket, request] of waiting.reverse())
          socket.write(lengthAnswer(JSON.stringify({ echo: /"n":(\d+)/.exec(request)?.[1] })));
    };
    const got = await Promise.all([0, 1, 2].map((n) => call(JSON.stringify({ n }))));
    expect(got.map((a) => a.text)).toEqual(['{"echo":"0"}', '{"echo":"1"}', '{"echo":"2"}']);
    expect(connections).toBe(3);
  });

  it('reads a chunked answer that arrives a few bytes at a time, with a 100 Continue before it', async () => {
    fresh();
    const body = '{"ok":true,"result":"Đại hội chi bộ nhiệm kỳ 2025 – 2027"}';
    const bytes = Buffer.from(body);
    const wire = Buffer.concat([
      Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'),
      Buffer.from(`${(20).toString(16)};ext=1\r\n`),
      bytes.subarray(0, 20),
      Buffer.from(`\r\n${(bytes.length - 20).toString(16)}\r\n`),
      bytes.subarray(20),
      Buffer.from('\r\n0\r\n\r\n'),
    ]);
    answer = (s) => {
      let at = 0;
      const drip = () => {
        if (at >= wire.length) return;
        s.write(wire.subarray(at, at + 3));
        at += 3;
        setTimeout(drip, 0);
      };
      drip();
    };
    expect(await call()).toEqual({ status: 200, text: body });
    // The connection is clean afterwards: the next call reuses it.
    serve(lengthAnswer('{}'));
    await call();
    expect(connections).toBe(1);
  });

  it('reads a chunked answer with trailers', async () => {
    fresh();
    serve('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-Trailer: 1\r\n\r\n');
    expect((await call()).text).toBe('{}');
    serve(lengthAnswer('[]'));
    expect((await call()).text).toBe('[]');
    expect(connections).toBe(1);
  });

  it('reads an answer that ends with its connection, and does not reuse that connection', async () => {
    fresh();
    serve('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n<html>bad gateway</html>', 'end');
    expect(await call()).toEqual({
      status: 502,
      text: '<html>bad gateway</html>',
    });
    serve(lengthAnswer('{}', 'Connection: close\r\n'));
    await call();
    serve(lengthAnswer('{}'));
    await call();
    expect(connections).toBe(3);
  });

  it('fails a call whose connection closes mid-answer, and the next call works on a new one', async () => {
    fresh();
    serve('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"ok":', 'end');
    const err = await failure(call());
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('ECONNRESET');
    serve(lengthAnswer('{}'));
    expect((await call()).text).toBe('{}');
    expect(connections).toBe(2);
  });

  it('fails on a malformed answer rather than guessing', async () => {
    fresh();
    serve('SMTP ready\r\n\r\n');
    const err = await failure(call());
    expect(err.code).toBe('HPE_INVALID_STATUS');
  });

  it('fails a call past its time, and one whose signal aborts', async () => {
    fresh({ timeoutMs: 300 });
    answer = () => {}; // never answers
    const started = Date.now();
    const late = await failure(call());
    expect(late.code).toBe('ETIMEDOUT');
    expect(Date.now() - started).toBeLessThan(3_000);
    const abort = new AbortController();
    const pending = failure(call('{}', abort.signal));
    setTimeout(() => abort.abort(), 50);
    const aborted = await pending;
    expect(aborted.name).toBe('AbortError');
    await expect(call('{}', abort.signal)).rejects.toThrow(/aborted/);
  });

  it('closes an idle connection after its idle time, or the server’s Keep-Alive timeout', async () => {
    fresh({ idleMs: 100 });
    serve(lengthAnswer('{}'));
    await call();
    await new Promise((r) => setTimeout(r, 150));
    await call();
    expect(connections).toBe(2);
    // A server that keeps connections 1 s: ours would close it at once (a second of margin).
    fresh({ idleMs: 60_000 });
    serve(lengthAnswer('{}', 'Keep-Alive: timeout=1\r\n'));
    await call();
    await call();
    expect(connections).toBe(2);
  });

  it('names the host and port in a network error, never the path', async () => {
    const c = fresh();
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = String((closed.address() as net.AddressInfo).port);
    await new Promise((r) => closed.close(r));
    const err = await failure(c.post({ ...target, port }, '{}', 'application/json'));
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.message).toContain(port);
    expect(err.message).not.toContain('SECRET');
  });
});
