/** The directive codec: what buttons carry, and what a forged or outdated value becomes. */
import { describe, expect, it } from 'vitest';
import { ACTION_VALUE_LIMIT } from '../../src/chat/codec.js';
import { type DirectiveAction, directiveActions } from '../../src/services/directives/index.js';

describe('the directive codec', () => {
  it('keeps the layouts recipients already hold in their chats', () => {
    expect(directiveActions.unpack('dr:ack:17')).toEqual({ kind: 'ack', id: '17' });
    expect(directiveActions.unpack('dr:f:17')).toEqual({ kind: 'file', id: '17' });
    expect(directiveActions.unpack('dr:av:3')).toEqual({ kind: 'inboxAck', id: '3' });
    expect(directiveActions.unpack('dr:v:3')).toEqual({ kind: 'view', id: '3' });
    expect(directiveActions.unpack('dr:x:9')).toEqual({ kind: 'stop', id: '9' });
    // A stop card sent before cards carried a nonce still stops.
    expect(directiveActions.unpack('dr:xy:9')).toEqual({ kind: 'stopConfirm', id: '9' });
    expect(directiveActions.unpack('dr:k:to_dan_pho')).toEqual({
      kind: 'branchKind',
      branchKind: 'to_dan_pho',
    });
    expect(directiveActions.unpack('dr:s:deadline')).toEqual({ kind: 'skip', step: 'deadline' });
  });

  it('packs every action it unpacks, within 64 bytes', () => {
    const actions: DirectiveAction[] = [
      { kind: 'skip', step: 'file' },
      { kind: 'audience', choice: 'kind' },
      { kind: 'unit', unit: 'A'.repeat(32) },
      { kind: 'branchKind', branchKind: 'doanh_nghiep' },
      { kind: 'kindsDone' },
      { kind: 'hours', hours: 72 },
      { kind: 'confirm', token: '0123456789abcdef' },
      { kind: 'cancel' },
      { kind: 'previewAck' },
      { kind: 'previewFile' },
      { kind: 'ack', id: '9999999999' },
      { kind: 'inboxAck', id: '1' },
      { kind: 'file', id: '1' },
      { kind: 'view', id: '1' },
      { kind: 'stop', id: '1' },
      { kind: 'stopConfirm', id: '9999999999', token: '0123456789abcdef' },
      { kind: 'keep' },
    ];
    for (const action of actions) {
      const packed = directiveActions.pack(action);
      expect(Buffer.byteLength(packed)).toBeLessThanOrEqual(ACTION_VALUE_LIMIT);
      expect(directiveActions.unpack(packed)).toEqual(action);
    }
  });

  it('refuses forged and outdated values', () => {
    for (const value of [
      'dr',
      'dr:',
      'dr:zz',
      'dr:ack',
      'dr:ack:abc',
      'dr:ack:0',
      'dr:ack:17:x',
      'dr:ack:12345678901',
      'dr:ack:-1',
      'dr:u:BP1:children',
      'dr:u:',
      'dr:u:Chi bộ',
      'dr:k:vutru',
      'dr:h:0',
      'dr:h:721',
      'dr:h:1.5',
      'dr:s:title',
      'dr:a:everyone',
      'dr:ok',
      'dr:ok:XYZ',
      'dr:ok:<b>',
      'dr:xy:1:not-hex',
      'dr:kd:1',
      `dr:ack:${'1'.repeat(70)}`,
    ])
      expect(directiveActions.unpack(value), value).toBeUndefined();
  });
});
