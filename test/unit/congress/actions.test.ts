import { describe, expect, it } from 'vitest';
import { type CongressAction, congressActions } from '../../../src/services/congress/actions.js';

const ROUND = 'dh01z0zk39';

describe('the congress button codec', () => {
  it('packs in the layouts the bot has always sent, and unpacks them back', () => {
    const cases: [CongressAction, string][] = [
      [{ kind: 'branch', branch: 'CB01' }, 'dh:pb:CB01'],
      [{ kind: 'round', campaign: ROUND }, `dh:pc:${ROUND}`],
      [{ kind: 'dialog', campaign: ROUND, branch: 'CB01' }, `dh:dlg:${ROUND}:CB01`],
      [{ kind: 'answer', field: 'secretaryIsHead', option: 2 }, 'dh:a:secretaryIsHead:2'],
      [{ kind: 'confirm', nonce: 'a1b2c3d4e5f6' }, 'dh:ok:a1b2c3d4e5f6'],
      [{ kind: 'cancel' }, 'dh:no'],
      [{ kind: 'campaignAnswer', field: 'opens', value: '2025-09-10' }, 'dh:nc:opens:2025-09-10'],
      [{ kind: 'campaignCreate', nonce: 'a1b2c3d4e5f6' }, 'dh:mo:a1b2c3d4e5f6'],
      [{ kind: 'scope', unit: 'XA' }, 'dh:tu:XA'],
      [{ kind: 'progress', campaign: ROUND, unit: 'BP1' }, `dh:td:${ROUND}:BP1`],
      [{ kind: 'approve', campaign: ROUND, branch: 'CB01' }, `dh:cy:${ROUND}:CB01`],
      [{ kind: 'approve', campaign: ROUND, branch: 'CB01', from: 'tb' }, `dh:cy:${ROUND}:CB01:tb`],
    ];
    for (const [action, packed] of cases) {
      expect(congressActions.pack(action)).toBe(packed);
      expect(congressActions.unpack(packed)).toEqual(action);
    }
  });

  it('refuses values no button of this bot could carry', () => {
    for (const value of [
      'dh',
      'dh:zz',
      'dh:pb:',
      'dh:pb:CB 01',
      `dh:pb:${'x'.repeat(33)}`,
      'dh:pc:12345678',
      'dh:pc:DH01Z0ZK39',
      `dh:td:${ROUND}`,
      `dh:td:${ROUND}:X:A`,
      'dh:a:date:-1',
      'dh:a:date:4',
      'dh:a:nofield:0',
      'dh:ok:NOT-HEX',
      'dh:ok:',
      'dh:no:extra',
      'dh:nc:ok',
      'dh:nc:nofield:x',
      `dh:nc:name:${'x'.repeat(41)}`,
      `dh:cy:${ROUND}:CB01:xx`,
      `dh:cy:${ROUND}:CB01:tb:more`,
    ]) {
      expect(congressActions.unpack(value), value).toBeUndefined();
    }
  });

  it('keeps a dialog or round answer whole, colons included', () => {
    expect(congressActions.unpack('dh:nc:term:2025:2027')).toEqual({
      kind: 'campaignAnswer',
      field: 'term',
      value: '2025:2027',
    });
  });
});
