/** Saving a confirmed result and telling the leaders who approve it. */
import { type CongressReport, renderReportCard } from '../../domain/congress/report.js';
import { escapeHtml } from '../../domain/text.js';
import { msg } from '../../messages/index.js';
import { outboxId } from '../../outbox/outbox.js';
import type { Viewer } from '../organisation.js';
import { toLeaders } from './access.js';
import { branchTarget } from './branchTarget.js';
import { approveMarkup } from './callbacks.js';
import type { CongressServiceDeps } from './deps.js';
import type { Outcome } from './types.js';

const m = msg.congress;

/**
 * Saves a confirmed result (or an amendment: earlier versions stay in the history), checking
 * again that the person reports for the branch and the round is open. The responsible leaders
 * get the card with a «Chuẩn y» button.
 */
export async function saveReport(
  deps: CongressServiceDeps,
  viewer: Viewer,
  campaignId: string,
  branchCode: string,
  report: CongressReport,
): Promise<Outcome> {
  const choice = await branchTarget(deps, viewer, { branch: branchCode, campaignId });
  if (choice.kind !== 'ok')
    return { ok: false, text: choice.kind === 'refused' ? choice.text : m.campaignNotFound };
  const { campaign, branch, ancestors } = choice.target;
  const r = await deps.store.saveReport({
    campaignId,
    branch: branch.code,
    ancestors,
    report,
    actor: String(viewer.id),
    now: deps.clock.now(),
  });
  if (!r.ok) return { ok: false, text: r.message };
  if (r.unchanged) return { ok: true, text: m.unchanged };
  const notice = [
    escapeHtml(m.chat.reportNotice(branch.name, r.version)),
    renderReportCard(report, branch.name),
    m.chat.reportNoticeAsk,
  ].join('\n\n');
  const sent = await toLeaders(deps, branch.code, ancestors, notice, (personId) => ({
    id: outboxId('dh-bc', campaign.id, branch.code, r.version, personId),
    purpose: 'notice',
    parseMode: 'HTML',
    replyMarkup: approveMarkup(campaign.id, branch.code),
  }));
  const saved = r.amended ? m.amended(r.version) : m.saved;
  return { ok: true, text: sent > 0 ? m.chat.savedWithNotice(saved) : saved };
}
