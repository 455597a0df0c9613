/**
 * People in chat: /start with an invite code, /help by role, /huy, and the admin's /canbo
 * (overview, one unit's people with revoke and invite buttons), /moi (invite links, one or a CSV
 * for every branch) and a unit CSV sent as a file. The rules themselves are in `Organisation`;
 * this turns them into replies.
 */
import { type Channel, closeWith, type Outcome, type Reply, reply, say } from '../../chat/reply.js';
import { checkPersonName, checkTitle, hasRecordedName, nameWithTitle } from '../../domain/personIdentity.js';
import { isBranchLevel, type UnitRoleKind } from '../../domain/units.js';
import { calendarDate, formatVnDate } from '../../domain/vn.js';
import type { Clock } from '../../infra/clock.js';
import { msg } from '../../messages/index.js';
import { ROLE_WORDS } from '../../messages/people.js';
import { type ChannelStore, isZaloBorn, LINK_CODE_PATTERN } from '../../store/channels.js';
import type { Person } from '../../store/people.js';
import { type Dialogs, openOf, type Session } from '../dialogs.js';
import { type Organisation, personName, type Viewer } from '../organisation.js';
import { type PeopleAction, peopleButton } from './actions.js';
import type { InviteState } from './state.js';

const approverRows = () => [
  [
    peopleButton(msg.people.inviteDialog.buttonApprover, { kind: 'approver', yes: 'y' }),
    peopleButton(msg.people.inviteDialog.buttonNotApprover, { kind: 'approver', yes: 'n' }),
  ],
];

/** The largest unit file taken in chat; bigger ones are imported from the server. */
export const UNIT_FILE_MAX_BYTES = 10 * 1024 * 1024;

/** The profile a messenger shows for a person (kept to name them where no name was recorded). */
export interface Profile {
  first_name: string;
  last_name?: string;
  username?: string;
}

/** A file a person sent, as the edge hands it over. */
export interface SentFile {
  name: string;
  mime?: string;
  size?: number;
  download(): Promise<Uint8Array>;
}

/** Where a message came from, for joining a second channel with a link code. */
export interface Via {
  channel: Channel;
  /** On Zalo: the Zalo account writing. */
  zalo?: { id: string; chat: string; name?: string };
}

export class PeopleService {
  constructor(
    private readonly org: Organisation,
    private readonly dialogs: Dialogs,
    private readonly timezone: string,
    private readonly channels: ChannelStore,
    private readonly clock: Clock,
  ) {}

  /**
   * `/start CODE` binds the person (an invite) or joins this channel to them (a link code from
   * `/lienket`); bare `/start` greets by role or says how to get access.
   */
  async start(
    viewer: Viewer,
    code: string,
    profile: Profile,
    via: Via = { channel: 'telegram' },
  ): Promise<Outcome> {
    if (!code)
      return say(
        via.channel === 'zalo' && viewer.roles.length === 0
          ? msg.zalo.startNoCode
          : await this.org.greetingFor(viewer),
      );
    if (LINK_CODE_PATTERN.test(code)) return this.redeemLink(viewer, code, via);
    const r = await this.org.redeemInvite(code, viewer.id, profile);
    return r.ok ? { replies: [reply(r.text)], rolesChanged: true } : say(r.text);
  }

  /** `/lienket`: a one-time code that joins the other channel to this person. */
  async linkCode(viewer: Viewer): Promise<Reply[]> {
    if (viewer.roles.length === 0) return [reply(msg.zalo.linkNoRole)];
    const { code, ttlSeconds } = await this.channels.createLinkCode(viewer.id);
    return [reply(msg.zalo.linkCode(code, ttlSeconds / 3600))];
  }

  private async redeemLink(viewer: Viewer, code: string, via: Via): Promise<Outcome> {
    const now = this.clock.now();
    const r =
      via.channel === 'zalo' && via.zalo
        ? await this.channels.linkZalo(code, via.zalo, now)
        : await this.channels.linkTelegram(code, viewer.id, now);
    if (!r.ok) return say(r.reason === 'unknown_code' ? msg.zalo.linkUnknown : msg.zalo.linkOtherTelegram);
    if (r.already) return say(msg.zalo.alreadyLinked);
    const names = msg.zalo.channelNames;
    return {
      replies: [reply(msg.zalo.linked(`${names.telegram} và ${names.zalo}`))],
      rolesChanged: true,
    };
  }

