/**
 * The sandbox on the app's HTTP server: the web chat page, its API and the emulator's Bot API.
 *
 * On loopback (the default) they live at `/` and answer only requests addressed to a loopback
 * name, so a web page that rebinds its own domain to 127.0.0.1 gets nothing. With
 * SANDBOX_PUBLIC=on they live only under a random secret path (`/s-<24 characters>/`), printed
 * at start: the bot itself calls the emulator there too, and everything else answers 404.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { isLoopbackHost } from '../config.js';
import { type Route, sendJson } from '../infra/httpServer.js';
import type { BotApiEmulator } from './emulator.js';
import { sandboxPageHtml } from './page.js';
import type { ZaloEmulator } from './zaloEmulator.js';

export interface SandboxHost {
  /** Where the page is, and what the Bot API root ends with: `/`, or `/s-…/` when public. */
  path: string;
  routes: Route[];
}

/** A fresh secret path segment: `s-` and 24 base64url characters (144 random bits). */
export function secretSegment(): string {
  return `s-${randomBytes(18).toString('base64url')}`;
}

export function sandboxHost(
  emulator: BotApiEmulator,
  opts: { public: boolean; zalo?: ZaloEmulator },
): SandboxHost {
  const serve = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> => {
    const p = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (p === '/' || p === '/index.html')) {
      servePage(res);
      return true;
    }
    if (opts.zalo && (await opts.zalo.handle(req, res))) return true;
    return emulator.handle(req, res);
  };

  if (!opts.public) {
    return {
      path: '/',
      routes: [
        async (req, res) => {
          if (!isLoopbackHost(hostName(req.headers.host))) {
            sendJson(res, 421, {
              ok: false,
              error: 'misdirected request: the sandbox answers loopback names only',
            });
            return true;
          }
          return serve(req, res);
        },
      ],
    };
  }

  const segment = secretSegment();
  const prefix = `/${segment}`;
  return {
    path: `${prefix}/`,
    routes: [
      async (req, res) => {
        const url = req.url ?? '/';
        const p = url.split('?')[0];
        if (p === prefix) {
          res.writeHead(308, { location: `${prefix}/` });
          res.end();
          return true;
        }
        if (!url.startsWith(`${prefix}/`)) return false;
        req.url = url.slice(prefix.length);
        return serve(req, res);
      },
    ],
  };
}

function servePage(res: http.ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The secret path must not travel in a Referer to links the bot sends.
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
  });
  res.end(sandboxPageHtml());
}

/** The host name of a Host header: `127.0.0.1:8080` → `127.0.0.1`, `[::1]:80` → `::1`. */
function hostName(header: string | undefined): string {
  if (!header) return '';
  const bracketed = /^\[([^\]]+)\]/.exec(header);
  if (bracketed) return bracketed[1] ?? '';
  return header.replace(/:\d*$/, '');
}
