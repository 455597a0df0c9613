/**
 * CongressService against a real Redis on a tree bigger than the chat tests use: /tiendo's
 * counts equal those computed here from what was written, at most 20 overdue and upcoming
 * branches are named, the answer never scans reports or lists a scope's branches, the pilot
 * rule looks in the branch's own grassroots committee, and the campaign dialog checks each step.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/chat/reply.js';
import type { Campaign } from '../../src/domain/congress/campaign.js';
import type { CongressReport } from '../../src/domain/congress/report.js';
import type { Unit } from '../../src/domain/units.js';
import { formatPercent, formatRatio } from '../../src/domain/vn.js';
import { ManualClock } from '../../src/infra/clock.js';
import { createLogger } from '../../src/logger.js';
import { msg } from '../../src/messages/index.js';
import { DeliveryStore } from '../../src/outbox/deliveries.js';
import { CongressService } from '../../src/services/congress/index.js';
import { Dialogs } from '../../src/services/dialogs.js';
import type { Notifier } from '../../src/services/notifier.js';
import { Organisation, type Viewer } from '../../src/services/organisation.js';
import { CampaignStore } from '../../src/store/campaigns.js';
import { CongressStore } from '../../src/store/congress.js';
import { ConversationStore } from '../../src/store/conversations.js';
import { InviteStore } from '../../src/store/invites.js';
import { PeopleStore } from '../../src/store/people.js';
import { UnitStore } from '../../src/store/units.js';
import { seedCampaign } from '../support/campaign.js';
import { congressReport } from '../support/congressReports.js';
import { testRedis } from '../support/redis.js';
import { renderHtml } from '../support/render.js';

const m = msg.congress;
const at = (isoDate: string) => Date.parse(`${isoDate}T03:00:00Z`);

const unit = (code: string, level: Unit['level'], parent: string | null, name = `Đơn vị ${code}`): Unit => ({
  code,
  name,
  level,
  kind: level === 'chi_bo' || level === 'chi_bo_co_so' ? 'khac' : null,
  parent,
  members: 20,
});

// P ─┬─ X1 ─┬─ BP ─── B1-01 … B1-30
//    │      └─ B1-31 … B1-40
//    ├─ X2 ─── B2-01 … B2-25
//    └─ X3 ─── B3-01 … B3-25
const code = (x: number, i: number) => `B${x}-${String(i).padStart(2, '0')}`;
function tree(): Unit[] {
  const out = [
    unit('P', 'dang_bo', null, 'Đảng bộ tỉnh'),
    unit('X1', 'dang_bo_co_so', 'P', 'Đảng bộ xã Một'),
    unit('BP', 'dang_bo_bo_phan', 'X1', 'Đảng bộ bộ phận Một'),
    unit('X2', 'dang_bo_co_so', 'P', 'Đảng bộ xã Hai'),
    unit('X3', 'dang_bo_co_so', 'P', 'Đảng bộ xã Ba'),
  ];
  for (let i = 1; i <= 40; i++)
    out.push(unit(code(1, i), 'chi_bo', i <= 30 ? 'BP' : 'X1', `Chi bộ ${code(1, i)}`));
  for (const x of [2, 3])
    for (let i = 1; i <= 25; i++) out.push(unit(code(x, i), 'chi_bo', `X${x}`, `Chi bộ ${code(x, i)}`));
  return out;
}
const ALL = tree();
const BRANCHES = ALL.filter((u) => u.level === 'chi_bo');
const under = (committee: string) =>
  BRANCHES.filter((b) => b.parent === committee || (committee === 'X1' && b.parent === 'BP'));

const ADMIN: Viewer = { id: 1, roles: [{ kind: 'admin' }] };
const LEADER_X1: Viewer = { id: 2, roles: [{ kind: 'leader', unit: 'X1' }] };

function result(over: Partial<CongressReport> = {}): CongressReport {
  return congressReport({
    date: '2025-09-08',
    summoned: 18,
    present: 17,
    elected: 3,
    reElected: 2,
    women: 1,
    ...over,
  });
}

/** Methods that read every report or list every branch of a scope: /tiendo must never call them. */
const SCANS = [
  'store.reportedSet',
  'store.reportedBranches',
  'store.registeredBranches',
  'store.getReport',
  'store.reportHistory',
  'store.recomputeAggregates',
  'units.branchesUnder',
  'units.unitsUnder',
  'units.all',
  'units.byCode',
];
const isScan = (call: string) => SCANS.includes(call);