  /** `/kenh [zalo|telegram|tudong]`: where bot-initiated messages go. */
  async channel(viewer: Viewer, args: string, current: Channel): Promise<Reply[]> {
    const person = await this.org.person(viewer.id);
    const names = msg.zalo.channelNames;
    const word = args.trim().toLowerCase().split(/\s+/)[0] ?? '';
    if (!person || viewer.roles.length === 0) return [reply(msg.units.noAccess)];
    const has = (c: Channel) => (c === 'zalo' ? !!person.zalo : !isZaloBorn(person.id));
    if (word === 'zalo' || word === 'telegram') {
      if (!has(word)) return [reply(msg.zalo.channelMissing(names[word]))];
      await this.channels.choose(viewer.id, word);
      return [reply(msg.zalo.channelSet(names[word]))];
    }
    if (['tudong', 'tự động', 'auto'].includes(word)) {
      await this.channels.choose(viewer.id, undefined);
      return [reply(msg.zalo.channelAuto)];
    }
    const route = (await this.channels.routes([viewer.id])).get(viewer.id);
    const where = names[route?.channel ?? current];
    return [reply(`${msg.zalo.channelNow(where, !!person.channel)}\n${msg.zalo.channelUsage}`)];
  }

  /** The person wrote on Telegram: remembered only for people who also use Zalo. */
  async wroteFrom(person: Person | undefined, channel: Channel): Promise<void> {
    if (person?.zalo && person.lastChannel !== channel) await this.channels.noteChannel(person.id, channel);
  }

  /**
   * Everyone who has written to the bot on Zalo, roles or not: how the office finds the person id
   * of a first admin in a deployment without Telegram (for ADMIN_IDS).
   */
  async zaloPeople(): Promise<{ zaloId: string; person: Person }[]> {
    const users = await this.channels.zaloUsers();
    const people = new Map(
      (await this.org.people.getMany(users.map((u) => u.personId))).map((p) => [p.id, p]),
    );
    return users.flatMap((u) => {
      const person = people.get(u.personId);
      return person ? [{ zaloId: u.zaloId, person }] : [];
    });
  }

  /** The channels a person uses, for /canbo. */
  channelsOf(person: Person): string[] {
    const names = msg.zalo.channelNames;
    return [...(isZaloBorn(person.id) ? [] : [names.telegram]), ...(person.zalo ? [names.zalo] : [])];
  }

  /** `/help`: the person's commands, by role. */
  help(viewer: Viewer, channel: Channel = 'telegram'): Reply[] {
    const noRole = channel === 'zalo' ? msg.zalo.startNoCode : msg.units.startNoCode;
    return [reply(msg.help.forRoles(viewer.roles, noRole))];
  }

  /** `/huy`: ends whatever dialog is open. */
  async cancel(s: Session): Promise<Reply[]> {
    await this.dialogs.clear(s.chat, s.viewer.id);
    return [reply(msg.common.cancelled)];
  }

  /** `/canbo [MÃ]`: the overview, or one unit's people with revoke and invite buttons. */
  async people(viewer: Viewer, args: string): Promise<Reply[]> {
    const refused = this.refusal(viewer);
    if (refused) return [refused];
    const code = args.split(/\s+/)[0] ?? '';
    if (!code) {
      const o = await this.org.overview();
      return [reply(msg.people.overview(o.counts, o.branches, o.vacant))];
    }
    return [await this.unitPeople(code)];
  }

