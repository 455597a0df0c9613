/**
 * The office's work around a branch congress: the preparation and follow-up checklists the
 * secretary ticks with /chuanbi, upper-level attendees (/phancong, /lichdaihoi, `campaign
 * assign`), the lines /tiendo and the daily summary add (preparation still open in the next 7
 * days, follow-up overdue, pilot congresses), and the daily reminders of all three.
 */
import { bold, lines } from '../../chat/markup.js';
import { type Action, type Outcome, type Reply, reply, say } from '../../chat/reply.js';
import { type Campaign, formatTerm, isCampaignOpen } from '../../domain/congress/campaign.js';
import {
  type ChecklistConfig,
  type ChecklistKind,
  FOLLOW_UP_REMINDER_DAYS,
  followUpDue,
  openItems,
  PREPARATION_LOOKAHEAD_DAYS,
  PREPARATION_REMINDER_DAYS,
} from '../../domain/congress/checklist.js';
import type { Registration } from '../../domain/congress/registration.js';
import { displayName } from '../../domain/personIdentity.js';
import { shorten } from '../../domain/text.js';
import { isBranch, type Unit } from '../../domain/units.js';
import { addDays, formatVnDate, type IsoDate } from '../../domain/vn.js';
import { msg } from '../../messages/index.js';
import { outboxId } from '../../outbox/outbox.js';
import type { Session } from '../dialogs.js';
import type { Viewer } from '../organisation.js';
import { leads } from './access.js';
import { type CongressAction, congressButton } from './actions.js';
import { branchTarget } from './branchTarget.js';
import { type CongressServiceDeps, todayOf } from './deps.js';
import type { BranchTarget } from './types.js';

const c = msg.congressOffice;

/** Branches named under each /tiendo office heading. */
export const OFFICE_NAMES_MAX = 10;
/** Upcoming congresses whose ticks /tiendo reads (a week of a province is far fewer). */
export const PREPARATION_READ_MAX = 200;
/** Overdue follow-ups read to filter a subtree below the round's scope. */
export const FOLLOW_UP_READ_MAX = 2000;
/** Days /lichdaihoi looks ahead. */
export const CALENDAR_DAYS = 14;
const CALENDAR_MAX = 30;
/** Days before the follow-up is due that a branch goes on the open follow-up index. */
const FOLLOW_UP_LOOKAHEAD_DAYS = 7;

type Ticks = Record<ChecklistKind, Map<string, number>>;
const listOf = (kind: ChecklistKind) => (kind === 'preparation' ? 'p' : 'f');

// ------------------------------------------------------------------ /chuanbi

/** The secretary's branch and round for /chuanbi; the first open round when several. */
async function secretaryTarget(
  deps: CongressServiceDeps,
  viewer: Viewer,
  branch?: string,
): Promise<{ ok: true; target: BranchTarget } | { ok: false; text: string }> {
  let r = await branchTarget(deps, viewer, branch ? { branch } : {});
  if (r.kind === 'chooseCampaign') {
    r = await branchTarget(deps, viewer, { branch: r.branch.code, campaignId: r.campaigns[0]!.id });
  }
  if (r.kind === 'ok') return { ok: true, target: r.target };
  if (r.kind === 'chooseBranch') return { ok: false, text: c.checklist.usageBranch };
  if (r.kind === 'refused') return { ok: false, text: r.text };
  return { ok: false, text: c.checklist.secretaryOnly };
}

/** Which list applies now (preparation until the result is in, then follow-up), and its items. */
async function currentList(deps: CongressServiceDeps, campaignId: string, branch: string) {
  const office = deps.store.office;
  const [record, registration, config, ticks] = await Promise.all([
    deps.store.getReport(campaignId, branch),
    deps.store.getRegistration(campaignId, branch),
    office.config(campaignId),
    office.ticks(campaignId, branch),
  ]);
  const kind: ChecklistKind = record ? 'followUp' : 'preparation';
  const items = kind === 'preparation' ? config.preparation : config.followUp;
  const date = record ? followUpDue(record.report.date, config.followUpDays) : registration?.date;
  return { kind, items, ticks, date, congressDate: record?.report.date };
}

