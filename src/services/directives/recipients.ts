/** What a recipient does with a directive: acknowledge it, find it again in /vanban, open its file. */
import type { InlineKeyboardMarkup } from '@telegraf/types';
import { DIRECTIVE_ID_PATTERN, formatMoment, recipientText } from '../../domain/directives.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { ackedMarkup, ackMarkup } from './keyboards.js';
import type { AckOutcome, AttachmentOutcome, DirectiveServiceDeps, InboxItem } from './types.js';

const m = msg.directives;

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
  return { ok: true, at: r.at, when, first: r.first, markup: ackedMarkup(stored.directive, when) };
}

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

/** One directive again, as this recipient received it (from /vanban). */
export async function copyFor(
  deps: DirectiveServiceDeps,
  personId: number,
  id: string,
): Promise<{ ok: true; html: string; markup: InlineKeyboardMarkup } | { ok: false; text: string }> {
  const stored = DIRECTIVE_ID_PATTERN.test(id) ? await deps.store.get(id) : undefined;
  if (!stored) return { ok: false, text: m.toast.unknown };
  const recipient = (await deps.store.recipients(id)).find((r) => r.personId === personId);
  if (!recipient) return { ok: false, text: m.toast.notRecipient };
  const [ackedAt] = await deps.store.acksOf(personId, [id]);
  const d = stored.directive;
  return {
    ok: true,
    html: recipientText(d, recipient, deps.timezone),
    markup: ackedAt === undefined ? ackMarkup(d) : ackedMarkup(d, formatMoment(ackedAt, deps.timezone)),
  };
}

/** The directive's file, for a recipient or an admin who pressed «Xem tệp đính kèm». */
export async function attachment(
  deps: DirectiveServiceDeps,
  viewer: Viewer,
  id: string,
): Promise<AttachmentOutcome> {
  const stored = DIRECTIVE_ID_PATTERN.test(id) ? await deps.store.get(id) : undefined;
  const a = stored?.directive.attachment;
  if (!stored || !a) return { ok: false, text: stored ? m.toast.noFile : m.toast.unknown };
  if (!deps.org.isAdmin(viewer) && !(await deps.store.isRecipient(id, viewer.id)))
    return { ok: false, text: m.toast.notRecipient };
  const base = { kind: a.kind, filename: a.filename, caption: stored.directive.title };
  const fileId = a.fileId ?? stored.fileId;
  if (fileId) return { ok: true, ...base, fileId };
  const bytes = await deps.store.file(id);
  return bytes ? { ok: true, ...base, bytes } : { ok: false, text: m.toast.noFile };
}
