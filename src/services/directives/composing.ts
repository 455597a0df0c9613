/**
 * The /thongbao dialog as the edges drive it: each input goes through a pure step
 * (`compose.ts`), and what a step cannot know is looked up here — the unit a code names, the
 * committees to offer, the preview of the finished draft — before the state is kept
 * (`Dialogs.apply`). «Xác nhận và gửi» sends through `sending.ts`, consuming the card.
 */
import { randomBytes } from 'node:crypto';
import { lines, type Rich } from '../../chat/markup.js';
import { closeWith, expired, type Outcome, type Reply, reply, say } from '../../chat/reply.js';
import type { DirectiveAttachment } from '../../domain/directives.js';
import { shorten } from '../../domain/text.js';
import { unitCodeSchema } from '../../domain/units.js';
import { calendarDate, formatNumber } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import { openOf, type Session } from '../dialogs.js';
import { adminRefusal } from './access.js';
import { cancelRow, type DirectiveAction, directiveButton } from './actions.js';
import { unitChoices } from './audience.js';
import {
  type Answers,
  type AskingState,
  answersOf,
  type ComposeInput,
  composeStep,
  draftInput,
  kindsRows,
  pressStep,
  question,
  startCompose,
  type Transition,
} from './compose.js';
import { checkInput, previewDraft, sendDirective } from './sending.js';
import type { ComposeState, ConfirmState } from './state.js';
import { attachStatusMessage, statusView } from './tracking.js';
import type { DirectiveContext } from './types.js';

const m = msg.directives;
const d = m.dialog;

/** The committees offered as buttons on the unit step. */
const UNIT_CHOICES = 12;
/** Longest file name kept for an attachment (the directive's schema allows no more). */
const FILENAME_MAX = 255;

/** A file sent on the file step, as the router hands it over. */
export interface ComposeFile {
  name: string;
  photo?: boolean;
  /** The messenger's id for it: the file stays there and is sent on by this id. */
  fileId?: string;
}

/** What is typed or sent while the dialog is open. */
export type ComposeMessage = { type: 'text'; text: string } | { type: 'file'; file: ComposeFile };

/** The compose actions (the rest of the codec belongs to recipients and the admin screens). */
export type ComposeAction = Extract<
  DirectiveAction,
  {
    kind:
      | 'skip'
      | 'audience'
      | 'unit'
      | 'branchKind'
      | 'kindsDone'
      | 'hours'
      | 'confirm'
      | 'cancel'
      | 'previewAck'
      | 'previewFile';
  }
>;

const today = (ctx: DirectiveContext) => calendarDate(ctx.clock.now(), ctx.timezone);

/** `/thongbao`: the first question (admins only). */
export async function startComposing(ctx: DirectiveContext, s: Session): Promise<Reply[]> {
  const refused = adminRefusal(ctx.org, s.viewer);
  if (refused) return [reply(refused)];
  return advance(ctx, s, startCompose());
}

/** Text, or a file, while the dialog is open. */
export async function continueComposing(
  ctx: DirectiveContext,
  s: Session,
  state: ComposeState,
  input: ComposeMessage,
): Promise<Reply[]> {
  if (!ctx.org.isAdmin(s.viewer)) {
    await ctx.dialogs.clear(s.chat, s.viewer.id);
    return [reply(msg.units.adminOnly)];
  }
  let step: ComposeInput;
  if (input.type === 'file') step = { type: 'file', attachment: attachmentOf(input.file) };
  else if (state.step === 'unit')
    step = { type: 'unit', typed: input.text, code: await unitCode(ctx, input.text) };
  else step = { type: 'text', text: input.text };
  return advance(ctx, s, composeStep(state, step, today(ctx)), state);
}

/** A button of the dialog, its preview or its card was pressed. */
export async function composePressed(
  ctx: DirectiveContext,
  s: Session,
  action: ComposeAction,
  pressed: { messageId: number } | undefined,
): Promise<Outcome> {
  const state = openOf(s, 'directives');
  switch (action.kind) {
    case 'cancel':
      if (state) await ctx.dialogs.clear(s.chat, s.viewer.id);
      return closeWith(msg.common.cancelled);
    case 'previewAck':
      return { replies: [], toast: m.toast.preview };
    case 'previewFile': {
      const a = state?.attachment;
      const files = ctx.channel()?.files;
      if (!a?.fileId || !files) return { replies: [], toast: msg.common.buttonExpired };
      await files.send(s.chat, {
        kind: a.kind,
        filename: a.filename,
        caption: state?.title ?? '',
        fileId: a.fileId,
      });
      return { replies: [] };
    }
    case 'confirm':
      return confirmSending(ctx, s, action.token, pressed);
  }
  const input = await pressInput(ctx, action);
  if (!state || state.step !== pressStep(input)) return expired(msg.common.buttonExpired);
  if (!ctx.org.isAdmin(s.viewer)) {
    await ctx.dialogs.clear(s.chat, s.viewer.id);
    return say(msg.units.adminOnly);
  }
  const t = composeStep(state, input, today(ctx));
  if ('ticked' in t) {
    await ctx.dialogs.save(s.chat, s.viewer.id, 'directives', t.ticked);
    return { replies: [], pressed: { actions: [...kindsRows(t.ticked.kinds ?? []), cancelRow()] } };
  }
  if ('say' in t) return say(t.say);
  return closeWith(...(await advance(ctx, s, t, state)));
}