function checklistReply(
  campaignId: string,
  branch: Unit,
  list: { kind: ChecklistKind; items: readonly string[]; ticks: Ticks; date?: IsoDate },
  before?: string,
): Reply {
  const ticked = list.ticks[list.kind];
  const open = openItems(list.items, ticked);
  const text = lines(
    before,
    before ? '' : undefined,
    bold(c.checklist.title(list.kind, branch.name)),
    list.date ? c.checklist.dateLine(list.kind, formatVnDate(list.date)) : c.checklist.noDate,
    ...list.items.map((item, i) => c.checklist.item(i + 1, item, ticked.has(item))),
    '',
    open.length === 0 ? c.checklist.allDone : c.checklist.howTo,
  );
  const rows: Action[][] = list.items.map((item, i) => [
    congressButton(shorten(c.checklist.button(i + 1, item, ticked.has(item)), 60), {
      kind: 'tick',
      campaign: campaignId,
      branch: branch.code,
      list: listOf(list.kind),
      index: i,
      to: ticked.has(item) ? 0 : 1,
    }),
  ]);
  return reply(text, rows);
}

/** `/chuanbi [MÃ] [số …]`: the branch's checklist, ticking the numbered items given. */
export async function chuanbi(deps: CongressServiceDeps, s: Session, args: string): Promise<Reply[]> {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const codes = new Set((await deps.org.reportingUnits(s.viewer)).map((u) => u.code));
  const branchArg = words[0] && codes.has(words[0]) ? words.shift() : undefined;
  const t = await secretaryTarget(deps, s.viewer, branchArg);
  if (!t.ok) return [reply(t.text)];
  const { campaign, branch } = t.target;
  const list = await currentList(deps, campaign.id, branch.code);
  const indexes: number[] = [];
  for (const w of words) {
    const n = Number(w.replace(/[.,;]$/, ''));
    if (!Number.isInteger(n) || n < 1 || n > list.items.length)
      return [reply(c.checklist.badIndex(w, list.items.length))];
    indexes.push(n - 1);
  }
  for (const i of indexes) {
    await deps.store.office.setTick({
      campaignId: campaign.id,
      branch: branch.code,
      kind: list.kind,
      item: list.items[i]!,
      ticked: true,
      items: list.items,
      ...(list.congressDate ? { congressDate: list.congressDate } : {}),
      actor: String(s.viewer.id),
      now: deps.clock.now(),
    });
  }
  const fresh = indexes.length > 0 ? await currentList(deps, campaign.id, branch.code) : list;
  return [checklistReply(campaign.id, branch, fresh)];
}

/** A checklist button: ticks or unticks the item, and the list is drawn again in place. */
export async function tickPressed(
  deps: CongressServiceDeps,
  s: Session,
  action: Extract<CongressAction, { kind: 'tick' }>,
): Promise<Outcome> {
  const r = await branchTarget(deps, s.viewer, { branch: action.branch, campaignId: action.campaign });
  if (r.kind !== 'ok') return say(r.kind === 'refused' ? r.text : c.checklist.secretaryOnly);
  const { campaign, branch } = r.target;
  const list = await currentList(deps, campaign.id, branch.code);
  const item = list.items[action.index];
  if (listOf(list.kind) !== action.list || item === undefined) return say(c.checklist.stale);
  // A second press, or one on an older copy: nothing changes, so the list is not drawn again.
  if (list.ticks[list.kind].has(item) === (action.to === 1))
    return { replies: [], toast: c.checklist.alreadySet };
  await deps.store.office.setTick({
    campaignId: campaign.id,
    branch: branch.code,
    kind: list.kind,
    item,
    ticked: action.to === 1,
    items: list.items,
    ...(list.congressDate ? { congressDate: list.congressDate } : {}),
    actor: String(s.viewer.id),
    now: deps.clock.now(),
  });
  const fresh = await currentList(deps, campaign.id, branch.code);
  return { replies: [], pressed: { replace: checklistReply(campaign.id, branch, fresh) } };
}

