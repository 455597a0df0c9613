/**
 * The reminder commands as people type them: `/tomtat [tat_bieudo | bat_bieudo | gio HH:MM]`
 * and `/nhomlanhdao [MÃ | xoa]`. The words after the command are read here, so the chat edge
 * only hands them over; the answers are replies as data.
 */
import { type ChatId, type Reply, reply } from '../../chat/reply.js';
import { foldVietnamese } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import type { ReminderContext } from './deps.js';
import { describePreferences, setChart, setSummaryTime } from './leaderSettings.js';
import { registerGroup, unregisterGroup } from './leadersGroups.js';
import { summaryFor } from './summaries.js';

const m = msg.reminders;

/** A word as typed, folded: "Tắt_biểu_đồ" → "tat_bieu_do" → "tatbieudo". */
const word = (text: string | undefined) => foldVietnamese(text ?? '').replace(/[\s_-]/g, '');

/**
 * `/tomtat`: the summary now, with its chart; `tat_bieudo` / `bat_bieudo` turn the chart of the
 * daily summary off and on; `gio 18:30` moves it (alone, `gio` says the current settings).
 */
export async function summaryCommand(ctx: ReminderContext, viewer: Viewer, args: string): Promise<Reply[]> {
  if (viewer.roles.length === 0) return [reply(msg.units.noAccess)];
  const { deps } = ctx;
  const [first, ...rest] = args.split(/\s+/).filter(Boolean);
  switch (word(first)) {
    case '':
      return [(await summaryFor(ctx, viewer.id, deps.clock.now())) ?? reply(m.tomtat.leaderOnly)];
    case 'tatbieudo':
      return [reply((await setChart(deps, viewer, false)).text)];
    case 'batbieudo':
      return [reply((await setChart(deps, viewer, true)).text)];
    case 'gio': {
      if (rest.length > 0) return [reply((await setSummaryTime(deps, viewer, rest.join(' '))).text)];
      const r = await describePreferences(deps, viewer);
      return [reply(r.ok ? `${r.text}\n${m.tomtat.usage}` : r.text)];
    }
    default:
      return [reply(m.tomtat.usage)];
  }
}

/**
 * `/nhomlanhdao [MÃ]` in a group registers it for the daily summary of the unit (the whole tree
 * without a code); `/nhomlanhdao xoa` stops it.
 */
export async function groupCommand(
  ctx: ReminderContext,
  viewer: Viewer,
  chat: { id: ChatId; isGroup: boolean },
  args: string,
): Promise<Reply[]> {
  const [code] = args.split(/\s+/).filter(Boolean);
  const r =
    word(code) === 'xoa'
      ? await unregisterGroup(ctx.deps, viewer, chat)
      : await registerGroup(ctx.deps, viewer, chat, code);
  return [reply(r.text)];
}
