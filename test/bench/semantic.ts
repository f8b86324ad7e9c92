import { LocalEmbedder } from '../../daemon/gateway/cache/semantic/embedder';
import { normalize, VectorIndex } from '../../daemon/gateway/cache/semantic/vector-index';
import { percentile } from './load';
import { EVAL_PAIRS } from '../semantic/pairs';

export interface SemanticBenchResult {
  /** ms to embed one question with the local encoder (its own thread), p50 and p99. */
  embedMs: { p50: number; p99: number };
  /** ms per lookup in one scope holding `entries` questions, excluding the embedding; recall against an exact scan. */
  lookups: { entries: number; p50: number; p99: number; recall: number; indexMb: number }[];
}

const SIZES = [10_000, 100_000];
const QUERIES = 2000;

/**
 * The semantic cache's own costs. Embedding: the local encoder on real questions (the evaluation
 * set's). Lookup: the vector index at 10k and 100k questions in one scope. Real questions'
 * vectors cluster by topic, which fills some LSH buckets more than others, so the stored vectors
 * are drawn around the real embeddings of the 316 evaluation questions (each a real vector plus
 * noise, cosine ~0.8 to it) rather than uniformly; each query is a stored vector moved to cosine
 * ~0.96, and recall is how often the index returns what an exact scan of all vectors returns.
 */
export async function benchSemantic(): Promise<SemanticBenchResult> {
  const embedder = new LocalEmbedder();
  const texts = [...new Set(EVAL_PAIRS.flatMap((pair) => [pair.a, pair.b]))];
  const real: Float32Array[] = [];
  const times: number[] = [];
  try {
    await embedder.embed('warm up the encoder');
    for (const text of texts) {
      const started = performance.now();
      real.push(await embedder.embed(text));
      times.push(performance.now() - started);
    }
  } finally {
    await embedder.close();
  }
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647 - 0.5;
  };
  const around = (center: Float32Array, cosine: number): Float32Array => {
    const noise = normalize(Array.from({ length: center.length }, random));
    const away = Math.sqrt(1 - cosine * cosine);
    return normalize(center.map((value, i) => cosine * value + away * noise[i]!));
  };
  const lookups: SemanticBenchResult['lookups'] = [];
  for (const entries of SIZES) {
    const index = new VectorIndex(real[0]!.length);
    const stored: Float32Array[] = [];
    for (let id = 0; id < entries; id++) {
      const vector = around(real[id % real.length]!, 0.8);
      stored.push(vector);
      index.add(id, vector);
    }
    const samples: number[] = [];
    let agreed = 0;
    for (let q = 0; q < QUERIES; q++) {
      const query = around(stored[Math.floor(((q * 7919) % entries))]!, 0.96);
      const started = performance.now();
      const found = index.nearest(query, 0.94, 8)[0];
      samples.push(performance.now() - started);
      // The exact scan is slow at 100k: recall is checked on every tenth query.
      if (q % 10 === 0 && found?.id === index.scan(query)?.id) agreed++;
    }
    lookups.push({ entries, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), recall: agreed / (QUERIES / 10), indexMb: index.bytes / 1024 / 1024 });
  }
  return { embedMs: { p50: percentile(times, 0.5), p99: percentile(times, 0.99) }, lookups };
}
