/**
 * The office's work around a congress, through the services and the CLI against a real Redis:
 * preparation and follow-up checklists (/chuanbi, `campaign checklist`), what /tiendo lists,
 * the daily reminders, attendees (`campaign assign`, /phancong, /lichdaihoi) and pilot flags.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPlainText } from '../../src/chat/markup.js';
import type { Reply } from '../../src/chat/reply.js';
import { campaignCli } from '../../src/cli/campaign.js';
import type { CliContext } from '../../src/cli/context.js';
import type { Campaign } from '../../src/domain/congress/campaign.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import type { OutboxQueue } from '../../src/outbox/outbox.js';
import { congressActions } from '../../src/services/congress/actions.js';
import type { Session } from '../../src/services/dialogs.js';
import type { Services } from '../../src/services/index.js';
import type { Viewer } from '../../src/services/organisation.js';
import { congressReport } from '../support/congressReports.js';
import { startServices } from '../support/services.js';

const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'Q,Đảng bộ quận Long Biên,Đảng bộ,,,0',
  'VH,Đảng bộ phường Việt Hưng,Đảng bộ cơ sở,,Q,60',
  'CB01,Chi bộ Tổ dân phố 1,Chi bộ,Tổ dân phố,VH,30',
  'CB02,Chi bộ Tổ dân phố 2,Chi bộ,Tổ dân phố,VH,30',
  'CB03,Chi bộ Tổ dân phố 3,Chi bộ,Tổ dân phố,VH,30',
  'GT,Đảng bộ phường Gia Thụy,Đảng bộ cơ sở,,Q,30',
  'CB11,Chi bộ Tổ dân phố 11,Chi bộ,Tổ dân phố,GT,30',
].join('\n');

const ADMIN: Viewer = { id: 1, roles: [{ kind: 'admin' }] };
const SEC1: Viewer = { id: 11, roles: [{ kind: 'secretary', unit: 'CB01' }] };
const SEC2: Viewer = { id: 12, roles: [{ kind: 'secretary', unit: 'CB02' }] };
const LEAD: Viewer = { id: 21, roles: [{ kind: 'leader', unit: 'VH' }] };
const at = (date: string) => Date.parse(`${date}T03:00:00Z`);

let redis: Redis;
let queue: OutboxQueue;
let s: Services;
let campaign: Campaign;
const clock = new ManualClock(at('2025-09-05'));
const lines = { out: [] as string[], err: [] as string[] };
const ctx = (): CliContext => ({ services: s, out: (l) => lines.out.push(l), err: (l) => lines.err.push(l) });
const clear = () => {
  lines.out.length = 0;
  lines.err.length = 0;
};
const session = (viewer: Viewer): Session => ({ viewer, chat: viewer.id, dialog: undefined });
const text = (replies: Reply[]) => replies.map((r) => toPlainText(r.text)).join('\n');
const tiendo = async (viewer: Viewer, code?: string) => text(await s.congress.tiendo(viewer, code ?? ''));

beforeAll(async () => {
  const started = await startServices(clock);
  ({ services: s, redis, queue } = started);
  expect((await s.org.importUnitsCsv('cli', TREE)).ok).toBe(true);
  for (const v of [SEC1, SEC2, LEAD]) {
    const role = v.roles[0]!;
    if (role.kind !== 'admin') await s.org.people.grantRole(v.id, role, 'test', clock.now());
    await s.org.people.upsertProfile(v.id, { first_name: `Người ${v.id}` });
  }
  await s.org.setIdentity('cli', LEAD.id, { name: 'Nguyễn Văn Hùng', title: 'Bí thư Đảng ủy phường' });
  const r = await s.congress.createCampaign('cli', {
    name: 'Đại hội chi bộ nhiệm kỳ 2025 – 2027',
    term: '2025-2027',
    scope: 'Q',
    opens: '01/09/2025',
    deadline: '30/09/2025',
    pilots: ['CB03'],
  });
  if (!r.ok) throw new Error(r.errors.join('; '));
  campaign = r.campaign;
});

afterAll(async () => {
  await queue.close();
  await redis.quit();
});

describe('preparation before the congress', () => {
  it('shows the default list, ticks by number, and lists open items in /tiendo for the next 7 days', async () => {
    expect((await s.congress.registerDate(SEC1, await target(SEC1), '10/09/2025 19:30')).ok).toBe(true);
    const first = text(await s.congress.chuanbi(session(SEC1), ''));
    expect(first).toContain('Chuẩn bị đại hội Chi bộ Tổ dân phố 1');
    expect(first).toContain('☐ 1. Dự thảo báo cáo chính trị đã gửi cấp ủy cấp trên');
    expect(first).toContain('☐ 2. Đề án nhân sự đã được cấp ủy cấp trên cho ý kiến');

    const progress = await tiendo(LEAD, 'VH');
    expect(progress).toContain(msg.congressOffice.checklist.preparationOpen(1));
    expect(progress).toContain('• Chi bộ Tổ dân phố 1 (19:30 10/09/2025): còn «Dự thảo báo cáo chính trị');

    const ticked = text(await s.congress.chuanbi(session(SEC1), '1'));
    expect(ticked).toContain('☑ 1. Dự thảo báo cáo chính trị');
    expect(text(await s.congress.chuanbi(session(SEC1), '7'))).toBe(
      msg.congressOffice.checklist.badIndex('7', 2),
    );
    expect(text(await s.congress.chuanbi(session(LEAD), ''))).toBe(msg.congress.chat.secretaryOnly);
  });

  it('sets an item to what its button offered; a second press changes nothing and is not drawn again', async () => {
    const button = (replies: Reply[], n: number) => {
      const found = replies[0]!.actions!.flat().find((a) => a.label.includes(` ${n}. `))!;
      return congressActions.unpack(found.value)!;
    };
    const list = await s.congress.chuanbi(session(SEC1), '');
    const tick2 = button(list, 2);
    const first = await s.congress.act(session(SEC1), tick2);
    const drawn = first.pressed as { replace: Reply };
    expect(toPlainText(drawn.replace.text)).toContain('☑ 2. Đề án nhân sự');
    // The same press again (a double tap, or the older copy of the list): a note, no edit.
    const again = await s.congress.act(session(SEC1), tick2);
    expect(again).toEqual({ replies: [], toast: msg.congressOffice.checklist.alreadySet });
    // The redrawn list offers the opposite: untick, as before this test.
    const untick = await s.congress.act(session(SEC1), button([drawn.replace], 2));
    expect(toPlainText((untick.pressed as { replace: Reply }).replace.text)).toContain('☐ 2. Đề án nhân sự');
  });

  it('reminds the secretary 7 and 3 days before while items are open, once per day', async () => {
    clock.set(at('2025-09-03'));
    expect((await s.congress.runOfficeReminders(clock.now())).queued).toBe(1);
    clock.set(at('2025-09-07'));
    expect((await s.congress.runOfficeReminders(clock.now())).queued).toBe(1);
    await s.congress.chuanbi(session(SEC1), '2');
    expect((await s.congress.runOfficeReminders(clock.now())).queued).toBe(0);
    expect(await tiendo(LEAD, 'VH')).not.toContain('còn việc chuẩn bị');
  });

  it('lets the office change the lists of a round, refusing a bad one whole', async () => {
    clear();
    const bad = ['checklist', '--campaign', campaign.id, '--preparation', ' ; ', '--follow-up-days', '0'];
    expect(await campaignCli.run(bad, ctx())).toBe(1);
    expect(lines.err).toHaveLength(2);
    clear();
    const good = [
      'checklist',
      '--campaign',
      campaign.id,
      '--follow-up',
      'Chương trình hành động; Quy chế làm việc',
      '--follow-up-days',
      '20',
    ];
    expect(await campaignCli.run(good, ctx())).toBe(0);
    expect(lines.out[0]).toBe(msg.congressOffice.checklist.saved(2, 2, 20));
  });
});

describe('after the congress', () => {
  it('switches to the follow-up list, due N days after the congress, overdue in /tiendo until ticked', async () => {
    clock.set(at('2025-09-11'));
    const saved = await s.congress.saveReport(
      SEC1,
      campaign.id,
      'CB01',
      congressReport({ date: '2025-09-10' }),
    );
    expect(saved.ok).toBe(true);
    const list = text(await s.congress.chuanbi(session(SEC1), ''));
    expect(list).toContain('Việc sau đại hội Chi bộ Tổ dân phố 1');
    expect(list).toContain('Hạn hoàn thành: 30/09/2025.');
    expect(list).toContain('☐ 2. Quy chế làm việc');

    clock.set(at('2025-09-23'));
    expect((await s.congress.runOfficeReminders(clock.now())).queued).toBe(1);
    clock.set(at('2025-10-02'));
    const overdue = await tiendo(LEAD, 'VH');
    expect(overdue).toContain(msg.congressOffice.checklist.followUpOverdue(1));
    expect(overdue).toContain('• Chi bộ Tổ dân phố 1: hạn 30/09/2025, còn 2 việc');
    await s.congress.chuanbi(session(SEC1), '1 2');
    expect(await tiendo(LEAD, 'VH')).not.toContain('Quá hạn việc sau đại hội');
    clock.set(at('2025-09-11'));
  });
});

describe('who attends', () => {
  it('assigns from the server and from /phancong, lists the next 14 days, and reminds the attendee the day before', async () => {
    clock.set(at('2025-09-05'));
    expect((await s.congress.registerDate(SEC2, await target(SEC2), '12/09/2025')).ok).toBe(true);
    clear();
    expect(await campaignCli.run(['assign', '--unit', 'CB02', '--person', String(LEAD.id)], ctx())).toBe(0);
    expect(lines.out[0]).toBe(
      msg.congressOffice.attendance.assigned('Nguyễn Văn Hùng', 'Chi bộ Tổ dân phố 2'),
    );
    clear();
    expect(await campaignCli.run(['assign', '--unit', 'CB02', '--person', '999'], ctx())).toBe(1);
    expect(lines.err[0]).toBe(msg.people.unknownPerson(999));

    const buttons = await s.congress.phancong(LEAD, 'CB02');
    expect(buttons[0]?.actions?.flat().map((a) => a.label)).toEqual(['Nguyễn Văn Hùng']);
    expect(text(await s.congress.phancong(SEC1, 'CB02'))).toBe(msg.congressOffice.attendance.notAllowed);
    const forged = await s.congress.assignAttendee(LEAD, 'CB02', SEC1.id);
    expect(forged).toEqual({ ok: false, text: msg.congressOffice.attendance.notCandidate(SEC1.id) });

    const calendar = text(await s.congress.lichdaihoi(LEAD));
    expect(calendar).toContain('• 12/09/2025 – Chi bộ Tổ dân phố 2 – dự: Nguyễn Văn Hùng');
    expect(calendar).toContain(msg.congressOffice.attendance.mine);
    expect(calendar).toContain('• 12/09/2025 – Chi bộ Tổ dân phố 2');
    expect(text(await s.congress.lichdaihoi(SEC1))).toBe(msg.congressOffice.attendance.noAccess);

    clock.set(at('2025-09-11'));
    // The attendee the day before, and CB02's preparation reminder is not due today.
    expect((await s.congress.runOfficeReminders(clock.now())).queued).toBe(1);
  });
});

describe('pilot congresses', () => {
  it('flags a grassroots committee without a pilot, and branches registered before the pilot', async () => {
    clock.set(at('2025-09-05'));
    const early = await tiendo(ADMIN, 'Q');
    expect(early).toContain(msg.congressOffice.pilot.none('Đảng bộ phường Gia Thụy'));
    expect(early).toContain(
      msg.congressOffice.pilot.notScheduled('Đảng bộ phường Việt Hưng', 'Chi bộ Tổ dân phố 3', 1),
    );
    const sec3: Viewer = { id: 13, roles: [{ kind: 'secretary', unit: 'CB03' }] };
    await s.org.people.grantRole(sec3.id, sec3.roles[0]!, 'test', clock.now());
    expect((await s.congress.registerDate(sec3, await target(sec3), '20/09/2025')).ok).toBe(true);
    const later = await tiendo(ADMIN, 'Q');
    expect(later).toContain(
      msg.congressOffice.pilot.before('Đảng bộ phường Việt Hưng', 'Chi bộ Tổ dân phố 3', '20/09/2025', 1),
    );
  });
});

async function target(v: Viewer) {
  const r = await s.congress.branchTarget(v);
  if (r.kind !== 'ok') throw new Error(`no target: ${r.kind}`);
  return r.target;
}
