/**
 * Following a directive: deliveries and acknowledgements computed from the store, the outbox
 * and the people, rendered for chat, for the CLI and for the admin's status message.
 */
import { lines, type Rich } from '../../chat/markup.js';
import { type Reply, reply } from '../../chat/reply.js';
import {
  type DeliveryFact,
  DIRECTIVE_ID_PATTERN,
  formatMoment,
  progressOf,
} from '../../domain/directives.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { adminRefusal } from './access.js';
import { statusRows } from './actions.js';
import { TRACK } from './jobIds.js';
import { LIVE_AFTER_CANCEL_MS } from './pacing.js';
import type { DirectiveReport, DirectiveServiceDeps, StatusEditor, StatusView } from './types.js';

const m = msg.directives;

/** Deliveries, acknowledgements, failures and who is still missing, for one directive. */
export async function directiveReport(
  deps: DirectiveServiceDeps,
  id: string,
): Promise<DirectiveReport | undefined> {
  const stored = DIRECTIVE_ID_PATTERN.test(id) ? await deps.store.get(id) : undefined;
  if (!stored) return undefined;
  const [recipients, records, acks, marks] = await Promise.all([
    deps.store.recipients(id),
    deps.deliveries.listTrack(TRACK.directive, id),
    deps.store.acks(id),
    deps.deliveries.listUnreachable(),
  ]);
  const deliveries = new Map<number, DeliveryFact>();
  for (const r of records) {
    if (r.personId === undefined) continue;
    deliveries.set(
      r.personId,
      r.reason === undefined ? { state: r.state } : { state: r.state, reason: r.reason },
    );
  }
  const unreachable = new Set<number>(marks.map((u) => u.personId ?? u.chatId));
  const persons = await deps.org.people.getMany(recipients.map((r) => r.personId));
  for (const p of persons) if (p.unreachable) unreachable.add(p.id);
  const progress = progressOf({
    recipients,
    deliveries,
    acks,
    unreachable,
    cancelled: stored.cancelledAt !== undefined,
  });
  return { stored, progress };
}

/** The status block, `compact` for the message edited in place. */
export function renderReport(deps: DirectiveServiceDeps, r: DirectiveReport, compact: boolean): Rich {
  return m.statusText(r.stored.directive, r.progress, r.stored, { timezone: deps.timezone, compact });
}

/** The CLI's status lines (`delivered x/y`, `acknowledged a/b`, then the lists). */
export async function statusLines(deps: DirectiveServiceDeps, id: string): Promise<string[] | undefined> {
  const r = await directiveReport(deps, id);
  return r ? m.statusLines(r.stored.directive, r.progress, r.stored, deps.timezone) : undefined;
}

/** «Dừng gửi» stays under the status while stopping can still keep something from going out. */
function stoppable(r: DirectiveReport): boolean {
  return r.stored.cancelledAt === undefined && r.stored.leadersToldAt === undefined;
}

/** The status view for the admin's message: text and the «Dừng gửi» button while it can matter. */
export async function statusView(deps: DirectiveServiceDeps, id: string): Promise<StatusView | undefined> {
  const r = await directiveReport(deps, id);
  if (!r) return undefined;
  const s = r.stored;
  return {
    reply: reply(renderReport(deps, r, true), statusRows(s.directive.id, stoppable(r))),
    // After a cancel, only messages already in the worker's hands can still settle.
    live:
      r.progress.pending > 0 &&
      (s.cancelledAt === undefined || deps.clock.now() - s.cancelledAt < LIVE_AFTER_CANCEL_MS),
  };
}

/** The latest directives, one line each, for /thongbao_tinhtrang. */
export async function latestLines(deps: DirectiveServiceDeps, limit: number): Promise<Rich[]> {
  const ids = await deps.store.latest(limit);
  const out: Rich[] = [];
  for (const id of ids) {
    const [stored, counts, acks] = await Promise.all([
      deps.store.get(id),
      deps.deliveries.trackCounts(TRACK.directive, id),
      deps.store.acks(id),
    ]);
    if (!stored) continue;
    const d = stored.directive;
    const total = stored.recipientCount;
    out.push(
      m.admin.latestLine(
        d.id,
        d.title,
        formatMoment(d.createdAt, deps.timezone),
        `${counts.sent}/${total}`,
        `${acks.size}/${total}`,
        stored.cancelledAt !== undefined,
      ),
    );
  }
  return out;
}

/** The admin's message that shows the status from now on (edited in place by the status job). */
export async function attachStatusMessage(
  deps: DirectiveServiceDeps,
  id: string,
  chatId: number,
  messageId: number,
): Promise<void> {
  await deps.store.setStatusMessage(id, chatId, messageId);
  await deps.jobs.refreshStatus(id);
}

/**
 * Re-renders the admin's status message (the status job). While deliveries are still pending
 * nothing else tells us they progress, so it asks for another refresh one slot later.
 */
export async function refreshStatusMessage(
  deps: DirectiveServiceDeps,
  editor: StatusEditor | undefined,
  id: string,
): Promise<void> {
  const stored = await deps.store.get(id);
  if (!stored?.statusMessage || !editor) return;
  const view = await statusView(deps, id);
  if (!view) return;
  try {
    await editor.edit(stored.statusMessage.chatId, stored.statusMessage.messageId, view.reply);
  } catch (err) {
    deps.log.warn({ directive: id, err: errText(err) }, 'directive: could not edit the status message');
  }
  if (view.live) await deps.jobs.refreshStatus(id);
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * `/thongbao_tinhtrang [SỐ]` (admins): the latest directives, or one directive in full with
 * «Dừng gửi» under it while stopping can matter.
 */
export async function statusCommand(
  deps: DirectiveServiceDeps,
  viewer: Viewer,
  args: string,
): Promise<Reply[]> {
  const refused = adminRefusal(deps.org, viewer);
  if (refused) return [reply(refused)];
  const id = args.split(/\s+/)[0] ?? '';
  if (id === '') {
    const latest = await latestLines(deps, 5);
    return [reply(latest.length === 0 ? m.admin.none : lines(m.admin.latest, ...latest))];
  }
  const r = await directiveReport(deps, id);
  if (!r) return [reply(m.admin.unknown(id))];
  return [reply(renderReport(deps, r, false), statusRows(r.stored.directive.id, stoppable(r)))];
}
