/**
 * Directives in chat.
 * - /thongbao (admins): a guided dialog — title, document number, text, an optional file or
 *   photo, the audience by buttons, an optional action deadline and the reminder delay — then a
 *   preview of exactly what recipients will see. Nothing is sent before «Xác nhận và gửi»; that
 *   message then becomes the live status (edited in place by the directive jobs) with «Dừng gửi».
 *   The answers live in a `dr-new` conversation, so the dialog survives a restart; «Hủy» or
 *   /huy stops it.
 * - «Đã nhận» under a directive records the acknowledgement (first press wins) and shows its time.
 * - /thongbao_tinhtrang [SỐ] (admins): the latest directives, or one directive in full.
 * - /vanban: the directives addressed to the asker, with «Đã nhận» for those not acknowledged.
 *
 * Callback data (`dr:` area): s:<step> skips a step, a:<audience>, u:<unit>, k:<kind>, kd,
 * h:<hours>, ok, no, pv/pf (preview buttons); ack:<id>, av:<id> (from /vanban), f:<id> (file),
 * v:<id> (show again), x:<id> / xy:<id> / xn (stop a directive).
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from '@telegraf/types';
import { Composer, Input } from 'telegraf';
import {
  type Audience,
  checkAckHours,
  checkDeadline,
  checkNumber,
  checkText,
  checkTitle,
  DEFAULT_ACK_HOURS,
  DIRECTIVE_LIMITS,
  type DirectiveAttachment,
  type DraftInput,
  type FieldCheck,
} from '../src/domain/directives.js';
import { escapeHtml, splitMessage } from '../src/domain/text.js';
import { BRANCH_KINDS, type BranchKind } from '../src/domain/units.js';
import { formatNumber, formatVnDate } from '../src/domain/vn.js';
import { msg } from '../src/messages/index.js';
import type { BotContext } from '../src/telegram/context.js';
import { commandArgs, replyLong, requireAdmin, requireBound } from '../src/telegram/guards.js';
import { button, keyboard } from '../src/telegram/keyboards.js';

const m = msg.directives;
const d = m.dialog;

export const directives = new Composer<BotContext>();

/** The conversation kind of the compose dialog. */
export const COMPOSE_KIND = 'dr-new';

type Step =
  | 'title'
  | 'number'
  | 'text'
  | 'file'
  | 'audience'
  | 'unit'
  | 'kinds'
  | 'deadline'
  | 'hours'
  | 'confirm';

/** The answers so far; everything a restart needs to resume. */
interface ComposeState {
  step: Step;
  title?: string;
  number?: string;
  text?: string;
  attachment?: DirectiveAttachment;
  audience?: Audience;
  /** Kinds ticked so far on the kinds step. */
  kinds?: BranchKind[];
  deadline?: string;
  ackHours?: number;
}

const cancelRow = (): InlineKeyboardButton[] => [button(msg.common.buttonCancel, 'dr', 'no')];

/** Removes the buttons of the message whose button was pressed (ignoring "not modified"). */
async function closeButtons(ctx: BotContext): Promise<void> {
  await ctx
    .editMessageReplyMarkup(undefined)
    .catch((err: Error) => ctx.log.debug({ err: err.message }, 'could not remove the buttons'));
}

async function save(ctx: BotContext, state: ComposeState): Promise<void> {
  await ctx.app.conversations.set<ComposeState>(
    ctx.chat!.id,
    ctx.viewer.id,
    COMPOSE_KIND,
    state,
    ctx.app.clock.now(),
  );
}

function kindsKeyboard(selected: readonly BranchKind[]): InlineKeyboardButton[][] {
  const rows = BRANCH_KINDS.map((k) => [
    button(`${selected.includes(k) ? '✓ ' : ''}${msg.units.kindName(k)}`, 'dr', 'k', k),
  ]);
  return [...rows, [button(d.buttonKindsDone, 'dr', 'kd')]];
}

