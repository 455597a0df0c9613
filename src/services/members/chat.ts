/**
 * The member register in chat: /dangvien (a branch's list with its counts; kết nạp, chuyển chính
 * thức, chuyển sinh hoạt and closing a membership, each on a card saved only on «Xác nhận»;
 * a member's history), a member file sent by an admin, /huyhieu and /phattrien. Permission
 * checks are the register service's (`register.ts`, `access.ts`); this turns its answers into
 * replies. Members are personal data: the router never lets these commands answer in a group.
 *
 * A change waits on its card in the `members` dialog. The store refuses what is already done (a
 * second chuyển chính thức, a closed membership, a move to the branch the member is in, the
 * same person admitted twice), so a press repeated after a crash is told what the register
 * holds, and nothing is written twice.
 */
import { randomBytes } from 'node:crypto';
import { type Outcome, type Reply, reply, rowsOf } from '../../chat/reply.js';
import { checkAdmission, closingDate, closingReason, officialDate } from '../../domain/members/admission.js';
import { readAdmissionForm, readClosingKind } from '../../domain/members/admissionForm.js';
import type { Member } from '../../domain/members/member.js';
import { looksLikeMemberFile } from '../../domain/members/memberCsv.js';
import type { MemberRefusal, UnitRef } from '../../domain/members/refusal.js';
import { isBranch } from '../../domain/units.js';
import { calendarDate, foldVietnamese, formatVnDate, parseVnDate } from '../../domain/vn.js';
import type { Clock } from '../../infra/clock.js';
import { pausePoint } from '../../infra/pausePoints.js';
import { msg } from '../../messages/index.js';
import { historyDetail } from '../../messages/memberChat.js';
import { outboxId } from '../../outbox/outbox.js';
import type { Dialogs, Session } from '../dialogs.js';
import { exportButton } from '../exports/actions.js';
import type { Notifier } from '../notifier.js';
import type { Organisation, Viewer } from '../organisation.js';
import { type MemberAction, memberButton, type RegisterStep } from './actions.js';
import type { Transferred } from './register.js';
import type { MemberService } from './service.js';
import type { MemberChange, MemberState } from './state.js';
import { unitRef } from './types.js';

const c = msg.memberChat;

/** Branches listed in a committee's overview before "… và N chi bộ khác". */
const OVERVIEW_MAX = 60;
/** The largest member file taken in chat; bigger ones are imported from the server. */
export const MEMBER_FILE_MAX_BYTES = 20 * 1024 * 1024;

export interface MemberChatDeps {
  members: MemberService;
  org: Organisation;
  dialogs: Dialogs;
  notifier: Notifier;
  clock: Clock;
  timezone: string;
}

/** A file as the edge hands it over. */
export interface MemberFile {
  name: string;
  mime?: string;
  size?: number;
  download(): Promise<Uint8Array>;
}

/** The receipt key of a member card: whose card, and its token. */
const cardNonce = (personId: number, token: string) => `dv:${personId}:${token}`;

const refusalReply = (r: MemberRefusal): Reply => reply(msg.members.refusal(r));

