/**
 * Bot API failures as Telegram reports them: `{ ok: false, error_code, description, parameters? }`,
 * with the HTTP status equal to `error_code`.
 */

/** Extra fields Telegram adds to some errors (`retry_after` on 429). */
export interface ErrorParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

/** A Bot API call that failed the way Telegram would fail it. */
export class BotApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ErrorParameters,
  ) {
    super(description);
    this.name = 'BotApiError';
  }

  /** The JSON body Telegram sends with this error. */
  toBody(): { ok: false; error_code: number; description: string; parameters?: ErrorParameters } {
    return {
      ok: false,
      error_code: this.errorCode,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

/** 400 "Bad Request: <what>". */
export function badRequest(what: string): BotApiError {
  return new BotApiError(400, `Bad Request: ${what}`);
}

/** 403 "Forbidden: <what>". */
export function forbidden(what: string): BotApiError {
  return new BotApiError(403, `Forbidden: ${what}`);
}

/** 429 with `retry_after`, as Telegram's flood control answers. */
export function tooManyRequests(retryAfterSeconds: number): BotApiError {
  return new BotApiError(429, `Too Many Requests: retry after ${retryAfterSeconds}`, {
    retry_after: retryAfterSeconds,
  });
}

const serverErrorText: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** An injected 5xx, worded like the status line. */
export function serverError(status: 500 | 502 | 503): BotApiError {
  return new BotApiError(status, serverErrorText[status] ?? 'Internal Server Error');
}
