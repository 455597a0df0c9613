/**
 * People by name and title from the server: `invites create --name --title --approver` records
 * them on whoever redeems the link, `people set` changes them, and /canbo marks a Telegram name
 * as unverified.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { directiveCli } from '../../src/cli/directive.js';
import { invitesCli } from '../../src/cli/invites.js';
import { peopleCli } from '../../src/cli/people.js';
import { ManualClock } from '../../src/infra/clock.js';
import { msg } from '../../src/messages/index.js';
import type { OutboxQueue } from '../../src/outbox/outbox.js';
import type { Services } from '../../src/services/index.js';
import { startServices } from '../support/services.js';

const TREE = [
  'Mã,Tên,Cấp,Loại,Mã cấp trên,Số đảng viên',
  'VH,Đảng bộ phường Việt Hưng,Đảng bộ cơ sở,,,0',
  'CB01,Chi bộ Tổ dân phố 1,Chi bộ,Tổ dân phố,VH,0',
].join('\n');

let redis: Redis;
let queue: OutboxQueue;
let services: Services;
const clock = new ManualClock(Date.parse('2025-09-01T03:00:00Z'));
const lines = { out: [] as string[], err: [] as string[] };
const ctx = (): CliContext => ({ services, out: (l) => lines.out.push(l), err: (l) => lines.err.push(l) });
const clear = () => {
  lines.out.length = 0;
  lines.err.length = 0;
};
const codeOf = (csvLine: string | undefined) => /start=([A-Za-z0-9_-]+)/.exec(csvLine ?? '')?.[1] ?? '';

beforeAll(async () => {
  const started = await startServices(clock);
  ({ services: services, redis, queue } = started);
  const imported = await services.org.importUnitsCsv('cli', TREE);
  if (!imported.ok) throw new Error(imported.text);
});

afterAll(async () => {
  await queue.close();
  await redis.quit();
});

describe('invites create with a name and a title', () => {
  it('records the name, title and approver mark on the person who redeems the link', async () => {
    clear();
    const args = ['create', '--unit', 'VH', '--role', 'leader', '--name', 'Nguyễn Văn Hùng'];
    expect(await invitesCli.run([...args, '--title', 'Bí thư Đảng ủy phường', '--approver'], ctx())).toBe(0);
    const r = await services.org.redeemInvite(codeOf(lines.out[0]), 501, { first_name: 'Hùng' });
    expect(r.ok).toBe(true);
    expect(await services.org.person(501)).toMatchObject({
      fullName: 'Nguyễn Văn Hùng',
      title: 'Bí thư Đảng ủy phường',
      approver: true,
      firstName: 'Hùng',
    });
  });

  it('refuses --approver for a secretary, "Lãnh đạo" as a title, and a name for every branch', async () => {
    clear();
    expect(
      await invitesCli.run(['create', '--unit', 'CB01', '--role', 'secretary', '--approver'], ctx()),
    ).toBe(1);
    expect(lines.err[0]).toBe(msg.people.approverOnlyLeader);
    clear();
    const leader = ['create', '--unit', 'VH', '--role', 'leader', '--name', 'Trần Văn B'];
    expect(await invitesCli.run([...leader, '--title', 'Lãnh đạo'], ctx())).toBe(1);
    expect(lines.err[0]).toContain('là vai trò trong bot, không phải chức vụ');
    clear();
    const all = ['create', '--all-branches', '--role', 'secretary', '--name', 'Trần Văn B'];
    expect(await invitesCli.run(all, ctx())).toBe(1);
    expect(lines.err[0]).toBe(msg.people.identityOnlyOne);
  });
});

describe('people set', () => {
  it('records a name and title for someone known only by Telegram, and /canbo stops marking it unverified', async () => {
    await services.org.people.grantRole(502, { kind: 'secretary', unit: 'CB01' }, 'test', clock.now());
    await services.org.people.upsertProfile(502, { first_name: 'Bình', username: 'binh' });
    const before = await services.people.people({ id: 1, roles: [{ kind: 'admin' }] }, 'CB01');
    expect(JSON.stringify(before[0]?.text)).toContain(msg.people.unverifiedNote);

    clear();
    const set = ['set', '--id', '502', '--name', 'Lê Văn Bình', '--title', 'Bí thư Chi bộ Tổ dân phố 1'];
    expect(await peopleCli.run(set, ctx())).toBe(0);
    expect(lines.out[0]).toBe(msg.people.identitySaved('Lê Văn Bình, Bí thư Chi bộ Tổ dân phố 1', false));
    const after = await services.people.people({ id: 1, roles: [{ kind: 'admin' }] }, 'CB01');
    expect(JSON.stringify(after[0]?.text)).toContain('Lê Văn Bình, Bí thư Chi bộ Tổ dân phố 1');
    expect(JSON.stringify(after[0]?.text)).not.toContain(msg.people.unverifiedNote);
  });

  it('refuses an unknown person, a bad name and --approver for a non-leader, changing nothing', async () => {
    clear();
    expect(await peopleCli.run(['set', '--id', '999', '--name', 'Ai Đó'], ctx())).toBe(1);
    expect(lines.err[0]).toBe(msg.people.unknownPerson(999));
    clear();
    expect(await peopleCli.run(['set', '--id', '502', '--name', '<b>x</b>'], ctx())).toBe(1);
    expect(lines.err[0]).toContain('chỉ được gồm chữ cái');
    clear();
    expect(await peopleCli.run(['set', '--id', '502', '--approver', 'yes'], ctx())).toBe(1);
    expect(lines.err[0]).toBe(msg.people.approverOnlyLeader);
    expect(await services.org.person(502)).toMatchObject({ fullName: 'Lê Văn Bình' });
    expect((await services.org.person(502))?.approver).toBeUndefined();
  });
});

describe('directive send in party style', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'directive-cite-'));
  const textFile = path.join(dir, 'noi-dung.txt');
  writeFileSync(textFile, 'Đề nghị các chi bộ xây dựng kế hoạch đại hội.');
  const base = ['send', '--title', 'Kế hoạch đại hội', '--number', '74-KH/ĐU', '--text-file', textFile];

  it('refuses a future issue date and an issuer of emoji, field by field, sending nothing', async () => {
    clear();
    const args = [...base, '--audience', 'all-secretaries', '--issued', '12/07/2099', '--issuer', '🙂🙂'];
    expect(await directiveCli.run(args, ctx())).toBe(1);
    expect(lines.err).toHaveLength(2);
    expect(lines.err[0]).toContain('Ngày ban hành 12/07/2099 sau hôm nay');
    expect(lines.err[1]).toContain('Cơ quan ban hành');
  });

  it('stores the issue date and issuer, and the recipient reads the citation', async () => {
    clear();
    const args = [...base, '--audience', 'all-secretaries', '--issued', '12/07/2022'];
    expect(await directiveCli.run([...args, '--issuer', 'Đảng ủy phường Việt Hưng'], ctx())).toBe(0);
    const id = lines.out.at(-1) ?? '';
    const stored = (await services.directives.report(id))?.stored;
    expect(stored?.directive).toMatchObject({ issued: '2022-07-12', issuer: 'Đảng ủy phường Việt Hưng' });
    const text = msg.directives.recipientText(
      stored!.directive,
      { personId: 1, role: 'secretary', units: [{ code: 'CB01', name: 'Chi bộ Tổ dân phố 1' }], name: '' },
      'Asia/Ho_Chi_Minh',
    );
    expect(JSON.stringify(text)).toContain(
      'Kế hoạch số 74-KH/ĐU, ngày 12/7/2022 của Đảng ủy phường Việt Hưng',
    );
  });
});
