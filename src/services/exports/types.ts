/**
 * The shapes exports hand to the chat and the CLI, the service's dependencies, and the small
 * result type the steps pass between them.
 */
import type { YearMonth } from '../../domain/meetings/calendar.js';
import { calendarDate, type IsoDate } from '../../domain/vn.js';
import type { Clock } from '../../infra/clock.js';
import type { DeliveryStore } from '../../outbox/deliveries.js';
import type { CampaignStore } from '../../store/campaigns.js';
import type { CongressStore } from '../../store/congress.js';
import type { DirectiveStore } from '../../store/directives.js';
import type { MeetingStore } from '../../store/meetings.js';
import type { DirectiveService } from '../directives/index.js';
import type { MeetingService } from '../meetings/index.js';
import type { MemberService } from '../members/index.js';
import type { Organisation, Viewer } from '../organisation.js';
import type { ExportAction } from './actions.js';

export type { ExportAction } from './actions.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const PDF_MIME = 'application/pdf';

/** One file made by an export. */
export interface ExportFile {
  /** ASCII, no spaces: what the file is saved as. */
  filename: string;
  mimeType: string;
  content: Buffer;
  /** A Vietnamese caption for chat. */
  caption: string;
}

/** The files, or why not (Vietnamese, plain text). */
export type ExportOutcome = { ok: true; files: ExportFile[] } | { ok: false; text: string };

export interface ExportOption {
  label: string;
  action: ExportAction;
}

/** What /xuat shows: a refusal, the scopes to choose from, or the exports of one scope. */
export type ExportMenu =
  | { kind: 'refused'; text: string }
  /** Several scopes: `month` is the month asked for, to carry into the choice. */
  | { kind: 'chooseScope'; text: string; units: { code: string; name: string }[]; month?: YearMonth }
  | { kind: 'menu'; text: string; unit: { code: string; name: string }; options: ExportOption[] };

export interface ExportServiceDeps {
  org: Organisation;
  campaigns: CampaignStore;
  congress: CongressStore;
  meetingStore: MeetingStore;
  meetings: MeetingService;
  directives: DirectiveService;
  directiveStore: DirectiveStore;
  deliveries: Pick<DeliveryStore, 'listTrack'>;
  members: MemberService;
  clock: Clock;
  timezone: string;
}

/** Who asks: a chat user, or the server's CLI, which may export anything. */
export type Actor = Viewer | 'cli';
export type Found<T> = { ok: true; value: T } | { ok: false; text: string };

export function fail(text: string): { ok: false; text: string } {
  return { ok: false, text };
}

/** Today's date where the organisation lives. */
export function today(deps: Pick<ExportServiceDeps, 'clock' | 'timezone'>): IsoDate {
  return calendarDate(deps.clock.now(), deps.timezone);
}
