/** The /xuat buttons' codec: what the menu packs unpacks to the same export; anything else to nothing. */
import { describe, expect, it } from 'vitest';
import { type ExportPress, exportActions } from '../../src/services/exports/index.js';

describe('export actions', () => {
  it('packs each export in the layout the buttons have always carried, and reads it back', () => {
    const cases: [ExportPress, string][] = [
      [{ kind: 'scope', unit: 'XB' }, 'xk:s:XB'],
      [{ kind: 'scope', unit: 'XB', month: '2025-08' }, 'xk:s:XB:2025-08'],
      [{ kind: 'congress', campaignId: 'dh0a1b2c3d', unit: 'XA' }, 'xk:dh:dh0a1b2c3d:XA'],
      [{ kind: 'meetings', month: '2025-09', unit: 'BP1' }, 'xk:sh:2025-09:BP1'],
      [{ kind: 'directive', id: '17' }, 'xk:vb:17'],
    ];
    for (const [action, value] of cases) {
      expect(exportActions.pack(action)).toBe(value);
      expect(exportActions.unpack(value)).toEqual(action);
    }
  });

  it('reads no forged, mutated or outdated value', () => {
    for (const value of [
      'xk:sh:2025-13:XA',
      'xk:sh:0000-00:BP1',
      'xk:s:BP1:children',
      'xk:s:',
      'xk:dh:dh0a1b2c3d',
      'xk:dh:DH0A1B2C3D:XA',
      'xk:dh:dh0a1b2c3d:XA:more',
      'xk:vb:0',
      'xk:vb:abc',
      'xk:vb:12345678901',
      'xk:zz',
      'xk',
      `xk:s:${'A'.repeat(33)}`,
    ]) {
      expect(exportActions.unpack(value), value).toBeUndefined();
    }
  });
});
