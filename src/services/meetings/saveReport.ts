/** Saving a checked report, with the absence warnings that follow a save. */
import { lines } from '../../chat/markup.js';
import { reply } from '../../chat/reply.js';
import { formatYearMonth, reportingDeadline } from '../../domain/meetings/calendar.js';
import type { MeetingReport } from '../../domain/meetings/report.js';
import { formatVnDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { reportableUnit } from './access.js';
import type { MeetingContext } from './context.js';
import { settingsForChain } from './settings.js';
import { sendStrikeNotices } from './strikeNotices.js';
import type { SaveOutcome } from './types.js';

const m = msg.meetings;

/**
 * Saves a valid report for a branch the person reports for, then warns about unexcused
 * absences: the reporter in the reply, and from the third month the responsible leaders and
 * the branch's other secretaries and deputies through the outbox.
 */
export async function saveReport(
  ctx: MeetingContext,
  viewer: Viewer,
  branchCode: string,
  report: MeetingReport,
  card?: { nonce: string; dialogKey: string },
): Promise<SaveOutcome> {
  const found = await reportableUnit(ctx.org, viewer, branchCode);
  if (!found.ok) return { ok: false, replies: [found.reply] };
  const { unit, ancestors } = found;
  const { settings } = await settingsForChain(ctx, [...ancestors, unit.code]);
  const deadline = reportingDeadline(report.month, settings, ctx.holidays);
  const result = await ctx.store.saveReport({
    branch: unit.code,
    ancestors,
    month: report.month,
    report,
    deadline,
    threshold: settings.attendanceThreshold,
    actor: String(viewer.id),
    now: ctx.clock.now(),
    ...(card !== undefined ? { card } : {}),
  });
  const monthLabel = formatYearMonth(report.month);
  if (result.duplicate)
    return { ok: true, result, replies: [reply(m.alreadySaved(report.month, result.version))] };
  await sendStrikeNotices(ctx, viewer, unit, ancestors, report.month, result.absenceWarnings);
  const text = lines(
    report.type === 'chuyen_de'
      ? result.amended
        ? m.amendedThematic(monthLabel, result.version)
        : m.savedThematic(monthLabel)
      : result.amended
        ? m.amended(monthLabel, result.version)
        : m.saved(monthLabel),
    result.late && !result.amended ? m.late(formatVnDate(deadline)) : undefined,
    // The warnings come in the same message as the confirmation, so they are not missed.
    ...(result.absenceWarnings.length > 0 ? ['', m.absenceWarnings(result.absenceWarnings, unit.name)] : []),
  );
  return { ok: true, result, replies: [reply(text)] };
}
