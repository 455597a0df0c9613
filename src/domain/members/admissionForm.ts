/**
 * The kết nạp form a secretary fills in chat: one "Nhãn: giá trị" line per field, labels in any
 * order, with or without diacritics. Reading it is pure; checking the values is `checkAdmission`.
 * The labels are vocabulary the catalogue prints the blank form with.
 */
import { foldVietnamese } from '../vn.js';
import type { AdmissionDraft, AdmissionField } from './admission.js';
import type { ClosingKind } from './member.js';

/** The form's labels, in the order the blank form lists them. */
export const ADMISSION_FORM_LABELS: readonly (readonly [AdmissionField, string])[] = [
  ['fullName', 'Họ và tên'],
  ['birthDate', 'Ngày sinh'],
  ['gender', 'Giới tính'],
  ['ethnicity', 'Dân tộc'],
  ['joined', 'Ngày vào Đảng'],
  ['cardNumber', 'Số thẻ đảng viên'],
  ['interruptedMonths', 'Số tháng gián đoạn'],
];

/** Labels as people shorten them, folded (no diacritics, lower case). */
const ALIASES: Record<string, AdmissionField> = {
  'ho ten': 'fullName',
  ten: 'fullName',
  'ngay ket nap': 'joined',
  'ngay vao dang': 'joined',
  'so the': 'cardNumber',
  'gian doan': 'interruptedMonths',
};
const LOOKUP = new Map<string, AdmissionField>([
  ...ADMISSION_FORM_LABELS.map(([f, label]) => [foldVietnamese(label), f] as const),
  ...Object.entries(ALIASES),
]);

/** A form read: the draft, and whether any line carried a known label at all. */
export interface ReadAdmissionForm {
  draft: AdmissionDraft;
  /** How many lines carried a known label (0: this text is not the form). */
  labelled: number;
}

/** Reads the lines of a filled-in kết nạp form; unknown lines are ignored, a repeated label keeps the last. */
export function readAdmissionForm(text: string): ReadAdmissionForm {
  const found: Partial<Record<AdmissionField, string>> = {};
  let labelled = 0;
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const label = foldVietnamese(line.slice(0, colon).replace(/^[\s•*\-–\d.)]+/, ''));
    const field = LOOKUP.get(label);
    if (!field) continue;
    labelled++;
    found[field] = line.slice(colon + 1).trim();
  }
  return {
    labelled,
    draft: {
      fullName: found.fullName ?? '',
      birthDate: found.birthDate ?? '',
      gender: found.gender ?? '',
      ethnicity: found.ethnicity ?? '',
      joined: found.joined ?? '',
      ...(found.cardNumber ? { cardNumber: found.cardNumber } : {}),
      ...(found.interruptedMonths ? { interruptedMonths: found.interruptedMonths } : {}),
    },
  };
}

/** What `/dangvien ra …` names as the closing kind: one word or two, with or without diacritics. */
const CLOSING_WORDS = new Map<string, ClosingKind>([
  ['chuyendi', 'transferred_out'],
  ['tutran', 'deceased'],
  ['xoaten', 'struck_off'],
  ['khaitru', 'expelled'],
]);

/**
 * The closing kind at the start of `words`, and how many words it took (1 or 2): "từ trần",
 * "tutran", "tu_tran" all read as deceased. Undefined when the words name none.
 */
export function readClosingKind(words: readonly string[]): { kind: ClosingKind; used: number } | undefined {
  const key = (ws: readonly string[]) => foldVietnamese(ws.join('')).replace(/[\s_-]/g, '');
  const one = CLOSING_WORDS.get(key(words.slice(0, 1)));
  if (one) return { kind: one, used: 1 };
  const two = words.length >= 2 ? CLOSING_WORDS.get(key(words.slice(0, 2))) : undefined;
  return two ? { kind: two, used: 2 } : undefined;
}
