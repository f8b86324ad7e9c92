import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { STRATEGIES, type StrategyName } from '../../daemon/gateway/routing/strategies';

const targets = [
  { target: 'a', weight: 3 },
  { target: 'b', weight: 1 },
  { target: 'c', weight: 1 },
];

/** A random source that replays the given values. */
const replay = (...values: number[]) => () => values.shift() ?? 0;

describe('routing strategies', () => {
  const cases: [StrategyName, () => number, (t: string) => number | undefined, string[]][] = [
    ['fallback', Math.random, () => undefined, ['a', 'b', 'c']],
    // loadbalance: 0.0 of a total weight 5 picks a; then 0.0 of b+c picks b.
    ['loadbalance', replay(0, 0), () => undefined, ['a', 'b', 'c']],
    // 0.7 × 5 = 3.5 falls past a (3) into b; then 0.9 × 4 = 3.6 falls past a into c.
    ['loadbalance', replay(0.7, 0.9), () => undefined, ['b', 'c', 'a']],
    ['least-latency', Math.random, (t) => ({ a: 300, b: 100, c: 200 })[t], ['b', 'c', 'a']],
    // A target never measured goes first, so that every target gets measured.
    ['least-latency', Math.random, (t) => ({ a: 300, b: 100 })[t], ['c', 'b', 'a']],
  ];
  for (const [name, random, latencies, expected] of cases) {
    it(`${name} orders ${expected.join(' > ')}`, () => {
      assert.deepEqual(STRATEGIES[name]({ targets, latencyOf: latencies, random }), expected);
    });
  }

  it('loadbalance picks first in proportion to weight (10,000 draws)', () => {
    const firsts = { a: 0, b: 0, c: 0 } as Record<string, number>;
    for (let i = 0; i < 10_000; i++) firsts[STRATEGIES.loadbalance({ targets, latencyOf: () => undefined, random: Math.random })[0]!]!++;
    assert.ok(Math.abs(firsts['a']! / 10_000 - 0.6) < 0.03, JSON.stringify(firsts));
    assert.ok(Math.abs(firsts['b']! / 10_000 - 0.2) < 0.03, JSON.stringify(firsts));
  });

  it('every strategy returns every target exactly once', () => {
    for (const name of Object.keys(STRATEGIES) as StrategyName[]) {
      const order = STRATEGIES[name]({ targets, latencyOf: () => 1, random: Math.random });
      assert.deepEqual([...order].sort(), ['a', 'b', 'c'], name);
    }
  });
});
