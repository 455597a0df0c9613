/**
 * Menus and handlers stay in step: every command a role's menu offers has a handler, and every
 * handler is in some menu or listed as hidden (with the reason) in the help catalogue.
 */
import { describe, expect, it } from 'vitest';
import { buildRouter } from '../../commands/index.js';
import type { Role } from '../../src/domain/units.js';
import { msg } from '../../src/messages/index.js';

const ROLE_SETS: Role[][] = [
  [],
  [{ kind: 'secretary', unit: 'CB01' }],
  [{ kind: 'deputy', unit: 'CB01' }],
  [{ kind: 'leader', unit: 'XA' }],
  [{ kind: 'admin' }],
  [{ kind: 'admin' }, { kind: 'leader', unit: 'XA' }, { kind: 'secretary', unit: 'CB01' }],
];

describe('command menus', () => {
  const handled = new Set(buildRouter().commandNames());
  const offered = new Set(ROLE_SETS.flatMap((roles) => msg.help.menuFor(roles).map((e) => e.command)));

  it('offer only commands that have a handler', () => {
    expect([...offered].filter((c) => !handled.has(c))).toEqual([]);
  });

  it('offer every handled command somewhere, unless it is documented as hidden', () => {
    const hidden = new Set(Object.keys(msg.help.hidden));
    expect([...handled].filter((c) => !offered.has(c) && !hidden.has(c)).sort()).toEqual([]);
    // A hidden command that is also offered, or that nothing handles, is a stale entry.
    expect([...hidden].filter((c) => offered.has(c) || !handled.has(c)).sort()).toEqual([]);
  });
});
