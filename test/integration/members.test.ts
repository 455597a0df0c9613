/**
 * The member register against a real Redis, through the service the edges call: import (good,
 * bad rows, re-import), kết nạp, chuyển chính thức, chuyển sinh hoạt, closing, history and audit,
 * who may see what, the badge list (both ways of reading it agree), targets and phát triển.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from '../../src/domain/members/member.js';
import type { MemberOutcome, MemberRefusal } from '../../src/domain/members/refusal.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import type { OutboxQueue } from '../../src/outbox/outbox.js';
import type { Services } from '../../src/services/index.js';
import { MemberService } from '../../src/services/members/index.js';
import type { Viewer } from '../../src/services/organisation.js';
import { readAudit } from '../../src/store/audit.js';
import { packBadgeEntry } from '../../src/store/memberRecords.js';
import { MemberStore } from '../../src/store/members.js';
import { startServices } from '../support/services.js';

// T ─┬─ XA ─┬─ CB01, CB02
//    │      └─ BP1 ─── CB05
//    └─ XB ─── CB11
const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'T,Đảng bộ huyện Hòa An,Đảng bộ,,,0',
  'XA,Đảng bộ xã Tân Lập,Đảng bộ cơ sở,,T,0',
  'CB01,Chi bộ Thôn 1,Chi bộ,Thôn,XA,0',
  'CB02,=Chi bộ Thôn 2,Chi bộ,Thôn,XA,0',
  'BP1,Đảng bộ bộ phận 1,Đảng bộ bộ phận,,XA,0',
  'CB05,Chi bộ Khu 5,Chi bộ,,BP1,0',
  'XB,Đảng bộ xã Hòa Bình,Đảng bộ cơ sở,,T,0',
  'CB11,Chi bộ Thôn Hòa 1,Chi bộ,,XB,0',
].join('\n');

const HEADER_VI =
  'Mã chi bộ,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Ngày vào Đảng,Ngày chính thức,Số thẻ đảng viên,Số tháng gián đoạn';
/** Today is 10/09/2025: the next occasion is 07/11/2025, the one before 02/09/2025. */
const REGISTER = [
  HEADER_VI,
  'CB01,Nguyễn Văn An,01/01/1970,Nam,Kinh,01/10/1995,01/10/1996,1001,', // 30 years on 01/10/2025
  'CB01,Trần Thị Bình,01/01/1960,Nữ,Kinh,07/11/1985,07/11/1986,1002,', // 40 years on the occasion day
  'CB01,Lê Văn Cường,01/01/1960,Nam,Tày,02/09/1985,02/09/1986,1003,', // due at 02/09/2025 already
  'CB05,Phạm Văn Dũng,01/01/1950,Nam,Kinh,03/09/1975,03/09/1976,1004,', // 50 years on 03/09/2025
  'CB11,Hoàng Thị Én,01/01/1970,Nữ,Kinh,01/04/1995,01/04/1996,,6', // 30 years on 01/10/2025 after 6 months out
  'CB02,Đỗ Văn Giang,01/01/1970,Nam,Kinh,15/10/1995,15/10/1996,1006,', // due, but closed below
  'CB01,Vũ Thị Hạnh,01/01/2000,Nữ,Kinh,01/09/2024,,,', // probation ended 01/09/2025: overdue
  'CB02,Bùi Văn Khoa,01/01/2000,Nam,Kinh,20/10/2024,,1008,', // probation ends 20/10/2025: due
  'CB05,Ngô Thị Lan,01/01/2001,Nữ,Mường,19/05/2025,,,', // probation running
].join('\r\n');

const at = (isoDate: string) => Date.parse(`${isoDate}T03:00:00Z`);
const ADMIN: Viewer = { id: 900, roles: [{ kind: 'admin' }] };
const SEC1: Viewer = { id: 8001, roles: [{ kind: 'secretary', unit: 'CB01' }] };
const SEC2: Viewer = { id: 8002, roles: [{ kind: 'secretary', unit: 'CB02' }] };
const DEP5: Viewer = { id: 8005, roles: [{ kind: 'deputy', unit: 'CB05' }] };
const SEC11: Viewer = { id: 8011, roles: [{ kind: 'secretary', unit: 'CB11' }] };
const LEAD_XA: Viewer = { id: 8100, roles: [{ kind: 'leader', unit: 'XA' }] };
const NOBODY: Viewer = { id: 8300, roles: [] };

