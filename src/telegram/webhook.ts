/**
 * Webhook mode. Telegram posts each update with our secret in a header; we answer only after
 * the update is handled, so an update we failed on is delivered again.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Update } from '@telegraf/types';
import { type Route, readBody, sendJson } from '../infra/httpServer.js';

/** A stable secret for every instance of one bot when WEBHOOK_SECRET is not set. */
export function defaultWebhookSecret(token: string): string {
  return createHash('sha256').update(`webhook:${token}`).digest('hex').slice(0, 48);
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function webhookRoute(path: string, secret: string, handle: (u: Update) => Promise<void>): Route {
  return async (req, res) => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== path) return false;
    if (!sameSecret(req.headers['x-telegram-bot-api-secret-token'], secret)) {
      sendJson(res, 401, { ok: false, error: 'bad secret token' });
      return true;
    }
    let update: Update;
    try {
      update = JSON.parse((await readBody(req)).toString('utf8')) as Update;
    } catch {
      sendJson(res, 400, { ok: false, error: 'body is not an update' });
      return true;
    }
    if (typeof update?.update_id !== 'number') {
      sendJson(res, 400, { ok: false, error: 'body is not an update' });
      return true;
    }
    await handle(update);
    sendJson(res, 200, { ok: true });
    return true;
  };
}
