import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  branchStatus,
  computeCompliance,
  type MeetingAggregate,
  sumStatuses,
} from '../../src/domain/meetings/compliance.js';
import type { MeetingReport } from '../../src/domain/meetings/report.js';
import { DEFAULT_MEETING_SETTINGS } from '../../src/domain/meetings/settings.js';
import { readAudit } from '../../src/store/audit.js';
import { MeetingStore } from '../../src/store/meetings.js';
import { testRedis } from '../support/redis.js';

/**
 * A small tree: ROOT > DB1 > (CB1, CB2), ROOT > DB2 > (CB3, CB4). Ancestors are root first.
 */
const ancestorsOf: Record<string, string[]> = {
  CB1: ['ROOT', 'DB1'],
  CB2: ['ROOT', 'DB1'],
  CB3: ['ROOT', 'DB2'],
  CB4: ['ROOT', 'DB2'],
};
const ALL_BRANCHES = Object.keys(ancestorsOf);

/** 10:00 in Vietnam on the deadline day (08/09/2025), and a day later. */
const ON_TIME = Date.parse('2025-09-08T03:00:00Z');
const LATE = Date.parse('2025-09-09T03:00:00Z');

function meeting(month: string, over: Partial<MeetingReport> = {}): MeetingReport {
  return {
    month,
    date: `${month}-03`,
    type: 'thuong_ky',
    durationMinutes: 95,
    members: 20,
    exempt: 1,
    present: 17,
    absentWithReason: { count: 1, people: [] },
    absentWithoutReason: { count: 1, people: [] },
    content: 'Sinh hoạt thường kỳ',
    ...over,
  };
}

function absentWithout(...names: string[]): Pick<MeetingReport, 'present' | 'absentWithoutReason'> {
  return {
    present: 18 - names.length,
    absentWithoutReason: { count: names.length, people: names.map((name) => ({ name })) },
  };
}

let redis: Redis;
let store: MeetingStore;

beforeAll(async () => {
  redis = await testRedis();
  store = new MeetingStore(redis);
});
afterAll(async () => {
  await redis.quit();
});
beforeEach(async () => {
  await redis.flushdb();
});

function save(branch: string, report: MeetingReport, now = ON_TIME, actor = '1001') {
  return store.saveReport({
    branch,
    ancestors: ancestorsOf[branch] ?? [],
    month: report.month,
    report,
    deadline: '2025-09-08',
    actor,
    now,
  });
}

describe('saving and amending a month’s report', () => {
  it('keeps one current report per branch and month, with every version in the history', async () => {
    const first = await save('CB1', meeting('2025-09'));
    expect(first).toEqual({ version: 1, amended: false, late: false, absenceWarnings: [] });
    const second = await save('CB1', meeting('2025-09', { durationMinutes: 120 }), ON_TIME + 1000, '1002');
    expect(second).toEqual({ version: 2, amended: true, late: false, absenceWarnings: [] });

    const current = await store.getReport('CB1', '2025-09');
    expect(current?.version).toBe(2);
    expect(current?.report.durationMinutes).toBe(120);
    expect(current?.actor).toBe('1002');
    expect(current?.firstReportedAt).toBe(ON_TIME);

    const history = await store.history('CB1', '2025-09');
    expect(history.map((h) => [h.version, h.report.durationMinutes, h.actor])).toEqual([
      [1, 95, '1001'],
      [2, 120, '1002'],
    ]);
    expect(await store.getReport('CB1', '2025-10')).toBeUndefined();
  });

  it('audits each version with what it was before and after', async () => {
    await save('CB1', meeting('2025-09'));
    await save('CB1', meeting('2025-09', { durationMinutes: 120 }));
    const audit = await readAudit(redis, { subject: 'unit:CB1/month:2025-09' });
    expect(audit).toHaveLength(2);
    const [amend, create] = audit;
    expect(create).toMatchObject({ actor: '1001', action: 'meeting.report', after: { durationMinutes: 95 } });
    expect(create).not.toHaveProperty('before');
    expect(amend).toMatchObject({
      action: 'meeting.report',
      before: { durationMinutes: 95 },
      after: { durationMinutes: 120 },
    });
  });

  it('refuses a report filed under another month', async () => {
    await expect(
      store.saveReport({
        branch: 'CB1',
        ancestors: ['ROOT', 'DB1'],
        month: '2025-10',
        report: meeting('2025-09'),
        deadline: '2025-10-08',
        actor: '1',
        now: ON_TIME,
      }),
    ).rejects.toThrow();
    expect(await store.getReport('CB1', '2025-10')).toBeUndefined();
  });
});

