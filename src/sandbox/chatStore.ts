/**
 * Everything the people in the sandbox can see: who they are, their chats with the bot, and
 * each chat's history. Every change (a message sent, edited or deleted, a toast) takes the next
 * number of one sequence, so the page can ask "what changed after N" and update in place.
 */
import type { Chat, Document, Message, PhotoSize, Sticker, User } from '@telegraf/types';
import type { TextEntity } from './formatting.js';
import type { ReplyMarkup } from './markup.js';

/** A person the sandbox can act as. */
export interface EmuUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  /** Shown on the page next to the name, e.g. "Quản trị". */
  label?: string;
}

/** A group chat the bot is a member of. */
export interface EmuGroup {
  /** Negative, as Telegram's group ids are. */
  id: number;
  title: string;
  memberIds: number[];
}

export type EmuChat = Chat.PrivateChat | Chat.GroupChat | Chat.SupergroupChat;

/**
 * A message as the people in the chat see it: Telegram's fields, with `text` already stripped of
 * markup (formatting is in `entities`), plus a few fields only the emulator knows.
 */
export interface EmuMessage {
  message_id: number;
  date: number;
  chat: EmuChat;
  from: User;
  text?: string;
  entities?: TextEntity[];
  caption?: string;
  caption_entities?: TextEntity[];
  document?: Document;
  photo?: PhotoSize[];
  /** A sticker a person sent. */
  sticker?: Sticker;
  /** Any markup the bot attached, reply keyboards included (Telegram only echoes inline ones). */
  reply_markup?: ReplyMarkup;
  reply_to_message?: Message;
  edit_date?: number;
  /** True when the bot sent it. */
  from_bot: boolean;
  /** True once the bot has edited it. */
  edited?: boolean;
  /** The parse_mode the bot used, if any. */
  parse_mode?: string;
  /** The text or caption exactly as the bot sent it, before parse_mode was applied. */
  raw_text?: string;
  /** The sequence number of this message's latest change. */
  seq: number;
}

/** A note from answerCallbackQuery, shown to the person who pressed the button. */
export interface Toast {
  seq: number;
  userId: number;
  text: string;
  show_alert: boolean;
  url?: string;
}

export type ChatChange =
  | { kind: 'sent' | 'edited'; chatId: number; seq: number; message: EmuMessage }
  | { kind: 'deleted'; chatId: number; seq: number; messageId: number }
  | { kind: 'toast'; chatId: number; seq: number; toast: Toast }
  /** Everything was forgotten (reset); `chatId` is 0. */
  | { kind: 'cleared'; chatId: 0; seq: number };

/** A new message's content; ids, dates and the chat are filled in by `append`. */
export type MessageDraft = Omit<EmuMessage, 'message_id' | 'date' | 'chat' | 'seq'>;

interface ChatRecord {
  chat: EmuChat;
  /** In message_id order (a Map keeps insertion order). */
  messages: Map<number, EmuMessage>;
  nextMessageId: number;
  /** Which message each change touched, in sequence order. */
  changes: { seq: number; messageId: number }[];
  /** Private chats: the person has written to the bot, so the bot may write to them. */
  started: boolean;
  /** Private chats: the person has blocked the bot. */
  blocked: boolean;
}

export class ChatStore {
  private readonly people = new Map<number, EmuUser>();
  private readonly groupsById = new Map<number, EmuGroup>();
  private readonly chats = new Map<number, ChatRecord>();
  private toasts: Toast[] = [];
  private seq = 0;
  private clearedAt = 0;
  private readonly listeners = new Set<(change: ChatChange) => void>();
  private readonly chatListeners = new Map<number, Set<(change: ChatChange) => void>>();

  addUser(u: EmuUser): void {
    this.people.set(u.id, { ...u });
  }

  users(): EmuUser[] {
    return [...this.people.values()];
  }

  user(id: number): EmuUser | undefined {
    return this.people.get(id);
  }

  /** The Telegram `User` object for a person. */
  telegramUser(id: number): User {
    const u = this.people.get(id);
    if (!u) throw new Error(`Unknown sandbox user ${id}; add them with addUser first`);
    return {
      id: u.id,
      is_bot: false,
      first_name: u.first_name,
      ...(u.last_name ? { last_name: u.last_name } : {}),
      ...(u.username ? { username: u.username } : {}),
      language_code: 'vi',
    };
  }

  addGroup(g: EmuGroup): void {
    if (g.id >= 0) throw new Error(`Group ids are negative in Telegram; got ${g.id}`);
    this.groupsById.set(g.id, { ...g, memberIds: [...g.memberIds] });
  }

  groups(): EmuGroup[] {
    return [...this.groupsById.values()];
  }

  group(id: number): EmuGroup | undefined {
    return this.groupsById.get(id);
  }

  /** The chat with this id, opened on first use for a known person or group. */
  open(chatId: number): ChatRecord | undefined {
    const existing = this.chats.get(chatId);
    if (existing) return existing;
    const chat = this.describeChat(chatId);
    if (!chat) return undefined;
    const record: ChatRecord = {
      chat,
      messages: new Map(),
      nextMessageId: 1,
      changes: [],
      started: false,
      blocked: false,
    };
    this.chats.set(chatId, record);
    return record;
  }

  /** The chat if it has been opened. */
  get(chatId: number): ChatRecord | undefined {
    return this.chats.get(chatId);
  }