/** The step input a compose button stands for; a unit's code is looked up. */
async function pressInput(
  ctx: DirectiveContext,
  action: Exclude<ComposeAction, { kind: 'cancel' | 'previewAck' | 'previewFile' | 'confirm' }>,
): Promise<ComposeInput> {
  switch (action.kind) {
    case 'skip':
      return { type: 'skip', step: action.step };
    case 'audience':
      return { type: 'audience', choice: action.choice };
    case 'unit':
      return { type: 'unit', typed: action.unit, code: await unitCode(ctx, action.unit) };
    case 'branchKind':
      return { type: 'kind', kind: action.branchKind };
    case 'kindsDone':
      return { type: 'kindsDone' };
    case 'hours':
      return { type: 'hours', hours: action.hours };
  }
}

/** The code of the unit `typed` names, when it is a code and the unit exists. */
async function unitCode(ctx: DirectiveContext, typed: string): Promise<string | undefined> {
  const code = unitCodeSchema.safeParse(typed.trim());
  if (!code.success) return undefined;
  return (await ctx.org.unit(code.data))?.code;
}

/** A document keeps its name; a photo is "anh.jpg". Without the messenger's id it cannot be sent on. */
function attachmentOf(file: ComposeFile): DirectiveAttachment | undefined {
  if (!file.fileId) return undefined;
  if (file.photo) return { kind: 'photo', filename: 'anh.jpg', fileId: file.fileId };
  const filename = shorten(file.name.trim(), FILENAME_MAX) || 'van-ban';
  return { kind: 'document', filename, fileId: file.fileId };
}

/** Shows what a step leads to, keeping the state it leaves. */
async function advance(
  ctx: DirectiveContext,
  s: Session,
  t: Transition,
  current?: ComposeState,
): Promise<Reply[]> {
  if ('say' in t) return [reply(t.say)];
  if ('ticked' in t) return ask(ctx, s, t.ticked);
  if ('ask' in t) return ask(ctx, s, t.ask, t.before);
  return preview(ctx, s, t.preview, current?.step === 'confirm' ? current.token : undefined);
}

/** Asks the question of `state`'s step, after `before`, and keeps the state. */
async function ask(ctx: DirectiveContext, s: Session, state: AskingState, before?: Rich): Promise<Reply[]> {
  const units = state.step === 'unit' ? await unitChoices(ctx.org, UNIT_CHOICES) : [];
  return ctx.dialogs.apply(s.chat, s.viewer.id, 'directives', {
    state,
    replies: [question(state, before, units)],
  });
}

/**
 * Every answer is in: the draft checked as a whole, the preview exactly as the first recipient
 * will read it, and the card. The card's nonce is kept when the preview is shown again.
 */
async function preview(
  ctx: DirectiveContext,
  s: Session,
  answers: Answers,
  token: string | undefined,
): Promise<Reply[]> {
  const checked = checkInput(ctx, draftInput(answers));
  if (!checked.ok) return ask(ctx, s, { ...answers, step: 'title' }, lines(...checked.errors.map(m.problem)));
  const r = await previewDraft(ctx, s.viewer, checked.draft);
  if (!r.ok) return ask(ctx, s, { ...answers, step: 'audience' }, lines(...r.errors));
  const state: ConfirmState = { ...answers, step: 'confirm', token: token ?? randomBytes(8).toString('hex') };
  const p = r.preview;
  return ctx.dialogs.apply(s.chat, s.viewer.id, 'directives', {
    state,
    replies: [
      reply(d.previewIntro(p.recipients)),
      p.reply,
      reply(
        d.confirm(checked.draft.title, p.audienceText, p.recipients, formatNumber(checked.draft.ackHours)),
        [[directiveButton(d.buttonConfirm, { kind: 'confirm', token: state.token })], cancelRow()],
      ),
    ],
  });
}

/**
 * «Xác nhận và gửi»: sends the draft on the card pressed, and the card becomes the live status.
 * The same card pressed again (a double tap, or the press redelivered after a crash) sends
 * nothing new: it finds the receipt written with the save and shows what was sent.
 */
async function confirmSending(
  ctx: DirectiveContext,
  s: Session,
  token: string,
  pressed: { messageId: number } | undefined,
): Promise<Outcome> {
  const state = openOf(s, 'directives');
  const current = state?.step === 'confirm' && state.token === token ? state : undefined;
  if (!current && !(await ctx.dialogs.receipt(token))) return expired(msg.common.buttonExpired);
  const refused = adminRefusal(ctx.org, s.viewer);
  if (refused) {
    if (current) await ctx.dialogs.clear(s.chat, s.viewer.id);
    return say(refused);
  }
  const r = await sendDirective(ctx, s.viewer, draftInput(current ? answersOf(current) : {}), {
    card: token,
  });
  if (!r.ok) {
    const back = { ...(current ? answersOf(current) : {}), step: 'audience' as const };
    return closeWith(...(await ask(ctx, s, back, lines(...r.errors))));
  }
  if (current) await ctx.dialogs.clear(s.chat, s.viewer.id);
  const id = r.directive.id;
  if (pressed && typeof s.chat === 'number') await attachStatusMessage(ctx, id, s.chat, pressed.messageId);
  const view = await statusView(ctx, id);
  return {
    replies: [],
    ...(r.repeated ? { toast: m.toast.alreadySent(id) } : {}),
    pressed: view ? { replace: view.reply } : 'close',
  };
}