describe('late reports', () => {
  it('is late when first reported after the deadline day (Vietnam time)', async () => {
    expect((await save('CB1', meeting('2025-09'), ON_TIME)).late).toBe(false);
    expect((await save('CB2', meeting('2025-09'), LATE)).late).toBe(true);
    // 08/09 23:30 in Vietnam is still on time, though it is already the 8th 16:30 UTC.
    expect((await save('CB3', meeting('2025-09'), Date.parse('2025-09-08T16:30:00Z'))).late).toBe(false);
    // 09/09 00:30 in Vietnam is late, though UTC still says the 8th.
    expect((await save('CB4', meeting('2025-09'), Date.parse('2025-09-08T17:30:00Z'))).late).toBe(true);
    expect((await store.aggregate('ROOT', '2025-09')).late).toBe(2);
  });

  it('stays on time when an on-time report is amended after the deadline', async () => {
    await save('CB1', meeting('2025-09'), ON_TIME);
    const amended = await save('CB1', meeting('2025-09', { durationMinutes: 100 }), LATE);
    expect(amended.late).toBe(false);
    expect((await store.aggregate('DB1', '2025-09')).late).toBe(0);
  });
});

describe('aggregates', () => {
  async function recomputed(unit: string, month: string): Promise<MeetingAggregate> {
    const statuses = [];
    for (const branch of ALL_BRANCHES) {
      if (branch !== unit && !ancestorsOf[branch]?.includes(unit)) continue;
      const stored = await store.getReport(branch, month);
      if (stored) statuses.push(branchStatus(stored.report, stored.late, stored.threshold));
    }
    return sumStatuses(statuses);
  }

  it('equal a recomputation from the current reports after amendments', async () => {
    await save('CB1', meeting('2025-09', { upperAttendee: 'Phạm Văn D' }));
    await save('CB2', meeting('2025-09', { durationMinutes: 80 }), LATE);
    await save(
      'CB3',
      meeting('2025-09', {
        type: 'ket_hop',
        durationMinutes: 130,
        present: 12,
        absentWithReason: { count: 6, people: [] },
      }),
    );
    // Amendments that change every counted quantity.
    await save('CB1', meeting('2025-09', { present: 14, absentWithReason: { count: 4, people: [] } }));
    await save(
      'CB2',
      meeting('2025-09', { type: 'thuong_ky', durationMinutes: 120, upperAttendee: 'Vũ Thị F' }),
    );
    await save(
      'CB3',
      meeting('2025-09', { members: 22, exempt: 3, present: 17, absentWithReason: { count: 1, people: [] } }),
    );
    await save('CB3', meeting('2025-09', { type: 'ket_hop', durationMinutes: 100 }));

    for (const unit of ['ROOT', 'DB1', 'DB2', 'CB1', 'CB2', 'CB3', 'CB4'])
      expect(await store.aggregate(unit, '2025-09'), unit).toEqual(await recomputed(unit, '2025-09'));

    const root = await store.aggregate('ROOT', '2025-09');
    expect(root).toEqual({
      reported: 3,
      late: 1,
      present: 17 + 17 + 14,
      expected: 19 * 3,
      short: 1,
      upper: 1,
      thematic: 1,
      below: 1,
    });
    const many = await store.aggregates(['DB1', 'DB2', 'NOPE'], '2025-09');
    expect(many.get('DB1')?.reported).toBe(2);
    expect(many.get('DB2')?.reported).toBe(1);
    expect(many.get('NOPE')).toEqual(sumStatuses([]));
  });

  it('follow a branch that moved to another parent between versions', async () => {
    await save('CB1', meeting('2025-09'));
    await store.saveReport({
      branch: 'CB1',
      ancestors: ['ROOT', 'DB2'],
      month: '2025-09',
      report: meeting('2025-09', { present: 16, absentWithReason: { count: 2, people: [] } }),
      deadline: '2025-09-08',
      actor: '1',
      now: ON_TIME,
    });
    expect((await store.aggregate('DB1', '2025-09')).reported).toBe(0);
    expect((await store.aggregate('DB1', '2025-09')).present).toBe(0);
    expect((await store.aggregate('DB2', '2025-09')).present).toBe(16);
    expect((await store.aggregate('ROOT', '2025-09')).reported).toBe(1);
  });

  it('count each save once when two months of a branch are saved at the same time', async () => {
    await Promise.all([
      save('CB1', meeting('2025-07', absentWithout('Lê Văn C'))),
      save('CB1', meeting('2025-08', absentWithout('Lê Văn C'))),
      save('CB2', meeting('2025-08')),
    ]);
    expect((await store.aggregate('DB1', '2025-08')).reported).toBe(2);
    expect((await store.aggregate('DB1', '2025-07')).reported).toBe(1);
    expect((await store.absences('CB1', 2025)).get('le van c')?.months).toEqual(['2025-07', '2025-08']);
  });
});