/** "12", "#12", "số12" → 12; undefined for anything else. */
function memberId(text: string | undefined): number | undefined {
  const m = /^#?(\d{1,12})$/.exec((text ?? '').trim());
  if (!m) return undefined;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

export class MemberChat {
  constructor(private readonly deps: MemberChatDeps) {}

  private today() {
    return calendarDate(this.deps.clock.now(), this.deps.timezone);
  }

  // ------------------------------------------------------------------ /dangvien

  /** `/dangvien [MÃ | ketnap | chinhthuc … | chuyen … | ra … | lichsu …]`. */
  async command(s: Session, args: string, body: string): Promise<Reply[]> {
    const words = args.split(/\s+/).filter((w) => w !== '');
    const [first = '', ...rest] = words;
    switch (foldVietnamese(first).replace(/[_-]/g, '')) {
      case '':
        return this.list(s.viewer);
      case 'ketnap': {
        const form = body.slice(body.indexOf('\n') + 1);
        return this.startAdmission(s, rest[0], body.includes('\n') ? form : undefined);
      }
      case 'chinhthuc':
        return this.official(s, rest[0], rest[1]);
      case 'chuyen':
      case 'chuyensinhhoat':
        return this.transfer(s, rest[0], rest[1]);
      case 'ra':
      case 'ketthuc':
        return this.close(s, rest);
      case 'lichsu':
        return this.history(s.viewer, rest[0]);
      case 'huongdan':
        return [reply(c.help)];
      default:
        return this.list(s.viewer, first);
    }
  }

  /** A branch's list (the person's own by default), or a committee's branches with counts. */
  async list(viewer: Viewer, code?: string): Promise<Reply[]> {
    const found = await this.deps.members.scope(viewer, code);
    if (!found.ok) return this.scopeRefusal(found.refusal, 'list');
    const unit = found.value;
    if (!isBranch(unit)) return [await this.overview(unit)];
    const r = await this.deps.members.branch(viewer, unit.code);
    if (!r.ok) return [refusalReply(r.refusal)];
    const { members, counts } = r.value;
    const text = c.branchList(r.value.unit, members, counts);
    if (!this.manages(viewer, unit.code)) return [reply(text)];
    const b = (step: RegisterStep, label: string) =>
      memberButton(label, { kind: 'step', step, branch: unit.code });
    return [
      reply(text, [
        [b('admit', c.buttons.admit), b('official', c.buttons.official)],
        [b('transfer', c.buttons.transfer), b('close', c.buttons.close)],
        [b('history', c.buttons.history)],
      ]),
    ];
  }

  private async overview(scope: { code: string; name: string }): Promise<Reply> {
    const codes = await this.deps.org.units.branchesUnder(scope.code);
    const counts = await this.deps.members.branchCounts(codes);
    const shown = codes.slice(0, OVERVIEW_MAX);
    const units = await this.deps.org.units.getMany(shown);
    const totals = { branches: codes.length, official: 0, probationary: 0 };
    for (const cnt of counts.values()) {
      totals.official += cnt.official;
      totals.probationary += cnt.probationary;
    }
    const rows = shown.map((code) => {
      const cnt = counts.get(code) ?? { official: 0, probationary: 0 };
      const u = units.get(code);
      return {
        unit: u ? unitRef(u) : { code, name: code },
        official: cnt.official,
        probationary: cnt.probationary,
      };
    });
    return reply(c.scopeOverview(unitRef(scope), rows, totals));
  }

  /** A refusal; a person of several scopes gets a button per scope. */
  private scopeRefusal(r: MemberRefusal, step: 'list' | RegisterStep): Reply[] {
    if (r.reason !== 'choose_scope') return [refusalReply(r)];
    const buttons = r.units
      .slice(0, 20)
      .map((u) =>
        memberButton(
          `${u.name} (${u.code})`,
          step === 'list' ? { kind: 'list', branch: u.code } : { kind: 'step', step, branch: u.code },
        ),
      );
    return [reply(msg.members.refusal(r), rowsOf(buttons))];
  }

  private manages(viewer: Viewer, branch: string): boolean {
    return this.deps.org.isAdmin(viewer) || this.deps.org.canReportFor(viewer, branch);
  }

  /** The branch a secretary changes: the one named, or their only one; otherwise what to answer. */
  private async ownBranch(viewer: Viewer, code?: string): Promise<UnitRef | Reply[]> {
    if (code) {
      const unit = await this.deps.org.units.get(code);
      if (!unit) return [refusalReply({ reason: 'unknown_unit', code })];
      if (!this.manages(viewer, unit.code))
        return [refusalReply({ reason: 'not_allowed', unit: unitRef(unit) })];
      if (!isBranch(unit)) return [refusalReply({ reason: 'not_branch', unit: unitRef(unit) })];
      return unitRef(unit);
    }
    if (viewer.roles.length === 0) return [refusalReply({ reason: 'no_access' })];
    const branches = await this.deps.org.reportingUnits(viewer);
    if (branches.length === 1) return unitRef(branches[0]!);
    if (branches.length > 1)
      return this.scopeRefusal({ reason: 'choose_scope', units: branches.map(unitRef) }, 'admit');
    return [reply(this.deps.org.isAdmin(viewer) ? c.admitWhere : c.secretaryOnly)];
  }

  // ------------------------------------------------------------------ kết nạp

  private async startAdmission(s: Session, code: string | undefined, form?: string): Promise<Reply[]> {
    const branch = await this.ownBranch(s.viewer, code);
    if (Array.isArray(branch)) return branch;
    if (form !== undefined && readAdmissionForm(form).labelled > 0)
      return this.admissionCard(s, branch, form);
    await this.deps.dialogs.save(s.chat, s.viewer.id, 'members', { phase: 'admit', branch: branch.code });
    return [reply(c.admitForm(branch.name), [[this.cancelButton()]])];
  }

  /** Text while a members dialog is open: the kết nạp form. */
  async continueDialog(s: Session, state: MemberState, text: string): Promise<Reply[]> {
    if (state.phase !== 'admit') return [reply(c.cardGone)];
    const unit = await this.deps.org.units.get(state.branch);
    if (!unit) {
      await this.deps.dialogs.clear(s.chat, s.viewer.id);
      return [refusalReply({ reason: 'unknown_unit', code: state.branch })];
    }
    if (readAdmissionForm(text).labelled === 0) return [reply(c.notAForm, [[this.cancelButton()]])];
    return this.admissionCard(s, unitRef(unit), text);
  }

  private async admissionCard(s: Session, branch: UnitRef, form: string): Promise<Reply[]> {
    const { draft } = readAdmissionForm(form);
    const checked = checkAdmission(draft, branch.code, this.today());
    if (!checked.ok) {
      // The form stays open: the person corrects and sends it again.
      await this.deps.dialogs.save(s.chat, s.viewer.id, 'members', { phase: 'admit', branch: branch.code });
      return [
        refusalReply({ reason: 'invalid_member', problems: checked.problems }),
        reply(c.admitForm(branch.name)),
      ];
    }
    return this.card(
      s,
      { op: 'admit', branch: branch.code, draft },
      c.cards.admit(branch.name, checked.input),
    );
  }

  // ------------------------------------------------------------------ changes of one member

  /** The member, if the person may change them (their own branch; any for admins), else the refusal. */
  private async changeable(viewer: Viewer, idText: string | undefined): Promise<Member | Reply> {
    const id = memberId(idText);
    if (id === undefined) return reply(idText ? c.noMemberId(idText) : c.help);
    const found = await this.deps.members.member(viewer, id);
    if (!found.ok) return refusalReply(found.refusal);
    const m = found.value;
    if (!this.manages(viewer, m.branch)) {
      const unit = await this.deps.org.units.get(m.branch);
      return refusalReply({
        reason: 'not_allowed',
        unit: unit ? unitRef(unit) : { code: m.branch, name: m.branch },
      });
    }
    if (m.closing)
      return refusalReply({
        reason: 'member_closed',
        member: { id: m.id, fullName: m.fullName, branch: m.branch },
        kind: m.closing.kind,
        date: m.closing.date,
      });
    return m;
  }

  private async official(s: Session, idText?: string, dateText?: string): Promise<Reply[]> {
    const m = await this.changeable(s.viewer, idText);
    if (!('id' in m)) return [m];
    const ref = { id: m.id, fullName: m.fullName, branch: m.branch };
    if (m.officialSince)
      return [refusalReply({ reason: 'already_official', member: ref, since: m.officialSince })];
    const date = officialDate(dateText, m.joined, this.today());
    if (!date.ok) {
      const { ok: _ok, ...problem } = date;
      return [refusalReply({ reason: 'bad_date', member: ref, ...problem })];
    }
    return this.card(
      s,
      { op: 'official', id: m.id, ...(dateText ? { date: dateText } : {}) },
      c.cards.official(m, date.date),
    );
  }

  private async transfer(s: Session, idText?: string, to?: string): Promise<Reply[]> {
    const m = await this.changeable(s.viewer, idText);
    if (!('id' in m)) return [m];
    if (!to) return [reply(c.noTarget)];
    const [from, dest] = await Promise.all([this.deps.org.units.get(m.branch), this.deps.org.units.get(to)]);
    if (!dest) return [refusalReply({ reason: 'unknown_unit', code: to })];
    if (!isBranch(dest)) return [refusalReply({ reason: 'not_branch', unit: unitRef(dest) })];
    if (dest.code === m.branch)
      return [
        refusalReply({
          reason: 'same_branch',
          member: { id: m.id, fullName: m.fullName, branch: m.branch },
          unit: unitRef(dest),
        }),
      ];
    const fromRef = from ? unitRef(from) : { code: m.branch, name: m.branch };
    return this.card(
      s,
      { op: 'transfer', id: m.id, to: dest.code },
      c.cards.transfer(m, fromRef, unitRef(dest)),
    );
  }

  private async close(s: Session, words: readonly string[]): Promise<Reply[]> {
    const [idText, ...rest] = words;
    const m = await this.changeable(s.viewer, idText);
    if (!('id' in m)) return [m];
    const kind = readClosingKind(rest);
    if (!kind) return [reply(c.noKind(rest[0] ?? ''))];
    let after = rest.slice(kind.used);
    const dateText = after[0] && parseVnDate(after[0]) ? after[0] : undefined;
    if (dateText) after = after.slice(1);
    const ref = { id: m.id, fullName: m.fullName, branch: m.branch };
    const date = closingDate(dateText, m.joined, this.today());
    if (!date.ok) {
      const { ok: _ok, ...problem } = date;
      return [refusalReply({ reason: 'bad_date', member: ref, ...problem })];
    }
    const reason = closingReason(after.join(' '));
    if (!reason.ok) return [refusalReply({ reason: 'bad_reason', problem: reason.problem })];
    return this.card(
      s,
      { op: 'close', id: m.id, kind: kind.kind, date: formatVnDate(date.date), reason: reason.reason },
      c.cards.close(m, kind.kind, date.date, reason.reason),
    );
  }

  private async history(viewer: Viewer, idText?: string): Promise<Reply[]> {
    const id = memberId(idText);
    if (id === undefined) return [reply(idText ? c.noMemberId(idText) : c.usage.history)];
    const r = await this.deps.members.history(viewer, id);
    if (!r.ok) return [refusalReply(r.refusal)];
    const entries = r.value.entries.map((e) => ({
      at: formatVnDate(calendarDate(e.at, this.deps.timezone)),
      action: c.actionNames[e.action] ?? e.action,
      detail: historyDetail(e.action, e.after, e.before),
    }));
    return [reply(c.history(r.value.member, entries))];
  }

  // ------------------------------------------------------------------ cards

  private cancelButton() {
    return memberButton(msg.common.buttonCancel, { kind: 'cancel' });
  }

  /** Puts the change on a card; it waits in the dialog for «Xác nhận». */
  private async card(s: Session, change: MemberChange, text: Reply['text']): Promise<Reply[]> {
    const token = randomBytes(4).toString('hex');
    await this.deps.dialogs.save(s.chat, s.viewer.id, 'members', { phase: 'confirm', token, change });
    return [
      reply(text, [[memberButton(c.buttons.confirm, { kind: 'confirm', token }), this.cancelButton()]]),
    ];
  }

  /** A button under a register message. */
  async act(s: Session, action: MemberAction): Promise<Outcome> {
    switch (action.kind) {
      case 'cancel':
        await this.deps.dialogs.clear(s.chat, s.viewer.id);
        return { replies: [], pressed: { replace: reply(msg.common.cancelled) } };
      case 'list':
        return { replies: await this.list(s.viewer, action.branch), pressed: 'close' };
      case 'official':
        return { replies: await this.official(s, String(action.id)), pressed: 'close' };
      case 'step':
        return { replies: await this.step(s, action.step, action.branch) };
      case 'confirm':
        return this.confirm(s, action.token);
    }
  }

  /** What a step button on a branch's list does: the form, the probationary members, or how to type it. */
  private async step(s: Session, step: RegisterStep, branch: string): Promise<Reply[]> {
    if (step === 'admit') return this.startAdmission(s, branch);
    if (step !== 'official') return [reply(c.usage[step])];
    const r = await this.deps.members.branch(s.viewer, branch);
    if (!r.ok) return [refusalReply(r.refusal)];
    const probationary = r.value.members.filter((m) => !m.officialSince).slice(0, 30);
    return [
      reply(
        c.usage.official,
        rowsOf(
          probationary.map((m) => memberButton(c.buttons.officialOf(m), { kind: 'official', id: m.id })),
        ),
      ),
    ];
  }

  /**
   * «Xác nhận»: carries out the change on the card, once. The change writes the card's receipt
   * with it, so a press redelivered after a crash (the card still open) finishes what the
   * change owes — the receiving branch's notice — instead of refusing a change already made.
   */
  private async confirm(s: Session, token: string): Promise<Outcome> {
    const open = s.dialog?.kind === 'members' ? s.dialog.state : undefined;
    const card = open?.phase === 'confirm' && open.token === token ? open : undefined;
    const nonce = cardNonce(s.viewer.id, token);
    const receipt = await this.deps.dialogs.receipt(nonce);
    if (!card) return { replies: [], toast: receipt ? c.alreadyDone : c.cardGone, pressed: 'close' };
    const replies = receipt
      ? await this.made(card.change, receipt.ref ?? '', token)
      : await this.apply(s.viewer, card.change, token);
    await this.deps.dialogs.clear(s.chat, s.viewer.id);
    return { replies, pressed: 'close' };
  }

  /** The answer to a card whose change an earlier press made; a transfer's notice is queued again. */
  private async made(change: MemberChange, ref: string, token: string): Promise<Reply[]> {
    if (change.op !== 'transfer') return [reply(c.alreadyDone)];
    const [id, from] = ref.split(':');
    const r = await this.deps.members.transferMade(Number(id), from ?? '');
    return r.ok ? this.transferred(r.value, token) : [refusalReply(r.refusal)];
  }

  private async apply(viewer: Viewer, change: MemberChange, token: string): Promise<Reply[]> {
    const { members } = this.deps;
    const card = cardNonce(viewer.id, token);
    switch (change.op) {
      case 'admit': {
        const r = await members.admit(viewer, change.branch, change.draft, card);
        return [r.ok ? reply(c.done.admitted(r.value.member, r.value.unit.name)) : refusalReply(r.refusal)];
      }
      case 'official': {
        const r = await members.makeOfficial(viewer, change.id, change.date, card);
        return [r.ok ? reply(c.done.official(r.value.member)) : refusalReply(r.refusal)];
      }
      case 'transfer': {
        const r = await members.transfer(viewer, change.id, change.to, card);
        if (!r.ok) return [refusalReply(r.refusal)];
        await pausePoint('member-transfer-saved');
        return this.transferred(r.value, token);
      }
      case 'close': {
        const r = await members.close(viewer, change.id, {
          kind: change.kind,
          reason: change.reason,
          ...(change.date ? { date: change.date } : {}),
        });
        return [r.ok ? reply(c.done.closed(r.value.member)) : refusalReply(r.refusal)];
      }
    }
  }

  /** Tells the receiving branch (one notice per person and card, however often this runs). */
  private async transferred(t: Transferred, token: string): Promise<Reply[]> {
    const { member, from, to, notify } = t;
    await Promise.all(
      notify.map((person) =>
        this.deps.notifier.toPerson(person, c.transferNotice(member, from, to), {
          id: outboxId('dv-chuyen', member.id, to.code, token, person),
          purpose: 'notice',
        }),
      ),
    );
    return [reply(c.done.transferred(member, to, notify.length))];
  }

  // ------------------------------------------------------------------ a member file in chat

  /**
   * A CSV whose header names the member columns: imported all or nothing by an admin, every bad
   * row listed by line. Undefined for any other file (the unit import may take it).
   */
  async importFile(viewer: Viewer, file: MemberFile): Promise<Reply[] | undefined> {
    const isCsv = /\.csv$/i.test(file.name) || file.mime === 'text/csv';
    if (!isCsv) return undefined;
    if ((file.size ?? 0) > MEMBER_FILE_MAX_BYTES) {
      // Too big to look into; a large CSV from an admin is most likely the register.
      return this.deps.org.isAdmin(viewer) ? [reply(c.fileTooBig)] : undefined;
    }
    const bytes = await file.download();
    if (!looksLikeMemberFile(bytes)) return undefined;
    const r = await this.deps.members.importCsv(viewer, bytes);
    return [r.ok ? reply(msg.members.importSummary(r.value)) : refusalReply(r.refusal)];
  }

  // ------------------------------------------------------------------ /huyhieu, /phattrien

  /** `/huyhieu [DD/MM/YYYY] [MÃ]`: who in the person's scope is due at the occasion. */
  async badges(viewer: Viewer, args: string): Promise<Reply[]> {
    const words = args.split(/\s+/).filter((w) => w !== '');
    const occasion = words.find((w) => /\d/.test(w) && w.includes('/'));
    const unit = words.find((w) => w !== occasion);
    const r = await this.deps.members.badges(viewer, {
      ...(occasion ? { occasion } : {}),
      ...(unit ? { unit } : {}),
    });
    if (!r.ok) return this.scopeRefusal(r.refusal, 'list').map((x) => ({ text: x.text }));
    const list = r.value;
    const download =
      list.rows.length > 0
        ? [
            [
              exportButton(c.buttons.badgesWorkbook, {
                kind: 'badges',
                occasion: list.occasion,
                unit: list.scope.code,
              }),
            ],
          ]
        : [];
    return [reply(c.badges(list, this.today()), download)];
  }

  /** `/phattrien [YYYY] [MÃ]`: admissions against targets, chuyển chính thức due and overdue. */
  async development(viewer: Viewer, args: string): Promise<Reply[]> {
    const words = args.split(/\s+/).filter((w) => w !== '');
    const year = words.find((w) => /^\d{1,6}$/.test(w));
    const unit = words.find((w) => w !== year);
    const r = await this.deps.members.development(viewer, {
      ...(year ? { year } : {}),
      ...(unit ? { unit } : {}),
    });
    if (!r.ok) return [refusalReply(r.refusal)];
    return [reply(c.development(r.value))];
  }
}
