/** Directives: the domain's rules, and what the catalogue renders from them (as Telegram HTML). */
import { describe, expect, it } from 'vitest';
import type { Rich } from '../../src/chat/markup.js';
import {
  audienceArg,
  CANCELLED_REASON,
  checkAckHours,
  checkDeadline,
  checkDraft,
  checkNumber,
  DEFAULT_ACK_HOURS,
  type DeliveryFact,
  type Directive,
  leaderDigests,
  parseAudience,
  planRecipients,
  progressOf,
  type Recipient,
  reminderDue,
} from '../../src/domain/directives.js';
import { msg } from '../../src/messages/index.js';
import { renderHtml } from '../support/render.js';

const m = msg.directives;
const { salutation, statusLines: renderStatusLines } = m;
/** The catalogue's markup builders, rendered as the bot sends them. */
const html =
  <A extends unknown[]>(build: (...args: A) => Rich) =>
  (...args: A): string =>
    renderHtml(build(...args));
const recipientText = html(m.recipientText);
const renderStatus = html(m.statusText);
const leaderNoteText = html(m.leaderNoteText);

const TZ = 'Asia/Ho_Chi_Minh';
// 15/09/2025 19:30 in Hà Nội.
const SENT = Date.UTC(2025, 8, 15, 12, 30);

const secretary = (personId: number, code: string, name = `Đồng chí ${personId}`): Recipient => ({
  personId,
  role: 'secretary',
  units: [{ code, name: `Chi bộ ${code}` }],
  name,
});

const directive = (over: Partial<Directive> = {}): Directive => ({
  id: '17',
  title: 'Kế hoạch tổ chức đại hội chi bộ',
  number: '74-KH/ĐU',
  text: 'Đề nghị các chi bộ xây dựng kế hoạch.',
  audience: { kind: 'all-secretaries' },
  ackHours: 24,
  createdBy: 'cli',
  createdAt: SENT,
  audienceText: 'bí thư tất cả các chi bộ',
  ...over,
});

describe('audience', () => {
  it('parses every CLI form and prints it back', () => {
    expect(parseAudience('all-secretaries')).toEqual({ kind: 'all-secretaries' });
    expect(parseAudience('leaders')).toEqual({ kind: 'leaders' });
    expect(parseAudience('unit:DBBP1')).toEqual({ kind: 'unit', unit: 'DBBP1' });
    expect(parseAudience('kind:thon,Tổ dân phố')).toEqual({ kind: 'kind', kinds: ['thon', 'to_dan_pho'] });
    for (const text of ['all-secretaries', 'leaders', 'unit:CB01', 'kind:thon,cong_an'])
      expect(audienceArg(parseAudience(text)!)).toBe(text);
  });

  it('refuses what it does not know', () => {
    expect(parseAudience('everyone')).toBeUndefined();
    expect(parseAudience('unit:')).toBeUndefined();
    expect(parseAudience('unit:a b')).toBeUndefined();
    expect(parseAudience('kind:vũ trụ')).toBeUndefined();
  });
});

