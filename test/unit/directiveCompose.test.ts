/** The /thongbao dialog's pure steps: what each answer leads to, and the questions' buttons. */
import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../src/chat/markup.js';
import type { Reply } from '../../src/chat/reply.js';
import { msg } from '../../src/messages/index.js';
import {
  type AskingState,
  type ComposeInput,
  composeStep,
  draftInput,
  question,
  startCompose,
  type Transition,
} from '../../src/services/directives/compose.js';
import { directiveActions } from '../../src/services/directives/index.js';
import { composeStateSchema } from '../../src/services/directives/state.js';

const d = msg.directives.dialog;
const TODAY = '2025-09-15';

const text = (t: string): ComposeInput => ({ type: 'text', text: t });
const asked = (t: Transition): AskingState => {
  if (!('ask' in t)) throw new Error(`expected a question, got ${JSON.stringify(t)}`);
  return t.ask;
};
const noteOf = (t: Transition) => ('ask' in t && t.before !== undefined ? toPlainText(t.before) : '');
const buttons = (r: Reply) =>
  (r.actions ?? []).flat().map((a) => [a.label, directiveActions.unpack(a.value)]);

describe('composing a directive', () => {
  it('walks through every step to the preview, keeping each answer', () => {
    const start = startCompose();
    expect(asked(start)).toEqual({ step: 'title' });
    expect(noteOf(start)).toBe(d.intro);
    let state = asked(composeStep(asked(start), text('  Kế hoạch   đại hội  '), TODAY));
    expect(state).toEqual({ step: 'number', title: 'Kế hoạch đại hội' });
    state = asked(composeStep(state, text('74-KH/ĐU'), TODAY));
    expect(state.step).toBe('issued');
    const future = composeStep(state, text('12/07/2099'), TODAY);
    expect(asked(future).step).toBe('issued');
    expect(noteOf(future)).toContain('sau hôm nay');
    state = asked(composeStep(state, text('12/7/2022'), TODAY));
    expect(state).toMatchObject({ step: 'issuer', issued: '2022-07-12' });
    const emoji = composeStep(state, text('🙂🙂'), TODAY);
    expect(asked(emoji).step).toBe('issuer');
    state = asked(composeStep(state, text('Đảng ủy phường Việt Hưng'), TODAY));
    expect(state).toMatchObject({ step: 'text', issuer: 'Đảng ủy phường Việt Hưng' });
    state = asked(composeStep(state, text('Nội dung thông báo'), TODAY));
    expect(state.step).toBe('file');
    const photo = composeStep(
      state,
      { type: 'file', attachment: { kind: 'photo', filename: 'anh.jpg', fileId: 'F1' } },
      TODAY,
    );
    expect(noteOf(photo)).toBe(d.photoSaved);
    state = asked(photo);
    expect(state.step).toBe('audience');
    state = asked(composeStep(state, { type: 'audience', choice: 'kind' }, TODAY));
    expect(state).toMatchObject({ step: 'kinds', kinds: [] });
    const ticked = composeStep(state, { type: 'kind', kind: 'thon' }, TODAY);
    if (!('ticked' in ticked)) throw new Error('no tick');
    const twice = composeStep(ticked.ticked, { type: 'kind', kind: 'cong_an' }, TODAY);
    if (!('ticked' in twice)) throw new Error('no tick');
    const untick = composeStep(twice.ticked, { type: 'kind', kind: 'thon' }, TODAY);
    if (!('ticked' in untick)) throw new Error('no tick');
    expect(untick.ticked.kinds).toEqual(['cong_an']);
    state = asked(composeStep(untick.ticked, { type: 'kindsDone' }, TODAY));
    expect(state).toMatchObject({ step: 'deadline', audience: { kind: 'kind', kinds: ['cong_an'] } });
    expect(state).not.toHaveProperty('kinds');
    state = asked(composeStep(state, text('30/09/2025'), TODAY));
    expect(state.deadline).toBe('2025-09-30');
    const done = composeStep(state, { type: 'hours', hours: 48 }, TODAY);
    if (!('preview' in done)) throw new Error('no preview');
    expect(done.preview).toEqual({
      title: 'Kế hoạch đại hội',
      number: '74-KH/ĐU',
      issued: '2022-07-12',
      issuer: 'Đảng ủy phường Việt Hưng',
      text: 'Nội dung thông báo',
      attachment: { kind: 'photo', filename: 'anh.jpg', fileId: 'F1' },
      audience: { kind: 'kind', kinds: ['cong_an'] },
      deadline: '2025-09-30',
      ackHours: 48,
    });
    // Every state on the way is one the dialog registry accepts.
    expect(composeStateSchema.safeParse(state).success).toBe(true);
    expect(draftInput(done.preview)).toMatchObject({ deadline: '30/09/2025', ackHours: 48 });
  });

  it('keeps the step and says why when an answer is wrong, echoing long input capped', () => {
    const number: AskingState = { step: 'number', title: 'T' };
    const wrong = composeStep(number, text(`74-KH/ĐU ${'<x>'.repeat(2000)}`), TODAY);
    expect(asked(wrong)).toEqual(number);
    expect(noteOf(wrong)).toContain('không hợp lệ');
    expect(noteOf(wrong).length).toBeLessThan(300);
    expect(noteOf(composeStep({ step: 'title' }, text('   '), TODAY))).toBe(msg.directives.errors.titleEmpty);
    expect(noteOf(composeStep({ step: 'deadline' }, text('01/01/2020'), TODAY))).toContain('đã qua');
    expect(noteOf(composeStep({ step: 'file' }, text('đây là tệp'), TODAY))).toBe(d.needFile);
    expect(noteOf(composeStep({ step: 'file' }, { type: 'file', attachment: undefined }, TODAY))).toBe(
      d.needFile,
    );
    const unknown = composeStep(
      { step: 'unit' },
      { type: 'unit', typed: 'X'.repeat(5000), code: undefined },
      TODAY,
    );
    expect(noteOf(unknown)).toContain('Không có đơn vị mã');
    expect(noteOf(unknown).length).toBeLessThan(200);
  });

  it('asks again when text comes where a button is awaited, and says what the kinds step needs', () => {
    const audience: AskingState = { step: 'audience', title: 'T' };
    expect(composeStep(audience, text('mọi người'), TODAY)).toEqual({ ask: audience });
    // A file outside the file step is not taken as an answer.
    expect(
      composeStep(
        audience,
        { type: 'file', attachment: { kind: 'document', filename: 'a.pdf', fileId: 'F' } },
        TODAY,
      ),
    ).toEqual({ ask: audience });
    expect(composeStep({ step: 'kinds', kinds: [] }, { type: 'kindsDone' }, TODAY)).toEqual({
      say: msg.directives.errors.kindsEmpty,
    });
  });

  it('shows the preview again for anything typed while the card waits', () => {
    const t = composeStep({ step: 'confirm', token: 'ab12', title: 'T', text: 'N' }, text('gửi đi'), TODAY);
    expect(t).toEqual({ preview: { title: 'T', text: 'N' } });
  });

  it('skips optional answers, dropping what was given before', () => {
    const state = asked(
      composeStep({ step: 'number', title: 'T', number: 'cũ' }, { type: 'skip', step: 'number' }, TODAY),
    );
    expect(state).toEqual({ step: 'issued', title: 'T' });
    const noIssuer = asked(
      composeStep({ step: 'issuer', title: 'T', issuer: 'cũ' }, { type: 'skip', step: 'issuer' }, TODAY),
    );
    expect(noIssuer).toEqual({ step: 'text', title: 'T' });
  });

  it('offers buttons the codec reads back, and «Hủy» under every question', () => {
    const hours = question({ step: 'hours' });
    expect(buttons(hours)).toEqual([
      [d.buttonHours(24), { kind: 'hours', hours: 24 }],
      [d.buttonHours(48), { kind: 'hours', hours: 48 }],
      [d.buttonHours(72), { kind: 'hours', hours: 72 }],
      [msg.common.buttonCancel, { kind: 'cancel' }],
    ]);
    const units = question({ step: 'unit' }, undefined, [{ code: 'XA', name: 'Đảng bộ xã A' }]);
    expect(buttons(units)[0]).toEqual(['Đảng bộ xã A (XA)', { kind: 'unit', unit: 'XA' }]);
    const kinds = question({ step: 'kinds', kinds: ['thon'] });
    expect(buttons(kinds).map(([label]) => label)).toContain('✓ Thôn/xóm/khu dân cư');
    const again = question({ step: 'title' }, 'Tiêu đề đang trống.');
    expect(toPlainText(again.text)).toBe(`Tiêu đề đang trống.\n\n${d.title}`);
  });
});
