import { keptWhenOn } from '../cache/cache-policy';
import type { Embedder } from '../cache/semantic/embedder';
import { semanticGuard } from '../cache/semantic/guards';
import { semanticQuery, type SemanticQuery } from '../cache/semantic/scope';
import type { RuntimeConfig } from '../config/runtime';
import type { Config } from '../config/schema';
import type { EndpointKind } from '../endpoint-kind';
import type { WhatIfQueries } from '../store/whatif-queries';

/** Calls embedded per estimate: the local encoder takes a few ms each, so a sample stays well under a few seconds. */
export const NEAR_DUPLICATE_SAMPLE = 200;
/** An estimate is kept this long before the next advice request starts another. */
const REFRESH_MS = 10 * 60_000;

/** What the semantic cache would have answered among the window's newest calls, had it been on. */
export interface NearDuplicateEstimate {
  /** The window (its first whole hour) this was computed for. */
  since: number;
  computedAt: number;
  /** Calls embedded (those the semantic cache could answer), and the span of the sample in ms. */
  sampled: number;
  spanMs: number;
  /** Calls whose question was near an earlier one of the same scope within the TTL, and passed the guards. */
  hits: number;
  usd: number;
  threshold: number;
}

interface SamplerDeps {
  whatIf: WhatIfQueries;
  /** The local encoder, started only when an estimate is asked for. */
  embedder: () => Embedder;
  warn: (message: string) => void;
}

/**
 * Embeds a sample in the background: the advice endpoint must answer in milliseconds, and a
 * sample of a few hundred texts through the encoder takes seconds. The first request for a
 * window starts an estimate and gets none; later ones get the latest until it is REFRESH_MS old.
 */
export class NearDuplicateSampler {
  private latest: NearDuplicateEstimate | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: SamplerDeps) {}

  estimate(since: number, now: number, runtime: RuntimeConfig): NearDuplicateEstimate | undefined {
    const current = this.latest?.since === since ? this.latest : undefined;
    if ((!current || now - current.computedAt > REFRESH_MS) && !this.running) {
      this.running = this.compute(since, now, runtime)
        .then((estimate) => void (this.latest = estimate))
        .catch((error: unknown) => this.deps.warn(`advice: near-duplicate sample failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => (this.running = undefined));
    }
    return current;
  }

  /** True while a sample is being embedded. */
  get sampling(): boolean {
    return this.running !== undefined;
  }

  private async compute(since: number, now: number, runtime: RuntimeConfig): Promise<NearDuplicateEstimate> {
    const { threshold } = runtime.config.cache.semantic;
    const ttlMs = runtime.config.cache.ttlSeconds * 1000;
    const sample = this.deps.whatIf.latest(since, now, NEAR_DUPLICATE_SAMPLE).reverse();
    let embedder: Embedder | undefined; // the encoder starts only if some call has a question to embed
    const seen = new Map<string, { ts: number; text: string; vector: Float32Array }[]>();
    let sampled = 0;
    let hits = 0;
    let usd = 0;
    for (const call of sample) {
      const query = queryOf(call, runtime.config);
      if (!query) continue;
      sampled++;
      const vector = await (embedder ??= this.deps.embedder()).embed(query.text);
      const earlier = seen.get(query.scope) ?? [];
      // An identical text is the exact cache's repeat (its own advice); the semantic cache adds the reworded ones.
      const near = earlier.some((e) => call.ts - e.ts <= ttlMs && e.text !== query.text && dot(e.vector, vector) >= threshold && semanticGuard(query.text, e.text) === undefined);
      if (near) {
        hits++;
        usd += call.costUsd ?? 0;
      }
      earlier.push({ ts: call.ts, text: query.text, vector });
      seen.set(query.scope, earlier);
    }
    const oldest = sample[0]?.ts ?? now;
    return { since, computedAt: now, sampled, spanMs: Math.max(1, now - oldest), hits, usd, threshold };
  }
}

/**
 * The question the semantic cache would compare, for a call whose answer the cache (turned on as
 * configured) would keep: by default only deterministic ones (temperature 0 or a seed). Request
 * headers are not logged, so a caller's own x-tollgate-cache or Cache-Control is not seen.
 */
function queryOf(call: { endpoint: string; provider: string; servedModel: string; requestBody: Buffer | undefined }, config: Config): SemanticQuery | undefined {
  const endpoint = call.endpoint;
  if (!call.requestBody || (endpoint !== 'chat' && endpoint !== 'messages')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.requestBody.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const body = parsed as Record<string, unknown>;
  if (!keptWhenOn({}, endpoint satisfies EndpointKind, body, config)) return undefined;
  return semanticQuery(endpoint, call.provider, call.servedModel, body);
}

/** Cosine similarity of two unit vectors (the encoder's are normalised). */
function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
