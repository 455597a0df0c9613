/**
 * The fill-in form: the blank form a secretary copies, a filled form pasted back (with or
 * without the command), and the branch choice for a secretary of several branches.
 */

import { type ChatId, type Reply, reply } from '../../chat/reply.js';
import { parseForm } from '../../domain/form.js';
import { defaultProgressMonth, formatYearMonth, type YearMonth } from '../../domain/meetings/calendar.js';
import { blankMeetingForm, checkMeetingForm, MEETING_FORM_FIELDS } from '../../domain/meetings/report.js';
import type { Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { meetingButton } from './actions.js';
import { cancelRow, card, reportContext } from './card.js';
import type { MeetingContext } from './context.js';
import { settingsFor } from './settings.js';
import type { MeetingState } from './state.js';

const m = msg.meetings;

/** A pasted message is taken for a meeting form when it answers at least this many labels. */
export const FORM_LABELS_NEEDED = 3;

/** True when `text` answers at least `FORM_LABELS_NEEDED` labels of the meeting form. */
export function looksLikeMeetingForm(text: string): boolean {
  return Object.keys(parseForm(text, MEETING_FORM_FIELDS).values).length >= FORM_LABELS_NEEDED;
}

/** The choice of branch for a secretary of several. */
export function branchPicker(branches: readonly Unit[]): Reply {
  return reply(m.pickBranch, [
    ...branches.map((b) => [meetingButton(b.name, { kind: 'branch', branch: b.code })]),
    cancelRow(),
  ]);
}

/**
 * The intro, then the form alone (so it copies cleanly) with the dialog button. The intro
 * names `month`, or the month a report is most likely for today; the month actually reported
 * is always that of the meeting date.
 */
export async function blankForm(ctx: MeetingContext, unit: Unit, asked?: YearMonth): Promise<Reply[]> {
  const { settings } = await settingsFor(ctx, unit.code);
  const month = asked ?? defaultProgressMonth(ctx.today(), settings, ctx.holidays);
  const shown = await ctx.membership(unit.code, month);
  const prefill: Partial<Record<string, number>> = {
    ...(unit.members > 0 ? { [m.labels.members]: unit.members } : {}),
    ...(shown.admitted + shown.madeOfficial > 0
      ? { [m.labels.admitted]: shown.admitted, [m.labels.madeOfficial]: shown.madeOfficial }
      : {}),
  };
  const form = blankMeetingForm()
    .split('\n')
    .map((line) => {
      const value = prefill[line.slice(0, -2)];
      return line.endsWith(': ') && value !== undefined ? `${line}${value}` : line;
    })
    .join('\n');
  return [
    reply(`${unit.name}\n${m.form.intro(formatYearMonth(month))}\n${m.form.example}`),
    reply(form, [[meetingButton(m.buttonDialog, { kind: 'dialog', branch: unit.code })]]),
  ];
}

/** A filled form: checked for its branch, or held while a secretary of several chooses one. */
export async function receiveForm(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: ChatId,
  text: string,
  branches: readonly Unit[],
  state: MeetingState | undefined,
): Promise<Reply[]> {
  // A form sent while reporting for one branch answers that report.
  const current = state && state.phase !== 'pickBranch' ? state.branch : undefined;
  const unit = branches.find((b) => b.code === current) ?? (branches.length === 1 ? branches[0] : undefined);
  if (!unit) {
    await ctx.dialogs.save(chatId, viewer.id, 'meetings', { phase: 'pickBranch', form: text });
    return [branchPicker(branches)];
  }
  return checkForm(ctx, viewer, chatId, unit, text);
}

/** The card for a valid form, or what is wrong with it. */
export async function checkForm(
  ctx: MeetingContext,
  viewer: Viewer,
  chatId: ChatId,
  unit: Unit,
  text: string,
): Promise<Reply[]> {
  const { settings } = await settingsFor(ctx, unit.code);
  const checked = checkMeetingForm(text, reportContext(ctx.today(), unit, settings.qualityScale));
  if (!checked.ok) return [reply(m.errorList(checked.errors))];
  const matched = await ctx.matchAbsentees(unit.code, checked.report);
  if (!matched.ok) return [reply(m.errorList(matched.errors))];
  return card(ctx, viewer, chatId, unit, matched.report, checked.flags, undefined);
}