let redis: Redis;
let units: UnitStore;
let store: CongressStore;
let service: CongressService;
let campaign: Campaign;
const clock = new ManualClock(at('2025-09-10'));
const called: string[] = [];
const notices: { personId: number; text: string; id: string }[] = [];

/** Records every method called on `target`. */
function spied<T extends object>(target: T, prefix: string): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        called.push(`${prefix}.${String(prop)}`);
        if (typeof args[0] === 'string') called.push(`${prefix}.${String(prop)}:${args[0]}`);
        return value.apply(obj, args);
      };
    },
  });
}

/**
 * What Redis ran while `fn` ran (MONITOR, so the commands inside /tiendo's script count too): the
 * units whose children were listed, and whether anything scanned the keyspace or listed a whole
 * set of the round.
 */
/**
 * What crossed the client's socket while `fn` ran, in order: each write's text, and a `null`
 * for each chunk of replies that came back.
 */
async function socketTraffic<T>(fn: () => Promise<T>): Promise<{ result: T; traffic: (string | null)[] }> {
  const socket = (
    redis as unknown as { stream: NodeJS.ReadWriteStream & { write: (...a: unknown[]) => boolean } }
  ).stream;
  const traffic: (string | null)[] = [];
  const write = socket.write;
  socket.write = (data: unknown, ...rest: unknown[]) => {
    traffic.push(String(data));
    return write.call(socket, data, ...rest);
  };
  const onData = () => traffic.push(null);
  socket.on('data', onData);
  try {
    return { result: await fn(), traffic };
  } finally {
    socket.write = write;
    socket.off('data', onData);
  }
}

async function redisDuring<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; children: string[]; scans: string[] }> {
  const monitor = await redis.monitor();
  const commands: string[][] = [];
  const marker = `end-${Date.now()}-${Math.random()}`;
  let ended!: () => void;
  const seenEnd = new Promise<void>((resolve) => {
    ended = resolve;
  });
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args[0]?.toLowerCase() === 'echo' && args[1] === marker) ended();
    else commands.push(args);
  });
  try {
    const result = await fn();
    await redis.echo(marker);
    await seenEnd;
    const named = (c: string[]) => `${c[0]?.toLowerCase()} ${c[1] ?? ''}`;
    const children = [
      ...new Set(
        commands
          .filter(
            (c) => ['smembers', 'sort_ro'].includes(c[0]?.toLowerCase() ?? '') && c[1]?.endsWith(':children'),
          )
          .map((c) => c[1]!.slice('cb:unit:'.length, -':children'.length)),
      ),
    ].sort();
    const scans = commands
      .filter((c) => ['scan', 'keys'].includes(c[0]?.toLowerCase() ?? '') || /:done$/.test(c[1] ?? ''))
      .map(named);
    return { result, children, scans };
  } finally {
    monitor.disconnect();
  }
}

const reported = new Map<string, CongressReport>();
/** Branches that register a date: more than the 20 /tiendo names. */
const DATED = 22;

