/** Saving a confirmed result and telling the leaders who approve it. */
import { lines } from '../../chat/markup.js';
import { reply } from '../../chat/reply.js';
import { decisionKind, reportChanges } from '../../domain/congress/decision.js';
import { type CongressReport, type ReportRecord, reportWarnings } from '../../domain/congress/report.js';
import { headApplies } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import { outboxId } from '../../outbox/outbox.js';
import type { Viewer } from '../organisation.js';
import { toLeaders } from './access.js';
import { congressButton } from './actions.js';
import { branchTarget } from './branchTarget.js';
import type { CongressServiceDeps } from './deps.js';
import type { Answer } from './types.js';

const m = msg.congress;

/**
 * Saves a confirmed result (or an amendment: earlier versions stay in the history), checking
 * again that the person reports for the branch and the round is open. The responsible leaders
 * get the card with a «Chuẩn y» button. `card` is the nonce of the confirmation card pressed:
 * it is consumed with the save, so pressing it again saves nothing and says what was saved, and
 * the dialog holding it (`card.dialogKey`) ends in the same MULTI.
 */
export async function saveReport(
  deps: CongressServiceDeps,
  viewer: Viewer,
  campaignId: string,
  branchCode: string,
  report: CongressReport,
  card?: { nonce: string; dialogKey: string },
): Promise<Answer> {
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
    campaign,
    ...(card !== undefined ? { card: card.nonce, dialogKey: card.dialogKey } : {}),
  });
  if (!r.ok) return { ok: false, text: m.registrationProblem(r.problem) };
  if (r.duplicate) return { ok: true, text: m.alreadySaved(r.version) };
  if (r.unchanged) return { ok: true, text: m.unchanged };
  const warnings = m.warningList(reportWarnings(report, { headApplies: headApplies(branch) }));
  const notice = reply(
    lines(
      m.chat.reportNotice(branch.name, r.version),
      '',
      m.reportCard(report, branch.name),
      ...(warnings ? ['', warnings] : []),
      '',
      m.chat.reportNoticeAsk,
    ),
    [
      [
        congressButton(msg.congressOffice.decision.buttonRecord(decisionKind(report)), {
          kind: 'decide',
          campaign: campaign.id,
          branch: branch.code,
          version: r.version,
        }),
      ],
    ],
  );
  const sent = await toLeaders(deps, branch.code, ancestors, notice, (personId) => ({
    id: outboxId('dh-bc', campaign.id, branch.code, r.version, personId),
    purpose: 'notice',
  }));
  if (r.clearedApproval)
    await tellApprover(
      deps,
      { campaign: campaign.id, code: branch.code, name: branch.name },
      report,
      r.version,
      r.clearedApproval,
    );
  const saved = r.amended ? m.amended(r.version) : m.saved;
  return { ok: true, text: sent > 0 ? m.chat.savedWithNotice(saved) : saved };
}

/** An amendment cleared a recorded decision: the person who recorded it hears what changed. */
async function tellApprover(
  deps: CongressServiceDeps,
  branch: { campaign: string; code: string; name: string },
  report: CongressReport,
  version: number,
  cleared: { approved: NonNullable<ReportRecord['approved']>; previous: CongressReport },
): Promise<void> {
  const by = Number(cleared.approved.by);
  if (!Number.isSafeInteger(by)) return;
  const text = msg.congressOffice.decision.amended(
    decisionKind(cleared.previous),
    branch.name,
    cleared.approved.number,
    cleared.approved.date,
    version,
    reportChanges(cleared.previous, report),
  );
  await deps.notifier.toPerson(by, text, {
    id: outboxId('dh-cyx', branch.campaign, branch.code, version, by),
    purpose: 'notice',
  });
}
