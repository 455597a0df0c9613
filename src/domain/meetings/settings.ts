/**
 * Meeting settings of a scope (a unit and everything under it): which day of the month branches
 * meet, how long they have to report, and what attendance counts as low. A unit without its own
 * settings inherits them whole from its nearest ancestor that has some, else the deployment's.
 */
import { z } from 'zod';
import { DEFAULT_QUALITY_SCALE } from './vocabulary.js';

export const meetingSettingsSchema = z.object({
  /** Day of the month the meeting is fixed on; 29–31 fall back to the month's last day. */
  meetingDay: z.number().int().min(1).max(31).default(3),
  /** Move a meeting day that is a weekend or a holiday to the next working day. */
  shiftToWorkingDay: z.boolean().default(true),
  /** The report is due this many calendar days after the meeting day. */
  reportingDays: z.number().int().min(0).max(28).default(5),
  /** Attendance below this percentage of the members expected is pointed out. */
  attendanceThreshold: z.number().min(0).max(100).default(80),
  /** Local days off on top of the national calendar (a provincial anniversary, say). */
  extraDaysOff: z.array(z.iso.date()).default([]),
  /** The ratings a branch gives its own meeting (Tốt, Khá, Trung bình, Kém by default). */
  qualityScale: z
    .array(z.string().min(1).max(40))
    .min(2)
    .max(8)
    .default([...DEFAULT_QUALITY_SCALE]),
});

/** Settings with every default filled in. */
export type MeetingSettings = z.output<typeof meetingSettingsSchema>;
/** Settings as an operator may write them: any field may be left out. */
export type MeetingSettingsInput = z.input<typeof meetingSettingsSchema>;

/** The deployment's defaults: the 3rd, shifted, due 5 days later, 80% attendance. */
export const DEFAULT_MEETING_SETTINGS: MeetingSettings = meetingSettingsSchema.parse({});

/** Where a scope's settings came from: `unit` is the unit that holds them, or undefined for defaults. */
export interface ResolvedSettings {
  settings: MeetingSettings;
  unit: string | undefined;
}

/**
 * The settings in force for the last unit of `chain` (root first, the unit itself last): those
 * of the nearest unit that has any, or `defaults`.
 */
export function resolveSettings(
  chain: readonly string[],
  own: ReadonlyMap<string, MeetingSettings>,
  defaults: MeetingSettings = DEFAULT_MEETING_SETTINGS,
): ResolvedSettings {
  for (let i = chain.length - 1; i >= 0; i--) {
    const unit = chain[i];
    const settings = unit === undefined ? undefined : own.get(unit);
    if (settings && unit !== undefined) return { settings, unit };
  }
  return { settings: defaults, unit: undefined };
}