beforeAll(async () => {
  redis = await testRedis();
  units = new UnitStore(redis);
  store = new CongressStore(redis);
  const people = new PeopleStore(redis, { adminIds: [ADMIN.id] });
  const org = new Organisation(
    spied(units, 'units'),
    people,
    new InviteStore(redis),
    new DeliveryStore(redis),
    clock,
    'bot',
  );
  const notifier = {
    toPerson: async (personId: number, text: string, opts: { id: string }) => {
      notices.push({ personId, text, id: opts.id });
      return { queued: true };
    },
  } as unknown as Notifier;
  service = new CongressService({
    org,
    campaigns: new CampaignStore(redis),
    store: spied(store, 'store'),
    notifier,
    dialogs: new Dialogs(new ConversationStore(redis), clock, createLogger('silent')),
    clock,
    timezone: 'Asia/Ho_Chi_Minh',
  });
  expect((await units.importUnits(ALL, 'test', clock.now())).ok).toBe(true);
  await people.grantRole(LEADER_X1.id, { kind: 'leader', unit: 'X1' }, 'test', clock.now());
  campaign = await seedCampaign(service, {
    scope: 'P',
    pilots: [code(1, 35), code(2, 1)],
    name: 'Đại hội chi bộ',
  });

  // Every third branch reports; in X3 some hold no election.
  let n = 0;
  for (const b of BRANCHES) {
    if (n++ % 3 !== 0) continue;
    const r =
      b.parent === 'X3' && n % 2 === 0
        ? result({
            format: 'khong_bau_cu',
            elected: 0,
            reElected: 0,
            women: 0,
            young: 0,
            secretaryDirect: false,
            deputy: 'khong_ap_dung',
          })
        : result({ women: n % 4 === 0 ? 2 : 1 });
    const ancestors = await units.ancestors(b.code);
    const saved = await store.saveReport({
      campaignId: campaign.id,
      branch: b.code,
      ancestors,
      report: r,
      actor: 't',
      now: clock.now(),
    });
    expect(saved.ok).toBe(true);
    reported.set(b.code, r);
  }
  // The branches of X2 without a result, and 5 of X3's, register dates in the coming week.
  let day = 11;
  const dated = [...under('X2'), ...under('X3')].filter((x) => !reported.has(x.code));
  for (const b of dated.slice(0, DATED)) {
    const ancestors = await units.ancestors(b.code);
    const date = `2025-09-${String(11 + (day++ % 5)).padStart(2, '0')}`;
    const r = await store.registerDate({
      campaignId: campaign.id,
      branch: b.code,
      ancestors,
      date,
      actor: 't',
      now: clock.now(),
    });
    expect(r.ok).toBe(true);
  }
});
afterAll(() => redis.quit());

