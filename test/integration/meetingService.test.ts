/**
 * MeetingService against a real Redis: the calendar settings admins keep (service, chat syntax
 * and CLI), who may save, the strike notices queued in the outbox, the conversation rules, and
 * compliance numbers recounted independently from the reports saved.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toPlainText } from '../../src/chat/markup.js';
import type { ChatId } from '../../src/chat/reply.js';
import { meetingsCli } from '../../src/cli/meetings.js';
import type { MeetingReport, MeetingType } from '../../src/domain/meetings/report.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import { type OutboxQueue, outboxId } from '../../src/outbox/outbox.js';
import type { Services } from '../../src/services/index.js';
import { type MeetingAction, meetingActions, parseSettingsArgs } from '../../src/services/meetings/index.js';

const MEETING_CONVERSATION = 'meetings';

import type { Viewer } from '../../src/services/organisation.js';
import { readAudit } from '../../src/store/audit.js';
import { startServices } from '../support/services.js';

const m = msg.meetings;
const ADMIN = 900;
const at = (isoDate: string) => Date.parse(`${isoDate}T03:00:00Z`);

/** R ─┬─ A ─── A01…A12;  R ─── B ─── B01…B08;  R ─── R01. */
const A_BRANCHES = Array.from({ length: 12 }, (_, i) => `A${String(i + 1).padStart(2, '0')}`);
const B_BRANCHES = Array.from({ length: 8 }, (_, i) => `B${String(i + 1).padStart(2, '0')}`);
const UNITS_CSV = [
  'code,name,level,kind,parent,members',
  'R,Đảng bộ xã R,dang_bo_co_so,,,300',
  'A,Đảng bộ bộ phận A,dang_bo_bo_phan,,R,150',
  'B,Đảng bộ bộ phận B,dang_bo_bo_phan,,R,100',
  'R01,Chi bộ R01,chi_bo,khac,R,15',
  ...A_BRANCHES.map((c) => `${c},Chi bộ ${c},chi_bo,thon,A,20`),
  ...B_BRANCHES.map((c) => `${c},Chi bộ ${c},chi_bo,thon,B,20`),
].join('\n');

const secretaryOf = (unit: string, id: number): Viewer => ({ id, roles: [{ kind: 'secretary', unit }] });
const admin: Viewer = { id: ADMIN, roles: [{ kind: 'admin' }] };

let redis: Redis;
let queue: OutboxQueue;
let services: Services;
const clock = new ManualClock(at('2025-09-20'));

beforeAll(async () => {
  const started = await startServices(clock, { ADMIN_IDS: String(ADMIN) });
  ({ services: services, redis, queue } = started);
});
afterAll(async () => {
  await queue.close();
  await redis.quit();
});
beforeEach(async () => {
  await redis.flushdb();
  clock.set(at('2025-09-20'));
  const imported = await services.org.importUnitsCsv('cli', UNITS_CSV);
  expect(imported.ok).toBe(true);
});

function report(month: string, over: Partial<MeetingReport> = {}): MeetingReport {
  return {
    month,
    date: `${month}-04`,
    type: 'thuong_ky',
    durationMinutes: 100,
    members: 20,
    exempt: 0,
    present: 18,
    absentWithReason: { count: 2, people: [] },
    absentWithoutReason: { count: 0, people: [] },
    content: 'Sinh hoạt thường kỳ',
    ...over,
  };
}

