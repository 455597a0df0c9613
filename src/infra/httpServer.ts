/**
 * The one HTTP server: health, metrics, Telegram's webhook, the optional queue page, and in
 * sandbox mode the emulator and its web chat. Routes are plain functions tried in order; the
 * first that answers wins.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';

/** Resolves true when it answered the request. */
export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;

export interface HttpServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** `GET /metrics`: the Prometheus text format. */
export function metricsRoute(source: {
  exposition(): Promise<{ contentType: string; body: string }>;
}): Route {
  return async (req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') return false;
    const { contentType, body } = await source.exposition();
    res.writeHead(200, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    res.end(body);
    return true;
  };
}

export async function readBody(req: http.IncomingMessage, limit = 5 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startHttpServer(opts: {
  port: number;
  host: string;
  routes: Route[];
  log: Logger;
}): Promise<HttpServer> {
  const server = http.createServer(async (req, res) => {
    try {
      for (const route of opts.routes) if (await route(req, res)) return;
      sendJson(res, 404, { ok: false, error: 'not found' });
    } catch (err) {
      opts.log.error({ err, url: req.url }, 'HTTP handler failed');
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal error' });
      else res.destroy();
    }
  });
  // Long polls (getUpdates, the page's message feed) outlive Node's default timeouts.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  return {
    port,
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
