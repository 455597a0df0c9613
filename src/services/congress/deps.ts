/** What the congress modules are built from; each module takes only the parts it uses. */
import { calendarDate, type IsoDate } from '../../domain/vn.js';
import type { Clock } from '../../infra/clock.js';
import type { CampaignStore } from '../../store/campaigns.js';
import type { CongressStore } from '../../store/congress.js';
import type { MemberStore } from '../../store/members.js';
import type { Dialogs } from '../dialogs.js';
import type { Notifier } from '../notifier.js';
import type { Organisation } from '../organisation.js';
import type { ProgressHints } from './progressHints.js';

export interface CongressServiceDeps {
  org: Organisation;
  campaigns: CampaignStore;
  store: CongressStore;
  /** The member register's counts per branch (the 9-member rule's đảng viên chính thức). */
  memberCounts?: Pick<MemberStore, 'queueCounts'>;
  notifier: Notifier;
  /** Where each person is in a congress flow (the `congress` and `congressCampaign` dialogs). */
  dialogs: Dialogs;
  clock: Clock;
  timezone: string;
  /** Where each person's last /tiendo landed (this process only). */
  progressHints?: ProgressHints;
}

/** Today's calendar date in the deployment's time zone. */
export function todayOf(deps: Pick<CongressServiceDeps, 'clock' | 'timezone'>): IsoDate {
  return calendarDate(deps.clock.now(), deps.timezone);
}
