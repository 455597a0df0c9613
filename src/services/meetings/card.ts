/** The confirmation card: a checked report waits on it for «Xác nhận» before it is saved. */
import { randomBytes } from 'node:crypto';
import { formatYearMonth } from '../../domain/meetings/calendar.js';
import type { MeetingDialogState } from '../../domain/meetings/dialog.js';
import { type MeetingFlags, type MeetingReport, renderMeetingCard } from '../../domain/meetings/report.js';
import type { Unit } from '../../domain/units.js';
import type { IsoDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import type { MeetingContext } from './context.js';
import type { ConfirmPhase } from './conversation.js';
import { cancelRow, html } from './replies.js';
import { saveReport } from './saveReport.js';
import type { MeetingButton, MeetingReply } from './types.js';

const m = msg.meetings;

/** What a report is checked against: today, and the branch size on record when there is one. */
export function reportContext(today: IsoDate, unit: Unit) {
  return { today, ...(unit.members > 0 ? { branchSize: unit.members } : {}) };
}

/** The confirmation card; the report waits in the conversation for «Xác nhận». */
export async function card(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: number,
  unit: Unit,
  report: MeetingReport,
  flags: MeetingFlags,
  dialog: MeetingDialogState | undefined,
): Promise<MeetingReply[]> {
  const token = randomBytes(4).toString('hex');
  await ctx.conversation.set(chatId, viewer.id, {
    phase: 'confirm',
    branch: unit.code,
    token,
    report,
    flags,
    ...(dialog ? { dialog } : {}),
  });
  const existing = await ctx.store.getReport(unit.code, report.month);
  const footer = [...(existing ? [m.card.amends(formatYearMonth(report.month))] : []), m.card.confirm];
  const row: MeetingButton[] = [{ label: m.buttonSave, action: { kind: 'confirm', token } }];
  if (dialog) row.push({ label: m.buttonEdit, action: { kind: 'revise' } });
  row.push(...cancelRow());
  return html(`${renderMeetingCard(report, unit.name, flags)}\n\n${footer.join('\n')}`, [row]);
}

/** «Xác nhận» on a card already claimed: saves its report and ends the conversation. */
export async function confirm(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: number,
  state: ConfirmPhase,
): Promise<MeetingReply[]> {
  const saved = await saveReport(ctx, viewer, state.branch, state.report);
  // Saved or refused, this card is done with; a refusal (role gone) cannot be fixed by retrying.
  await ctx.conversations.clear(chatId, viewer.id);
  return saved.replies;
}