describe('checking a draft', () => {
  const today = '2025-09-15';

  it('accepts a full draft and keeps the optional fields', () => {
    const r = checkDraft(
      {
        title: '  Kế hoạch   đại hội ',
        number: '74-KH/ĐU',
        text: 'Nội dung',
        audience: 'kind:thon',
        deadline: '30/09/2025',
        ackHours: '0,5',
      },
      today,
    );
    expect(r).toEqual({
      ok: true,
      draft: {
        title: 'Kế hoạch đại hội',
        number: '74-KH/ĐU',
        text: 'Nội dung',
        audience: { kind: 'kind', kinds: ['thon'] },
        deadline: '2025-09-30',
        ackHours: 0.5,
      },
    });
  });

  it('says what is wrong, field by field, and accepts nothing', () => {
    const r = checkDraft(
      { title: '', number: '74<KH>', text: 'x'.repeat(3501), audience: 'mọi người', deadline: '01/01/2020' },
      today,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const errors = r.errors.map(m.problem);
    expect(errors).toHaveLength(5);
    expect(errors.join('\n')).toContain('Tiêu đề đang trống');
    expect(errors.join('\n')).toContain('«74<KH>» không hợp lệ');
    expect(errors.join('\n')).toContain('3.501 ký tự, quá 3.500');
    expect(errors.join('\n')).toContain('01/01/2020 đã qua (hôm nay là 15/09/2025)');
    expect(errors.join('\n')).toContain('«mọi người» không hợp lệ');
  });

  it('defaults the reminder delay and takes fractions of an hour', () => {
    expect(checkAckHours('')).toEqual({ ok: true, value: DEFAULT_ACK_HOURS });
    expect(checkAckHours('48 giờ')).toEqual({ ok: true, value: 48 });
    expect(checkAckHours('0.001')).toEqual({ ok: true, value: 0.001 });
    expect(checkAckHours('0').ok).toBe(false);
    expect(checkAckHours('721').ok).toBe(false);
    expect(checkAckHours('mai').ok).toBe(false);
  });

  it('treats an empty number or deadline as none', () => {
    expect(checkNumber('')).toEqual({ ok: true, value: undefined });
    expect(checkDeadline('-', today)).toEqual({ ok: true, value: undefined });
    expect(checkDeadline('15/09/2025', today)).toEqual({ ok: true, value: '2025-09-15' });
    expect(checkDeadline('31/02/2025', today).ok).toBe(false);
  });
});

describe('recipients', () => {
  it('gives one recipient per person, addressed to every branch they hold', () => {
    const planned = planRecipients([
      { unit: { code: 'CB01', name: 'Chi bộ Thôn 1' }, role: 'secretary', people: [{ id: 1, name: 'A' }] },
      { unit: { code: 'CB02', name: 'Chi bộ Thôn 2' }, role: 'secretary', people: [{ id: 1, name: 'A' }] },
      { unit: { code: 'CB03', name: 'Chi bộ Thôn 3' }, role: 'deputy', people: [{ id: 2, name: 'B' }] },
    ]);
    expect(planned).toHaveLength(2);
    expect(salutation(planned[0]!)).toBe('Kính gửi: Đồng chí Bí thư Chi bộ Thôn 1, Chi bộ Thôn 2');
    expect(salutation(planned[1]!)).toBe('Kính gửi: Đồng chí Phó Bí thư Chi bộ Thôn 3');
  });

  it('addresses a leader by name and committee', () => {
    const leader: Recipient = {
      personId: 9,
      role: 'leader',
      units: [{ code: 'XA', name: 'Đảng bộ xã A' }],
      name: 'Nguyễn Văn Hùng',
    };
    expect(salutation(leader)).toBe('Kính gửi: Đồng chí Nguyễn Văn Hùng, Đảng bộ xã A');
  });

  it('addresses a leader by name and recorded title, never as "Lãnh đạo"', () => {
    const leader: Recipient = {
      personId: 9,
      role: 'leader',
      units: [{ code: 'VH', name: 'Đảng bộ phường Việt Hưng' }],
      name: 'Nguyễn Văn Hùng',
      title: 'Bí thư Đảng ủy phường',
    };
    expect(salutation(leader)).toBe('Kính gửi: Đồng chí Nguyễn Văn Hùng, Bí thư Đảng ủy phường');
    expect(salutation(leader)).not.toContain('Lãnh đạo');
  });
});

describe('what a recipient reads', () => {
  it('is in official form, with number, date, deadline, file and the request to acknowledge', () => {
    const text = recipientText(
      directive({ deadline: '2025-09-30', attachment: { kind: 'document', filename: 'ke-hoach.pdf' } }),
      secretary(1, 'CB01'),
      TZ,
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('Kính gửi: Đồng chí Bí thư Chi bộ CB01');
    expect(text).toContain('<b>Kế hoạch tổ chức đại hội chi bộ</b>');
    // Without an issue date or issuer, the day it was sent.
    expect(text).toContain('Kế hoạch số 74-KH/ĐU, ngày 15/9/2025');
    expect(text).toContain('Thời hạn thực hiện: đến hết ngày 30/09/2025.');
    expect(text).toContain('Kèm theo: «ke-hoach.pdf»');
    expect(lines[lines.length - 1]).toBe('Đề nghị đồng chí bấm «Đã nhận» để xác nhận đã nhận văn bản này.');
  });

  it('cites the document in party style: kind from the number, issue date and issuer', () => {
    const cited = recipientText(
      directive({ issued: '2022-07-12', issuer: 'Đảng ủy phường Việt Hưng' }),
      secretary(1, 'CB01'),
      TZ,
    );
    expect(cited).toContain('Kế hoạch số 74-KH/ĐU, ngày 12/7/2022 của Đảng ủy phường Việt Hưng');
    const kinds: [string, string][] = [
      ['05-CT/TW', 'Chỉ thị số 05-CT/TW'],
      ['21-NQ/TW', 'Nghị quyết số 21-NQ/TW'],
      ['12-KL/TW', 'Kết luận số 12-KL/TW'],
      ['42-HD/BTCTW', 'Hướng dẫn số 42-HD/BTCTW'],
      ['30-TB/ĐU', 'Thông báo số 30-TB/ĐU'],
      ['123-QĐ/ĐU', 'Quyết định số 123-QĐ/ĐU'],
      ['15-CV/ĐU', 'Công văn số 15-CV/ĐU'],
      ['99/UBND', 'Văn bản số 99/UBND'],
    ];
    for (const [number, head] of kinds) {
      expect(recipientText(directive({ number }), secretary(1, 'CB01'), TZ)).toContain(
        `${head}, ngày 15/9/2025`,
      );
    }
    expect(recipientText(directive({ number: undefined }), secretary(1, 'CB01'), TZ)).toContain(
      'Văn bản ngày 15/9/2025',
    );
  });

  it('escapes what the admin typed', () => {
    const text = recipientText(directive({ title: 'A <b>', text: 'x & y' }), secretary(1, 'CB01'), TZ);
    expect(text).toContain('<b>A &lt;b&gt;</b>');
    expect(text).toContain('x &amp; y');
  });
});

describe('progress and status', () => {
  const recipients = [1, 2, 3, 4, 5].map((id) => secretary(id, `CB0${id}`));
  const input = {
    recipients,
    deliveries: new Map([
      [1, { state: 'sent' as const }],
      [2, { state: 'sent' as const }],
      [3, { state: 'failed' as const, reason: 'Forbidden: bot was blocked by the user' }],
      [4, { state: 'failed' as const, reason: 'Bad Request: message is too long' }],
    ]),
    acks: new Map([
      [2, SENT + 60_000],
      [1, SENT + 120_000],
    ]),
    unreachable: new Set([3]),
    cancelled: false,
  };

  it('counts deliveries, failures, unreachable people and acknowledgements', () => {
    const p = progressOf(input);
    expect(p.total).toBe(5);
    expect(p.delivered).toBe(2);
    expect(p.pending).toBe(1);
    expect(p.stopped).toBe(0);
    expect(p.unreachable.map((u) => u.recipient.personId)).toEqual([3]);
    expect(p.failed).toEqual([{ recipient: recipients[3], reason: 'Bad Request: message is too long' }]);
    expect(p.acknowledged.map((a) => a.recipient.personId)).toEqual([2, 1]);
    expect(p.notAcknowledged.map((r) => r.personId)).toEqual([3, 4, 5]);
  });

  it('counts what a cancel stopped, but still follows messages already in flight', () => {
    const p = progressOf({ ...input, cancelled: true });
    expect(p.pending).toBe(0);
    expect(p.stopped).toBe(1);
    const more = [6, 7].map((id) => secretary(id, `CB0${id}`));
    const q = progressOf({
      ...input,
      recipients: [...recipients, ...more],
      deliveries: new Map<number, DeliveryFact>([
        ...input.deliveries,
        [6, { state: 'failed' as const, reason: CANCELLED_REASON }],
        [7, { state: 'pending' as const }],
      ]),
      cancelled: true,
    });
    expect(q.stopped).toBe(2);
    expect(q.pending).toBe(1);
    expect(q.failed).toHaveLength(1);
  });

  it('renders the chat status with ratios and times', () => {
    const d = directive();
    const text = renderStatus(d, progressOf(input), {}, { timezone: TZ, compact: true });
    expect(text).toContain('Đã gửi đến: 2/5');
    expect(text).toContain('Đang chờ gửi: 1');
    expect(text).toContain('Đã xác nhận: 2/5 (40%)');
    expect(text).toContain('– Chi bộ CB02 (đ/c Đồng chí 2): 19:31 15/09/2025');
    expect(text).toContain('Không liên lạc được (chưa bấm Start hoặc đã chặn bot): 1');
    expect(text).toContain('– Chi bộ CB04 (đ/c Đồng chí 4): Bad Request: message is too long');
    expect(text).toContain('Chưa xác nhận: 3');
    expect(text).toContain(`Sẽ nhắc lại lúc 19:30 16/09/2025`);
    expect(reminderDue(d)).toBe(SENT + 24 * 3_600_000);
  });

  it('caps long lists in the compact status but not in the full one', () => {
    const many = Array.from({ length: 30 }, (_, i) => secretary(100 + i, `B${i}`));
    const p = progressOf({
      ...input,
      recipients: many,
      deliveries: new Map(),
      acks: new Map(),
      cancelled: true,
    });
    const compact = renderStatus(
      directive(),
      p,
      { cancelledAt: SENT + 5 * 60_000 },
      { timezone: TZ, compact: true },
    );
    expect(compact).toContain('… và 20 đồng chí khác');
    expect(compact).toContain('<b>Đã dừng gửi</b> lúc 19:35 15/09/2025: 30 tin chưa gửi đã hủy.');
    const full = renderStatus(directive(), p, {}, { timezone: TZ, compact: false });
    expect(full).toContain('Chi bộ B29');
  });

  it('prints the CLI status with the key words scripts look for', () => {
    const lines = renderStatusLines(directive(), progressOf(input), { remindedAt: SENT }, TZ);
    expect(lines).toContain('delivered 2/5 (đã gửi đến)');
    expect(lines).toContain('acknowledged 2/5 (đã xác nhận)');
    expect(lines).toContain('status: sending');
    expect(lines).toContain('unreachable:');
    expect(lines).toContain('  3\tChi bộ CB03 (đ/c Đồng chí 3)\tForbidden: bot was blocked by the user');
    expect(lines.indexOf('not acknowledged:')).toBeGreaterThan(lines.indexOf('failed:'));
  });
});

describe('telling leaders', () => {
  it('gives each leader one list and never tells a leader about themselves', () => {
    const a = secretary(1, 'CB01');
    const b = secretary(2, 'CB02');
    const self: Recipient = {
      personId: 7,
      role: 'leader',
      units: [{ code: 'X', name: 'Đảng bộ X' }],
      name: '',
    };
    const digests = leaderDigests([a, b, self], (r) => (r.personId === 2 ? [8] : [7]));
    expect([...digests.entries()]).toEqual([
      [7, [a]],
      [8, [b]],
    ]);
  });

  it('lists who has not acknowledged, marking those the bot cannot reach', () => {
    const leader: Recipient = {
      personId: 7,
      role: 'leader',
      units: [{ code: 'X', name: 'Đảng bộ xã X' }],
      name: 'Lê Văn Bình',
    };
    const text = leaderNoteText(
      directive(),
      leader,
      [
        { recipient: secretary(1, 'CB01', 'Trần Thị Mai'), unreachable: false },
        { recipient: secretary(2, 'CB02', 'Phạm Văn Nam'), unreachable: true },
      ],
      TZ,
    );
    expect(text.split('\n')[0]).toBe('Kính gửi: Đồng chí Lê Văn Bình, Đảng bộ xã X');
    expect(text).toContain('– Chi bộ CB01 (đ/c Trần Thị Mai)\n');
    expect(text).toContain('– Chi bộ CB02 (đ/c Phạm Văn Nam): chưa nhận được tin nhắn');
    expect(text).toContain('(số 74-KH/ĐU) gửi ngày 15/09/2025');
  });
});
