/**
 * The inbound edge, for every messenger. A channel adapter (`src/telegram/`, `src/zalo/`) turns
 * an update into a `Turn` (who, where, what they hold open) and an `Incoming` event; the router
 * finds the handler for it and returns the `Outcome` as data, which the adapter renders.
 *
 * Handlers are registered by the feature modules in this folder (`commands/index.ts` lists them):
 * - `command(name, …)`: a slash command; only in private chats unless `groups` is set;
 * - `action(codec, …)`: a pressed button or chosen option whose value the feature's codec packed;
 * - `dialog(kind, …)`: text or a file sent while that kind of dialog is open (a handler may
 *   leave what it does not take, e.g. a file, to the handlers below);
 * - `text(…)`, `file(…)`: anything else, offered to each handler in turn until one takes it.
 *
 * A value no codec can read, a command nobody handles and text nobody takes each get a clear
 * answer here, never the apology.
 */
import type { Codec } from '../src/chat/codec.js';
import { type Channel, type ChatId, expired, type Outcome, say } from '../src/chat/reply.js';
import type { Logger } from '../src/logger.js';
import { msg } from '../src/messages/index.js';
import type { DialogKind, DialogState, OpenDialog, Session } from '../src/services/dialogs.js';
import type { Services } from '../src/services/index.js';
import type { Viewer } from '../src/services/organisation.js';
import type { Profile } from '../src/services/people/index.js';

/** One update as the handlers see it, whatever the messenger. */
export interface Turn {
  channel: Channel;
  chat: { id: ChatId; private: boolean };
  /** The person writing, with their roles (none: not bound by an invite yet). */
  viewer: Viewer;
  /** The dialog open for this person in this chat, read once for the update. */
  dialog: OpenDialog | undefined;
  /** The name the messenger shows for the person (never an identity). */
  profile: Profile;
  /**
   * The message whose action was pressed, on a channel that can edit it later (Telegram): a
   * feature that keeps a message up to date (a directive's live status) needs its id.
   */
  pressed?: { messageId: number };
  /** On Zalo: who wrote, as Zalo knows them (to join this Zalo account to a person with a link code). */
  zalo?: { id: string; chat: string; name?: string };
  app: Services;
  log: Logger;
}

/** The service's view of a turn: who, in which chat, with which dialog open. */
export function session(turn: Turn): Session {
  return { viewer: turn.viewer, chat: turn.chat.id, dialog: turn.dialog };
}

/** A file a person sent. */
export interface IncomingFile {
  name: string;
  mime?: string;
  /** Bytes, when the messenger says. */
  size?: number;
  /** Downloads the content (only after the size was checked). */
  download(): Promise<Uint8Array>;
  /** A picture rather than a document. */
  photo?: boolean;
  /** The messenger's own id for the file, to send it again without uploading. */
  fileId?: string;
}

export type Incoming =
  | { type: 'command'; name: string; args: string; body: string }
  | { type: 'text'; text: string }
  | { type: 'action'; value: string }
  | { type: 'file'; file: IncomingFile }
  /** Something the bot does not read: a sticker, a voice message, a location. */
  | { type: 'other' };

/** What a dialog handler receives: text, or a file. */
export type DialogInput = { type: 'text'; text: string } | { type: 'file'; file: IncomingFile };

/** The words after a command and everything after its first line. */
export interface CommandInput {
  /** The rest of the first line: "/lich 15/09/2025 19:30" → "15/09/2025 19:30". */
  args: string;
  /** Everything after the command word, later lines included (a filled-in form). */
  body: string;
}

export interface CommandOptions {
  /** Also answered in group chats (otherwise a group gets "use a private chat"). */
  groups?: boolean;
}

type CommandHandler = (turn: Turn, input: CommandInput) => Promise<Outcome>;
type TextHandler = (turn: Turn, text: string) => Promise<Outcome | undefined>;
type FileHandler = (turn: Turn, file: IncomingFile) => Promise<Outcome | undefined>;
type DialogHandler<K extends DialogKind> = (
  turn: Turn,
  input: DialogInput,
  state: DialogState<K>,
) => Promise<Outcome | undefined>;

export class Router {
  private readonly commandHandlers = new Map<string, { handle: CommandHandler; opts: CommandOptions }>();
  private readonly actionHandlers: {
    codec: Codec<{ kind: string }>;
    handle: (t: Turn, a: never) => Promise<Outcome>;
  }[] = [];
  private readonly dialogHandlers = new Map<DialogKind, DialogHandler<never>>();
  private readonly textHandlers: TextHandler[] = [];
  private readonly fileHandlers: FileHandler[] = [];

  command(names: string | readonly string[], handle: CommandHandler, opts: CommandOptions = {}): this {
    for (const name of typeof names === 'string' ? [names] : names) {
      if (this.commandHandlers.has(name)) throw new Error(`command /${name} registered twice`);
      this.commandHandlers.set(name, { handle, opts });
    }
    return this;
  }

