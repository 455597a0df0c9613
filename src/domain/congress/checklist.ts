/**
 * The office's checklists around a branch congress: what must be ready before it (preparation)
 * and done after it (follow-up, due a number of days after the congress). A round may change the
 * lists; these are the defaults. Pure.
 */
import { addDays, type IsoDate } from '../vn.js';

export type ChecklistKind = 'preparation' | 'followUp';

export interface ChecklistConfig {
  preparation: string[];
  followUp: string[];
  /** Days after the congress the follow-up is due. */
  followUpDays: number;
}

export const DEFAULT_CHECKLISTS: Readonly<ChecklistConfig> = {
  preparation: [
    'Dự thảo báo cáo chính trị đã gửi cấp ủy cấp trên',
    'Đề án nhân sự đã được cấp ủy cấp trên cho ý kiến',
  ],
  followUp: ['Chương trình hành động', 'Quy chế làm việc', 'Phân công nhiệm vụ cấp ủy viên'],
  followUpDays: 30,
};

/** Limits on a round's own lists: short enough for a button and a reminder. */
export const CHECKLIST_LIMITS = { items: 8, itemLength: 100, followUpDaysMax: 180 } as const;

/** Days before a congress the preparation reminders go out. */
export const PREPARATION_REMINDER_DAYS = [7, 3] as const;
/** Days before the follow-up is due that its reminder goes out (and on the day). */
export const FOLLOW_UP_REMINDER_DAYS = [7, 0] as const;
/** How far ahead /tiendo and the summary look for preparation still open. */
export const PREPARATION_LOOKAHEAD_DAYS = 7;

/** Items of `items` not ticked, in list order. */
export function openItems(items: readonly string[], ticked: ReadonlyMap<string, number>): string[] {
  return items.filter((i) => !ticked.has(i));
}

/** When the follow-up of a congress held on `date` is due. */
export function followUpDue(date: IsoDate, days: number): IsoDate {
  return addDays(date, days);
}

export type ChecklistProblem =
  | { code: 'checklistEmpty' }
  | { code: 'checklistTooMany'; count: number; max: number }
  | { code: 'checklistItemTooLong'; item: string; max: number }
  | { code: 'followUpDaysInvalid'; value: string; max: number };

/** A list given as "a; b; c": trimmed, invisible marks removed, no empties or repeats. */
export function parseChecklist(
  raw: string,
): { ok: true; items: string[] } | { ok: false; problem: ChecklistProblem } {
  const items = [
    ...new Set(
      raw
        .split(/[;\n]/)
        .map((s) =>
          s
            .replace(/[\p{Cc}\p{Cf}]/gu, '')
            .replace(/\s+/g, ' ')
            .trim(),
        )
        .filter(Boolean),
    ),
  ];
  if (items.length === 0) return { ok: false, problem: { code: 'checklistEmpty' } };
  if (items.length > CHECKLIST_LIMITS.items)
    return {
      ok: false,
      problem: { code: 'checklistTooMany', count: items.length, max: CHECKLIST_LIMITS.items },
    };
  const long = items.find((i) => i.length > CHECKLIST_LIMITS.itemLength || i.includes('|'));
  if (long)
    return {
      ok: false,
      problem: { code: 'checklistItemTooLong', item: long, max: CHECKLIST_LIMITS.itemLength },
    };
  return { ok: true, items };
}

export function parseFollowUpDays(
  raw: string,
): { ok: true; days: number } | { ok: false; problem: ChecklistProblem } {
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < 1 || n > CHECKLIST_LIMITS.followUpDaysMax)
    return {
      ok: false,
      problem: { code: 'followUpDaysInvalid', value: raw.trim(), max: CHECKLIST_LIMITS.followUpDaysMax },
    };
  return { ok: true, days: n };
}
