import { describe, expect, it } from 'vitest';
import { bold, lines } from '../../../src/chat/markup.js';
import type { OutboxMessage } from '../../../src/outbox/types.js';
import { toZaloSends, ZaloSender } from '../../../src/zalo/sender.js';

// parts() is pure: the stores and the client are only used by send().
const sender = new ZaloSender({} as never, {} as never, {} as never);
const rows = Array.from({ length: 70 }, (_, i) => `Dòng ${i + 1}: ${'x'.repeat(40)}`);
const ack = [[{ label: 'Đã nhận', value: 'dv:ack:17' }]];

describe('an outbox message on Zalo', () => {
  it('becomes texts of at most 2,000 characters with the options under the last, then the file; deterministic', () => {
    const m: OutboxMessage = {
      channel: 'zalo',
      chatId: 'z1',
      personId: 42,
      text: lines(bold('Kính gửi: Đồng chí Bí thư'), ...rows),
      actions: ack,
      document: { filename: 'ke-hoach.pdf', contentBase64: Buffer.from('%PDF').toString('base64') },
      purpose: 'directive',
    };
    const parts = sender.parts(m);
    expect(parts.map((p) => (p.document ? 'document' : 'text'))).toEqual(['text', 'text', 'document']);
    for (const p of parts) {
      expect(p.chatId).toBe('z1');
      expect(p.personId).toBe(42);
      expect(p.text.length).toBeLessThanOrEqual(2000);
    }
    expect(parts[0]!.html).toBe(true);
    expect(parts[0]!.text.startsWith('<b>Kính gửi: Đồng chí Bí thư</b>')).toBe(true);
    expect(parts[1]!.text.endsWith('Trả lời 1 để đã nhận.')).toBe(true);
    expect(parts[2]!.actions).toEqual(ack);
    expect(sender.parts(m)).toEqual(parts);
  });

  it('sends a chart as a photo with a plain caption, a picture alone', () => {
    const photo = sender.parts({
      chatId: 'z1',
      text: '',
      photo: { filename: 'tien-do.png', contentBase64: 'iVBO', caption: [bold('Tiến độ'), ' 10/09/2025'] },
      purpose: 'summary',
    });
    expect(photo).toEqual([
      {
        chatId: 'z1',
        text: '',
        photo: { filename: 'tien-do.png', contentBase64: 'iVBO', caption: 'Tiến độ 10/09/2025' },
      },
    ]);
  });
});

describe('a reply on Zalo', () => {
  it('numbers the options of several replies on from each other', () => {
    const first = toZaloSends({ text: 'A', actions: [[{ label: 'Chuẩn y', value: 'a' }]] }, 1);
    const second = toZaloSends({ text: 'B', actions: [[{ label: 'Chuẩn y', value: 'b' }]] }, first.next);
    expect(first.sends).toEqual([{ kind: 'text', text: 'A\n\nTrả lời 1 để chuẩn y.', html: false }]);
    expect(second.sends).toEqual([{ kind: 'text', text: 'B\n\nTrả lời 2 để chuẩn y.', html: false }]);
    expect(second.options.map((o) => [o.n, o.value])).toEqual([[2, 'b']]);
  });
});