/** Asks the question of the current step (or shows the preview), after `before` if given. */
async function ask(ctx: BotContext, state: ComposeState, before?: string): Promise<void> {
  await save(ctx, state);
  let text: string;
  let rows: InlineKeyboardButton[][] = [];
  switch (state.step) {
    case 'title':
      text = d.title;
      break;
    case 'number':
      text = d.number;
      rows = [[button(d.buttonNoNumber, 'dr', 's', 'number')]];
      break;
    case 'text':
      text = d.text(DIRECTIVE_LIMITS.text);
      break;
    case 'file':
      text = d.attachment;
      rows = [[button(d.buttonNoFile, 'dr', 's', 'file')]];
      break;
    case 'audience':
      text = d.audience;
      rows = [
        [button(d.buttonAllSecretaries, 'dr', 'a', 'all')],
        [button(d.buttonUnit, 'dr', 'a', 'unit')],
        [button(d.buttonKinds, 'dr', 'a', 'kind')],
        [button(d.buttonLeaders, 'dr', 'a', 'lead')],
      ];
      break;
    case 'unit':
      text = d.unit;
      rows = (await ctx.app.directives.unitChoices()).map((u) => [
        button(`${u.name} (${u.code})`, 'dr', 'u', u.code),
      ]);
      break;
    case 'kinds':
      text = d.kinds;
      rows = kindsKeyboard(state.kinds ?? []);
      break;
    case 'deadline':
      text = d.deadline;
      rows = [[button(d.buttonNoDeadline, 'dr', 's', 'deadline')]];
      break;
    case 'hours':
      text = d.ackHours;
      rows = [[24, 48, 72].map((h) => button(d.buttonHours(h), 'dr', 'h', h))];
      break;
    case 'confirm':
      await showPreview(ctx, state);
      return;
  }
  await ctx.reply(before ? `${before}\n\n${text}` : text, keyboard([...rows, cancelRow()]));
}

function draftInput(state: ComposeState): DraftInput {
  return {
    title: state.title ?? '',
    text: state.text ?? '',
    audience: state.audience ?? '',
    ackHours: state.ackHours ?? DEFAULT_ACK_HOURS,
    ...(state.number ? { number: state.number } : {}),
    ...(state.deadline ? { deadline: formatVnDate(state.deadline) } : {}),
    ...(state.attachment ? { attachment: state.attachment } : {}),
  };
}

/** The preview: exactly the recipient's message, then what will happen and «Xác nhận và gửi». */
async function showPreview(ctx: BotContext, state: ComposeState): Promise<void> {
  const svc = ctx.app.directives;
  const checked = svc.check(draftInput(state));
  if (!checked.ok) {
    await ask(ctx, { ...state, step: 'title' }, checked.errors.join('\n'));
    return;
  }
  const r = await svc.preview(ctx.viewer, checked.draft);
  if (!r.ok) {
    await ask(ctx, { ...state, step: 'audience' }, r.errors.join('\n'));
    return;
  }
  const p = r.preview;
  await ctx.reply(d.previewIntro(p.recipients));
  await ctx.reply(p.html, { parse_mode: 'HTML', reply_markup: p.markup });
  await ctx.reply(
    d.confirm(checked.draft.title, p.audienceText, p.recipients, formatNumber(checked.draft.ackHours)),
    keyboard([[button(d.buttonConfirm, 'dr', 'ok')], cancelRow()]),
  );
}

/** The step after `step`, given the answers. */
function nextStep(step: Step): Step {
  const order: Step[] = ['title', 'number', 'text', 'file', 'audience', 'deadline', 'hours', 'confirm'];
  if (step === 'unit' || step === 'kinds') return 'deadline';
  return order[order.indexOf(step) + 1] ?? 'confirm';
}

/** Takes a typed answer for the current step: checked at once, then the next step. */
async function answerText(ctx: BotContext, state: ComposeState, raw: string): Promise<void> {
  const take = async <T>(check: FieldCheck<T>, apply: (v: T) => ComposeState) => {
    if (!check.ok) await ask(ctx, state, check.message);
    else await ask(ctx, { ...apply(check.value), step: nextStep(state.step) });
  };
  switch (state.step) {
    case 'title':
      return take(checkTitle(raw), (title) => ({ ...state, title }));
    case 'number':
      return take(checkNumber(raw), (number) => withOptional(state, 'number', number));
    case 'text':
      return take(checkText(raw), (text) => ({ ...state, text }));
    case 'deadline':
      return take(checkDeadline(raw, ctx.app.directives.today()), (deadline) =>
        withOptional(state, 'deadline', deadline),
      );
    case 'hours':
      return take(checkAckHours(raw), (ackHours) => ({ ...state, ackHours }));
    case 'unit': {
      const unit = await ctx.app.directives.findUnit(raw);
      if (!unit) return ask(ctx, state, msg.units.unknownUnit(raw.trim()));
      return ask(ctx, { ...state, audience: { kind: 'unit', unit: unit.code }, step: 'deadline' });
    }
    case 'file':
      return ask(ctx, state, d.needFile);
    default:
      // A button is awaited (audience, kinds, confirm): ask again.
      return ask(ctx, state);
  }
}

