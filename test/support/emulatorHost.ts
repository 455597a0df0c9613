/**
 * A plain HTTP server like the app's sandbox host: the web chat at `/`, everything else to the
 * emulator. Used by the browser test.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BotApiEmulator } from '../../src/sandbox/emulator.js';
import { sandboxPageHtml } from '../../src/sandbox/page.js';

export interface SandboxHost {
  /** Base URL: the page is at `${url}/`, and it is also the bot's apiRoot. */
  url: string;
  close(): Promise<void>;
}

export async function serveSandbox(emulator: BotApiEmulator): Promise<SandboxHost> {
  const html = sandboxPageHtml();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    emulator
      .handle(req, res)
      .then((handled) => {
        if (!handled) {
          res.writeHead(404);
          res.end();
        }
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
