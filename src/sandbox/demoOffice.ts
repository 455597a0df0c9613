/**
 * The demo ward's office work: the leaders' recorded names and titles (both record chuẩn y),
 * decisions recorded on three results, attendees assigned to the coming congresses, and a
 * preparation item ticked. Goes in through the stores, like the rest of the demo.
 */
import type { Redis } from 'ioredis';
import { DEFAULT_CHECKLISTS } from '../domain/congress/checklist.js';
import { addDays, type IsoDate } from '../domain/vn.js';
import { CongressStore } from '../store/congress.js';
import { PeopleStore } from '../store/people.js';

export async function loadOfficeDemo(
  redis: Redis,
  opts: { campaignId: string; root: string; today: IsoDate; now: number },
): Promise<void> {
  const { campaignId, root, today, now } = opts;
  const people = new PeopleStore(redis, { adminIds: [] });
  await people.setIdentity(
    1002,
    { fullName: 'Nguyễn Văn Hùng', title: 'Bí thư Đảng ủy phường', approver: true },
    'demo',
    now,
  );
  await people.setIdentity(
    1003,
    { fullName: 'Trần Thị Mai', title: 'Phó Bí thư Thường trực Đảng ủy phường', approver: true },
    'demo',
    now,
  );
  await people.setIdentity(
    1101,
    { fullName: 'Lê Văn Bình', title: 'Bí thư Chi bộ Tổ dân phố 1' },
    'demo',
    now,
  );

  const congress = new CongressStore(redis);
  const ancestors = [root];
  // Chuẩn y by quyết định of the pilot and two more; the others wait for theirs.
  const decisions: [string, string, number][] = [
    ['TDP03', '101-QĐ/ĐU', -15],
    ['TDP06', '108-QĐ/ĐU', -3],
    ['TDP07', '109-QĐ/ĐU', -2],
  ];
  for (const [branch, number, days] of decisions) {
    const record = await congress.getReport(campaignId, branch);
    if (!record) continue;
    const date = addDays(today, days) < record.report.date ? record.report.date : addDays(today, days);
    await congress.approve({
      campaignId,
      branch,
      ancestors,
      actor: '1002',
      now,
      version: record.version,
      decision: { number, date },
    });
  }
  // Who attends the coming congresses; one branch has ticked its first preparation item.
  for (const [branch, person] of [
    ['TDP02', 1003],
    ['TH', 1002],
    ['MT', 1003],
  ] as const) {
    if (await congress.getRegistration(campaignId, branch))
      await congress.office.assign(campaignId, branch, person, 'demo', now);
  }
  await congress.office.setTick({
    campaignId,
    branch: 'TDP02',
    kind: 'preparation',
    item: DEFAULT_CHECKLISTS.preparation[0]!,
    ticked: true,
    items: DEFAULT_CHECKLISTS.preparation,
    actor: 'demo',
    now,
  });
}
