/**
 * The message catalogue: every user-facing string lives here. A missing key is a type error;
 * this checks what types cannot: no empty or placeholder text, and the register docs/rules.md asks
 * for (people are "đồng chí", never anh/chị).
 */
import { describe, expect, it } from 'vitest';
import { msg } from '../../src/messages/index.js';

/** Every string in the catalogue, and every function's text for sample arguments, with its path. */
function texts(node: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof node === 'string') out.push([path, node]);
  else if (typeof node === 'function') {
    try {
      const sample = (node as (...a: unknown[]) => unknown)('Chi bộ Thôn 1', 2, 3, 4);
      if (typeof sample === 'string') out.push([`${path}()`, sample]);
    } catch {
      // Functions that need structured arguments are exercised by their own area's tests.
    }
  } else if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) texts(v, `${path}[${i}]`, out);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) texts(v, `${path}.${k}`, out);
  }
  return out;
}

const all = texts(msg, 'msg');

describe('the message catalogue', () => {
  it('has a section per area and hundreds of texts', () => {
    expect(Object.keys(msg)).toEqual(
      expect.arrayContaining(['common', 'units', 'congress', 'meetings', 'directives']),
    );
    expect(all.length).toBeGreaterThan(300);
  });

  it('has no empty or placeholder text', () => {
    // Plain strings only: a function's text depends on arguments its own area's tests supply.
    const placeholder = /\bundefined\b|\bNaN\b|\[object Object\]|TODO|FIXME/;
    const bad = all.filter(([path, t]) => !path.endsWith('()') && (t.trim() === '' || placeholder.test(t)));
    expect(bad).toEqual([]);
  });

  it('addresses people as đồng chí, never anh or chị', () => {
    const bad = all.filter(([, t]) => /(^|[\s,.:;(])(anh|chị|Anh|Chị)(\s*\/\s*chị)?\s/.test(t));
    expect(bad).toEqual([]);
    expect(all.filter(([, t]) => t.includes('đồng chí')).length).toBeGreaterThan(50);
  });
});
