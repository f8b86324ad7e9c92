import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { LocalEmbedder } from '../../daemon/gateway/cache/semantic/embedder';
import { semanticGuard } from '../../daemon/gateway/cache/semantic/guards';
import { parseConfig } from '../../daemon/gateway/config/load';
import { EVAL_PAIRS, type EvalPair } from './pairs';

/**
 * The semantic cache on its evaluation set (pairs.ts), with the local embedder and the default
 * threshold, exactly as a lookup decides: similarity at or above the threshold, then the guards.
 * Must: no wrong hit on a pair that asks something else. Reported: the share of same-question
 * pairs that hit, and what the guards stopped.
 */
describe('semantic cache: evaluation set with the local embedder at the default threshold', function () {
  this.timeout(120_000);
  const threshold = parseConfig({}, 'defaults').cache.semantic.threshold;
  const embedder = new LocalEmbedder();
  let scored: { pair: EvalPair; similarity: number; guard: string | undefined }[] = [];

  before(async () => {
    scored = [];
    for (const pair of EVAL_PAIRS) {
      const [a, b] = [await embedder.embed(pair.a), await embedder.embed(pair.b)];
      let similarity = 0;
      for (let i = 0; i < a.length; i++) similarity += a[i]! * b[i]!;
      scored.push({ pair, similarity, guard: semanticGuard(pair.a, pair.b) });
    }
  });
  after(() => embedder.close());

  it(`has at least 150 pairs, and no pair that asks something else is a hit (threshold ${threshold})`, () => {
    assert.ok(EVAL_PAIRS.length >= 150, `${EVAL_PAIRS.length} pairs`);
    const isHit = (s: (typeof scored)[number]): boolean => s.similarity >= threshold && s.guard === undefined;
    const mustNot = scored.filter((s) => s.pair.expect === 'miss');
    const should = scored.filter((s) => s.pair.expect === 'hit');
    const wrong = mustNot.filter(isHit);
    const aboveThreshold = mustNot.filter((s) => s.similarity >= threshold);
    const hits = should.filter(isHit);
    console.log(`      must-not pairs: ${wrong.length} wrong hits of ${mustNot.length}; ${aboveThreshold.length} scored at or above ${threshold} and were stopped by the guards`);
    for (const s of aboveThreshold) console.log(`        stopped ${s.similarity.toFixed(3)} (${s.guard}): ${s.pair.a} | ${s.pair.b}`);
    console.log(`      should-hit pairs: ${hits.length} of ${should.length} hit (${((100 * hits.length) / should.length).toFixed(0)} %); ${should.filter((s) => s.guard !== undefined).length} blocked by a guard, the rest below the threshold`);
    assert.deepEqual(wrong.map((s) => `${s.similarity.toFixed(3)} ${s.pair.a} | ${s.pair.b}`), []);
    assert.ok(hits.length > 0, 'a semantic cache that never hits is not one');
  });
});