let redis: Redis;
let queue: OutboxQueue;
let services: Services;
let members: MemberService;
const clock = new ManualClock(at('2025-09-10'));

function value<T>(r: MemberOutcome<T>): T {
  if (!r.ok) throw new Error(msg.members.refusal(r.refusal));
  return r.value;
}
function refusal<T>(r: MemberOutcome<T>): MemberRefusal {
  if (r.ok) throw new Error('expected a refusal');
  return r.refusal;
}
async function byName(name: string): Promise<Member> {
  for (const code of ['CB01', 'CB02', 'CB05', 'CB11']) {
    const found = value(await members.branch('cli', code)).members.find((m) => m.fullName === name);
    if (found) return found;
  }
  throw new Error(`no member ${name}`);
}
const names = (list: readonly { fullName: string }[]) => list.map((m) => m.fullName);

beforeAll(async () => {
  const started = await startServices(clock, { ADMIN_IDS: String(ADMIN.id) });
  ({ services: services, redis, queue } = started);
  members = services.members;
  const imported = await services.org.importUnitsCsv('cli', TREE);
  if (!imported.ok) throw new Error(imported.text);
  for (const v of [SEC1, SEC2, DEP5, SEC11, LEAD_XA]) {
    for (const role of v.roles) await services.org.people.grantRole(v.id, role, 'test', clock.now());
  }
});

afterAll(async () => {
  await queue.close();
  await redis.quit();
});