describe('meeting calendar settings', () => {
  it('changes only the fields given, keeps the rest in force, and audits the change', async () => {
    const r = await services.meetings.changeSettings(admin, 'A', { meetingDay: 1, reportingDays: 7 });
    expect(r.ok).toBe(true);
    expect(r.text).toContain(m.settings.saved);
    expect(r.text).toContain(m.settings.meetingDay(1, true));
    const resolved = await services.meetings.settingsFor('A05');
    expect(resolved).toEqual({
      unit: 'A',
      settings: {
        meetingDay: 1,
        shiftToWorkingDay: true,
        reportingDays: 7,
        attendanceThreshold: 80,
        extraDaysOff: [],
        qualityScale: ['Tốt', 'Khá', 'Trung bình', 'Kém'],
      },
    });
    const [entry] = await readAudit(redis, { subject: 'unit:A' });
    expect(entry).toMatchObject({ actor: String(ADMIN), action: 'meeting.settings' });

    // A later change on a branch starts from what the branch had inherited.
    await services.meetings.changeSettings('cli', 'A05', { attendanceThreshold: 90 });
    expect((await services.meetings.settingsFor('A05')).settings).toMatchObject({
      meetingDay: 1,
      reportingDays: 7,
      attendanceThreshold: 90,
    });
    const cleared = await services.meetings.changeSettings('cli', 'A05', 'clear');
    expect(cleared.text).toContain(m.settings.cleared);
    expect((await services.meetings.settingsFor('A05')).unit).toBe('A');
  });

  it('moves the reporting deadline of reports saved afterwards', async () => {
    await services.meetings.changeSettings('cli', 'R', { meetingDay: 10, reportingDays: 2 });
    clock.set(at('2025-09-13'));
    await services.meetings.saveReport(
      secretaryOf('A01', 1),
      'A01',
      report('2025-09', { date: '2025-09-10' }),
    );
    // 10/09/2025 is a Wednesday: due two days later, so the 13th is late.
    const saved = await services.meetings.report('A01', '2025-09');
    expect(saved).toMatchObject({ deadline: '2025-09-12', late: true });
  });

  it('refuses out-of-range values and anyone but an admin, saving nothing', async () => {
    const bad = await services.meetings.changeSettings(admin, 'R', { meetingDay: 40, reportingDays: 30 });
    expect(bad.ok).toBe(false);
    expect(bad.text).toBe(
      [m.settings.errors.meetingDay('40'), m.settings.errors.reportingDays('30')].join('\n'),
    );
    const leader: Viewer = { id: 5, roles: [{ kind: 'leader', unit: 'R' }] };
    expect(await services.meetings.changeSettings(leader, 'R', { meetingDay: 5 })).toEqual({
      ok: false,
      text: msg.units.adminOnly,
    });
    expect(await services.meetings.describeSettings({ id: 6, roles: [] })).toEqual({
      ok: false,
      text: msg.units.noAccess,
    });
    expect((await services.meetings.settingsFor('R')).unit).toBeUndefined();
    expect(await services.meetings.changeSettings('cli', 'NOPE', { meetingDay: 5 })).toEqual({
      ok: false,
      text: msg.units.unknownUnit('NOPE'),
    });
  });

  it('reads the chat syntax, with or without accents', () => {
    expect(parseSettingsArgs('A ngày=1 Hạn=7 tỷlệ=82,5 dời=không nghỉ=01/10/2025,02/10/2025')).toEqual({
      unit: 'A',
      change: {
        meetingDay: 1,
        reportingDays: 7,
        attendanceThreshold: 82.5,
        shiftToWorkingDay: false,
        extraDaysOff: ['2025-10-01', '2025-10-02'],
      },
      errors: [],
    });
    expect(parseSettingsArgs('A MặcĐịnh')).toEqual({ unit: 'A', change: 'clear', errors: [] });
    expect(parseSettingsArgs('')).toEqual({ errors: [] });
    expect(parseSettingsArgs('A ngay=ba mau=do').errors).toEqual([
      m.settings.errors.meetingDay('ba'),
      m.settings.unknownKey('mau'),
    ]);
    expect(parseSettingsArgs('A nghi=31/02/2025').errors).toEqual([
      m.settings.errors.extraDaysOff('31/02/2025'),
    ]);
    expect(parseSettingsArgs('A chấtlượng=Xuất_sắc,Đạt,Chưa_đạt').change).toEqual({
      qualityScale: ['Xuất sắc', 'Đạt', 'Chưa đạt'],
    });
    expect(parseSettingsArgs('A chatluong=Tốt').errors).toEqual([m.settings.errors.qualityScale('Tốt')]);
  });

  it('lets an admin change the quality scale, which forms are then checked against', async () => {
    const r = await services.meetings.changeSettings(admin, 'B', { qualityScale: ['Đạt', 'Không đạt'] });
    expect(r.text).toContain(m.settings.qualityScale(['Đạt', 'Không đạt']));
    expect((await services.meetings.settingsFor('B01')).settings.qualityScale).toEqual(['Đạt', 'Không đạt']);
    await services.meetings.changeSettings(admin, 'B', { qualityScale: ['Tốt', 'Khá', 'Trung bình', 'Kém'] });
  });

  it('is the same from the CLI', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const ctx = { services, out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    expect(
      await meetingsCli.run(['settings', '--unit', 'B', '--day', '5', '--deadline-days', '3'], ctx),
    ).toBe(0);
    expect(out.join('\n')).toContain(m.settings.meetingDay(5, true));
    expect((await services.meetings.settingsFor('B01')).settings).toMatchObject({
      meetingDay: 5,
      reportingDays: 3,
    });
    expect(await meetingsCli.run(['settings', '--unit', 'B', '--day', '0'], ctx)).toBe(1);
    expect(err).toEqual([m.settings.errors.meetingDay('0')]);
    await expect(meetingsCli.run(['settings', '--day', 'x'], ctx)).rejects.toThrow('--day');
  });
});

