import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { bucketOf, emptyHistogram, fromBlob, percentile, toBlob } from '../../daemon/gateway/store/latency-histogram';

describe('latency histogram', () => {
  it('reads percentiles back within 5 % of the exact value', () => {
    const samples = Array.from({ length: 10_000 }, (_, i) => 0.2 + (i % 997) * 3.7 + Math.floor(i / 997) * 0.01);
    const histogram = emptyHistogram();
    for (const sample of samples) histogram[bucketOf(sample)]! += 1;
    const sorted = [...samples].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
      const estimate = percentile(histogram, q)!;
      assert.ok(Math.abs(estimate - exact) / exact < 0.05, `p${q * 100}: ${estimate} vs ${exact}`);
    }
  });

  it('is empty-safe and survives a round trip through an unaligned blob', () => {
    assert.equal(percentile(emptyHistogram(), 0.5), null);
    const histogram = emptyHistogram();
    histogram[bucketOf(12)]! += 3;
    const unaligned = Buffer.concat([Buffer.from([0]), toBlob(histogram)]).subarray(1);
    assert.deepEqual(fromBlob(unaligned), histogram);
  });

  it('clamps values outside the covered range into the end buckets', () => {
    assert.equal(bucketOf(0), 0);
    assert.equal(bucketOf(-1), 0);
    assert.equal(bucketOf(Number.POSITIVE_INFINITY), bucketOf(1e12));
  });
});
