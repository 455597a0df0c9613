/**
 * What a person does next, chosen at random: a command from the real menus with plausible or
 * hostile arguments, an answer, a filled-in form, a press of a button they were shown, a replay
 * of any button ever shown (as is, or mutated: cut, a field changed, another feature's prefix,
 * someone else's id), a file, an edit, a sticker, blocking the bot. Each move pushes one update
 * to the emulator; the runner waits for it before asking for the next.
 */
import type { Update } from '@telegraf/types';
import { buildRouter } from '../../commands/index.js';
import type { Role } from '../../src/domain/units.js';
import { msg } from '../../src/messages/index.js';
import type { BotApiEmulator, EmuMessage } from '../../src/sandbox/emulator.js';
import { ALLOWED_UPDATES } from '../../src/telegram/poller.js';
import { answer, type Context, commandArgs, congressForm, file, hostile, meetingForm } from './inputs.js';
import type { Random } from './random.js';
import { GROUPS, type Person, type RoleName } from './world.js';

/** One update the fuzz sent, and what to expect of it. */
export interface Sent {
  update: Update;
  /** Who did what, short enough for a report line. */
  label: string;
  actor: number;
  chatId: number;
  /** The bot asked for this update type (allowed_updates), so it will handle it. */
  delivered: boolean;
  /** A private-chat message or button press: it must get a message or a callback answer. */
  expectsAnswer: boolean;
  callbackId?: string;
}

/** What the fuzz has seen the bot hand out, fed by the runner from the emulator's call log. */
export class Memory {
  readonly buttons: string[] = [];
  readonly prefixes = new Set<string>();
  readonly inviteCodes: string[] = [];
  private readonly seen = new Set<string>();

  button(data: string): void {
    if (this.seen.has(data)) return;
    this.seen.add(data);
    this.buttons.push(data);
    if (this.buttons.length > 600) this.seen.delete(this.buttons.shift()!);
    const prefix = data.split(':')[0];
    if (prefix) this.prefixes.add(prefix);
  }

  invite(code: string): void {
    if (!this.inviteCodes.includes(code)) this.inviteCodes.push(code);
    if (this.inviteCodes.length > 50) this.inviteCodes.shift();
  }
}

const ROLE_OF: Record<Exclude<RoleName, 'unbound'>, Role> = {
  admin: { kind: 'admin' },
  leader: { kind: 'leader', unit: 'PHA' },
  secretary: { kind: 'secretary', unit: 'TDP01' },
  deputy: { kind: 'deputy', unit: 'TDP01' },
};

/** Every command a person can reach: the router's, every role's menu, and the help texts. */
function commandPool(): { all: string[]; byRole: Record<RoleName, string[]> } {
  const menu = (roles: Role[]) => msg.help.menuFor(roles).map((e) => e.command);
  const byRole = {
    unbound: menu([]),
    admin: menu([ROLE_OF.admin]),
    leader: menu([ROLE_OF.leader]),
    secretary: menu([ROLE_OF.secretary]),
    deputy: menu([ROLE_OF.deputy]),
  };
  const inHelp = [ROLE_OF.admin, ROLE_OF.leader, ROLE_OF.secretary]
    .map((r) => JSON.stringify(msg.help.forRoles([r], '')))
    .join(' ')
    .match(/\/[a-z_]+/g)
    ?.map((c) => c.substring(1));
  const all = new Set([...buildRouter().commandNames(), ...Object.values(byRole).flat(), ...(inHelp ?? [])]);
  return { all: [...all], byRole };
}

const delivered = (type: string) => (ALLOWED_UPDATES as readonly string[]).includes(type);

/** Printable in a report: JSON-escaped (lone surrogates show as \ud83d), long text cut with its length. */
export function preview(text: string, max = 80): string {
  const cut = text.length > max ? `${text.substring(0, max)}…(${text.length} chars)` : text;
  return JSON.stringify(cut);
}

export class Moves {
  private readonly commands = commandPool();
  private readonly blocked = new Set<number>();
  private fileSerial = 0;
  private last: { actor: Person; chatId: number } | undefined;

  constructor(
    private readonly r: Random,
    private readonly emulator: BotApiEmulator,
    private readonly people: readonly Person[],
    private readonly memory: Memory,
    private readonly context: () => Context,
    private readonly botUsername: string,
  ) {}

  /** The next update: pushed to the emulator, described for the report. */
  next(): Sent {
    const sent = this.choose();
    this.last = { actor: this.people.find((p) => p.id === sent.actor)!, chatId: sent.chatId };
    return sent;
  }