describe('saving a report', () => {
  it('refuses people who do not report for the branch, saving nothing', async () => {
    const leader: Viewer = { id: 5, roles: [{ kind: 'leader', unit: 'A' }] };
    const r = await services.meetings.saveReport(leader, 'A01', report('2025-09'));
    expect(r).toEqual({ ok: false, replies: [{ text: m.access.notYourBranch('Chi bộ A01') }] });
    const other = await services.meetings.saveReport(secretaryOf('A02', 6), 'A01', report('2025-09'));
    expect(other.ok).toBe(false);
    expect(await services.meetings.report('A01', '2025-09')).toBeUndefined();
  });

  it('queues the strike notice once per person for the leader and the other reporters, never the reporter', async () => {
    const people = services.org.people;
    await people.grantRole(11, { kind: 'secretary', unit: 'B01' }, 'test', clock.now());
    await people.grantRole(12, { kind: 'deputy', unit: 'B01' }, 'test', clock.now());
    await people.grantRole(13, { kind: 'leader', unit: 'B' }, 'test', clock.now());
    await people.grantRole(14, { kind: 'leader', unit: 'R' }, 'test', clock.now());
    const deputy = await services.org.viewer(12);
    const absent = { count: 1, people: [{ name: 'Phạm Thị D' }] };
    for (const month of ['2025-06', '2025-07', '2025-08'])
      await services.meetings.saveReport(
        deputy,
        'B01',
        report(month, { present: 17, absentWithoutReason: absent }),
      );
    const id = (person: number) => outboxId('sinhhoat-xoaten', 'B01', 'pham thi d', 2025, '2025-08', person);
    expect(toPlainText((await queue.getJob(id(11)))?.data.message.text ?? '')).toContain(
      'chi bộ xem xét, đề nghị cấp có thẩm quyền xóa tên',
    );
    expect((await queue.getJob(id(13)))?.data.message).toMatchObject({ chatId: 13 });
    expect(toPlainText((await queue.getJob(id(13)))?.data.message.text ?? '')).toContain(
      'chi bộ xem xét, đề nghị cấp có thẩm quyền xóa tên',
    );
    expect(await queue.getJob(id(12))).toBeUndefined();
    expect(await queue.getJob(id(14))).toBeUndefined();
    const queued = await queue.getJobCountByTypes('waiting', 'delayed', 'prioritized');

    // Amending August with the same name queues nothing new.
    const amended = await services.meetings.saveReport(
      deputy,
      'B01',
      report('2025-08', { present: 17, absentWithoutReason: absent, content: 'Sửa nội dung' }),
    );
    expect(amended.ok && amended.result.amended).toBe(true);
    expect(await queue.getJobCountByTypes('waiting', 'delayed', 'prioritized')).toBe(queued);
  });
});

