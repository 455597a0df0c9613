/**
 * The access matrix: every chat command as every kind of person, through the emulator. Each
 * answer is either one of the catalogue's refusals or the command doing its work, and which one
 * must match who the person is. Scope checks (a leader outside their subtree, a secretary for
 * another branch) follow the matrix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import { startTestBot, type TestBot } from '../support/app.js';
import { seedCampaign } from '../support/campaign.js';

const TREE = [
  'code,name,level,kind,parent,members',
  'XA,Đảng bộ xã A,dang_bo_co_so,,,100',
  'BP1,Đảng bộ bộ phận 1,dang_bo_bo_phan,,XA,50',
  'CB1,Chi bộ Thôn 1,chi_bo,thon,BP1,25',
  'CB2,Chi bộ Thôn 2,chi_bo,thon,BP1,25',
  'CB3,Chi bộ Trường học,chi_bo,truong_hoc,XA,20',
].join('\n');

type Role = 'unbound' | 'secretary' | 'deputy' | 'leader' | 'admin';
const PEOPLE: Record<Role, { id: number; first_name: string }> = {
  unbound: { id: 8801, first_name: 'Chưa mời' },
  secretary: { id: 8802, first_name: 'Bí thư' },
  deputy: { id: 8803, first_name: 'Phó bí thư' },
  leader: { id: 8804, first_name: 'Lãnh đạo' },
  admin: { id: 8805, first_name: 'Quản trị' },
};
const ROLES = Object.keys(PEOPLE) as Role[];

/** Every answer that means "not for you". */
const REFUSALS = new Set<string>([
  msg.units.noAccess,
  msg.units.adminOnly,
  msg.congress.chat.secretaryOnly,
  msg.congress.chat.leaderOnly,
  msg.meetings.access.reportersOnly,
  msg.exports.chat.leaderOnly,
  msg.reminders.tomtat.leaderOnly,
  msg.congressOffice.attendance.noAccess,
  msg.congressOffice.attendance.notAllowed,
  msg.congressOffice.decision.notApprover,
  msg.congressOffice.decision.notInScope('Chi bộ Thôn 2'),
]);

/** Who may use each command (in a private chat). */
const MATRIX: { command: string; allowed: Role[] }[] = [
  { command: '/help', allowed: ['unbound', 'secretary', 'deputy', 'leader', 'admin'] },
  { command: '/lich 10/09/2025 19:30', allowed: ['secretary', 'deputy'] },
  { command: '/daihoi', allowed: ['secretary', 'deputy'] },
  { command: '/sinhhoat', allowed: ['secretary', 'deputy'] },
  { command: '/vanban', allowed: ['secretary', 'deputy', 'leader', 'admin'] },
  { command: '/chuanbi', allowed: ['secretary', 'deputy'] },
  { command: '/lichdaihoi', allowed: ['leader', 'admin'] },
  { command: '/phancong CB2', allowed: ['leader', 'admin'] },
  // The leader was not invited as an approver: only the office records decisions here.
  { command: '/chuany CB2 1-QĐ/ĐU 04/09/2025', allowed: ['admin'] },
  { command: '/tiendo', allowed: ['leader', 'admin'] },
  // Secretaries see their own branch's month; leaders their subtree.
  { command: '/sinhhoat_tiendo', allowed: ['secretary', 'deputy', 'leader', 'admin'] },
  { command: '/xuat', allowed: ['leader', 'admin'] },
  { command: '/tomtat', allowed: ['leader', 'admin'] },
  { command: '/canbo', allowed: ['admin'] },
  { command: '/moi CB2 bithu', allowed: ['admin'] },
  { command: '/dotdaihoi', allowed: ['admin'] },
  { command: '/thongbao', allowed: ['admin'] },
  { command: '/thongbao_tinhtrang', allowed: ['admin'] },
  { command: '/lichgui', allowed: ['admin'] },
  { command: '/caidat_sinhhoat', allowed: ['admin'] },
];

