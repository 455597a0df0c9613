import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RecipientUnreachableError,
  RejectedMessageError,
  RetryAfterError,
  TransientSendError,
} from '../../../src/outbox/types.js';
import { ZaloEmulator } from '../../../src/sandbox/zaloEmulator.js';
import {
  classifyZaloError,
  UNREACHABLE_AFTER,
  ZaloApi,
  ZaloApiError,
  ZaloNetworkError,
} from '../../../src/zalo/api.js';

const apiError = (code: number, description: string, http = 200) =>
  new ZaloApiError('sendMessage', code, description, http);

describe('Zalo errors as the outbox reads them', () => {
  it.each([
    ['error_code 429 in an HTTP 200', apiError(429, 'Too Many Requests: retry after 7'), RetryAfterError, 7],
    ['HTTP 429 without a hint', apiError(429, 'Too Many Requests', 429), RetryAfterError, 1],
    ['HTTP 429 with another error_code', apiError(-32, 'quota', 429), RetryAfterError, 1],
    ['HTTP 502', apiError(502, 'Bad Gateway', 502), TransientSendError, undefined],
    ['error_code 500 in an HTTP 200', apiError(500, 'internal'), TransientSendError, undefined],
    ['408 request timeout', apiError(408, 'Request timeout'), TransientSendError, undefined],
    ['401 wrong token', apiError(401, 'Unauthorized', 401), TransientSendError, undefined],
    ['HTTP 404 wrong API root', apiError(404, 'Not Found', 404), TransientSendError, undefined],
    ['no answer', new ZaloNetworkError('sendMessage', 'no answer in time'), TransientSendError, undefined],
    [
      'first refusal to a person',
      apiError(403, 'Forbidden: the user has blocked the bot'),
      RejectedMessageError,
      undefined,
    ],
    ['undocumented ok:false', apiError(-201, 'Invalid chat_id'), RejectedMessageError, undefined],
  ])('%s', (_name, err, kind, seconds) => {
    const mapped = classifyZaloError(err);
    expect(mapped).toBeInstanceOf(kind);
    if (seconds !== undefined) expect((mapped as RetryAfterError).seconds).toBe(seconds);
  });

  it('marks the person unreachable only after repeated refusals, keeping the description', () => {
    const err = apiError(403, 'Forbidden: the user has blocked the bot');
    expect(classifyZaloError(err, UNREACHABLE_AFTER - 1)).toBeInstanceOf(RejectedMessageError);
    const last = classifyZaloError(err, UNREACHABLE_AFTER);
    expect(last).toBeInstanceOf(RecipientUnreachableError);
    expect((last as RecipientUnreachableError).reason).toBe('Forbidden: the user has blocked the bot');
    // A 429 never counts as a refusal, however many came before.
    expect(classifyZaloError(apiError(429, 'slow down'), 99)).toBeInstanceOf(RetryAfterError);
  });
});

describe('the client against the emulator', () => {
  const emulator = new ZaloEmulator();
  let root: string;
  beforeAll(async () => {
    root = await emulator.listen(0);
    emulator.addUser({ id: 'u1', display_name: 'Người 1' });
  });
  afterAll(() => emulator.close());

  it('reads ok on every answer: a too-long text is HTTP 200 with ok false', async () => {
    const api = new ZaloApi('1234567890:test-token', root);
    expect((await api.getMe()).account_name).toContain('Bot');
    const sent = await api.sendMessage('u1', 'Xin chào', false);
    expect(typeof sent.message_id).toBe('string');
    const err = await api.sendMessage('u1', 'x'.repeat(2001), false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect((err as ZaloApiError).httpStatus).toBe(200);
    expect((err as ZaloApiError).description).toMatch(/too long/);
    expect(String(err)).not.toContain('test-token');
  });

  it('says nothing of the token when it is refused', async () => {
    const err = await new ZaloApi('bad', root).getMe().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect((err as ZaloApiError).code).toBe(401);
    expect(String(err)).not.toContain('/botbad');
  });

  it('polls once per event, and takes a 408 as "nothing yet"', async () => {
    const api = new ZaloApi('1234567890:test-token', root);
    expect(await api.getUpdates(0)).toBeUndefined();
    const event = emulator.sendText('u1', 'xin chào');
    expect(await api.getUpdates(1)).toEqual(event);
    expect(await api.getUpdates(0)).toBeUndefined();
  });
});
