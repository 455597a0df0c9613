/** The confirmation card: a checked report waits on it for «Xác nhận» before it is saved. */
import { randomBytes } from 'node:crypto';
import { lines } from '../../chat/markup.js';
import { type ChatId, type Reply, reply } from '../../chat/reply.js';
import { formatYearMonth } from '../../domain/meetings/calendar.js';
import type { MeetingDialogState } from '../../domain/meetings/dialog.js';
import type { MeetingFlags, MeetingReport } from '../../domain/meetings/report.js';
import type { Unit } from '../../domain/units.js';
import type { IsoDate } from '../../domain/vn.js';
import { pausePoint } from '../../infra/pausePoints.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { meetingButton } from './actions.js';
import type { MeetingContext } from './context.js';
import { saveReport } from './saveReport.js';
import type { ConfirmPhase } from './state.js';

const m = msg.meetings;

/** What a report is checked against: today, and the branch size on record when there is one. */
export function reportContext(today: IsoDate, unit: Unit, qualityScale?: readonly string[]) {
  return {
    today,
    ...(unit.members > 0 ? { branchSize: unit.members } : {}),
    ...(qualityScale ? { qualityScale } : {}),
  };
}

/** The row with the cancel button that ends every step of a report. */
export const cancelRow = () => [meetingButton(msg.common.buttonCancel, { kind: 'cancel' })];

/** The confirmation card; the report waits in the dialog for «Xác nhận». */
export async function card(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: ChatId,
  unit: Unit,
  report: MeetingReport,
  flags: MeetingFlags,
  dialog: MeetingDialogState | undefined,
): Promise<Reply[]> {
  const token = randomBytes(4).toString('hex');
  await ctx.dialogs.save(chatId, viewer.id, 'meetings', {
    phase: 'confirm',
    branch: unit.code,
    token,
    report,
    flags,
    ...(dialog ? { dialog } : {}),
  });
  const thematic = report.type === 'chuyen_de';
  const existing = await ctx.store.getReport(unit.code, report.month, { thematic });
  const row = [meetingButton(m.buttonSave, { kind: 'confirm', token })];
  if (dialog) row.push(meetingButton(m.buttonEdit, { kind: 'revise' }));
  row.push(...cancelRow());
  return [
    reply(
      lines(
        m.cardText(report, unit.name, flags),
        '',
        thematic ? m.card.thematicSeparate : undefined,
        existing
          ? (thematic ? m.card.amendsThematic : m.card.amends)(formatYearMonth(report.month))
          : undefined,
        m.card.confirm,
      ),
      [row],
    ),
  ];
}

/**
 * «Xác nhận» on the card shown: saves its report, consuming the card in the same step (a press
 * repeated after a crash finds the card used and is told what was saved), then ends the dialog.
 */
export async function confirm(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: ChatId,
  state: ConfirmPhase,
): Promise<Reply[]> {
  const card = { nonce: state.token, dialogKey: ctx.dialogs.key(chatId, viewer.id) };
  const saved = await saveReport(ctx, viewer, state.branch, state.report, card);
  await pausePoint('confirm-saved');
  // A refusal (role gone) cannot be fixed by retrying: that card is done with too.
  if (!saved.ok) await ctx.dialogs.clear(chatId, viewer.id);
  return saved.replies;
}