describe('the access matrix', () => {
  let bot: TestBot;
  const clock = new ManualClock(Date.parse('2025-09-05T02:00:00Z'));

  async function answer(role: Role, text: string): Promise<string> {
    const user = PEOPLE[role];
    const before = bot.emulator.botMessages(user.id).at(-1)?.message_id ?? 0;
    bot.emulator.sendText(user.id, text);
    const reply = await bot.emulator.waitForBotMessage(user.id, (m) => m.message_id > before && !m.edited);
    // Leave no dialog open for the next command.
    bot.emulator.sendText(user.id, '/huy');
    await bot.emulator.waitForBotMessage(
      user.id,
      (m) => m.message_id > reply.message_id && m.text === msg.common.cancelled,
    );
    return reply.text ?? '';
  }

  beforeAll(async () => {
    bot = await startTestBot({ clock, env: { ADMIN_IDS: String(PEOPLE.admin.id) } });
    for (const p of Object.values(PEOPLE)) bot.emulator.addUser(p);
    const s = bot.app.services;
    expect((await s.org.importUnitsCsv('cli', TREE)).ok).toBe(true);
    const now = clock.now();
    await s.org.people.grantRole(PEOPLE.secretary.id, { kind: 'secretary', unit: 'CB1' }, 'test', now);
    await s.org.people.grantRole(PEOPLE.deputy.id, { kind: 'deputy', unit: 'CB1' }, 'test', now);
    await s.org.people.grantRole(PEOPLE.leader.id, { kind: 'leader', unit: 'BP1' }, 'test', now);
    await seedCampaign(s.congress, { scope: 'XA' });
  });
  afterAll(() => bot.stop());

  it('gives each command to exactly the people it is for, and a clear refusal to everyone else', async () => {
    const wrong: string[] = [];
    for (const { command, allowed } of MATRIX) {
      for (const role of ROLES) {
        const text = await answer(role, command);
        const refused = REFUSALS.has(text);
        if (refused === allowed.includes(role)) {
          wrong.push(`${command} as ${role}: ${refused ? 'refused' : 'allowed'} — ${text.slice(0, 120)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('keeps a leader inside their subtree and a secretary to their own branch', async () => {
    expect(await answer('leader', '/tiendo CB3')).toBe(msg.units.noAccessToUnit('Chi bộ Trường học'));
    expect(await answer('leader', '/tiendo CB2')).toContain('Chi bộ Thôn 2');
    expect(await answer('leader', '/sinhhoat_tiendo')).toContain('Đảng bộ bộ phận 1');
    expect(await answer('leader', '/sinhhoat_tiendo')).not.toContain('Chi bộ Trường học');
    // A secretary's views and reports are their own branch's.
    const own = await answer('secretary', '/sinhhoat_tiendo');
    expect(own).toContain('Chi bộ Thôn 1');
    expect(own).not.toContain('Chi bộ Thôn 2');
    expect(await answer('secretary', '/daihoi')).toContain('Chi bộ Thôn 1');
    await answer('secretary', '/lich 12/09/2025 19:30');
    const congress = bot.app.services.congress;
    const [round] = await congress.campaignList();
    expect((await congress.registration(round!.campaign.id, 'CB1'))?.date).toBe('2025-09-12');
    expect(await congress.registration(round!.campaign.id, 'CB2')).toBeUndefined();
  });

  it('refuses a unit file and the leaders’ group registration to anyone but an admin', async () => {
    for (const role of ['secretary', 'leader'] as const) {
      bot.emulator.sendDocument(PEOPLE[role].id, {
        name: 'x.csv',
        content: Buffer.from(TREE),
        mime: 'text/csv',
      });
      const reply = await bot.emulator.waitForBotMessage(PEOPLE[role].id, (m) => (m.text ?? '').length > 0);
      expect(reply.text).toBe(msg.people.fileNotForYou);
    }
    expect(await answer('admin', '/nhomlanhdao')).toBe(msg.reminders.group.groupOnly);
  });
});