describe('import', () => {
  it('imports a good file and keeps per-branch counts', async () => {
    expect(value(await members.importCsv('cli', Buffer.from(`\uFEFF${REGISTER}`)))).toEqual({
      rows: 9,
      created: 9,
      updated: 0,
      unchanged: 0,
      moved: 0,
    });
    const cb01 = value(await members.branch('cli', 'CB01'));
    // By given name: An, Bình, Cường, Hạnh.
    expect(names(cb01.members)).toEqual(['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Vũ Thị Hạnh']);
    expect(cb01.counts).toEqual({ official: 3, probationary: 1, total: 4 });
    expect(await members.branchCounts(['CB02', 'CB05', 'CB11', 'XA'])).toEqual(
      new Map([
        ['CB02', { official: 1, probationary: 1, total: 2 }],
        ['CB05', { official: 1, probationary: 1, total: 2 }],
        ['CB11', { official: 1, probationary: 0, total: 1 }],
        ['XA', { official: 0, probationary: 0, total: 0 }],
      ]),
    );
    const en = await byName('Hoàng Thị Én');
    expect(en).toMatchObject({
      branch: 'CB11',
      cardNumber: null,
      interruptedMonths: 6,
      joined: '1995-04-01',
    });
    const audit = await readAudit(redis, { subject: 'members' });
    expect(audit[0]).toMatchObject({ actor: 'cli', action: 'member.import', after: { rows: 9, created: 9 } });
  });

  it('refuses a file with bad rows, lists them all by line, and writes nothing', async () => {
    const before = await redis.dbsize();
    const bad = [
      'unit_code,full_name,birth_date,gender,ethnicity,joined,official_since',
      'CB01,Người Mới,01/01/1990,Nam,Kinh,01/01/2015,01/01/2016',
      'XA,Lê Văn Sai,01/01/1990,Nam,Kinh,01/01/2015,',
      'CB09,Lê Văn Sai,01/01/1990,Nam,Kinh,31/13/2015,',
    ].join('\n');
    const r = refusal(await members.importCsv('cli', bad));
    expect(r.reason === 'import_errors' && r.errors.map((e) => [e.line, e.problem])).toEqual([
      [3, 'not_branch'],
      [4, 'unknown_unit'],
      [4, 'invalid_date'],
    ]);
    const text = msg.members.refusal(r);
    expect(text.split('\n')[0]).toBe(
      'Tệp có 3 lỗi nên chưa nhập đảng viên nào. Đồng chí sửa các dòng dưới đây rồi gửi lại cả tệp:',
    );
    expect(text).toContain('• Dòng 3: «XA» không phải chi bộ.');
    expect(await redis.dbsize()).toBe(before);
    expect(value(await members.branch('cli', 'CB01')).counts.total).toBe(4);
  });

  it('re-imports: updates by card number, else by branch, name and birth date; moves and keeps history', async () => {
    const again = [
      'full_name,unit_code,birth_date,gender,ethnicity,joined,official_since,card_no,interrupted_months',
      // Same card, name corrected, now in CB02: updated and moved.
      'Nguyễn Văn Ân,CB02,01/01/1970,Nam,Kinh,01/10/1995,01/10/1996,1001,',
      // No card before: matched by name and birth date, card filled in.
      'hoàng thị  én,CB11,01/01/1970,Nữ,Kinh,01/04/1995,01/04/1996,1005,6',
      // Unchanged.
      'Trần Thị Bình,CB01,01/01/1960,Nữ,Kinh,07/11/1985,07/11/1986,1002,',
      // New.
      'Mai Văn Nam,CB11,01/01/1980,Nam,Kinh,01/01/2010,01/01/2011,,',
    ].join('\n');
    expect(value(await members.importCsv('cli', again))).toEqual({
      rows: 4,
      created: 1,
      updated: 2,
      unchanged: 1,
      moved: 1,
    });
    const an = await byName('Nguyễn Văn Ân');
    expect(an).toMatchObject({ branch: 'CB02', admittedBy: 'CB01' });
    expect(value(await members.branch('cli', 'CB01')).counts).toEqual({
      official: 2,
      probationary: 1,
      total: 3,
    });
    expect(value(await members.branch('cli', 'CB02')).counts).toEqual({
      official: 2,
      probationary: 1,
      total: 3,
    });
    const en = await byName('hoàng thị én');
    expect(en.cardNumber).toBe('1005');
    const history = value(await members.history('cli', an.id)).entries;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      action: 'import',
      actor: 'cli',
      before: { fullName: 'Nguyễn Văn An', branch: 'CB01' },
      after: { fullName: 'Nguyễn Văn Ân', branch: 'CB02' },
    });
    // Admissions stay with the branch that admitted.
    const store = new MemberStore(redis);
    expect(await store.admissions(['CB01', 'CB02', 'CB11'], 1995)).toEqual(
      new Map([
        ['CB01', 1],
        ['CB02', 1],
        ['CB11', 1],
      ]),
    );
  });

  it('refuses rows that contradict the register: a second row for a member, another card for the same person', async () => {
    const conflicting = [
      HEADER_VI,
      'CB01,Trần Thị Bình,01/01/1960,Nữ,Kinh,07/11/1985,07/11/1986,1002,',
      'CB01,Trần  Thị Bình,01/01/1960,Nữ,Kinh,07/11/1985,07/11/1986,,',
      'CB01,Lê Văn Cường,01/01/1960,Nam,Tày,02/09/1985,02/09/1986,9999,',
    ].join('\n');
    const r = refusal(await members.importCsv('cli', conflicting));
    // The file alone sees line 3 repeat line 2's person; the register sees line 4's other card.
    expect(r.reason === 'import_errors' && r.errors.map((e) => [e.line, e.problem])).toEqual([
      [3, 'duplicate_person'],
    ]);
    const r2 = refusal(
      await members.importCsv(
        'cli',
        [HEADER_VI, conflicting.split('\n')[3], conflicting.split('\n')[1]].join('\n'),
      ),
    );
    expect(r2.reason === 'import_errors' && r2.errors).toEqual([
      { line: 2, problem: 'card_conflict', value: '9999', card: '1003' },
    ]);
    expect(msg.members.refusal(r2)).toContain('số thẻ «1003», khác số thẻ «9999» trong tệp');
  });

  it('is for the office only', async () => {
    expect(refusal(await members.importCsv(SEC1, REGISTER))).toEqual({ reason: 'admin_only' });
    expect(refusal(await members.importCsv(NOBODY, REGISTER))).toEqual({ reason: 'no_access' });
  });
});