// ------------------------------------------------------------------ /tiendo and the summary

/** Keeps the codes inside `unit`'s subtree (all of them at the round's scope). */
async function inside(
  deps: Pick<CongressServiceDeps, 'org'>,
  campaign: Campaign,
  unit: Pick<Unit, 'code'>,
  codes: readonly string[],
): Promise<string[]> {
  if (unit.code === campaign.scope) return [...codes];
  const ancestors = await deps.org.units.ancestorsMany(codes);
  return codes.filter((b) => b === unit.code || (ancestors.get(b) ?? []).includes(unit.code));
}

/**
 * The office's checklist lines: congresses in the next days with preparation open (the first 10
 * named), and follow-ups overdue (`followUp`: the first ones, `followUpCount`: how many). Pure.
 */
export function checklistLines(
  config: ChecklistConfig,
  input: {
    upcoming: readonly (Registration & { name: string; ticks: Ticks })[];
    followUpCount: number;
    followUp: readonly { date: IsoDate; name: string; ticks: Ticks }[];
  },
): string[] {
  const out: string[] = [];
  const prepOpen = input.upcoming
    .map((r) => ({ r, open: openItems(config.preparation, r.ticks.preparation) }))
    .filter((x) => x.open.length > 0);
  if (prepOpen.length > 0) {
    out.push(c.checklist.preparationOpen(prepOpen.length));
    for (const x of prepOpen.slice(0, OFFICE_NAMES_MAX))
      out.push(c.checklist.preparationItem(x.r.name, c.when(x.r.date, x.r.time), x.open));
    if (prepOpen.length > OFFICE_NAMES_MAX) out.push(c.checklist.more(prepOpen.length - OFFICE_NAMES_MAX));
  }
  if (input.followUpCount > 0) {
    const shown = input.followUp.slice(0, OFFICE_NAMES_MAX);
    out.push(c.checklist.followUpOverdue(input.followUpCount));
    for (const b of shown) {
      const open = openItems(config.followUp, b.ticks.followUp).length;
      out.push(
        c.checklist.followUpItem(b.name, formatVnDate(followUpDue(b.date, config.followUpDays)), open),
      );
    }
    if (input.followUpCount > shown.length) out.push(c.checklist.more(input.followUpCount - shown.length));
  }
  return out;
}

/**
 * The pilot congress lines: committees without a pilot, then those whose pilot has no date while
 * others registered, or whose other branches registered before the pilot's date. Pure.
 */
export function pilotFlagLines(
  /** Committees without a pilot, by name (the first of them when `noneCount` says more). */
  none: readonly string[],
  withPilot: readonly {
    committee: string;
    pilotName: string;
    date?: IsoDate;
    others: number;
    before: number;
  }[],
  noneCount = none.length,
): string[] {
  const flags = none.slice(0, OFFICE_NAMES_MAX).map((name) => c.pilot.none(name));
  let total = noneCount;
  for (const p of withPilot) {
    const flag = !p.date
      ? p.others > 0
        ? c.pilot.notScheduled(p.committee, p.pilotName, p.others)
        : undefined
      : p.before > 0
        ? c.pilot.before(p.committee, p.pilotName, formatVnDate(p.date), p.before)
        : undefined;
    if (flag === undefined) continue;
    total++;
    // Flags without a pilot come first: these follow only when all of those are named.
    if (flags.length < OFFICE_NAMES_MAX && noneCount === none.length) flags.push(flag);
  }
  if (total === 0) return [];
  const out = [c.pilot.header, ...flags];
  if (total > flags.length) out.push(c.pilot.more(total - flags.length));
  return out;
}

/**
 * The office's lines for one unit in one round: congresses in the next 7 days with preparation
 * open, follow-up overdue, and (at or above a grassroots committee) pilot congress flags.
 */
