/**
 * The office's queue page: Bull Board at `/admin/queues`, mounted only when ADMIN_UI_TOKEN is
 * set. It can retry and delete jobs, so every request must carry the token: in a header
 * (`Authorization: Bearer …` or `X-Admin-Token: …`, for scripts) or in the cookie a browser gets
 * by signing in on the page. The cookie holds an HMAC of the token, never the token, and is
 * SameSite=Strict so another site cannot drive the page's buttons. Tokens are compared in
 * constant time (SHA-256 of each side, then `timingSafeEqual`).
 *
 * Bull Board's Hono adapter is used because Hono and its Node bridge have no dependencies of
 * their own and plug into the plain `node:http` server; everything here is loaded on first
 * use, so a bot without ADMIN_UI_TOKEN never loads Bull Board.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { Queue } from 'bullmq';
import { msg } from '../messages/index.js';
import { type Route, readBody, sendJson } from './httpServer.js';

export const QUEUE_BOARD_PATH = '/admin/queues';
const COOKIE = 'chibo_admin';
const SESSION_SECONDS = 12 * 3600;

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** True when `given` is the token; takes the same time whatever `given` is. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(token));
}

/** The cookie value for a signed-in browser: derived from the token, useless without it. */
function sessionValue(token: string): string {
  return createHmac('sha256', token).update('chibo-admin-session').digest('base64url');
}

function cookieValue(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function headerToken(req: http.IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  const direct = req.headers['x-admin-token'];
  return typeof direct === 'string' ? direct.trim() : undefined;
}

/** Whether the request carries the token, in a header or as the signed-in cookie. */
export function isAuthorised(req: http.IncomingMessage, token: string): boolean {
  const fromHeader = headerToken(req);
  if (fromHeader !== undefined) return tokenMatches(fromHeader, token);
  const session = cookieValue(req, COOKIE);
  return session !== undefined && tokenMatches(session, sessionValue(token));
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function signInPage(problem?: string): string {
  const m = msg.admin;
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(m.signInTitle)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}
input,button{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box;margin:.25rem 0}
.problem{color:#b00020}</style></head>
<body><h1>${escapeHtml(m.signInTitle)}</h1><p>${escapeHtml(m.signInIntro)}</p>
${problem ? `<p class="problem">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="${QUEUE_BOARD_PATH}/login">
<label for="token">${escapeHtml(m.tokenLabel)}</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">${escapeHtml(m.signInButton)}</button>
</form></body></html>`;
}

function sendHtml(
  res: http.ServerResponse,
  status: number,
  html: string,
  headers: http.OutgoingHttpHeaders = {},
) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(html);
}

function refuse(req: http.IncomingMessage, res: http.ServerResponse): void {
  if ((req.headers.accept ?? '').includes('text/html')) sendHtml(res, 401, signInPage());
  else sendJson(res, 401, { ok: false, error: msg.admin.needToken });
}

async function signIn(req: http.IncomingMessage, res: http.ServerResponse, token: string): Promise<void> {
  let given: string | undefined;
  try {
    given = new URLSearchParams((await readBody(req, 4096)).toString('utf8')).get('token') ?? undefined;
  } catch {
    given = undefined;
  }
  if (!tokenMatches(given, token)) {
    sendHtml(res, 401, signInPage(msg.admin.wrongToken));
    return;
  }
  const secure = req.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
  res.writeHead(303, {
    location: QUEUE_BOARD_PATH,
    'set-cookie': `${COOKIE}=${sessionValue(token)}; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${SESSION_SECONDS}${secure}`,
    'cache-control': 'no-store',
  });
  res.end();
}

/** The guarded Bull Board over `queues`. Loads Bull Board and Hono now, not at import. */
export async function queueBoardRoute(opts: { token: string; queues: Queue[] }): Promise<Route> {
  const [
    { createBullBoard },
    { BullMQAdapter },
    { HonoAdapter },
    { Hono },
    { getRequestListener },
    { serveStatic },
  ] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/hono'),
    import('hono'),
    import('@hono/node-server'),
    import('@hono/node-server/serve-static'),
  ]);
  const serverAdapter = new HonoAdapter(serveStatic).setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: opts.queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: msg.admin.signInTitle } },
  });
  const app = new Hono();
  app.route(QUEUE_BOARD_PATH, serverAdapter.registerPlugin());
  const listener = getRequestListener(app.fetch);

  return async (req, res) => {
    const p = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (p !== QUEUE_BOARD_PATH && !p.startsWith(`${QUEUE_BOARD_PATH}/`)) return false;
    if (p === `${QUEUE_BOARD_PATH}/login` && req.method === 'POST') {
      await signIn(req, res, opts.token);
      return true;
    }
    if (!isAuthorised(req, opts.token)) {
      refuse(req, res);
      return true;
    }
    await listener(req, res);
    return true;
  };
}
