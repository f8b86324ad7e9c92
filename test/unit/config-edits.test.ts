import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergePatch } from '../../daemon/gateway/config/merge-patch';
import { parseJsonc, patchText } from '../../daemon/gateway/config/jsonc';
import { ConfigError, parseConfigText } from '../../daemon/gateway/config/load';

describe('JSON Merge Patch (RFC 7396, appendix A examples)', () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, expected] of cases) {
    it(`${JSON.stringify(target)} + ${JSON.stringify(patch)} = ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(mergePatch(target, patch), expected);
    });
  }

  it('does not modify the target', () => {
    const target = { models: { a: { strategy: 'fallback' } } };
    mergePatch(target, { models: { a: { strategy: 'loadbalance' } } });
    assert.deepEqual(target, { models: { a: { strategy: 'fallback' } } });
  });
});

describe('JSONC config text', () => {
  it('applies the RFC 7396 examples to object texts in place, meaning what mergePatch means', () => {
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ a: 'b' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }],
      [{ a: 'b', b: 'c' }, { a: null }],
      [{ a: ['b'] }, { a: 'c' }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }],
      [{ e: null }, { a: 1 }],
      [{}, { a: { bb: { ccc: null } } }],
      [{ a: 'x' }, { a: { b: 1, c: null } }],
    ];
    for (const [target, patch] of cases) {
      assert.deepEqual(parseJsonc(patchText(JSON.stringify(target, null, 2), patch)), mergePatch(target, patch), `${JSON.stringify(target)} + ${JSON.stringify(patch)}`);
    }
  });

  it('keeps comments and the rest of the file as written', () => {
    const text = '{\n  // where calls go\n  "cache": { "enabled": false }, // off for now\n  "models": {}, /* trailing */\n}\n';
    const patched = patchText(text, { cache: { enabled: true } });
    assert.match(patched, /\/\/ where calls go/);
    assert.match(patched, /\/\/ off for now/);
    assert.match(patched, /\/\* trailing \*\//);
    assert.deepEqual(parseJsonc(patched), { cache: { enabled: true }, models: {} });
  });

  it('loads the README example as it is, and names the line and column of a problem', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const example = /## Configuration[\s\S]*?```jsonc\n([\s\S]*?)\n```/.exec(readme)![1]!;
    const config = parseConfigText(example, 'README');
    assert.equal(config.routing.tiers.simple, 'openai/gpt-4o-mini');
    assert.ok(config.providers.length >= 4);
    assert.throws(() => parseConfigText('{\n  "cache": { "enabled": tru }\n}', 'config.json'), (error: ConfigError) => /line 2, column \d+/.test(error.message));
    assert.throws(
      () => parseConfigText('{\n  "cache": {\n    "ttlSeconds": -5\n  }\n}', 'config.json'),
      (error: ConfigError) => /cache\.ttlSeconds \(line 3, column 19\): .*0/.test(error.message),
    );
  });
});