export async function officeLines(
  deps: Pick<CongressServiceDeps, 'org' | 'store'>,
  campaign: Campaign,
  unit: Unit,
  today: IsoDate,
): Promise<string[]> {
  const office = deps.store.office;
  const out: string[] = [];
  const config = await office.config(campaign.id);

  // Preparation: congresses in the next 7 days with items open.
  const upcoming = (
    await deps.store.upcoming(campaign.id, today, addDays(today, PREPARATION_LOOKAHEAD_DAYS - 1))
  ).slice(0, PREPARATION_READ_MAX);
  const mine = new Set(
    await inside(
      deps,
      campaign,
      unit,
      upcoming.map((r) => r.branch),
    ),
  );
  const regs = upcoming.filter((r) => mine.has(r.branch));
  const ticks = await office.ticksMany(
    campaign.id,
    regs.map((r) => r.branch),
  );
  const prepOpen = regs
    .map((r, i) => ({ r, open: openItems(config.preparation, ticks[i]!.preparation) }))
    .filter((x) => x.open.length > 0);

  // Follow-up: due (congress date + N days) before today, items still open.
  const heldBy = addDays(today, -config.followUpDays - 1);
  const due = await office.followUpOpen(campaign.id, heldBy, FOLLOW_UP_READ_MAX);
  const dueMine = new Set(
    await inside(
      deps,
      campaign,
      unit,
      due.branches.map((b) => b.branch),
    ),
  );
  const dueList = due.branches.filter((b) => dueMine.has(b.branch));
  const dueCount = unit.code === campaign.scope ? due.count : dueList.length;

  const named = [
    ...prepOpen.slice(0, OFFICE_NAMES_MAX).map((x) => x.r.branch),
    ...dueList.slice(0, OFFICE_NAMES_MAX).map((b) => b.branch),
  ];
  const shown = dueCount > 0 ? dueList.slice(0, OFFICE_NAMES_MAX) : [];
  const [names, dueTicks] = await Promise.all([
    deps.org.units.getMany(named),
    office.ticksMany(
      campaign.id,
      shown.map((b) => b.branch),
    ),
  ]);
  const nameOf = (code: string) => names.get(code)?.name ?? code;
  out.push(
    ...checklistLines(config, {
      upcoming: regs.map((r, i) => ({ ...r, name: nameOf(r.branch), ticks: ticks[i]! })),
      followUpCount: dueCount,
      followUp: shown.map((b, i) => ({ ...b, name: nameOf(b.branch), ticks: dueTicks[i]! })),
    }),
  );
  out.push(...(await pilotLines(deps, campaign, unit)));
  return out;
}

/**
 * Every grassroots committee in the unit's subtree (the unit itself when it is one) should have
 * a pilot congress (đại hội điểm) in the round: flags those without one, and those where other
 * branches registered a date (not yet reported) before the pilot's.
 */
export async function pilotLines(
  deps: Pick<CongressServiceDeps, 'org' | 'store'>,
  campaign: Campaign,
  unit: Unit,
): Promise<string[]> {
  if (isBranch(unit) || unit.level === 'dang_bo_bo_phan') return [];
  const { units } = deps.org;
  // Walk down to the grassroots committees; never below them.
  const committees: Unit[] = [];
  let level: Unit[] = [unit];
  while (level.length > 0) {
    const next: Unit[] = [];
    for (const u of level) {
      if (u.level === 'dang_bo_co_so') committees.push(u);
      else if (u.level === 'dang_bo') {
        next.push(...(await units.getMany(await units.children(u.code))).values());
      }
    }
    level = next;
  }
  if (committees.length === 0) return [];
  const pilotAncestors = await units.ancestorsMany(campaign.pilots);
  const pilotOf = new Map<string, string>();
  for (const p of campaign.pilots)
    for (const a of pilotAncestors.get(p) ?? []) if (!pilotOf.has(a)) pilotOf.set(a, p);

  const withPilot = committees.filter((u) => pilotOf.has(u.code));
  const none = committees.filter((u) => !pilotOf.has(u.code)).map((u) => u.name);
  if (withPilot.length === 0) return pilotFlagLines(none, []);
  const pilots = withPilot.map((u) => pilotOf.get(u.code)!);
  const [status, pilotUnits] = await Promise.all([
    deps.store.pilotStatus(campaign.id, pilots),
    units.getMany(pilots),
  ]);
  const counts = await deps.store.registeredUnder(
    campaign.id,
    withPilot.map((u, i) => ({
      unit: u.code,
      pilot: pilots[i]!,
      ...(status[i]!.date ? { before: status[i]!.date } : {}),
    })),
  );
  return pilotFlagLines(
    none,
    withPilot.map((u, i) => {
      const st = status[i]!;
      return {
        committee: u.name,
        pilotName: pilotUnits.get(st.branch)?.name ?? st.branch,
        ...(st.date ? { date: st.date } : {}),
        ...counts[i]!,
      };
    }),
  );
}

