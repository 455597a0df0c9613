/**
 * Following a directive: deliveries and acknowledgements computed from the store, the outbox
 * and the people, rendered for chat, for the CLI and for the admin's status message.
 */
import type { InlineKeyboardMarkup } from '@telegraf/types';
import {
  type DeliveryFact,
  DIRECTIVE_ID_PATTERN,
  formatMoment,
  progressOf,
  renderStatus,
  renderStatusLines,
} from '../../domain/directives.js';
import { escapeHtml } from '../../domain/text.js';
import { msg } from '../../messages/index.js';
import { TRACK } from './jobIds.js';
import { statusMarkup } from './keyboards.js';
import { LIVE_AFTER_CANCEL_MS } from './pacing.js';
import type { DirectiveReport, DirectiveServiceDeps, StatusEditor } from './types.js';

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

/** The status block for chat (HTML), `compact` for the message edited in place. */
export function renderReport(deps: DirectiveServiceDeps, r: DirectiveReport, compact: boolean): string {
  return renderStatus(r.stored.directive, r.progress, r.stored, { timezone: deps.timezone, compact });
}

/** The CLI's status lines (`delivered x/y`, `acknowledged a/b`, then the lists). */
export async function statusLines(deps: DirectiveServiceDeps, id: string): Promise<string[] | undefined> {
  const r = await directiveReport(deps, id);
  return r ? renderStatusLines(r.stored.directive, r.progress, r.stored, deps.timezone) : undefined;
}

/** The status view for the admin's message: text and the «Dừng gửi» button while it can matter. */
export async function statusView(
  deps: DirectiveServiceDeps,
  id: string,
): Promise<{ html: string; markup: InlineKeyboardMarkup; live: boolean } | undefined> {
  const r = await directiveReport(deps, id);
  if (!r) return undefined;
  const s = r.stored;
  const active = s.cancelledAt === undefined && s.leadersToldAt === undefined;
  return {
    html: renderReport(deps, r, true),
    markup: statusMarkup(s.directive.id, active),
    // After a cancel, only messages already in the worker's hands can still settle.
    live:
      r.progress.pending > 0 &&
      (s.cancelledAt === undefined || deps.clock.now() - s.cancelledAt < LIVE_AFTER_CANCEL_MS),
  };
}

/** The latest directives, one line each (HTML), for /thongbao_tinhtrang. */
export async function latestLines(deps: DirectiveServiceDeps, limit: number): Promise<string[]> {
  const ids = await deps.store.latest(limit);
  const lines: string[] = [];
  for (const id of ids) {
    const [stored, counts, acks] = await Promise.all([
      deps.store.get(id),
      deps.deliveries.trackCounts(TRACK.directive, id),
      deps.store.acks(id),
    ]);
    if (!stored) continue;
    const d = stored.directive;
    const total = stored.recipientCount;
    lines.push(
      m.admin.latestLine(
        d.id,
        escapeHtml(d.title),
        formatMoment(d.createdAt, deps.timezone),
        `${counts.sent}/${total}`,
        `${acks.size}/${total}`,
        stored.cancelledAt !== undefined,
      ),
    );
  }
  return lines;
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
    await editor.edit(stored.statusMessage.chatId, stored.statusMessage.messageId, view.html, view.markup);
  } catch (err) {
    deps.log.warn({ directive: id, err: errText(err) }, 'directive: could not edit the status message');
  }
  if (view.live) await deps.jobs.refreshStatus(id);
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