describe('who has reported', () => {
  it('answers for a list of branch codes in bulk', async () => {
    await save('CB1', meeting('2025-09'));
    await save('CB3', meeting('2025-09'));
    await save('CB2', meeting('2025-08'));
    expect(await store.reportedAmong('2025-09', ALL_BRANCHES)).toEqual(new Set(['CB1', 'CB3']));
    expect(await store.reportedAmong('2025-09', [])).toEqual(new Set());
    const big = Array.from({ length: 2500 }, (_, i) => `X${i}`).concat('CB3');
    expect(await store.reportedAmong('2025-09', big)).toEqual(new Set(['CB3']));
  });

  it('gives the statuses and a compliance summary for a scope', async () => {
    await save('CB1', meeting('2025-09', { upperAttendee: 'Phạm Văn D' }));
    await save('CB2', meeting('2025-09', { present: 10, absentWithReason: { count: 8, people: [] } }), LATE);
    const codes = ['CB1', 'CB2', 'CB3', 'CB4'];
    const snapshot = await store.complianceSnapshot('ROOT', '2025-09', codes);
    expect([...snapshot.statuses.keys()]).toEqual(['CB1', 'CB2']);
    const data = computeCompliance({
      scopeName: 'Đảng bộ xã',
      month: '2025-09',
      threshold: 80,
      branches: codes.map((code) => ({ code, name: `Chi bộ ${code}` })),
      ...snapshot,
    });
    expect(data.reported).toBe(2);
    expect(data.notReported).toEqual(['Chi bộ CB3', 'Chi bộ CB4']);
    expect(data.late).toEqual(['Chi bộ CB2']);
    expect([data.present, data.expected]).toEqual([27, 38]);
    expect(data.belowThreshold.map((b) => b.name)).toEqual(['Chi bộ CB2']);
    expect(data.upperAttended).toBe(1);
  });
});