describe('progress', () => {
  it('counts held branches per unit exactly as written, and names at most 20 upcoming congresses', async () => {
    called.length = 0;
    const read = await redisDuring(() => service.progress(ADMIN, campaign.id, 'P'));
    const r = read.result;
    if (!r.ok) throw new Error(r.text);
    const text = renderHtml(r.text);
    expect(text).toContain(m.progress.held(formatRatio(reported.size, 90), formatPercent(reported.size, 90)));
    for (const x of ['X1', 'X2', 'X3']) {
      const held = under(x).filter((b) => reported.has(b.code)).length;
      const name = ALL.find((u) => u.code === x)!.name;
      expect(text).toContain(
        m.progress.child(name, formatRatio(held, under(x).length), formatPercent(held, under(x).length)),
      );
    }
    expect(text).toContain(m.progress.registeredOnly(String(DATED)));
    expect(text).toContain(m.progress.notRegistered(String(90 - reported.size - DATED)));
    const upcomingNamed = text.split('\n').filter((l) => /^- ngày \d\d\/09\/2025: /.test(l));
    expect(upcomingNamed).toHaveLength(20);
    expect(text).toContain(m.progress.upcomingMore(String(DATED - 20)));
    expect(r.drill.map((d) => d.code)).toEqual(['X1', 'X2', 'X3']);
    expect(r.up).toBeUndefined();
    expect(called.filter(isScan)).toEqual([]);
    // The root's own children only: nothing below them is listed.
    expect(read.children).toEqual(['P']);
    expect(read.scans).toEqual([]);
  });

  it('after the deadline counts every branch without a result and names the registered ones first', async () => {
    clock.set(at('2025-10-05'));
    try {
      called.length = 0;
      const read = await redisDuring(() => service.progress(ADMIN, campaign.id, 'P'));
      const r = read.result;
      if (!r.ok) throw new Error(r.text);
      const lines = renderHtml(r.text).split('\n');
      const overdue = 90 - reported.size;
      const header = lines.indexOf(`<b>${m.progress.overdueHeader(String(overdue))}</b>`);
      expect(header).toBeGreaterThan(0);
      for (const line of lines.slice(header + 1, header + 21))
        expect(line).toMatch(/\(đăng ký đại hội ngày 1\d\/09\/2025/);
      expect(lines[header + 21]).toBe(m.progress.overdueMore(String(overdue - 20)));
      // 22 registered dates passed: no need to walk the tree for more names.
      expect(read.children).toEqual(['P']);
      expect(read.scans).toEqual([]);
      expect(called.filter(isScan)).toEqual([]);
    } finally {
      clock.set(at('2025-09-10'));
    }
  });

  it('walks down the tree for branches with neither a date nor a result, into committees that have some', async () => {
    clock.set(at('2025-10-05'));
    try {
      called.length = 0;
      const read = await redisDuring(() => service.progress(LEADER_X1, campaign.id, 'X1'));
      const r = read.result;
      if (!r.ok) throw new Error(r.text);
      const lines = renderHtml(r.text).split('\n');
      const missing = under('X1').filter((b) => !reported.has(b.code)).length;
      const header = lines.indexOf(`<b>${m.progress.overdueHeader(String(missing))}</b>`);
      expect(header).toBeGreaterThan(0);
      // Tree order: X1's own branches (codes sort before BP), then BP's.
      const order = [
        ...under('X1').filter((b) => b.parent === 'X1'),
        ...under('X1').filter((b) => b.parent === 'BP'),
      ]
        .map((b) => b.code)
        .filter((c) => !reported.has(c));
      expect(lines.slice(header + 1, header + 21)).toEqual(
        order.slice(0, 20).map((c) => m.progress.overdueDeadline(`Chi bộ ${c}`)),
      );
      expect(lines[header + 21]).toBe(m.progress.overdueMore(String(missing - 20)));
      expect(read.children).toEqual(['BP', 'X1']);
      expect(read.scans).toEqual([]);
      expect(called.filter(isScan)).toEqual([]);
    } finally {
      clock.set(at('2025-09-10'));
    }
  });

  it('shows a leader their commune with a way up only when they may see the parent', async () => {
    const r = await service.progress(LEADER_X1, campaign.id, 'BP');
    if (!r.ok) throw new Error(r.text);
    expect(r.up).toEqual({ code: 'X1', name: 'Đảng bộ xã Một' });
    const x1 = await service.progress(LEADER_X1, campaign.id, 'X1');
    if (!x1.ok) throw new Error(x1.text);
    expect(x1.up).toBeUndefined();
    expect(x1.approvable.map((a) => a.code)).toEqual(
      under('X1')
        .filter((b) => b.parent === 'X1' && reported.has(b.code))
        .map((b) => b.code),
    );
    const refused = await service.progress(LEADER_X1, campaign.id, 'X2');
    expect(refused).toEqual({ ok: false, text: msg.units.noAccessToUnit('Đảng bộ xã Hai') });
  });

  it('starts an admin at the root, and offers a round of one commune at that commune', async () => {
    const only = await service.progressStart(ADMIN);
    expect(only).toEqual({ kind: 'ok', campaignId: campaign.id, unit: 'P', campaign });
    const c2 = await service.createCampaign(ADMIN, {
      name: 'Đợt xã Ba',
      term: '2025-2027',
      scope: 'X3',
      opens: '01/09/2025',
      deadline: '20/10/2025',
    });
    if (!c2.ok) throw new Error(c2.errors.join('; '));
    const both = await service.progressStart(ADMIN);
    expect(both.kind).toBe('chooseCampaign');
    if (both.kind === 'chooseCampaign') {
      expect(both.options.map((o) => [o.campaign.id, o.unit])).toEqual([
        [campaign.id, 'P'],
        [c2.campaign.id, 'X3'],
      ]);
    }
    expect(await service.progressStart(LEADER_X1)).toEqual({
      kind: 'ok',
      campaignId: campaign.id,
      unit: 'X1',
      campaign,
    });
  });

  it('sends its 11 KB script by SHA1 once the connection has it, and whole again when Redis lost it', async () => {
    const wholeScript = (traffic: (string | null)[]) =>
      traffic.some((w) => w?.includes('local function children'));
    // The tests above ran /tiendo on this connection: the script is known by its SHA1.
    const { result: again, traffic: before } = await socketTraffic(() =>
      service.progress(ADMIN, campaign.id, 'P'),
    );
    expect(again.ok).toBe(true);
    expect(before.some((w) => w !== null && /\bevalsha\b/i.test(w))).toBe(true);
    expect(wholeScript(before)).toBe(false);
    await redis.script('FLUSH');
    const { result: afterFlush, traffic: after } = await socketTraffic(() =>
      service.progress(ADMIN, campaign.id, 'P'),
    );
    expect(afterFlush.ok).toBe(true);
    if (!afterFlush.ok || !again.ok) return;
    expect(renderHtml(afterFlush.text)).toBe(renderHtml(again.text));
    expect(wholeScript(after)).toBe(true);
  });
});

describe('the pilot rule', () => {
  it('compares a branch with the pilot of its own grassroots committee, through a đảng bộ bộ phận', async () => {
    const people = new PeopleStore(redis, { adminIds: [] });
    const secretary: Viewer = { id: 50, roles: [{ kind: 'secretary', unit: code(1, 2) }] };
    await people.grantRole(50, { kind: 'secretary', unit: code(1, 2) }, 'test', clock.now());
    const target = await service.branchTarget(secretary);
    if (target.kind !== 'ok') throw new Error(target.kind);
    notices.length = 0;
    const r = await service.registerDate(secretary, target.target, '15/09/2025');
    // The pilot of X1 (B1-35, a direct branch of X1) has no date; X2's pilot does not concern it.
    expect(r.text).toContain(m.registration.pilotNotScheduled(`Chi bộ ${code(1, 35)}`));
    expect(notices.map((n) => n.personId)).toEqual([LEADER_X1.id]);
    expect(notices[0]?.text).toBe(
      m.registration.leaderPilotNotice(
        `Chi bộ ${code(1, 2)}`,
        '15/09/2025',
        `Chi bộ ${code(1, 35)}`,
        m.registration.pilotUnscheduled,
      ),
    );
    // The same registration again: the same notice id, so the outbox sends it once.
    const again = await service.registerDate(secretary, target.target, '15/09/2025');
    expect(again.ok).toBe(true);
    expect(notices[1]?.id).toBe(notices[0]?.id);
  });
});

describe('opening a round step by step', () => {
  it('checks each answer and normalises it', async () => {
    const check = (field: Parameters<CongressService['checkCampaignField']>[0], raw: string, answers = {}) =>
      service.checkCampaignField(field, raw, answers);
    expect(await check('name', '  ')).toEqual({ ok: false, message: m.campaignErrors.name });
    expect(await check('term', '2025 – 2027')).toEqual({ ok: true, value: '2025-2027' });
    expect(await check('term', '2027-2025')).toEqual({ ok: false, message: m.campaignErrors.termOrder });
    expect(await check('scope', 'ZZ')).toEqual({ ok: false, message: m.campaignErrors.scopeUnknown('ZZ') });
    expect(await check('scope', 'X2')).toEqual({ ok: true, value: 'X2' });
    expect(await check('opens', '1/9/2025')).toEqual({ ok: true, value: '2025-09-01' });
    expect(await check('deadline', '31/08/2025', { opens: '2025-09-01' })).toEqual({
      ok: false,
      message: m.campaignErrors.window('2025-09-01', '2025-08-31'),
    });
    expect(await check('pilots', 'Không có', { scope: 'X2' })).toEqual({ ok: true, value: '' });
    expect(await check('pilots', `${code(2, 3)}; ${code(2, 4)}`, { scope: 'X2' })).toEqual({
      ok: true,
      value: `${code(2, 3)},${code(2, 4)}`,
    });
    expect(await check('pilots', `${code(3, 1)}, BP`, { scope: 'X2' })).toEqual({
      ok: false,
      message: [
        m.campaignErrors.pilotOutsideScope(`Chi bộ ${code(3, 1)}`, 'Đảng bộ xã Hai'),
        m.campaignErrors.pilotNotBranch('Đảng bộ bộ phận Một'),
      ].join('\n'),
    });
    expect(await check('youngAge', '70')).toEqual({ ok: false, message: m.campaignErrors.youngAge });
    expect(await check('youngAge', '30')).toEqual({ ok: true, value: '30' });
  });

  it('names at most ten wrong pilot codes, each once and capped, and counts the rest', async () => {
    const codes = Array.from({ length: 15 }, (_, i) => `NOPE${i}`);
    const typed = [...codes, ...codes, 'X'.repeat(500)].join(', ');
    const r = await service.checkCampaignField('pilots', typed, { scope: 'X2' });
    if (r.ok) throw new Error('accepted unknown pilots');
    const lines = r.message.split('\n');
    expect(lines.slice(0, 10)).toEqual(codes.slice(0, 10).map((c) => m.campaignErrors.pilotUnknown(c)));
    expect(lines.slice(10)).toEqual([m.campaignErrors.more(6)]);
    expect(m.campaignErrors.pilotUnknown('X'.repeat(500)).length).toBeLessThan(200);
  });

  it('refuses anyone but an admin, listing every problem for an admin', async () => {
    const r = await service.createCampaign(LEADER_X1, {
      name: 'x',
      term: '2025-2027',
      scope: 'X1',
      opens: '01/09/2025',
      deadline: '30/09/2025',
    });
    expect(r).toEqual({ ok: false, errors: [msg.units.adminOnly] });
    const bad = await service.createCampaign(ADMIN, {
      name: '',
      term: '2025-2027',
      scope: 'X2',
      opens: '01/09/2025',
      deadline: '30/09/2025',
      pilots: ['NOPE'],
    });
    expect(bad).toEqual({
      ok: false,
      errors: [m.campaignErrors.name, m.campaignErrors.pilotUnknown('NOPE')],
    });
  });
});

describe("a leader's next /tiendo, read ahead", () => {
  /** Where the progress script went out in the socket's traffic, and where the first reply came back. */
  const progressOut = (traffic: (string | null)[]) => traffic.findIndex((w) => w?.includes('upcomingMax'));
  const firstReply = (traffic: (string | null)[]) => traffic.indexOf(null);
  const text = (replies: Reply[]) => replies.map((r) => renderHtml(r.text)).join('\n');
  const X2: Viewer = { id: LEADER_X1.id, roles: [{ kind: 'leader', unit: 'X2' }] };

  it('asks for the unit it showed last time with the start, and shows what is there now', async () => {
    const first = await socketTraffic(() => service.tiendo(LEADER_X1, ''));
    // Nothing to guess from yet: the progress goes out after the start is answered.
    expect(progressOut(first.traffic)).toBeGreaterThan(firstReply(first.traffic));

    // A branch of X1 reports in between.
    const branch = under('X1').find((b) => !reported.has(b.code))!;
    const saved = await store.saveReport({
      campaignId: campaign.id,
      branch: branch.code,
      ancestors: await units.ancestors(branch.code),
      report: result(),
      actor: 't',
      now: clock.now(),
    });
    expect(saved.ok).toBe(true);
    reported.set(branch.code, result());

    const second = await socketTraffic(() => service.tiendo(LEADER_X1, ''));
    // Read ahead: out before anything came back.
    expect(progressOut(second.traffic)).toBeGreaterThanOrEqual(0);
    expect(progressOut(second.traffic)).toBeLessThan(firstReply(second.traffic));
    const now = await service.progress(LEADER_X1, campaign.id, 'X1');
    if (!now.ok) throw new Error(now.text);
    expect(text(second.result)).toBe(renderHtml(now.text));
    const held = under('X1').filter((b) => reported.has(b.code)).length;
    expect(text(second.result)).toContain(`${held}/${under('X1').length} chi bộ`);
  });

  it('drops the guess when the start lands elsewhere', async () => {
    // The same person now leads X2 only: the answer is X2's, not the X1 read ahead.
    const elsewhere = await service.tiendo(X2, '');
    const x2 = await service.progress(X2, campaign.id, 'X2');
    if (!x2.ok) throw new Error(x2.text);
    expect(text(elsewhere)).toBe(renderHtml(x2.text));
    // Leading two communes, they are asked which one.
    const both = await service.tiendo({ id: LEADER_X1.id, roles: [...LEADER_X1.roles, ...X2.roles] }, '');
    expect(both.map((r) => r.text)).toEqual([m.chat.chooseScope]);
  });
});