describe('changes', () => {
  it('admits a member (kết nạp): probationary, counted, its admission counted, history and audit kept', async () => {
    const r = value(
      await members.admit(SEC1, 'CB01', {
        fullName: 'Đinh Văn Quang',
        birthDate: '02/02/2000',
        gender: 'Nam',
        ethnicity: 'Kinh',
        joined: '01/08/2025',
        cardNumber: '2001',
      }),
    );
    expect(r.member).toMatchObject({ branch: 'CB01', officialSince: null, cardNumber: '2001' });
    expect(value(await members.branch(SEC1)).counts).toEqual({ official: 2, probationary: 2, total: 4 });
    expect((await new MemberStore(redis).admissions(['CB01'], 2025)).get('CB01')).toBe(1);
    expect(value(await members.history(SEC1, r.member.id)).entries).toMatchObject([
      { action: 'admit', actor: '8001', after: { fullName: 'Đinh Văn Quang' } },
    ]);
    expect(await readAudit(redis, { subject: `member:${r.member.id}` })).toMatchObject([
      { action: 'member.admit', actor: '8001' },
    ]);

    // The same card again, the same person again, a deputy elsewhere, bad fields.
    const again = {
      fullName: 'Khác',
      birthDate: '02/02/1999',
      gender: 'Nữ',
      ethnicity: 'Kinh',
      joined: '01/08/2025',
    };
    expect(refusal(await members.admit(DEP5, 'CB05', { ...again, cardNumber: '2001' }))).toMatchObject({
      reason: 'card_taken',
      other: { id: r.member.id },
    });
    expect(
      refusal(
        await members.admit(ADMIN, 'CB01', { ...again, fullName: 'đinh văn quang', birthDate: '02/02/2000' }),
      ),
    ).toMatchObject({ reason: 'duplicate_person' });
    expect(refusal(await members.admit(DEP5, 'CB01', again))).toMatchObject({ reason: 'not_allowed' });
    expect(refusal(await members.admit(LEAD_XA, 'CB01', again))).toMatchObject({ reason: 'not_allowed' });
    expect(refusal(await members.admit(ADMIN, 'XA', again))).toMatchObject({ reason: 'not_branch' });
    expect(refusal(await members.admit(DEP5, 'CB05', { ...again, gender: '' }))).toMatchObject({
      reason: 'invalid_member',
      problems: [{ field: 'gender', problem: 'missing' }],
    });
  });

  it('records chuyển chính thức when probation has ended, and only then', async () => {
    const hanh = await byName('Vũ Thị Hạnh');
    const lan = await byName('Ngô Thị Lan');
    expect(refusal(await members.makeOfficial(DEP5, lan.id))).toMatchObject({
      reason: 'bad_date',
      problem: 'probation_not_over',
      ends: '2026-05-19',
    });
    expect(refusal(await members.makeOfficial(SEC1, hanh.id, '31/08/2025'))).toMatchObject({
      problem: 'probation_not_over',
    });
    expect(value(await members.makeOfficial(SEC1, hanh.id)).member.officialSince).toBe('2025-09-01');
    expect(refusal(await members.makeOfficial(SEC1, hanh.id))).toMatchObject({
      reason: 'already_official',
      since: '2025-09-01',
    });
    expect(value(await members.branch(SEC1)).counts).toEqual({ official: 3, probationary: 1, total: 4 });
    // No longer waiting for chuyển chính thức.
    const dev = value(await members.development('cli', { unit: 'CB01' }));
    expect(names(dev.overdue.map((r) => r.member))).toEqual([]);
  });

  it('transfers a member (chuyển sinh hoạt) and names the receiving secretaries', async () => {
    const khoa = await byName('Bùi Văn Khoa');
    expect(refusal(await members.transfer(SEC1, khoa.id, 'CB11'))).toMatchObject({
      reason: 'unknown_member',
    });
    expect(refusal(await members.transfer(SEC2, khoa.id, 'CB02'))).toMatchObject({ reason: 'same_branch' });
    expect(refusal(await members.transfer(SEC2, khoa.id, 'BP1'))).toMatchObject({ reason: 'not_branch' });
    const r = value(await members.transfer(SEC2, khoa.id, 'CB11'));
    expect(r).toMatchObject({
      member: { branch: 'CB11', admittedBy: 'CB02' },
      from: { code: 'CB02' },
      to: { code: 'CB11', name: 'Chi bộ Thôn Hòa 1' },
      notify: [SEC11.id],
    });
    expect(value(await members.branch(SEC2)).counts).toEqual({ official: 2, probationary: 0, total: 2 });
    expect(value(await members.branch(SEC11)).counts).toEqual({ official: 2, probationary: 1, total: 3 });
    // The old branch no longer sees them; the new one does.
    expect(refusal(await members.member(SEC2, khoa.id))).toEqual({ reason: 'unknown_member', id: khoa.id });
    expect(value(await members.member(SEC11, khoa.id)).fullName).toBe('Bùi Văn Khoa');
    expect(value(await members.history('cli', khoa.id)).entries.map((e) => e.action)).toEqual(['transfer']);
  });

  it('closes a membership with a date and a reason; it leaves the counts and the lists', async () => {
    const giang = await byName('Đỗ Văn Giang');
    expect(refusal(await members.close(SEC2, giang.id, { kind: 'died', reason: 'x' }))).toMatchObject({
      reason: 'unknown_closing_kind',
    });
    expect(refusal(await members.close(SEC2, giang.id, { kind: 'deceased', reason: ' ' }))).toEqual({
      reason: 'bad_reason',
      problem: 'missing',
    });
    expect(
      refusal(
        await members.close(SEC2, giang.id, { kind: 'deceased', date: '01/01/1990', reason: 'Từ trần' }),
      ),
    ).toMatchObject({ reason: 'bad_date', problem: 'before_joined' });
    const r = value(
      await members.close(SEC2, giang.id, {
        kind: 'deceased',
        date: '05/09/2025',
        reason: 'Từ trần ngày 05/09/2025',
      }),
    );
    expect(r.member.closing).toEqual({
      kind: 'deceased',
      date: '2025-09-05',
      reason: 'Từ trần ngày 05/09/2025',
    });
    expect(value(await members.branch(SEC2)).counts).toEqual({ official: 1, probationary: 0, total: 1 });
    expect(names(value(await members.branch(SEC2)).members)).not.toContain('Đỗ Văn Giang');
    expect(refusal(await members.transfer(SEC2, giang.id, 'CB01'))).toMatchObject({
      reason: 'member_closed',
      kind: 'deceased',
    });
    // The closed membership is kept, and cannot come back by import.
    expect(await new MemberStore(redis).closedIn('CB02')).toMatchObject([{ id: giang.id }]);
    const r2 = refusal(
      await members.importCsv(
        'cli',
        `${HEADER_VI}\nCB02,Đỗ Văn Giang,01/01/1970,Nam,Kinh,15/10/1995,15/10/1996,1006,`,
      ),
    );
    expect(r2.reason === 'import_errors' && r2.errors[0]).toMatchObject({
      problem: 'closed_member',
      closing: { kind: 'deceased', date: '2025-09-05' },
    });
    expect(msg.members.refusal(r2)).toContain('đã ra khỏi danh sách (từ trần ngày 05/09/2025)');
    expect(await readAudit(redis, { subject: `member:${giang.id}` })).toMatchObject([
      { action: 'member.close', before: { closing: null }, after: { closing: { kind: 'deceased' } } },
    ]);
  });

  it('keeps the counts right under concurrent changes', async () => {
    const draft = (i: number) => ({
      fullName: `Người Thứ ${String.fromCharCode(65 + i)}`,
      birthDate: '01/01/1990',
      gender: 'Nam',
      ethnicity: 'Kinh',
      joined: '01/08/2025',
      cardNumber: i < 6 ? 'SAME-1' : undefined,
    });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => members.admit('cli', i % 2 ? 'CB05' : 'CB11', draft(i))),
    );
    // One card is given once; the six without a card all get in.
    expect(results.filter((r) => r.ok)).toHaveLength(7);
    const store = new MemberStore(redis);
    for (const code of ['CB05', 'CB11']) {
      const list = await store.branch(code);
      const counts = (await store.counts([code])).get(code);
      expect(counts).toEqual({
        official: list.filter((m) => m.officialSince).length,
        probationary: list.filter((m) => !m.officialSince).length,
      });
    }
  });
});