  private choose(): Sent {
    const r = this.r;
    // Often the same person goes on in the same chat (answers, presses the card they got), so
    // flows get deep; otherwise anyone, anywhere.
    if (this.last && r.chance(0.4)) {
      const { actor, chatId } = this.last;
      if (!(chatId > 0 && this.blocked.has(actor.id))) {
        const go = r.weighted<() => Sent | undefined>([
          [() => this.pressShown(actor, chatId), 6],
          [() => this.text(actor, chatId, answer(r, this.context())), 3],
          [() => this.form(actor, chatId), 1],
        ]);
        const sent = go();
        if (sent) return sent;
      }
    }
    const actor = r.pick(this.people);
    const groups = GROUPS.filter((g) => g.memberIds.includes(actor.id));
    const inGroup = groups.length > 0 && r.chance(0.15);
    const chatId = inGroup ? r.pick(groups).id : actor.id;
    // A person who blocked the bot comes back (Restart) before doing anything else in private.
    if (!inGroup && this.blocked.has(actor.id)) {
      this.blocked.delete(actor.id);
      return this.membership(actor, 'unblock');
    }
    const move = r.weighted<() => Sent | undefined>([
      [() => this.command(actor, chatId), 26],
      [() => this.pressShown(actor, chatId), 28],
      [() => this.text(actor, chatId, answer(r, this.context())), 12],
      [() => this.form(actor, chatId), 8],
      [() => this.replay(actor, chatId, false), 5],
      [() => this.replay(actor, chatId, true), 8],
      [() => this.sendFile(actor, chatId), 3],
      [() => this.edit(actor, chatId), 2],
      [() => this.sticker(actor, chatId), 2],
      [() => this.block(actor, inGroup), 1.5],
    ]);
    return move() ?? this.command(actor, chatId);
  }

  private who(actor: Person, chatId: number): string {
    return `${actor.id} (${actor.role})${chatId < 0 ? ` in group ${chatId}` : ''}`;
  }

  private message(actor: Person, chatId: number, what: string, update: Update): Sent {
    return {
      update,
      label: `${this.who(actor, chatId)} ${what}`,
      actor: actor.id,
      chatId,
      delivered: delivered('message'),
      expectsAnswer: chatId > 0,
    };
  }

  private command(actor: Person, chatId: number): Sent {
    const r = this.r;
    const pool = r.chance(0.7) ? this.commands.byRole[actor.role] : this.commands.all;
    let name: string = r.pick(pool);
    if (r.chance(0.03)) name = r.pick(['xyz', 'a'.repeat(40), 'START', 'Help']);
    const mention = r.weighted([
      ['', 90],
      [`@${this.botUsername}`, 7],
      ['@some_other_bot', 3],
    ] as const);
    const args = commandArgs(r, name, this.context());
    return this.text(actor, chatId, `/${name}${mention}${args ? ` ${args}` : ''}`);
  }

  private text(actor: Person, chatId: number, text: string): Sent {
    return this.message(
      actor,
      chatId,
      `sends ${preview(text)}`,
      this.emulator.sendText(actor.id, text, { chatId }),
    );
  }

  private form(actor: Person, chatId: number): Sent {
    const r = this.r;
    const ctx = this.context();
    const meeting = r.chance(0.55);
    const body = meeting ? meetingForm(r, ctx) : congressForm(r, ctx);
    const lead = r.weighted([
      [meeting ? '/sinhhoat\n' : '/daihoi\n', 5],
      ['', 4],
      [meeting ? `/sinhhoat ${r.pick(['10/2025', '09/2025', '2025-13'])}\n` : '/daihoi x\n', 1],
    ] as const);
    return this.text(actor, chatId, `${lead}${body}`);
  }

  /** Recent bot messages in the chat that carry callback buttons, newest first. */
  private withButtons(chatId: number): { message: EmuMessage; data: string[] }[] {
    const out: { message: EmuMessage; data: string[] }[] = [];
    const history = this.emulator.botMessages(chatId);
    for (let i = history.length - 1; i >= 0 && out.length < 8; i--) {
      const data = callbackData(history[i]!);
      if (data.length > 0) out.push({ message: history[i]!, data });
    }
    return out;
  }

  private press(actor: Person, chatId: number, message: EmuMessage, data: string, how: string): Sent {
    const update = this.emulator.pressButton(actor.id, chatId, message.message_id, data);
    return {
      update,
      label: `${this.who(actor, chatId)} ${how} ${preview(data)} on message ${message.message_id}`,
      actor: actor.id,
      chatId,
      delivered: delivered('callback_query'),
      expectsAnswer: chatId > 0,
      callbackId: update.callback_query.id,
    };
  }

  private pressShown(actor: Person, chatId: number): Sent | undefined {
    const shown = this.withButtons(chatId);
    if (shown.length === 0) return undefined;
    // Mostly the newest message, as people do; sometimes an older one.
    const pick = this.r.chance(0.7) ? shown[0]! : this.r.pick(shown);
    return this.press(actor, chatId, pick.message, this.r.pick(pick.data), 'presses');
  }

