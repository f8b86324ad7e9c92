/**
 * Latency percentiles for any time range, from hourly rollups, without keeping every sample:
 * log-scale buckets 10 % wide from 0.1 ms to about an hour. A percentile read back is the
 * bucket's geometric middle, within ±5 % of the true value.
 */
const FIRST_EDGE_MS = 0.1;
const GROWTH = 1.1;
const LOG_GROWTH = Math.log(GROWTH);
export const BUCKETS = 184;

export function bucketOf(latencyMs: number): number {
  if (!(latencyMs > FIRST_EDGE_MS)) return 0;
  return Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(latencyMs / FIRST_EDGE_MS) / LOG_GROWTH));
}

function bucketMiddle(bucket: number): number {
  if (bucket === 0) return FIRST_EDGE_MS / 2;
  return FIRST_EDGE_MS * GROWTH ** (bucket - 0.5);
}

export function emptyHistogram(): Uint32Array {
  return new Uint32Array(BUCKETS);
}

export function addTo(target: Uint32Array, source: Uint32Array): void {
  for (let i = 0; i < BUCKETS; i++) target[i]! += source[i] ?? 0;
}

export function fromBlob(blob: Buffer): Uint32Array {
  // Copy first: a Buffer from SQLite need not be 4-byte aligned, which Uint32Array requires.
  const bytes = new Uint8Array(BUCKETS * 4);
  bytes.set(blob.subarray(0, bytes.length));
  return new Uint32Array(bytes.buffer);
}

/** addTo(target, fromBlob(blob)) without the copy when the blob is aligned, as SQLite's usually are. */
export function addBlob(target: Uint32Array, blob: Buffer): void {
  const aligned = blob.byteOffset % 4 === 0 && blob.length >= BUCKETS * 4;
  addTo(target, aligned ? new Uint32Array(blob.buffer, blob.byteOffset, BUCKETS) : fromBlob(blob));
}

export function toBlob(histogram: Uint32Array): Buffer {
  return Buffer.from(histogram.buffer, histogram.byteOffset, histogram.byteLength);
}

/** q in (0, 1]; null for an empty histogram. */
export function percentile(histogram: Uint32Array, q: number): number | null {
  let total = 0;
  for (let i = 0; i < BUCKETS; i++) total += histogram[i]!;
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += histogram[i]!;
    if (seen >= rank) return bucketMiddle(i);
  }
  return bucketMiddle(BUCKETS - 1);
}