describe('who may see what', () => {
  it('gives a secretary their branch, a leader their subtree, an admin everything', async () => {
    expect(value(await members.branch(SEC1)).unit.code).toBe('CB01');
    expect(value(await members.branch(DEP5)).unit.code).toBe('CB05');
    expect(refusal(await members.branch(SEC1, 'CB02'))).toEqual({
      reason: 'not_allowed',
      unit: { code: 'CB02', name: '=Chi bộ Thôn 2' },
    });
    expect(value(await members.branch(LEAD_XA, 'CB05')).unit.code).toBe('CB05');
    expect(refusal(await members.branch(LEAD_XA, 'CB11'))).toMatchObject({ reason: 'not_allowed' });
    expect(refusal(await members.branch(LEAD_XA))).toMatchObject({ reason: 'not_branch' });
    expect(value(await members.branch(ADMIN, 'CB11')).unit.code).toBe('CB11');
    expect(refusal(await members.branch(NOBODY, 'CB01'))).toEqual({ reason: 'no_access' });
    expect(refusal(await members.branch(ADMIN, 'ZZ'))).toEqual({ reason: 'unknown_unit', code: 'ZZ' });
    const binh = await byName('Trần Thị Bình');
    expect(refusal(await members.member(SEC11, binh.id))).toEqual({ reason: 'unknown_member', id: binh.id });
    expect(refusal(await members.history(SEC11, binh.id))).toEqual({ reason: 'unknown_member', id: binh.id });
    expect(value(await members.member(LEAD_XA, binh.id)).id).toBe(binh.id);
    // A leader sees, but keeps no register.
    expect(refusal(await members.makeOfficial(LEAD_XA, binh.id))).toMatchObject({ reason: 'not_allowed' });
    expect(refusal(await members.badges(SEC1, { unit: 'XA' }))).toMatchObject({ reason: 'not_allowed' });
    expect(refusal(await members.development(NOBODY))).toEqual({ reason: 'no_access' });
  });
});

