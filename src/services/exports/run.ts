/** Each export from its data to its files, after the checks its data step makes. */
import type { YearMonth } from '../../domain/meetings/calendar.js';
import { formatVnDate } from '../../domain/vn.js';
import type { ExportAction } from './actions.js';
import { badgesData } from './badges.js';
import { congressData } from './congress.js';
import { directiveData } from './directive.js';
import { badgesFiles, congressFiles, directiveFiles, meetingsFiles } from './files.js';
import { meetingsData } from './meetings.js';
import type { Actor, ExportOutcome, ExportServiceDeps } from './types.js';

/** The congress workbook and its printable PDF. */
export async function congressExport(
  deps: ExportServiceDeps,
  actor: Actor,
  opts: { campaignId?: string; unit?: string },
): Promise<ExportOutcome> {
  const data = await congressData(deps, actor, opts);
  return data.ok ? { ok: true, files: await congressFiles(data.value) } : data;
}

/** The meeting workbook of a month. */
export async function meetingsExport(
  deps: ExportServiceDeps,
  actor: Actor,
  opts: { month: YearMonth; unit?: string },
): Promise<ExportOutcome> {
  const data = await meetingsData(deps, actor, opts);
  return data.ok ? { ok: true, files: await meetingsFiles(data.value) } : data;
}

/** A directive's receipts workbook. */
export async function directiveExport(
  deps: ExportServiceDeps,
  actor: Actor,
  id: string,
): Promise<ExportOutcome> {
  const data = await directiveData(deps, actor, id);
  return data.ok ? { ok: true, files: await directiveFiles(data.value) } : data;
}

/** The Huy hiệu Đảng workbook of an occasion (DD/MM/YYYY). */
export async function badgesExport(
  deps: ExportServiceDeps,
  actor: Actor,
  opts: { occasion: string; unit: string },
): Promise<ExportOutcome> {
  const data = await badgesData(deps, actor, opts);
  return data.ok ? { ok: true, files: await badgesFiles(data.value) } : data;
}

/** What an export button stands for, with the person's scope checked again. */
export function runExport(
  deps: ExportServiceDeps,
  actor: Actor,
  action: ExportAction,
): Promise<ExportOutcome> {
  switch (action.kind) {
    case 'congress':
      return congressExport(deps, actor, { campaignId: action.campaignId, unit: action.unit });
    case 'meetings':
      return meetingsExport(deps, actor, { month: action.month, unit: action.unit });
    case 'directive':
      return directiveExport(deps, actor, action.id);
    case 'badges':
      return badgesExport(deps, actor, { occasion: formatVnDate(action.occasion), unit: action.unit });
  }
}
