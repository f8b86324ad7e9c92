import type { SeriesResponse } from '../api/series-contracts';
import type { Db } from './db';
import { addBlob, emptyHistogram, percentile } from './latency-histogram';
import { HOUR_MS } from './rollups';

const DAY_MS = 24 * HOUR_MS;

/** The panel's per-bucket series from rollup_advice (the hours of [since, until]), bucketed as the stats are. */
export class SeriesQueries {
  private readonly hours;

  constructor(db: Db) {
    this.hours = db.prepare<[number, number], { hour: number; streams: number; ttft_histogram: Buffer; rate_limited: number; fallbacks: number }>(
      'SELECT hour, streams, ttft_histogram, rate_limited, fallbacks FROM rollup_advice WHERE hour >= ? AND hour <= ?',
    );
  }

  query(since: number, until: number, bucket: 'hour' | 'day', tzOffsetMinutes: number): SeriesResponse {
    const bucketMs = bucket === 'day' ? DAY_MS : HOUR_MS;
    const offsetMs = tzOffsetMinutes * 60_000;
    const buckets = new Map<number, { streams: number; ttft: Uint32Array; rateLimited: number; fallbacks: number }>();
    for (const row of this.hours.iterate(Math.floor(since / HOUR_MS), Math.floor(until / HOUR_MS))) {
      // Day buckets start at the caller's local midnight, as in the stats.
      const start = Math.floor((row.hour * HOUR_MS + offsetMs) / bucketMs) * bucketMs - offsetMs;
      let entry = buckets.get(start);
      if (!entry) buckets.set(start, (entry = { streams: 0, ttft: emptyHistogram(), rateLimited: 0, fallbacks: 0 }));
      entry.streams += row.streams;
      addBlob(entry.ttft, row.ttft_histogram);
      entry.rateLimited += row.rate_limited;
      entry.fallbacks += row.fallbacks;
    }
    return {
      since,
      until,
      byBucket: [...buckets.entries()]
        .sort(([a], [b]) => a - b)
        .map(([start, e]) => ({ start, streams: e.streams, ttftMs: { p50: percentile(e.ttft, 0.5), p90: percentile(e.ttft, 0.9) }, rateLimited: e.rateLimited, fallbacks: e.fallbacks })),
    };
  }
}
