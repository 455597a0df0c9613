/** What the congress modules are built from; each module takes only the parts it uses. */
import { calendarDate, type IsoDate } from '../../domain/vn.js';
import type { Clock } from '../../infra/clock.js';
import type { CampaignStore } from '../../store/campaigns.js';
import type { CongressStore } from '../../store/congress.js';
import type { Dialogs } from '../dialogs.js';
import type { Notifier } from '../notifier.js';
import type { Organisation } from '../organisation.js';

export interface CongressServiceDeps {
  org: Organisation;
  campaigns: CampaignStore;
  store: CongressStore;
  notifier: Notifier;
  /** Where each person is in a congress flow (the `congress` and `congressCampaign` dialogs). */
  dialogs: Dialogs;
  clock: Clock;
  timezone: string;
  /** Full (chính thức) members on each branch's register; none without one. @defaultValue none */
  officialCounts?: (branches: readonly string[]) => Promise<Map<string, number>>;
}

/** Today's calendar date in the deployment's time zone. */
export function todayOf(deps: Pick<CongressServiceDeps, 'clock' | 'timezone'>): IsoDate {
  return calendarDate(deps.clock.now(), deps.timezone);
}
