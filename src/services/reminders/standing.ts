/**
 * Reading where branches stand: a round's reported set and registered dates, and who holds
 * the secretary and deputy posts of a set of branches.
 */
import type { Campaign } from '../../domain/congress/campaign.js';
import type { Registration } from '../../domain/congress/registration.js';
import type { BranchCongressState } from '../../domain/reminders.js';
import type { Unit } from '../../domain/units.js';
import type { IsoDate } from '../../domain/vn.js';
import type { CongressStore } from '../../store/congress.js';
import type { Organisation } from '../organisation.js';
import { inParallel } from './runParts.js';

/** A round's standing: who reported, and the registered dates of those who have not yet. */
export interface RoundStanding {
  reported: ReadonlySet<string>;
  registered: ReadonlyMap<string, Registration>;
  /** Branches with an extension (gia hạn), and its date. */
  extended: ReadonlyMap<string, IsoDate>;
}

export function byDeadline(a: Campaign, b: Campaign): number {
  return a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0;
}

/** The whole date index holds every registered branch that has not reported. */
const ALL_DATES = { from: '1900-01-01', to: '9999-12-31' };

export async function roundStanding(congress: CongressStore, campaign: Campaign): Promise<RoundStanding> {
  const [reported, registered, extended] = await Promise.all([
    congress.reportedSet(campaign.id),
    congress.upcoming(campaign.id, ALL_DATES.from, ALL_DATES.to),
    congress.extensions(campaign.id),
  ]);
  return {
    reported,
    registered: new Map(registered.map((r) => [r.branch, r])),
    extended: new Map(extended.map((x) => [x.branch, x.until])),
  };
}

export function stateOf(standing: RoundStanding, branch: string): BranchCongressState {
  const reg = standing.registered.get(branch);
  if (standing.reported.has(branch)) return { reported: true };
  const until = standing.extended.get(branch);
  const state: BranchCongressState = { reported: false };
  if (reg)
    state.registration = reg.time === undefined ? { date: reg.date } : { date: reg.date, time: reg.time };
  if (until !== undefined) state.extendedUntil = until;
  return state;
}

export async function holdersOf(
  org: Organisation,
  codes: readonly string[],
  kind: 'secretary' | 'deputy',
): Promise<Map<string, number[]>> {
  const found = await inParallel(codes.map((c) => () => org.people.holdersOf(c, kind)));
  return new Map(codes.map((c, i) => [c, found[i] ?? []]));
}

/** Branches to remind: their units, and the people holding their secretary and deputy posts. */
export interface BranchContacts {
  units: Map<string, Unit>;
  secretaries: Map<string, number[]>;
  deputies: Map<string, number[]>;
}

/** The units of `codes` with their secretaries and deputies, read together. */
export async function branchContacts(org: Organisation, codes: readonly string[]): Promise<BranchContacts> {
  const [units, secretaries, deputies] = await Promise.all([
    org.units.getMany(codes),
    holdersOf(org, codes, 'secretary'),
    holdersOf(org, codes, 'deputy'),
  ]);
  return { units, secretaries, deputies };
}
