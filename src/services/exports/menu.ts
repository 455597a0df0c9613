/**
 * The /xuat menu: the asker's scope (or the scopes to choose from) and one button per export:
 * the congress rounds that concern it, the latest two months of meetings (or the month asked
 * for), the latest directives.
 */
import { type Reply, reply } from '../../chat/reply.js';
import { formatTerm } from '../../domain/congress/campaign.js';
import {
  formatYearMonth,
  monthOfDate,
  parseYearMonth,
  type YearMonth,
} from '../../domain/meetings/calendar.js';
import { shorten } from '../../domain/text.js';
import type { Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import { allowedUnit, refusal, scopes } from './access.js';
import { exportButton } from './actions.js';
import { recentMonths } from './meetings.js';
import { campaignsAround } from './rounds.js';
import { type ExportMenu, type ExportOption, type ExportServiceDeps, today } from './types.js';

const m = msg.exports;

/** Rounds and directives offered as buttons under /xuat. */
const MENU_CAMPAIGNS = 3;
const MENU_DIRECTIVES = 3;
/** Longest directive title shown on a button (phones cut long labels badly). */
const BUTTON_TEXT_MAX = 48;

/**
 * The /xuat menu. `unitCode` picks one of several scopes; `monthText` ("09/2025") asks for
 * that month's meetings instead of the latest two months.
 */
export async function exportMenu(
  deps: ExportServiceDeps,
  viewer: Viewer,
  opts: { unitCode?: string; monthText?: string },
): Promise<ExportMenu> {
  const refused = refusal(deps.org, viewer);
  if (refused) return { kind: 'refused', text: refused };
  let month: YearMonth | undefined;
  if (opts.monthText !== undefined && opts.monthText.trim() !== '') {
    month = parseYearMonth(opts.monthText);
    if (month === undefined) return { kind: 'refused', text: m.chat.badMonth(opts.monthText.trim()) };
    if (month > monthOfDate(today(deps)))
      return { kind: 'refused', text: m.errors.futureMonth(formatYearMonth(month)) };
  }
  let unit: Unit | undefined;
  if (opts.unitCode !== undefined) {
    const found = await allowedUnit(deps.org, viewer, opts.unitCode);
    if (!found.ok) return { kind: 'refused', text: found.text };
    unit = found.value;
  } else {
    const found = await scopes(deps.org, viewer);
    if (found.length === 0) return { kind: 'refused', text: m.errors.noUnits };
    if (found.length > 1) {
      return {
        kind: 'chooseScope',
        text: m.chat.chooseScope,
        units: found.map((u) => ({ code: u.code, name: u.name })),
        ...(month ? { month } : {}),
      };
    }
    unit = found[0]!;
  }

  const options: ExportOption[] = [];
  for (const { campaign, unit: at } of (await campaignsAround(deps, unit)).slice(0, MENU_CAMPAIGNS)) {
    options.push({
      label: m.chat.buttonCongress(campaign.name, formatTerm(campaign.term)),
      action: { kind: 'congress', campaignId: campaign.id, unit: at },
    });
  }
  const months = month ? [month] : await recentMonths(deps, unit.code);
  for (const mo of months) {
    options.push({
      label: m.chat.buttonMeetings(formatYearMonth(mo)),
      action: { kind: 'meetings', month: mo, unit: unit.code },
    });
  }
  for (const d of await recentDirectives(deps, viewer, unit)) {
    options.push({ label: m.chat.buttonDirective(d.label), action: { kind: 'directive', id: d.id } });
  }
  return {
    kind: 'menu',
    text: m.chat.menu(unit.name),
    unit: { code: unit.code, name: unit.name },
    options,
  };
}

/** The latest directives the person may export from this scope, labelled for a button. */
async function recentDirectives(
  deps: ExportServiceDeps,
  viewer: Viewer,
  unit: Unit,
): Promise<{ id: string; label: string }[]> {
  const ids = await deps.directiveStore.latest(MENU_DIRECTIVES * 3);
  const out: { id: string; label: string }[] = [];
  for (const id of ids) {
    if (out.length >= MENU_DIRECTIVES) break;
    const stored = await deps.directiveStore.get(id);
    if (!stored) continue;
    if (!deps.org.isAdmin(viewer)) {
      const recipients = await deps.directiveStore.recipients(id);
      const codes = [...new Set(recipients.flatMap((r) => r.units.map((u) => u.code)))];
      const ancestors = await deps.org.units.ancestorsMany(codes);
      const inside = codes.some((c) => c === unit.code || (ancestors.get(c) ?? []).includes(unit.code));
      if (!inside) continue;
    }
    const d = stored.directive;
    out.push({ id, label: shorten(d.number ? `${d.number} – ${d.title}` : d.title, BUTTON_TEXT_MAX) });
  }
  return out;
}

/** The menu as a message: its text, and a button per scope or per export. */
export function menuReply(menu: ExportMenu): Reply {
  switch (menu.kind) {
    case 'refused':
      return reply(menu.text);
    case 'chooseScope':
      return reply(
        menu.text,
        menu.units.map((u) => [
          exportButton(u.name, { kind: 'scope', unit: u.code, ...(menu.month ? { month: menu.month } : {}) }),
        ]),
      );
    case 'menu':
      if (menu.options.length === 0) return reply(m.chat.nothing(menu.unit.name));
      return reply(
        menu.text,
        menu.options.map((o) => [exportButton(o.label, o.action)]),
      );
  }
}