  action<A extends { kind: string }>(
    codec: Codec<A>,
    handle: (turn: Turn, action: A) => Promise<Outcome>,
  ): this {
    if (this.actionHandlers.some((h) => h.codec.prefix === codec.prefix))
      throw new Error(`action prefix ${codec.prefix} registered twice`);
    this.actionHandlers.push({ codec, handle: handle as (t: Turn, a: never) => Promise<Outcome> });
    return this;
  }

  dialog<K extends DialogKind>(kind: K, handle: DialogHandler<K>): this {
    if (this.dialogHandlers.has(kind)) throw new Error(`dialog ${kind} registered twice`);
    this.dialogHandlers.set(kind, handle as unknown as DialogHandler<never>);
    return this;
  }

  text(handle: TextHandler): this {
    this.textHandlers.push(handle);
    return this;
  }

  file(handle: FileHandler): this {
    this.fileHandlers.push(handle);
    return this;
  }

  /** The commands registered, for menus, help and the test that keeps them in step. */
  commandNames(): string[] {
    return [...this.commandHandlers.keys()];
  }

  /** The outcome for one event; what nobody handles gets the clear answer for its kind. */
  async handle(turn: Turn, event: Incoming): Promise<Outcome> {
    return (await this.route(turn, event)) ?? unhandled(turn, event);
  }

  /** The outcome of the handler this event belongs to, or undefined when it is nobody's. */
  async route(turn: Turn, incoming: Incoming): Promise<Outcome | undefined> {
    if (!turn.chat.private) return this.inGroup(turn, incoming);
    // Several handlers may look into one file (is it a member or a unit file?): it is
    // downloaded once, whoever asks first.
    const event: Incoming =
      incoming.type === 'file' ? { type: 'file', file: downloadedOnce(incoming.file) } : incoming;
    switch (event.type) {
      case 'command':
        return this.commandHandlers.get(event.name)?.handle(turn, { args: event.args, body: event.body });
      case 'action': {
        const owner = this.actionHandlers.find((h) => h.codec.owns(event.value));
        if (!owner) return undefined;
        const action = owner.codec.unpack(event.value);
        return action ? owner.handle(turn, action as never) : expired(msg.common.buttonExpired);
      }
      case 'text':
      case 'file': {
        const open = turn.dialog;
        const owner = open ? this.dialogHandlers.get(open.kind) : undefined;
        if (open && owner) {
          const outcome = await owner(turn, event, open.state as never);
          // Text belongs to the open dialog; a file it does not take may be for the handlers below.
          if (outcome || event.type === 'text') return outcome;
        }
        const handlers: ((t: Turn) => Promise<Outcome | undefined>)[] =
          event.type === 'text'
            ? this.textHandlers.map((h) => (t) => h(t, event.text))
            : this.fileHandlers.map((h) => (t) => h(t, event.file));
        for (const h of handlers) {
          const outcome = await h(turn);
          if (outcome) return outcome;
        }
        return undefined;
      }
      case 'other':
        return undefined;
    }
  }

  /** In a group only commands meant for groups are answered; everything else waits for a private chat. */
  private async inGroup(turn: Turn, event: Incoming): Promise<Outcome | undefined> {
    if (event.type === 'command') {
      const found = this.commandHandlers.get(event.name);
      if (found?.opts.groups) return found.handle(turn, { args: event.args, body: event.body });
      return found ? say(msg.common.privateOnly) : undefined;
    }
    if (event.type === 'action') {
      const owner = this.actionHandlers.find((h) => h.codec.owns(event.value));
      return owner ? { replies: [], toast: msg.common.privateOnly } : undefined;
    }
    return undefined;
  }
}

/** The same file, whose content is fetched at most once however many handlers read it. */
function downloadedOnce(file: IncomingFile): IncomingFile {
  let content: Promise<Uint8Array> | undefined;
  return { ...file, download: () => (content ??= file.download()) };
}

/** The answer to what no handler took: in a private chat, how to find the commands; in a group, nothing. */
function unhandled(turn: Turn, event: Incoming): Outcome {
  if (event.type === 'action') return expired(msg.common.buttonExpired);
  if (!turn.chat.private) return { replies: [] };
  return say(msg.common.notUnderstood);
}

/**
 * Splits a message into a command and its input: "/lich@chibo_bot 15/09 19:30" → `lich`. The
 * `@bot` suffix must be this bot's (in a group another bot may be meant). Not a command: undefined.
 */
export function parseCommand(
  text: string,
  botUsername: string | undefined,
): { name: string; args: string; body: string } | undefined {
  const match = /^\/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?=\s|$)/.exec(text);
  if (!match) return undefined;
  const [whole, name = '', mention] = match;
  if (mention && botUsername && mention.toLowerCase() !== botUsername.toLowerCase()) return undefined;
  const after = text.slice(whole.length);
  const firstLine = after.split('\n')[0] ?? '';
  return { name: name.toLowerCase(), args: firstLine.trim(), body: after.trim() };
}
