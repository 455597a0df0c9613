/** Reading and checking the words of `/caidat_sinhhoat` (and the CLI's settings changes). */
import { parseYesNo } from '../../domain/form.js';
import { type MeetingSettings, meetingSettingsSchema } from '../../domain/meetings/settings.js';
import { foldVietnamese, type IsoDate, parseVnDate, parseWholeNumber } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import type { SettingsChange } from './types.js';

const m = msg.meetings;

/** Range problems of a settings change, in Vietnamese, one per field. */
export function settingsProblems(change: SettingsChange): string[] {
  const checked = meetingSettingsSchema.partial().safeParse(change);
  if (checked.success) return [];
  const problems = new Set<string>();
  const e = m.settings.errors;
  for (const issue of checked.error.issues) {
    const field = issue.path[0];
    if (field === 'meetingDay') problems.add(e.meetingDay(String(change.meetingDay)));
    else if (field === 'reportingDays') problems.add(e.reportingDays(String(change.reportingDays)));
    else if (field === 'attendanceThreshold')
      problems.add(e.attendanceThreshold(String(change.attendanceThreshold)));
    else if (field === 'shiftToWorkingDay')
      problems.add(e.shiftToWorkingDay(String(change.shiftToWorkingDay)));
    else problems.add(e.extraDaysOff(String(change.extraDaysOff)));
  }
  return [...problems];
}

const SETTING_KEYS: Record<string, keyof MeetingSettings> = {
  ngay: 'meetingDay',
  han: 'reportingDays',
  tyle: 'attendanceThreshold',
  nguong: 'attendanceThreshold',
  doi: 'shiftToWorkingDay',
  nghi: 'extraDaysOff',
  chatluong: 'qualityScale',
  xeploai: 'qualityScale',
};

/** A percentage as typed: "80", "82,5". */
function parsePercent(text: string): number | undefined {
  return /^\d{1,3}([.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : undefined;
}

/**
 * Reads the words of `/caidat_sinhhoat`: an optional unit code, then `key=value` pairs (keys
 * without accents or with, any case), or `macdinh` to drop the scope's own settings. Values
 * that do not parse become Vietnamese errors; ranges are checked by `settingsProblems`.
 */
export function parseSettingsArgs(text: string): {
  unit?: string;
  change?: SettingsChange | 'clear';
  errors: string[];
} {
  const errors: string[] = [];
  const change: SettingsChange = {};
  let unit: string | undefined;
  let clear = false;
  const e = m.settings.errors;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      const folded = foldVietnamese(word).replace(/\s/g, '');
      if (folded === 'macdinh') clear = true;
      else if (unit === undefined) unit = word;
      else errors.push(m.settings.unknownKey(word));
      continue;
    }
    const key = SETTING_KEYS[foldVietnamese(word.slice(0, eq)).replace(/[^a-z]/g, '')];
    const value = word.slice(eq + 1);
    switch (key) {
      case 'meetingDay':
      case 'reportingDays': {
        const n = parseWholeNumber(value);
        if (n === undefined) errors.push(e[key](value));
        else change[key] = n;
        break;
      }
      case 'attendanceThreshold': {
        const n = parsePercent(value.replace(/%$/, ''));
        if (n === undefined) errors.push(e.attendanceThreshold(value));
        else change.attendanceThreshold = n;
        break;
      }
      case 'shiftToWorkingDay': {
        const yes = parseYesNo(value);
        if (yes === 'co' || yes === 'khong') change.shiftToWorkingDay = yes === 'co';
        else errors.push(e.shiftToWorkingDay(value));
        break;
      }
      case 'extraDaysOff': {
        if (parseYesNo(value) === 'khong') {
          change.extraDaysOff = [];
          break;
        }
        const dates = value.split(',').filter(Boolean).map(parseVnDate);
        if (dates.length === 0 || dates.some((d) => d === undefined)) errors.push(e.extraDaysOff(value));
        else change.extraDaysOff = dates.filter((d): d is IsoDate => d !== undefined);
        break;
      }
      case 'qualityScale': {
        // "Tốt,Khá,Trung_bình,Kém": labels apart by commas, an underscore for a space.
        const labels = value
          .split(',')
          .map((l) => l.replace(/_/g, ' ').trim())
          .filter(Boolean);
        if (labels.length < 2 || labels.length > 8 || labels.some((l) => l.length > 40))
          errors.push(e.qualityScale(value));
        else change.qualityScale = labels;
        break;
      }
      default:
        errors.push(m.settings.unknownKey(word.slice(0, eq)));
    }
  }
  if (clear && Object.keys(change).length > 0) errors.push(m.settings.clearAlone);
  const result: { unit?: string; change?: SettingsChange | 'clear'; errors: string[] } = { errors };
  if (unit !== undefined) result.unit = unit;
  if (clear) result.change = 'clear';
  else if (Object.keys(change).length > 0) result.change = change;
  return result;
}