describe('the report conversation', () => {
  /** Who asks, with the dialog they hold open, read as the router reads it for each update. */
  const sessionOf = async (viewer: Viewer, chat: ChatId) => ({
    viewer,
    chat,
    dialog: await services.dialogs.open(chat, viewer.id),
  });
  /** Plain text as the router hands it out: to the open meeting dialog, or as a pasted form. */
  async function receiveText(viewer: Viewer, chat: ChatId, text: string) {
    const raw = await services.conversations.get(chat, viewer.id);
    const s = await sessionOf(viewer, chat);
    // Another area's dialog owns the text.
    if (raw && raw.kind !== MEETING_CONVERSATION) return undefined;
    if (s.dialog?.kind === 'meetings') return services.meetings.continueReport(s, s.dialog.state, text);
    return services.meetings.pastedForm(s, text);
  }
  const act = async (viewer: Viewer, chat: ChatId, action: MeetingAction) =>
    services.meetings.act(await sessionOf(viewer, chat), action);

  const form = (date: string) =>
    [
      `Ngày: ${date}`,
      'Loại: thường kỳ',
      'Thời lượng (phút): 100',
      'Tổng số đảng viên: 20',
      'Miễn sinh hoạt: 0',
      'Có mặt: 18',
      'Vắng có lý do: 2',
      'Vắng không lý do: 0',
      'Nội dung: Sinh hoạt thường kỳ',
    ].join('\n');

  it('leaves ordinary messages and other areas’ dialogs alone', async () => {
    const sec = secretaryOf('A01', 21);
    expect(await receiveText(sec, 21, 'xin chào')).toBeUndefined();
    await services.conversations.set(21, 21, 'congressCampaign', { step: 'name', answers: {} }, clock.now());
    expect(await receiveText(sec, 21, form('04/09/2025'))).toBeUndefined();
    expect((await services.conversations.get(21, 21))?.kind).toBe('congressCampaign');
  });

  it('drops a state it cannot read instead of failing', async () => {
    const sec = secretaryOf('A01', 22);
    await services.conversations.set(22, 22, MEETING_CONVERSATION, { phase: 'unknown' }, clock.now());
    expect(await receiveText(sec, 22, '15')).toBeUndefined();
    expect(await services.conversations.get(22, 22)).toBeUndefined();
  });

  it('saves only with the token of the card shown, and not after the role is gone', async () => {
    const sec = secretaryOf('A01', 23);
    const card = await receiveText(sec, 23, form('04/09/2025'));
    const confirm = card
      ?.flatMap((r) => r.actions ?? [])
      .flat()
      .map((b) => ({ label: b.label, action: meetingActions.unpack(b.value)! }))
      .find((b) => b.action.kind === 'confirm');
    expect(confirm?.label).toBe('Xác nhận');
    const stale = await act(sec, 23, { kind: 'confirm', token: 'deadbeef' });
    expect(stale.toast).toBe(msg.common.buttonExpired);
    expect(await services.meetings.report('A01', '2025-09')).toBeUndefined();

    const revoked: Viewer = { id: 23, roles: [] };
    if (confirm?.action.kind !== 'confirm') throw new Error('no confirm button');
    const refused = await act(revoked, 23, confirm.action);
    expect(refused.replies.map((r) => r.text)).toEqual([msg.units.noAccess]);
    expect(await services.meetings.report('A01', '2025-09')).toBeUndefined();
  });
});

