/**
 * The export service the edges call: /xuat in chat and `export` in the CLI. Each export is
 * gathered by its own module (scope checks included) and turned into files by `files.ts`.
 * In chat the menu and the files are replies as data, with buttons packed by this folder's
 * one codec (`actions.ts`).
 */
import type { Outcome, Reply } from '../../chat/reply.js';
import type { YearMonth } from '../../domain/meetings/calendar.js';
import type { BadgesExportData } from '../../exports/badgesWorkbook.js';
import type { CongressExportData } from '../../exports/congressWorkbook.js';
import type { DirectiveExportData } from '../../exports/directiveWorkbook.js';
import type { MeetingsExportData } from '../../exports/meetingsWorkbook.js';
import type { Viewer } from '../organisation.js';
import type { ExportPress } from './actions.js';
import { badgesData } from './badges.js';
import { press } from './buttons.js';
import { congressData } from './congress.js';
import { directiveData } from './directive.js';
import { badgesFiles } from './files.js';
import { meetingsData } from './meetings.js';
import { exportMenu, menuReply } from './menu.js';
import { congressExport, directiveExport, meetingsExport, runExport } from './run.js';
import type { Actor, ExportAction, ExportMenu, ExportOutcome, ExportServiceDeps, Found } from './types.js';

export class ExportService {
  constructor(private readonly deps: ExportServiceDeps) {}

  // ------------------------------------------------------------------ /xuat

  /**
   * The /xuat menu. `unitCode` picks one of several scopes; `monthText` ("09/2025") asks for
   * that month's meetings instead of the latest two months.
   */
  menu(viewer: Viewer, opts: { unitCode?: string; monthText?: string } = {}): Promise<ExportMenu> {
    return exportMenu(this.deps, viewer, opts);
  }

  /** `/xuat [MM/YYYY]`: the menu of the person's scope, or the choice of scope, as a message. */
  async start(viewer: Viewer, args: string): Promise<Reply[]> {
    const [monthText] = args.split(/\s+/).filter(Boolean);
    return [menuReply(await exportMenu(this.deps, viewer, monthText === undefined ? {} : { monthText }))];
  }

  /** A button under a /xuat message: another scope's menu, or the files of an export. */
  press(viewer: Viewer, action: ExportPress): Promise<Outcome> {
    return press(this.deps, viewer, action);
  }

  /** Runs what a /xuat button stands for, checking the person's scope again. */
  run(viewer: Viewer, action: ExportAction): Promise<ExportOutcome> {
    return runExport(this.deps, viewer, action);
  }

  // ------------------------------------------------------------------ congress

  /**
   * The congress workbook and its printable PDF for a unit (default: the person's one scope, or
   * the root for the CLI) in a round (default: the first of `campaignsAround`: a round covering
   * the whole unit, open with the earliest deadline, else the latest). When the round covers only
   * part of the unit, the export covers the round's own scope, as /tiendo does.
   */
  congress(actor: Actor, opts: { campaignId?: string; unit?: string } = {}): Promise<ExportOutcome> {
    return congressExport(this.deps, actor, opts);
  }

  /** What the congress workbook and PDF show, after the same checks as `congress`. */
  congressData(
    actor: Actor,
    opts: { campaignId?: string; unit?: string } = {},
  ): Promise<Found<CongressExportData>> {
    return congressData(this.deps, actor, opts);
  }

  // ------------------------------------------------------------------ meetings

  /** The meeting workbook of a month for a unit (default: the person's one scope, or the root). */
  meetings(actor: Actor, opts: { month: YearMonth; unit?: string }): Promise<ExportOutcome> {
    return meetingsExport(this.deps, actor, opts);
  }

  /** What the meeting workbook shows, after the same checks as `meetings`. */
  meetingsData(actor: Actor, opts: { month: YearMonth; unit?: string }): Promise<Found<MeetingsExportData>> {
    return meetingsData(this.deps, actor, opts);
  }

  // ------------------------------------------------------------------ directives

  /**
   * Receipts and acknowledgements of one directive, one row per recipient. Admins and the CLI
   * see every recipient; a leader sees the recipients of units in their subtree.
   */
  directive(actor: Actor, id: string): Promise<ExportOutcome> {
    return directiveExport(this.deps, actor, id);
  }

  /** What the directive workbook shows, after the same checks as `directive`. */
  directiveData(actor: Actor, id: string): Promise<Found<DirectiveExportData>> {
    return directiveData(this.deps, actor, id);
  }

  // ------------------------------------------------------------------ Huy hiệu Đảng

  /**
   * The members of a unit (default: the person's one scope, or the root for the CLI) proposed for
   * Huy hiệu Đảng at an occasion (DD/MM/YYYY; default: the next one).
   */
  async badges(actor: Actor, opts: { occasion?: string; unit?: string } = {}): Promise<ExportOutcome> {
    const data = await this.badgesData(actor, opts);
    if (!data.ok) return data;
    return { ok: true, files: await badgesFiles(data.value) };
  }

  /** What the badge workbook shows, after the same checks as `badges`. */
  badgesData(
    actor: Actor,
    opts: { occasion?: string; unit?: string } = {},
  ): Promise<Found<BadgesExportData>> {
    return badgesData(this.deps, actor, opts);
  }
}
