/** Gia hạn: the arguments, the branch's own window, and what reminders say to an extended or overdue branch. */
import { describe, expect, it } from 'vitest';
import { isCampaignOpen } from '../../../src/domain/congress/campaign.js';
import {
  branchDeadline,
  branchWindow,
  extensionDateError,
  isBranchOpen,
  parseExtensionArgs,
} from '../../../src/domain/congress/extension.js';
import { extendedState } from '../../../src/domain/congress/progress.js';
import { DEFAULT_HOLIDAYS } from '../../../src/domain/meetings/holidays.js';
import { congressReminderDue } from '../../../src/domain/reminders.js';
import { msg } from '../../../src/messages/index.js';

const round = { opens: '2025-09-01', deadline: '2025-09-30' };

describe('/giahan arguments', () => {
  it('reads the branch, the date, an optional round id and the reason', () => {
    expect(parseExtensionArgs('CB07 15/10/2025 Chi bộ sáp nhập, chờ kiện toàn')).toEqual({
      ok: true,
      value: { unit: 'CB07', until: '2025-10-15', reason: 'Chi bộ sáp nhập, chờ kiện toàn' },
    });
    expect(parseExtensionArgs('CB07 15/10/2025 dh12345678 ốm')).toEqual({
      ok: true,
      value: { unit: 'CB07', until: '2025-10-15', campaignId: 'dh12345678', reason: 'ốm' },
    });
    expect(parseExtensionArgs(' CB07   5/1/2026 ')).toEqual({
      ok: true,
      value: { unit: 'CB07', until: '2026-01-05' },
    });
  });

  it('refuses a missing or bad date and an overlong reason, each with how to fix it', () => {
    expect(parseExtensionArgs('CB07')).toEqual({ ok: false, problem: { code: 'usage' } });
    expect(parseExtensionArgs('')).toEqual({ ok: false, problem: { code: 'usage' } });
    const bad = parseExtensionArgs('CB07 32/10/2025');
    expect(bad).toEqual({ ok: false, problem: { code: 'badDate', text: '32/10/2025' } });
    const long = parseExtensionArgs(`CB07 15/10/2025 ${'x'.repeat(5000)}`);
    expect(long).toEqual({ ok: false, problem: { code: 'reasonTooLong', max: 200 } });
    if (!long.ok) expect(msg.congress.extensionProblem(long.problem)).toContain('200 ký tự');
    if (!bad.ok)
      expect(msg.congress.extensionProblem(bad.problem)).toContain('ví dụ /giahan CB07 15/10/2025');
  });

  it('takes only a date after the deadline, not past, and not more than a year on', () => {
    expect(extensionDateError(round, '2025-09-30', '2025-09-20')?.code).toBe('notAfterDeadline');
    expect(extensionDateError(round, '2025-10-01', '2025-10-02')?.code).toBe('inPast');
    expect(extensionDateError(round, '2026-10-02', '2025-10-02')?.code).toBe('tooFar');
    expect(extensionDateError(round, '2025-10-02', '2025-10-02')).toBeUndefined();
  });
});

describe("the branch's own window", () => {
  it('ends at the extension when there is one', () => {
    expect(branchDeadline(round)).toBe('2025-09-30');
    expect(branchDeadline(round, { until: '2025-10-15' })).toBe('2025-10-15');
    expect(branchWindow(round, { until: '2025-10-15' })).toEqual({
      opens: '2025-09-01',
      deadline: '2025-10-15',
    });
    expect(branchWindow(round)).toBe(round);
  });

  it('stays open for 30 days after its own deadline, and the round stays open for its latest extension', () => {
    expect(isBranchOpen(round, undefined, '2025-10-30')).toBe(true);
    expect(isBranchOpen(round, undefined, '2025-10-31')).toBe(false);
    expect(isBranchOpen(round, { until: '2025-11-30' }, '2025-12-20')).toBe(true);
    expect(isBranchOpen({ ...round, closedAt: 1 }, { until: '2025-11-30' }, '2025-10-01')).toBe(false);
    const c = {
      id: 'dh12345678',
      name: 'x',
      term: '2025-2027',
      scope: 'XA',
      pilots: [],
      youngAge: 35,
      createdBy: 'a',
      createdAt: 0,
      ...round,
    };
    expect(isCampaignOpen(c, '2025-11-15')).toBe(false);
    expect(isCampaignOpen({ ...c, extendedUntil: '2025-11-30' }, '2025-11-15')).toBe(true);
  });

  it('names where an extended branch stands', () => {
    const base = {
      until: '2025-10-15',
      today: '2025-10-10',
      reported: false,
      late: false,
      registered: false,
    };
    expect(extendedState(base)).toBe('waiting');
    expect(extendedState({ ...base, registered: true })).toBe('registered');
    expect(extendedState({ ...base, reported: true, late: true })).toBe('reportedLate');
    expect(extendedState({ ...base, reported: true })).toBe('reported');
    expect(extendedState({ ...base, today: '2025-10-16' })).toBe('expired');
  });
});

describe('reminders tell an overdue branch what is true', () => {
  const due = (today: string, state: Parameters<typeof congressReminderDue>[0]['state']) =>
    congressReminderDue({ today, campaign: round, state, holidays: DEFAULT_HOLIDAYS });

  it('past the deadline without extension: overdue, flagged so the message asks for one', () => {
    const r = due('2025-10-02', { reported: false });
    expect(r).toMatchObject({ kind: 'overdue', daysOverdue: 2, pastDeadline: true });
    expect(r?.extendedUntil).toBeUndefined();
    expect(msg.reminders.congress.overdue('Chi bộ Thôn 1', '30/09/2025', 2)).toContain('xin gia hạn');
    expect(msg.reminders.congress.overdue('Chi bộ Thôn 1', '30/09/2025', 2)).not.toContain('/lich NGÀY');
  });

  it('with an extension: reminded to register up to its own date, overdue only after it', () => {
    const state = { reported: false, extendedUntil: '2025-10-15' };
    expect(due('2025-10-02', state)).toBeUndefined();
    expect(due('2025-10-08', state)).toMatchObject({
      kind: 'register',
      daysLeft: 7,
      extendedUntil: '2025-10-15',
    });
    expect(due('2025-10-17', state)).toMatchObject({
      kind: 'overdue',
      daysOverdue: 2,
      extendedUntil: '2025-10-15',
      pastDeadline: true,
    });
    expect(msg.reminders.congress.registerExtended('Chi bộ Thôn 2', '15/10/2025', 7)).toContain(
      'được gia hạn đại hội đến ngày 15/10/2025',
    );
  });

  it('a registered date passed: /lich while within the branch deadline, else ask for an extension', () => {
    const reg = { reported: false, registration: { date: '2025-09-28' } };
    expect(due('2025-09-29', reg)?.pastDeadline).toBeUndefined();
    expect(due('2025-10-01', reg)).toMatchObject({ kind: 'resultMissing', pastDeadline: true });
    const extended = { ...reg, registration: { date: '2025-10-10' }, extendedUntil: '2025-10-15' };
    expect(due('2025-10-12', extended)).toMatchObject({ kind: 'resultMissing', extendedUntil: '2025-10-15' });
    expect(due('2025-10-12', extended)?.pastDeadline).toBeUndefined();
  });
});