  private async unitPeople(code: string): Promise<Reply> {
    const unit = await this.org.unit(code);
    if (!unit) return reply(msg.units.unknownUnit(code));
    const holders = await this.org.holdersAt(code);
    const text = msg.people.unitHolders(
      unit.name,
      unit.code,
      holders.map((h) => {
        const notes: string[] = [
          hasRecordedName(h.person) ? undefined : msg.people.unverifiedNote,
          h.kind === 'leader' && h.person.approver ? msg.people.approverNote : undefined,
          h.person.unreachable ? msg.people.unreachableNote : undefined,
        ].filter((n) => n !== undefined);
        return {
          role: msg.units.roleName(h.kind),
          name: `${nameWithTitle(h.person)} · id ${h.person.id} · ${msg.zalo.channelsOf(this.channelsOf(h.person))}`,
          note: notes.length > 0 ? notes.join('; ') : undefined,
        };
      }),
    );
    const inviteKinds: UnitRoleKind[] = isBranchLevel(unit.level)
      ? ['secretary', 'deputy', 'leader']
      : ['leader'];
    return reply(text, [
      ...holders.map((h) => [
        peopleButton(msg.people.buttonRevoke(msg.units.roleName(h.kind), personName(h.person)), {
          kind: 'revoke',
          id: h.person.id,
          role: h.kind,
          unit: unit.code,
        }),
      ]),
      inviteKinds.map((k) =>
        peopleButton(msg.people.buttonInvite(k), { kind: 'invite', role: k, unit: unit.code }),
      ),
    ]);
  }

  /** A /canbo or /moi button. */
  async act(s: Session, action: PeopleAction): Promise<Outcome> {
    const viewer = s.viewer;
    if (action.kind === 'cancel') return { replies: [], pressed: { replace: reply(msg.common.cancelled) } };
    const refused = this.refusal(viewer);
    if (refused) return say(refused);
    switch (action.kind) {
      case 'revoke': {
        const [person, unit] = await Promise.all([this.org.person(action.id), this.org.unit(action.unit)]);
        if (!person || !unit) return say(msg.people.unknownPerson(action.id));
        const role = msg.units.roleName(action.role);
        return say(
          reply(msg.people.confirmRevoke(role, personName(person), unit.name), [
            [
              peopleButton(msg.people.buttonConfirmRevoke, { ...action, kind: 'revokeConfirmed' }),
              peopleButton(msg.common.buttonCancel, { kind: 'cancel' }),
            ],
          ]),
        );
      }
      case 'revokeConfirmed': {
        // Revoking is idempotent: a press repeated after a crash finds the role gone and says so.
        const r = await this.org.revoke(viewer, action.id, { kind: action.role, unit: action.unit });
        return { replies: [], pressed: { replace: reply(r.text) } };
      }
      case 'invite':
        return closeWith(...(await this.startInvite(s, action.unit, action.role)));
      case 'noTitle':
      case 'approver': {
        const state = openOf(s, 'invite');
        if (!state) return say(reply(msg.people.inviteDialog.expired));
        if (action.kind === 'noTitle' && state.step === 'title')
          return closeWith(...(await this.inviteStep(s, { ...state, title: '' })));
        if (action.kind === 'approver' && state.step === 'approver')
          return closeWith(...(await this.finishInvite(s, state, action.yes === 'y')));
        return say(reply(msg.people.inviteDialog.expired));
      }
    }
  }

  /** Text while the /moi dialog is open: the name, then the title. */
  async continueInvite(s: Session, state: InviteState, text: string): Promise<Reply[]> {
    if (state.step === 'name') {
      const r = checkPersonName(text);
      if (!r.ok) return [reply(msg.people.identityProblem(r.problem))];
      return this.inviteStep(s, { ...state, name: r.value });
    }
    if (state.step === 'title') {
      const r = checkTitle(text);
      if (!r.ok) return [reply(msg.people.identityProblem(r.problem))];
      return this.inviteStep(s, { ...state, title: r.value });
    }
    return [reply(msg.people.inviteDialog.approver, approverRows())];
  }

  /** Asks for what is missing (the name, the title, the leader's approver mark), or makes the link. */
  private async inviteStep(s: Session, state: InviteState): Promise<Reply[]> {
    const d = msg.people.inviteDialog;
    if (state.name === undefined) {
      const unit = await this.org.unit(state.unit);
      return this.dialogs.apply(s.chat, s.viewer.id, 'invite', {
        state: { ...state, step: 'name' },
        replies: [reply(d.name(msg.units.roleName(state.role).toLowerCase(), unit?.name ?? state.unit))],
      });
    }
    if (state.title === undefined) {
      return this.dialogs.apply(s.chat, s.viewer.id, 'invite', {
        state: { ...state, step: 'title' },
        replies: [
          reply(d.title, [
            [
              peopleButton(d.buttonNoTitle, { kind: 'noTitle' }),
              peopleButton(msg.common.buttonCancel, { kind: 'cancel' }),
            ],
          ]),
        ],
      });
    }
    if (state.role === 'leader') {
      return this.dialogs.apply(s.chat, s.viewer.id, 'invite', {
        state: { ...state, step: 'approver' },
        replies: [reply(d.approver, approverRows())],
      });
    }
    return this.finishInvite(s, state, false);
  }

