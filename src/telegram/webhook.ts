/**
 * Webhook mode. Telegram posts each update with our secret in a header; we answer only after
 * the update is handled, so an update we failed on is delivered again.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Update } from '@telegraf/types';
import { type Route, readBody, sendJson } from '../infra/httpServer.js';
import type { ChatTurns } from '../store/chatTurns.js';
import { updateChatKey } from './poller.js';

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
    // A failure (Redis away) answers 500 from the server's boundary: Telegram delivers it again.
    await handle(update);
    sendJson(res, 200, { ok: true });
    return true;
  };
}

/** How long a webhook call waits for its chat's turn before answering 503 (Telegram retries). */
const TURN_WAIT_LIMIT_MS = 50_000;

/**
 * Handles a webhook update in its chat's turn (`ChatTurns`): queued in Redis, then handled by
 * whichever instance holds the chat's turn, in update_id order. Resolves once the update is
 * handled, here or elsewhere; throws when it cannot be (the webhook answers 5xx and Telegram
 * delivers it again).
 */
export async function handleInChatTurn(
  turns: ChatTurns,
  update: Update,
  handle: (u: Update) => Promise<void>,
): Promise<void> {
  const chat = updateChatKey(update);
  const deadline = Date.now() + TURN_WAIT_LIMIT_MS;
  const holder = turns.holder();
  let step = await turns.arrive(holder, chat, update.update_id, JSON.stringify(update));
  for (;;) {
    switch (step.kind) {
      case 'turn': {
        const next = JSON.parse(step.json) as Update;
        try {
          await handle(next);
        } catch (err) {
          await turns.giveBack(holder, chat).catch(() => {});
          throw err;
        }
        step = await turns.advance(holder, chat, next.update_id);
        break;
      }
      case 'empty':
      case 'done':
        return;
      case 'busy':
      case 'lost':
        if (Date.now() > deadline) throw new Error(`chat ${chat}: no turn within ${TURN_WAIT_LIMIT_MS} ms`);
        await new Promise((r) => setTimeout(r, 10));
        step = await turns.wait(holder, chat, update.update_id);
        break;
    }
  }
}
