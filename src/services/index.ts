/**
 * What the edges (commands, jobs) may reach: configuration, a logger, the clock and the
 * application services. Built once at start by `buildServices`.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Clock } from '../infra/clock.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import { ConversationStore } from '../store/conversations.js';
import { InviteStore } from '../store/invites.js';
import { PeopleStore } from '../store/people.js';
import { UnitStore } from '../store/units.js';
import { Notifier } from './notifier.js';
import { Organisation } from './organisation.js';

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
  /** Every message the bot starts itself goes out through here (the outbox). */
  notifier: Notifier;
}

export function buildServices(base: {
  config: Config;
  log: Logger;
  clock: Clock;
  botUsername: string;
  redis: Redis;
  outbox: Outbox;
}): Services {
  const { redis, config, clock } = base;
  const units = new UnitStore(redis);
  const people = new PeopleStore(redis, { adminIds: config.adminIds });
  const invites = new InviteStore(redis);
  const org = new Organisation(units, people, invites, clock, base.botUsername);
  return {
    config: base.config,
    log: base.log,
    clock,
    botUsername: base.botUsername,
    redis,
    org,
    conversations: new ConversationStore(redis),
    notifier: new Notifier(base.outbox),
  };
}