  append(chatId: number, draft: MessageDraft): EmuMessage {
    const record = this.open(chatId);
    if (!record) throw new Error(`Unknown chat ${chatId}`);
    const message: EmuMessage = {
      message_id: record.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: record.chat,
      ...draft,
      seq: ++this.seq,
    };
    record.messages.set(message.message_id, message);
    record.changes.push({ seq: message.seq, messageId: message.message_id });
    this.emit({ kind: 'sent', chatId, seq: message.seq, message });
    return message;
  }

  message(chatId: number, messageId: number): EmuMessage | undefined {
    return this.chats.get(chatId)?.messages.get(messageId);
  }

  /** Replaces a message with an edited copy; earlier copies handed out stay as they were. */
  edit(chatId: number, messageId: number, patch: Partial<MessageDraft>): EmuMessage {
    const record = this.chats.get(chatId);
    const old = record?.messages.get(messageId);
    if (!record || !old) throw new Error(`No message ${messageId} in chat ${chatId}`);
    const message: EmuMessage = {
      ...old,
      ...patch,
      edited: true,
      edit_date: Math.floor(Date.now() / 1000),
      seq: ++this.seq,
    };
    record.messages.set(messageId, message);
    record.changes.push({ seq: message.seq, messageId });
    this.emit({ kind: 'edited', chatId, seq: message.seq, message });
    return message;
  }

  delete(chatId: number, messageId: number): boolean {
    const record = this.chats.get(chatId);
    if (!record?.messages.delete(messageId)) return false;
    const seq = ++this.seq;
    record.changes.push({ seq, messageId });
    this.emit({ kind: 'deleted', chatId, seq, messageId });
    return true;
  }

  history(chatId: number): EmuMessage[] {
    return [...(this.chats.get(chatId)?.messages.values() ?? [])];
  }

  /** Messages changed after `afterSeq` (their current state, in id order) and ids deleted since. */
  changesSince(chatId: number, afterSeq: number): { messages: EmuMessage[]; deleted: number[] } {
    const record = this.chats.get(chatId);
    const messages: EmuMessage[] = [];
    const deleted: number[] = [];
    if (!record) return { messages, deleted };
    const seen = new Set<number>();
    // Newest first, stopping at the first change the caller already has.
    for (let k = record.changes.length - 1; k >= 0; k--) {
      const change = record.changes[k]!;
      if (change.seq <= afterSeq) break;
      if (seen.has(change.messageId)) continue;
      seen.add(change.messageId);
      const m = record.messages.get(change.messageId);
      if (m) messages.push(m);
      else deleted.push(change.messageId);
    }
    messages.sort((a, b) => a.message_id - b.message_id);
    return { messages, deleted };
  }

  addToast(userId: number, chatId: number, text: string, showAlert: boolean, url?: string): Toast {
    const toast: Toast = { seq: ++this.seq, userId, text, show_alert: showAlert, ...(url ? { url } : {}) };
    this.toasts.push(toast);
    this.emit({ kind: 'toast', chatId, seq: toast.seq, toast });
    return toast;
  }

  toastsSince(userId: number, afterSeq: number): Toast[] {
    const out: Toast[] = [];
    for (let k = this.toasts.length - 1; k >= 0 && this.toasts[k]!.seq > afterSeq; k--) {
      const t = this.toasts[k]!;
      if (t.userId === userId) out.unshift(t);
    }
    return out;
  }

  /** The number of the latest change. */
  get currentSeq(): number {
    return this.seq;
  }

  /**
   * Calls `listener` on every change, or only on changes in `chatId` (so hundreds of waiting
   * tests do not each see every message of a broadcast). Returns the unsubscribe function.
   */
  subscribe(listener: (change: ChatChange) => void, chatId?: number): () => void {
    if (chatId === undefined) {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    }
    let set = this.chatListeners.get(chatId);
    if (!set) {
      set = new Set();
      this.chatListeners.set(chatId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.chatListeners.get(chatId) === set) this.chatListeners.delete(chatId);
    };
  }

  /** Forgets chats and toasts; people and groups stay, and the sequence keeps counting. */
  clear(): void {
    this.chats.clear();
    this.toasts = [];
    this.clearedAt = ++this.seq;
    this.emit({ kind: 'cleared', chatId: 0, seq: this.clearedAt });
  }

  /** True when a reader who has seen changes up to `afterSeq` missed a clear (or a restart) since. */
  isStale(afterSeq: number): boolean {
    return afterSeq > this.seq || (afterSeq > 0 && afterSeq < this.clearedAt);
  }

  private emit(change: ChatChange): void {
    for (const listener of [...this.listeners]) listener(change);
    const forChat = this.chatListeners.get(change.chatId);
    if (forChat) for (const listener of [...forChat]) listener(change);
  }

  private describeChat(chatId: number): EmuChat | undefined {
    if (chatId > 0) {
      const u = this.people.get(chatId);
      if (!u) return undefined;
      return {
        id: u.id,
        type: 'private',
        first_name: u.first_name,
        ...(u.last_name ? { last_name: u.last_name } : {}),
        ...(u.username ? { username: u.username } : {}),
      };
    }
    const g = this.groupsById.get(chatId);
    if (!g) return undefined;
    // Supergroup ids start with -100 followed by at least ten digits.
    return chatId <= -1_000_000_000_000
      ? { id: g.id, type: 'supergroup', title: g.title }
      : { id: g.id, type: 'group', title: g.title };
  }
}
