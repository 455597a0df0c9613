/**
 * Spreadsheet formula injection: a cell whose text starts with `=`, `+`, `-`, `@`, tab or CR is
 * taken for a formula by Excel and LibreOffice (`=HYPERLINK(…)` becomes a live link), whether
 * the file is a workbook or a CSV. Every text the bot writes into a spreadsheet or a CSV passes
 * through `formulaSafe`, which puts an apostrophe in front of such text (OWASP's advice).
 */

/** Characters that make a spreadsheet read text as a formula when they come first. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** `text`, with a leading apostrophe when a spreadsheet would otherwise read it as a formula. */
export function formulaSafe(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
