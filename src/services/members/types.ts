/**
 * What the register service works with: its dependencies, who asks, and the small helpers its
 * modules share.
 */
import type { Member } from '../../domain/members/member.js';
import type { MemberRef, UnitRef } from '../../domain/members/refusal.js';
import type { Unit } from '../../domain/units.js';
import { calendarDate, type IsoDate } from '../../domain/vn.js';
import type { Clock } from '../../infra/clock.js';
import type { MemberStore } from '../../store/members.js';
import type { Organisation, Viewer } from '../organisation.js';

export interface MemberServiceDeps {
  org: Organisation;
  store: MemberStore;
  clock: Clock;
  timezone: string;
  /**
   * Scopes of up to this many branches are read whole for a badge list; larger ones use the
   * register's anchor index. @defaultValue 2000
   */
  badgeScanLimit?: number;
}

/** Who asks: a person in chat, or the server's CLI, which may do anything an admin may. */
export type Actor = Viewer | 'cli';

/** The audit's actor for a request. */
export const actorId = (actor: Actor): string | number => (actor === 'cli' ? 'cli' : actor.id);

export const unitRef = (u: Pick<Unit, 'code' | 'name'>): UnitRef => ({ code: u.code, name: u.name });
export const memberRef = (m: Pick<Member, 'id' | 'fullName' | 'branch'>): MemberRef => ({
  id: m.id,
  fullName: m.fullName,
  branch: m.branch,
});

/** Today's date where the organisation lives. */
export function today(deps: Pick<MemberServiceDeps, 'clock' | 'timezone'>): IsoDate {
  return calendarDate(deps.clock.now(), deps.timezone);
}
