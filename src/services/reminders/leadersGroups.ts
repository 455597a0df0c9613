/** Leaders' groups: Telegram groups an admin registers to receive a scope's daily summary. */
import type { ChatId } from '../../chat/reply.js';
import { echo } from '../../domain/text.js';
import { unitCodeSchema } from '../../domain/units.js';
import { formatTimeOfDay } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import type { ReminderServiceDeps } from './deps.js';
import type { Answer } from './types.js';

const m = msg.reminders;

type GroupDeps = Pick<ReminderServiceDeps, 'org' | 'store' | 'clock' | 'config'>;

/**
 * `/nhomlanhdao [MÃ]` in a group: an admin registers the group for a scope's summary (the
 * whole tree when no code is given). Running it again moves the group to another scope.
 */
export async function registerGroup(
  deps: GroupDeps,
  viewer: Viewer,
  chat: { id: ChatId; title?: string; isGroup: boolean },
  unitCode?: string,
): Promise<Answer> {
  if (!deps.org.isAdmin(viewer))
    return { ok: false, text: viewer.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly };
  // A leaders' group is a Telegram group, whose id is a number.
  if (!chat.isGroup || typeof chat.id !== 'number') return { ok: false, text: m.group.groupOnly };
  // A typed code is checked before it names a key: "BP1:children" is no unit.
  const valid = unitCode === undefined || unitCodeSchema.safeParse(unitCode).success;
  const unit = !valid ? undefined : unitCode ? await deps.org.unit(unitCode) : await deps.org.units.root();
  if (!unit) return { ok: false, text: unitCode ? msg.units.unknownUnit(echo(unitCode)) : msg.units.noUnits };
  await deps.store.setGroup({
    chatId: chat.id,
    scope: unit.code,
    ...(chat.title ? { title: chat.title } : {}),
    by: viewer.id,
    at: deps.clock.now(),
  });
  return { ok: true, text: m.group.registered(unit.name, formatTimeOfDay(deps.config.summaryAt)) };
}

/** `/nhomlanhdao xoa`: the group stops receiving the summary. */
export async function unregisterGroup(
  deps: GroupDeps,
  viewer: Viewer,
  chat: { id: ChatId; isGroup: boolean },
): Promise<Answer> {
  if (!deps.org.isAdmin(viewer))
    return { ok: false, text: viewer.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly };
  if (!chat.isGroup || typeof chat.id !== 'number') return { ok: false, text: m.group.groupOnly };
  const removed = await deps.store.removeGroup(chat.id, viewer.id, deps.clock.now());
  return { ok: removed, text: removed ? m.group.removed : m.group.notRegistered };
}
