/**
 * Chuẩn y (or chỉ định, for a congress without election) recorded by quyết định: `/chuany MÃ SỐ
 * DD/MM/YYYY`, or «Ghi quyết định…» under a report notice or /tiendo, which asks for the number
 * and date. Only admins and leaders invited as approvers (`--approver`) whose subtree holds the
 * branch may record it. A decision binds to the report version shown: a button for an older
 * version is refused. The branch's secretary and deputy are told.
 */
import { lines } from '../../chat/markup.js';
import { type Reply, reply } from '../../chat/reply.js';
import { formatTerm } from '../../domain/congress/campaign.js';
import { type Decision, decisionKind, parseDecision } from '../../domain/congress/decision.js';
import type { ReportRecord } from '../../domain/congress/report.js';
import type { Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import { outboxId } from '../../outbox/outbox.js';
import type { Session } from '../dialogs.js';
import type { Viewer } from '../organisation.js';
import { leads } from './access.js';
import { congressButton } from './actions.js';
import type { DecisionState } from './decisionState.js';
import { type CongressServiceDeps, todayOf } from './deps.js';
import type { Answer } from './types.js';

const m = msg.congress;
const d = msg.congressOffice.decision;

/** Admins; leaders of the branch's subtree who were invited (or set) as approvers. */
export async function mayRecordDecision(
  deps: Pick<CongressServiceDeps, 'org'>,
  viewer: Viewer,
  branchCode: string,
  ancestors: readonly string[],
): Promise<boolean> {
  if (deps.org.isAdmin(viewer)) return true;
  if (!leads(deps.org, viewer, branchCode, ancestors)) return false;
  return (await deps.org.people.get(viewer.id))?.approver === true;
}

type Checked =
  | { ok: true; branch: Unit; ancestors: string[]; record: ReportRecord }
  | { ok: false; text: string };

/** The branch, its ancestors and its current result, once the viewer may record a decision on it. */
async function checkApprover(
  deps: CongressServiceDeps,
  viewer: Viewer,
  campaignId: string,
  branchCode: string,
): Promise<Checked> {
  const { org } = deps;
  if (viewer.roles.length === 0) return { ok: false, text: msg.units.noAccess };
  const [campaign, branch, ancestors] = await Promise.all([
    deps.campaigns.getCampaign(campaignId),
    org.units.get(branchCode),
    org.units.ancestors(branchCode),
  ]);
  if (!campaign) return { ok: false, text: m.campaignNotFound };
  if (!branch) return { ok: false, text: msg.units.unknownUnit(branchCode) };
  if (!(await mayRecordDecision(deps, viewer, branchCode, ancestors))) {
    return {
      ok: false,
      text: leads(org, viewer, branchCode, ancestors) ? d.notApprover : d.notInScope(branch.name),
    };
  }
  const record = await deps.store.getReport(campaignId, branchCode);
  if (!record) return { ok: false, text: d.noReport(branch.name) };
  return { ok: true, branch, ancestors, record };
}

/**
 * Records the decision on `version` (the current one when not given). The branch's secretaries
 * and deputies are told.
 */
export async function approve(
  deps: CongressServiceDeps,
  viewer: Viewer,
  campaignId: string,
  branchCode: string,
  opts: { decision: Decision; version?: number },
): Promise<Answer> {
  const c = await checkApprover(deps, viewer, campaignId, branchCode);
  if (!c.ok) return c;
  const kind = decisionKind(c.record.report);
  if (opts.decision.date < c.record.report.date) {
    return {
      ok: false,
      text: d.problem({
        code: 'decisionBeforeCongress',
        date: opts.decision.date,
        congress: c.record.report.date,
      }),
    };
  }
  const r = await deps.store.approve({
    campaignId,
    branch: branchCode,
    ancestors: c.ancestors,
    actor: String(viewer.id),
    now: deps.clock.now(),
    version: opts.version ?? c.record.version,
    decision: opts.decision,
  });
  if (!r.ok) {
    return r.reason === 'stale'
      ? { ok: false, text: d.stale(c.branch.name, r.current) }
      : { ok: false, text: d.noReport(c.branch.name) };
  }
  if (r.alreadyApproved)
    return { ok: true, text: d.already(kind, c.branch.name, r.approved.number, r.approved.date) };
  const campaign = await deps.campaigns.getCampaign(campaignId);
  const holders = [
    ...(await deps.org.people.holdersOf(branchCode, 'secretary')),
    ...(await deps.org.people.holdersOf(branchCode, 'deputy')),
  ];
  const notice = d.notice(
    kind,
    c.branch.name,
    campaign ? formatTerm(campaign.term) : '',
    opts.decision.number,
    opts.decision.date,
  );
  for (const personId of new Set(holders)) {
    await deps.notifier.toPerson(personId, notice, {
      id: outboxId('dh-cy', campaignId, branchCode, r.record.version, personId),
      purpose: 'notice',
    });
  }
  return {
    ok: true,
    text: d.recorded(kind, c.branch.name, opts.decision.number, opts.decision.date, r.record.version),
  };
}

/**
 * «Ghi quyết định…» pressed: refused for an older version than the current; otherwise the
 * report as it stands and the question for the number and date (the `congressDecision` dialog).
 */
export async function askDecision(
  deps: CongressServiceDeps,
  s: Session,
  campaignId: string,
  branchCode: string,
  version?: number,
): Promise<Reply[]> {
  const c = await checkApprover(deps, s.viewer, campaignId, branchCode);
  if (!c.ok) return [reply(c.text)];
  if (version !== undefined && version !== c.record.version)
    return [reply(d.stale(c.branch.name, c.record.version))];
  const kind = decisionKind(c.record.report);
  if (c.record.approved)
    return [reply(d.already(kind, c.branch.name, c.record.approved.number, c.record.approved.date))];
  const state: DecisionState = { campaign: campaignId, branch: branchCode, version: c.record.version };
  return deps.dialogs.apply(s.chat, s.viewer.id, 'congressDecision', {
    state,
    replies: [
      reply(
        lines(m.reportCard(c.record.report, c.branch.name), '', d.ask(kind, c.branch.name, c.record.version)),
        [[congressButton(msg.common.buttonCancel, { kind: 'cancel' })]],
      ),
    ],
  });
}

/** Text while the decision dialog is open: the number and date, then the decision is recorded. */
export async function continueDecision(
  deps: CongressServiceDeps,
  s: Session,
  state: DecisionState,
  text: string,
): Promise<Reply[]> {
  const record = await deps.store.getReport(state.campaign, state.branch);
  const parsed = parseDecision(text, todayOf(deps), record?.report.date);
  if (!parsed.ok) return [reply(d.problem(parsed.problem))];
  const r = await approve(deps, s.viewer, state.campaign, state.branch, {
    decision: parsed.decision,
    version: state.version,
  });
  await deps.dialogs.clear(s.chat, s.viewer.id);
  return [reply(r.text)];
}

/**
 * `/chuany MÃ SỐ DD/MM/YYYY`: records the decision on the branch's current version, in the
 * latest round that holds a result for it.
 */
export async function chuany(deps: CongressServiceDeps, viewer: Viewer, args: string): Promise<Reply[]> {
  const [code = '', ...rest] = args.trim().split(/\s+/);
  if (!code || rest.length === 0) return [reply(d.usage)];
  const branch = await deps.org.units.get(code);
  if (!branch) return [reply(msg.units.unknownUnit(code))];
  const ancestors = await deps.org.units.ancestors(code);
  if (!(await mayRecordDecision(deps, viewer, code, ancestors))) {
    return [reply(leads(deps.org, viewer, code, ancestors) ? d.notApprover : d.notInScope(branch.name))];
  }
  const chain = new Set([...ancestors, code]);
  const rounds = (await deps.campaigns.listCampaigns())
    .filter((c) => chain.has(c.scope))
    .sort((a, b) => (a.deadline < b.deadline ? 1 : a.deadline > b.deadline ? -1 : 0));
  for (const campaign of rounds) {
    const record = await deps.store.getReport(campaign.id, code);
    if (!record) continue;
    const parsed = parseDecision(rest.join(' '), todayOf(deps), record.report.date);
    if (!parsed.ok) return [reply(d.problem(parsed.problem))];
    const r = await approve(deps, viewer, campaign.id, code, {
      decision: parsed.decision,
      version: record.version,
    });
    return [reply(r.text)];
  }
  return [reply(d.noCampaign(branch.name))];
}
