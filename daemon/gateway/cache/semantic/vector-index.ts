/**
 * Nearest-neighbour search over unit vectors by cosine similarity, fast at 100k entries without a
 * native extension: random-hyperplane LSH (TABLES tables of BITS sign bits each) finds candidates,
 * which are ranked by their int8-quantized vectors. Vectors at the semantic cache's thresholds
 * (cosine ≥ 0.9) agree on a sign bit with probability ≥ 0.86, so a near neighbour shares a bucket
 * in at least one table with probability ≥ 1 − (1 − 0.86^12)^16 ≈ 0.97 (≈ 0.995 at 0.95); the
 * benchmark measures recall against an exact scan. Candidates whose sign bits (all tables') show
 * them far below the threshold are dropped before their vectors are read. Memory: DIMS bytes and
 * TABLES ids a vector.
 */
const TABLES = 16;
const BITS = 12;

export interface Neighbour {
  id: number;
  similarity: number;
}

/** Hyperplanes shared by every index of a dimension: seeded, so runs are reproducible. */
const planesByDims = new Map<number, Float32Array>();

function planesFor(dims: number): Float32Array {
  let planes = planesByDims.get(dims);
  if (!planes) {
    planes = new Float32Array(TABLES * BITS * dims);
    let seed = 0x9e3779b9;
    const random = (): number => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    // Gaussian components (Box-Muller): directions uniform on the sphere.
    for (let i = 0; i < planes.length; i++) planes[i] = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
    planesByDims.set(dims, planes);
  }
  return planes;
}

export class VectorIndex {
  private readonly planes: Float32Array;
  private readonly buckets: Map<number, number[]>[] = Array.from({ length: TABLES }, () => new Map());
  /** Slot storage: each vector's int8 codes, scale and bucket hashes; ids map to slots. */
  private codes = new Int8Array(0);
  private scales = new Float32Array(0);
  private slotHashes = new Int32Array(0);
  private slotIds: number[] = [];
  private marks = new Uint32Array(0);
  private epoch = 0;
  private readonly slotOf = new Map<number, number>();
  private readonly freeSlots: number[] = [];

  constructor(readonly dims: number) {
    this.planes = planesFor(dims);
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** Bytes held for the vectors and their bucket entries (what the benchmark reports). */
  get bytes(): number {
    return this.codes.byteLength + this.scales.byteLength + this.slotHashes.byteLength + this.marks.byteLength + this.size * TABLES * 8;
  }

  add(id: number, vector: Float32Array): void {
    this.remove(id);
    const slot = this.freeSlots.pop() ?? this.grow();
    this.slotOf.set(id, slot);
    this.slotIds[slot] = id;
    this.scales[slot] = quantizeInto(vector, this.codes, slot * this.dims);
    const hashes = this.hashes(vector);
    this.slotHashes.set(hashes, slot * TABLES);
    hashes.forEach((hash, table) => {
      const bucket = this.buckets[table]!.get(hash);
      if (bucket) bucket.push(slot);
      else this.buckets[table]!.set(hash, [slot]);
    });
  }

  remove(id: number): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.slotOf.delete(id);
    for (let table = 0; table < TABLES; table++) {
      const hash = this.slotHashes[slot * TABLES + table]!;
      const bucket = this.buckets[table]!.get(hash);
      if (!bucket) continue;
      const at = bucket.indexOf(slot);
      if (at !== -1) bucket.splice(at, 1);
      if (bucket.length === 0) this.buckets[table]!.delete(hash);
    }
    this.freeSlots.push(slot);
  }