function withOptional<K extends 'number' | 'deadline'>(
  state: ComposeState,
  key: K,
  value: string | undefined,
): ComposeState {
  const next = { ...state };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/** The compose state when the pressed button belongs to the current step, else a toast. */
async function currentCompose(ctx: BotContext, steps: readonly Step[]): Promise<ComposeState | undefined> {
  const conv = await ctx.app.conversations.get<ComposeState>(ctx.chat!.id, ctx.viewer.id);
  if (conv?.kind !== COMPOSE_KIND || !steps.includes(conv.state.step)) {
    await ctx.answerCbQuery(msg.common.buttonExpired);
    return undefined;
  }
  if (!ctx.app.org.isAdmin(ctx.viewer)) {
    await ctx.answerCbQuery();
    await ctx.app.conversations.clear(ctx.chat!.id, ctx.viewer.id);
    await ctx.reply(msg.units.adminOnly);
    return undefined;
  }
  await ctx.answerCbQuery();
  return conv.state;
}

directives.command('thongbao', async (ctx) => {
  if (ctx.chat.type !== 'private') return;
  if (!(await requireAdmin(ctx))) return;
  await ask(ctx, { step: 'title' }, d.intro);
});

directives.action(/^dr:s:(number|file|deadline)$/, async (ctx) => {
  const step = ctx.match[1] as Step;
  const state = await currentCompose(ctx, [step]);
  if (!state) return;
  await closeButtons(ctx);
  const next = { ...state };
  if (step === 'number') delete next.number;
  if (step === 'file') delete next.attachment;
  if (step === 'deadline') delete next.deadline;
  await ask(ctx, { ...next, step: nextStep(step) });
});

directives.action(/^dr:a:(all|unit|kind|lead)$/, async (ctx) => {
  const state = await currentCompose(ctx, ['audience']);
  if (!state) return;
  await closeButtons(ctx);
  switch (ctx.match[1]) {
    case 'all':
      return ask(ctx, { ...state, audience: { kind: 'all-secretaries' }, step: 'deadline' });
    case 'lead':
      return ask(ctx, { ...state, audience: { kind: 'leaders' }, step: 'deadline' });
    case 'unit':
      return ask(ctx, { ...state, step: 'unit' });
    default:
      return ask(ctx, { ...state, kinds: [], step: 'kinds' });
  }
});

directives.action(/^dr:u:(.+)$/, async (ctx) => {
  const state = await currentCompose(ctx, ['unit']);
  if (!state) return;
  await closeButtons(ctx);
  await answerText(ctx, state, ctx.match[1] ?? '');
});

directives.action(/^dr:k:([a-z_]+)$/, async (ctx) => {
  const state = await currentCompose(ctx, ['kinds']);
  const kind = BRANCH_KINDS.find((k) => k === ctx.match[1]);
  if (!state || !kind) return;
  const before = state.kinds ?? [];
  const kinds = before.includes(kind) ? before.filter((k) => k !== kind) : [...before, kind];
  await save(ctx, { ...state, kinds });
  await ctx
    .editMessageReplyMarkup(keyboard([...kindsKeyboard(kinds), cancelRow()]).reply_markup)
    .catch((err: Error) => ctx.log.debug({ err: err.message }, 'could not update the kinds'));
});

directives.action('dr:kd', async (ctx) => {
  const state = await currentCompose(ctx, ['kinds']);
  if (!state) return;
  const kinds = state.kinds ?? [];
  if (kinds.length === 0) {
    await ctx.reply(m.errors.kindsEmpty);
    return;
  }
  await closeButtons(ctx);
  const { kinds: _ticked, ...rest } = state;
  await ask(ctx, { ...rest, audience: { kind: 'kind', kinds }, step: 'deadline' });
});

directives.action(/^dr:h:(\d+)$/, async (ctx) => {
  const state = await currentCompose(ctx, ['hours']);
  if (!state) return;
  await closeButtons(ctx);
  await answerText(ctx, state, ctx.match[1] ?? '');
});

directives.action('dr:ok', async (ctx) => {
  const state = await currentCompose(ctx, ['confirm']);
  if (!state) return;
  // Cleared first, so a second press finds nothing to send.
  await ctx.app.conversations.clear(ctx.chat!.id, ctx.viewer.id);
  const svc = ctx.app.directives;
  const r = await svc.send(ctx.viewer, draftInput(state));
  if (!r.ok) {
    await closeButtons(ctx);
    await ask(ctx, { ...state, step: 'audience' }, r.errors.join('\n'));
    return;
  }
  const view = await svc.statusView(r.directive.id);
  const message = ctx.callbackQuery.message;
  if (view && message) {
    await ctx.editMessageText(view.html, { parse_mode: 'HTML', reply_markup: view.markup });
    await svc.attachStatusMessage(r.directive.id, ctx.chat!.id, message.message_id);
  }
});

directives.action('dr:no', async (ctx) => {
  await ctx.answerCbQuery();
  const conv = await ctx.app.conversations.get(ctx.chat!.id, ctx.viewer.id);
  if (conv?.kind === COMPOSE_KIND) await ctx.app.conversations.clear(ctx.chat!.id, ctx.viewer.id);
  await closeButtons(ctx);
  await ctx.reply(msg.common.cancelled);
});

directives.action('dr:pv', async (ctx) => {
  await ctx.answerCbQuery(m.toast.preview);
});

directives.action('dr:pf', async (ctx) => {
  const conv = await ctx.app.conversations.get<ComposeState>(ctx.chat!.id, ctx.viewer.id);
  const a = conv?.kind === COMPOSE_KIND ? conv.state.attachment : undefined;
  if (!a?.fileId) {
    await ctx.answerCbQuery(msg.common.buttonExpired);
    return;
  }
  await ctx.answerCbQuery();
  const caption = conv?.state.title;
  if (a.kind === 'photo') await ctx.replyWithPhoto(a.fileId, caption ? { caption } : {});
  else await ctx.replyWithDocument(a.fileId, caption ? { caption } : {});
});

/** A document or photo on the file step becomes the directive's attachment (kept by file_id). */
directives.on(['document', 'photo'], async (ctx, next) => {
  if (ctx.chat.type !== 'private') return next();
  const conv = await ctx.app.conversations.get<ComposeState>(ctx.chat.id, ctx.viewer.id);
  if (conv?.kind !== COMPOSE_KIND) return next();
  const state = conv.state;
  if (state.step !== 'file') {
    await ask(ctx, state);
    return;
  }
  const message = ctx.message;
  let attachment: DirectiveAttachment;
  let saved: string;
  if ('document' in message) {
    const filename = message.document.file_name ?? 'van-ban';
    attachment = { kind: 'document', filename, fileId: message.document.file_id };
    saved = d.fileSaved(filename);
  } else {
    const largest = message.photo[message.photo.length - 1];
    if (!largest) return next();
    attachment = { kind: 'photo', filename: 'anh.jpg', fileId: largest.file_id };
    saved = d.photoSaved;
  }
  await ask(ctx, { ...state, attachment, step: nextStep('file') }, saved);
});

directives.on('text', async (ctx, next) => {
  if (ctx.chat.type !== 'private' || ctx.message.text.startsWith('/')) return next();
  const conv = await ctx.app.conversations.get<ComposeState>(ctx.chat.id, ctx.viewer.id);
  if (conv?.kind !== COMPOSE_KIND) return next();
  if (!ctx.app.org.isAdmin(ctx.viewer)) {
    await ctx.app.conversations.clear(ctx.chat.id, ctx.viewer.id);
    await ctx.reply(msg.units.adminOnly);
    return;
  }
  await answerText(ctx, conv.state, ctx.message.text);
});

// ------------------------------------------------------------------ recipients

directives.action(/^dr:ack:(\d+)$/, async (ctx) => {
  const r = await ctx.app.directives.acknowledge(ctx.viewer.id, ctx.match[1] ?? '');
  if (!r.ok) {
    await ctx.answerCbQuery(r.text);
    return;
  }
  await ctx.answerCbQuery(r.first ? m.toast.acknowledged(r.when) : m.toast.already(r.when));
  await ctx
    .editMessageReplyMarkup(r.markup)
    .catch((err: Error) => ctx.log.debug({ err: err.message }, 'could not mark the directive acknowledged'));
});

/** «Đã nhận» from the /vanban list: acknowledge, then redraw the list. */
directives.action(/^dr:av:(\d+)$/, async (ctx) => {
  const r = await ctx.app.directives.acknowledge(ctx.viewer.id, ctx.match[1] ?? '');
  if (!r.ok) {
    await ctx.answerCbQuery(r.text);
    return;
  }
  await ctx.answerCbQuery(r.first ? m.toast.acknowledged(r.when) : m.toast.already(r.when));
  const view = await inboxView(ctx);
  if (view)
    await ctx
      .editMessageText(view.html, { parse_mode: 'HTML', reply_markup: view.markup })
      .catch((err: Error) => ctx.log.debug({ err: err.message }, 'could not redraw /vanban'));
});

directives.action(/^dr:v:(\d+)$/, async (ctx) => {
  const r = await ctx.app.directives.copyFor(ctx.viewer.id, ctx.match[1] ?? '');
  if (!r.ok) {
    await ctx.answerCbQuery(r.text);
    return;
  }
  await ctx.answerCbQuery();
  await ctx.reply(r.html, { parse_mode: 'HTML', reply_markup: r.markup });
});

directives.action(/^dr:f:(\d+)$/, async (ctx) => {
  const id = ctx.match[1] ?? '';
  const svc = ctx.app.directives;
  const r = await svc.attachment(ctx.viewer, id);
  if (!r.ok) {
    await ctx.answerCbQuery(r.text);
    return;
  }
  await ctx.answerCbQuery();
  const extra = { caption: r.caption.slice(0, 1024) };
  if ('fileId' in r) {
    if (r.kind === 'photo') await ctx.replyWithPhoto(r.fileId, extra);
    else await ctx.replyWithDocument(r.fileId, extra);
    return;
  }
  // A CLI file goes up once; Telegram's id for it serves every later press.
  const upload = Input.fromBuffer(r.bytes, r.filename);
  if (r.kind === 'photo') {
    const sent = await ctx.replyWithPhoto(upload, extra);
    const largest = sent.photo[sent.photo.length - 1];
    if (largest) await svc.rememberFileId(id, largest.file_id);
  } else {
    const sent = await ctx.replyWithDocument(upload, extra);
    await svc.rememberFileId(id, sent.document.file_id);
  }
});

async function inboxView(
  ctx: BotContext,
): Promise<{ html: string; markup: InlineKeyboardMarkup } | undefined> {
  const items = await ctx.app.directives.inbox(ctx.viewer.id);
  if (items.length === 0) return undefined;
  const svc = ctx.app.directives;
  const lines = items.map((it, i) =>
    m.inbox.line(
      i + 1,
      escapeHtml(it.directive.title),
      it.directive.number ? escapeHtml(it.directive.number) : undefined,
      svc.dateOf(it.directive.createdAt),
      it.ackedAt === undefined ? undefined : svc.moment(it.ackedAt),
    ),
  );
  const rows = items.map((it, i) => [
    ...(it.ackedAt === undefined
      ? [button(m.buttonAckTitled(shorten(it.directive.title, 28)), 'dr', 'av', it.directive.id)]
      : []),
    button(m.buttonView(i + 1), 'dr', 'v', it.directive.id),
  ]);
  return { html: [m.inbox.intro, ...lines].join('\n'), markup: keyboard(rows).reply_markup };
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

directives.command('vanban', async (ctx) => {
  if (!(await requireBound(ctx))) return;
  const view = await inboxView(ctx);
  if (!view) {
    await ctx.reply(m.inbox.none);
    return;
  }
  await ctx.reply(view.html, { parse_mode: 'HTML', reply_markup: view.markup });
});

// ------------------------------------------------------------------ admins: status and stopping

directives.command('thongbao_tinhtrang', async (ctx) => {
  if (!(await requireAdmin(ctx))) return;
  const svc = ctx.app.directives;
  const id = commandArgs(ctx).split(/\s+/)[0] ?? '';
  if (id === '') {
    const lines = await svc.latest();
    await ctx.reply(lines.length === 0 ? m.admin.none : [m.admin.latest, ...lines].join('\n'), {
      parse_mode: 'HTML',
    });
    return;
  }
  const full = await svc.statusText(id, false);
  const view = await svc.statusView(id);
  if (full === undefined || !view) {
    await ctx.reply(m.admin.unknown(id));
    return;
  }
  await replyLong(ctx, splitMessage(full), { parse_mode: 'HTML', reply_markup: view.markup });
});

directives.action(/^dr:x:(\d+)$/, async (ctx) => {
  await ctx.answerCbQuery();
  if (!(await requireAdmin(ctx))) return;
  const id = ctx.match[1] ?? '';
  const report = await ctx.app.directives.report(id);
  if (!report) {
    await ctx.reply(m.admin.unknown(id));
    return;
  }
  await ctx.reply(
    m.admin.askStop(id, report.stored.directive.title),
    keyboard([[button(m.admin.buttonStopConfirm, 'dr', 'xy', id), button(m.admin.buttonKeep, 'dr', 'xn')]]),
  );
});

directives.action(/^dr:xy:(\d+)$/, async (ctx) => {
  await ctx.answerCbQuery();
  if (!(await requireAdmin(ctx))) return;
  const r = await ctx.app.directives.cancel(ctx.viewer, ctx.match[1] ?? '');
  await ctx.editMessageText(r.text);
});

directives.action('dr:xn', async (ctx) => {
  await ctx.answerCbQuery();
  await ctx.editMessageText(m.admin.kept);
});