// ------------------------------------------------------------------ attendees

/** The open round covering a branch (earliest deadline first), with the branch and its ancestors. */
async function roundOf(deps: CongressServiceDeps, code: string) {
  const branch = await deps.org.units.get(code);
  if (!branch) return { ok: false as const, text: msg.units.unknownUnit(code) };
  const ancestors = await deps.org.units.ancestors(code);
  const open = await deps.campaigns.campaignsCovering([...ancestors, code], todayOf(deps));
  if (!isBranch(branch) || open.length === 0)
    return { ok: false as const, text: c.attendance.noRound(branch.name) };
  return { ok: true as const, branch, ancestors, campaign: open[0]! };
}

/** Leaders of the branch's ancestors: who may attend from the level above. */
async function candidates(deps: CongressServiceDeps, ancestors: readonly string[]) {
  const ids = new Set<number>();
  for (const a of ancestors) for (const id of await deps.org.people.holdersOf(a, 'leader')) ids.add(id);
  return deps.org.people.getMany([...ids].sort((a, b) => a - b));
}

/** `/phancong MÃ`: buttons of the upper-level leaders to attend the branch's congress. */
export async function phancong(deps: CongressServiceDeps, viewer: Viewer, args: string): Promise<Reply[]> {
  const code = args.trim().split(/\s+/)[0] ?? '';
  if (!code) return [reply(c.attendance.usage)];
  const r = await roundOf(deps, code);
  if (!r.ok) return [reply(r.text)];
  if (!leads(deps.org, viewer, code, r.ancestors)) return [reply(c.attendance.notAllowed)];
  const people = await candidates(deps, r.ancestors);
  if (people.length === 0) return [reply(c.attendance.noCandidates(r.branch.name))];
  return [
    reply(
      c.attendance.choose(r.branch.name),
      people.map((p) => [
        congressButton(displayName(p).slice(0, 60), {
          kind: 'assign',
          campaign: r.campaign.id,
          branch: code,
          person: p.id,
        }),
      ]),
    ),
  ];
}

/**
 * Assigns a person to attend a branch's congress: from a /phancong button (admins and the
 * branch's leaders; an upper-level leader), or from the CLI (any person the bot knows).
 */
export async function assignAttendee(
  deps: CongressServiceDeps,
  actor: Viewer | 'cli',
  code: string,
  personId: number,
  campaignId?: string,
): Promise<{ ok: boolean; text: string }> {
  const r = await roundOf(deps, code);
  if (!r.ok) return r;
  const campaign = campaignId ? await deps.campaigns.getCampaign(campaignId) : r.campaign;
  if (!campaign) return { ok: false, text: msg.congress.campaignNotFound };
  const person = await deps.org.people.get(personId);
  if (!person) return { ok: false, text: msg.people.unknownPerson(personId) };
  if (actor !== 'cli') {
    if (!leads(deps.org, actor, code, r.ancestors)) return { ok: false, text: c.attendance.notAllowed };
    const ok = (await candidates(deps, r.ancestors)).some((p) => p.id === personId);
    if (!ok) return { ok: false, text: c.attendance.notCandidate(personId) };
  }
  const added = await deps.store.office.assign(
    campaign.id,
    code,
    personId,
    actor === 'cli' ? 'cli' : String(actor.id),
    deps.clock.now(),
  );
  const who = displayName(person);
  return {
    ok: true,
    text: added ? c.attendance.assigned(who, r.branch.name) : c.attendance.already(who, r.branch.name),
  };
}

