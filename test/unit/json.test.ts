import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { stringifyJson } from '../../daemon/shared/json';

/** stringifyJson must write what JSON.stringify writes, at any depth JSON.parse accepts. */
describe('stringifyJson', () => {
  const ordinary: [string, unknown][] = [
    ['scalars', [1, -0.5, 1e308, true, false, null, 'x']],
    ['strings that need escaping', ['"\\\n\u0000\u2028日本', '\ud800']],
    ['objects, key order kept', { b: 1, a: { c: [], d: {} }, '': 'empty key' }],
    ['undefined fields and elements', { a: undefined, b: [undefined, 1] }],
    ['an empty array and object', [[], {}]],
  ];
  for (const [name, value] of ordinary) {
    it(`writes ${name} as JSON.stringify does`, () => {
      assert.equal(stringifyJson(value), JSON.stringify(value));
    });
  }

  const deep: [string, string][] = [
    ['arrays', `${'['.repeat(200_000)}"end",[1,{"x":null}]${']'.repeat(200_000)}`],
    ['objects', `${'{"a":'.repeat(200_000)}"end"${'}'.repeat(200_000)}`],
  ];
  for (const [name, nested] of deep) {
    it(`writes ${name} nested 200,000 deep, which JSON.stringify cannot`, () => {
      const text = `{"model":"m","deep":${nested},"after":2}`;
      const value: unknown = JSON.parse(text);
      assert.throws(() => JSON.stringify(value), RangeError);
      assert.equal(stringifyJson(value), text);
    });
  }
});
