import type { Aggregate } from '../daemon/gateway/api/contracts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** One series per column, aligned on x (uPlot's AlignedData: seconds on the time axis). */
export interface BucketColumns {
  /** Bucket starts, in seconds since the epoch (uPlot's x), and in ms (the stats' `start`). */
  x: number[];
  starts: number[];
  /** null where a bucket had no calls (latency has no value there; counts and spend are 0). */
  pick: <T>(read: (bucket: Aggregate) => T, empty: T) => T[];
  bucketMs: number;
}

/**
 * The buckets to draw for a range: from the first bucket with calls (not the range's start) to the
 * bucket in progress, every bucket in between present. A range whose calls all fall in its last
 * hour is drawn as that hour, not as 23 empty slots and a bar at the right edge.
 */
export function bucketColumns(buckets: readonly (Aggregate & { start: number })[], bucket: 'hour' | 'day', now: number): BucketColumns {
  const bucketMs = bucket === 'day' ? DAY_MS : HOUR_MS;
  if (buckets.length === 0) return { x: [], starts: [], pick: () => [], bucketMs };
  const byStart = new Map(buckets.map((b) => [b.start, b]));
  const real = [...byStart.keys()].sort((a, b) => a - b);
  // Empty buckets are filled in between (and up to now); a real start always wins, so a day of
  // 23 or 25 hours (a clock change) does not shift the buckets after it.
  const starts: number[] = [];
  real.forEach((start, i) => {
    const next = real[i + 1] ?? now + bucketMs / 2;
    for (let filler = start; filler < next - bucketMs / 2; filler += bucketMs) starts.push(filler);
  });
  return {
    x: starts.map((start) => start / 1000),
    starts,
    pick: (read, empty) => starts.map((start) => (byStart.has(start) ? read(byStart.get(start)!) : empty)),
    bucketMs,
  };
}
