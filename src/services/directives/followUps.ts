/** The follow-up jobs' steps: reminding non-acknowledgers, then telling their leaders. */
import { leaderDigests, type Recipient } from '../../domain/directives.js';
import { isRoleWord } from '../../domain/personIdentity.js';
import { msg } from '../../messages/index.js';
import { outboxId } from '../../outbox/outbox.js';
import type { Organisation } from '../organisation.js';
import { ackRows } from './actions.js';
import { plainName } from './audience.js';
import { TRACK } from './jobIds.js';
import { FANOUT_BATCH } from './pacing.js';
import { directiveReport } from './tracking.js';
import type { DirectiveServiceDeps } from './types.js';

const m = msg.directives;

/**
 * The reminder: the directive again to everyone it reached who has not acknowledged it, then
 * the leaders' step is scheduled as long after. Safe to repeat (outbox ids are per person).
 */
export async function remind(deps: DirectiveServiceDeps, id: string): Promise<void> {
  const r = await directiveReport(deps, id);
  if (!r || r.stored.cancelledAt !== undefined) return;
  const d = r.stored.directive;
  const now = deps.clock.now();
  await deps.store.markStage(id, 'remindedAt', now);
  const delivered = new Set(
    (await deps.deliveries.listTrack(TRACK.directive, id))
      .filter((x) => x.state === 'sent')
      .map((x) => x.personId),
  );
  const due = r.progress.notAcknowledged.filter((x) => delivered.has(x.personId));
  for (let i = 0; i < due.length; i += FANOUT_BATCH) {
    if (await deps.store.isCancelled(id)) return;
    await Promise.all(
      due.slice(i, i + FANOUT_BATCH).map(async (x) => {
        await deps.notifier.toPerson(
          x.personId,
          { text: m.reminderText(d, x, deps.timezone), actions: ackRows(d) },
          {
            id: outboxId('directive-reminder', id, x.personId),
            purpose: 'directive',
            track: { kind: TRACK.reminder, id },
          },
        );
        await deps.store.markFollowUp(id, 'r', x.personId, now);
      }),
    );
  }
  await deps.jobs.followUp(id, 'leaders', Math.round(d.ackHours * 3_600_000));
  await deps.jobs.refreshStatus(id);
}

/**
 * The leaders' step: each responsible leader gets one message listing the people under them
 * who still have not acknowledged (unreachable ones marked so). Safe to repeat.
 */
export async function tellLeaders(deps: DirectiveServiceDeps, id: string): Promise<void> {
  const r = await directiveReport(deps, id);
  if (!r || r.stored.cancelledAt !== undefined) return;
  const d = r.stored.directive;
  const now = deps.clock.now();
  const missing = r.progress.notAcknowledged;
  const unreachable = new Set(r.progress.unreachable.map((u) => u.recipient.personId));
  const responsible = await responsibleLeaders(deps.org, missing);
  const digests = leaderDigests(missing, (x) => responsible.get(x.personId)?.people ?? []);
  const leaderIds = [...digests.keys()];
  const persons = new Map((await deps.org.people.getMany(leaderIds)).map((p) => [p.id, p]));
  const unitNames = await deps.org.units.getMany([...new Set([...responsible.values()].map((x) => x.unit))]);
  for (const leaderId of leaderIds) {
    if (await deps.store.isCancelled(id)) return;
    const list = digests.get(leaderId) ?? [];
    const unitCode = list.map((x) => responsible.get(x.personId)?.unit).find(Boolean) ?? '';
    const leader: Recipient = {
      personId: leaderId,
      role: 'leader',
      units: [{ code: unitCode, name: unitNames.get(unitCode)?.name ?? unitCode }],
      name: plainName(persons.get(leaderId)),
    };
    const title = persons.get(leaderId)?.title;
    if (title && !isRoleWord(title)) leader.title = title;
    const text = m.leaderNoteText(
      d,
      leader,
      list.map((x) => ({ recipient: x, unreachable: unreachable.has(x.personId) })),
      deps.timezone,
    );
    await deps.notifier.toPerson(leaderId, text, {
      id: outboxId('directive-leader', id, leaderId),
      purpose: 'directive',
      track: { kind: TRACK.leaders, id },
    });
    await deps.store.markFollowUp(id, 'l', leaderId, now);
  }
  await deps.store.markStage(id, 'leadersToldAt', now);
  await deps.jobs.refreshStatus(id);
}

/**
 * The leaders responsible for each recipient: of the recipient's (first) unit or its nearest
 * ancestor with leaders; for a leader recipient, starting above their own unit.
 */
async function responsibleLeaders(
  org: Organisation,
  recipients: readonly Recipient[],
): Promise<Map<number, { unit: string; people: number[] }>> {
  const { units, people } = org;
  const codes = [...new Set(recipients.map((r) => r.units[0]?.code ?? ''))].filter(Boolean);
  const ancestors = await units.ancestorsMany(codes);
  const cache = new Map<string, { unit: string; people: number[] } | undefined>();
  const lookup = async (code: string, fromParent: boolean) => {
    const key = `${fromParent ? '^' : ''}${code}`;
    if (!cache.has(key)) {
      const chain = ancestors.get(code) ?? [];
      const start = fromParent ? chain[chain.length - 1] : code;
      const above = fromParent ? chain.slice(0, -1) : chain;
      cache.set(key, start ? await people.responsibleLeaders(start, above) : undefined);
    }
    return cache.get(key);
  };
  const out = new Map<number, { unit: string; people: number[] }>();
  for (const r of recipients) {
    const code = r.units[0]?.code;
    if (!code) continue;
    const found = await lookup(code, r.role === 'leader');
    if (found) out.set(r.personId, found);
  }
  return out;
}