describe('thematic meetings per quarter', () => {
  it('count a branch once per quarter however many thematic meetings it held', async () => {
    await save('CB1', meeting('2025-07', { type: 'chuyen_de' }));
    await save('CB1', meeting('2025-08', { type: 'ket_hop', durationMinutes: 120 }));
    await save('CB3', meeting('2025-09', { type: 'chuyen_de' }));
    await save('CB2', meeting('2025-09'));
    expect(await store.thematicInQuarter('ROOT', '2025-Q3')).toBe(2);
    expect(await store.thematicInQuarter('DB1', '2025-Q3')).toBe(1);
    expect(await store.thematicInQuarter('CB1', '2025-Q3')).toBe(1);
    expect(await store.thematicInQuarter('ROOT', '2025-Q4')).toBe(0);
    // A separate chuyên đề is its own report: the month's regular aggregates do not count it.
    expect((await store.aggregate('DB1', '2025-07')).reported).toBe(0);
    expect((await store.aggregate('DB1', '2025-08')).thematic).toBe(1);
  });

  it('stop counting a branch only when its last thematic meeting of the quarter is amended away', async () => {
    await save('CB1', meeting('2025-07', { type: 'ket_hop', durationMinutes: 120 }));
    await save('CB1', meeting('2025-08', { type: 'ket_hop', durationMinutes: 120 }));
    await save('CB1', meeting('2025-07'));
    expect(await store.thematicInQuarter('ROOT', '2025-Q3')).toBe(1);
    // Amending a thematic month again as thematic does not count it twice.
    await save('CB1', meeting('2025-08', { type: 'ket_hop', durationMinutes: 130 }));
    await save('CB1', meeting('2025-08'));
    expect(await store.thematicInQuarter('ROOT', '2025-Q3')).toBe(0);
    expect(await store.thematicInQuarter('DB1', '2025-Q3')).toBe(0);
  });

  it('keep a thường kỳ and a separate chuyên đề of one month side by side, neither overwriting', async () => {
    await save('CB1', meeting('2025-09', { type: 'chuyen_de', content: 'Chuyên đề học tập và làm theo' }));
    await save('CB1', meeting('2025-09', { content: 'Sinh hoạt thường kỳ tháng 9' }));
    await save('CB1', meeting('2025-09', { type: 'chuyen_de', content: 'Chuyên đề, bản sửa' }));
    expect((await store.getReport('CB1', '2025-09'))?.report.content).toBe('Sinh hoạt thường kỳ tháng 9');
    expect((await store.getReport('CB1', '2025-09'))?.version).toBe(1);
    const thematic = await store.getReport('CB1', '2025-09', { thematic: true });
    expect([thematic?.version, thematic?.report.content]).toEqual([2, 'Chuyên đề, bản sửa']);
    // The month counts once among the quarter's thematic months, and amending the regular
    // report to thường kỳ keeps it (the chuyên đề still holds it).
    expect(await store.thematicInQuarter('ROOT', '2025-Q3')).toBe(1);
    await save('CB1', meeting('2025-09', { type: 'ket_hop', durationMinutes: 120 }));
    await save('CB1', meeting('2025-09'));
    expect(await store.thematicInQuarter('DB1', '2025-Q3')).toBe(1);
    expect((await store.aggregate('ROOT', '2025-09')).reported).toBe(1);
  });

  it('show a month with only a chuyên đề as one without its thường kỳ meeting', async () => {
    await save('CB1', meeting('2025-09'));
    await save('CB2', meeting('2025-09', { type: 'chuyen_de' }));
    const codes = ['CB1', 'CB2', 'CB3'];
    const snapshot = await store.complianceSnapshot('ROOT', '2025-09', codes);
    const data = computeCompliance({
      scopeName: 'Đảng bộ xã',
      month: '2025-09',
      threshold: 80,
      branches: codes.map((code) => ({ code, name: `Chi bộ ${code}` })),
      ...snapshot,
    });
    expect(data.reported).toBe(1);
    expect(data.onlyThematic).toEqual(['Chi bộ CB2']);
    expect(data.notReported).toEqual(['Chi bộ CB3']);
    expect(await store.reportedAmong('2025-09', codes)).toEqual(new Set(['CB1']));
    expect(await store.thematicInQuarter('ROOT', '2025-Q3')).toBe(1);
  });
});

