/**
 * Reads the emulator's call log as the fuzz goes and counts what went wrong: apologies (bot
 * messages equal to the catalogue's apology, whatever the reference), invalid replies (calls
 * Telegram refuses: too long, lone surrogates, not modified, a second callback answer, bad HTML,
 * callback data over 64 bytes), and private-chat updates that got no answer at all. Each kind
 * of problem is kept once with the first update that caused it and how often it happened.
 */
import { msg } from '../../src/messages/index.js';
import type { CallLogEntry } from '../../src/sandbox/emulator.js';
import { type Memory, preview, type Sent } from './moves.js';

export type FindingKind = 'apology' | 'invalid_reply' | 'unanswered' | 'crash' | 'timeout' | 'error_log';

export interface Finding {
  kind: FindingKind;
  /** What went wrong, without ids that change from one update to the next. */
  what: string;
  /** The update that first caused it. */
  update: string;
  /** The call's text, cut for the report. */
  reply?: string;
  /** The handler's error from the bot's log, when there is one. */
  error?: string;
  count: number;
}

const SENDS = new Set(['sendMessage', 'sendDocument', 'sendPhoto', 'copyMessage', 'editMessageText']);
const ANSWERS = new Set([...SENDS, 'editMessageCaption', 'editMessageReplyMarkup', 'deleteMessage']);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The apology with any reference. */
const APOLOGY = (() => {
  const [before = '', after = ''] = msg.common.apology('\u0000').split('\u0000');
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${esc(before)}[A-Z0-9]+${esc(after)}$`);
})();

export function isApology(text: unknown): boolean {
  return typeof text === 'string' && APOLOGY.test(text);
}

/** Refusals that are the recipient's doing, not a wrong call: a blocked bot, a chat never opened. */
function excused(e: CallLogEntry): boolean {
  if (e.status === 200 || e.status === 429) return true;
  if (e.status === 403) return true;
  return /chat not found/.test(e.description ?? '');
}

function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  if (value && typeof value === 'object') return Object.values(value).some(hasLoneSurrogate);
  return false;
}

/** What an update asked for, to tell problems apart: a command, a button's feature and kind, text, a file. */
export function sourceOf(update: Sent['update']): string {
  if ('callback_query' in update) {
    const data = 'data' in update.callback_query ? update.callback_query.data : '';
    return `button ${data.split(':').slice(0, 2).join(':')}`;
  }
  if ('message' in update) {
    const m = update.message;
    if ('text' in m) return m.text.startsWith('/') ? (/^\/[A-Za-z0-9_]*/.exec(m.text)?.[0] ?? '/') : 'text';
    if ('document' in m) return 'file';
    if ('sticker' in m) return 'sticker';
  }
  return Object.keys(update).find((k) => k !== 'update_id') ?? 'update';
}

/** The callback data of the buttons a call carried (reply_markup is JSON, or a JSON string in a multipart call). */
function buttonsOf(params: Record<string, unknown>): string[] {
  let markup = params.reply_markup;
  if (typeof markup === 'string') {
    try {
      markup = JSON.parse(markup);
    } catch {
      return [];
    }
  }
  const rows = (markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  if (!Array.isArray(rows)) return [];
  return rows
    .flat()
    .map((b) => (b as { callback_data?: unknown }).callback_data)
    .filter((d): d is string => typeof d === 'string');
}

export class Judge {
  apologies = 0;
  invalidReplies = 0;
  unanswered = 0;
  crashes = 0;
  private readonly findings = new Map<string, Finding>();

  constructor(private readonly memory: Memory) {}

  /** Calls made while `current` was being handled (or in the background, when undefined). */
  consume(
    entries: readonly CallLogEntry[],
    current: Sent | undefined,
    error: () => string | undefined,
  ): void {
    const label = current?.label ?? '(background: outbox or a scheduled job)';
    const source = current ? sourceOf(current.update) : 'background';
    for (const e of entries) {
      for (const data of buttonsOf(e.params)) this.memory.button(data);
      const text = e.params.text ?? e.params.caption;
      if (typeof text === 'string')
        for (const m of text.matchAll(/\?start=([\w-]+)/g)) this.memory.invite(m[1]!);
      if ((e.method === 'sendMessage' || e.method === 'editMessageText') && isApology(e.params.text)) {
        this.apologies++;
        this.note('apology', `${source} → ${e.method}: the apology`, label, error());
      }
      const surrogate = hasLoneSurrogate(e.params);
      if (!excused(e) || surrogate) {
        this.invalidReplies++;
        const why =
          e.description ?? (surrogate ? 'a lone UTF-16 surrogate (Telegram refuses it)' : `HTTP ${e.status}`);
        this.note('invalid_reply', `${source} → ${e.method}: ${why}`, label, error(), text);
      }
    }
  }

  /** A private-chat update's calls: it must have got a message or a callback answer. */
  checkAnswered(sent: Sent, calls: readonly CallLogEntry[]): void {
    if (!sent.expectsAnswer) return;
    const answered = calls.some(
      (e) =>
        e.status === 200 &&
        ((ANSWERS.has(e.method) && String(e.params.chat_id) === String(sent.chatId)) ||
          (e.method === 'answerCallbackQuery' && e.params.callback_query_id === sent.callbackId)),
    );
    if (answered) return;
    this.unanswered++;
    this.note(
      'unanswered',
      `${Object.keys(sent.update).find((k) => k !== 'update_id')} got no answer`,
      sent.label,
    );
  }

  crash(what: string, label: string, error?: string): void {
    this.crashes++;
    this.note('crash', what, label, error);
  }

  /** An update the bot had not finished within the per-update timeout (a private one is also unanswered). */
  timedOut(what: string, label: string): void {
    this.note('timeout', what, label);
  }

  /** An error the bot logged that no apology or refusal shows (a job, the outbox). */
  errorLogged(what: string, label: string): void {
    this.note('error_log', what, label);
  }

  report(): Finding[] {
    return [...this.findings.values()];
  }

  private note(kind: FindingKind, what: string, update: string, error?: string, reply?: unknown): void {
    // One finding per kind of problem: ids, numbers and references do not make a new one.
    const key = `${kind}|${what}|${(error ?? '').replace(/\d+/g, '#').substring(0, 120)}`;
    const found = this.findings.get(key);
    if (found) found.count++;
    else
      this.findings.set(key, {
        kind,
        what,
        update,
        ...(typeof reply === 'string' ? { reply: preview(reply, 120) } : {}),
        ...(error ? { error } : {}),
        count: 1,
      });
  }
}