describe('Huy hiệu Đảng', () => {
  it('lists who is due at the next occasion, branch by branch, without closed members', async () => {
    const list = value(await members.badges('cli'));
    expect(list.occasion).toBe('2025-11-07');
    expect(list.rows.map((r) => [r.unit.code, r.member.fullName, r.milestone])).toEqual([
      ['CB05', 'Phạm Văn Dũng', 50],
      ['CB01', 'Trần Thị Bình', 40],
      ['CB02', 'Nguyễn Văn Ân', 30],
      ['CB11', 'hoàng thị én', 30],
    ]);
    expect(list.rows[0]?.parent).toEqual({ code: 'BP1', name: 'Đảng bộ bộ phận 1' });
    const at0209 = value(await members.badges(ADMIN, { occasion: '02/09/2025' }));
    expect(at0209.rows.map((r) => [r.member.fullName, r.milestone])).toEqual([['Lê Văn Cường', 40]]);
  });

  it('gives the same list from the anchor index as from reading every branch', async () => {
    const indexed = new MemberService({
      org: services.org,
      store: new MemberStore(redis),
      clock,
      timezone: 'Asia/Ho_Chi_Minh',
      badgeScanLimit: 0,
    });
    for (const occasion of ['07/11/2025', '02/09/2025', '19/05/2025', '03/02/2026']) {
      for (const unit of [undefined, 'XA', 'BP1', 'CB01']) {
        const a = value(await members.badges('cli', { occasion, unit }));
        const b = value(await indexed.badges('cli', { occasion, unit }));
        expect(b.rows.map((r) => r.member.id)).toEqual(a.rows.map((r) => r.member.id));
      }
    }
    expect(value(await indexed.badges('cli')).rows).toHaveLength(4);
  });

  it('keeps to the asker’s scope, and refuses a day that is no occasion', async () => {
    expect(names(value(await members.badges(SEC1)).rows.map((r) => r.member))).toEqual(['Trần Thị Bình']);
    expect(value(await members.badges(LEAD_XA)).rows).toHaveLength(3);
    expect(refusal(await members.badges(ADMIN, { occasion: '03/09/2025' }))).toEqual({
      reason: 'not_occasion',
      text: '03/09/2025',
      next: '2025-11-07',
    });
    expect(msg.members.refusal(refusal(await members.badges(ADMIN, { occasion: 'mai' })))).toBe(
      '«mai» không phải ngày. Đồng chí ghi dịp trao Huy hiệu Đảng theo dạng DD/MM/YYYY, ví dụ 02/09/2026.',
    );
  });
});

