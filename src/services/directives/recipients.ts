/** What a recipient does with a directive: acknowledge it, find it again in /vanban, open its file. */
import { lines } from '../../chat/markup.js';
import { type Action, type ChatId, type Outcome, type Reply, reply } from '../../chat/reply.js';
import { DIRECTIVE_ID_PATTERN, formatMoment, issueDate } from '../../domain/directives.js';
import { shorten } from '../../domain/text.js';
import { formatVnDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { ackedRows, ackRows, directiveButton } from './actions.js';
import type { AckOutcome, DirectiveContext, DirectiveServiceDeps, InboxItem } from './types.js';

const m = msg.directives;

/** How much of a title the /vanban «Đã nhận: …» button shows. */
const TITLE_ON_BUTTON = 28;

/** «Đã nhận»: records the first press (later presses keep its time). */
export async function acknowledge(
  deps: DirectiveServiceDeps,
  personId: number,
  id: string,
): Promise<AckOutcome> {
  const stored = DIRECTIVE_ID_PATTERN.test(id) ? await deps.store.get(id) : undefined;
  if (!stored) return { ok: false, text: m.toast.unknown };
  if (!(await deps.store.isRecipient(id, personId))) return { ok: false, text: m.toast.notRecipient };
  const r = await deps.store.acknowledge(id, personId, deps.clock.now());
  if (r.first) await deps.jobs.refreshStatus(id);
  const when = formatMoment(r.at, deps.timezone);
  return { ok: true, at: r.at, when, first: r.first, actions: ackedRows(stored.directive, when) };
}

/**
 * «Đã nhận» under a directive, its reminder or a copy from /vanban: a note on the button, and
 * the time in place of «Đã nhận» (the text stays as it was).
 */
export async function ackPressed(deps: DirectiveServiceDeps, personId: number, id: string): Promise<Outcome> {
  const r = await acknowledge(deps, personId, id);
  if (!r.ok) return { replies: [], toast: r.text };
  return { replies: [], toast: ackToast(r), pressed: { actions: r.actions } };
}

/** «Đã nhận» in the /vanban list: acknowledged, then the list drawn again. */
export async function inboxAckPressed(
  deps: DirectiveServiceDeps,
  personId: number,
  id: string,
): Promise<Outcome> {
  const r = await acknowledge(deps, personId, id);
  if (!r.ok) return { replies: [], toast: r.text };
  const view = await inboxView(deps, personId);
  return { replies: [], toast: ackToast(r), ...(view ? { pressed: { replace: view } } : {}) };
}

const ackToast = (r: Extract<AckOutcome, { ok: true }>) =>
  r.first ? m.toast.acknowledged(r.when) : m.toast.already(r.when);

/** The directives addressed to a person, newest first, with when they acknowledged each. */
export async function inbox(
  deps: DirectiveServiceDeps,
  personId: number,
  limit: number,
): Promise<InboxItem[]> {
  const ids = await deps.store.inbox(personId, limit);
  const [stored, acks] = await Promise.all([
    Promise.all(ids.map((id) => deps.store.get(id))),
    deps.store.acksOf(personId, ids),
  ]);
  return stored.flatMap((s, i) => {
    if (!s) return [];
    const ackedAt = acks[i];
    return [ackedAt === undefined ? { directive: s.directive } : { directive: s.directive, ackedAt }];
  });
}

/** /vanban: the latest directives to this person, «Đã nhận» for those not acknowledged yet. */
export async function inboxView(deps: DirectiveServiceDeps, personId: number): Promise<Reply | undefined> {
  const items = await inbox(deps, personId, 10);
  if (items.length === 0) return undefined;
  const date = (ms: number) => formatVnDate(issueDate(ms, deps.timezone));
  const rows: Action[][] = items.map((it, i) => [
    ...(it.ackedAt === undefined
      ? [
          directiveButton(m.buttonAckTitled(shorten(it.directive.title, TITLE_ON_BUTTON)), {
            kind: 'inboxAck',
            id: it.directive.id,
          }),
        ]
      : []),
    directiveButton(m.buttonView(i + 1), { kind: 'view', id: it.directive.id }),
  ]);
  return reply(
    lines(
      m.inbox.intro,
      ...items.map((it, i) =>
        m.inbox.line(
          i + 1,
          it.directive.title,
          it.directive.number,
          date(it.directive.createdAt),
          it.ackedAt === undefined ? undefined : formatMoment(it.ackedAt, deps.timezone),
        ),
      ),
    ),
    rows,
  );
}

/** `/vanban`: the list, or that nothing was sent to this person. */
export async function inboxCommand(deps: DirectiveServiceDeps, viewer: Viewer): Promise<Reply[]> {
  if (viewer.roles.length === 0) return [reply(msg.units.noAccess)];
  return [(await inboxView(deps, viewer.id)) ?? reply(m.inbox.none)];
}

/** «Xem văn bản N» in /vanban: the directive again, as this recipient received it. */
export async function copyFor(deps: DirectiveServiceDeps, personId: number, id: string): Promise<Outcome> {
  const stored = DIRECTIVE_ID_PATTERN.test(id) ? await deps.store.get(id) : undefined;
  if (!stored) return { replies: [], toast: m.toast.unknown };
  const recipient = (await deps.store.recipients(id)).find((r) => r.personId === personId);
  if (!recipient) return { replies: [], toast: m.toast.notRecipient };
  const [ackedAt] = await deps.store.acksOf(personId, [id]);
  const d = stored.directive;
  const rows = ackedAt === undefined ? ackRows(d) : ackedRows(d, formatMoment(ackedAt, deps.timezone));
  return { replies: [reply(m.recipientText(d, recipient, deps.timezone), rows)] };
}

/**
 * «Xem tệp đính kèm», for a recipient or an admin: the file goes into the chat through the
 * channel, by the messenger's id when it has one; a CLI file goes up once and its id is kept.
 */
export async function sendAttachment(
  ctx: DirectiveContext,
  viewer: Viewer,
  chat: ChatId,
  id: string,
): Promise<Outcome> {
  const stored = DIRECTIVE_ID_PATTERN.test(id) ? await ctx.store.get(id) : undefined;
  const a = stored?.directive.attachment;
  if (!stored || !a) return { replies: [], toast: stored ? m.toast.noFile : m.toast.unknown };
  if (!ctx.org.isAdmin(viewer) && !(await ctx.store.isRecipient(id, viewer.id)))
    return { replies: [], toast: m.toast.notRecipient };
  const files = ctx.channel()?.files;
  if (!files) return { replies: [], toast: m.toast.noFile };
  const base = { kind: a.kind, filename: a.filename, caption: stored.directive.title };
  const fileId = a.fileId ?? stored.fileId;
  if (fileId) {
    await files.send(chat, { ...base, fileId });
    return { replies: [] };
  }
  const bytes = await ctx.store.file(id);
  if (!bytes) return { replies: [], toast: m.toast.noFile };
  const sent = await files.send(chat, { ...base, bytes });
  if (sent) await ctx.store.setFileId(id, sent);
  return { replies: [] };
}
