/**
 * /tiendo in chat: where it starts (the asker's scope, or buttons to choose a scope or a round),
 * and the progress of one unit with buttons to drill into a child committee, approve a branch
 * waiting for chuẩn y, or go up to the parent.
 */
import { type Reply, reply, rowsOf } from '../../chat/reply.js';
import { type Campaign, formatTerm } from '../../domain/congress/campaign.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { congressButton } from './actions.js';
import type { CongressServiceDeps } from './deps.js';
import { progress } from './progress.js';
import { hintHolds } from './progressHints.js';
import { progressStart } from './progressStart.js';
import type { ProgressAnswer } from './types.js';

const m = msg.congress;

/**
 * `/tiendo` for the asker's own scope; `/tiendo MÃ` (or a scope button) for any unit they may see.
 * A plain /tiendo from someone whose last one landed on a unit reads that unit's progress
 * alongside the start (`progressHints.ts`): two round trips one after the other, not three.
 */
export async function progressReplies(
  deps: CongressServiceDeps,
  viewer: Viewer,
  unitCode?: string,
): Promise<Reply[]> {
  const hint = unitCode === undefined ? deps.progressHints?.get(viewer.id) : undefined;
  const [r, ahead] = await Promise.all([
    progressStart(deps, viewer, unitCode),
    // A failed guess is read again below, where its error counts.
    hint &&
      progress(deps, viewer, hint.campaign.id, hint.unit, { campaign: hint.campaign }).catch(() => undefined),
  ]);
  switch (r.kind) {
    case 'refused':
      return [reply(r.text)];
    case 'chooseScope':
      return [
        reply(
          m.chat.chooseScope,
          r.units.map((u) => [congressButton(u.name, { kind: 'scope', unit: u.code })]),
        ),
      ];
    case 'chooseCampaign':
      return [
        reply(
          m.chat.chooseCampaign,
          r.options.map((o) => [
            congressButton(m.chat.campaignButton(o.campaign.name, formatTerm(o.campaign.term)), {
              kind: 'progress',
              campaign: o.campaign.id,
              unit: o.unit,
            }),
          ]),
        ),
      ];
    case 'ok':
      if (unitCode === undefined) deps.progressHints?.set(viewer.id, { campaign: r.campaign, unit: r.unit });
      return unitProgressReplies(
        deps,
        viewer,
        r.campaignId,
        r.unit,
        r.campaign,
        hint && ahead && hintHolds(hint, r) ? ahead : undefined,
      );
  }
}

/** The progress of one unit in one round, with its buttons. */
export async function unitProgressReplies(
  deps: CongressServiceDeps,
  viewer: Viewer,
  campaignId: string,
  unitCode: string,
  /** The round, when the caller just read it. */
  campaign?: Campaign,
  /** The answer, when it was read ahead. */
  readAhead?: ProgressAnswer,
): Promise<Reply[]> {
  const r = readAhead ?? (await progress(deps, viewer, campaignId, unitCode, campaign ? { campaign } : {}));
  if (!r.ok) return [reply(r.text)];
  const to = (label: string, unit: string) =>
    congressButton(label, { kind: 'progress', campaign: campaignId, unit });
  return [
    reply(r.text, [
      ...rowsOf(
        r.drill.map((u) => to(u.name, u.code)),
        2,
      ),
      ...r.approvable.map((u) => [
        congressButton(m.chat.buttonApproveBranch(u.name), {
          kind: 'decide',
          campaign: campaignId,
          branch: u.code,
        }),
      ]),
      ...(r.up ? [[to(m.chat.buttonUp(r.up.name), r.up.code)]] : []),
    ]),
  ];
}