  private async finishInvite(s: Session, state: InviteState, approver: boolean): Promise<Reply[]> {
    await this.dialogs.clear(s.chat, s.viewer.id);
    return this.inviteOne(s.viewer, state.unit, state.role, {
      ...(state.name ? { name: state.name } : {}),
      ...(state.title ? { title: state.title } : {}),
      approver,
    });
  }

  /** Checks the unit fits the role, then opens the /moi dialog at its first question. */
  private async startInvite(s: Session, unitCode: string, role: UnitRoleKind): Promise<Reply[]> {
    const unit = await this.org.unit(unitCode);
    if (!unit) return [reply(msg.units.unknownUnit(unitCode))];
    if (role !== 'leader' && !isBranchLevel(unit.level)) return [reply(msg.units.notBranch(unit.name))];
    return this.inviteStep(s, { step: 'name', unit: unit.code, role });
  }

  /**
   * `/moi MÃ bithu|phobithu|lanhdao` (then asks họ và tên, chức vụ and, for a leader, whether
   * they record chuẩn y decisions), or `/moi tatca bithu` for a CSV of every branch's link.
   */
  async invite(s: Session, args: string): Promise<Reply[]> {
    const viewer = s.viewer;
    const refused = this.refusal(viewer);
    if (refused) return [refused];
    const [target = '', roleWord = ''] = args.split(/\s+/);
    const role = ROLE_WORDS[roleWord.toLowerCase()];
    if (!target || !role) return [reply(msg.people.inviteUsage)];
    if (!['tatca', 'tat-ca', 'all'].includes(target.toLowerCase())) return this.startInvite(s, target, role);
    const r = await this.org.createInvites(viewer, { allBranches: true, role, onlyVacant: true });
    if (!r.ok) return [reply(r.text)];
    return [
      {
        text: '',
        document: {
          filename: `duong-dan-moi-${role}.csv`,
          bytes: Buffer.from(r.csv, 'utf8'),
          caption: msg.people.inviteFileCaption(r.rows.length, this.date(r.expiresAt)),
        },
      },
    ];
  }

  private async inviteOne(
    viewer: Viewer,
    unitCode: string,
    role: UnitRoleKind,
    identity: { name?: string; title?: string; approver?: boolean },
  ): Promise<Reply[]> {
    const r = await this.org.createInvites(viewer, { unit: unitCode, role, ...identity });
    if (!r.ok) return [reply(r.text)];
    const row = r.rows[0]!;
    const link = this.org.inviteLink(row.code);
    const roleName = msg.units.roleName(role);
    const expires = this.date(r.expiresAt);
    return [
      reply(
        link
          ? msg.people.inviteOne(roleName, row.unitName, link, expires)
          : msg.people.inviteCode(roleName, row.unitName, row.code, expires),
      ),
    ];
  }

  /** A unit CSV sent in chat: imported all or nothing, every bad row listed. Only admins. */
  async importUnits(viewer: Viewer, file: SentFile): Promise<Reply[]> {
    if (!this.org.isAdmin(viewer))
      return [reply(viewer.roles.length === 0 ? msg.units.noAccess : msg.people.fileNotForYou)];
    const isCsv = /\.csv$/i.test(file.name) || file.mime === 'text/csv';
    if (!isCsv) return [reply(msg.people.csvOnly)];
    if ((file.size ?? 0) > UNIT_FILE_MAX_BYTES) return [reply(msg.people.fileTooBig)];
    const outcome = await this.org.importUnitsCsv(viewer, await file.download());
    return [reply(outcome.text)];
  }

  /** The refusal for anyone but an admin, or undefined. */
  private refusal(viewer: Viewer): Reply | undefined {
    if (this.org.isAdmin(viewer)) return undefined;
    return reply(viewer.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly);
  }

  private date(ms: number): string {
    return formatVnDate(calendarDate(ms, this.timezone));
  }
}
