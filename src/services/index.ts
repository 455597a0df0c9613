/**
 * What the edges (commands, jobs) may reach: configuration, a logger, the clock and the
 * application services. Built once at start by `buildServices`.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { membershipInMonth } from '../domain/members/member.js';
import type { Clock } from '../infra/clock.js';
import type { Logger } from '../logger.js';
import { DeliveryStore } from '../outbox/deliveries.js';
import type { Outbox } from '../outbox/outbox.js';
import { CampaignStore } from '../store/campaigns.js';
import { ChannelStore } from '../store/channels.js';
import { CongressStore } from '../store/congress.js';
import { ConversationStore } from '../store/conversations.js';
import { DirectiveStore } from '../store/directives.js';
import { InviteStore } from '../store/invites.js';
import { MeetingStore } from '../store/meetings.js';
import { MemberStore } from '../store/members.js';
import { PeopleStore } from '../store/people.js';
import { ReminderStore } from '../store/reminders.js';
import { UnitStore } from '../store/units.js';
import { CongressService } from './congress/index.js';
import { Dialogs } from './dialogs.js';
import { DirectiveJobs, DirectiveService } from './directives/index.js';
import { ExportService } from './exports/index.js';
import { MeetingService } from './meetings/index.js';
import { MemberChat, MemberService } from './members/index.js';
import { Notifier } from './notifier.js';
import { Organisation } from './organisation.js';
import { PeopleService } from './people/index.js';
import { ReminderService } from './reminders/index.js';

export interface Services {
  config: Config;
  log: Logger;
  clock: Clock;
  /** The bot's @username, for invite links. */
  botUsername: string;
  /** Only for app wiring and health checks; commands go through the services below. */
  redis: Redis;
  org: Organisation;
  conversations: ConversationStore;
  /** The step-by-step flows: where each person is, checked against its kind's schema. */
  dialogs: Dialogs;
  /** Every message the bot starts itself goes out through here (the outbox). */
  notifier: Notifier;
  /** People in chat: /start, /help, /huy, /canbo, /moi, unit files. */
  people: PeopleService;
  /** Monthly branch meetings: reports, absence warnings, compliance, calendar settings. */
  meetings: MeetingService;
  /** Branch congress rounds: campaigns, dates, results, approval and progress. */
  congress: CongressService;
  /** Directives: broadcast with receipts, acknowledgements, follow-ups and cancelling. */
  directives: DirectiveService;
  /** Excel workbooks and the printable PDF of congress rounds, meetings and directives. */
  exports: ExportService;
  /** Reminders and daily summaries: the runs the scheduler and the CLI start, leaders' settings. */
  reminders: ReminderService;
  /** The member register: branch lists and changes, Huy hiệu Đảng, phát triển đảng viên. */
  members: MemberService;
  /** The register in chat: /dangvien, /huyhieu, /phattrien, member files. */
  memberChat: MemberChat;
}

export function buildServices(base: {
  config: Config;
  log: Logger;
  clock: Clock;
  botUsername: string;
  redis: Redis;
  outbox: Outbox;
}): Services {
  const { redis, config, clock, log } = base;
  const timezone = config.timezone;
  // Each store once; services share them.
  const units = new UnitStore(redis);
  const people = new PeopleStore(redis, { adminIds: config.adminIds });
  const deliveries = new DeliveryStore(redis);
  const campaigns = new CampaignStore(redis);
  const congressStore = new CongressStore(redis);
  const meetingStore = new MeetingStore(redis);
  const directiveStore = new DirectiveStore(redis);
  const conversations = new ConversationStore(redis);
  const dialogs = new Dialogs(conversations, clock, log);

  const org = new Organisation(units, people, new InviteStore(redis), deliveries, clock, base.botUsername);
  const memberStore = new MemberStore(redis);
  const members = new MemberService({ org, store: memberStore, clock, timezone });
  const notifier = new Notifier(base.outbox);
  const meetings = new MeetingService({
    registerOf: (branch) => memberStore.branch(branch),
    membershipOf: async (branch, month) => {
      const [active, closed] = await Promise.all([memberStore.branch(branch), memberStore.closedIn(branch)]);
      return membershipInMonth([...active, ...closed], branch, month);
    },
    registerSizes: async (codes) =>
      new Map([...(await members.branchCounts(codes))].map(([code, c]) => [code, c.total])),
    store: meetingStore,
    org,
    dialogs,
    notifier,
    clock,
    timezone,
    log,
  });
  const congress = new CongressService({
    org,
    campaigns,
    store: congressStore,
    memberCounts: new MemberStore(redis),
    notifier,
    dialogs,
    clock,
    timezone,
  });
  const directives = new DirectiveService({
    store: directiveStore,
    org,
    dialogs,
    notifier,
    deliveries,
    jobs: new DirectiveJobs(redis),
    clock,
    timezone,
    quietHours: config.quietHours,
    log,
  });
  return {
    config,
    log,
    clock,
    botUsername: base.botUsername,
    redis,
    org,
    conversations,
    dialogs,
    notifier,
    people: new PeopleService(org, dialogs, timezone, new ChannelStore(redis), clock),
    meetings,
    congress,
    directives,
    exports: new ExportService({
      org,
      campaigns,
      congress: congressStore,
      meetingStore,
      meetings,
      directives,
      directiveStore,
      deliveries,
      members,
      clock,
      timezone,
    }),
    reminders: new ReminderService({
      org,
      campaigns,
      congress: congressStore,
      meetingStore,
      meetings,
      members,
      store: new ReminderStore(redis),
      deliveries,
      notifier,
      redis,
      clock,
      config,
      log,
    }),
    members,
    memberChat: new MemberChat({ members, org, dialogs, notifier, clock, timezone }),
  };
}