describe('phát triển đảng viên', () => {
  it('sets targets (office only) and checks them', async () => {
    expect(value(await members.setTarget('cli', { unit: 'BP1', year: '2025', newMembers: '3' }))).toEqual({
      unit: { code: 'BP1', name: 'Đảng bộ bộ phận 1' },
      year: 2025,
      target: 3,
    });
    value(await members.setTarget(ADMIN, { unit: 'CB01', year: '2025', newMembers: '2' }));
    value(await members.setTarget(ADMIN, { unit: 'XA', year: '2025', newMembers: '1.000' }));
    expect(refusal(await members.setTarget(LEAD_XA, { unit: 'XA', year: '2025', newMembers: '2' }))).toEqual({
      reason: 'admin_only',
    });
    expect(
      refusal(await members.setTarget('cli', { unit: 'XA', year: '25', newMembers: '2' })),
    ).toMatchObject({
      reason: 'invalid_year',
    });
    expect(
      refusal(await members.setTarget('cli', { unit: 'XA', year: '2025', newMembers: '-2' })),
    ).toMatchObject({
      reason: 'invalid_target',
    });
    expect(
      refusal(await members.setTarget('cli', { unit: 'ZZ', year: '2025', newMembers: '2' })),
    ).toMatchObject({
      reason: 'unknown_unit',
    });
    expect(await readAudit(redis, { subject: 'unit:XA/year:2025' })).toMatchObject([
      { action: 'member.target', after: 1000 },
    ]);
  });

  it('shows admissions against targets per child unit, and probation due and overdue', async () => {
    // Admitted in 2025: Ngô Thị Lan (CB05, import), Đinh Văn Quang (CB01), and the seven of the
    // concurrency test (CB05 and CB11).
    const dev = value(await members.development(LEAD_XA));
    expect(dev.scope.code).toBe('XA');
    expect(dev.year).toBe(2025);
    expect(dev.target).toBe(1000);
    expect(dev.children.map((c) => [c.unit.code, c.target, c.admitted])).toEqual([
      ['BP1', 3, 1 + (await countAdmitted('CB05'))],
      ['CB01', 2, 1],
      ['CB02', undefined, 0],
    ]);
    expect(dev.admitted).toBe(dev.children.reduce((n, c) => n + c.admitted, 0));
    const all = value(await members.development('cli', { year: '2025' }));
    expect(names(all.due.map((r) => r.member))).toEqual(['Bùi Văn Khoa']);
    expect(all.due[0]).toMatchObject({ ends: '2025-10-20', unit: { code: 'CB11' } });
    expect(all.overdue).toEqual([]);
    clock.set(at('2025-10-21'));
    const later = value(await members.development('cli'));
    expect(later.overdue.map((r) => [r.member.fullName, r.ends])).toEqual([['Bùi Văn Khoa', '2025-10-20']]);
    clock.set(at('2025-09-10'));
    // Vũ Thị Hạnh (CB01) and Bùi Văn Khoa, admitted by CB02 before moving to XB's CB11.
    expect(value(await members.development('cli', { unit: 'XA', year: '2024' })).admitted).toBe(2);
    expect(value(await members.development('cli', { unit: 'XB', year: '2024' })).admitted).toBe(0);
    expect(refusal(await members.development('cli', { year: '1900' }))).toMatchObject({
      reason: 'invalid_year',
    });
  });
});