/** `/lichdaihoi`: the next 14 days of congresses in the asker's scope with attendees, and their own. */
export async function lichdaihoi(deps: CongressServiceDeps, viewer: Viewer): Promise<Reply[]> {
  const scopes = await deps.org.viewScopes(viewer);
  const isLeader = deps.org.isAdmin(viewer) || viewer.roles.some((r) => r.kind === 'leader');
  if (!isLeader || scopes.length === 0) return [reply(c.attendance.noAccess)];
  const today = todayOf(deps);
  const to = addDays(today, CALENDAR_DAYS - 1);
  const rounds = (await deps.campaigns.listCampaigns()).filter((x) => isCampaignOpen(x, today));
  const scopeCodes = new Set(scopes.map((u) => u.code));
  const items: { reg: Registration; attendees: number[] }[] = [];
  const mine: Registration[] = [];
  for (const campaign of rounds) {
    const regs = await deps.store.upcoming(campaign.id, today, to);
    const ancestors = await deps.org.units.ancestorsMany(regs.map((r) => r.branch));
    const inScope = regs.filter(
      (r) => scopeCodes.has(r.branch) || (ancestors.get(r.branch) ?? []).some((a) => scopeCodes.has(a)),
    );
    const attendees = await deps.store.office.attendees(
      campaign.id,
      inScope.map((r) => r.branch),
    );
    inScope.forEach((reg, i) => {
      items.push({ reg, attendees: attendees[i]! });
    });
    const own = new Set(await deps.store.office.assignmentsOf(campaign.id, viewer.id));
    for (const r of regs) if (own.has(r.branch)) mine.push(r);
  }
  const byWhen = (a: Registration, b: Registration) =>
    a.date === b.date ? (a.time ?? 9999) - (b.time ?? 9999) : a.date < b.date ? -1 : 1;
  items.sort((a, b) => byWhen(a.reg, b.reg));
  mine.sort(byWhen);
  const shown = items.slice(0, CALENDAR_MAX);
  const [units, people] = await Promise.all([
    deps.org.units.getMany([...new Set([...shown.map((x) => x.reg.branch), ...mine.map((r) => r.branch)])]),
    deps.org.people.getMany([...new Set(shown.flatMap((x) => x.attendees))]),
  ]);
  const nameOf = (code: string) => units.get(code)?.name ?? code;
  const personOf = new Map(people.map((p) => [p.id, displayName(p)]));
  const a = c.attendance;
  return [
    reply(
      lines(
        bold(a.calendarTitle(formatVnDate(today), formatVnDate(to))),
        ...(shown.length === 0
          ? [a.calendarNone]
          : shown.map((x) =>
              a.calendarItem(
                c.when(x.reg.date, x.reg.time),
                nameOf(x.reg.branch),
                x.attendees.map((id) => personOf.get(id) ?? `id ${id}`),
              ),
            )),
        items.length > shown.length ? a.more(items.length - shown.length) : undefined,
        '',
        mine.length === 0 ? a.mineNone : a.mine,
        ...mine.map((r) => a.mineItem(c.when(r.date, r.time), nameOf(r.branch))),
      ),
    ),
  ];
}

// ------------------------------------------------------------------ reminders

/**
 * Puts on the open follow-up index every reported branch whose follow-up is due within 7 days
 * (or overdue) and not done. Reads the round's reported branches and their dates once a day, so
 * that a result costs no index entry until its follow-up comes due.
 */
