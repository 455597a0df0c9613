import { describe, expect, it } from 'vitest';
import { bold, italic, lines, link } from '../../../src/chat/markup.js';
import {
  chooseOption,
  renderOptions,
  toZaloCaption,
  toZaloChunks,
  ZALO_TEXT_LIMIT,
} from '../../../src/zalo/render.js';

describe('Zalo text: 2,000 characters a message, cut between lines', () => {
  it('keeps a short text whole, plain when it has no style', () => {
    expect(toZaloChunks(['Chi bộ <Thôn 1> & ', 'Thôn 2'])).toEqual([
      { text: 'Chi bộ <Thôn 1> & Thôn 2', html: false },
    ]);
  });

  it('renders bold and italic as html, escaping the text, and links as plain addresses', () => {
    expect(toZaloChunks([bold('A<b>'), ' ', italic('x&y'), ' ', link('https://x.vn/a', 'tệp')])).toEqual([
      { text: '<b>A&lt;b&gt;</b> <i>x&amp;y</i> tệp (https://x.vn/a)', html: true },
    ]);
  });

  it('splits 5,000 characters of lines into pieces of at most 2,000, only at line ends', () => {
    const rows = Array.from(
      { length: 100 },
      (_, i) => `Dòng ${String(i).padStart(3, '0')} ${'x'.repeat(40)}`,
    );
    const chunks = toZaloChunks(lines(...rows));
    expect(chunks.length).toBe(3);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT);
    // Every line survives whole, in order.
    expect(chunks.map((c) => c.text).join('\n')).toBe(rows.join('\n'));
    expect(chunks[1]!.text.startsWith('Dòng ')).toBe(true);
  });

  it('cuts one 5,000-character line (emoji included) on code points, under the limit, losing nothing', () => {
    const line = '😀'.repeat(1000) + 'a'.repeat(3000);
    const chunks = toZaloChunks(line);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT);
      expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(c.text)).toBe(false);
    }
    expect(chunks.map((c) => c.text).join('')).toBe(line);
  });

  it('counts html tags against the limit', () => {
    const rows = Array.from({ length: 60 }, () => bold('y'.repeat(40)));
    for (const c of toZaloChunks(lines(...rows))) expect(c.text.length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT);
  });

  it('cuts a caption to one piece with an ellipsis', () => {
    const caption = toZaloCaption(lines(...Array.from({ length: 80 }, () => 'z'.repeat(50))));
    expect(caption.length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT);
    expect(caption.endsWith('…')).toBe(true);
  });
});

describe('actions as numbered options', () => {
  const card = [
    [
      { label: 'Xác nhận và lưu', value: 'cg:save:1' },
      { label: 'Sửa', value: 'cg:edit:1' },
    ],
    [{ label: 'Hủy', value: 'cg:cancel' }],
  ];

  it('reads as one sentence, cancel as 0', () => {
    const r = renderOptions(card);
    expect(r.text).toBe('Trả lời 1 để xác nhận và lưu, 2 để sửa, 0 để hủy.');
    expect(chooseOption(r.options, ' 1 ')?.value).toBe('cg:save:1');
    expect(chooseOption(r.options, '2')?.value).toBe('cg:edit:1');
    expect(chooseOption(r.options, '0')?.value).toBe('cg:cancel');
    expect(chooseOption(r.options, 'Sửa')?.value).toBe('cg:edit:1');
    expect(chooseOption(r.options, '3')).toBeUndefined();
    expect(chooseOption(r.options, 'lưu giúp tôi')).toBeUndefined();
  });

  it('lists many or long options, numbering on from an earlier reply', () => {
    const rows = Array.from({ length: 6 }, (_, i) => [
      { label: `Chuẩn y: Chi bộ Thôn ${i + 1}`, value: `a${i}` },
    ]);
    const r = renderOptions(rows, 3);
    expect(r.text.split('\n')[0]).toBe('Trả lời bằng số:');
    expect(r.text).toContain('3 – Chuẩn y: Chi bộ Thôn 1');
    expect(r.text).toContain('8 – Chuẩn y: Chi bộ Thôn 6');
    expect(r.next).toBe(9);
    expect(chooseOption(r.options, '8')?.value).toBe('a5');
  });

  it('never numbers a question that takes a typed number: a lone cancel is /huy, a number label is itself', () => {
    const r = renderOptions([
      [{ label: '25', value: 'mt:members:25' }],
      [{ label: 'Hủy', value: 'mt:cancel' }],
    ]);
    expect(r.text).toBe('(25)\nGõ /huy để hủy.');
    expect(chooseOption(r.options, '0')).toBeUndefined();
    expect(chooseOption(r.options, '1')).toBeUndefined();
    expect(chooseOption(r.options, '25')?.value).toBe('mt:members:25');
  });

  it('gives nothing for no actions', () => {
    expect(renderOptions(undefined)).toEqual({ text: '', options: [], next: 1 });
  });
});
