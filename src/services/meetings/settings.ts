/** The meeting calendar settings admins keep: reading them in force, describing and changing them. */
import {
  formatYearMonth,
  meetingDay,
  monthOfDate,
  reportingDeadline,
} from '../../domain/meetings/calendar.js';
import type { ResolvedSettings } from '../../domain/meetings/settings.js';
import type { Unit } from '../../domain/units.js';
import { formatVnDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { settingsRefusal, settingsUnit } from './access.js';
import type { MeetingContext } from './context.js';
import { parseSettingsArgs, settingsProblems } from './settingsArgs.js';
import type { SettingsChange, SettingsOutcome } from './types.js';

const m = msg.meetings;

type SettingsDeps = Pick<MeetingContext, 'store' | 'org' | 'defaults'>;

/** The settings in force for a unit (its own, its nearest ancestor's, or the defaults). */
export async function settingsFor(ctx: SettingsDeps, unitCode: string): Promise<ResolvedSettings> {
  const ancestors = await ctx.org.units.ancestors(unitCode);
  return settingsForChain(ctx, [...ancestors, unitCode]);
}

/** The settings in force along a chain of units already known (root first, the unit last). */
export function settingsForChain(
  ctx: Pick<MeetingContext, 'store' | 'defaults'>,
  chain: readonly string[],
): Promise<ResolvedSettings> {
  return ctx.store.settingsFor(chain, ctx.defaults);
}

/** A scope's meeting calendar as admins read it (the root when no code is given). */
export async function describeSettings(
  ctx: MeetingContext,
  actor: Viewer | 'cli',
  unitCode?: string,
): Promise<SettingsOutcome> {
  const found = await settingsUnit(ctx.org, actor, unitCode);
  if (!found.ok) return found;
  return { ok: true, text: await settingsText(ctx, found.unit) };
}

/**
 * Changes a scope's settings: the fields given replace those in force, the rest are kept, and
 * the result becomes the scope's own (audited). `clear` drops the scope's own settings so it
 * inherits again. Only admins (or the CLI).
 */
export async function changeSettings(
  ctx: MeetingContext,
  actor: Viewer | 'cli',
  unitCode: string | undefined,
  change: SettingsChange | 'clear',
): Promise<SettingsOutcome> {
  const found = await settingsUnit(ctx.org, actor, unitCode);
  if (!found.ok) return found;
  const unit = found.unit;
  const who = actor === 'cli' ? 'cli' : String(actor.id);
  if (change === 'clear') {
    await ctx.store.clearSettings(unit.code, who, ctx.clock.now());
    return { ok: true, text: `${m.settings.cleared}\n\n${await settingsText(ctx, unit)}` };
  }
  const problems = settingsProblems(change);
  if (problems.length > 0) return { ok: false, text: problems.join('\n') };
  const { settings } = await settingsFor(ctx, unit.code);
  await ctx.store.setSettings(unit.code, { ...settings, ...change }, who, ctx.clock.now());
  return { ok: true, text: `${m.settings.saved}\n\n${await settingsText(ctx, unit)}` };
}

/**
 * `/caidat_sinhhoat [MÃ] [ngay=3] [han=5] [tyle=80] [doi=co|khong] [nghi=…|khong]`, or
 * `[MÃ] macdinh`: shows the scope's calendar, or changes it.
 */
export async function configure(
  ctx: MeetingContext,
  actor: Viewer | 'cli',
  argsText: string,
): Promise<SettingsOutcome> {
  const refusal = settingsRefusal(ctx.org, actor);
  if (refusal !== undefined) return { ok: false, text: refusal };
  const parsed = parseSettingsArgs(argsText);
  if (parsed.errors.length > 0) return { ok: false, text: m.settings.invalid(parsed.errors) };
  if (parsed.change === undefined) return describeSettings(ctx, actor, parsed.unit);
  return changeSettings(ctx, actor, parsed.unit, parsed.change);
}

/** The calendar in force, where it comes from, and this month's meeting day and deadline. */
async function settingsText(ctx: MeetingContext, unit: Unit): Promise<string> {
  const resolved = await settingsFor(ctx, unit.code);
  const s = resolved.settings;
  const source =
    resolved.unit === undefined
      ? m.settings.sourceDefault
      : resolved.unit === unit.code
        ? m.settings.sourceOwn
        : m.settings.sourceInherited((await ctx.org.unit(resolved.unit))?.name ?? resolved.unit);
  const month = monthOfDate(ctx.today());
  return [
    m.settings.title(unit.name),
    m.settings.meetingDay(s.meetingDay, s.shiftToWorkingDay),
    m.settings.deadline(s.reportingDays),
    m.settings.threshold(s.attendanceThreshold),
    m.settings.extraDaysOff(s.extraDaysOff.map(formatVnDate)),
    m.settings.qualityScale(s.qualityScale),
    source,
    m.settings.month(
      formatYearMonth(month),
      formatVnDate(meetingDay(month, s, ctx.holidays)),
      formatVnDate(reportingDeadline(month, s, ctx.holidays)),
    ),
  ].join('\n');
}