/** Members admitted in 2025 by the concurrency test into a branch (they joined 01/08/2025). */
async function countAdmitted(branch: string): Promise<number> {
  return (await new MemberStore(redis).branch(branch)).filter((m) => m.fullName.startsWith('Người Thứ'))
    .length;
}

describe('re-import after changes', () => {
  it('moves an admission between years at the branch that admitted, without touching its counts', async () => {
    const store = new MemberStore(redis);
    const an = await byName('Nguyễn Văn Ân'); // admitted by CB01 in 1995, now in CB02
    const cb01 = (await store.counts(['CB01'])).get('CB01');
    const row = 'CB02,Nguyễn Văn Ân,01/01/1970,Nam,Kinh,01/10/1996,01/10/1997,1001,';
    expect(value(await members.importCsv('cli', `${HEADER_VI}\n${row}`))).toMatchObject({
      updated: 1,
      moved: 0,
    });
    expect(await store.admissions(['CB01'], 1995)).toEqual(new Map([['CB01', 0]]));
    expect(await store.admissions(['CB01', 'CB02'], 1996)).toEqual(
      new Map([
        ['CB01', 1],
        ['CB02', 0],
      ]),
    );
    expect((await store.counts(['CB01'])).get('CB01')).toEqual(cb01);
    expect((await store.get(an.id))?.joined).toBe('1996-10-01');
  });

  it('keeps counters right when an import and single changes run at once', async () => {
    const rows = Array.from(
      { length: 40 },
      (_, i) =>
        `CB05,Đảng Viên Số ${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))},01/01/1980,Nam,Kinh,01/01/2010,01/01/2011,,`,
    );
    const [imported, ...admitted] = await Promise.all([
      members.importCsv('cli', [HEADER_VI, ...rows].join('\n')),
      ...Array.from({ length: 5 }, (_, i) =>
        members.admit(DEP5, 'CB05', {
          fullName: `Người Kết Nạp ${String.fromCharCode(65 + i)}`,
          birthDate: '01/01/1995',
          gender: 'Nữ',
          ethnicity: 'Kinh',
          joined: '01/07/2025',
        }),
      ),
    ]);
    expect(imported?.ok).toBe(true);
    expect(admitted.every((r) => r.ok)).toBe(true);
    const store = new MemberStore(redis);
    const list = await store.branch('CB05');
    expect((await store.counts(['CB05'])).get('CB05')).toEqual({
      official: list.filter((m) => m.officialSince).length,
      probationary: list.filter((m) => !m.officialSince).length,
    });
    expect((await store.admissions(['CB05'], 2010)).get('CB05')).toBe(40);
  });
});

describe('the indexes', () => {
  it('hold exactly one badge entry per active member, and the probationary ones, after all of the above', async () => {
    const store = new MemberStore(redis);
    const active = (await Promise.all(['CB01', 'CB02', 'CB05', 'CB11'].map((b) => store.branch(b)))).flat();
    const entries: string[] = [];
    for (const key of await redis.keys('cb:reg:anchor:*')) entries.push(...(await redis.lrange(key, 0, -1)));
    expect(entries.sort()).toEqual(active.map((m) => packBadgeEntry(m)).sort());
    const probation = (await redis.zrange('cb:reg:probation', 0, -1)).map(Number).sort((a, b) => a - b);
    expect(probation).toEqual(
      active
        .filter((m) => !m.officialSince)
        .map((m) => m.id)
        .sort((a, b) => a - b),
    );
  });
});