  /** The candidates sharing a bucket with `vector`, best first, at least `minSimilarity` (int8 estimate). */
  nearest(vector: Float32Array, minSimilarity: number, limit = 4): Neighbour[] {
    if (++this.epoch === 0xffffffff) {
      this.marks.fill(0);
      this.epoch = 1;
    }
    const found: Neighbour[] = [];
    const hashes = this.hashes(vector);
    const maxDifferentBits = differentBitsBound(minSimilarity);
    const slotHashes = this.slotHashes;
    for (let table = 0; table < TABLES; table++) {
      const bucket = this.buckets[table]!.get(hashes[table]!);
      if (!bucket) continue;
      for (const slot of bucket) {
        if (this.marks[slot] === this.epoch) continue;
        this.marks[slot] = this.epoch;
        // The sign bits of all tables estimate the angle for a sixth of a dot product's cost:
        // candidates far beyond the threshold are dropped before their vectors are read.
        let differentBits = 0;
        for (let t = 0; t < TABLES; t++) differentBits += popcount(slotHashes[slot * TABLES + t]! ^ hashes[t]!);
        if (differentBits > maxDifferentBits) continue;
        const similarity = this.dot(vector, slot);
        if (similarity >= minSimilarity) found.push({ id: this.slotIds[slot]!, similarity });
      }
    }
    return found.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
  }

  /** The exact best match by scanning every vector (the benchmark's reference for recall). */
  scan(vector: Float32Array): Neighbour | undefined {
    let best: Neighbour | undefined;
    for (const [id, slot] of this.slotOf) {
      const similarity = this.dot(vector, slot);
      if (!best || similarity > best.similarity) best = { id, similarity };
    }
    return best;
  }

  private dot(vector: Float32Array, slot: number): number {
    const codes = this.codes;
    const offset = slot * this.dims;
    let dot = 0;
    for (let i = 0; i < this.dims; i++) dot += vector[i]! * codes[offset + i]!;
    return dot * this.scales[slot]!;
  }

  private grow(): number {
    const slot = this.slotIds.length;
    const capacity = this.scales.length;
    if (slot >= capacity) {
      const next = Math.max(64, capacity * 2);
      const codes = new Int8Array(next * this.dims);
      codes.set(this.codes);
      this.codes = codes;
      const scales = new Float32Array(next);
      scales.set(this.scales);
      this.scales = scales;
      const hashes = new Int32Array(next * TABLES);
      hashes.set(this.slotHashes);
      this.slotHashes = hashes;
      const marks = new Uint32Array(next);
      marks.set(this.marks);
      this.marks = marks;
    }
    this.slotIds.push(-1);
    return slot;
  }

  private hashes(vector: Float32Array): Int32Array {
    const { dims, planes } = this;
    const hashes = new Int32Array(TABLES);
    for (let table = 0; table < TABLES; table++) {
      let hash = 0;
      for (let bit = 0; bit < BITS; bit++) {
        const offset = (table * BITS + bit) * dims;
        let dot = 0;
        for (let i = 0; i < dims; i++) dot += planes[offset + i]! * vector[i]!;
        hash = (hash << 1) | (dot >= 0 ? 1 : 0);
      }
      hashes[table] = hash;
    }
    return hashes;
  }
}

function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * How many of the TABLES × BITS sign bits two vectors at cosine `similarity` may differ in, at
 * most, but for a 1-in-30,000 chance (4 standard deviations): each bit differs with probability
 * angle / π, independently.
 */
function differentBitsBound(similarity: number): number {
  const bits = TABLES * BITS;
  const p = Math.acos(Math.max(-1, Math.min(1, similarity))) / Math.PI;
  return bits * p + 4 * Math.sqrt(bits * p * (1 - p));
}

/** Writes the vector's int8 codes at `offset`; returns the scale that turns them back. */
function quantizeInto(vector: Float32Array, codes: Int8Array, offset: number): number {
  let max = 0;
  for (const value of vector) max = Math.max(max, Math.abs(value));
  const scale = max > 0 ? max / 127 : 1;
  for (let i = 0; i < vector.length; i++) codes[offset + i] = Math.round(vector[i]! / scale);
  return scale;
}

/** Scales to unit length (cosine similarity becomes a dot product). */
export function normalize(vector: ArrayLike<number>): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  norm = Math.sqrt(norm) || 1;
  const unit = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) unit[i] = vector[i]! / norm;
  return unit;
}
