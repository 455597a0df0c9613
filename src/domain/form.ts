/**
 * The fill-in forms secretaries copy, fill and send back ("Ngày đại hội: 15/09/2025").
 * Labels match regardless of case, accents, spacing and a trailing parenthesis, in any order.
 * This module only finds which label each line answers; each report type converts and
 * validates the values itself, so that its errors can name its own fields.
 */
import { foldVietnamese } from './vn.js';

export interface FormField<K extends string = string> {
  key: K;
  /** The label exactly as the blank form prints it, without the colon. */
  label: string;
  /** Other spellings people use for the same line. */
  aliases?: readonly string[];
}

export interface ParsedForm<K extends string> {
  /** Raw text after the colon, trimmed, for each label found. */
  values: Partial<Record<K, string>>;
  /** Lines that answer no known label (1-based line numbers within the text given). */
  unknownLines: { line: number; text: string }[];
  /** Keys answered more than once; the last answer wins in `values`. */
  repeated: K[];
}

function labelKey(label: string): string {
  return foldVietnamese(label)
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[^a-z0-9 ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Each form's labels and aliases by their key: the forms are constants, folded once each. */
const labelsOf = new WeakMap<readonly FormField[], Map<string, string>>();

function byLabelOf<K extends string>(fields: readonly FormField<K>[]): Map<string, K> {
  let byLabel = labelsOf.get(fields) as Map<string, K> | undefined;
  if (!byLabel) {
    byLabel = new Map<string, K>();
    for (const f of fields) {
      byLabel.set(labelKey(f.label), f.key);
      for (const a of f.aliases ?? []) byLabel.set(labelKey(a), f.key);
    }
    labelsOf.set(fields, byLabel);
  }
  return byLabel;
}

export function parseForm<K extends string>(text: string, fields: readonly FormField<K>[]): ParsedForm<K> {
  const byLabel = byLabelOf(fields);
  const values: Partial<Record<K, string>> = {};
  const unknownLines: { line: number; text: string }[] = [];
  const repeated: K[] = [];
  text.split(/\r?\n/).forEach((rawLine, i) => {
    const line = rawLine.replace(/^[\s\-•*+]+/, '').trim();
    if (line === '') return;
    const colon = line.indexOf(':');
    const key = colon > 0 ? byLabel.get(labelKey(line.slice(0, colon))) : undefined;
    if (key === undefined) {
      unknownLines.push({ line: i + 1, text: line });
      return;
    }
    if (values[key] !== undefined && !repeated.includes(key)) repeated.push(key);
    values[key] = line.slice(colon + 1).trim();
  });
  return { values, unknownLines, repeated };
}

/** The blank form: one `Label: ` line per field, ready to copy. */
export function blankForm(fields: readonly FormField[]): string {
  return fields.map((f) => `${f.label}: `).join('\n');
}

export type YesNo = 'co' | 'khong';
export type YesNoNa = YesNo | 'khong_ap_dung';

/** "có", "Co", "CÓ", "x", "không", "ko", "k", "không áp dụng", "kad" (accents optional). */
export function parseYesNo(text: string): YesNoNa | undefined {
  const t = foldVietnamese(text).replace(/[.!]+$/, '');
  if (['co', 'c', 'x', 'yes', 'dung'].includes(t)) return 'co';
  if (['khong', 'ko', 'k', 'no', 'kh'].includes(t)) return 'khong';
  if (['khong ap dung', 'kad', 'k/a/d', 'khong ap dung duoc', 'n/a', 'na'].includes(t))
    return 'khong_ap_dung';
  return undefined;
}
