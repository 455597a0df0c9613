/**
 * From the third month of unexcused absence, the people who must hear of it beyond the
 * reporter: the responsible leaders and the branch's other secretaries and deputies.
 */
import { bold, lines } from '../../chat/markup.js';
import { type AbsenceWarning, absenceNameKey } from '../../domain/meetings/absence.js';
import { formatYearMonth, type YearMonth, yearOf } from '../../domain/meetings/calendar.js';
import type { Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import { outboxId } from '../../outbox/outbox.js';
import type { Viewer } from '../organisation.js';
import type { MeetingContext } from './context.js';

const m = msg.meetings;

/**
 * From the third month: the responsible leaders, and the branch's secretaries and deputies
 * other than the reporter, are told through the outbox. One notice per person and name, under
 * an id fixed by branch, name, year and month, so re-saving the month does not repeat it.
 */
export async function sendStrikeNotices(
  ctx: Pick<MeetingContext, 'org' | 'notifier' | 'log'>,
  viewer: Viewer,
  unit: Unit,
  ancestors: readonly string[],
  month: YearMonth,
  warnings: readonly AbsenceWarning[],
): Promise<void> {
  const strikes = warnings.filter((w) => w.level === 'strike');
  if (strikes.length === 0) return;
  const [leaders, secretaries, deputies] = await Promise.all([
    ctx.org.people.responsibleLeaders(unit.code, ancestors),
    ctx.org.people.holdersOf(unit.code, 'secretary'),
    ctx.org.people.holdersOf(unit.code, 'deputy'),
  ]);
  const recipients = [...new Set([...(leaders?.people ?? []), ...secretaries, ...deputies])].filter(
    (id) => id !== viewer.id,
  );
  const title = bold(m.absence.noticeTitle(formatYearMonth(month)));
  for (const warning of strikes) {
    const body = m.strikeNotice([warning], unit.name);
    if (body === undefined) continue;
    for (const personId of recipients) {
      const id = outboxId(
        'sinhhoat-xoaten',
        unit.code,
        absenceNameKey(warning.name),
        yearOf(month),
        month,
        personId,
      );
      try {
        await ctx.notifier.toPerson(personId, lines(title, body), { id, purpose: 'notice' });
      } catch (err) {
        // The report is saved and the reporter warned; a notice that could not be queued is
        // logged under its id rather than turning the saved report into an apology.
        ctx.log.error({ err, id, personId }, 'could not queue the strike notice');
      }
    }
  }
}