describe('compliance', () => {
  /** A small deterministic generator, so the data differ per branch but not per run. */
  function lcg(seed: number) {
    let s = seed;
    return (n: number) => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      // The high bits: an LCG's low bits repeat with a short period.
      return (s >>> 16) % n;
    };
  }

  it('equals the numbers recounted from the reports, for a committee and the root', async () => {
    const rnd = lcg(42);
    const types: MeetingType[] = ['thuong_ky', 'chuyen_de', 'ket_hop'];
    interface Saved {
      branch: string;
      report: MeetingReport;
      late: boolean;
    }
    // A chuyên đề sitting is its own report: `finals` holds each branch's thường kỳ (or
    // combined) report, `thematicSept` the branches with a separate chuyên đề in September.
    const finals = new Map<string, Saved>();
    const thematicSept = new Set<string>();
    const thematicJuly = new Set<string>();
    const all = [...A_BRANCHES, ...B_BRANCHES, 'R01'];
    for (const [i, branch] of all.entries()) {
      const sec = secretaryOf(branch, 100 + i);
      const members = branch === 'R01' ? 15 : 20;
      if (rnd(4) === 0) {
        clock.set(at('2025-07-06'));
        await services.meetings.saveReport(
          sec,
          branch,
          report('2025-07', { type: 'chuyen_de', members, present: members - 2 }),
        );
        thematicJuly.add(branch);
      }
      if (rnd(10) < 3) continue; // not reported in September
      const versions = 1 + rnd(2);
      for (let v = 0; v < versions; v++) {
        const exempt = rnd(3);
        const withReason = rnd(6);
        const withoutReason = rnd(3);
        const r = report('2025-09', {
          type: types[rnd(3)] ?? 'thuong_ky',
          durationMinutes: 60 + rnd(90),
          members,
          exempt,
          present: members - exempt - withReason - withoutReason,
          absentWithReason: { count: withReason, people: [] },
          absentWithoutReason: { count: withoutReason, people: [] },
          ...(rnd(5) === 0 ? { upperAttendee: 'Nguyễn Văn X' } : {}),
        });
        const day = v === 0 ? 5 + rnd(6) : 12;
        clock.set(at(`2025-09-${String(day).padStart(2, '0')}`));
        const saved = await services.meetings.saveReport(sec, branch, r);
        expect(saved.ok).toBe(true);
        if (r.type === 'chuyen_de') {
          thematicSept.add(branch);
          continue;
        }
        // Lateness is decided by the first thường kỳ version. 03/09/2025 is a Wednesday: due 08/09.
        const late = finals.get(branch)?.late ?? day > 8;
        finals.set(branch, { branch, report: r, late });
      }
    }
    clock.set(at('2025-09-20'));

    for (const [scope, branches] of [
      ['A', A_BRANCHES],
      ['R', ['R01', ...A_BRANCHES, ...B_BRANCHES]],
    ] as const) {
      const reports = [...finals.values()].filter((s) => (branches as readonly string[]).includes(s.branch));
      const expected = (s: Saved) => s.report.members - s.report.exempt;
      const unit = await services.org.unit(scope);
      if (!unit) throw new Error('no scope');
      const data = await services.meetings.compliance(unit, '2025-09');
      expect(data.total).toBe(branches.length);
      expect(data.reported).toBe(reports.length);
      expect(new Set(data.notReported)).toEqual(
        new Set(branches.filter((b) => !finals.has(b) && !thematicSept.has(b)).map((b) => `Chi bộ ${b}`)),
      );
      expect(new Set(data.onlyThematic)).toEqual(
        new Set(branches.filter((b) => !finals.has(b) && thematicSept.has(b)).map((b) => `Chi bộ ${b}`)),
      );
      expect(new Set(data.late)).toEqual(
        new Set(reports.filter((s) => s.late).map((s) => `Chi bộ ${s.branch}`)),
      );
      expect(data.present).toBe(reports.reduce((n, s) => n + s.report.present, 0));
      expect(data.expected).toBe(reports.reduce((n, s) => n + expected(s), 0));
      expect(new Set(data.short)).toEqual(
        new Set(
          reports
            .filter((s) => s.report.durationMinutes < (s.report.type === 'ket_hop' ? 120 : 90))
            .map((s) => `Chi bộ ${s.branch}`),
        ),
      );
      expect(data.belowThreshold.map((b) => b.name).sort()).toEqual(
        reports
          .filter((s) => s.report.present * 100 < 80 * expected(s))
          .map((s) => `Chi bộ ${s.branch}`)
          .sort(),
      );
      const thematic = new Set([
        ...[...thematicJuly].filter((b) => (branches as readonly string[]).includes(b)),
        ...reports.filter((s) => s.report.type !== 'thuong_ky').map((s) => s.branch),
        ...[...thematicSept].filter((b) => (branches as readonly string[]).includes(b)),
      ]);
      expect(data.thematicInQuarter).toBe(thematic.size);
      expect(data.upperAttended).toBe(reports.filter((s) => s.report.upperAttendee !== undefined).length);
      expect(data.deadline).toBe('2025-09-08');
    }
  });
});
