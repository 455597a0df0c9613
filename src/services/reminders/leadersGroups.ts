/** Leaders' groups: Telegram groups an admin registers to receive a scope's daily summary. */
import { formatTimeOfDay } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import type { ReminderServiceDeps } from './deps.js';
import type { Outcome } from './types.js';

const m = msg.reminders;

type GroupDeps = Pick<ReminderServiceDeps, 'org' | 'store' | 'clock' | 'config'>;

/**
 * `/nhomlanhdao [MÃ]` in a group: an admin registers the group for a scope's summary (the
 * whole tree when no code is given). Running it again moves the group to another scope.
 */
export async function registerGroup(
  deps: GroupDeps,
  viewer: Viewer,
  chat: { id: number; title?: string; isGroup: boolean },
  unitCode?: string,
): Promise<Outcome> {
  if (!deps.org.isAdmin(viewer))
    return { ok: false, text: viewer.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly };
  if (!chat.isGroup) return { ok: false, text: m.group.groupOnly };
  const unit = unitCode ? await deps.org.unit(unitCode) : await deps.org.units.root();
  if (!unit) return { ok: false, text: unitCode ? msg.units.unknownUnit(unitCode) : msg.units.noUnits };
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
  chat: { id: number; isGroup: boolean },
): Promise<Outcome> {
  if (!deps.org.isAdmin(viewer))
    return { ok: false, text: viewer.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly };
  if (!chat.isGroup) return { ok: false, text: m.group.groupOnly };
  const removed = await deps.store.removeGroup(chat.id, viewer.id, deps.clock.now());
  return { ok: removed, text: removed ? m.group.removed : m.group.notRegistered };
}
