/** A leader's own summary settings: the time it comes, and whether the chart goes with it. */
import { formatTimeOfDay, parseTimeOfDay } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import type { ReminderServiceDeps } from './deps.js';
import type { Answer } from './types.js';

const m = msg.reminders;

type SettingsDeps = Pick<ReminderServiceDeps, 'store' | 'config'>;

/** Whether this person gets summaries (holds a leader role). */
function isLeader(viewer: Viewer): boolean {
  return viewer.roles.some((r) => r.kind === 'leader');
}

/** A leader's summary time and chart setting, in words. */
export async function describePreferences(deps: SettingsDeps, viewer: Viewer): Promise<Answer> {
  if (!isLeader(viewer)) return { ok: false, text: m.tomtat.leaderOnly };
  const prefs = await deps.store.preferences(viewer.id);
  return {
    ok: true,
    text: m.tomtat.settings(formatTimeOfDay(prefs.time ?? deps.config.summaryAt), prefs.chart !== false),
  };
}

/** Turns the chart of the leader's daily summary on or off. */
export async function setChart(deps: SettingsDeps, viewer: Viewer, on: boolean): Promise<Answer> {
  if (!isLeader(viewer)) return { ok: false, text: m.tomtat.leaderOnly };
  await deps.store.setChart(viewer.id, on);
  return { ok: true, text: on ? m.tomtat.chartOn : m.tomtat.chartOff };
}

/** Moves the leader's daily summary to `timeText` ("18:30", "18h30"). */
export async function setSummaryTime(deps: SettingsDeps, viewer: Viewer, timeText: string): Promise<Answer> {
  if (!isLeader(viewer)) return { ok: false, text: m.tomtat.leaderOnly };
  const minutes = parseTimeOfDay(timeText);
  if (minutes === undefined) return { ok: false, text: m.tomtat.badTime(timeText) };
  await deps.store.setTime(viewer.id, minutes);
  return { ok: true, text: m.tomtat.timeSet(formatTimeOfDay(minutes)) };
}
