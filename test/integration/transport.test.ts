import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Input, Telegram, TelegramError } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTransport, installTransport } from '../../src/telegram/transport.js';

const TOKEN = '123:SECRET-token';

describe('the Bot API transport', () => {
  let server: Server;
  let root: string;
  const seen: { path: string; type: string; body: string }[] = [];
  let answer: (res: ServerResponse, path: string) => void = () => {};

  beforeAll(async () => {
    installTransport();
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          path: req.url ?? '',
          type: req.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString(),
        });
        answer(res, req.url ?? '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    // With a path and no trailing slash, as telegraf resolves it: `./bot<token>/<method>`.
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/x`;
  });
  afterAll(async () => {
    await closeTransport();
    await new Promise((r) => server.close(r));
  });

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  it('posts JSON to the URL telegraf would use, without null fields, and returns the result', async () => {
    answer = (res) => json(res, 200, { ok: true, result: { message_id: 7 } });
    const tg = new Telegram(TOKEN, { apiRoot: root });
    const sent = await tg.callApi('sendMessage', {
      chat_id: 1,
      text: 'null ở đây là chữ',
      reply_markup: null,
      disable_notification: undefined,
    } as never);
    expect(sent).toEqual({ message_id: 7 });
    const last = seen.at(-1)!;
    expect(last.path).toBe(`/api/bot${TOKEN}/sendMessage`);
    expect(last.type).toBe('application/json');
    expect(JSON.parse(last.body)).toEqual({ chat_id: 1, text: 'null ở đây là chữ' });
  });

  it('throws a refusal and a server error as TelegramError, as telegraf does', async () => {
    const tg = new Telegram(TOKEN, { apiRoot: root });
    answer = (res) =>
      json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: message is not modified' });
    const refused = await tg
      .callApi('editMessageText', { chat_id: 1, message_id: 2, text: 'x' })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(TelegramError);
    expect(refused.code).toBe(400);
    expect(refused.description).toBe('Bad Request: message is not modified');
    answer = (res) => {
      res.writeHead(502);
      res.end('<html>bad gateway</html>');
    };
    const failed = await tg.callApi('getMe', {}).catch((e) => e);
    expect(failed).toBeInstanceOf(TelegramError);
    expect(failed.code).toBe(502);
    expect(failed.description).toBe('Bad Gateway');
  });

  it('sends an upload as multipart through telegraf’s own client', async () => {
    answer = (res) => json(res, 200, { ok: true, result: { message_id: 8 } });
    const tg = new Telegram(TOKEN, { apiRoot: root });
    await tg.sendDocument(1, Input.fromBuffer(Buffer.from('a;b\n1;2\n'), 'bao-cao.csv'));
    const last = seen.at(-1)!;
    expect(last.path).toBe(`/api/bot${TOKEN}/sendDocument`);
    expect(last.type).toMatch(/^multipart\/form-data/);
    expect(last.body).toContain('bao-cao.csv');
  });

  it('keeps the token out of a network error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await new Telegram(TOKEN, { apiRoot: `http://127.0.0.1:${port}` })
      .callApi('getMe', {})
      .catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).not.toContain('SECRET');
  });
});
