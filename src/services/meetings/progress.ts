/** The compliance summary leaders read: which branches met, reported on time and had enough present. */
import { type Reply, reply } from '../../chat/reply.js';
import {
  defaultProgressMonth,
  formatYearMonth,
  monthOfDate,
  parseYearMonth,
  reportingDeadline,
  type YearMonth,
} from '../../domain/meetings/calendar.js';
import { type ComplianceData, computeCompliance } from '../../domain/meetings/compliance.js';
import type { Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { meetingButton } from './actions.js';
import type { MeetingContext } from './context.js';
import { settingsFor } from './settings.js';

const m = msg.meetings;

/**
 * `/sinhhoat_tiendo [MM/YYYY]`: the summary for the person's scope (the root for admins, the
 * own branch for a secretary), or a choice when they have several.
 */
export async function progress(ctx: MeetingContext, viewer: Viewer, monthText: string): Promise<Reply[]> {
  if (viewer.roles.length === 0) return [reply(msg.units.noAccess)];
  let month: YearMonth | undefined;
  const t = monthText.trim();
  if (t !== '') {
    month = parseYearMonth(t);
    if (month === undefined) return [reply(m.compliance.badMonth(t))];
    if (month > monthOfDate(ctx.today())) return [reply(m.compliance.futureMonth(formatYearMonth(month)))];
  }
  const scopes = await ctx.org.viewScopes(viewer);
  const [only] = scopes;
  if (!only) return [reply(msg.units.noAccess)];
  if (scopes.length > 1)
    return [
      reply(
        m.compliance.pickScope,
        scopes.map((s) => [
          meetingButton(s.name, { kind: 'progress', scope: s.code, ...(month ? { month } : {}) }),
        ]),
      ),
    ];
  return progressOf(ctx, viewer, only.code, month);
}

/** The summary of one scope the person may see. */
export async function progressOf(
  ctx: MeetingContext,
  viewer: Viewer,
  scope: string,
  month?: YearMonth,
): Promise<Reply[]> {
  const unit = await ctx.org.unit(scope);
  if (!unit) return [reply(msg.units.unknownUnit(scope))];
  if (!(await ctx.org.canView(viewer, scope)))
    return [reply(viewer.roles.length === 0 ? msg.units.noAccess : msg.units.noAccessToUnit(unit.name))];
  const data = await compliance(ctx, unit, month);
  return [reply(m.complianceText(data))];
}

/**
 * Compliance of a scope for a month (default: `defaultProgressMonth` under the scope's
 * settings), from the maintained aggregates. No permission check: callers check.
 */
export async function compliance(
  ctx: MeetingContext,
  scope: Unit,
  month?: YearMonth,
): Promise<ComplianceData> {
  const { settings } = await settingsFor(ctx, scope.code);
  const asked = month ?? defaultProgressMonth(ctx.today(), settings, ctx.holidays);
  const codes = await ctx.org.units.branchesUnder(scope.code);
  const [units, snapshot] = await Promise.all([
    ctx.org.units.getMany(codes),
    ctx.store.complianceSnapshot(scope.code, asked, codes),
  ]);
  return computeCompliance({
    scopeName: scope.name,
    month: asked,
    deadline: reportingDeadline(asked, settings, ctx.holidays),
    threshold: settings.attendanceThreshold,
    qualityScale: settings.qualityScale,
    branches: codes.map((code) => ({ code, name: units.get(code)?.name ?? code })),
    ...snapshot,
  });
}