  private replay(actor: Person, chatId: number, mutated: boolean): Sent | undefined {
    const target = this.emulator.botMessages(chatId).at(-1 - this.r.int(3));
    if (!target || this.memory.buttons.length === 0) return undefined;
    const original = this.r.pick(this.memory.buttons);
    const data = mutated ? this.mutate(original) : original;
    return this.press(
      actor,
      chatId,
      target,
      data,
      mutated ? `forges (from ${preview(original)})` : 'replays',
    );
  }

  /** A callback value a modified client could send: cut, a field changed, swapped, extended. */
  private mutate(data: string): string {
    const r = this.r;
    const parts = data.split(':');
    const ctx = this.context();
    const replacement = () =>
      r.pick([
        r.pick(ctx.units.length > 0 ? ctx.units : ['PHA']),
        String(r.pick(ctx.personIds)),
        '2025-13',
        '0000-00',
        'BP1',
        '',
        '-1',
        '99999999999999999999',
        'deadbeef',
        '0',
        '😀',
        '\uD83D',
        'x'.repeat(70),
        'children',
      ]);
    const i = 1 + r.int(Math.max(1, parts.length - 1));
    switch (r.int(7)) {
      case 0:
        return data.length > 1 ? data.substring(0, r.between(1, data.length - 1)) : `${data}:`;
      case 1:
        parts[Math.min(i, parts.length)] = replacement();
        return parts.join(':');
      case 2:
        parts[0] = r.pick([...this.memory.prefixes, 'xx', '']);
        return parts.join(':');
      case 3:
        return `${data}:${replacement()}`;
      case 4:
        return parts.length > 1 ? parts.filter((_, k) => k !== i).join(':') : `${data}:${replacement()}`;
      case 5:
        return parts.map((p) => (/^\d+$/.test(p) ? String(r.pick(ctx.personIds)) : p)).join(':');
      default:
        return `${parts[0]}:${replacement()}:${replacement()}`;
    }
  }

  private sendFile(actor: Person, chatId: number): Sent {
    const f = file(this.r, this.context(), this.fileSerial++);
    const caption = this.r.chance(0.2) ? hostile(this.r) : undefined;
    const update = this.emulator.sendDocument(actor.id, f, { chatId, ...(caption ? { caption } : {}) });
    return this.message(actor, chatId, `sends file ${preview(f.name)} (${f.content.length} bytes)`, update);
  }

  private edit(actor: Person, chatId: number): Sent | undefined {
    const own = this.emulator
      .messages(chatId)
      .filter((m) => !m.from_bot && m.from.id === actor.id && m.text !== undefined);
    const target = own.at(-1 - this.r.int(Math.min(3, own.length)));
    if (!target) return undefined;
    const text = this.r.chance(0.5)
      ? answer(this.r, this.context())
      : `/sinhhoat\n${meetingForm(this.r, this.context())}`;
    const update = this.emulator.editText(actor.id, chatId, target.message_id, text);
    return {
      update,
      label: `${this.who(actor, chatId)} edits message ${target.message_id} to ${preview(text)}`,
      actor: actor.id,
      chatId,
      delivered: delivered('edited_message'),
      expectsAnswer: false,
    };
  }

  private sticker(actor: Person, chatId: number): Sent {
    const update = this.emulator.sendSticker(actor.id, {
      chatId,
      emoji: this.r.pick(['😀', '👍', FAMILY_EMOJI]),
    });
    return this.message(actor, chatId, 'sends a sticker', update);
  }

  private block(actor: Person, inGroup: boolean): Sent | undefined {
    if (inGroup) return undefined;
    this.blocked.add(actor.id);
    return this.membership(actor, 'block');
  }

  private membership(actor: Person, what: 'block' | 'unblock'): Sent {
    const update = what === 'block' ? this.emulator.blockBot(actor.id) : this.emulator.unblockBot(actor.id);
    if (!update) throw new Error(`${what} pushed no update`);
    return {
      update,
      label: `${this.who(actor, actor.id)} ${what}s the bot`,
      actor: actor.id,
      chatId: actor.id,
      delivered: delivered('my_chat_member'),
      expectsAnswer: false,
    };
  }
}

const FAMILY_EMOJI = '👨‍👩‍👧‍👦';

function callbackData(m: EmuMessage): string[] {
  const markup = m.reply_markup;
  if (!markup || !('inline_keyboard' in markup)) return [];
  return markup.inline_keyboard
    .flat()
    .map((b) => ('callback_data' in b ? b.callback_data : undefined))
    .filter((d): d is string => typeof d === 'string');
}