describe('unexcused absences', () => {
  it('warn at the second month and give the strike warning at the third', async () => {
    expect((await save('CB1', meeting('2025-03', absentWithout('Lê Văn C')))).absenceWarnings).toEqual([]);
    expect((await save('CB1', meeting('2025-05', absentWithout('le van c')))).absenceWarnings).toEqual([
      { name: 'le van c', months: ['2025-03', '2025-05'], level: 'warn' },
    ]);
    expect(
      (await save('CB1', meeting('2025-09', absentWithout('Lê Văn C', 'Trần Thị B')))).absenceWarnings,
    ).toEqual([{ name: 'Lê Văn C', months: ['2025-03', '2025-05', '2025-09'], level: 'strike' }]);
    // Another branch's member of the same name is someone else.
    expect((await save('CB2', meeting('2025-09', absentWithout('Lê Văn C')))).absenceWarnings).toEqual([]);
  });

  it('count per calendar year: November, December, January is no strike', async () => {
    await save('CB1', meeting('2025-11', absentWithout('Lê Văn C')));
    expect((await save('CB1', meeting('2025-12', absentWithout('Lê Văn C')))).absenceWarnings).toEqual([
      { name: 'Lê Văn C', months: ['2025-11', '2025-12'], level: 'warn' },
    ]);
    expect((await save('CB1', meeting('2026-01', absentWithout('Lê Văn C')))).absenceWarnings).toEqual([]);
  });

  it('recount when a month is amended: no double count, and a removed name loses the month', async () => {
    await save('CB1', meeting('2025-03', absentWithout('Lê Văn C')));
    await save('CB1', meeting('2025-05', absentWithout('Lê Văn C')));
    // Amending May with the same name again: still two months.
    expect((await save('CB1', meeting('2025-05', absentWithout('Lê Văn C')))).absenceWarnings).toEqual([
      { name: 'Lê Văn C', months: ['2025-03', '2025-05'], level: 'warn' },
    ]);
    // Amending May without him: only March is left, so September is his second month.
    await save('CB1', meeting('2025-05', absentWithout()));
    expect((await store.absences('CB1', 2025)).get('le van c')?.months).toEqual(['2025-03']);
    expect((await save('CB1', meeting('2025-09', absentWithout('Lê Văn C')))).absenceWarnings).toEqual([
      { name: 'Lê Văn C', months: ['2025-03', '2025-09'], level: 'warn' },
    ]);
  });
});

describe('settings', () => {
  it('resolve from the nearest unit that has some, and setting them is audited', async () => {
    expect(await store.settingsFor(['ROOT', 'DB1', 'CB1'])).toEqual({
      settings: DEFAULT_MEETING_SETTINGS,
      unit: undefined,
    });
    await store.setSettings('ROOT', { meetingDay: 1 }, 'admin', 1);
    await store.setSettings('DB1', { meetingDay: 5, reportingDays: 7 }, 'admin', 2);
    const cb1 = await store.settingsFor(['ROOT', 'DB1', 'CB1']);
    expect(cb1.unit).toBe('DB1');
    expect(cb1.settings).toEqual({ ...DEFAULT_MEETING_SETTINGS, meetingDay: 5, reportingDays: 7 });
    expect((await store.settingsFor(['ROOT', 'DB2', 'CB3'])).unit).toBe('ROOT');

    await store.setSettings('DB1', { meetingDay: 10 }, 'admin2', 3);
    const [latest] = await readAudit(redis, { subject: 'unit:DB1' });
    expect(latest).toMatchObject({
      actor: 'admin2',
      action: 'meeting.settings',
      at: 3,
      before: { meetingDay: 5 },
      after: { meetingDay: 10 },
    });

    await store.clearSettings('DB1', 'admin', 4);
    expect((await store.settingsFor(['ROOT', 'DB1', 'CB1'])).unit).toBe('ROOT');
  });

  it('refuse invalid settings without saving them', async () => {
    await expect(store.setSettings('ROOT', { meetingDay: 40 }, 'admin', 1)).rejects.toThrow();
    expect(await store.ownSettings('ROOT')).toBeUndefined();
  });
});