export async function indexDueFollowUps(
  deps: Pick<CongressServiceDeps, 'store'>,
  campaignId: string,
  config: { followUp: readonly string[]; followUpDays: number },
  today: IsoDate,
): Promise<number> {
  const heldBy = addDays(today, FOLLOW_UP_LOOKAHEAD_DAYS - config.followUpDays);
  const reported = [...(await deps.store.reportedSet(campaignId))].sort();
  const dates = await deps.store.reportDates(campaignId, reported);
  const due = reported.flatMap((branch, i) => {
    const date = dates[i];
    return date && date <= heldBy ? [{ branch, date }] : [];
  });
  const ticks = await deps.store.office.ticksMany(
    campaignId,
    due.map((d) => d.branch),
  );
  const open = due.filter((_, i) => openItems(config.followUp, ticks[i]!.followUp).length > 0);
  await deps.store.office.markFollowUpOpen(campaignId, open);
  return open.length;
}

/**
 * The daily office reminders (the `congress-office` schedule): preparation 7 and 3 days before
 * the congress, follow-up 7 days before it is due and on the day, and each attendee the day
 * before. Each message has a fixed outbox id, so a run repeated the same day sends nothing twice.
 */
export async function runOfficeReminders(
  deps: CongressServiceDeps,
  now: number,
): Promise<{ queued: number }> {
  const today = todayOf(deps);
  const office = deps.store.office;
  let queued = 0;
  const send = async (personId: number, text: string, id: string) => {
    await deps.notifier.toPerson(personId, text, { id, purpose: 'reminder' });
    queued++;
  };
  const holders = async (branch: string) => [
    ...new Set([
      ...(await deps.org.people.holdersOf(branch, 'secretary')),
      ...(await deps.org.people.holdersOf(branch, 'deputy')),
    ]),
  ];
  const rounds = (await deps.campaigns.listCampaigns()).filter(
    (x) => isCampaignOpen(x, today) || today <= addDays(x.deadline, 60),
  );
  for (const campaign of rounds) {
    const config = await office.config(campaign.id);
    await indexDueFollowUps(deps, campaign.id, config, today);
    for (const days of PREPARATION_REMINDER_DAYS) {
      const date = addDays(today, days);
      const regs = await deps.store.upcoming(campaign.id, date, date);
      const ticks = await office.ticksMany(
        campaign.id,
        regs.map((r) => r.branch),
      );
      const units = await deps.org.units.getMany(regs.map((r) => r.branch));
      for (const [i, r] of regs.entries()) {
        const open = openItems(config.preparation, ticks[i]!.preparation);
        if (open.length === 0) continue;
        const text = c.checklist.remindPreparation(
          units.get(r.branch)?.name ?? r.branch,
          days,
          c.when(r.date, r.time),
          open,
        );
        for (const p of await holders(r.branch))
          await send(p, text, outboxId('dh-cb', campaign.id, r.branch, r.date, days, p));
      }
    }
    for (const days of FOLLOW_UP_REMINDER_DAYS) {
      const heldOn = addDays(today, days - config.followUpDays);
      const branches = await office.followUpHeldOn(campaign.id, heldOn);
      const ticks = await office.ticksMany(campaign.id, branches);
      const units = await deps.org.units.getMany(branches);
      for (const [i, b] of branches.entries()) {
        const open = openItems(config.followUp, ticks[i]!.followUp);
        if (open.length === 0) continue;
        const due = formatVnDate(followUpDue(heldOn, config.followUpDays));
        const text = c.checklist.remindFollowUp(units.get(b)?.name ?? b, due, days, open);
        for (const p of await holders(b))
          await send(p, text, outboxId('dh-sdh', campaign.id, b, heldOn, days, p));
      }
    }
    const tomorrow = addDays(today, 1);
    const regs = await deps.store.upcoming(campaign.id, tomorrow, tomorrow);
    const attendees = await office.attendees(
      campaign.id,
      regs.map((r) => r.branch),
    );
    const units = await deps.org.units.getMany(regs.map((r) => r.branch));
    for (const [i, r] of regs.entries()) {
      const text = c.attendance.remind(
        units.get(r.branch)?.name ?? r.branch,
        c.when(r.date, r.time),
        formatTerm(campaign.term),
      );
      for (const p of attendees[i]!) await send(p, text, outboxId('dh-pc', campaign.id, r.branch, r.date, p));
    }
  }
  void now;
  return { queued };
}
