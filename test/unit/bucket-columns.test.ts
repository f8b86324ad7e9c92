import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { Aggregate } from '../../daemon/gateway/api/contracts';
import { bucketColumns } from '../../webview/bucket-columns';

const HOUR = 3_600_000;

function bucket(start: number, requests: number): Aggregate & { start: number } {
  const cache = { lookups: 0, hits: 0, semanticHits: 0, coalesced: 0, savedUsd: 0, savedMs: 0 };
  const routing = { routed: 0, costUsd: 0, baselineUsd: 0, savedUsd: 0 };
  const latencyMs = { p50: 100, p90: 200, p99: 300, mean: 120 };
  return { start, requests, errors: 0, costUsd: requests / 100, unpricedRequests: 0, estimatedRequests: 0, promptTokens: 0, completionTokens: 0, cachedTokens: 0, reasoningTokens: 0, latencyMs, cache, routing };
}

describe('panel charts: buckets drawn for a range', () => {
  const now = 1_800_000_000_000 + 20 * 60_000; // 20 minutes into an hour

  it('a fresh day with calls only in its last hour is that hour, not 23 empty slots before it', () => {
    const hour = Math.floor(now / HOUR) * HOUR;
    const columns = bucketColumns([bucket(hour, 3)], 'hour', now);
    assert.deepEqual(columns.x, [hour / 1000]);
    assert.deepEqual(columns.pick((b) => b.requests, 0), [3]);
  });

  it('fills the hours without calls between the first call and now, with no latency there', () => {
    const first = Math.floor(now / HOUR) * HOUR - 3 * HOUR;
    const columns = bucketColumns([bucket(first, 2), bucket(first + 2 * HOUR, 5)], 'hour', now);
    assert.deepEqual(columns.x, [0, 1, 2, 3].map((i) => (first + i * HOUR) / 1000));
    assert.deepEqual(columns.pick((b) => b.requests, 0), [2, 0, 5, 0]);
    assert.deepEqual(columns.pick<number | null>((b) => b.latencyMs.p50, null), [100, null, 100, null]);
  });

  it('keeps day buckets on their own starts across a 23-hour day', () => {
    const day = 24 * HOUR;
    const first = Math.floor(now / day) * day - 3 * day;
    const columns = bucketColumns([bucket(first, 1), bucket(first + day, 1), bucket(first + 2 * day - HOUR, 4)], 'day', now);
    assert.deepEqual(columns.pick((b) => b.requests, 0), [1, 1, 4, 0]);
  });

  it('draws nothing when there were no calls', () => {
    assert.deepEqual(bucketColumns([], 'hour', now).x, []);
  });
});
